import rule from '../../server/src/engine/rules/no-host-devices';
import { RuleTester } from '../rule-tester';

const BASELINE = ' (PSS baseline: HostPath Volumes)';
const MOUNT = (l: string, field: string, ro = false, pss = '') => `${l} mounts the host's whole /dev${ro ? ' read-only' : ''} (${field})${pss}`;
const DEVICE = (l: string, field: string) => `${l} passes the host's whole /dev as a device (${field})`;
const RULE = (l: string, which: string, rule: string, _field: string, _examples: string) => `${l} allows ${which} in the device cgroup (${rule})`;
const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${body}`;

const compose = 'services:\n  ha:\n    image: homeassistant/home-assistant\n    volumes:\n      - /dev:/dev:ro # hot-plug\n    devices:\n      - /dev:/dev\n      - /dev/ttyUSB0:/dev/ttyUSB0\n    device_cgroup_rules:\n      - \'a *:* rwm\'\n      - \'c 188:* rmw\'\n      - \'c *:* m\'\n      - \'b *:* rw\'\n';
const k8s = pod('  containers:\n    - name: a\n      image: x\n      volumeMounts:\n        - name: dev\n          mountPath: /dev\n  volumes:\n    - name: dev\n      hostPath:\n        path: /dev/\n    - name: spare\n      hostPath:\n        path: //dev\n');
const dev = '{\n  // USB passthrough\n  "runArgs": ["--device=/dev", "--device", "/dev/ttyACM0", "--device-cgroup-rule", "c *:* rwm", "-v", "/dev:/dev"]\n}\n';

new RuleTester().run(rule, {
  valid: [
    { name: 'compose: named devices, a CDI device, a major-class rule, mknod-only wildcards, a /dev subtree mount', path: 'compose.yml', code: 'services:\n  z2m:\n    image: koenkk/zigbee2mqtt\n    devices:\n      - /dev/ttyUSB0:/dev/ttyUSB0\n      - source: /dev/dri\n      - nvidia.com/gpu=all\n    device_cgroup_rules: ["c 188:* rmw", "c *:* m", "b *:* m", "c 1:3 mr"]\n    volumes:\n      - /dev/bus/usb:/dev/bus/usb\n      - ./dev:/dev\n' },
    { name: 'kubernetes: a single device node as hostPath, /devices (segment-aware)', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      volumeMounts: [{name: tun, mountPath: /dev/net/tun}, {name: d, mountPath: /d}]\n  volumes:\n    - {name: tun, hostPath: {path: /dev/net/tun, type: CharDevice}}\n    - {name: d, hostPath: {path: /devices}}\n') },
    { name: 'devcontainer: one device and one device class', path: '.devcontainer/devcontainer.json', code: '{\n  "runArgs": ["--device=/dev/kvm", "--device-cgroup-rule=c 189:* rmw"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose: /dev mounted read-only (still an error), passed as a device, wildcard cgroup rules (a, b); named ones kept',
      path: 'compose.yml',
      code: compose,
      errors: [
        { message: MOUNT('Service "ha"', 'volumes', true), detail: /takes over the host \(read-only does not help: a write to a device node goes to the device, not to the mounted filesystem\)\./, line: 5, column: 9, endLine: 5, endColumn: 21, fixes: [] },
        { message: DEVICE('Service "ha"', 'devices'), line: 7, column: 9, endLine: 7, endColumn: 18, fixes: [{ kind: 'suggestion', title: 'Remove /dev:/dev from devices', output: compose.replace('      - /dev:/dev\n', '') }] },
        { message: RULE('Service "ha"', 'every device', 'a *:* rwm', 'device_cgroup_rules', 'raw host disks and physical memory (/dev/mem)'), line: 10, column: 9, endLine: 10, endColumn: 20, fixes: [{ kind: 'suggestion', title: 'Remove \'a *:* rwm\' from device_cgroup_rules', output: compose.replace('      - \'a *:* rwm\'\n', '') }] },
        { message: RULE('Service "ha"', 'every block device', 'b *:* rw', 'device_cgroup_rules', 'the host\'s raw disks'), line: 13, column: 9, endLine: 13, endColumn: 19, fixes: [{ kind: 'suggestion', title: 'Remove \'b *:* rw\' from device_cgroup_rules', output: compose.replace('      - \'b *:* rw\'\n', '') }] },
      ],
    },
    {
      name: 'compose: device cgroup rules through an anchor (no fix), `a` alone and `*` access',
      path: 'compose.yml',
      code: 'x-dev: &dev\n  device_cgroup_rules: ["a", "c *:* *"]\nservices:\n  s:\n    <<: *dev\n    image: x\n',
      errors: [
        { message: RULE('Service "s"', 'every device', 'a', 'device_cgroup_rules', 'raw host disks and physical memory (/dev/mem)'), line: 2, column: 25, endLine: 2, endColumn: 28, fixes: [] },
        { message: RULE('Service "s"', 'every character device', 'c *:* *', 'device_cgroup_rules', 'physical memory (/dev/mem), I/O ports (/dev/port) and the host\'s terminals'), line: 2, column: 30, endLine: 2, endColumn: 39, fixes: [] },
      ],
    },
    {
      name: 'kubernetes baseline profile: hostPath /dev/ mounted, //dev unmounted; both name the control',
      path: 'pod.yaml',
      profile: 'baseline',
      code: k8s,
      errors: [
        { message: MOUNT('Container "a" in Pod/p', 'volumes.hostPath', false, BASELINE), line: 13, column: 7, endLine: 15, endColumn: 20, fixes: [] },
        { message: `Pod/p has an unmounted hostPath volume for the host's whole /dev${BASELINE}`, line: 16, column: 7, endLine: 18, endColumn: 20, fixes: [] },
      ],
    },
    {
      name: 'kubernetes: an init container mounting /dev (default profile)',
      path: 'job.yaml',
      code: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: disk\n          image: x\n          volumeMounts: [{name: dev, mountPath: /host-dev, readOnly: true}]\n      containers:\n        - name: a\n          image: y\n      volumes:\n        - {name: dev, hostPath: {path: /dev}}\n',
      errors: [{ message: MOUNT('Init container "disk" in Job/j', 'volumes.hostPath', true), line: 16, column: 11, endLine: 16, endColumn: 46, fixes: [] }],
    },
    {
      name: 'devcontainer: --device=/dev, a two-element --device-cgroup-rule, -v /dev:/dev; a named device kept; comment kept',
      path: '.devcontainer/devcontainer.json',
      code: dev,
      errors: [
        { message: DEVICE('Devcontainer', 'runArgs'), line: 3, column: 15, endLine: 3, endColumn: 30, fixes: [{ kind: 'suggestion', title: 'Remove --device=/dev from runArgs', output: dev.replace('"--device=/dev", ', '') }] },
        {
          message: RULE('Devcontainer', 'every character device', 'c *:* rwm', 'runArgs', 'physical memory (/dev/mem), I/O ports (/dev/port) and the host\'s terminals'),
          line: 3, column: 60, endLine: 3, endColumn: 95,
          fixes: [{ kind: 'suggestion', title: 'Remove --device-cgroup-rule c *:* rwm from runArgs', output: dev.replace('"--device-cgroup-rule", "c *:* rwm", ', '') }],
        },
        { message: MOUNT('Devcontainer', 'runArgs'), line: 3, column: 97, endLine: 3, endColumn: 114, fixes: [] },
      ],
    },
  ],
});

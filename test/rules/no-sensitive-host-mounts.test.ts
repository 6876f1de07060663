import rule from '../../server/src/engine/rules/no-sensitive-host-mounts';
import { RuleTester } from '../rule-tester';

const ETC = 'the host\'s configuration (passwd, shadow, sudoers, cron, systemd units, kubelet credentials)';
const PROC = 'the host\'s processes and kernel settings (/proc/sys, core_pattern, sysrq-trigger)';
const SYS = 'the host\'s kernel and device settings (uevent_helper, cgroup release_agent, firmware)';
const KUBELET = 'the kubelet\'s state (every pod\'s secrets, service account tokens and volumes)';
const RUN = 'the host\'s runtime sockets (the container runtime\'s, D-Bus, systemd) and state';
const BASELINE = ' (Pod Security Standards baseline: HostPath Volumes, control hostPathVolumes)';
const WRITABLE = (l: string, path: string, field: string, what: string, inside = '', pss = '') => `${l} mounts the host path ${path} (${field})${inside}: ${what}. A process that can write there can compromise the host${pss}.`;
const READ_ONLY = (l: string, path: string, field: string, what: string, inside = '') => `${l} mounts the host path ${path} read-only (${field})${inside}: ${what}. Read-only lowers the severity, it does not remove the finding: everything there can still be read.`;
const SOCKETS_RO = (l: string, path: string, field: string, what: string, inside = '') => `${l} mounts the host path ${path} read-only (${field})${inside}: ${what}. Read-only does not help here: it does not stop connecting to the sockets there.`;
const HOST_PATH = (l: string, path: string, field: string) => `${l} mounts the host path ${path} (${field}): the profile allows no host path mounts, read-only or not${BASELINE}.`;
const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${body}`;

const compose = 'services:\n  web:\n    image: x\n    volumes:\n      - /etc:/host/etc # config\n      - /var/lib/kubelet/pods:/pods:ro\n      - "//proc//:/host/proc"\n      - type: bind\n        source: /var/lib/docker/containers\n        target: /logs\n        read_only: true\n      - /:/rootfs:ro\n      - /etc/localtime:/etc/localtime:ro\n      - /etcd-data:/data\n      - /run/dbus:/run/dbus:ro\n';
const k8s = pod('  containers:\n    - name: app\n      image: x\n      volumeMounts:\n        - name: etc\n          mountPath: /host/etc\n    - name: side\n      image: y\n      volumeMounts:\n        - name: etc\n          mountPath: /e\n          readOnly: true\n  volumes:\n    - name: etc\n      hostPath:\n        path: /etc\n    - name: kubelet\n      hostPath:\n        path: /var/lib/kubelet/pods\n    - name: data\n      hostPath:\n        path: /srv/data\n');
const restricted = pod('  containers:\n    - name: app\n      image: x\n      volumeMounts:\n        - {name: data, mountPath: /d, readOnly: true}\n        - {name: logs, mountPath: /l}\n  volumes:\n    - name: data\n      hostPath: {path: /srv/data}\n    - name: logs\n      hostPath: {path: /var/log}\n    - name: spare\n      hostPath: {path: /opt/x}\n    - name: nfs\n      nfs: {server: s, path: /}\n    - name: cfg\n      configMap: {name: c}\n');
const dev = '{\n  "image": "x",\n  "mounts": [\n    "source=/home,target=/h,type=bind,readonly", // homes\n    { "source": "/etc/", "target": "/e", "type": "bind" }\n  ],\n  "runArgs": ["-v", "/proc:/p", "--mount", "type=bind,source=/sys/fs/cgroup,target=/c"]\n}\n';

new RuleTester().run(rule, {
  valid: [
    { name: 'compose: relative and named volumes, look-alike paths (/etcd, /procfs-data, /var/lib/dockerd), read-only time zone files', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    volumes:\n      - ./conf:/etc/nginx\n      - ~/.cache:/cache\n      - data:/var/lib/docker\n      - /etcd:/etcd\n      - /procfs-data:/p\n      - /var/lib/dockerd:/d\n      - /srv/app:/app\n      - /etc/localtime:/etc/localtime:ro\n      - /usr/share/zoneinfo:/usr/share/zoneinfo:ro\nvolumes:\n  data: {}\n' },
    { name: 'compose: the runtime socket and the whole /dev are left to their own rules', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    volumes: [/var/run/docker.sock:/var/run/docker.sock, /dev:/dev, /run/containerd:/run/containerd]\n' },
    { name: 'kubernetes: an ordinary hostPath, configMap, emptyDir (default profile)', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      volumeMounts: [{name: d, mountPath: /d}]\n  volumes:\n    - {name: d, hostPath: {path: /srv/data}}\n    - {name: c, configMap: {name: c}}\n    - {name: e, emptyDir: {}}\n') },
    { name: 'kubernetes restricted: allowed volume types only', path: 'pod.yaml', profile: 'restricted', code: pod('  containers:\n    - name: a\n      image: x\n  volumes:\n    - {name: c, configMap: {name: c}}\n    - {name: s, secret: {secretName: s}}\n    - {name: e, emptyDir: {}}\n    - {name: p, persistentVolumeClaim: {claimName: p}}\n    - {name: t, projected: {sources: []}}\n    - {name: d, downwardAPI: {items: []}}\n    - {name: i, csi: {driver: x}}\n    - {name: g, ephemeral: {volumeClaimTemplate: {spec: {}}}}\n    - {name: m, image: {reference: x}}\n') },
    { name: 'devcontainer: a workspace bind and a volume', path: '.devcontainer/devcontainer.json', code: '{\n  "mounts": ["source=${localWorkspaceFolder}/cache,target=/cache,type=bind", "source=v,target=/etc,type=volume"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose: writable (comment kept), read-only children, // and trailing slashes, long syntax, / and /run read-only stay errors',
      path: 'compose.yml',
      code: compose,
      errors: [
        { message: WRITABLE('Service "web"', '/etc', 'volumes', ETC), line: 5, column: 9, endLine: 5, endColumn: 23, fixes: [{ title: 'Mount /etc read-only', output: compose.replace('/etc:/host/etc #', '/etc:/host/etc:ro #') }] },
        { message: READ_ONLY('Service "web"', '/var/lib/kubelet/pods', 'volumes', KUBELET, ', part of /var/lib/kubelet'), line: 6, column: 9, endLine: 6, endColumn: 39, fixes: [] },
        { message: WRITABLE('Service "web"', '/proc', 'volumes', PROC), line: 7, column: 9, endLine: 7, endColumn: 30, fixes: [{ title: 'Mount /proc read-only', output: compose.replace('"//proc//:/host/proc"', '"//proc//:/host/proc:ro"') }] },
        { message: READ_ONLY('Service "web"', '/var/lib/docker/containers', 'volumes', 'Docker\'s state (every container\'s filesystem and volumes)', ', part of /var/lib/docker'), line: 8, column: 9, endLine: 11, endColumn: 24, fixes: [] },
        { message: SOCKETS_RO('Service "web"', '/', 'volumes', 'the whole host filesystem, the container runtime\'s socket included'), line: 12, column: 9, endLine: 12, endColumn: 21, fixes: [] },
        { message: SOCKETS_RO('Service "web"', '/run/dbus', 'volumes', RUN, ', part of /run'), line: 15, column: 9, endLine: 15, endColumn: 31, fixes: [] },
      ],
    },
    {
      name: 'compose: through a merge key (no fix: the anchor is shared)',
      path: 'compose.yml',
      code: 'x-mounts: &mounts\n  volumes:\n    - /sys:/sys\nservices:\n  a:\n    <<: *mounts\n    image: a\n',
      errors: [{ message: WRITABLE('Service "a"', '/sys', 'volumes', SYS), line: 3, column: 7, endLine: 3, endColumn: 16, fixes: [] }],
    },
    {
      name: 'compose baseline profile: every bind mount, relative and harmless ones included, read-only not lowered',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'services:\n  web:\n    image: x\n    volumes:\n      - ./app:/app\n      - /etc/localtime:/etc/localtime:ro\n      - /root/.ssh:/ssh:ro\n      - named:/n\nvolumes:\n  named: {}\n',
      errors: [
        { message: HOST_PATH('Service "web"', './app', 'volumes'), line: 5, column: 9, endLine: 5, endColumn: 19, fixes: [] },
        { message: HOST_PATH('Service "web"', '/etc/localtime', 'volumes'), line: 6, column: 9, endLine: 6, endColumn: 41, fixes: [] },
        {
          message: `Service "web" mounts the host path /root/.ssh read-only (volumes), part of /root: root's home on the host (SSH keys, shell profile, credentials). Everything there can still be read, and the profile allows no host path mounts, read-only or not${BASELINE}.`,
          line: 7, column: 9, endLine: 7, endColumn: 27, fixes: [],
        },
      ],
    },
    {
      name: 'kubernetes: one hostPath, two containers (writable and read-only); an unmounted sensitive one; an ordinary one',
      path: 'pod.yaml',
      code: k8s,
      errors: [
        { message: WRITABLE('Container "app" in Pod/p', '/etc', 'volumes.hostPath', ETC), line: 19, column: 7, endLine: 21, endColumn: 19, fixes: [{ title: 'Mount /etc read-only', output: k8s.replace('mountPath: /host/etc\n', 'mountPath: /host/etc\n          readOnly: true\n') }] },
        { message: READ_ONLY('Container "side" in Pod/p', '/etc', 'volumes.hostPath', ETC), line: 19, column: 7, endLine: 21, endColumn: 19, fixes: [] },
        {
          message: `Pod/p declares a hostPath volume for /var/lib/kubelet/pods (part of /var/lib/kubelet) that no container mounts: ${KUBELET}; a container added later, or an ephemeral debug container, can mount it.`,
          line: 22, column: 7, endLine: 24, endColumn: 36, fixes: [],
        },
      ],
    },
    {
      name: 'kubernetes restricted profile: every hostPath (mounted or not), and volume types outside the list',
      path: 'pod.yaml',
      profile: 'restricted',
      code: restricted,
      errors: [
        { message: HOST_PATH('Container "app" in Pod/p', '/srv/data', 'volumes.hostPath'), line: 13, column: 7, endLine: 14, endColumn: 34, fixes: [] },
        {
          message: WRITABLE('Container "app" in Pod/p', '/var/log', 'volumes.hostPath', 'the host\'s logs (a pod that can write there can plant symlinks the kubelet follows when it serves logs)', '', BASELINE),
          line: 15, column: 7, endLine: 16, endColumn: 33,
          fixes: [{ title: 'Mount /var/log read-only', output: restricted.replace('{name: logs, mountPath: /l}', '{name: logs, mountPath: /l, readOnly: true}') }],
        },
        { message: `Pod/p declares a hostPath volume for /opt/x: the profile allows no hostPath volumes, mounted or not${BASELINE}.`, line: 17, column: 7, endLine: 18, endColumn: 31, fixes: [] },
        {
          message: 'Pod/p uses a volume of type nfs: the profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes (Pod Security Standards restricted: Volume Types, control restrictedVolumes).',
          line: 19, column: 7, endLine: 20, endColumn: 32, fixes: [],
        },
      ],
    },
    {
      name: 'devcontainer: mount string read-only (comment kept), object (no read-only field), -v, --mount of a child',
      path: '.devcontainer/devcontainer.json',
      code: dev,
      errors: [
        { message: READ_ONLY('Devcontainer', '/home', 'mounts', 'the users\' homes on the host (SSH keys, shell profiles, credentials)'), line: 4, column: 5, endLine: 4, endColumn: 48, fixes: [] },
        { message: WRITABLE('Devcontainer', '/etc', 'mounts', ETC), line: 5, column: 5, endLine: 5, endColumn: 58, fixes: [] },
        { message: WRITABLE('Devcontainer', '/proc', 'runArgs', PROC), line: 7, column: 15, endLine: 7, endColumn: 31, fixes: [{ title: 'Mount /proc read-only', output: dev.replace('"/proc:/p"', '"/proc:/p:ro"') }] },
        {
          message: WRITABLE('Devcontainer', '/sys/fs/cgroup', 'runArgs', SYS, ', part of /sys'),
          line: 7, column: 33, endLine: 7, endColumn: 87,
          fixes: [{ title: 'Mount /sys/fs/cgroup read-only', output: dev.replace('target=/c"', 'target=/c,readonly"') }],
        },
      ],
    },
  ],
});

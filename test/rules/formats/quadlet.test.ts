/**
 * Every rule that reads Quadlet units, over Quadlet units: the native keys, PodmanArgs= in its
 * spellings, repeated and cleared keys, continuation lines and comments, and the fixes in the
 * unit's own style.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../../../server/src/engine';
import type { Rule } from '../../../server/src/engine/rule';
import { RuleTester } from '../../rule-tester';
import type { InvalidCase, ValidCase } from '../../rule-tester';

const unit = (body: string) => `[Unit]\nDescription=x\n\n[Container]\nImage=docker.io/library/nginx\n${body}\n[Install]\nWantedBy=default.target\n`;

const cases: Record<string, { valid: ValidCase[]; invalid: InvalidCase[] }> = {
  'no-privileged': {
    valid: [
      { name: 'quadlet: --privileged=false, and privileged words in Exec= and comments', path: 'a.container', code: '[Container]\nImage=x\n# PodmanArgs=--privileged\nPodmanArgs=--privileged=false\nExec=--privileged\n' },
      { name: 'quadlet: a cleared PodmanArgs list', path: 'a.container', code: '[Container]\nImage=x\nPodmanArgs=--privileged\nPodmanArgs=\n' },
      { name: 'quadlet: a [Service] section is not the container', path: 'a.container', code: '[Container]\nImage=x\n[Service]\nPodmanArgs=--privileged\n' },
    ],
    invalid: [
      {
        name: 'quadlet: --privileged alone in PodmanArgs (the entry goes)',
        path: 'web.container',
        code: unit('PodmanArgs=--privileged\n'),
        errors: [{ message: 'Unit web.container runs privileged', line: 6, column: 12, endLine: 6, endColumn: 24, fixes: [
          { kind: 'suggestion', title: 'Remove --privileged from PodmanArgs', output: unit('') },
          { kind: 'suggestion', title: 'Replace --privileged with least privilege (DropCapability=all, NoNewPrivileges=true)', output: unit('DropCapability=all\nNoNewPrivileges=true\n') },
        ] }],
      },
      {
        name: 'quadlet: --privileged=true on a continuation line, replaced with AddCapability=/AddDevice= from the image',
        path: 'vpn.container',
        code: '[Container]\nImage=docker.io/qmcgaw/gluetun\n# needs the tun device\nPodmanArgs=--rm \\\n  --privileged=true \\\n  --env TZ=UTC\n',
        errors: [{
          message: 'Unit vpn.container runs privileged',
          line: 5, column: 3, endLine: 5, endColumn: 20,
          fixes: [
            { kind: 'safe', title: 'Replace --privileged with AddCapability=NET_ADMIN and AddDevice=/dev/net/tun (docker.io/qmcgaw/gluetun image)', output: '[Container]\nImage=docker.io/qmcgaw/gluetun\n# needs the tun device\nPodmanArgs=--rm \\\n  --env TZ=UTC\nAddCapability=CAP_NET_ADMIN\nAddDevice=/dev/net/tun\n' },
            { kind: 'suggestion', title: 'Replace --privileged with least privilege (DropCapability=all, NoNewPrivileges=true)', output: '[Container]\nImage=docker.io/qmcgaw/gluetun\n# needs the tun device\nPodmanArgs=--rm \\\n  --env TZ=UTC\nDropCapability=all\nNoNewPrivileges=true\n' },
            { kind: 'suggestion', title: 'Remove --privileged=true from PodmanArgs', output: '[Container]\nImage=docker.io/qmcgaw/gluetun\n# needs the tun device\nPodmanArgs=--rm \\\n  --env TZ=UTC\n' },
          ],
        }],
      },
      {
        name: 'quadlet: a quoted "--privileged" after a false one, among other words',
        path: 'a.container',
        code: '[Container]\nImage=x\nPodmanArgs=--privileged=false\nPodmanArgs=--rm "--privileged"\n',
        errors: [{ message: 'Unit a.container runs privileged', line: 4, column: 17, endLine: 4, endColumn: 31, fixes: [
          { kind: 'suggestion', title: 'Remove --privileged from PodmanArgs', output: '[Container]\nImage=x\nPodmanArgs=--privileged=false\nPodmanArgs=--rm\n' },
          { kind: 'suggestion', title: 'Replace --privileged with least privilege (DropCapability=all, NoNewPrivileges=true)', output: '[Container]\nImage=x\nPodmanArgs=--privileged=false\nPodmanArgs=--rm\nDropCapability=all\nNoNewPrivileges=true\n' },
        ] }],
      },
    ],
  },
  'no-risky-capabilities': {
    valid: [{ name: 'quadlet: low-risk capabilities, and a risky one cleared by an empty AddCapability=', path: 'a.container', code: '[Container]\nImage=x\nAddCapability=CAP_SYS_ADMIN\nAddCapability=\nAddCapability=CAP_NET_BIND_SERVICE CHOWN\n' }],
    invalid: [{
      name: 'quadlet: AddCapability=all, a PodmanArgs list item and a two-word --cap-add',
      path: 'a.container',
      code: '[Container]\nImage=x\nAddCapability=CAP_CHOWN all\nPodmanArgs=--cap-add=NET_ADMIN,CHOWN --cap-add sys_module\n',
      errors: [
        { message: 'Unit a.container adds ALL capabilities (critical)', line: 3, column: 25, endLine: 3, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Remove all from AddCapability=', output: '[Container]\nImage=x\nAddCapability=CAP_CHOWN\nPodmanArgs=--cap-add=NET_ADMIN,CHOWN --cap-add sys_module\n' }] },
        { message: 'Unit a.container adds NET_ADMIN (high)', line: 4, column: 12, endLine: 4, endColumn: 37, fixes: [{ kind: 'suggestion', title: 'Remove NET_ADMIN from --cap-add=NET_ADMIN,CHOWN in PodmanArgs', output: '[Container]\nImage=x\nAddCapability=CAP_CHOWN all\nPodmanArgs=--cap-add=CHOWN --cap-add sys_module\n' }] },
        { message: 'Unit a.container adds SYS_MODULE (critical)', line: 4, column: 38, endLine: 4, endColumn: 58, fixes: [{ kind: 'suggestion', title: 'Remove --cap-add sys_module from PodmanArgs', output: '[Container]\nImage=x\nAddCapability=CAP_CHOWN all\nPodmanArgs=--cap-add=NET_ADMIN,CHOWN\n' }] },
      ],
    }],
  },
  'require-no-new-privileges': {
    valid: [{ name: 'quadlet: NoNewPrivileges=yes, and PodmanArgs --security-opt no-new-privileges', path: 'a.container', code: '[Container]\nImage=x\nNoNewPrivileges=yes\n' }, { name: 'quadlet: no-new-privileges in PodmanArgs', path: 'b.container', code: '[Container]\nImage=x\nPodmanArgs=--security-opt no-new-privileges\n' }],
    invalid: [
      { name: 'quadlet: missing (inserted after the last entry; comment kept)', path: 'a.container', code: '[Container]\nImage=x\n; comment\nUser=1000\n', errors: [{ message: 'Unit a.container does not set no-new-privileges', line: 1, column: 1, endLine: 1, endColumn: 12, fixes: [{ kind: 'safe', title: 'Add NoNewPrivileges=true', output: '[Container]\nImage=x\n; comment\nUser=1000\nNoNewPrivileges=true\n' }] }] },
      { name: 'quadlet: NoNewPrivileges=no with CRLF', path: 'a.container', code: '[Container]\r\nImage=x\r\nNoNewPrivileges=no\r\n', errors: [{ message: 'Unit a.container turns no-new-privileges off (NoNewPrivileges)', line: 3, column: 1, endLine: 3, endColumn: 19, fixes: [{ kind: 'suggestion', title: 'Set NoNewPrivileges=true', output: '[Container]\r\nImage=x\r\nNoNewPrivileges=true\r\n' }] }] },
      { name: 'quadlet: PodmanArgs comes last and turns it off again', path: 'a.container', code: '[Container]\nImage=x\nNoNewPrivileges=true\nPodmanArgs=--security-opt=no-new-privileges=false\n', errors: [{ message: 'Unit a.container turns no-new-privileges off (PodmanArgs)', line: 4, column: 12, endLine: 4, endColumn: 50, fixes: [{ kind: 'suggestion', title: 'Set no-new-privileges=true in PodmanArgs', output: '[Container]\nImage=x\nNoNewPrivileges=true\nPodmanArgs=--security-opt=no-new-privileges=true\n' }] }] },
    ],
  },
  'require-drop-all-capabilities': {
    valid: [{ name: 'quadlet: DropCapability=all', path: 'a.container', code: '[Container]\nImage=x\nDropCapability=all\nAddCapability=CAP_NET_BIND_SERVICE\n' }],
    invalid: [{ name: 'quadlet: only NET_RAW dropped', path: 'a.container', code: '[Container]\nImage=x\nDropCapability=CAP_NET_RAW\n', errors: [{ message: 'Unit a.container drops CAP_NET_RAW but not ALL capabilities', line: 1, column: 1, endLine: 1, endColumn: 12, fixes: [{ kind: 'suggestion', title: 'Add DropCapability=all', output: '[Container]\nImage=x\nDropCapability=CAP_NET_RAW\nDropCapability=all\n' }] }] }],
  },
  'no-root-user': {
    valid: [{ name: 'quadlet: a numeric user; no User= under the default profile', path: 'a.container', code: '[Container]\nImage=x\nUser=1000\nGroup=1000\n' }, { name: 'quadlet: no User=', path: 'b.container', code: '[Container]\nImage=x\n' }],
    invalid: [
      { name: 'quadlet: User=root', path: 'a.container', code: '[Container]\nImage=x\nUser=root\nGroup=1000\n', errors: [{ message: 'Unit a.container runs as root (User=root)', detail: /runc CVE-2019-5736/, line: 3, column: 1, endLine: 3, endColumn: 10, fixes: [{ kind: 'suggestion', title: 'Set User=10001', output: '[Container]\nImage=x\nUser=10001\nGroup=1000\n' }] }] },
      { name: 'quadlet: -u 0 in PodmanArgs wins over User=', path: 'a.container', code: '[Container]\nImage=x\nUser=1000\nPodmanArgs=-u 0\n', errors: [{ message: 'Unit a.container runs as root (PodmanArgs --user 0)', line: 4, column: 12, endLine: 4, endColumn: 16, fixes: [{ kind: 'suggestion', title: 'Set --user 10001 in PodmanArgs', output: '[Container]\nImage=x\nUser=1000\nPodmanArgs=-u 10001\n' }] }] },
      { name: 'quadlet: no User= under restricted', path: 'a.container', profile: 'restricted', code: '[Container]\nImage=x\n', errors: [{ message: 'Unit a.container sets no User=: its image\'s user applies, often root (restricted profile)', line: 1, column: 1, endLine: 1, endColumn: 12, fixes: [{ kind: 'suggestion', title: 'Add User=10001', output: '[Container]\nImage=x\nUser=10001\n' }] }] },
    ],
  },
  'no-host-namespaces': {
    valid: [{ name: 'quadlet: a .network unit network, private user namespace', path: 'a.container', code: '[Container]\nImage=x\nNetwork=mynet.network\nUserNS=auto\nPodmanArgs=--pid=private\n' }],
    invalid: [
      {
        name: 'quadlet: Network=host among networks, UserNS=host, --ipc host in PodmanArgs',
        path: 'a.container',
        code: '[Container]\nImage=x\nNetwork=mynet.network\nNetwork=host\nUserNS=host\nPodmanArgs=--ipc host\n',
        errors: [
          { message: 'Unit a.container uses the host\'s network stack (Network=host)', line: 4, column: 1, endLine: 4, endColumn: 13, fixes: [{ kind: 'suggestion', title: 'Remove Network=host', output: '[Container]\nImage=x\nNetwork=mynet.network\nUserNS=host\nPodmanArgs=--ipc host\n' }] },
          { message: 'Unit a.container opts out of user-namespace remapping (UserNS=host)', line: 5, column: 1, endLine: 5, endColumn: 12, fixes: [{ kind: 'suggestion', title: 'Remove UserNS=host', output: '[Container]\nImage=x\nNetwork=mynet.network\nNetwork=host\nPodmanArgs=--ipc host\n' }] },
          { message: 'Unit a.container shares the host\'s IPC namespace (--ipc=host in PodmanArgs)', line: 6, column: 12, endLine: 6, endColumn: 22, fixes: [{ kind: 'suggestion', title: 'Remove --ipc host from PodmanArgs', output: '[Container]\nImage=x\nNetwork=mynet.network\nNetwork=host\nUserNS=host\n' }] },
        ],
      },
      {
        name: 'quadlet: a .pod unit on the host network, removed where written (a suggestion: the pod\'s containers may need it)',
        path: 'a.pod',
        code: '[Pod]\nNetwork=host\nPodmanArgs=--pid=host\n',
        errors: [
          { message: 'Unit a.pod uses the host\'s network stack (Network=host)', line: 2, column: 1, endLine: 2, endColumn: 13, fixes: [{ title: 'Remove Network=host', kind: 'suggestion', output: '[Pod]\nPodmanArgs=--pid=host\n' }] },
          { message: 'Unit a.pod shares the host\'s PID namespace (--pid=host in PodmanArgs)', line: 3, column: 12, endLine: 3, endColumn: 22, fixes: [{ title: 'Remove --pid=host from PodmanArgs', kind: 'suggestion', output: '[Pod]\nNetwork=host\n' }] },
        ],
      },
      {
        name: 'quadlet: a .pod unit: UserNS=host and one flag of several in PodmanArgs, comments kept',
        path: 'web.pod',
        code: '[Pod]\nPodName=web\n# shares the host\nUserNS=host\nPodmanArgs=--infra-name=w --ipc host # legacy\n',
        errors: [
          { message: 'Unit web.pod opts out of user-namespace remapping (UserNS=host)', line: 4, column: 1, endLine: 4, endColumn: 12, fixes: [{ title: 'Remove UserNS=host', kind: 'suggestion', output: '[Pod]\nPodName=web\n# shares the host\nPodmanArgs=--infra-name=w --ipc host # legacy\n' }] },
          { message: 'Unit web.pod shares the host\'s IPC namespace (--ipc=host in PodmanArgs)', line: 5, column: 27, endLine: 5, endColumn: 37, fixes: [{ title: 'Remove --ipc host from PodmanArgs', kind: 'suggestion', output: '[Pod]\nPodName=web\n# shares the host\nUserNS=host\nPodmanArgs=--infra-name=w # legacy\n' }] },
        ],
      },
      {
        name: 'quadlet: a .build unit whose RUN steps use the host network',
        path: 'img.build',
        code: '[Build]\nImageTag=localhost/img\nNetwork=host\n',
        errors: [
          { message: 'Unit img.build uses the host\'s network stack (Network=host)', line: 3, column: 1, endLine: 3, endColumn: 13, fixes: [{ title: 'Remove Network=host', kind: 'suggestion', output: '[Build]\nImageTag=localhost/img\n' }] },
        ],
      },
      {
        name: 'quadlet: a .kube unit on the host network, CRLF kept',
        path: 'app.kube',
        code: '[Kube]\r\nYaml=app.yaml\r\nNetwork=host\r\n',
        errors: [
          { message: 'Unit app.kube uses the host\'s network stack (Network=host)', line: 3, column: 1, endLine: 3, endColumn: 13, fixes: [{ title: 'Remove Network=host', kind: 'suggestion', output: '[Kube]\r\nYaml=app.yaml\r\n' }] },
        ],
      },
    ],
  },
  'no-runtime-socket': {
    valid: [
      { name: 'quadlet: a named volume and a .volume unit at the socket path', path: 'a.container', code: '[Container]\nImage=x\nVolume=sock.volume:/var/run/docker.sock\nVolume=data:/data\n' },
      { name: 'quadlet: a .pod unit with a .volume unit at the socket path, and a socket in a [Service] section', path: 'web.pod', code: '[Pod]\nVolume=sock.volume:/var/run/docker.sock\n[Service]\nVolume=/var/run/docker.sock:/var/run/docker.sock\n' },
      {
        name: 'quadlet: a container in a pod that mounts the socket: reported in the pod file, not again here',
        path: '/srv/units/app.container',
        files: { '/srv/units/web.pod': '[Pod]\nVolume=/var/run/docker.sock:/var/run/docker.sock\n' },
        code: '[Container]\nImage=x\nPod=web.pod\n',
      },
    ],
    invalid: [{
      name: 'quadlet: a .pod unit\'s Volume= and PodmanArgs -v reach every container of the pod (removal is a suggestion)',
      path: 'web.pod',
      code: '[Pod]\nPodName=web\n# the agent talks to the engine\nVolume=/var/run/docker.sock:/var/run/docker.sock:ro\nPodmanArgs=--infra-name=w -v /run/podman/podman.sock:/run/podman.sock\n',
      errors: [
        { message: 'Unit web.pod mounts the Docker socket /var/run/docker.sock read-only: still root on the host', line: 4, column: 1, endLine: 4, endColumn: 52, fixes: [{ kind: 'suggestion', title: 'Remove Volume=/var/run/docker.sock:/var/run/docker.sock:ro', output: '[Pod]\nPodName=web\n# the agent talks to the engine\nPodmanArgs=--infra-name=w -v /run/podman/podman.sock:/run/podman.sock\n' }] },
        { message: 'Unit web.pod mounts the Podman socket /run/podman/podman.sock (root on the host)', line: 5, column: 27, endLine: 5, endColumn: 70, fixes: [{ kind: 'suggestion', title: 'Remove -v /run/podman/podman.sock:/run/podman.sock from PodmanArgs', output: '[Pod]\nPodName=web\n# the agent talks to the engine\nVolume=/var/run/docker.sock:/var/run/docker.sock:ro\nPodmanArgs=--infra-name=w\n' }] },
      ],
    }, {
      name: 'quadlet: a .pod unit names the containers of its folder that join it (Pod=)',
      path: '/srv/units/web.pod',
      files: {
        '/srv/units/app.container': '[Container]\nImage=x\nPod=web.pod\n',
        '/srv/units/db.container': '[Container]\nImage=y\nPod="web.pod"\n',
        '/srv/units/cache.container': '[Container]\nImage=z\nPod=other.pod\n',
        '/srv/units/old/x.container': '[Container]\nImage=z\nPod=web.pod\n',
      },
      code: '[Pod]\nVolume=/var/run/docker.sock:/var/run/docker.sock\n',
      errors: [
        { message: 'Unit web.pod (pod of app.container and db.container) mounts the Docker socket /var/run/docker.sock (root on the host)', line: 2, column: 1, endLine: 2, endColumn: 49, fixes: [{ kind: 'suggestion', title: 'Remove Volume=/var/run/docker.sock:/var/run/docker.sock', output: '[Pod]\n' }] },
      ],
    }, {
      name: 'quadlet: a .build unit\'s Volume= reaches every RUN step',
      path: 'img.build',
      code: '[Build]\nImageTag=localhost/img\nVolume=/var/run/docker.sock:/var/run/docker.sock\n',
      errors: [
        { message: 'Unit img.build mounts the Docker socket /var/run/docker.sock (root on the host)', line: 3, column: 1, endLine: 3, endColumn: 49, fixes: [{ kind: 'suggestion', title: 'Remove Volume=/var/run/docker.sock:/var/run/docker.sock', output: '[Build]\nImageTag=localhost/img\n' }] },
      ],
    }, {
      name: 'quadlet: Volume=, Mount= (read-only) and -v in PodmanArgs',
      path: 'a.container',
      code: '[Container]\nImage=x\nVolume=/run/podman/podman.sock:/var/run/docker.sock\nMount=type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock,readonly\nPodmanArgs=-v /var/run/docker.sock:/var/run/docker.sock\n',
      errors: [
        { message: 'Unit a.container mounts the Podman socket /run/podman/podman.sock (root on the host)', line: 3, column: 1, endLine: 3, endColumn: 52, fixes: [{ kind: 'suggestion', title: 'Remove Volume=/run/podman/podman.sock:/var/run/docker.sock', output: '[Container]\nImage=x\nMount=type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock,readonly\nPodmanArgs=-v /var/run/docker.sock:/var/run/docker.sock\n' }] },
        { message: 'Unit a.container mounts the Docker socket /var/run/docker.sock read-only: still root on the host', line: 4, column: 1, endLine: 4, endColumn: 81, fixes: [{ kind: 'suggestion', title: 'Remove Mount=type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock,readonly', output: '[Container]\nImage=x\nVolume=/run/podman/podman.sock:/var/run/docker.sock\nPodmanArgs=-v /var/run/docker.sock:/var/run/docker.sock\n' }] },
        { message: 'Unit a.container mounts the Docker socket /var/run/docker.sock (root on the host)', line: 5, column: 12, endLine: 5, endColumn: 56, fixes: [{ kind: 'suggestion', title: 'Remove -v /var/run/docker.sock:/var/run/docker.sock from PodmanArgs', output: '[Container]\nImage=x\nVolume=/run/podman/podman.sock:/var/run/docker.sock\nMount=type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock,readonly\n' }] },
      ],
    }],
  },
  'no-sensitive-host-mounts': {
    valid: [
      { name: 'quadlet: named, .volume and relative volumes', path: 'a.container', code: '[Container]\nImage=x\nVolume=data.volume:/data\nVolume=./conf:/conf\nVolume=%h/data:/data\n' },
      { name: 'quadlet: a .pod unit with named, relative and application volumes, and a cleared list', path: 'web.pod', code: '[Pod]\nVolume=/:/host\nVolume=\nVolume=data.volume:/data\nVolume=./conf:/conf\nVolume=/srv/web:/srv\n' },
    ],
    invalid: [{
      name: 'quadlet: a .pod unit mounting /etc and /proc (made read-only where written, comments kept)',
      path: 'web.pod',
      code: '[Pod]\n# config\nVolume=/etc:/host/etc\nVolume=/proc:/host/proc:z\n',
      errors: [
        { message: 'Unit web.pod mounts /etc, the host\'s whole configuration', line: 3, column: 1, endLine: 3, endColumn: 22, fixes: [{ kind: 'suggestion', title: 'Mount /etc read-only', output: '[Pod]\n# config\nVolume=/etc:/host/etc:ro\nVolume=/proc:/host/proc:z\n' }] },
        { message: 'Unit web.pod mounts /proc, the host\'s processes and kernel settings', line: 4, column: 1, endLine: 4, endColumn: 26, fixes: [{ kind: 'suggestion', title: 'Mount /proc read-only', output: '[Pod]\n# config\nVolume=/etc:/host/etc\nVolume=/proc:/host/proc:z,ro\n' }] },
      ],
    }, {
      name: 'quadlet: / and /etc with an SELinux option (made read-only in the Volume= syntax)',
      path: 'a.container',
      code: '[Container]\nImage=x\nVolume=/:/host\nVolume=/etc:/etc2:z\n',
      errors: [
        { message: 'Unit a.container mounts /, the host\'s whole filesystem', line: 3, column: 1, endLine: 3, endColumn: 15, fixes: [{ kind: 'suggestion', title: 'Mount / read-only', output: '[Container]\nImage=x\nVolume=/:/host:ro\nVolume=/etc:/etc2:z\n' }] },
        { message: 'Unit a.container mounts /etc, the host\'s whole configuration', line: 4, column: 1, endLine: 4, endColumn: 20, fixes: [{ kind: 'suggestion', title: 'Mount /etc read-only', output: '[Container]\nImage=x\nVolume=/:/host\nVolume=/etc:/etc2:z,ro\n' }] },
      ],
    }],
  },
  'no-host-devices': {
    valid: [
      { name: 'quadlet: one device', path: 'a.container', code: '[Container]\nImage=x\nAddDevice=/dev/ttyUSB0\nAddDevice=-/dev/dri/renderD128\n' },
      { name: 'quadlet: a .pod unit mounting one device node', path: 'web.pod', code: '[Pod]\nVolume=/dev/ttyUSB0:/dev/ttyUSB0\n' },
    ],
    invalid: [{
      name: 'quadlet: a .pod unit mounting the whole /dev (no fix, as for a container)',
      path: 'web.pod',
      code: '[Pod]\nVolume=/dev:/dev\n',
      errors: [{ message: 'Unit web.pod mounts the host\'s whole /dev (Volume)', line: 2, column: 1, endLine: 2, endColumn: 17, fixes: [] }],
    }, {
      name: 'quadlet: AddDevice=-/dev and a wildcard device cgroup rule',
      path: 'a.container',
      code: '[Container]\nImage=x\nAddDevice=/dev/ttyUSB0\nAddDevice=-/dev\nPodmanArgs=--device-cgroup-rule="a *:* rwm"\n',
      errors: [
        { message: 'Unit a.container passes the host\'s whole /dev as a device (AddDevice)', line: 4, column: 1, endLine: 4, endColumn: 16, fixes: [{ kind: 'suggestion', title: 'Remove AddDevice=-/dev', output: '[Container]\nImage=x\nAddDevice=/dev/ttyUSB0\nPodmanArgs=--device-cgroup-rule="a *:* rwm"\n' }] },
        { message: 'Unit a.container allows every device in the device cgroup (a *:* rwm)', line: 5, column: 12, endLine: 5, endColumn: 44, fixes: [{ kind: 'suggestion', title: 'Remove --device-cgroup-rule=a *:* rwm from PodmanArgs', output: '[Container]\nImage=x\nAddDevice=/dev/ttyUSB0\nAddDevice=-/dev\n' }] },
      ],
    }],
  },
  'no-unconfined-seccomp': {
    valid: [{ name: 'quadlet: a profile file', path: 'a.container', code: '[Container]\nImage=x\nSeccompProfile=/etc/containers/seccomp.json\n' }],
    invalid: [{ name: 'quadlet: SeccompProfile=unconfined', path: 'a.container', code: '[Container]\nImage=x\nSeccompProfile=unconfined\n', errors: [{ message: 'Unit a.container runs without seccomp (seccomp=unconfined in SeccompProfile)', line: 3, column: 1, endLine: 3, endColumn: 26, fixes: [{ kind: 'suggestion', title: 'Remove SeccompProfile=unconfined (the default seccomp profile then applies)', output: '[Container]\nImage=x\n' }] }] }],
  },
  'no-unconfined-apparmor': {
    valid: [{ name: 'quadlet: a named AppArmor profile', path: 'a.container', code: '[Container]\nImage=x\nAppArmor=my-profile\n' }],
    invalid: [{ name: 'quadlet: PodmanArgs --security-opt apparmor=unconfined comes after AppArmor=', path: 'a.container', code: '[Container]\nImage=x\nAppArmor=my-profile\nPodmanArgs=--security-opt apparmor=unconfined\n', errors: [{ message: 'Unit a.container runs without AppArmor (apparmor=unconfined in PodmanArgs)', line: 4, column: 12, endLine: 4, endColumn: 46, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt apparmor=unconfined from PodmanArgs (the default AppArmor profile then applies)', output: '[Container]\nImage=x\nAppArmor=my-profile\n' }] }] }],
  },
  'no-disabled-selinux': {
    valid: [{ name: 'quadlet: SecurityLabelDisable=false and a confined type', path: 'a.container', code: '[Container]\nImage=x\nSecurityLabelDisable=false\nSecurityLabelType=container_t\n' }],
    invalid: [
      { name: 'quadlet: SecurityLabelType=spc_t', path: 'a.container', code: '[Container]\nImage=x\nSecurityLabelType=spc_t\n', errors: [{ message: 'Unit a.container sets the unconfined SELinux type spc_t', line: 3, column: 1, endLine: 3, endColumn: 24, fixes: [{ kind: 'suggestion', title: 'Remove SecurityLabelType=spc_t', output: '[Container]\nImage=x\n' }] }] },
      { name: 'quadlet: SecurityLabelDisable=yes wins over a type', path: 'a.container', code: '[Container]\nImage=x\nSecurityLabelDisable=yes\nSecurityLabelType=container_t\n', errors: [{ message: 'Unit a.container turns SELinux separation off (label=disable in SecurityLabelDisable)', line: 3, column: 1, endLine: 3, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove SecurityLabelDisable=yes', output: '[Container]\nImage=x\nSecurityLabelType=container_t\n' }] }] },
    ],
  },
  'no-unmasked-paths': {
    valid: [{ name: 'quadlet: Mask= adds masks', path: 'a.container', code: '[Container]\nImage=x\nMask=/proc/acpi:/sys/firmware\n' }],
    invalid: [{
      name: 'quadlet: Unmask= paths and systempaths=unconfined in PodmanArgs',
      path: 'a.container',
      code: '[Container]\nImage=x\nUnmask=/proc/*\nPodmanArgs=--security-opt=systempaths=unconfined\n',
      errors: [
        { message: 'Unit a.container unmasks /proc and /sys (Unmask=/proc/*)', line: 3, column: 1, endLine: 3, endColumn: 15, fixes: [{ kind: 'suggestion', title: 'Remove Unmask=/proc/*', output: '[Container]\nImage=x\nPodmanArgs=--security-opt=systempaths=unconfined\n' }] },
        { message: 'Unit a.container unmasks /proc and /sys (systempaths=unconfined in PodmanArgs)', line: 4, column: 12, endLine: 4, endColumn: 49, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt=systempaths=unconfined from PodmanArgs', output: '[Container]\nImage=x\nUnmask=/proc/*\n' }] },
      ],
    }],
  },
  'require-read-only-root-filesystem': {
    valid: [{ name: 'quadlet: ReadOnly=true', path: 'a.container', profile: 'restricted', code: '[Container]\nImage=x\nReadOnly=true\n' }],
    invalid: [
      { name: 'quadlet: ReadOnly=false', path: 'a.container', profile: 'restricted', code: '[Container]\nImage=x\nReadOnly=false\n', errors: [{ message: 'Unit a.container sets ReadOnly=false', line: 3, column: 1, endLine: 3, endColumn: 15, fixes: [{ kind: 'suggestion', title: 'Set ReadOnly=true', output: '[Container]\nImage=x\nReadOnly=true\n' }] }] },
      { name: 'quadlet: missing under restricted', path: 'a.container', profile: 'restricted', code: '[Container]\nImage=x\n', errors: [{ message: 'Unit a.container does not make its root filesystem read-only', line: 1, column: 1, endLine: 1, endColumn: 12, fixes: [{ kind: 'suggestion', title: 'Add ReadOnly=true', output: '[Container]\nImage=x\nReadOnly=true\n' }] }] },
    ],
  },
};

for (const [id, tests] of Object.entries(cases)) {
  const rule = rules.find((r) => r.id === id) as Rule | undefined;
  if (!rule) throw new Error(`no rule ${id}`);
  new RuleTester().run(rule, tests, { kinds: ['quadlet'] });
}

describe('quadlet rule coverage', () => {
  it('every rule that reads Quadlet units has cases here', () => {
    assert.deepEqual(rules.filter((r) => r.meta.kinds.includes('quadlet')).map((r) => r.id).sort(), Object.keys(cases).sort());
  });
});

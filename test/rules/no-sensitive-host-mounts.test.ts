import rule from '../../server/src/engine/rules/no-sensitive-host-mounts';
import { RuleTester } from '../rule-tester';

const ETC = 'the host\'s whole configuration';
const PROC = 'the host\'s processes and kernel settings';
const SYS = 'the host\'s kernel and device settings';
const KUBELET = 'the kubelet\'s state';
const BASELINE = ' (PSS baseline: HostPath Volumes)';
const WRITABLE = (l: string, path: string, _field: string, what: string, pss = '') => `${l} mounts ${path}, ${what}${pss}`;
const READ_ONLY = (l: string, path: string, _field: string, what: string, pss = '') => `${l} mounts ${path} read-only, ${what}${pss}`;
const SOCKETS_RO = (l: string, path: string, _field: string, what: string) => `${l} mounts ${path} read-only, ${what}`;
const HOST_PATH = (l: string, path: string, _field: string, pss = ' (baseline profile)') => `${l} mounts the host path ${path}${pss}`;
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
    {
      name: 'compose: an application\'s own directory under /etc, application data under /usr/share and /opt, a project in a home (issue #12)',
      path: 'compose.yml',
      code: 'services:\n  pihole:\n    image: pihole/pihole\n    volumes:\n      - "/etc/pihole/:/etc/pihole/"\n      - /etc/dnsmasq.d/:/etc/dnsmasq.d/\n  wireguard:\n    image: linuxserver/wireguard\n    volumes:\n      - /usr/share/appdata/wireguard/config:/config\n      - /opt/gitea/data:/data\n      - /home/ana/projects/site:/srv\n',
    },
    {
      name: 'benign files at any mode: the iptables lock, the time zone; read-only reads that are harmless (passwd, group, modules, CA certificates, kernel headers)',
      path: 'compose.yml',
      code: 'services:\n  agent:\n    image: x\n    volumes:\n      - /run/xtables.lock:/run/xtables.lock\n      - /var/run/xtables.lock:/x.lock\n      - /etc/localtime:/etc/localtime\n      - /etc/timezone:/etc/timezone\n      - /etc/passwd:/host/etc/passwd:ro\n      - /etc/group:/host/etc/group:ro\n      - /lib/modules:/lib/modules:ro\n      - /etc/ssl/certs:/etc/ssl/certs:ro\n      - /usr/src:/usr/src:ro\n      - /usr/lib:/host/usr/lib:ro\n',
    },
    {
      name: 'kubernetes: the kube-router / flannel xtables lock hostPath',
      path: 'ds.yaml',
      code: pod('  containers:\n    - name: a\n      image: x\n      volumeMounts: [{name: lock, mountPath: /run/xtables.lock}]\n  volumes:\n    - name: lock\n      hostPath: {path: /run/xtables.lock, type: FileOrCreate}\n'),
    },
    {
      name: 'device passthrough by bind mount is left alone (tun, a serial adapter, GPU render nodes)',
      path: 'compose.yml',
      code: 'services:\n  vpn:\n    image: x\n    volumes: [/dev/net/tun:/dev/net/tun, /dev/ttyUSB0:/dev/ttyUSB0, /dev/dri:/dev/dri]\n',
    },
  ],
  invalid: [
    {
      name: 'compose: writable (comment kept), read-only children, // and trailing slashes, long syntax, / and /run read-only stay errors',
      path: 'compose.yml',
      code: compose,
      errors: [
        { message: WRITABLE('Service "web"', '/etc', 'volumes', ETC), severity: 'error', detail: /^\/etc is mounted writable \(volumes\)\. It holds passwd, shadow, sudoers, cron, systemd units and kubelet credentials/, line: 5, column: 9, endLine: 5, endColumn: 23, fixes: [{ kind: 'suggestion', title: 'Mount /etc read-only', output: compose.replace('/etc:/host/etc #', '/etc:/host/etc:ro #') }] },
        { message: READ_ONLY('Service "web"', '/var/lib/kubelet/pods', 'volumes', `part of ${KUBELET}`), severity: 'warning', line: 6, column: 9, endLine: 6, endColumn: 39, fixes: [] },
        { message: WRITABLE('Service "web"', '/proc', 'volumes', PROC), line: 7, column: 9, endLine: 7, endColumn: 30, fixes: [{ kind: 'suggestion', title: 'Mount /proc read-only', output: compose.replace('"//proc//:/host/proc"', '"//proc//:/host/proc:ro"') }] },
        { message: READ_ONLY('Service "web"', '/var/lib/docker/containers', 'volumes', 'Docker\'s container files'), line: 8, column: 9, endLine: 11, endColumn: 24, fixes: [] },
        { message: SOCKETS_RO('Service "web"', '/', 'volumes', 'the host\'s whole filesystem'), severity: 'error', line: 12, column: 9, endLine: 12, endColumn: 21, fixes: [] },
        { message: SOCKETS_RO('Service "web"', '/run/dbus', 'volumes', 'the host\'s D-Bus system bus'), line: 15, column: 9, endLine: 15, endColumn: 31, fixes: [] },
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
          message: `Service "web" mounts /root/.ssh read-only, root's .ssh (baseline profile)`, severity: 'error',
          line: 7, column: 9, endLine: 7, endColumn: 27, fixes: [],
        },
      ],
    },
    {
      name: 'kubernetes: one hostPath, two containers (writable and read-only); an unmounted sensitive one; an ordinary one',
      path: 'pod.yaml',
      code: k8s,
      errors: [
        { message: WRITABLE('Container "app" in Pod/p', '/etc', 'volumes.hostPath', ETC), line: 19, column: 7, endLine: 21, endColumn: 19, fixes: [{ kind: 'suggestion', title: 'Mount /etc read-only', output: k8s.replace('mountPath: /host/etc\n', 'mountPath: /host/etc\n          readOnly: true\n') }] },
        { message: READ_ONLY('Container "side" in Pod/p', '/etc', 'volumes.hostPath', ETC), line: 19, column: 7, endLine: 21, endColumn: 19, fixes: [] },
        {
          message: `Pod/p has an unmounted hostPath volume for /var/lib/kubelet/pods, part of ${KUBELET}`, severity: 'warning', detail: /^No container mounts it today, but a container added later, or an ephemeral debug container, can mount it\. Every pod's Secrets/,
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
        { message: HOST_PATH('Container "app" in Pod/p', '/srv/data', 'volumes.hostPath', BASELINE), line: 13, column: 7, endLine: 14, endColumn: 34, fixes: [] },
        {
          message: WRITABLE('Container "app" in Pod/p', '/var/log', 'volumes.hostPath', 'the host\'s logs', BASELINE),
          line: 15, column: 7, endLine: 16, endColumn: 33,
          fixes: [{ kind: 'suggestion', title: 'Mount /var/log read-only', output: restricted.replace('{name: logs, mountPath: /l}', '{name: logs, mountPath: /l, readOnly: true}') }],
        },
        { message: `Pod/p has a hostPath volume for /opt/x${BASELINE}`, line: 17, column: 7, endLine: 18, endColumn: 31, fixes: [] },
        {
          message: 'Pod/p uses a volume of type nfs (PSS restricted: Volume Types)',
          detail: 'The profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
          line: 19, column: 7, endLine: 20, endColumn: 32, fixes: [],
        },
      ],
    },
    {
      name: 'devcontainer: mount string read-only (comment kept), object (no read-only field), -v, --mount of a child',
      path: '.devcontainer/devcontainer.json',
      code: dev,
      errors: [
        { message: READ_ONLY('Devcontainer', '/home', 'mounts', 'every user\'s home on the host'), line: 4, column: 5, endLine: 4, endColumn: 48, fixes: [] },
        { message: WRITABLE('Devcontainer', '/etc', 'mounts', ETC), line: 5, column: 5, endLine: 5, endColumn: 58, fixes: [] },
        { message: WRITABLE('Devcontainer', '/proc', 'runArgs', PROC), line: 7, column: 15, endLine: 7, endColumn: 31, fixes: [{ kind: 'suggestion', title: 'Mount /proc read-only', output: dev.replace('"/proc:/p"', '"/proc:/p:ro"') }] },
        {
          message: WRITABLE('Devcontainer', '/sys/fs/cgroup', 'runArgs', 'the host\'s cgroup tree'),
          line: 7, column: 33, endLine: 7, endColumn: 87,
          fixes: [{ kind: 'suggestion', title: 'Mount /sys/fs/cgroup read-only', output: dev.replace('target=/c"', 'target=/c,readonly"') }],
        },
      ],
    },
    {
      name: 'exact paths under /etc: the message describes the path mounted, not its parent',
      path: 'compose.yml',
      code: 'services:\n  x:\n    image: x\n    volumes:\n      - /etc/shadow:/s:ro\n      - /etc/cron.d/backup:/c\n      - /etc/kubernetes/pki:/pki:ro\n      - /etc/cni/net.d:/etc/cni/net.d\n      - /etc/passwd:/p\n',
      errors: [
        { message: READ_ONLY('Service "x"', '/etc/shadow', 'volumes', 'the host\'s password hashes'), severity: 'warning', line: 5, column: 9, endLine: 5, endColumn: 26, fixes: [] },
        { message: WRITABLE('Service "x"', '/etc/cron.d/backup', 'volumes', 'part of the host\'s cron jobs'), severity: 'error', detail: '/etc/cron.d/backup is mounted writable (volumes). Writable, a job added there runs as root on the host.', line: 6, column: 9, endLine: 6, endColumn: 30, fixes: [{ kind: 'suggestion', title: 'Mount /etc/cron.d/backup read-only', output: 'services:\n  x:\n    image: x\n    volumes:\n      - /etc/shadow:/s:ro\n      - /etc/cron.d/backup:/c:ro\n      - /etc/kubernetes/pki:/pki:ro\n      - /etc/cni/net.d:/etc/cni/net.d\n      - /etc/passwd:/p\n' }] },
        { message: READ_ONLY('Service "x"', '/etc/kubernetes/pki', 'volumes', 'the cluster\'s certificates and CA keys'), line: 7, column: 9, endLine: 7, endColumn: 36, fixes: [] },
        { message: WRITABLE('Service "x"', '/etc/cni/net.d', 'volumes', 'part of the node\'s CNI network configuration'), line: 8, column: 9, endLine: 8, endColumn: 38, fixes: [{ kind: 'suggestion', title: 'Mount /etc/cni/net.d read-only', output: 'services:\n  x:\n    image: x\n    volumes:\n      - /etc/shadow:/s:ro\n      - /etc/cron.d/backup:/c\n      - /etc/kubernetes/pki:/pki:ro\n      - /etc/cni/net.d:/etc/cni/net.d:ro\n      - /etc/passwd:/p\n' }] },
        { message: WRITABLE('Service "x"', '/etc/passwd', 'volumes', 'the host\'s user accounts'), line: 9, column: 9, endLine: 9, endColumn: 23, fixes: [{ kind: 'suggestion', title: 'Mount /etc/passwd read-only', output: 'services:\n  x:\n    image: x\n    volumes:\n      - /etc/shadow:/s:ro\n      - /etc/cron.d/backup:/c\n      - /etc/kubernetes/pki:/pki:ro\n      - /etc/cni/net.d:/etc/cni/net.d\n      - /etc/passwd:/p:ro\n' }] },
      ],
    },
    {
      name: 'the awesome-compose wireguard shape: writable kernel modules an error, writable kernel sources a warning, the config directory nothing',
      path: 'compose.yml',
      code: 'services:\n  wireguard:\n    image: linuxserver/wireguard\n    volumes:\n      - /usr/share/appdata/wireguard/config:/config\n      - /usr/src:/usr/src\n      - /lib/modules:/lib/modules\n',
      errors: [
        { message: WRITABLE('Service "wireguard"', '/usr/src', 'volumes', 'the host\'s kernel headers and module sources'), severity: 'warning', line: 6, column: 9, endLine: 6, endColumn: 26, fixes: [{ kind: 'suggestion', title: 'Mount /usr/src read-only', output: 'services:\n  wireguard:\n    image: linuxserver/wireguard\n    volumes:\n      - /usr/share/appdata/wireguard/config:/config\n      - /usr/src:/usr/src:ro\n      - /lib/modules:/lib/modules\n' }] },
        { message: WRITABLE('Service "wireguard"', '/lib/modules', 'volumes', 'the kernel modules the host loads'), severity: 'error', line: 7, column: 9, endLine: 7, endColumn: 34, fixes: [{ kind: 'suggestion', title: 'Mount /lib/modules read-only', output: 'services:\n  wireguard:\n    image: linuxserver/wireguard\n    volumes:\n      - /usr/share/appdata/wireguard/config:/config\n      - /usr/src:/usr/src\n      - /lib/modules:/lib/modules:ro\n' }] },
      ],
    },
    {
      name: 'homes: a user\'s home and its dot-entries, /var/run read as /run, raw disks',
      path: 'compose.yml',
      code: 'services:\n  x:\n    image: x\n    volumes:\n      - /home/ana:/h:ro\n      - /home/ana/.ssh:/ssh\n      - /root/.kube/config:/k:ro\n      - /var/run/dbus/system_bus_socket:/bus:ro\n      - /dev/sda1:/dev/sda1\n',
      errors: [
        { message: READ_ONLY('Service "x"', '/home/ana', 'volumes', 'the home of host user ana'), severity: 'warning', line: 5, column: 9, endLine: 5, endColumn: 24, fixes: [] },
        { message: WRITABLE('Service "x"', '/home/ana/.ssh', 'volumes', 'host user ana\'s .ssh'), line: 6, column: 9, endLine: 6, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Mount /home/ana/.ssh read-only', output: 'services:\n  x:\n    image: x\n    volumes:\n      - /home/ana:/h:ro\n      - /home/ana/.ssh:/ssh:ro\n      - /root/.kube/config:/k:ro\n      - /var/run/dbus/system_bus_socket:/bus:ro\n      - /dev/sda1:/dev/sda1\n' }] },
        { message: READ_ONLY('Service "x"', '/root/.kube/config', 'volumes', 'part of root\'s .kube'), line: 7, column: 9, endLine: 7, endColumn: 33, fixes: [] },
        { message: SOCKETS_RO('Service "x"', '/var/run/dbus/system_bus_socket', 'volumes', 'part of the host\'s D-Bus system bus'), severity: 'error', detail: /^Read-only \(volumes\) does not help here: it does not stop connecting to the sockets there\./, line: 8, column: 9, endLine: 8, endColumn: 48, fixes: [] },
        { message: WRITABLE('Service "x"', '/dev/sda1', 'volumes', 'the host disk /dev/sda1'), line: 9, column: 9, endLine: 9, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Mount /dev/sda1 read-only', output: 'services:\n  x:\n    image: x\n    volumes:\n      - /home/ana:/h:ro\n      - /home/ana/.ssh:/ssh\n      - /root/.kube/config:/k:ro\n      - /var/run/dbus/system_bus_socket:/bus:ro\n      - /dev/sda1:/dev/sda1:ro\n' }] },
      ],
    },
  ],
});

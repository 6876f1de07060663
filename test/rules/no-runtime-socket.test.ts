import rule from '../../server/src/engine/rules/no-runtime-socket';
import { RuleTester } from '../rule-tester';

const ROOT = 'anyone who can talk to the socket can start a privileged container with the host\'s / mounted';
const SOCKET = (l: string, what: string, _field: string, pss = '') => `${l} mounts ${what} (root on the host)${pss}`;
const SOCKET_RO = (l: string, what: string, _field: string) => `${l} mounts ${what} read-only: still root on the host`;
const API = (l: string, setting: string) => `${l} sets ${setting}: the Docker socket and your registry credentials`;
const PSS = ' (PSS baseline: HostPath Volumes)';
const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${body}`;

const composeForms = 'services:\n  web:\n    image: portainer/portainer-ce\n    volumes:\n      - data:/data\n      - /var/run/docker.sock:/var/run/docker.sock:ro # the API\n      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /c.sock\n    use_api_socket: true\nvolumes:\n  data: {}\n';
const merged = 'x-sock: &sock\n  volumes:\n    - "${DOCKER_SOCK:-/var/run//docker.sock}:/var/run/docker.sock"\nservices:\n  agent:\n    <<: *sock\n    image: a\n  runner:\n    <<: *sock\n    image: b\n';
const rootless = 'services:\n  ci:\n    image: gitlab/gitlab-runner\n    volumes: ["/run/user/1000/podman/podman.sock:/var/run/docker.sock", "/var/run/crio/:/crio"]\n';
const k8s = pod('  containers:\n    - name: app\n      image: x\n      volumeMounts:\n        - name: sock\n          mountPath: /var/run/docker.sock\n          readOnly: true\n    - name: side\n      image: y\n      volumeMounts:\n        - name: sock\n          mountPath: /s\n  volumes:\n    - name: sock\n      hostPath:\n        path: /var/run/docker.sock\n        type: Socket\n    - name: crio\n      hostPath:\n        path: /run/crio/crio.sock\n');
const daemonSet = 'apiVersion: apps/v1\r\nkind: DaemonSet\r\nmetadata:\r\n  name: agent\r\nspec:\r\n  template:\r\n    spec:\r\n      initContainers:\r\n        - name: init\r\n          image: z\r\n          volumeMounts: [{name: containerd, mountPath: /run/containerd}]\r\n      containers:\r\n        - name: a\r\n          image: x\r\n      volumes:\r\n        - name: containerd\r\n          hostPath: {path: /run/containerd/}\r\n';
const dev = '{\n  "image": "mcr.microsoft.com/devcontainers/base",\n  // docker-outside-of-docker\n  "mounts": [\n    "source=/var/run/docker.sock,target=/var/run/docker-host.sock,type=bind",\n    { "source": "/run/podman/podman.sock", "target": "/p.sock", "type": "bind" }\n  ],\n  "runArgs": ["--init", "-v", "/var/run/docker.sock:/d.sock:ro", "--mount=type=bind,src=/run/docker.sock,dst=/x", "--use-api-socket"]\n}\n';
const devRunArgs = (rest: string) => dev.replace('["--init", "-v", "/var/run/docker.sock:/d.sock:ro", "--mount=type=bind,src=/run/docker.sock,dst=/x", "--use-api-socket"]', rest);

new RuleTester().run(rule, {
  valid: [
    { name: 'compose: named volumes, relative binds, use_api_socket false, a socket-like name elsewhere', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    volumes:\n      - data:/data\n      - ./docker.sock:/var/run/docker.sock\n      - /srv/var/run/docker.sock:/x\n    use_api_socket: false\nvolumes:\n  data: {}\n' },
    { name: 'compose: /var/run/docker.sock as the target only', path: 'compose.yml', code: 'services:\n  dind-client:\n    image: docker:cli\n    volumes:\n      - certs:/var/run/docker.sock\nvolumes:\n  certs: {}\n' },
    { name: 'kubernetes: a hostPath that is no runtime socket, and an emptyDir at the socket path', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      volumeMounts:\n        - {name: data, mountPath: /data}\n        - {name: sock, mountPath: /var/run/docker.sock}\n  volumes:\n    - name: data\n      hostPath: {path: /var/lib/app}\n    - name: sock\n      emptyDir: {}\n') },
    { name: 'devcontainer: a volume mount at the socket path and a workspace bind', path: '.devcontainer/devcontainer.json', code: '{\n  "mounts": ["source=dind-var-lib-docker,target=/var/lib/docker,type=volume", "source=${localWorkspaceFolder}/.docker,target=/run/docker.sock,type=bind"]\n}\n' },
    { name: 'dockerfile: VOLUME of an ordinary path', path: 'Dockerfile', code: 'FROM nginx\nVOLUME /var/cache/nginx\n' },
  ],
  invalid: [
    {
      name: 'compose: short syntax read-only (comment kept), long syntax, use_api_socket',
      path: 'compose.yml',
      code: composeForms,
      errors: [
        {
          message: SOCKET_RO('Service "web"', 'the Docker socket /var/run/docker.sock', 'volumes'),
          line: 6, column: 9, endLine: 6, endColumn: 53,
          fixes: [{ kind: 'suggestion', title: 'Remove /var/run/docker.sock:/var/run/docker.sock:ro from volumes', output: composeForms.replace('      - /var/run/docker.sock:/var/run/docker.sock:ro # the API\n', '      # the API\n') }],
        },
        {
          message: SOCKET('Service "web"', 'the containerd socket /run/containerd/containerd.sock', 'volumes'),
          line: 7, column: 9, endLine: 9, endColumn: 24,
          // The YAML writer titles a multi-line item by its field ("Remove volumes from volumes").
          fixes: [{ kind: 'suggestion', title: /^Remove /, output: composeForms.replace('      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /c.sock\n', '') }],
        },
        {
          message: API('Service "web"', 'use_api_socket: true'),
          line: 10, column: 5, endLine: 10, endColumn: 25,
          fixes: [{ kind: 'suggestion', title: 'Remove use_api_socket: true', output: composeForms.replace('    use_api_socket: true\n', '') }],
        },
      ],
    },
    {
      name: 'compose: through a merge key, interpolated default, // collapsed: each service, no fix',
      path: 'compose.yml',
      code: merged,
      errors: [
        { message: SOCKET('Service "agent"', 'the Docker socket /var/run/docker.sock', 'volumes'), line: 3, column: 7, endLine: 3, endColumn: 67, fixes: [] },
        { message: SOCKET('Service "runner"', 'the Docker socket /var/run/docker.sock', 'volumes'), line: 3, column: 7, endLine: 3, endColumn: 67, fixes: [] },
      ],
    },
    {
      name: 'compose: rootless Podman socket and the CRI-O socket directory (flow list)',
      path: 'compose.yml',
      code: rootless,
      errors: [
        {
          message: 'Service "ci" mounts the rootless Podman socket /run/user/1000/podman/podman.sock: control of that user\'s containers',
          line: 4, column: 15, endLine: 4, endColumn: 71,
          fixes: [{ kind: 'suggestion', title: 'Remove "/run/user/1000/podman/podman.sock:/var/run/docker.sock" from volumes', output: rootless.replace('"/run/user/1000/podman/podman.sock:/var/run/docker.sock", ', '') }],
        },
        {
          message: SOCKET('Service "ci"', 'the CRI-O socket directory /var/run/crio', 'volumes'),
          line: 4, column: 73, endLine: 4, endColumn: 95,
          fixes: [{ kind: 'suggestion', title: 'Remove "/var/run/crio/:/crio" from volumes', output: rootless.replace(', "/var/run/crio/:/crio"', '') }],
        },
      ],
    },
    {
      name: 'compose baseline profile: the mount names the hostPathVolumes control',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'services:\n  web:\n    image: x\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
      errors: [{ message: SOCKET('Service "web"', 'the Docker socket /var/run/docker.sock', 'volumes', ' (baseline profile)'), line: 5, column: 9, endLine: 5, endColumn: 50, fixes: [{ kind: 'suggestion', title: 'Remove /var/run/docker.sock:/var/run/docker.sock from volumes', output: 'services:\n  web:\n    image: x\n' }] }],
    },
    {
      name: 'kubernetes: a hostPath socket two containers mount (read-only for one), an unmounted CRI-O socket; no fix',
      path: 'pod.yaml',
      code: k8s,
      errors: [
        { message: SOCKET_RO('Container "app" in Pod/p', 'the Docker socket /var/run/docker.sock', 'volumes.hostPath'), line: 19, column: 7, endLine: 22, endColumn: 21, fixes: [] },
        { message: SOCKET('Container "side" in Pod/p', 'the Docker socket /var/run/docker.sock', 'volumes.hostPath'), line: 19, column: 7, endLine: 22, endColumn: 21, fixes: [] },
        { message: 'Pod/p has an unmounted hostPath volume for the CRI-O socket /run/crio/crio.sock', line: 23, column: 7, endLine: 25, endColumn: 34, fixes: [] },
      ],
    },
    {
      name: 'kubernetes: an init container mounting the containerd socket directory (CRLF, flow maps)',
      path: 'ds.yaml',
      code: daemonSet,
      errors: [{ message: SOCKET('Init container "init" in DaemonSet/agent', 'the containerd socket directory /run/containerd', 'volumes.hostPath'), line: 16, column: 11, endLine: 17, endColumn: 45, fixes: [] }],
    },
    {
      name: 'kubernetes restricted profile: an unmounted socket names the control',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  containers:\n    - name: a\n      image: x\n  volumes:\n    - name: s\n      hostPath:\n        path: /var/run/docker.sock\n'),
      errors: [{ message: `Pod/p has an unmounted hostPath volume for the Docker socket /var/run/docker.sock${PSS}`, line: 10, column: 7, endLine: 12, endColumn: 35, fixes: [] }],
    },
    {
      name: 'devcontainer: mounts string and object, runArgs -v (read-only), --mount=, --use-api-socket; comment kept',
      path: '.devcontainer/devcontainer.json',
      code: dev,
      errors: [
        {
          message: SOCKET('Devcontainer', 'the Docker socket /var/run/docker.sock', 'mounts'),
          line: 5, column: 5, endLine: 5, endColumn: 77,
          fixes: [{ kind: 'suggestion', title: 'Remove source=/var/run/docker.sock,target=/var/run/docker-host.sock,type=bind from mounts', output: dev.replace('    "source=/var/run/docker.sock,target=/var/run/docker-host.sock,type=bind",\n', '') }],
        },
        // The JSONC writer cannot title an object item yet: no quick-fix for the object form (rule-side workaround).
        { message: SOCKET('Devcontainer', 'the Podman socket /run/podman/podman.sock', 'mounts'), line: 6, column: 5, endLine: 6, endColumn: 81, fixes: [] },
        {
          message: SOCKET_RO('Devcontainer', 'the Docker socket /var/run/docker.sock', 'runArgs'),
          line: 8, column: 25, endLine: 8, endColumn: 64,
          fixes: [{ kind: 'suggestion', title: 'Remove -v /var/run/docker.sock:/d.sock:ro from runArgs', output: devRunArgs('["--init", "--mount=type=bind,src=/run/docker.sock,dst=/x", "--use-api-socket"]') }],
        },
        {
          message: SOCKET('Devcontainer', 'the Docker socket /run/docker.sock', 'runArgs'),
          line: 8, column: 66, endLine: 8, endColumn: 113,
          fixes: [{ kind: 'suggestion', title: 'Remove --mount=type=bind,src=/run/docker.sock,dst=/x from runArgs', output: devRunArgs('["--init", "-v", "/var/run/docker.sock:/d.sock:ro", "--use-api-socket"]') }],
        },
        {
          message: API('Devcontainer', '--use-api-socket in runArgs'),
          line: 8, column: 115, endLine: 8, endColumn: 133,
          fixes: [{ kind: 'suggestion', title: 'Remove --use-api-socket from runArgs', output: devRunArgs('["--init", "-v", "/var/run/docker.sock:/d.sock:ro", "--mount=type=bind,src=/run/docker.sock,dst=/x"]') }],
        },
      ],
    },
    {
      name: 'dockerfile: VOLUME of the socket path (JSON form)',
      path: 'Dockerfile',
      code: 'FROM docker:cli\nVOLUME ["/data", "/var/run/docker.sock"]\nCMD ["docker", "ps"]\n',
      errors: [{
        message: 'Final stage (FROM docker:cli) declares VOLUME /var/run/docker.sock, the Docker socket',
        detail: `The image expects the socket mounted there, and running it that way is root on the host (${ROOT}).`,
        line: 2, column: 18, endLine: 2, endColumn: 40,
        fixes: [{ kind: 'suggestion', title: 'Remove "/var/run/docker.sock" from VOLUME', output: 'FROM docker:cli\nVOLUME ["/data"]\nCMD ["docker", "ps"]\n' }],
      }],
    },
    {
      name: 'dockerfile: VOLUME of the containerd socket directory (plain form)',
      path: 'Dockerfile',
      code: 'FROM alpine\nVOLUME /run/containerd /data\n',
      errors: [{
        message: 'Final stage (FROM alpine) declares VOLUME /run/containerd, the containerd socket directory',
        line: 2, column: 8, endLine: 2, endColumn: 23,
        fixes: [{ kind: 'suggestion', title: 'Remove /run/containerd from VOLUME', output: 'FROM alpine\nVOLUME /data\n' }],
      }],
    },
  ],
});

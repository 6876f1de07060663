import rule from '../../server/src/engine/rules/no-privileged';
import { RuleTester } from '../rule-tester';

const MSG = (label: string) => `${label} runs privileged`;
const WHY = 'Privileged gives every capability, no seccomp or AppArmor, every host device and a writable /sys: escaping to the host is trivial.';
const LEAST = 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)';
const LEAST_K8S = 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)';
const LEAST_DEV = 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)';

new RuleTester().run(rule, {
  valid: [
    { name: 'compose without privileged', path: 'docker-compose.yml', code: 'services:\n  web:\n    image: nginx\n' },
    { name: 'compose privileged: false', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx\n    privileged: false\n' },
    { name: 'compose privileged: "no" is a string Compose rejects, not true', path: 'compose.yaml', code: 'services:\n  web:\n    image: nginx\n    privileged: off\n' },
    { name: 'kubernetes quoted "true" is not a boolean to the API', path: 'pod.yaml', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: "true"\n' },
    { name: 'kubernetes privileged false', path: 'deploy.yaml', code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          privileged: false\n' },
    { name: 'a ConfigMap mentioning privileged', path: 'cm.yaml', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  privileged: "true"\n' },
    { name: 'Compose-based devcontainer: runArgs are ignored by the tools, so --privileged there is not reported', path: '.devcontainer/devcontainer.json', code: '{\n  "dockerComposeFile": "compose.yaml",\n  "service": "dev",\n  "runArgs": ["--privileged"]\n}\n' },
    { name: 'devcontainer "privileged": false and --privileged=false', path: '.devcontainer/devcontainer.json', code: '{\n  "image": "mcr.microsoft.com/devcontainers/base:bookworm",\n  "privileged": false,\n  "runArgs": ["--privileged=false"]\n}\n' },
    { name: 'dockerfile RUN without --security=insecure', path: 'Dockerfile', code: 'FROM alpine:3.20\nRUN --network=none make install\nUSER 10001\n' },
    { name: 'baseline profile: privileged false', path: 'pod.yaml', profile: 'baseline', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: false\n' },
  ],
  invalid: [
    {
      name: 'compose privileged, trailing comment kept',
      path: 'docker-compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    privileged: true # legacy\n',
      errors: [{ message: MSG('Service "web"'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\n  web:\n    image: nginx\n    # legacy\n' }, { kind: 'suggestion', title: LEAST, output: 'services:\n  web:\n    image: nginx\n    # legacy\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n' }] }],
    },
    {
      name: 'compose YAML 1.1 yes, CRLF kept',
      path: 'compose.yml',
      code: 'services:\r\n  vpn:\r\n    privileged: yes\r\n    image: wg\r\n',
      errors: [{ message: MSG('Service "vpn"'), line: 3, column: 5, endLine: 3, endColumn: 20, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\r\n  vpn:\r\n    image: wg\r\n' }, { kind: 'suggestion', title: LEAST, output: 'services:\r\n  vpn:\r\n    cap_drop:\r\n      - ALL\r\n    security_opt:\r\n      - no-new-privileges:true\r\n    image: wg\r\n' }] }],
    },
    {
      name: 'compose quoted "true" is read by Compose',
      path: 'compose.yml',
      code: 'services:\n  vpn:\n    image: wg\n    privileged: "true"\n',
      errors: [{ message: MSG('Service "vpn"'), line: 4, column: 5, endLine: 4, endColumn: 23, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\n  vpn:\n    image: wg\n' }, { kind: 'suggestion', title: LEAST, output: 'services:\n  vpn:\n    image: wg\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n' }] }],
    },
    {
      name: 'compose flow mapping keeps flow style',
      path: 'compose.yml',
      code: 'services:\n  web: {image: nginx, privileged: true}\n',
      errors: [{ message: MSG('Service "web"'), line: 2, column: 23, endLine: 2, endColumn: 39, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\n  web: {image: nginx}\n' }, { kind: 'suggestion', title: LEAST, output: 'services:\n  web: {image: nginx, cap_drop: [ALL], security_opt: [no-new-privileges:true]}\n' }] }],
    },
    {
      name: 'compose privileged through a merge key shared with another service: reported where written, overridden per service',
      path: 'compose.yml',
      code: 'x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: x\n',
      errors: [
        {
          message: MSG('Service "a"'),
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 19,
          fixes: [
            { kind: 'suggestion', title: 'Set privileged: false on service "a" (the shared definition stays as it is)', output: 'x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: x\n    privileged: false\n' },
            { kind: 'suggestion', title: `${LEAST}; sets privileged: false on service "a", the shared definition stays as it is`, output: 'x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: x\n    privileged: false\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n' },
          ],
        },
      ],
    },
    {
      name: 'compose extends in the same file',
      path: 'compose.yml',
      code: 'services:\n  base:\n    image: x\n    privileged: true\n  child:\n    extends: base\n    image: y\n',
      errors: [
        { message: MSG('Service "base"'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\n  base:\n    image: x\n  child:\n    extends: base\n    image: y\n' }, { kind: 'suggestion', title: LEAST, output: 'services:\n  base:\n    image: x\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n  child:\n    extends: base\n    image: y\n' }] },
        { message: MSG('Service "child"'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Set privileged: false on service "child" (the shared definition stays as it is)', output: 'services:\n  base:\n    image: x\n    privileged: true\n  child:\n    extends: base\n    image: y\n    privileged: false\n' }, { kind: 'suggestion', title: `${LEAST}; sets privileged: false on service "child", the shared definition stays as it is`, output: 'services:\n  base:\n    image: x\n    privileged: true\n  child:\n    extends: base\n    image: y\n    privileged: false\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n' }] },
      ],
    },
    {
      name: 'kubernetes Deployment container',
      path: 'deploy.yaml',
      code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          privileged: true\n          runAsNonRoot: true\n',
      errors: [{ message: MSG('Container "app" in Deployment/d'), line: 12, column: 11, endLine: 12, endColumn: 27, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          runAsNonRoot: true\n' }, { kind: 'suggestion', title: LEAST_K8S, output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        securityContext:\n          capabilities:\n            drop:\n            - ALL\n          allowPrivilegeEscalation: false\n          runAsNonRoot: true\n' }] }],
    },
    {
      name: 'kubernetes CronJob init container, second document of a multi-document file',
      path: 'jobs.yaml',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: init\n              securityContext: {privileged: on}\n',
      errors: [{ message: MSG('Init container "init" in CronJob/cj'), line: 17, column: 33, endLine: 17, endColumn: 47, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: init\n              securityContext: {}\n' }, { kind: 'suggestion', title: LEAST_K8S, output: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          initContainers:\n            - name: init\n              securityContext: {capabilities: {drop: [ALL]}, allowPrivilegeEscalation: false}\n' }] }],
    },
    {
      name: 'kubernetes List item Pod',
      path: 'list.yaml',
      code: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      ephemeralContainers:\n        - name: dbg\n          securityContext:\n            privileged: true\n',
      errors: [{ message: MSG('Ephemeral container "dbg" in Pod/p'), line: 11, column: 13, endLine: 11, endColumn: 29, fixes: [{ kind: 'suggestion', title: 'Remove privileged: true', output: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      ephemeralContainers:\n        - name: dbg\n          securityContext:\n' }, { kind: 'suggestion', title: LEAST_K8S, output: 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n      ephemeralContainers:\n        - name: dbg\n          securityContext:\n            capabilities:\n              drop:\n                - ALL\n            allowPrivilegeEscalation: false\n' }] }],
    },
    {
      name: 'compose known image: the targeted replacement is preferred, then least privilege, then plain removal',
      path: 'compose.yaml',
      code: 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    privileged: true # was needed for the tunnel\n',
      errors: [
        {
          message: MSG('Service "vpn"'),
          detail: `${WHY} From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.`,
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 21,
          fixes: [
            { kind: 'safe', title: 'Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (qmcgaw/gluetun image)', output: 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    # was needed for the tunnel\n    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n' },
            { kind: 'suggestion', title: LEAST, output: 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    # was needed for the tunnel\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n' },
            { kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    # was needed for the tunnel\n' },
          ],
        },
      ],
    },
    {
      name: 'compose Docker-in-Docker: no replacement, the message names the alternatives',
      path: 'compose.yaml',
      code: 'services:\n  dind:\n    image: docker:27-dind\n    privileged: true\n',
      errors: [
        {
          message: 'Service "dind" runs privileged',
          detail: /^Privileged gives .* docker:dind genuinely needs privileged: .* Privileged cannot be replaced here; alternatives: Sysbox runtime: `runtime: sysbox-runc` .*`docker:dind-rootless`.*BuildKit rootless .* or Kaniko/,
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 21,
          fixes: [
            { kind: 'suggestion', title: 'Remove privileged: true', output: 'services:\n  dind:\n    image: docker:27-dind\n' },
            { kind: 'suggestion', title: LEAST, output: 'services:\n  dind:\n    image: docker:27-dind\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n' },
          ],
        },
      ],
    },
    {
      name: 'devcontainer "privileged": true, known image',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  // VPN dev box\n  "image": "qmcgaw/gluetun:v3",\n  "privileged": true\n}\n',
      errors: [
        {
          message: MSG('Devcontainer'),
          detail: `${WHY} From the qmcgaw/gluetun image, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.`,
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 21,
          fixes: [
            { kind: 'safe', title: 'Replace privileged with capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] (qmcgaw/gluetun image)', output: '{\n  // VPN dev box\n  "image": "qmcgaw/gluetun:v3",\n  "capAdd": ["NET_ADMIN"],\n  "runArgs": ["--device=/dev/net/tun"]\n}\n' },
            { kind: 'suggestion', title: LEAST_DEV, output: '{\n  // VPN dev box\n  "image": "qmcgaw/gluetun:v3",\n  "securityOpt": ["no-new-privileges:true"],\n  "runArgs": ["--cap-drop=ALL"]\n}\n' },
            { kind: 'suggestion', title: 'Remove "privileged": true', output: '{\n  // VPN dev box\n  "image": "qmcgaw/gluetun:v3"\n}\n' },
          ],
        },
      ],
    },
    {
      name: 'Compose-based devcontainer: "privileged": true; fixes never use runArgs (ignored with dockerComposeFile)',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "dockerComposeFile": "compose.yaml",\n  "service": "dev",\n  "privileged": true\n}\n',
      errors: [
        {
          message: MSG('Devcontainer'),
          line: 4,
          column: 3,
          endLine: 4,
          endColumn: 21,
          fixes: [
            { kind: 'suggestion', title: 'Remove "privileged": true', output: '{\n  "dockerComposeFile": "compose.yaml",\n  "service": "dev"\n}\n' },
            { kind: 'suggestion', title: 'Replace privileged with no-new-privileges (drop capabilities in the Compose service: runArgs do not apply)', output: '{\n  "dockerComposeFile": "compose.yaml",\n  "service": "dev",\n  "securityOpt": ["no-new-privileges:true"]\n}\n' },
          ],
        },
      ],
    },
    {
      name: 'Compose-based devcontainer: the image needs a device, which only runArgs could give: no replacement offered',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "dockerComposeFile": ["compose.yaml"],\n  "service": "vpn",\n  "image": "qmcgaw/gluetun:v3",\n  "privileged": true\n}\n',
      errors: [
        {
          message: MSG('Devcontainer'),
          detail: `${WHY} From the qmcgaw/gluetun image, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.`,
          line: 5,
          column: 3,
          endLine: 5,
          endColumn: 21,
          fixes: [
            { kind: 'suggestion', title: 'Replace privileged with no-new-privileges (drop capabilities in the Compose service: runArgs do not apply)', output: '{\n  "dockerComposeFile": ["compose.yaml"],\n  "service": "vpn",\n  "image": "qmcgaw/gluetun:v3",\n  "securityOpt": ["no-new-privileges:true"]\n}\n' },
            { kind: 'suggestion', title: 'Remove "privileged": true', output: '{\n  "dockerComposeFile": ["compose.yaml"],\n  "service": "vpn",\n  "image": "qmcgaw/gluetun:v3"\n}\n' },
          ],
        },
      ],
    },
    {
      name: 'devcontainer --privileged in runArgs, unknown image',
      path: '.devcontainer.json',
      code: '{\n  "image": "mcr.microsoft.com/devcontainers/base:bookworm",\n  "runArgs": ["--init", "--privileged"]\n}\n',
      errors: [
        {
          message: MSG('Devcontainer'),
          line: 3,
          column: 25,
          endLine: 3,
          endColumn: 39,
          fixes: [
            { kind: 'suggestion', title: 'Remove --privileged from runArgs', output: '{\n  "image": "mcr.microsoft.com/devcontainers/base:bookworm",\n  "runArgs": ["--init"]\n}\n' },
            { kind: 'suggestion', title: LEAST_DEV, output: '{\n  "image": "mcr.microsoft.com/devcontainers/base:bookworm",\n  "runArgs": ["--init", "--cap-drop=ALL"],\n  "securityOpt": ["no-new-privileges:true"]\n}\n' },
          ],
        },
      ],
    },
    {
      name: 'dockerfile RUN --security=insecure',
      path: 'Dockerfile',
      code: 'FROM alpine:3.20\n# builds a kernel module\nRUN --security=insecure make -C /src install\nUSER 10001\n',
      errors: [
        {
          message: 'RUN --security=insecure runs this build step privileged',
          line: 3,
          column: 5,
          endLine: 3,
          endColumn: 24,
          fixes: [{ kind: 'suggestion', title: 'Remove --security=insecure from this RUN', output: 'FROM alpine:3.20\n# builds a kernel module\nRUN make -C /src install\nUSER 10001\n' }],
        },
      ],
    },
    {
      name: 'baseline profile: names the privileged control',
      path: 'pod.yaml',
      profile: 'baseline',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: true\n',
      errors: [
        {
          message: 'Container "app" in Pod/p runs privileged (PSS baseline: Privileged Containers)',
          line: 10,
          column: 9,
          endLine: 10,
          endColumn: 25,
          fixes: [
            { kind: 'suggestion', title: 'Remove privileged: true', output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n' },
            { kind: 'suggestion', title: LEAST_K8S, output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        capabilities:\n          drop:\n            - ALL\n        allowPrivilegeEscalation: false\n' },
          ],
        },
      ],
    },
    {
      name: 'restricted profile: devcontainer privileged, the nearest Docker equivalent',
      path: '.devcontainer/devcontainer.json',
      profile: 'restricted',
      code: '{\n  "image": "x",\n  "privileged": true\n}\n',
      errors: [
        {
          message: 'Devcontainer runs privileged (restricted profile)',
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 21,
          fixes: [
            { kind: 'suggestion', title: 'Remove "privileged": true', output: '{\n  "image": "x"\n}\n' },
            { kind: 'suggestion', title: LEAST_DEV, output: '{\n  "image": "x",\n  "securityOpt": ["no-new-privileges:true"],\n  "runArgs": ["--cap-drop=ALL"]\n}\n' },
          ],
        },
      ],
    },
    {
      name: 'restricted profile: a Dockerfile build step has no PSS control',
      path: 'Dockerfile',
      profile: 'restricted',
      code: 'FROM alpine\nRUN --security=insecure make\nUSER 10001\n',
      errors: [{ message: 'RUN --security=insecure runs this build step privileged', line: 2, column: 5, endLine: 2, endColumn: 24, fixes: [{ kind: 'suggestion', title: 'Remove --security=insecure from this RUN', output: 'FROM alpine\nRUN make\nUSER 10001\n' }] }],
    },
  ],
});

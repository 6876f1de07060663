import rule from '../../server/src/engine/rules/require-drop-all-capabilities';
import { RuleTester } from '../rule-tester';

const RESTRICTED = ' (PSS restricted: Capabilities)';
const MISSING = (l: string, _setting: string, pss = '') => `${l} does not drop ALL capabilities${pss}`;
const PARTIAL = (l: string, dropped: string, _setting: string, pss = '') => `${l} drops ${dropped.replace(', ', ' and ')} but not ALL capabilities${pss}`;
const COMPOSE = 'cap_drop: [ALL]';
const K8S = 'securityContext.capabilities.drop: ["ALL"]';
const DEV = '"runArgs": ["--cap-drop=ALL"]';
const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${body}`;

const compose = 'services:\n  web:\n    image: nginx\n    cap_add:\n      - NET_ADMIN # vpn\n  db:\n    image: postgres\n    cap_drop: [NET_RAW]\n  ok:\n    image: x\n    cap_drop: [all]\n';
const k8s = pod('  initContainers:\n    - name: init\n      image: busybox\n  containers:\n    - name: app\n      image: x\n      securityContext:\n        capabilities:\n          add: [NET_BIND_SERVICE] # port 80\n    - name: side\n      image: y\n      securityContext:\n        runAsNonRoot: true\n        capabilities:\n          drop:\n            - NET_RAW\n');
const exact = pod('  containers:\n    - name: a\n      image: x\n      securityContext:\n        capabilities:\n          drop: [all]\n    - name: b\n      image: y\n      securityContext:\n        capabilities:\n          drop: [net_raw]\n    - name: c\n      image: z\n      securityContext:\n        capabilities:\n          drop: ["ALL"]\n');

new RuleTester().run(rule, {
  valid: [
    { name: 'compose: ALL in any case (Docker ignores case), among others', path: 'compose.yml', code: 'services:\n  a:\n    image: x\n    cap_drop: [ALL]\n  b:\n    image: y\n    cap_drop: [NET_RAW, all]\n    cap_add: [NET_BIND_SERVICE]\n' },
    { name: 'kubernetes: drop ["ALL"] with an add; lower-case all under the default profile (the runtime accepts it)', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      securityContext:\n        capabilities:\n          drop: ["ALL"]\n          add: ["NET_BIND_SERVICE"]\n    - name: b\n      securityContext:\n        capabilities: {drop: [all]}\n') },
    { name: 'kubernetes: a Windows pod has no Linux capabilities', path: 'pod.yaml', profile: 'restricted', code: pod('  os:\n    name: windows\n  containers:\n    - name: a\n      image: mcr.microsoft.com/windows/nanoserver\n') },
    { name: 'devcontainer: --cap-drop=ALL and the two-element form', path: '.devcontainer/devcontainer.json', code: '{\n  "runArgs": ["--cap-drop", "all", "--cap-add=SYS_PTRACE"]\n}\n' },
    // #11: a Compose-based dev container is the Compose service; what it lacks is reported there (test/engine/compose-set.test.ts).
    { name: 'Compose-based devcontainer: not reported on devcontainer.json', path: '.devcontainer/devcontainer.json', code: '{\n  "dockerComposeFile": "compose.yaml",\n  "service": "dev",\n  "capAdd": ["SYS_PTRACE"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose: nothing dropped (inserted after cap_add, comment kept), only NET_RAW dropped (flow list extended)',
      path: 'compose.yml',
      code: compose,
      errors: [
        { message: MISSING('Service "web"', COMPOSE), line: 2, column: 3, endLine: 2, endColumn: 6, fixes: [{ kind: 'suggestion', title: 'Add cap_drop: [ALL]', output: compose.replace('      - NET_ADMIN # vpn\n', '      - NET_ADMIN # vpn\n    cap_drop:\n      - ALL\n') }] },
        { message: PARTIAL('Service "db"', 'NET_RAW', COMPOSE), line: 6, column: 3, endLine: 6, endColumn: 5, fixes: [{ kind: 'suggestion', title: 'Add cap_drop: [ALL]', output: compose.replace('[NET_RAW]', '[NET_RAW, ALL]') }] },
      ],
    },
    {
      name: 'compose: cap_drop through a merge key: the service gets its own list',
      path: 'compose.yml',
      code: 'x-caps: &caps\n  cap_drop: [NET_RAW]\nservices:\n  a:\n    <<: *caps\n    image: a\n',
      errors: [{ message: PARTIAL('Service "a"', 'NET_RAW', COMPOSE), line: 4, column: 3, endLine: 4, endColumn: 4, fixes: [{ kind: 'suggestion', title: 'Add cap_drop: [ALL]', output: 'x-caps: &caps\n  cap_drop: [NET_RAW]\nservices:\n  a:\n    <<: *caps\n    image: a\n    cap_drop:\n      - NET_RAW\n      - ALL\n' }] }],
    },
    {
      name: 'compose restricted profile: the finding names the control',
      path: 'compose.yml',
      profile: 'restricted',
      code: 'services:\n  web:\n    image: nginx\n',
      errors: [{ message: MISSING('Service "web"', COMPOSE, ' (restricted profile)'), line: 2, column: 3, endLine: 2, endColumn: 6, fixes: [{ kind: 'suggestion', title: 'Add cap_drop: [ALL]', output: 'services:\n  web:\n    image: nginx\n    cap_drop:\n      - ALL\n' }] }],
    },
    {
      name: 'kubernetes: init container and containers; the add is kept; securityContext created or extended',
      path: 'pod.yaml',
      code: k8s,
      errors: [
        {
          message: MISSING('Init container "init" in Pod/p', K8S),
          line: 7, column: 7, endLine: 7, endColumn: 17,
          fixes: [{ kind: 'suggestion', title: 'Add capabilities.drop: [ALL]', output: k8s.replace('      image: busybox\n', '      image: busybox\n      securityContext:\n        capabilities:\n          drop:\n            - ALL\n') }],
        },
        {
          message: MISSING('Container "app" in Pod/p', K8S),
          line: 10, column: 7, endLine: 10, endColumn: 16,
          fixes: [{ kind: 'suggestion', title: 'Add capabilities.drop: [ALL]', output: k8s.replace('# port 80\n', '# port 80\n          drop:\n            - ALL\n') }],
        },
        {
          message: PARTIAL('Container "side" in Pod/p', 'NET_RAW', K8S),
          line: 15, column: 7, endLine: 15, endColumn: 17,
          fixes: [{ kind: 'suggestion', title: 'Add capabilities.drop: [ALL]', output: k8s.replace('            - NET_RAW\n', '            - NET_RAW\n            - ALL\n') }],
        },
      ],
    },
    {
      name: 'kubernetes restricted profile: exact "ALL" (all is not), a lower-case list gets no fix that would write `all`',
      path: 'pod.yaml',
      profile: 'restricted',
      code: exact,
      errors: [
        { message: `Container "a" in Pod/p drops "all", not the exact string "ALL"${RESTRICTED}`, line: 11, column: 18, endLine: 11, endColumn: 21, fixes: [] },
        { message: PARTIAL('Container "b" in Pod/p', 'net_raw', K8S, RESTRICTED), line: 12, column: 7, endLine: 12, endColumn: 14, fixes: [] },
      ],
    },
    {
      name: 'devcontainer: capAdd without a drop (runArgs created, comment kept)',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "image": "x", // base\n  "capAdd": ["SYS_PTRACE"]\n}\n',
      errors: [{ message: MISSING('Devcontainer', DEV), line: 1, column: 1, endLine: 1, endColumn: 2, fixes: [{ kind: 'suggestion', title: 'Add --cap-drop=ALL to runArgs', output: '{\n  "image": "x", // base\n  "capAdd": ["SYS_PTRACE"],\n  "runArgs": ["--cap-drop=ALL"]\n}\n' }] }],
    },
    {
      name: 'devcontainer: --cap-drop with a list that lacks ALL',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "runArgs": ["--cap-drop", "NET_RAW,MKNOD"]\n}\n',
      errors: [{ message: PARTIAL('Devcontainer', 'NET_RAW, MKNOD', DEV), line: 1, column: 1, endLine: 1, endColumn: 2, fixes: [{ kind: 'suggestion', title: 'Add --cap-drop=ALL to runArgs', output: '{\n  "runArgs": ["--cap-drop", "NET_RAW,MKNOD", "--cap-drop=ALL"]\n}\n' }] }],
    },
  ],
});

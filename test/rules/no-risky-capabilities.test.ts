import rule from '../../server/src/engine/rules/no-risky-capabilities';
import { capabilityInfo } from '../../server/src/engine/knowledge/capabilities';
import { RuleTester } from '../rule-tester';

const RISKY = (l: string, cap: string) => {
  const info = capabilityInfo(cap)!;
  return `${l} adds ${cap} (${info.risk} risk): ${(/^[A-Z][a-z]/.test(info.why) ? info.why.charAt(0).toLowerCase() + info.why.slice(1) : info.why).replace(/[.\s]+$/, '')}.`;
};
const ALL = (l: string, field: string) => `${l} adds ALL capabilities (${field}): that is every capability privileged gives, including SYS_ADMIN and SYS_MODULE.`;
const pod = (c: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${c}`;

new RuleTester().run(rule, {
  valid: [
    { name: 'compose Docker default capability', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    cap_add: [NET_BIND_SERVICE, CHOWN]\n' },
    { name: 'compose dropping is fine', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    cap_drop: [ALL]\n' },
    { name: 'kubernetes NET_BIND_SERVICE', path: 'pod.yaml', code: pod('    - name: app\n      securityContext:\n        capabilities:\n          add: ["NET_BIND_SERVICE"]\n          drop: ["ALL"]\n') },
    { name: 'devcontainer default-set capability', path: '.devcontainer/devcontainer.json', code: '{\n  "capAdd": ["NET_BIND_SERVICE"],\n  "runArgs": ["--cap-add=CHOWN"]\n}\n' },
  ],
  invalid: [
    {
      name: 'devcontainer capAdd and two-element --cap-add, comments kept',
      path: '.devcontainer.json',
      code: '{\n  "capAdd": ["SYS_PTRACE"], // for dlv\n  "runArgs": ["--cap-add", "NET_ADMIN"]\n}\n',
      errors: [
        { message: RISKY('Devcontainer', 'SYS_PTRACE'), line: 2, column: 14, endLine: 2, endColumn: 26, fixes: [{ title: 'Remove SYS_PTRACE from capAdd', output: '{\n  // for dlv\n  "runArgs": ["--cap-add", "NET_ADMIN"]\n}\n' }] },
        { message: RISKY('Devcontainer', 'NET_ADMIN'), line: 3, column: 15, endLine: 3, endColumn: 39, fixes: [{ title: 'Remove NET_ADMIN from runArgs', output: '{\n  "capAdd": ["SYS_PTRACE"], // for dlv\n  "runArgs": []\n}\n' }] },
      ],
    },
    {
      name: 'compose SYS_ADMIN among others, block list',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    cap_add:\n      - CHOWN\n      - SYS_ADMIN # for mount\n',
      errors: [{ message: RISKY('Service "web"', 'SYS_ADMIN'), line: 6, column: 9, endLine: 6, endColumn: 18, fixes: [{ title: 'Remove SYS_ADMIN from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add:\n      - CHOWN\n      # for mount\n' }] }],
    },
    {
      name: 'compose lower-case cap_ prefix, only item: list removed',
      path: 'compose.yml',
      code: 'services:\n  web:\n    cap_add: [cap_sys_module]\n    image: nginx\n',
      errors: [{ message: RISKY('Service "web"', 'SYS_MODULE'), line: 3, column: 15, endLine: 3, endColumn: 29, fixes: [{ title: 'Remove cap_sys_module from cap_add', output: 'services:\n  web:\n    image: nginx\n' }] }],
    },
    {
      name: 'compose ALL',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    cap_add: [NET_ADMIN, ALL]\n',
      errors: [
        { message: RISKY('Service "web"', 'NET_ADMIN'), line: 4, column: 15, endLine: 4, endColumn: 24, fixes: [{ title: 'Remove NET_ADMIN from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add: [ALL]\n' }] },
        { message: ALL('Service "web"', 'cap_add'), line: 4, column: 26, endLine: 4, endColumn: 29, fixes: [{ title: 'Remove ALL from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add: [NET_ADMIN]\n' }] },
      ],
    },
    {
      name: 'kubernetes capabilities.add',
      path: 'pod.yaml',
      code: pod('    - name: app\n      securityContext:\n        capabilities:\n          add:\n            - SYS_PTRACE\n            - NET_BIND_SERVICE\n'),
      errors: [{ message: RISKY('Container "app" in Pod/p', 'SYS_PTRACE'), line: 11, column: 15, endLine: 11, endColumn: 25, fixes: [{ title: 'Remove SYS_PTRACE from capabilities.add', output: pod('    - name: app\n      securityContext:\n        capabilities:\n          add:\n            - NET_BIND_SERVICE\n') }] }],
    },
  ],
});

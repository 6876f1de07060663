import rule from '../../server/src/engine/rules/no-risky-capabilities';
import { capabilityInfo } from '../../server/src/engine/knowledge/capabilities';
import { RuleTester } from '../rule-tester';

const RISKY = (l: string, cap: string) => `${l} adds ${cap} (${capabilityInfo(cap)!.risk})`;
const DEBUGGER = (l: string, cap: string) => `${l} adds ${cap} (${capabilityInfo(cap)!.risk}; expected for a debugger in a dev container)`;
const ALL = (l: string, _field: string) => `${l} adds ALL capabilities (critical)`;
const pod = (c: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${c}`;
const BASELINE_LIST = 'AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT';
const PSS_B = ' (PSS baseline: Capabilities)';
const PSS_R = ' (PSS restricted: Capabilities)';
const NOT_ALLOWED = ', not allowed';
const riskTail = (cap: string) => {
  const info = capabilityInfo(cap)!;
  return ` ${cap} (${info.risk} risk): ${(/^[A-Z][a-z]/.test(info.why) ? info.why.charAt(0).toLowerCase() + info.why.slice(1) : info.why).replace(/[.\s]+$/, '')}.`;
};

new RuleTester().run(rule, {
  valid: [
    { name: 'compose Docker default capability', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    cap_add: [NET_BIND_SERVICE, CHOWN]\n' },
    { name: 'compose dropping is fine', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    cap_drop: [ALL]\n' },
    { name: 'kubernetes NET_BIND_SERVICE', path: 'pod.yaml', code: pod('    - name: app\n      securityContext:\n        capabilities:\n          add: ["NET_BIND_SERVICE"]\n          drop: ["ALL"]\n') },
    { name: 'devcontainer default-set capability', path: '.devcontainer/devcontainer.json', code: '{\n  "capAdd": ["NET_BIND_SERVICE"],\n  "runArgs": ["--cap-add=CHOWN"]\n}\n' },
    { name: 'baseline: every name of the baseline list, exactly', path: 'pod.yaml', profile: 'baseline', code: pod(`    - name: app\n      securityContext:\n        capabilities:\n          add: [${BASELINE_LIST}]\n`) },
    { name: 'baseline: compose names are normalised by Docker (CAP_CHOWN, chown)', path: 'compose.yml', profile: 'baseline', code: 'services:\n  web:\n    image: nginx\n    cap_add: [CAP_CHOWN, chown, SETUID]\n' },
    { name: 'restricted: NET_BIND_SERVICE only', path: 'pod.yaml', profile: 'restricted', code: pod('    - name: app\n      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: [NET_BIND_SERVICE]\n') },
    { name: 'restricted: a Windows pod is exempt from capabilities_restricted', path: 'pod.yaml', profile: 'restricted', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  os:\n    name: windows\n  containers:\n    - name: app\n      securityContext:\n        capabilities:\n          add: [CHOWN]\n' },
  ],
  invalid: [
    {
      name: 'devcontainer capAdd and two-element --cap-add, comments kept',
      path: '.devcontainer.json',
      code: '{\n  "capAdd": ["SYS_PTRACE"], // for dlv\n  "runArgs": ["--cap-add", "NET_ADMIN"]\n}\n',
      errors: [
        { message: DEBUGGER('Devcontainer', 'SYS_PTRACE'), line: 2, column: 14, endLine: 2, endColumn: 26, fixes: [{ kind: 'suggestion', title: 'Remove SYS_PTRACE from capAdd', output: '{\n  // for dlv\n  "runArgs": ["--cap-add", "NET_ADMIN"]\n}\n' }] },
        { message: RISKY('Devcontainer', 'NET_ADMIN'), line: 3, column: 15, endLine: 3, endColumn: 39, fixes: [{ kind: 'suggestion', title: 'Remove NET_ADMIN from runArgs', output: '{\n  "capAdd": ["SYS_PTRACE"], // for dlv\n  "runArgs": []\n}\n' }] },
      ],
    },
    {
      name: 'compose SYS_ADMIN among others, block list',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    cap_add:\n      - CHOWN\n      - SYS_ADMIN # for mount\n',
      errors: [{ message: RISKY('Service "web"', 'SYS_ADMIN'), line: 6, column: 9, endLine: 6, endColumn: 18, fixes: [{ kind: 'suggestion', title: 'Remove SYS_ADMIN from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add:\n      - CHOWN\n      # for mount\n' }] }],
    },
    {
      name: 'compose lower-case cap_ prefix, only item: list removed',
      path: 'compose.yml',
      code: 'services:\n  web:\n    cap_add: [cap_sys_module]\n    image: nginx\n',
      errors: [{ message: RISKY('Service "web"', 'SYS_MODULE'), line: 3, column: 15, endLine: 3, endColumn: 29, fixes: [{ kind: 'suggestion', title: 'Remove cap_sys_module from cap_add', output: 'services:\n  web:\n    image: nginx\n' }] }],
    },
    {
      name: 'compose ALL',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    cap_add: [NET_ADMIN, ALL]\n',
      errors: [
        { message: RISKY('Service "web"', 'NET_ADMIN'), line: 4, column: 15, endLine: 4, endColumn: 24, fixes: [{ kind: 'suggestion', title: 'Remove NET_ADMIN from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add: [ALL]\n' }] },
        { message: ALL('Service "web"', 'cap_add'), line: 4, column: 26, endLine: 4, endColumn: 29, fixes: [{ kind: 'suggestion', title: 'Remove ALL from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add: [NET_ADMIN]\n' }] },
      ],
    },
    {
      name: 'kubernetes capabilities.add',
      path: 'pod.yaml',
      code: pod('    - name: app\n      securityContext:\n        capabilities:\n          add:\n            - SYS_PTRACE\n            - NET_BIND_SERVICE\n'),
      errors: [{ message: RISKY('Container "app" in Pod/p', 'SYS_PTRACE'), line: 11, column: 15, endLine: 11, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove SYS_PTRACE from capabilities.add', output: pod('    - name: app\n      securityContext:\n        capabilities:\n          add:\n            - NET_BIND_SERVICE\n') }] }],
    },
    {
      name: 'baseline: NET_RAW, CAP_CHOWN (exact string compare) and SYS_ADMIN; CHOWN passes',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('    - name: app\n      securityContext:\n        capabilities:\n          add: [NET_RAW, CAP_CHOWN, CHOWN, SYS_ADMIN]\n'),
      errors: [
        { message: `Container "app" in Pod/p adds NET_RAW${NOT_ALLOWED}${PSS_B}`, detail: `Only ${BASELINE_LIST} may be added.`, line: 10, column: 17, endLine: 10, endColumn: 24, fixes: [{ kind: 'suggestion', title: 'Remove NET_RAW from capabilities.add', output: pod('    - name: app\n      securityContext:\n        capabilities:\n          add: [CAP_CHOWN, CHOWN, SYS_ADMIN]\n') }] },
        { message: `Container "app" in Pod/p adds CAP_CHOWN${NOT_ALLOWED}${PSS_B}`, detail: `Only ${BASELINE_LIST} may be added (the admission check compares names exactly: write CHOWN, not CAP_CHOWN).`, line: 10, column: 26, endLine: 10, endColumn: 35, fixes: [{ kind: 'suggestion', title: 'Remove CAP_CHOWN from capabilities.add', output: pod('    - name: app\n      securityContext:\n        capabilities:\n          add: [NET_RAW, CHOWN, SYS_ADMIN]\n') }] },
        { message: `Container "app" in Pod/p adds SYS_ADMIN${NOT_ALLOWED}${PSS_B}`, detail: `Only ${BASELINE_LIST} may be added.${riskTail('SYS_ADMIN')}`, line: 10, column: 44, endLine: 10, endColumn: 53, fixes: [{ kind: 'suggestion', title: 'Remove SYS_ADMIN from capabilities.add', output: pod('    - name: app\n      securityContext:\n        capabilities:\n          add: [NET_RAW, CAP_CHOWN, CHOWN]\n') }] },
      ],
    },
    {
      name: 'restricted: only NET_BIND_SERVICE may be added',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('    - name: app\n      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: [NET_BIND_SERVICE, CHOWN]\n'),
      errors: [{ message: `Container "app" in Pod/p adds CHOWN: only NET_BIND_SERVICE may be added${PSS_R}`, line: 11, column: 35, endLine: 11, endColumn: 40, fixes: [{ kind: 'suggestion', title: 'Remove CHOWN from capabilities.add', output: pod('    - name: app\n      securityContext:\n        capabilities:\n          drop: [ALL]\n          add: [NET_BIND_SERVICE]\n') }] }],
    },
    {
      name: 'baseline: compose NET_RAW (the nearest Docker equivalent)',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'services:\n  web:\n    image: nginx\n    cap_add: [cap_chown, NET_RAW]\n',
      errors: [{ message: `Service "web" adds NET_RAW${NOT_ALLOWED} (baseline profile)`, line: 4, column: 26, endLine: 4, endColumn: 33, fixes: [{ kind: 'suggestion', title: 'Remove NET_RAW from cap_add', output: 'services:\n  web:\n    image: nginx\n    cap_add: [cap_chown]\n' }] }],
    },
    {
      name: 'restricted: devcontainer SYS_PTRACE fails the baseline control first',
      path: '.devcontainer/devcontainer.json',
      profile: 'restricted',
      code: '{\n  "image": "x",\n  "capAdd": ["NET_BIND_SERVICE", "SYS_PTRACE"]\n}\n',
      errors: [{ message: `Devcontainer adds SYS_PTRACE${NOT_ALLOWED} (restricted profile)`, detail: `Only ${BASELINE_LIST} may be added.${riskTail('SYS_PTRACE')}`, line: 3, column: 34, endLine: 3, endColumn: 46, fixes: [{ kind: 'suggestion', title: 'Remove SYS_PTRACE from capAdd', output: '{\n  "image": "x",\n  "capAdd": ["NET_BIND_SERVICE"]\n}\n' }] }],
    },
    {
      name: 'severity in context: SYS_PTRACE in a dev container is a warning (debuggers), with the reason',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "image": "mcr.microsoft.com/devcontainers/cpp:1",\n  "runArgs": ["--cap-add=SYS_PTRACE"]\n}\n',
      errors: [
        {
          message: DEBUGGER('Devcontainer', 'SYS_PTRACE'),
          severity: 'warning',
          detail: /^Debuggers \(gdb, lldb, delve\) need SYS_PTRACE to attach to processes\. In a dev container that shares no host PID namespace .* in a Compose service or a pod it stays an error\./,
          line: 3,
          column: 15,
          endLine: 3,
          endColumn: 37,
          fixes: [{ kind: 'suggestion', title: 'Remove SYS_PTRACE from runArgs', output: '{\n  "image": "mcr.microsoft.com/devcontainers/cpp:1",\n  "runArgs": []\n}\n' }],
        },
      ],
    },
    {
      name: 'severity in context: SYS_PTRACE in a dev container that shares the host PID namespace stays an error',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "runArgs": ["--pid=host", "--cap-add=SYS_PTRACE"]\n}\n',
      errors: [
        { message: RISKY('Devcontainer', 'SYS_PTRACE'), severity: 'error', line: 2, column: 29, endLine: 2, endColumn: 51, fixes: [{ kind: 'suggestion', title: 'Remove SYS_PTRACE from runArgs', output: '{\n  "runArgs": ["--pid=host"]\n}\n' }] },
      ],
    },
    {
      name: 'severity in context: SYS_PTRACE in a Compose service stays an error',
      path: 'compose.yaml',
      code: 'services:\n  app:\n    image: golang:1.23\n    cap_add: [SYS_PTRACE]\n',
      errors: [
        { message: RISKY('Service "app"', 'SYS_PTRACE'), severity: 'error', line: 4, column: 15, endLine: 4, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove SYS_PTRACE from cap_add', output: 'services:\n  app:\n    image: golang:1.23\n' }] },
      ],
    },
  ],
});

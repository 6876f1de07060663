import rule from '../../server/src/engine/rules/require-no-new-privileges';
import { RuleTester } from '../rule-tester';

const MISSING_C = (s: string) => `Service "${s}" does not set no-new-privileges`;
const MISSING_K = (l: string) => `${l} does not set allowPrivilegeEscalation: false`;
const DISABLED = (l: string, field: string) => `${l} turns no-new-privileges off (${field.replace(/^securityContext\./, "")})`;

const pod = (container: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${container}`;

new RuleTester().run(rule, {
  valid: [
    { name: 'compose bare no-new-privileges', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - no-new-privileges\n' },
    { name: 'compose no-new-privileges=1 (Go ParseBool)', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt: ["no-new-privileges=1"]\n' },
    { name: 'compose no-new-privileges:TRUE through an anchor', path: 'compose.yml', code: 'x-sec: &sec\n  security_opt: [no-new-privileges:TRUE]\nservices:\n  web:\n    <<: *sec\n    image: nginx\n' },
    { name: 'kubernetes allowPrivilegeEscalation false', path: 'pod.yaml', code: pod('    - name: app\n      image: nginx\n      securityContext:\n        allowPrivilegeEscalation: false\n') },
    { name: 'devcontainer securityOpt no-new-privileges', path: '.devcontainer/devcontainer.json', code: '{\n  "image": "golang",\n  "securityOpt": ["no-new-privileges"]\n}\n' },
    { name: 'devcontainer runArgs --security-opt=no-new-privileges:true', path: '.devcontainer.json', code: '{\n  "image": "golang",\n  "runArgs": ["--security-opt=no-new-privileges:true"]\n}\n' },
    { name: 'kubernetes allowPrivilegeEscalation no (YAML 1.1)', path: 'pod.yaml', code: pod('    - name: app\n      securityContext: {allowPrivilegeEscalation: no}\n') },
    { name: 'baseline profile: allowPrivilegeEscalation is a restricted control, the rule is off', path: 'pod.yaml', profile: 'baseline', code: pod('    - name: app\n      image: nginx\n') },
    { name: 'a Windows pod cannot set allowPrivilegeEscalation (exempt from 1.25)', path: 'pod.yaml', profile: 'restricted', code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  os:\n    name: windows\n  containers:\n    - name: app\n      image: mcr.microsoft.com/windows/servercore\n' },
  ],
  invalid: [
    {
      name: 'compose without security_opt: block list created in the file\'s style',
      path: 'docker-compose.yml',
      code: 'services:\n  web:\n    image: nginx # pinned later\n  db:\n    image: postgres\n    security_opt:\n    - no-new-privileges\n',
      errors: [{ message: MISSING_C('web'), line: 2, column: 3, endLine: 2, endColumn: 6, fixes: [{ kind: 'safe', title: 'Add security_opt: [no-new-privileges:true]', output: 'services:\n  web:\n    image: nginx # pinned later\n    security_opt:\n    - no-new-privileges:true\n  db:\n    image: postgres\n    security_opt:\n    - no-new-privileges\n' }] }],
    },
    {
      name: 'compose existing flow list extended in flow style',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    security_opt: [apparmor:docker-default]\n',
      errors: [{ message: MISSING_C('web'), line: 2, column: 3, endLine: 2, endColumn: 6, fixes: [{ kind: 'safe', title: 'Add no-new-privileges:true to security_opt', output: 'services:\n  web:\n    image: nginx\n    security_opt: [apparmor:docker-default, no-new-privileges:true]\n' }] }],
    },
    {
      name: 'compose existing block list extended in block style',
      path: 'compose.yml',
      code: 'services:\n  web:\n    security_opt:\n      - label:type:svirt_t # selinux\n    image: nginx\n',
      errors: [{ message: MISSING_C('web'), line: 2, column: 3, endLine: 2, endColumn: 6, fixes: [{ kind: 'safe', title: 'Add no-new-privileges:true to security_opt', output: 'services:\n  web:\n    security_opt:\n      - label:type:svirt_t # selinux\n      - no-new-privileges:true\n    image: nginx\n' }] }],
    },
    {
      name: 'compose explicit false flagged at the entry, quotes kept',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - "no-new-privileges=false"\n',
      errors: [{ message: DISABLED('Service "web"', 'security_opt'), line: 5, column: 9, endLine: 5, endColumn: 34, fixes: [{ kind: 'suggestion', title: 'Set no-new-privileges:true', output: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - "no-new-privileges:true"\n' }] }],
    },
    {
      name: 'kubernetes container without securityContext: created with the file\'s indentation',
      path: 'pod.yaml',
      code: pod('  - name: app\n    image: nginx\n'),
      errors: [{ message: MISSING_K('Container "app" in Pod/p'), line: 7, column: 5, endLine: 7, endColumn: 14, fixes: [{ kind: 'safe', title: 'Set allowPrivilegeEscalation: false', output: pod('  - name: app\n    image: nginx\n    securityContext:\n      allowPrivilegeEscalation: false\n') }] }],
    },
    {
      name: 'kubernetes existing securityContext gets the key',
      path: 'pod.yaml',
      code: pod('    - name: app\n      securityContext:\n        runAsNonRoot: true\n'),
      errors: [{ message: MISSING_K('Container "app" in Pod/p'), line: 7, column: 7, endLine: 7, endColumn: 16, fixes: [{ kind: 'safe', title: 'Set allowPrivilegeEscalation: false', output: pod('    - name: app\n      securityContext:\n        runAsNonRoot: true\n        allowPrivilegeEscalation: false\n') }] }],
    },
    {
      name: 'kubernetes explicit true flagged at the value',
      path: 'pod.yaml',
      code: pod('    - name: app\n      securityContext:\n        allowPrivilegeEscalation: true\n'),
      errors: [{ message: DISABLED('Container "app" in Pod/p', 'securityContext.allowPrivilegeEscalation'), line: 9, column: 9, endLine: 9, endColumn: 39, fixes: [{ kind: 'suggestion', title: 'Set allowPrivilegeEscalation: false', output: pod('    - name: app\n      securityContext:\n        allowPrivilegeEscalation: false\n') }] }],
    },
    {
      name: 'devcontainer without no-new-privileges: reported on the top-level object, list extended',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  // Go dev\n  "image": "golang",\n  "securityOpt": ["seccomp=unconfined"]\n}\n',
      errors: [{ message: 'Devcontainer does not set no-new-privileges', detail: 'A setuid binary or a file capability inside can raise a process to more privilege than the container started with. Set "securityOpt": ["no-new-privileges:true"].', line: 1, column: 1, endLine: 1, endColumn: 2, fixes: [{ kind: 'suggestion', title: 'Add "no-new-privileges:true" to securityOpt', output: '{\n  // Go dev\n  "image": "golang",\n  "securityOpt": ["seccomp=unconfined", "no-new-privileges:true"]\n}\n' }] }],
    },
    {
      name: 'devcontainer two-element runArgs false',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "image": "golang",\n  "runArgs": ["--security-opt", "no-new-privileges=false"]\n}\n',
      errors: [{ message: DISABLED('Devcontainer', 'runArgs'), line: 3, column: 15, endLine: 3, endColumn: 58, fixes: [{ kind: 'suggestion', title: 'Change "no-new-privileges=false" to "no-new-privileges:true" in runArgs', output: '{\n  "image": "golang",\n  "runArgs": ["--security-opt", "no-new-privileges:true"]\n}\n' }] }],
    },
    {
      name: 'restricted: names the allowPrivilegeEscalation control (must be set)',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('    - name: app\n      image: nginx\n'),
      errors: [{ message: 'Container "app" in Pod/p does not set allowPrivilegeEscalation: false (PSS restricted: Privilege Escalation)', line: 7, column: 7, endLine: 7, endColumn: 16, fixes: [{ kind: 'safe', title: 'Set allowPrivilegeEscalation: false', output: pod('    - name: app\n      image: nginx\n      securityContext:\n        allowPrivilegeEscalation: false\n') }] }],
    },
    {
      name: 'restricted: compose no-new-privileges:false, the nearest Docker equivalent',
      path: 'compose.yml',
      profile: 'restricted',
      code: 'services:\n  web:\n    image: nginx\n    security_opt: ["no-new-privileges:false"]\n',
      errors: [{ message: 'Service "web" turns no-new-privileges off (security_opt) (restricted profile)', line: 4, column: 20, endLine: 4, endColumn: 45, fixes: [{ kind: 'suggestion', title: 'Set no-new-privileges:true', output: 'services:\n  web:\n    image: nginx\n    security_opt: ["no-new-privileges:true"]\n' }] }],
    },
  ],
});

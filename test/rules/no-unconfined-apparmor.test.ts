import rule from '../../server/src/engine/rules/no-unconfined-apparmor';
import { RuleTester } from '../rule-tester';

const PSS = ' (PSS baseline: AppArmor)';
const SHORT = (s: string) => s.replace(/^(spec\.)?securityContext\./, '').replace(/^legacy AppArmor annotation: /, 'AppArmor annotation ');
const UNCONFINED = (l: string, s: string, pss = '') => `${l} runs without AppArmor (${SHORT(s)})${pss}`;
const OVERRIDDEN = (l: string, _s: string) => `${l} sets appArmorProfile Unconfined at pod level`;
const PSS_VALUE = (l: string, s: string) => `${l} sets a disallowed AppArmor profile (${SHORT(s)})${PSS}`;

const pod = (meta: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;
const DEV = '.devcontainer/devcontainer.json';
const podLevel = (type: string) => pod('', `  securityContext:\n    appArmorProfile:\n      type: ${type}\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n`);

new RuleTester().run(rule, {
  valid: [
    { name: 'compose named profiles', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt: ["apparmor=docker-default"]\n  db:\n    image: postgres\n    security_opt: [apparmor:my-profile]\n' },
    { name: 'kubernetes field RuntimeDefault and a localhost annotation under baseline', path: 'pod.yaml', profile: 'baseline', code: pod('  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: localhost/k8s-b\n', '  containers:\n    - name: a\n      image: x\n      securityContext:\n        appArmorProfile:\n          type: RuntimeDefault\n    - name: b\n      image: y\n') },
    { name: 'kubernetes restricted does not require AppArmor', path: 'pod.yaml', profile: 'restricted', code: pod('', '  containers:\n    - name: a\n      image: x\n') },
    { name: 'devcontainer custom profile', path: DEV, code: '{\n  "image": "x",\n  "runArgs": ["--security-opt", "apparmor=devcontainer"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose apparmor:unconfined in a block list, comment kept',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - apparmor:unconfined # fuse\n      - no-new-privileges:true\n',
      errors: [{ message: UNCONFINED('Service "web"', 'apparmor:unconfined in security_opt'), line: 5, column: 9, endLine: 5, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Remove apparmor:unconfined from security_opt', output: 'services:\n  web:\n    image: nginx\n    security_opt:\n      # fuse\n      - no-new-privileges:true\n' }] }],
    },
    {
      name: 'compose baseline: through a merge key (no fix) and the service\'s own list',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'x-fuse: &fuse\n  security_opt: ["apparmor=unconfined"]\nservices:\n  mount:\n    <<: *fuse\n    image: a\n  web:\n    security_opt: [apparmor=unconfined]\n',
      errors: [
        { message: UNCONFINED('Service "mount"', 'apparmor=unconfined in security_opt', ' (baseline profile)'), line: 2, column: 18, endLine: 2, endColumn: 39, fixes: [] },
        { message: UNCONFINED('Service "web"', 'apparmor=unconfined in security_opt', ' (baseline profile)'), line: 8, column: 20, endLine: 8, endColumn: 39, fixes: [{ kind: 'suggestion', title: 'Remove apparmor=unconfined from security_opt', output: 'x-fuse: &fuse\n  security_opt: ["apparmor=unconfined"]\nservices:\n  mount:\n    <<: *fuse\n    image: a\n  web:\n' }] },
      ],
    },
    {
      name: 'kubernetes container field and container annotation',
      path: 'pod.yaml',
      code: pod('  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: unconfined\n', '  containers:\n    - name: a\n      image: x\n      securityContext:\n        appArmorProfile: {type: Unconfined}\n    - name: b\n      image: y\n'),
      errors: [
        { message: UNCONFINED('Container "b" in Pod/p', 'legacy AppArmor annotation: unconfined'), line: 6, column: 5, endLine: 6, endColumn: 65, fixes: [{ kind: 'suggestion', title: 'Set the AppArmor annotation to runtime/default', output: pod('  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: runtime/default\n', '  containers:\n    - name: a\n      image: x\n      securityContext:\n        appArmorProfile: {type: Unconfined}\n    - name: b\n      image: y\n') }] },
        { message: UNCONFINED('Container "a" in Pod/p', 'securityContext.appArmorProfile.type: Unconfined'), line: 12, column: 27, endLine: 12, endColumn: 43, fixes: [{ kind: 'suggestion', title: 'Set appArmorProfile type RuntimeDefault', output: pod('  annotations:\n    container.apparmor.security.beta.kubernetes.io/b: unconfined\n', '  containers:\n    - name: a\n      image: x\n      securityContext:\n        appArmorProfile: {type: RuntimeDefault}\n    - name: b\n      image: y\n') }] },
      ],
    },
    {
      name: 'kubernetes pod level inherited by two containers: reported once, about the pod',
      path: 'pod.yaml',
      profile: 'restricted',
      code: podLevel('Unconfined'),
      errors: [{ message: UNCONFINED('Pod/p', 'spec.securityContext.appArmorProfile.type: Unconfined', PSS), line: 8, column: 7, endLine: 8, endColumn: 23, fixes: [{ kind: 'suggestion', title: 'Set appArmorProfile type RuntimeDefault', output: podLevel('RuntimeDefault') }] }],
    },
    {
      name: 'kubernetes pod level every container overrides: no fix',
      path: 'pod.yaml',
      code: pod('', '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        appArmorProfile:\n          type: Localhost\n          localhostProfile: k8s-a\n'),
      errors: [{ message: OVERRIDDEN('Pod/p', 'spec.securityContext.appArmorProfile.type: Unconfined'), line: 8, column: 7, endLine: 8, endColumn: 23, fixes: [] }],
    },
    {
      name: 'kubernetes baseline: an annotation value PSS does not accept (no fix)',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: docker-default\n', '  containers:\n    - name: a\n      image: x\n'),
      errors: [{ message: PSS_VALUE('Container "a" in Pod/p', 'legacy AppArmor annotation: docker-default'), line: 6, column: 5, endLine: 6, endColumn: 69, fixes: [] }],
    },
    {
      name: 'devcontainer securityOpt and two-element runArgs',
      path: DEV,
      code: '{\n  "image": "x",\n  "securityOpt": ["apparmor:unconfined"], // fuse\n  "runArgs": ["--security-opt", "apparmor=unconfined", "--init"]\n}\n',
      errors: [{ message: UNCONFINED('Devcontainer', 'apparmor=unconfined in runArgs'), line: 4, column: 15, endLine: 4, endColumn: 54, fixes: [{ kind: 'suggestion', title: 'Remove apparmor:unconfined from securityOpt', output: '{\n  "image": "x",\n  // fuse\n  "runArgs": ["--init"]\n}\n' }] }],
    },
  ],
});

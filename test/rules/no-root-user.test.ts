import rule from '../../server/src/engine/rules/no-root-user';
import { RuleTester } from '../rule-tester';

const ROOT = (l: string, setting: string) => `${l} runs as root (${setting}): a container escape or a runtime bug such as runc CVE-2019-5736 lands as root on the host.`;
const K_UNSET = (l: string, how: string) => `${l} may run as root: ${how}. An escape or runtime bug would land as root on the host.`;
const NEITHER = 'neither runAsNonRoot: true nor a non-zero runAsUser is set, on the container or the pod';
const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;

new RuleTester().run(rule, {
  valid: [
    { name: 'compose non-root user', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    user: "1000:1000"\n' },
    { name: 'compose without user: the image decides, not flagged', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n' },
    { name: 'compose interpolated user', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    user: ${UID}\n' },
    { name: 'kubernetes runAsNonRoot at pod level inherited', path: 'pod.yaml', code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: nginx\n') },
    { name: 'kubernetes non-zero runAsUser on the container', path: 'pod.yaml', code: pod('  containers:\n    - name: app\n      securityContext:\n        runAsUser: 1000\n') },
    { name: 'kubernetes container runAsUser overrides pod runAsUser 0', path: 'pod.yaml', code: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      securityContext:\n        runAsUser: 1000\n') },
  ],
  invalid: [
    {
      name: 'compose user root',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    user: root # needed?\n',
      errors: [{ message: ROOT('Service "web"', 'user: root'), line: 4, column: 5, endLine: 4, endColumn: 15, fixes: [{ title: 'Set user: "10001:10001"', output: 'services:\n  web:\n    image: nginx\n    user: "10001:10001" # needed?\n' }] }],
    },
    {
      name: 'compose user 0:0 with a configured uid',
      path: 'compose.yml',
      nonRootUid: 2000,
      code: 'services:\n  web:\n    image: nginx\n    user: "0:0"\n',
      errors: [{ message: ROOT('Service "web"', 'user: 0:0'), line: 4, column: 5, endLine: 4, endColumn: 16, fixes: [{ title: 'Set user: "2000:2000"', output: 'services:\n  web:\n    image: nginx\n    user: "2000:2000"\n' }] }],
    },
    {
      name: 'compose root:wheel through extends',
      path: 'compose.yml',
      code: 'services:\n  base:\n    image: x\n    user: root:wheel\n  app:\n    extends:\n      service: base\n',
      errors: [
        { message: ROOT('Service "base"', 'user: root:wheel'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ title: 'Set user: "10001:10001"', output: 'services:\n  base:\n    image: x\n    user: "10001:10001"\n  app:\n    extends:\n      service: base\n' }] },
        { message: ROOT('Service "app"', 'user: root:wheel'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ title: 'Set user: "10001:10001"', output: 'services:\n  base:\n    image: x\n    user: root:wheel\n  app:\n    extends:\n      service: base\n    user: "10001:10001"\n' }] },
      ],
    },
    {
      name: 'kubernetes nothing set: reported on the container name',
      path: 'pod.yaml',
      code: pod('  containers:\n    - name: app\n      image: nginx\n'),
      errors: [{ message: K_UNSET('Container "app" in Pod/p', NEITHER), line: 7, column: 7, endLine: 7, endColumn: 16, fixes: [{ title: 'Set runAsNonRoot: true', output: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n') }] }],
    },
    {
      name: 'kubernetes runAsUser 0 at pod level: the container overrides it',
      path: 'pod.yaml',
      code: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      image: nginx\n'),
      errors: [{ message: ROOT('Container "app" in Pod/p', 'runAsUser: 0 at pod level'), line: 7, column: 5, endLine: 7, endColumn: 17, fixes: [{ title: 'Set runAsNonRoot: true and runAsUser: 10001', output: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] }],
    },
    {
      name: 'kubernetes runAsNonRoot false flagged at the value',
      path: 'pod.yaml',
      code: pod('  containers:\n    - name: app\n      securityContext:\n        runAsNonRoot: false\n'),
      errors: [{ message: K_UNSET('Container "app" in Pod/p', 'securityContext.runAsNonRoot: false, and no non-zero runAsUser is set'), line: 9, column: 9, endLine: 9, endColumn: 28, fixes: [{ title: 'Set runAsNonRoot: true', output: pod('  containers:\n    - name: app\n      securityContext:\n        runAsNonRoot: true\n') }] }],
    },
  ],
});

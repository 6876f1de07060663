import rule from '../../server/src/engine/rules/require-read-only-root-filesystem';
import { RuleTester } from '../rule-tester';

const WHY = 'a process that gets in can change the image\'s programs and configuration, or drop its own tools, and the change lasts as long as the container';
const MISSING = (l: string, _setting: string) => `${l} does not make its root filesystem read-only`;
const DISABLED = (l: string, setting: string) => `${l} sets ${setting.replace(/^securityContext\./, '')}`;
const pod = (body: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${body}`;

const compose = 'x-base: &base\n  read_only: false\nservices:\n  web:\n    image: nginx\n  api:\n    image: x\n    read_only: false # writes /tmp\n  worker:\n    <<: *base\n    image: w\n';
const k8s = pod('  containers:\n    - name: app\n      image: x\n    - name: side\n      image: y\n      securityContext:\n        readOnlyRootFilesystem: false\n');

new RuleTester().run(rule, {
  valid: [
    { name: 'compose: off by default', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n' },
    { name: 'compose restricted: read_only true (YAML 1.1 yes too), through a merge key', path: 'compose.yml', profile: 'restricted', code: 'x: &b\n  read_only: true\nservices:\n  a:\n    image: x\n    read_only: yes\n  b:\n    <<: *b\n    image: y\n' },
    { name: 'kubernetes baseline: not a Pod Security Standards control', path: 'pod.yaml', profile: 'baseline', code: pod('  containers:\n    - name: a\n      image: x\n') },
    { name: 'kubernetes restricted: readOnlyRootFilesystem true', path: 'pod.yaml', profile: 'restricted', code: pod('  containers:\n    - name: a\n      securityContext: {readOnlyRootFilesystem: true}\n') },
    { name: 'kubernetes restricted: a Windows pod cannot set it', path: 'pod.yaml', profile: 'restricted', code: pod('  os: {name: windows}\n  containers:\n    - name: a\n      image: mcr.microsoft.com/windows/nanoserver\n') },
    { name: 'devcontainer restricted: --read-only', path: '.devcontainer/devcontainer.json', profile: 'restricted', code: '{ "runArgs": ["--read-only"] }' },
  ],
  invalid: [
    {
      name: 'compose restricted: missing, false on the service (comment kept), false through a merge key (overridden on the service)',
      path: 'compose.yml',
      profile: 'restricted',
      code: compose,
      errors: [
        { message: DISABLED('Service "worker"', 'read_only: false'), line: 2, column: 3, endLine: 2, endColumn: 19, fixes: [{ kind: 'suggestion', title: 'Set read_only: true', output: `${compose}    read_only: true\n` }] },
        { message: MISSING('Service "web"', 'read_only: true'), detail: `Without read_only: true, ${WHY}. Writable paths the application needs (/tmp, caches) can be given a tmpfs or an emptyDir.`, line: 4, column: 3, endLine: 4, endColumn: 6, fixes: [{ kind: 'suggestion', title: 'Set read_only: true', output: compose.replace('    image: nginx\n', '    image: nginx\n    read_only: true\n') }] },
        { message: DISABLED('Service "api"', 'read_only: false'), line: 8, column: 5, endLine: 8, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Set read_only: true', output: compose.replace('read_only: false # writes', 'read_only: true # writes') }] },
      ],
    },
    {
      name: 'kubernetes restricted: missing (securityContext created) and false',
      path: 'pod.yaml',
      profile: 'restricted',
      code: k8s,
      errors: [
        { message: MISSING('Container "app" in Pod/p', 'securityContext.readOnlyRootFilesystem: true'), line: 7, column: 7, endLine: 7, endColumn: 16, fixes: [{ kind: 'suggestion', title: 'Set readOnlyRootFilesystem: true', output: k8s.replace('      image: x\n', '      image: x\n      securityContext:\n        readOnlyRootFilesystem: true\n') }] },
        { message: DISABLED('Container "side" in Pod/p', 'securityContext.readOnlyRootFilesystem: false'), line: 12, column: 9, endLine: 12, endColumn: 38, fixes: [{ kind: 'suggestion', title: 'Set readOnlyRootFilesystem: true', output: k8s.replace('readOnlyRootFilesystem: false', 'readOnlyRootFilesystem: true') }] },
      ],
    },
    {
      name: 'devcontainer restricted: --read-only=false rewritten (comment kept)',
      path: '.devcontainer/devcontainer.json',
      profile: 'restricted',
      code: '{\n  "image": "x", // base\n  "runArgs": ["--init", "--read-only=false"]\n}\n',
      errors: [{ message: DISABLED('Devcontainer', '--read-only=false in runArgs'), line: 3, column: 25, endLine: 3, endColumn: 44, fixes: [{ kind: 'suggestion', title: 'Set --read-only in runArgs', output: '{\n  "image": "x", // base\n  "runArgs": ["--init", "--read-only"]\n}\n' }] }],
    },
    {
      name: 'devcontainer restricted: missing (runArgs created)',
      path: '.devcontainer/devcontainer.json',
      profile: 'restricted',
      code: '{\n  "image": "x"\n}\n',
      errors: [{ message: MISSING('Devcontainer', '"runArgs": ["--read-only"]'), line: 1, column: 1, endLine: 1, endColumn: 2, fixes: [{ kind: 'suggestion', title: 'Add --read-only to runArgs', output: '{\n  "image": "x",\n  "runArgs": ["--read-only"]\n}\n' }] }],
    },
  ],
});

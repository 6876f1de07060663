import rule from '../../server/src/engine/rules/no-unconfined-seccomp';
import { RuleTester } from '../rule-tester';

const BASELINE = ' (PSS baseline: Seccomp)';
const RESTRICTED = ' (PSS restricted: Seccomp)';
const UNCONFINED = (l: string, s: string, pss = '') => `${l} runs without seccomp (${s.replace(/^(spec\.)?securityContext\./, '').replace(/^legacy seccomp annotation: /, 'seccomp annotation ')})${pss}`;
const OVERRIDDEN = (l: string, _s: string, pss = '') => `${l} sets seccompProfile Unconfined at pod level${pss}`;
const MISSING = (l: string) => `${l} sets no seccompProfile, nor does its pod${RESTRICTED}`;
const MISSING_FIELD = (l: string) => `${l} has a legacy seccomp annotation, no seccompProfile${RESTRICTED}`;

const PSS_VALUE = (l: string, s: string, pss: string) => `${l} sets an unknown seccompProfile type (${s.replace(/^(spec\.)?securityContext\./, '')})${pss}`;

const pod = (meta: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;
const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n${spec}`;
const DEV = '.devcontainer/devcontainer.json';

const podLevel = (type: string, bType: string) => deployment(
  `      securityContext:\n        seccompProfile:\n          type: ${type} # debug\n      initContainers:\n        - name: init\n          image: busybox\n      containers:\n        - name: a\n          image: x\n        - name: b\n          image: y\n          securityContext:\n            seccompProfile: {type: ${bType}}\n`,
);

new RuleTester().run(rule, {
  valid: [
    { name: 'compose custom profile file and builtin', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt: ["seccomp=./profile.json"]\n  db:\n    image: postgres\n    security_opt: [seccomp:builtin]\n' },
    { name: 'compose restricted: nothing written means Docker\'s default profile', path: 'compose.yml', profile: 'restricted', code: 'services:\n  web:\n    image: nginx\n' },
    { name: 'kubernetes pod RuntimeDefault, container Localhost', path: 'pod.yaml', code: pod('', '  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        seccompProfile:\n          type: Localhost\n          localhostProfile: profiles/a.json\n    - name: b\n      image: y\n') },
    { name: 'kubernetes nothing written: only restricted asks for a profile', path: 'pod.yaml', profile: 'baseline', code: pod('', '  containers:\n    - name: a\n      image: x\n') },
    { name: 'kubernetes restricted: the pod level covers every container', path: 'pod.yaml', profile: 'restricted', code: pod('', '  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  initContainers:\n    - name: i\n      image: x\n  containers:\n    - name: a\n      image: x\n') },
    { name: 'kubernetes restricted: a Windows pod is exempt (PSS 1.25+)', path: 'pod.yaml', profile: 'restricted', code: pod('', '  os:\n    name: windows\n  containers:\n    - name: a\n      image: x\n') },
    { name: 'kubernetes legacy annotation runtime/default (default profile)', path: 'pod.yaml', code: pod('  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: docker/default\n', '  containers:\n    - name: a\n      image: x\n') },
    { name: 'kubernetes an unknown type is not reported in the default profile', path: 'pod.yaml', code: pod('', '  containers:\n    - name: a\n      image: x\n      securityContext:\n        seccompProfile: {type: LocalPort}\n') },
    { name: 'devcontainer custom profile in runArgs', path: DEV, code: '{\n  "image": "x",\n  "runArgs": ["--security-opt", "seccomp=${localWorkspaceFolder}/seccomp.json"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose seccomp:unconfined among other options, comment kept',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - seccomp:unconfined # gdb\n      - no-new-privileges:true\n',
      errors: [{ message: UNCONFINED('Service "web"', 'seccomp:unconfined in security_opt'), line: 5, column: 9, endLine: 5, endColumn: 27, fixes: [{ kind: 'suggestion', title: 'Remove seccomp:unconfined from security_opt', output: 'services:\n  web:\n    image: nginx\n    security_opt:\n      # gdb\n      - no-new-privileges:true\n' }] }],
    },
    {
      name: 'compose baseline: the only option in a flow list, the list goes; names the control',
      path: 'docker-compose.yml',
      profile: 'baseline',
      code: 'services:\n  web:\n    security_opt: ["seccomp=unconfined"]\n    image: nginx\n',
      errors: [{ message: UNCONFINED('Service "web"', 'seccomp=unconfined in security_opt', ' (baseline profile)'), line: 3, column: 20, endLine: 3, endColumn: 40, fixes: [{ kind: 'suggestion', title: 'Remove "seccomp=unconfined" from security_opt', output: 'services:\n  web:\n    image: nginx\n' }] }],
    },
    {
      name: 'compose through a merge key: reported for each service, no fix (the anchor is shared)',
      path: 'compose.yml',
      code: 'x-debug: &debug\n  security_opt: [seccomp=unconfined]\nservices:\n  web:\n    <<: *debug\n    image: nginx\n  api:\n    <<: *debug\n    image: node\n',
      errors: [
        { message: UNCONFINED('Service "web"', 'seccomp=unconfined in security_opt'), line: 2, column: 18, endLine: 2, endColumn: 36, fixes: [] },
        { message: UNCONFINED('Service "api"', 'seccomp=unconfined in security_opt'), line: 2, column: 18, endLine: 2, endColumn: 36, fixes: [] },
      ],
    },
    {
      name: 'kubernetes pod level reported once (init and first container inherit it), the container\'s own separately',
      path: 'deploy.yaml',
      profile: 'baseline',
      code: podLevel('Unconfined', 'Unconfined'),
      errors: [
        { message: UNCONFINED('Deployment/api', 'spec.securityContext.seccompProfile.type: Unconfined', BASELINE), line: 10, column: 11, endLine: 10, endColumn: 27, fixes: [{ kind: 'suggestion', title: 'Set seccompProfile type RuntimeDefault', output: podLevel('RuntimeDefault', 'Unconfined') }] },
        { message: UNCONFINED('Container "b" in Deployment/api', 'securityContext.seccompProfile.type: Unconfined', BASELINE), line: 20, column: 30, endLine: 20, endColumn: 46, fixes: [{ kind: 'suggestion', title: 'Set seccompProfile type RuntimeDefault', output: podLevel('Unconfined', 'RuntimeDefault') }] },
      ],
    },
    {
      name: 'kubernetes pod level Unconfined every container overrides: one finding, no fix',
      path: 'pod.yaml',
      code: pod('', '  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        seccompProfile: {type: RuntimeDefault}\n'),
      errors: [{ message: OVERRIDDEN('Pod/p', 'spec.securityContext.seccompProfile.type: Unconfined'), line: 8, column: 7, endLine: 8, endColumn: 23, fixes: [] }],
    },
    {
      name: 'kubernetes pod-wide legacy annotation: once, about the pod; fixed to runtime/default',
      path: 'pod.yaml',
      code: pod('  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: unconfined\n', '  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n'),
      errors: [{ message: UNCONFINED('Pod/p', 'legacy seccomp annotation: unconfined'), line: 6, column: 5, endLine: 6, endColumn: 57, fixes: [{ kind: 'suggestion', title: 'Set the seccomp annotation to runtime/default', output: pod('  annotations:\n    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n', '  containers:\n    - name: a\n      image: x\n    - name: b\n      image: y\n') }] }],
    },
    {
      name: 'kubernetes restricted: a missing profile, an annotation only, and an unconfined annotation',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  annotations:\n    container.seccomp.security.alpha.kubernetes.io/b: runtime/default\n    container.seccomp.security.alpha.kubernetes.io/c: unconfined\n', '  containers:\n    - name: a\n      image: x\n    - name: b\n      image: x\n    - name: c\n      image: x\n'),
      errors: [
        { message: UNCONFINED('Container "c" in Pod/p', 'legacy seccomp annotation: unconfined', RESTRICTED), line: 7, column: 5, endLine: 7, endColumn: 65, fixes: [{ kind: 'suggestion', title: 'Set the seccomp annotation to runtime/default', output: pod('  annotations:\n    container.seccomp.security.alpha.kubernetes.io/b: runtime/default\n    container.seccomp.security.alpha.kubernetes.io/c: runtime/default\n', '  containers:\n    - name: a\n      image: x\n    - name: b\n      image: x\n    - name: c\n      image: x\n') }] },
        { message: MISSING('Container "a" in Pod/p'), line: 10, column: 7, endLine: 10, endColumn: 14, fixes: [{ kind: 'safe', title: 'Set seccompProfile type RuntimeDefault', output: pod('  annotations:\n    container.seccomp.security.alpha.kubernetes.io/b: runtime/default\n    container.seccomp.security.alpha.kubernetes.io/c: unconfined\n', '  containers:\n    - name: a\n      image: x\n      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n    - name: b\n      image: x\n    - name: c\n      image: x\n') }] },
        { message: MISSING_FIELD('Container "b" in Pod/p'), line: 12, column: 7, endLine: 12, endColumn: 14, fixes: [] },
      ],
    },
    {
      name: 'kubernetes profiles: an unknown type at pod level (every container overrides it) and on a container',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('', '  securityContext:\n    seccompProfile:\n      type: Default\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        seccompProfile: {type: LocalPort}\n'),
      errors: [
        { message: PSS_VALUE('Pod/p', 'spec.securityContext.seccompProfile.type: Default', BASELINE), line: 8, column: 7, endLine: 8, endColumn: 20, fixes: [] },
        { message: PSS_VALUE('Container "a" in Pod/p', 'securityContext.seccompProfile.type: LocalPort', BASELINE), line: 13, column: 26, endLine: 13, endColumn: 41, fixes: [] },
      ],
    },
    {
      name: 'devcontainer securityOpt and one-element runArgs: both entries removed',
      path: DEV,
      code: '{\n  "image": "x",\n  // for dlv\n  "securityOpt": ["seccomp=unconfined", "label=disable"],\n  "runArgs": ["--init", "--security-opt=seccomp=unconfined"]\n}\n',
      errors: [{ message: UNCONFINED('Devcontainer', 'seccomp=unconfined in runArgs'), line: 5, column: 25, endLine: 5, endColumn: 60, fixes: [{ kind: 'suggestion', title: 'Remove seccomp=unconfined from securityOpt', output: '{\n  "image": "x",\n  // for dlv\n  "securityOpt": ["label=disable"],\n  "runArgs": ["--init"]\n}\n' }] }],
    },
    {
      name: 'devcontainer two-element --security-opt under restricted',
      path: DEV,
      profile: 'restricted',
      code: '{\n  "image": "x",\n  "runArgs": ["--security-opt", "seccomp=unconfined"]\n}\n',
      errors: [{ message: UNCONFINED('Devcontainer', 'seccomp=unconfined in runArgs', ' (restricted profile)'), line: 3, column: 15, endLine: 3, endColumn: 53, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt seccomp=unconfined from runArgs', output: '{\n  "image": "x",\n  "runArgs": []\n}\n' }] }],
    },
    {
      name: 'severity in context: seccomp=unconfined in a Rust dev container is a warning that names the toolchain; the fix is a suggestion',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "image": "mcr.microsoft.com/devcontainers/rust:1",\n  "runArgs": ["--security-opt", "seccomp=unconfined"]\n}\n',
      errors: [
        {
          message: 'Devcontainer runs without seccomp (seccomp=unconfined in runArgs), as Rust debuggers often need',
          severity: 'warning',
          detail: /^The dev container is set up for Rust \(image mcr\.microsoft\.com\/devcontainers\/rust:1\), and its debuggers .* in a Compose service or a pod it stays an error\./,
          line: 3,
          column: 15,
          endLine: 3,
          endColumn: 53,
          fixes: [{ title: 'Remove --security-opt seccomp=unconfined from runArgs', kind: 'suggestion', output: '{\n  "image": "mcr.microsoft.com/devcontainers/rust:1",\n  "runArgs": []\n}\n' }],
        },
      ],
    },
  ],
});

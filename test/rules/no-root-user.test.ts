import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import rule from '../../server/src/engine/rules/no-root-user';
import { RuleTester } from '../rule-tester';

const ROOT = (l: string, setting: string) => `${l} runs as root (${setting})`;
const K_UNSET = (l: string, short: string) => `${l} may run as root (${short})`;
const NEITHER = 'neither runAsNonRoot: true nor a non-zero runAsUser is set, on the container or the pod';
const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const USERNS = "but in the pod's own user namespace (hostUsers: false) uid 0 maps to an unprivileged uid on the host, so an escape does not land as host root; Pod Security Standards v1.35+ allow it. A non-root user still narrows what a process can do inside.";
const NON_ROOT = ' (PSS restricted: Running as Non-root)';
const NON_ROOT_USER = ' (PSS restricted: Running as Non-root user)';
const RESTRICTED = ' (restricted profile)';
const ESCAPE = 'a container escape or a runtime bug such as runc CVE-2019-5736 lands as root on the host';

new RuleTester().run(rule, {
  valid: [
    // #11: a base image the image-user table knows to run as non-root (knowledge/image-users.ts), directly or through an earlier stage.
    { name: 'dockerfile without USER FROM a known non-root image (distroless :nonroot)', path: 'Dockerfile', code: 'FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /app\n' },
    { name: 'dockerfile without USER FROM a stage built on a known non-root image, through an ARG', path: 'Dockerfile', code: 'ARG RUNTIME=gcr.io/distroless/base:nonroot\nFROM golang AS build\nRUN go build\nFROM ${RUNTIME} AS run\nFROM run\nCOPY --from=build /app /app\n' },
    { name: 'compose non-root user', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    user: "1000:1000"\n' },
    { name: 'compose without user: the image decides, not flagged', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n' },
    { name: 'compose interpolated user', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    user: ${UID}\n' },
    { name: 'kubernetes runAsNonRoot at pod level inherited', path: 'pod.yaml', code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: nginx\n') },
    { name: 'kubernetes non-zero runAsUser on the container', path: 'pod.yaml', code: pod('  containers:\n    - name: app\n      securityContext:\n        runAsUser: 1000\n') },
    { name: 'kubernetes container runAsUser overrides pod runAsUser 0', path: 'pod.yaml', code: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      securityContext:\n        runAsUser: 1000\n') },
    { name: 'dockerfile final stage USER after a root build stage', path: 'Dockerfile', code: 'FROM golang AS build\nUSER root\nRUN make\nFROM gcr.io/distroless/static\nUSER 65532:65532\n' },
    { name: 'dockerfile USER from an ARG without default is unknown', path: 'Dockerfile', code: 'FROM alpine\nARG UID\nUSER ${UID}\n' },
    { name: 'dockerfile final stage inherits a non-root USER from an earlier stage', path: 'Containerfile', code: 'FROM alpine AS base\nUSER app\nFROM base\nCMD ["sh"]\n' },
    { name: 'devcontainer non-root users', path: '.devcontainer/devcontainer.json', code: '{\n  "image": "x",\n  "containerUser": "vscode",\n  "remoteUser": "vscode"\n}\n' },
    // Profiles: baseline has no user control, so the rule is off there.
    { name: 'baseline profile: root is not a baseline control', path: 'compose.yml', profile: 'baseline', code: 'services:\n  web:\n    image: nginx\n    user: root\n' },
    { name: 'baseline profile: kubernetes runAsUser 0', path: 'pod.yaml', profile: 'baseline', code: pod('  containers:\n    - name: app\n      securityContext:\n        runAsUser: 0\n') },
    { name: 'restricted: runAsNonRoot true at pod level covers the container', path: 'pod.yaml', profile: 'restricted', code: pod('  securityContext:\n    runAsNonRoot: true\n  containers:\n    - name: app\n      image: nginx\n') },
    { name: 'restricted: hostUsers false relaxes runAsNonRoot and runAsUser (v1.35)', path: 'pod.yaml', profile: 'restricted', code: pod('  hostUsers: false\n  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      securityContext:\n        runAsNonRoot: false\n') },
    { name: 'restricted: compose with a non-root user', path: 'compose.yml', profile: 'restricted', code: 'services:\n  web:\n    image: nginx\n    user: "1000:1000"\n' },
    { name: 'restricted: dockerfile with a non-root USER', path: 'Dockerfile', profile: 'restricted', code: 'FROM alpine\nUSER 10001\n' },
    { name: 'restricted: devcontainer with a non-root containerUser', path: '.devcontainer/devcontainer.json', profile: 'restricted', code: '{\n  "image": "x",\n  "containerUser": "vscode"\n}\n' },
  ],
  invalid: [
    {
      name: 'dockerfile multi-stage: only the final stage counts, USER added before CMD',
      path: 'Dockerfile',
      code: 'FROM golang:1.22 AS build\nUSER builder\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=build /app /app\nCMD ["/app"]\n',
      errors: [{ message: 'The final stage sets no USER: the image runs as root unless its base image sets a user', line: 4, column: 1, endLine: 4, endColumn: 26, fixes: [{ kind: 'suggestion', title: 'Add USER 10001 to the final stage', output: 'FROM golang:1.22 AS build\nUSER builder\nRUN go build -o /app .\nFROM debian:bookworm-slim\nCOPY --from=build /app /app\nUSER 10001\nCMD ["/app"]\n' }] }],
    },
    {
      name: 'dockerfile USER through a global ARG default',
      path: 'Dockerfile',
      code: 'ARG APP_USER=root\nFROM alpine\nARG APP_USER\nUSER ${APP_USER}\n',
      errors: [{ message: ROOT('Final stage (FROM alpine)', 'USER ${APP_USER} resolves to root (global ARG APP_USER default)'), line: 4, column: 1, endLine: 4, endColumn: 17, fixes: [{ kind: 'suggestion', title: 'Replace USER ${APP_USER} with USER 10001', output: 'ARG APP_USER=root\nFROM alpine\nARG APP_USER\nUSER 10001\n' }] }],
    },
    {
      name: 'devcontainer containerUser root: no automatic fix (the right user depends on the image)',
      path: '.devcontainer/devcontainer.json',
      code: '{\n  "image": "x",\n  "containerUser": "root"\n}\n',
      errors: [{ message: ROOT('Devcontainer', 'containerUser is "root"'), line: 3, column: 3, endLine: 3, endColumn: 26, fixes: [] }],
    },
    {
      name: 'compose user root',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    user: root # needed?\n',
      errors: [{ message: ROOT('Service "web"', 'user: root'), detail: `With root inside, ${ESCAPE}. Set a non-root user the image can run as.`, line: 4, column: 5, endLine: 4, endColumn: 15, fixes: [{ kind: 'suggestion', title: 'Set user: "10001:10001"', output: 'services:\n  web:\n    image: nginx\n    user: "10001:10001" # needed?\n' }] }],
    },
    {
      name: 'compose user 0:0 with a configured uid',
      path: 'compose.yml',
      nonRootUid: 2000,
      code: 'services:\n  web:\n    image: nginx\n    user: "0:0"\n',
      errors: [{ message: ROOT('Service "web"', 'user: 0:0'), line: 4, column: 5, endLine: 4, endColumn: 16, fixes: [{ kind: 'suggestion', title: 'Set user: "2000:2000"', output: 'services:\n  web:\n    image: nginx\n    user: "2000:2000"\n' }] }],
    },
    {
      name: 'compose root:wheel through extends',
      path: 'compose.yml',
      code: 'services:\n  base:\n    image: x\n    user: root:wheel\n  app:\n    extends:\n      service: base\n',
      errors: [
        { message: ROOT('Service "base"', 'user: root:wheel'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Set user: "10001:10001"', output: 'services:\n  base:\n    image: x\n    user: "10001:10001"\n  app:\n    extends:\n      service: base\n' }] },
        { message: ROOT('Service "app"', 'user: root:wheel'), line: 4, column: 5, endLine: 4, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Set user: "10001:10001"', output: 'services:\n  base:\n    image: x\n    user: root:wheel\n  app:\n    extends:\n      service: base\n    user: "10001:10001"\n' }] },
      ],
    },
    {
      name: 'kubernetes nothing set: reported on the container name',
      path: 'pod.yaml',
      code: pod('  containers:\n    - name: app\n      image: nginx\n'),
      errors: [{ message: K_UNSET('Container "app" in Pod/p', 'no runAsNonRoot or runAsUser'), detail: /^Neither runAsNonRoot: true nor a non-zero runAsUser is set, on the container or the pod, so the image's user applies/, line: 7, column: 7, endLine: 7, endColumn: 16, fixes: [{ title: 'Set runAsNonRoot: true and runAsUser: 10001', kind: 'suggestion', output: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] }],
    },
    {
      name: 'kubernetes runAsUser 0 at pod level: the container overrides it',
      path: 'pod.yaml',
      code: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      image: nginx\n'),
      errors: [{ message: ROOT('Container "app" in Pod/p', 'runAsUser: 0 at pod level'), line: 7, column: 5, endLine: 7, endColumn: 17, fixes: [{ kind: 'suggestion', title: 'Set runAsNonRoot: true and runAsUser: 10001', output: pod('  securityContext:\n    runAsUser: 0\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] }],
    },
    {
      name: 'kubernetes runAsNonRoot false flagged at the value',
      path: 'pod.yaml',
      code: pod('  containers:\n    - name: app\n      securityContext:\n        runAsNonRoot: false\n'),
      errors: [{ message: K_UNSET('Container "app" in Pod/p', 'runAsNonRoot: false'), line: 9, column: 9, endLine: 9, endColumn: 28, fixes: [{ title: 'Set runAsNonRoot: true and runAsUser: 10001', kind: 'suggestion', output: pod('  containers:\n    - name: app\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] }],
    },
    // hostUsers: false in the default profile: reported at info, saying why it matters less.
    {
      name: 'kubernetes runAsUser 0 in the pod\'s own user namespace: info',
      path: 'pod.yaml',
      code: pod('  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 0\n'),
      errors: [{ message: 'Container "app" in Pod/p runs as root (runAsUser: 0) in its own user namespace', detail: `It runs as root (securityContext.runAsUser: 0), ${USERNS}`, line: 11, column: 9, endLine: 11, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Set runAsNonRoot: true and runAsUser: 10001', output: pod('  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 10001\n        runAsNonRoot: true\n') }] }],
    },
    {
      name: 'kubernetes nothing set in the pod\'s own user namespace: info',
      path: 'pod.yaml',
      code: pod('  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n'),
      errors: [{ message: 'Container "app" in Pod/p may run as root (no runAsNonRoot or runAsUser) in its own user namespace', detail: `It may run as root (${NEITHER}), ${USERNS}`, line: 8, column: 7, endLine: 8, endColumn: 16, fixes: [{ title: 'Set runAsNonRoot: true and runAsUser: 10001', kind: 'suggestion', output: pod('  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] }],
    },
    // restricted: the runAsNonRoot and runAsUser controls, exactly.
    {
      name: 'restricted: a non-zero runAsUser alone does not satisfy runAsNonRoot',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 1000\n'),
      errors: [{ message: `Container "app" in Pod/p lacks runAsNonRoot: true${NON_ROOT}`, detail: /runAsNonRoot: true; runAsUser: 1000 alone does not satisfy it\./, line: 7, column: 7, endLine: 7, endColumn: 16, fixes: [{ kind: 'suggestion', title: 'Set runAsNonRoot: true', output: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 1000\n        runAsNonRoot: true\n') }] }],
    },
    {
      name: 'restricted: pod-level false and 0 fail the controls whatever the container sets',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  securityContext:\n    runAsNonRoot: false\n    runAsUser: 0\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n'),
      errors: [
        { message: `The pod of Pod/p sets runAsNonRoot: false${NON_ROOT}`, line: 7, column: 5, endLine: 7, endColumn: 24, fixes: [] },
        { message: `The pod of Pod/p sets runAsUser: 0 (root)${NON_ROOT_USER}`, line: 8, column: 5, endLine: 8, endColumn: 17, fixes: [{ kind: 'suggestion', title: 'Remove runAsUser: 0', output: pod('  securityContext:\n    runAsNonRoot: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 1000\n') }] },
      ],
    },
    {
      name: 'restricted: container runAsNonRoot false and runAsUser 0 fail both controls',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: false\n        runAsUser: 0\n'),
      errors: [
        { message: `Container "app" in Pod/p sets runAsNonRoot: false${NON_ROOT}`, line: 10, column: 9, endLine: 10, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Set runAsNonRoot: true and runAsUser: 10001', output: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] },
        { message: `Container "app" in Pod/p sets runAsUser: 0 (root)${NON_ROOT_USER}`, line: 11, column: 9, endLine: 11, endColumn: 21, fixes: [{ kind: 'suggestion', title: 'Set runAsNonRoot: true and runAsUser: 10001', output: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] },
      ],
    },
    {
      name: 'restricted: compose without user (nearest equivalent of runAsNonRoot)',
      path: 'compose.yml',
      profile: 'restricted',
      code: 'services:\n  web:\n    image: nginx\n',
      errors: [{ message: `Service "web" sets no user: its image's user applies, often root${RESTRICTED}`, line: 2, column: 3, endLine: 2, endColumn: 6, fixes: [{ kind: 'suggestion', title: 'Set user: "10001:10001"', output: 'services:\n  web:\n    image: nginx\n    user: "10001:10001"\n' }] }],
    },
    {
      name: 'restricted: compose user root names runAsUser',
      path: 'compose.yml',
      profile: 'restricted',
      code: 'services:\n  web:\n    image: nginx\n    user: root\n',
      errors: [{ message: `Service "web" runs as root (user: root)${RESTRICTED}`, line: 4, column: 5, endLine: 4, endColumn: 15, fixes: [{ kind: 'suggestion', title: 'Set user: "10001:10001"', output: 'services:\n  web:\n    image: nginx\n    user: "10001:10001"\n' }] }],
    },
    {
      name: 'restricted: dockerfile without USER names runAsNonRoot',
      path: 'Dockerfile',
      profile: 'restricted',
      code: 'FROM alpine\nCMD ["sh"]\n',
      errors: [{ message: `The final stage sets no USER: the image runs as root unless its base image sets a user${RESTRICTED}`, line: 1, column: 1, endLine: 1, endColumn: 12, fixes: [{ kind: 'suggestion', title: 'Add USER 10001 to the final stage', output: 'FROM alpine\nUSER 10001\nCMD ["sh"]\n' }] }],
    },
    {
      name: 'restricted: devcontainer without containerUser: no fix',
      path: '.devcontainer/devcontainer.json',
      profile: 'restricted',
      code: '{\n  "image": "x"\n}\n',
      errors: [{ message: `The devcontainer sets no containerUser: its image's user applies, often root${RESTRICTED}`, line: 1, column: 1, endLine: 1, endColumn: 2, fixes: [] }],
    },
  ],
});

describe('no-root-user in the pod\'s own user namespace', () => {
  const text = pod('  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 0\n');
  const severities = (config: Parameters<typeof lint>[1]['config']) => lint(text, { path: 'pod.yaml', config }).findings.filter((f) => f.ruleId === 'no-root-user').map((f) => f.severity);
  it('is reported at info, whatever severity the rule is set to', () => {
    assert.deepEqual(severities({}), ['info']);
    assert.deepEqual(severities({ rules: { 'no-root-user': 'error' } }), ['info']);
  });
  it('stays off when the rule is off', () => {
    assert.deepEqual(severities({ rules: { 'no-root-user': 'off' } }), []);
  });
  it('without hostUsers: false the same pod is a warning', () => {
    const plain = text.replace('  hostUsers: false\n', '');
    assert.deepEqual(lint(plain, { path: 'pod.yaml' }).findings.filter((f) => f.ruleId === 'no-root-user').map((f) => f.severity), ['warning']);
  });
});

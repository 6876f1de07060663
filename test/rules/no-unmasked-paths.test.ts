import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, rules } from '../../server/src/engine';
import type { Profile } from '../../server/src/engine/pss';
import rule from '../../server/src/engine/rules/no-unmasked-paths';
import { RuleTester } from '../rule-tester';

const BASELINE = ' (PSS baseline: /proc Mount Type)';
const RESTRICTED = ' (PSS restricted: /proc Mount Type)';
const SYSTEMPATHS = (l: string, s: string, pss = '') => `${l} unmasks /proc and /sys (${s})${pss}`;
const CGROUPS = (l: string, s: string) => `${l} makes the cgroup file system writable (${s})`;
const PROC = (l: string, pss = '') => `${l} mounts /proc unmasked (procMount: Unmasked)${pss}`;
const PROC_USERNS = (l: string, pss = '') => `${l} mounts /proc unmasked in its own user namespace${pss}`;

const pod = (hostUsers: string, procMount: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${hostUsers}  containers:\n    - name: a\n      image: x\n      securityContext:\n${procMount}        runAsNonRoot: true\n`;
const UNMASKED = '        procMount: Unmasked # nested runtime\n';
const DEV = '.devcontainer/devcontainer.json';

new RuleTester().run(rule, {
  valid: [
    { name: 'compose writable-cgroups=false and other options', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt: ["writable-cgroups=false", "no-new-privileges"]\n' },
    { name: 'kubernetes procMount: Default', path: 'pod.yaml', code: pod('', '        procMount: Default\n') },
    { name: 'kubernetes baseline allows Unmasked with hostUsers: false (policy 1.35+)', path: 'pod.yaml', profile: 'baseline', code: pod('  hostUsers: false\n', UNMASKED) },
    { name: 'devcontainer without unmasking options', path: DEV, code: '{\n  "image": "x",\n  "runArgs": ["--security-opt", "seccomp=./p.json"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose systempaths=unconfined and bare writable-cgroups, comment kept',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - systempaths=unconfined # rockchip\n      - writable-cgroups\n',
      errors: [
        { message: SYSTEMPATHS('Service "web"', 'systempaths=unconfined in security_opt'), line: 5, column: 9, endLine: 5, endColumn: 31, fixes: [{ kind: 'suggestion', title: 'Remove systempaths=unconfined from security_opt', output: 'services:\n  web:\n    image: nginx\n    security_opt:\n      # rockchip\n      - writable-cgroups\n' }] },
        { message: CGROUPS('Service "web"', 'writable-cgroups in security_opt'), line: 6, column: 9, endLine: 6, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove writable-cgroups from security_opt', output: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - systempaths=unconfined # rockchip\n' }] },
      ],
    },
    {
      name: 'compose baseline: systempaths is the nearest equivalent of procMount; through a merge key no fix',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'x-npu: &npu\n  security_opt: [systempaths=unconfined]\nservices:\n  frigate:\n    <<: *npu\n    image: frigate\n',
      errors: [{ message: SYSTEMPATHS('Service "frigate"', 'systempaths=unconfined in security_opt', ' (baseline profile)'), line: 2, column: 18, endLine: 2, endColumn: 40, fixes: [] }],
    },
    {
      name: 'kubernetes procMount: Unmasked',
      path: 'pod.yaml',
      code: pod('', UNMASKED),
      errors: [{ message: PROC('Container "a" in Pod/p'), line: 10, column: 9, endLine: 10, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Remove procMount: Unmasked', output: pod('', '        # nested runtime\n') }] }],
    },
    {
      name: 'kubernetes baseline without hostUsers: false names the control',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('  hostUsers: true\n', UNMASKED),
      errors: [{ message: PROC('Container "a" in Pod/p', BASELINE), line: 11, column: 9, endLine: 11, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Remove procMount: Unmasked', output: pod('  hostUsers: true\n', '        # nested runtime\n') }] }],
    },
    {
      name: 'kubernetes with hostUsers: false: reported, saying it is much less dangerous',
      path: 'pod.yaml',
      code: pod('  hostUsers: false\n', UNMASKED),
      errors: [{ message: PROC_USERNS('Container "a" in Pod/p'), line: 11, column: 9, endLine: 11, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Remove procMount: Unmasked', output: pod('  hostUsers: false\n', '        # nested runtime\n') }] }],
    },
    {
      name: 'kubernetes restricted forbids it even with hostUsers: false',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  hostUsers: false\n', UNMASKED),
      errors: [{ message: PROC_USERNS('Container "a" in Pod/p', RESTRICTED), line: 11, column: 9, endLine: 11, endColumn: 28, fixes: [{ kind: 'suggestion', title: 'Remove procMount: Unmasked', output: pod('  hostUsers: false\n', '        # nested runtime\n') }] }],
    },
    {
      name: 'devcontainer two-element systempaths and one-element writable-cgroups=true',
      path: DEV,
      code: '{\n  "image": "x",\n  "runArgs": ["--security-opt", "systempaths=unconfined", "--security-opt=writable-cgroups=true"]\n}\n',
      errors: [
        { message: SYSTEMPATHS('Devcontainer', 'systempaths=unconfined in runArgs'), line: 3, column: 15, endLine: 3, endColumn: 57, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt systempaths=unconfined from runArgs', output: '{\n  "image": "x",\n  "runArgs": ["--security-opt=writable-cgroups=true"]\n}\n' }] },
        { message: CGROUPS('Devcontainer', 'writable-cgroups=true in runArgs'), line: 3, column: 59, endLine: 3, endColumn: 97, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt=writable-cgroups=true from runArgs', output: '{\n  "image": "x",\n  "runArgs": ["--security-opt", "systempaths=unconfined"]\n}\n' }] },
      ],
    },
  ],
});

describe('no-unmasked-paths severity', () => {
  const off = Object.fromEntries(rules.filter((r) => r.id !== rule.id).map((r) => [r.id, 'off' as const]));
  const severity = (hostUsers: string, profile: Profile) => lint(pod(hostUsers, UNMASKED), { path: 'pod.yaml', config: { rules: off, profile } }).findings.map((f) => f.severity);
  it('info with hostUsers: false in the default profile; an error otherwise and under restricted', () => {
    assert.deepEqual(severity('  hostUsers: false\n', 'default'), ['info']);
    assert.deepEqual(severity('', 'default'), ['error']);
    assert.deepEqual(severity('  hostUsers: false\n', 'restricted'), ['error']);
  });
});

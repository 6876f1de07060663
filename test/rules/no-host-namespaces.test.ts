import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, rules } from '../../server/src/engine';
import rule from '../../server/src/engine/rules/no-host-namespaces';
import { RuleTester } from '../rule-tester';

const PSS = ' (PSS baseline: Host Namespaces)';
const PID = (l: string, s: string, pss = '') => `${l} shares the host's PID namespace (${s})${pss}`;
const NET = (l: string, s: string, pss = '') => `${l} uses the host's network stack (${s})${pss}`;
const IPC = (l: string, s: string, pss = '') => `${l} shares the host's IPC namespace (${s})${pss}`;
const UTS = (l: string, s: string) => `${l} shares the host's UTS namespace (${s})`;
const CGROUP = (l: string, s: string) => `${l} uses the host's cgroup namespace (${s})`;
const USER = (l: string, s: string) => `${l} opts out of user-namespace remapping (${s})`;

const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n${spec}      containers:\n        - name: a\n          image: x\n`;
const DEV = '.devcontainer/devcontainer.json';

new RuleTester().run(rule, {
  valid: [
    { name: 'compose sharing another service\'s namespaces is not the host', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    pid: service:db\n    ipc: shareable\n    network_mode: bridge\n  db:\n    image: postgres\n' },
    { name: 'kubernetes host fields false or absent (YAML 1.1 no)', path: 'pod.yaml', code: deployment('      hostNetwork: false\n      hostIPC: no\n') },
    { name: 'devcontainer bridge network and a container PID namespace', path: DEV, code: '{\n  "image": "x",\n  "runArgs": ["--network=bridge", "--pid", "container:db", "--init"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose pid: host, comment kept',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    pid: host # for top\n',
      errors: [{ message: PID('Service "web"', 'pid: host'), line: 4, column: 5, endLine: 4, endColumn: 14, fixes: [{ kind: 'suggestion', title: 'Remove pid: host', output: 'services:\n  web:\n    image: nginx\n    # for top\n' }] }],
    },
    {
      name: 'compose: through a merge key no fix; userns_mode and a quoted network_mode removed',
      path: 'compose.yml',
      code: 'x-host: &host\n  pid: host\nservices:\n  web:\n    <<: *host\n    image: nginx\n    userns_mode: host\n    network_mode: "host" # dev\n',
      errors: [
        { message: PID('Service "web"', 'pid: host'), line: 2, column: 3, endLine: 2, endColumn: 12, fixes: [] },
        { message: USER('Service "web"', 'userns_mode: host'), line: 7, column: 5, endLine: 7, endColumn: 22, fixes: [{ kind: 'suggestion', title: 'Remove userns_mode: host', output: 'x-host: &host\n  pid: host\nservices:\n  web:\n    <<: *host\n    image: nginx\n    network_mode: "host" # dev\n' }] },
        { message: NET('Service "web"', 'network_mode: host'), line: 8, column: 5, endLine: 8, endColumn: 25, fixes: [{ kind: 'suggestion', title: 'Remove network_mode: "host"', output: 'x-host: &host\n  pid: host\nservices:\n  web:\n    <<: *host\n    image: nginx\n    userns_mode: host\n    # dev\n' }] },
      ],
    },
    {
      name: 'compose uts and cgroup: no PSS control even under baseline; ipc is hostNamespaces',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'services:\n  web:\n    uts: host\n    cgroup: host\n    ipc: host\n',
      errors: [
        { message: UTS('Service "web"', 'uts: host'), line: 3, column: 5, endLine: 3, endColumn: 14, fixes: [{ kind: 'suggestion', title: 'Remove uts: host', output: 'services:\n  web:\n    cgroup: host\n    ipc: host\n' }] },
        { message: CGROUP('Service "web"', 'cgroup: host'), line: 4, column: 5, endLine: 4, endColumn: 17, fixes: [{ kind: 'suggestion', title: 'Remove cgroup: host', output: 'services:\n  web:\n    uts: host\n    ipc: host\n' }] },
        { message: IPC('Service "web"', 'ipc: host', ' (baseline profile)'), line: 5, column: 5, endLine: 5, endColumn: 14, fixes: [{ kind: 'suggestion', title: 'Remove ipc: host', output: 'services:\n  web:\n    uts: host\n    cgroup: host\n' }] },
      ],
    },
    {
      name: 'kubernetes pod template: one finding per field, baseline names the control',
      path: 'deploy.yaml',
      profile: 'baseline',
      code: deployment('      hostPID: true # debug\n      hostNetwork: yes\n      hostIPC: true\n'),
      errors: [
        { message: PID('Deployment/api', 'hostPID: true', PSS), line: 8, column: 7, endLine: 8, endColumn: 20, fixes: [{ kind: 'suggestion', title: 'Remove hostPID: true', output: deployment('      # debug\n      hostNetwork: yes\n      hostIPC: true\n') }] },
        { message: NET('Deployment/api', 'hostNetwork: true', PSS), line: 9, column: 7, endLine: 9, endColumn: 23, fixes: [{ kind: 'suggestion', title: 'Remove hostNetwork: yes', output: deployment('      hostPID: true # debug\n      hostIPC: true\n') }] },
        { message: IPC('Deployment/api', 'hostIPC: true', PSS), line: 10, column: 7, endLine: 10, endColumn: 20, fixes: [{ kind: 'suggestion', title: 'Remove hostIPC: true', output: deployment('      hostPID: true # debug\n      hostNetwork: yes\n') }] },
      ],
    },
    {
      name: 'kubernetes default profile: no PSS text',
      path: 'pod.yaml',
      code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: x}]\n',
      errors: [{ message: NET('Pod/p', 'hostNetwork: true'), line: 6, column: 3, endLine: 6, endColumn: 20, fixes: [{ kind: 'suggestion', title: 'Remove hostNetwork: true', output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: a, image: x}]\n' }] }],
    },
    {
      name: 'devcontainer runArgs: one-element and two-element forms, comments kept',
      path: DEV,
      code: '{\n  "image": "x",\n  // host access\n  "runArgs": ["--pid=host", "--network", "host", "--userns=host", "--init"]\n}\n',
      errors: [
        { message: PID('Devcontainer', '--pid=host in runArgs'), line: 4, column: 15, endLine: 4, endColumn: 27, fixes: [{ kind: 'suggestion', title: 'Remove --pid=host from runArgs', output: '{\n  "image": "x",\n  // host access\n  "runArgs": ["--network", "host", "--userns=host", "--init"]\n}\n' }] },
        { message: NET('Devcontainer', '--network=host in runArgs'), line: 4, column: 29, endLine: 4, endColumn: 48, fixes: [{ kind: 'suggestion', title: 'Remove --network host from runArgs', output: '{\n  "image": "x",\n  // host access\n  "runArgs": ["--pid=host", "--userns=host", "--init"]\n}\n' }] },
        { message: USER('Devcontainer', '--userns=host in runArgs'), line: 4, column: 50, endLine: 4, endColumn: 65, fixes: [{ kind: 'suggestion', title: 'Remove --userns=host from runArgs', output: '{\n  "image": "x",\n  // host access\n  "runArgs": ["--pid=host", "--network", "host", "--init"]\n}\n' }] },
      ],
    },
  ],
});

describe('no-host-namespaces severity', () => {
  it('the user namespace is a warning (it only matters on a userns-remap daemon), the others errors', () => {
    const off = Object.fromEntries(rules.filter((r) => r.id !== rule.id).map((r) => [r.id, 'off' as const]));
    const { findings } = lint('services:\n  web:\n    userns_mode: host\n    pid: host\n', { path: 'compose.yml', config: { rules: off } });
    assert.deepEqual(findings.map((f) => f.severity), ['warning', 'error']);
  });
});

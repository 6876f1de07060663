import rule from '../../server/src/engine/rules/no-disabled-selinux';
import { RuleTester } from '../rule-tester';

const PSS = ' (PSS baseline: SELinux)';
const DISABLE = (l: string, s: string, pss = '') => `${l} turns SELinux separation off (${s})${pss}`;
const UNCONFINED_TYPE = (l: string, t: string, _s: string, pss = '') => `${l} sets the unconfined SELinux type ${t}${pss}`;
const PSS_TYPE = (l: string, t: string, _s: string, pss = PSS) => `${l} sets the SELinux type ${t}, which the profile does not allow${pss}`;
const USER_ROLE = (l: string, what: string, v: string, _s: string, pss = PSS) => `${l} sets the SELinux ${what} ${v}${pss}`;
const OVERRIDDEN = (l: string, s: string, pss = '') => `${l} sets ${s.replace(/^spec\.securityContext\./, '')} at pod level${pss}`;

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const DEV = '.devcontainer/devcontainer.json';

new RuleTester().run(rule, {
  valid: [
    { name: 'compose confined type and an MCS level', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt: ["label=type:container_t", "label=level:s0:c100,c200"]\n' },
    { name: 'compose custom type and user are allowed in the default profile', path: 'compose.yml', code: 'services:\n  web:\n    image: nginx\n    security_opt: ["label=type:svirt_apache_t", "label:user:USER"]\n' },
    { name: 'kubernetes baseline: the types PSS allows, and a level', path: 'pod.yaml', profile: 'baseline', code: pod('  securityContext:\n    seLinuxOptions:\n      type: container_init_t\n      level: "s0:c123,c456"\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        seLinuxOptions: {type: container_engine_t}\n    - name: b\n      image: x\n') },
    { name: 'devcontainer level only', path: DEV, code: '{\n  "image": "x",\n  "securityOpt": ["label=level:s0"]\n}\n' },
  ],
  invalid: [
    {
      name: 'compose label:disable in a block list, comment kept',
      path: 'compose.yml',
      code: 'services:\n  web:\n    image: nginx\n    security_opt:\n      - label:disable # bind mounts\n      - no-new-privileges:true\n',
      errors: [{ message: DISABLE('Service "web"', 'label:disable in security_opt'), line: 5, column: 9, endLine: 5, endColumn: 22, fixes: [{ kind: 'suggestion', title: 'Remove label:disable from security_opt', output: 'services:\n  web:\n    image: nginx\n    security_opt:\n      # bind mounts\n      - no-new-privileges:true\n' }] }],
    },
    {
      name: 'compose bare disable and label=type:spc_t: disable decides',
      path: 'compose.yml',
      code: 'services:\n  web:\n    security_opt: ["label=type:spc_t", disable]\n',
      errors: [{ message: DISABLE('Service "web"', 'disable in security_opt'), line: 3, column: 40, endLine: 3, endColumn: 47, fixes: [{ kind: 'suggestion', title: 'Remove disable from security_opt', output: 'services:\n  web:\n    security_opt: ["label=type:spc_t"]\n' }] }],
    },
    {
      name: 'compose spc_t through a merge key: no fix',
      path: 'compose.yml',
      code: 'x-spc: &spc\n  security_opt: [label=type:spc_t]\nservices:\n  web:\n    <<: *spc\n    image: nginx\n',
      errors: [{ message: UNCONFINED_TYPE('Service "web"', 'spc_t', 'label=type:spc_t in security_opt'), line: 2, column: 18, endLine: 2, endColumn: 34, fixes: [] }],
    },
    {
      name: 'compose baseline: a custom type and a user (nearest PSS equivalent)',
      path: 'compose.yml',
      profile: 'baseline',
      code: 'services:\n  web:\n    security_opt: ["label=type:svirt_apache_t", "label=user:USER"]\n',
      errors: [
        { message: PSS_TYPE('Service "web"', 'svirt_apache_t', 'label=type:svirt_apache_t in security_opt', ' (baseline profile)'), line: 3, column: 20, endLine: 3, endColumn: 47, fixes: [{ kind: 'suggestion', title: 'Remove "label=type:svirt_apache_t" from security_opt', output: 'services:\n  web:\n    security_opt: ["label=user:USER"]\n' }] },
        { message: USER_ROLE('Service "web"', 'user', 'USER', 'label=user:USER in security_opt', ' (baseline profile)'), line: 3, column: 49, endLine: 3, endColumn: 66, fixes: [{ kind: 'suggestion', title: 'Remove "label=user:USER" from security_opt', output: 'services:\n  web:\n    security_opt: ["label=type:svirt_apache_t"]\n' }] },
      ],
    },
    {
      name: 'kubernetes pod-level unconfined_t shared by two containers: once, no fix; a container\'s own spc_t',
      path: 'pod.yaml',
      code: pod('  securityContext:\n    seLinuxOptions:\n      type: unconfined_t\n  containers:\n    - name: a\n      image: x\n    - name: b\n      image: x\n    - name: c\n      image: x\n      securityContext:\n        seLinuxOptions:\n          type: spc_t\n'),
      errors: [
        { message: UNCONFINED_TYPE('Pod/p', 'unconfined_t', 'spec.securityContext.seLinuxOptions.type: unconfined_t'), line: 8, column: 7, endLine: 8, endColumn: 25, fixes: [] },
        { message: UNCONFINED_TYPE('Container "c" in Pod/p', 'spc_t', 'securityContext.seLinuxOptions.type: spc_t'), line: 18, column: 11, endLine: 18, endColumn: 22, fixes: [] },
      ],
    },
    {
      name: 'kubernetes baseline: pod-level user every container overrides, a custom type and a role',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('  securityContext:\n    seLinuxOptions:\n      user: system_u\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        seLinuxOptions:\n          type: svirt_lxc_net_t\n          role: system_r\n'),
      errors: [
        { message: OVERRIDDEN('Pod/p', 'spec.securityContext.seLinuxOptions.user: system_u', PSS), line: 8, column: 7, endLine: 8, endColumn: 21, fixes: [] },
        { message: PSS_TYPE('Container "a" in Pod/p', 'svirt_lxc_net_t', 'securityContext.seLinuxOptions.type: svirt_lxc_net_t'), line: 14, column: 11, endLine: 14, endColumn: 32, fixes: [] },
        { message: USER_ROLE('Container "a" in Pod/p', 'role', 'system_r', 'securityContext.seLinuxOptions.role: system_r'), line: 15, column: 11, endLine: 15, endColumn: 25, fixes: [] },
      ],
    },
    {
      name: 'devcontainer two-element runArgs label=disable, comment kept',
      path: DEV,
      code: '{\n  "image": "x",\n  // podman on Fedora\n  "runArgs": ["--userns=keep-id", "--security-opt", "label=disable"]\n}\n',
      errors: [{ message: DISABLE('Devcontainer', 'label=disable in runArgs'), line: 4, column: 35, endLine: 4, endColumn: 68, fixes: [{ kind: 'suggestion', title: 'Remove --security-opt label=disable from runArgs', output: '{\n  "image": "x",\n  // podman on Fedora\n  "runArgs": ["--userns=keep-id"]\n}\n' }] }],
    },
    {
      name: 'devcontainer securityOpt label=type:spc_t under restricted',
      path: DEV,
      profile: 'restricted',
      code: '{\n  "image": "x",\n  "securityOpt": ["label=type:spc_t"]\n}\n',
      errors: [{ message: UNCONFINED_TYPE('Devcontainer', 'spc_t', 'label=type:spc_t in securityOpt', ' (restricted profile)'), line: 3, column: 19, endLine: 3, endColumn: 37, fixes: [{ kind: 'suggestion', title: 'Remove label=type:spc_t from securityOpt', output: '{\n  "image": "x"\n}\n' }] }],
    },
  ],
});

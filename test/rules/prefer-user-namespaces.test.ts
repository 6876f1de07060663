import rule from '../../server/src/engine/rules/prefer-user-namespaces';
import { RuleTester } from '../rule-tester';

const UNSET = (l: string, s: string) => `${l} runs in the node's user namespace (${s})`;

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const deployment = (spec: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # frontend\nspec:\n  template:\n    spec:\n${spec}`;
const CONTAINER = '      containers:\n        - name: a\n          image: nginx\n';

new RuleTester().run(rule, {
  valid: [
    { name: 'hostUsers: false already', path: 'deploy.yaml', code: deployment(`      hostUsers: false\n${CONTAINER}`) },
    { name: 'not with host namespaces: the API rejects hostUsers: false with hostNetwork', path: 'pod.yaml', code: pod('  hostNetwork: true\n  containers:\n    - name: a\n      image: x\n') },
    { name: 'not for a privileged container', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      image: x\n      securityContext:\n        privileged: true\n') },
    { name: 'not with hostPath volumes (even unmounted)', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      image: x\n  volumes:\n    - name: logs\n      hostPath:\n        path: /var/log\n') },
    { name: 'not with a capability that only acts in the host user namespace', path: 'pod.yaml', code: pod('  initContainers:\n    - name: modprobe\n      image: x\n      securityContext:\n        capabilities:\n          add: [SYS_MODULE]\n  containers:\n    - name: a\n      image: x\n') },
    { name: 'not with an NFS volume (no ID-mapped mounts)', path: 'pod.yaml', code: pod('  containers:\n    - name: a\n      image: x\n  volumes:\n    - name: share\n      nfs:\n        server: nfs.local\n        path: /export\n') },
  ],
  invalid: [
    {
      name: 'deployment without hostUsers: reported on the workload, hostUsers: false added to the pod spec',
      path: 'deploy.yaml',
      code: deployment(CONTAINER),
      errors: [{ message: UNSET('Deployment/web', 'hostUsers not set'), line: 4, column: 3, endLine: 4, endColumn: 7, fixes: [{ kind: 'suggestion', title: 'Set hostUsers: false', output: deployment(`${CONTAINER}      hostUsers: false\n`) }] }],
    },
    {
      name: 'hostUsers: true written: reported there and rewritten, comment kept',
      path: 'pod.yaml',
      code: pod('  hostUsers: true # default\n  containers: [{name: a, image: x}]\n'),
      errors: [{ message: UNSET('Pod/p', 'hostUsers: true'), line: 6, column: 3, endLine: 6, endColumn: 18, fixes: [{ kind: 'suggestion', title: 'Set hostUsers: false', output: pod('  hostUsers: false # default\n  containers: [{name: a, image: x}]\n') }] }],
    },
    {
      name: 'a root container with a harmless capability and an emptyDir still gets the suggestion',
      path: 'pod.yaml',
      code: pod('  containers:\n    - name: a\n      image: x\n      securityContext:\n        runAsUser: 0\n        capabilities:\n          add: [NET_ADMIN]\n  volumes:\n    - name: tmp\n      emptyDir: {}\n'),
      errors: [{ message: UNSET('Pod/p', 'hostUsers not set'), line: 4, column: 3, endLine: 4, endColumn: 7, fixes: [{ kind: 'suggestion', title: 'Set hostUsers: false', output: pod('  containers:\n    - name: a\n      image: x\n      securityContext:\n        runAsUser: 0\n        capabilities:\n          add: [NET_ADMIN]\n  volumes:\n    - name: tmp\n      emptyDir: {}\n  hostUsers: false\n') }] }],
    },
  ],
});

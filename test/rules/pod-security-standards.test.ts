import rule from '../../server/src/engine/rules/pod-security-standards';
import { PSS_SAFE_SYSCTLS } from '../../server/src/engine/pss';
import { RuleTester } from '../rule-tester';

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;
const HOST_PORTS = ' (PSS baseline: Host Ports)';
const SYSCTLS = ' (PSS baseline: Sysctls)';
const HOST_PROCESS = ' (PSS baseline: HostProcess)';
const PROBES = ' (PSS baseline: Host Probes / Lifecycle Hooks)';

const HOST_PORT_POD = pod('  containers:\n    - name: app\n      image: nginx\n      ports:\n        - containerPort: 80\n          hostPort: 8080 # published on the node\n');

new RuleTester().run(rule, {
  valid: [
    { name: 'default profile: the rule is off', path: 'pod.yaml', code: HOST_PORT_POD },
    { name: 'hostPort 0 and a containerPort', path: 'pod.yaml', profile: 'baseline', code: pod('  containers:\n    - name: app\n      image: nginx\n      ports:\n        - containerPort: 80\n          hostPort: 0\n') },
    { name: 'every safe sysctl', path: 'pod.yaml', profile: 'restricted', code: pod(`  securityContext:\n    sysctls:\n${PSS_SAFE_SYSCTLS.map((n) => `      - name: ${n}\n        value: "1"\n`).join('')}  containers:\n    - name: app\n      image: nginx\n`) },
    { name: 'hostProcess false and probes without host', path: 'pod.yaml', profile: 'baseline', code: pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        windowsOptions:\n          hostProcess: false\n      livenessProbe:\n        httpGet:\n          path: /\n          port: 80\n          host: ""\n') },
  ],
  invalid: [
    {
      name: 'hostPort: the fix removes the pair, kept as a quick-fix only',
      path: 'pod.yaml',
      profile: 'baseline',
      code: HOST_PORT_POD,
      errors: [
        {
          message: `Container "app" in Pod/p binds host port 8080${HOST_PORTS}`,
          detail: "With ports.hostPort it is reachable on the node's address, past NetworkPolicies that only see pod traffic, and it pins the pod to nodes where the port is free.",
          line: 11,
          column: 11,
          endLine: 11,
          endColumn: 25,
          fixes: [{ kind: 'suggestion', title: 'Remove hostPort: 8080', output: pod('  containers:\n    - name: app\n      image: nginx\n      ports:\n        - containerPort: 80\n          # published on the node\n') }],
        },
      ],
    },
    {
      name: 'an unsafe sysctl among safe ones, under restricted',
      path: 'pod.yaml',
      profile: 'restricted',
      code: pod('  securityContext:\n    sysctls:\n      - name: kernel.shm_rmid_forced\n        value: "1"\n      - name: kernel.msgmax\n        value: "65536"\n  containers:\n    - name: app\n      image: nginx\n'),
      errors: [
        {
          message: `The pod of Pod/p sets the unsafe sysctl kernel.msgmax${SYSCTLS}`,
          detail: `Only ${PSS_SAFE_SYSCTLS.join(', ')} are allowed; others are not namespaced or not known to be safe, and can change the node's kernel for every pod on it.`,
          line: 10,
          column: 9,
          endLine: 11,
          endColumn: 23,
          fixes: [{ kind: 'suggestion', title: 'Remove kernel.msgmax from spec.securityContext.sysctls', output: pod('  securityContext:\n    sysctls:\n      - name: kernel.shm_rmid_forced\n        value: "1"\n  containers:\n    - name: app\n      image: nginx\n') }],
        },
      ],
    },
    {
      name: 'Windows HostProcess at pod and container level: no fix',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('  os:\n    name: windows\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n    - name: app\n      image: mcr.microsoft.com/windows/nanoserver\n      securityContext:\n        windowsOptions:\n          hostProcess: true\n'),
      errors: [
        { message: `The pod of Pod/p runs as a Windows HostProcess${HOST_PROCESS}`, line: 10, column: 7, endLine: 10, endColumn: 24, fixes: [] },
        { message: `Container "app" in Pod/p runs as a Windows HostProcess${HOST_PROCESS}`, line: 16, column: 11, endLine: 16, endColumn: 28, fixes: [] },
      ],
    },
    {
      name: 'a probe host and a lifecycle hook host',
      path: 'pod.yaml',
      profile: 'baseline',
      code: pod('  containers:\n    - name: app\n      image: nginx\n      livenessProbe:\n        tcpSocket:\n          port: 80\n          host: db.internal\n      lifecycle:\n        preStop:\n          httpGet:\n            path: /drain\n            port: 80\n            host: 169.254.169.254\n'),
      errors: [
        {
          message: `Container "app" in Pod/p points livenessProbe at host db.internal${PROBES}`,
          detail: "The kubelet, not the pod, makes that request (livenessProbe.tcpSocket.host), so it can reach addresses on the node's network the pod cannot (a server-side request forgery through the kubelet).",
          line: 12,
          column: 11,
          endLine: 12,
          endColumn: 28,
          fixes: [{ kind: 'suggestion', title: 'Remove host: db.internal', output: pod('  containers:\n    - name: app\n      image: nginx\n      livenessProbe:\n        tcpSocket:\n          port: 80\n      lifecycle:\n        preStop:\n          httpGet:\n            path: /drain\n            port: 80\n            host: 169.254.169.254\n') }],
        },
        {
          message: `Container "app" in Pod/p points lifecycle at host 169.254.169.254${PROBES}`,
          line: 18,
          column: 13,
          endLine: 18,
          endColumn: 34,
          fixes: [{ kind: 'suggestion', title: 'Remove host: 169.254.169.254', output: pod('  containers:\n    - name: app\n      image: nginx\n      livenessProbe:\n        tcpSocket:\n          port: 80\n          host: db.internal\n      lifecycle:\n        preStop:\n          httpGet:\n            path: /drain\n            port: 80\n') }],
        },
      ],
    },
  ],
});

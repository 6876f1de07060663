/**
 * Every Pod Security Standards control, its allowed and forbidden values (domain.md §5.5,
 * peers.md §1e, pod-security-admission policy/check_*.go): a Pod is linted under the
 * control's profile, and a finding naming the control (`(PSS <level>: <title>)`, from pssSuffix) must
 * be present for each forbidden value and absent for each allowed one, whichever rule reports
 * it. Under the default profile no finding names a control. Then the nearest Docker
 * equivalents in Compose and devcontainer.json.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { lint } from '../../server/src/engine';
import { PSS_BASELINE_CAPABILITIES, PSS_CONTROLS, PSS_SAFE_SYSCTLS } from '../../server/src/engine/pss';
import type { Profile, PssControlId } from '../../server/src/engine/pss';

type Obj = Record<string, unknown>;
interface PodShape {
  metadata: Obj & { annotations?: Obj };
  spec: Obj & { securityContext?: Obj; containers: (Obj & { securityContext?: Obj })[]; initContainers?: Obj[]; volumes?: Obj[] };
}

/** A Pod with one container `app`, changed by the case. */
function pod(change: (p: PodShape) => void = () => undefined): string {
  const p: PodShape = { metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
  change(p);
  return stringify({ apiVersion: 'v1', kind: 'Pod', ...p });
}

const app = (p: PodShape) => p.spec.containers[0];
/** Sets keys in the container's securityContext. */
const sc = (values: Obj) => (p: PodShape) => {
  app(p).securityContext = { ...(app(p).securityContext ?? {}), ...values };
};
/** Sets keys in the pod's securityContext. */
const podSc = (values: Obj) => (p: PodShape) => {
  p.spec.securityContext = { ...(p.spec.securityContext ?? {}), ...values };
};
const spec = (values: Obj) => (p: PodShape) => Object.assign(p.spec, values);
const container = (values: Obj) => (p: PodShape) => Object.assign(app(p), values);
const annotations = (values: Obj) => (p: PodShape) => {
  p.metadata.annotations = { ...(p.metadata.annotations ?? {}), ...values };
};
const all =
  (...changes: ((p: PodShape) => void)[]) =>
  (p: PodShape) => {
    for (const c of changes) c(p);
  };
const none = () => undefined;
const userns = spec({ hostUsers: false });
const windows = spec({ os: { name: 'windows' } });

interface Case {
  name: string;
  change: (p: PodShape) => void;
  /** Another control whose finding counts for this forbidden value (a value two controls forbid, reported once). */
  or?: PssControlId;
}

interface ControlTable {
  control: PssControlId;
  allowed: Case[];
  forbidden: Case[];
}

const c = (name: string, change: (p: PodShape) => void): Case => ({ name, change });

const TABLES: ControlTable[] = [
  {
    control: 'privileged',
    allowed: [c('undefined', none), c('false', sc({ privileged: false }))],
    forbidden: [
      c('true', sc({ privileged: true })),
      c('true on an init container', spec({ initContainers: [{ name: 'init', image: 'busybox', securityContext: { privileged: true } }] })),
    ],
  },
  {
    control: 'capabilities_baseline',
    allowed: [
      c('add undefined', none),
      c('add empty', sc({ capabilities: { add: [] } })),
      c('add every allowed name', sc({ capabilities: { add: [...PSS_BASELINE_CAPABILITIES] } })),
      c('add NET_BIND_SERVICE', sc({ capabilities: { add: ['NET_BIND_SERVICE'] } })),
      c('drop anything', sc({ capabilities: { drop: ['NET_RAW', 'SYS_ADMIN'] } })),
    ],
    forbidden: [
      c('add NET_RAW (in Docker\'s default set, not in the baseline)', sc({ capabilities: { add: ['NET_RAW'] } })),
      c('add CAP_CHOWN (exact string compare)', sc({ capabilities: { add: ['CAP_CHOWN'] } })),
      c('add chown (exact string compare)', sc({ capabilities: { add: ['chown'] } })),
      c('add SYS_ADMIN', sc({ capabilities: { add: ['SYS_ADMIN'] } })),
      c('add ALL', sc({ capabilities: { add: ['ALL'] } })),
    ],
  },
  {
    control: 'hostPorts',
    allowed: [
      c('no ports', none),
      c('containerPort only', container({ ports: [{ containerPort: 8080 }] })),
      c('hostPort 0', container({ ports: [{ containerPort: 8080, hostPort: 0 }] })),
    ],
    forbidden: [c('hostPort 8080', container({ ports: [{ containerPort: 8080, hostPort: 8080 }] }))],
  },
  {
    control: 'sysctls',
    allowed: [c('none', none), ...PSS_SAFE_SYSCTLS.map((name) => c(`safe ${name}`, podSc({ sysctls: [{ name, value: '1' }] })))],
    forbidden: [
      c('kernel.msgmax', podSc({ sysctls: [{ name: 'kernel.msgmax', value: '65536' }] })),
      c('net.core.somaxconn (namespaced, not in the safe set)', podSc({ sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] })),
      c('one unsafe among safe ones', podSc({ sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'vm.swappiness', value: '10' }] })),
    ],
  },
  {
    control: 'seccompProfile_baseline',
    allowed: [
      c('undefined', none),
      c('pod RuntimeDefault', podSc({ seccompProfile: { type: 'RuntimeDefault' } })),
      c('container Localhost', sc({ seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } })),
    ],
    forbidden: [
      c('container Unconfined', sc({ seccompProfile: { type: 'Unconfined' } })),
      c('pod Unconfined', podSc({ seccompProfile: { type: 'Unconfined' } })),
    ],
  },
  {
    control: 'seccompProfile_restricted',
    allowed: [
      c('pod RuntimeDefault covers the container', podSc({ seccompProfile: { type: 'RuntimeDefault' } })),
      c('container Localhost', sc({ seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } })),
      c('a Windows pod may leave it unset (1.25+)', windows),
    ],
    forbidden: [
      c('undefined', none),
      c('container Unconfined', sc({ seccompProfile: { type: 'Unconfined' } })),
      c('pod RuntimeDefault, container Unconfined', all(podSc({ seccompProfile: { type: 'RuntimeDefault' } }), sc({ seccompProfile: { type: 'Unconfined' } }))),
    ],
  },
  {
    control: 'appArmorProfile',
    allowed: [
      c('undefined', none),
      c('container RuntimeDefault', sc({ appArmorProfile: { type: 'RuntimeDefault' } })),
      c('pod Localhost', podSc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-apparmor-example' } })),
      c('annotation runtime/default', annotations({ 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' })),
      c('annotation localhost/x', annotations({ 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-apparmor-example' })),
    ],
    forbidden: [
      c('container Unconfined', sc({ appArmorProfile: { type: 'Unconfined' } })),
      c('pod Unconfined', podSc({ appArmorProfile: { type: 'Unconfined' } })),
      c('annotation unconfined', annotations({ 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' })),
    ],
  },
  {
    control: 'seLinuxOptions',
    allowed: [
      c('undefined', none),
      ...['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].map((type) => c(`type ${type}`, sc({ seLinuxOptions: { type } }))),
      c('level only', sc({ seLinuxOptions: { level: 's0:c123,c456' } })),
    ],
    forbidden: [
      c('type spc_t', sc({ seLinuxOptions: { type: 'spc_t' } })),
      c('type unconfined_t at pod level', podSc({ seLinuxOptions: { type: 'unconfined_t' } })),
      c('user set', sc({ seLinuxOptions: { user: 'system_u' } })),
      c('role set', sc({ seLinuxOptions: { role: 'system_r' } })),
    ],
  },
  {
    control: 'procMount',
    allowed: [c('undefined', none), c('Default', sc({ procMount: 'Default' })), c('Unmasked with hostUsers: false (1.35+)', all(userns, sc({ procMount: 'Unmasked' })))],
    forbidden: [c('Unmasked', sc({ procMount: 'Unmasked' }))],
  },
  {
    control: 'procMount_restricted',
    allowed: [c('undefined', none), c('Default', sc({ procMount: 'Default' }))],
    forbidden: [c('Unmasked', sc({ procMount: 'Unmasked' })), c('Unmasked even with hostUsers: false', all(userns, sc({ procMount: 'Unmasked' })))],
  },
  {
    control: 'runAsNonRoot',
    allowed: [
      c('pod true', podSc({ runAsNonRoot: true })),
      c('container true', sc({ runAsNonRoot: true })),
      c('nothing set, but hostUsers: false (1.35+)', userns),
      c('container false, but hostUsers: false', all(userns, sc({ runAsNonRoot: false }))),
    ],
    forbidden: [
      c('nothing set', none),
      c('a non-zero runAsUser alone', sc({ runAsUser: 1000 })),
      c('container false over pod true', all(podSc({ runAsNonRoot: true }), sc({ runAsNonRoot: false }))),
      c('pod false, container true', all(podSc({ runAsNonRoot: false }), sc({ runAsNonRoot: true }))),
      c('hostUsers: true', all(spec({ hostUsers: true }))),
    ],
  },
  {
    control: 'runAsUser',
    allowed: [
      c('undefined', none),
      c('container 1000', sc({ runAsUser: 1000 })),
      c('container 0, but hostUsers: false (1.35+)', all(userns, sc({ runAsUser: 0 }))),
    ],
    forbidden: [
      c('container 0', sc({ runAsUser: 0 })),
      c('pod 0', podSc({ runAsUser: 0 })),
      c('pod 0 even where the container overrides it', all(podSc({ runAsUser: 0 }), sc({ runAsUser: 1000 }))),
    ],
  },
  {
    control: 'restrictedVolumes',
    allowed: [
      c('no volumes', none),
      c('every allowed type', spec({
        volumes: [
          { name: 'a', configMap: { name: 'cm' } },
          { name: 'b', downwardAPI: { items: [] } },
          { name: 'c', emptyDir: {} },
          { name: 'd', projected: { sources: [] } },
          { name: 'e', secret: { secretName: 's' } },
          { name: 'f', csi: { driver: 'x' } },
          { name: 'g', persistentVolumeClaim: { claimName: 'pvc' } },
          { name: 'h', ephemeral: { volumeClaimTemplate: { spec: {} } } },
          { name: 'i', image: { reference: 'example.com/data:1' } },
        ],
      })),
    ],
    forbidden: [
      // hostPath fails hostPathVolumes too; one finding naming either control is enough.
      { ...c('hostPath', spec({ volumes: [{ name: 'h', hostPath: { path: '/data' } }] })), or: 'hostPathVolumes' },
      c('nfs', spec({ volumes: [{ name: 'n', nfs: { server: 'nfs.example.com', path: '/export' } }] })),
      c('gitRepo', spec({ volumes: [{ name: 'g', gitRepo: { repository: 'https://example.com/r.git' } }] })),
    ],
  },
  {
    control: 'hostPathVolumes',
    allowed: [c('no volumes', none), c('emptyDir', spec({ volumes: [{ name: 'c', emptyDir: {} }] }))],
    forbidden: [
      c('hostPath /data, unmounted', spec({ volumes: [{ name: 'h', hostPath: { path: '/data' } }] })),
      c('hostPath /var/log, mounted read-only', all(spec({ volumes: [{ name: 'h', hostPath: { path: '/var/log' } }] }), container({ volumeMounts: [{ name: 'h', mountPath: '/logs', readOnly: true }] }))),
    ],
  },
  {
    control: 'hostNamespaces',
    allowed: [c('undefined', none), c('all false', spec({ hostNetwork: false, hostPID: false, hostIPC: false }))],
    forbidden: [c('hostNetwork', spec({ hostNetwork: true })), c('hostPID', spec({ hostPID: true })), c('hostIPC', spec({ hostIPC: true }))],
  },
  {
    control: 'windowsHostProcess',
    allowed: [c('undefined', none), c('false', sc({ windowsOptions: { hostProcess: false } }))],
    forbidden: [
      c('container true', all(windows, sc({ windowsOptions: { hostProcess: true } }))),
      c('pod true', all(windows, podSc({ windowsOptions: { hostProcess: true } }))),
    ],
  },
  {
    control: 'hostProbesAndHostLifecycle',
    allowed: [
      c('probe without host', container({ livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } })),
      c('probe with an empty host', container({ readinessProbe: { tcpSocket: { port: 8080, host: '' } } })),
    ],
    forbidden: [
      c('livenessProbe.httpGet.host', container({ livenessProbe: { httpGet: { path: '/', port: 80, host: '10.0.0.1' } } })),
      c('startupProbe.tcpSocket.host', container({ startupProbe: { tcpSocket: { port: 22, host: 'db.internal' } } })),
      c('lifecycle.postStart.httpGet.host', container({ lifecycle: { postStart: { httpGet: { path: '/', port: 80, host: '169.254.169.254' } } } })),
    ],
  },
  {
    control: 'allowPrivilegeEscalation',
    allowed: [c('false', sc({ allowPrivilegeEscalation: false })), c('a Windows pod may leave it unset (1.25+)', windows)],
    forbidden: [c('undefined (must be set)', none), c('true', sc({ allowPrivilegeEscalation: true }))],
  },
  {
    control: 'capabilities_restricted',
    allowed: [
      c('drop ALL', sc({ capabilities: { drop: ['ALL'] } })),
      c('drop ALL, add NET_BIND_SERVICE', sc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })),
      c('a Windows pod may leave it unset (1.25+)', windows),
    ],
    forbidden: [
      c('drop missing', none),
      c('drop without ALL', sc({ capabilities: { drop: ['NET_RAW'] } })),
      c('drop all (exact string compare)', sc({ capabilities: { drop: ['all'] } })),
      c('drop ALL, add CHOWN', sc({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } })),
    ],
  },
];

/** The finding messages that name a control. */
function namingControl(text: string, path: string, profile: Profile, control: PssControlId): string[] {
  const { findings } = lint(text, { path, config: { profile } });
  return findings.filter((f) => f.message.includes(controlText(control))).map((f) => `${f.ruleId}: ${f.message}`);
}

/** How a Kubernetes message names a control: `(PSS baseline: Privileged Containers)`. */
function controlText(control: PssControlId): string {
  const c = PSS_CONTROLS[control];
  return `(PSS ${c.level}: ${c.title})`;
}

const NAMES_A_CONTROL = /\(PSS (?:baseline|restricted): /;

function profileFor(control: PssControlId): Profile {
  return PSS_CONTROLS[control].level;
}

describe('Pod Security Standards: every control', () => {
  it('the table covers every control', () => {
    assert.deepEqual(TABLES.map((t) => t.control).sort(), Object.keys(PSS_CONTROLS).sort());
  });
  for (const table of TABLES) {
    const profile = profileFor(table.control);
    describe(`${table.control} (${profile})`, () => {
      for (const k of table.allowed) {
        it(`allowed: ${k.name}`, () => {
          assert.deepEqual(namingControl(pod(k.change), 'pod.yaml', profile, table.control), []);
        });
      }
      for (const k of table.forbidden) {
        it(`forbidden: ${k.name}`, () => {
          const named = [...namingControl(pod(k.change), 'pod.yaml', profile, table.control), ...(k.or ? namingControl(pod(k.change), 'pod.yaml', profile, k.or) : [])];
          assert.ok(named.length > 0, `no finding names control ${table.control}${k.or ? ` or ${k.or}` : ''}`);
        });
        it(`forbidden, default profile names no control: ${k.name}`, () => {
          const { findings } = lint(pod(k.change), { path: 'pod.yaml', config: { profile: 'default' } });
          assert.deepEqual(findings.filter((f) => NAMES_A_CONTROL.test(f.message) || /profile\)$/.test(f.message)).map((f) => f.message), []);
        });
      }
    });
  }
});

describe('Pod Security Standards: restricted includes every baseline control', () => {
  it('a pod that fails only baseline controls fails them under restricted too', () => {
    const text = pod(all(sc({ privileged: true }), spec({ hostPID: true })));
    assert.ok(namingControl(text, 'pod.yaml', 'restricted', 'privileged').length > 0);
    assert.ok(namingControl(text, 'pod.yaml', 'restricted', 'hostNamespaces').length > 0);
  });
  it('baseline names no restricted control', () => {
    const { findings } = lint(pod(), { path: 'pod.yaml', config: { profile: 'baseline' } });
    for (const id of Object.keys(PSS_CONTROLS) as PssControlId[]) {
      if (PSS_CONTROLS[id].level === 'restricted') assert.ok(!findings.some((f) => f.message.includes(controlText(id))), id);
    }
  });
  it('a pod that satisfies restricted has no finding naming a control', () => {
    const text = pod(
      all(
        podSc({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }),
        sc({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsUser: 10001 }),
      ),
    );
    const { findings } = lint(text, { path: 'pod.yaml', config: { profile: 'restricted' } });
    assert.deepEqual(findings.filter((f) => NAMES_A_CONTROL.test(f.message)).map((f) => f.message), []);
  });
});

/**
 * The nearest Docker equivalents: each is reported under the profile by the rule that reproduces
 * the control, and says which profile asked for it, never a Pod Security Standards control name
 * (those are Kubernetes' own).
 */
const RULE_OF: Partial<Record<PssControlId, string>> = {
  privileged: 'no-privileged',
  capabilities_baseline: 'no-risky-capabilities',
  hostNamespaces: 'no-host-namespaces',
  seccompProfile_baseline: 'no-unconfined-seccomp',
  appArmorProfile: 'no-unconfined-apparmor',
  seLinuxOptions: 'no-disabled-selinux',
  procMount: 'no-unmasked-paths',
  allowPrivilegeEscalation: 'require-no-new-privileges',
  runAsUser: 'no-root-user',
  runAsNonRoot: 'no-root-user',
};
const DOCKER: { name: string; path: string; code: string; profile: Profile; control: PssControlId }[] = [
  { name: 'compose privileged', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    privileged: true\n', profile: 'baseline', control: 'privileged' },
  { name: 'compose cap_add NET_RAW', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    cap_add: [NET_RAW]\n', profile: 'baseline', control: 'capabilities_baseline' },
  { name: 'compose pid: host', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    pid: host\n', profile: 'baseline', control: 'hostNamespaces' },
  { name: 'compose seccomp unconfined', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    security_opt: ["seccomp:unconfined"]\n', profile: 'baseline', control: 'seccompProfile_baseline' },
  { name: 'compose apparmor unconfined', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    security_opt: ["apparmor:unconfined"]\n', profile: 'baseline', control: 'appArmorProfile' },
  { name: 'compose label:disable', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    security_opt: ["label:disable"]\n', profile: 'baseline', control: 'seLinuxOptions' },
  { name: 'compose systempaths=unconfined', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    security_opt: ["systempaths=unconfined"]\n', profile: 'baseline', control: 'procMount' },
  { name: 'compose without no-new-privileges', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    user: "1000"\n', profile: 'restricted', control: 'allowPrivilegeEscalation' },
  { name: 'compose user root', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n    user: root\n', profile: 'restricted', control: 'runAsUser' },
  { name: 'compose without user', path: 'compose.yml', code: 'services:\n  web:\n    image: x\n', profile: 'restricted', control: 'runAsNonRoot' },
  { name: 'devcontainer privileged', path: '.devcontainer/devcontainer.json', code: '{ "image": "x", "privileged": true }\n', profile: 'baseline', control: 'privileged' },
  { name: 'devcontainer --network=host', path: '.devcontainer/devcontainer.json', code: '{ "image": "x", "runArgs": ["--network=host"] }\n', profile: 'baseline', control: 'hostNamespaces' },
  { name: 'devcontainer capAdd SYS_PTRACE', path: '.devcontainer/devcontainer.json', code: '{ "image": "x", "capAdd": ["SYS_PTRACE"] }\n', profile: 'baseline', control: 'capabilities_baseline' },
  { name: 'devcontainer remoteUser root', path: '.devcontainer/devcontainer.json', code: '{ "image": "x", "remoteUser": "root" }\n', profile: 'restricted', control: 'runAsUser' },
];

describe('Pod Security Standards: the nearest Docker equivalents', () => {
  for (const d of DOCKER) {
    it(`${d.name}: reported under ${d.profile} (${d.control}), naming the profile, not the control`, () => {
      const { findings } = lint(d.code, { path: d.path, config: { profile: d.profile } });
      const named = findings.filter((f) => f.ruleId === RULE_OF[d.control] && f.message.endsWith(`(${d.profile} profile)`));
      assert.ok(named.length > 0, `no ${RULE_OF[d.control]} finding names the ${d.profile} profile: ${findings.map((f) => f.message).join(' | ')}`);
      assert.deepEqual(findings.filter((f) => NAMES_A_CONTROL.test(f.message) || /Pod Security Standards/.test(f.message)).map((f) => f.message), []);
    });
  }
  it('compose cap_add CAP_CHOWN is allowed under baseline: Docker normalises the name', () => {
    const { findings } = lint('services:\n  web:\n    image: x\n    cap_add: [CAP_CHOWN, chown]\n', { path: 'compose.yml', config: { profile: 'baseline' } });
    assert.deepEqual(findings.filter((f) => f.ruleId === 'no-risky-capabilities').map((f) => f.message), []);
  });
  it('restricted-only controls are not reported under baseline', () => {
    const { findings } = lint('services:\n  web:\n    image: x\n    user: root\n', { path: 'compose.yml', config: { profile: 'baseline' } });
    assert.deepEqual(findings.filter((f) => f.ruleId === 'no-root-user' || f.ruleId === 'require-no-new-privileges'), []);
  });
});

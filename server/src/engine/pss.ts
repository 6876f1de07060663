/**
 * Profiles and the Kubernetes Pod Security Standards controls they reproduce.
 * Source: kubernetes/pod-security-admission policy/check_*.go (shared/reference/domain.md §5.5,
 * peers.md §1e). The control ids are the admission checks' own ids.
 */
import type { FileKind } from './model';

/** `default`: this project's judgement. `baseline` / `restricted`: the Pod Security Standards, exactly. */
export type Profile = 'default' | 'baseline' | 'restricted';
export const PROFILES: readonly Profile[] = ['default', 'baseline', 'restricted'];

export function isProfile(value: unknown): value is Profile {
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value);
}

export type PssLevel = 'baseline' | 'restricted';

export interface PssControl {
  /** The pod-security-admission check id. */
  id: string;
  level: PssLevel;
  /** The control's name in the Pod Security Standards page. */
  title: string;
}

export const PSS_CONTROLS = {
  windowsHostProcess: { id: 'windowsHostProcess', level: 'baseline', title: 'HostProcess' },
  hostNamespaces: { id: 'hostNamespaces', level: 'baseline', title: 'Host Namespaces' },
  privileged: { id: 'privileged', level: 'baseline', title: 'Privileged Containers' },
  capabilities_baseline: { id: 'capabilities_baseline', level: 'baseline', title: 'Capabilities' },
  hostPathVolumes: { id: 'hostPathVolumes', level: 'baseline', title: 'HostPath Volumes' },
  hostPorts: { id: 'hostPorts', level: 'baseline', title: 'Host Ports' },
  hostProbesAndHostLifecycle: { id: 'hostProbesAndHostLifecycle', level: 'baseline', title: 'Host Probes / Lifecycle Hooks' },
  appArmorProfile: { id: 'appArmorProfile', level: 'baseline', title: 'AppArmor' },
  seLinuxOptions: { id: 'seLinuxOptions', level: 'baseline', title: 'SELinux' },
  procMount: { id: 'procMount', level: 'baseline', title: '/proc Mount Type' },
  seccompProfile_baseline: { id: 'seccompProfile_baseline', level: 'baseline', title: 'Seccomp' },
  sysctls: { id: 'sysctls', level: 'baseline', title: 'Sysctls' },
  restrictedVolumes: { id: 'restrictedVolumes', level: 'restricted', title: 'Volume Types' },
  allowPrivilegeEscalation: { id: 'allowPrivilegeEscalation', level: 'restricted', title: 'Privilege Escalation' },
  runAsNonRoot: { id: 'runAsNonRoot', level: 'restricted', title: 'Running as Non-root' },
  runAsUser: { id: 'runAsUser', level: 'restricted', title: 'Running as Non-root user' },
  seccompProfile_restricted: { id: 'seccompProfile_restricted', level: 'restricted', title: 'Seccomp' },
  capabilities_restricted: { id: 'capabilities_restricted', level: 'restricted', title: 'Capabilities' },
  procMount_restricted: { id: 'procMount_restricted', level: 'restricted', title: '/proc Mount Type' },
} as const satisfies Record<string, PssControl>;

export type PssControlId = keyof typeof PSS_CONTROLS;

/** Whether a control is enforced by a profile. */
export function enforces(profile: Profile, control: PssControlId): boolean {
  const level = PSS_CONTROLS[control].level;
  return profile === 'restricted' || (profile === 'baseline' && level === 'baseline');
}

/**
 * What a message says about the profile that asked for it, '' under `default` or when the
 * profile does not enforce the control. Kubernetes findings name the Pod Security Standards
 * control (` (PSS restricted: Privilege Escalation)`); the other formats have no such controls,
 * so they name the profile in this tool's words (` (restricted profile)`).
 */
export function pssSuffix(profile: Profile, control: PssControlId, kind: FileKind): string {
  if (profile === 'default' || !enforces(profile, control)) return '';
  if (kind !== 'kubernetes') return ` (${profile} profile)`;
  const c = PSS_CONTROLS[control];
  return ` (PSS ${c.level}: ${c.title})`;
}

/**
 * `capabilities_baseline`: the only names `capabilities.add` may hold, compared exactly
 * (`CAP_CHOWN` and `chown` are not `CHOWN`): Docker's default set without NET_RAW.
 */
export const PSS_BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/** `capabilities_restricted`: the one name `capabilities.add` may hold (and `drop` must include `ALL`). */
export const PSS_RESTRICTED_ADDABLE_CAPABILITY = 'NET_BIND_SERVICE';

/**
 * `sysctls`: the safe set, as of policy version 1.32 (1.0 list, + ip_local_reserved_ports in
 * 1.27, the tcp_keepalive/tcp_fin_timeout ones in 1.29, tcp_rmem/tcp_wmem in 1.32).
 */
export const PSS_SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

/** `restrictedVolumes`: the only volume source types a restricted pod may use. */
export const PSS_RESTRICTED_VOLUME_TYPES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

/** SELinux types `seLinuxOptions` may set (`container_engine_t` from 1.31); user and role must be empty. */
export const PSS_SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

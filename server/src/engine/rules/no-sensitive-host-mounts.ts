/**
 * @fileoverview Containers must not mount sensitive host directories (/, /etc, /proc, /sys,
 * /var/lib/kubelet…); under the Pod Security Standards profiles, no host path at all.
 */
import type { Mount } from '../model';
import { PSS_RESTRICTED_VOLUME_TYPES, enforces, pssSuffix } from '../pss';
import { defineRule } from '../rule';
import type { FixIntent } from '../rule';
import { isWholeDev } from './no-host-devices';
import { runtimeSocket } from './no-runtime-socket';

/** A sensitive host directory: it and everything under it. */
export interface SensitivePath {
  path: string;
  /** What the host keeps there, for the message. */
  what: string;
  /** It holds sockets (or contains a tree that does): a read-only mount still lets a process connect to them. */
  sockets?: boolean;
}

const PROGRAMS = 'the host\'s programs and libraries, which host root runs';
const MODULES = 'the kernel modules the host loads';
const RUN = 'the host\'s runtime sockets (the container runtime\'s, D-Bus, systemd) and state';

/** The list, in the order the doc gives it. `/dev` itself is no-host-devices' (its children are here). */
export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  { path: '/', what: 'the whole host filesystem, the container runtime\'s socket included', sockets: true },
  { path: '/etc', what: 'the host\'s configuration (passwd, shadow, sudoers, cron, systemd units, kubelet credentials)' },
  { path: '/proc', what: 'the host\'s processes and kernel settings (/proc/sys, core_pattern, sysrq-trigger)' },
  { path: '/sys', what: 'the host\'s kernel and device settings (uevent_helper, cgroup release_agent, firmware)' },
  { path: '/boot', what: 'the host\'s kernel and boot loader' },
  { path: '/root', what: 'root\'s home on the host (SSH keys, shell profile, credentials)' },
  { path: '/home', what: 'the users\' homes on the host (SSH keys, shell profiles, credentials)' },
  { path: '/run', what: RUN, sockets: true },
  { path: '/var/run', what: RUN, sockets: true },
  { path: '/var/lib/docker', what: 'Docker\'s state (every container\'s filesystem and volumes)' },
  { path: '/var/lib/containerd', what: 'containerd\'s state (every container\'s image layers and snapshots)' },
  { path: '/var/lib/containers', what: 'Podman\'s and CRI-O\'s storage (every container\'s filesystem)' },
  { path: '/var/lib/kubelet', what: 'the kubelet\'s state (every pod\'s secrets, service account tokens and volumes)' },
  { path: '/var/log', what: 'the host\'s logs (a pod that can write there can plant symlinks the kubelet follows when it serves logs)' },
  { path: '/lib/modules', what: MODULES },
  { path: '/usr/lib/modules', what: MODULES },
  { path: '/bin', what: PROGRAMS },
  { path: '/sbin', what: PROGRAMS },
  { path: '/lib', what: PROGRAMS },
  { path: '/lib64', what: PROGRAMS },
  { path: '/usr', what: PROGRAMS },
  { path: '/dev', what: 'host device nodes and the host\'s shared memory (pass a device with devices or --device instead: that also allows it in the device cgroup)' },
];

/** Read-only mounts of these (and under them) are not reported: time zone, OS release and CA certificates. */
const HARMLESS_READ_ONLY = ['/etc/localtime', '/etc/timezone', '/usr/share/zoneinfo', '/etc/os-release', '/etc/ssl/certs'];

/** `path` is `dir` or under it, by path segments (`/etcd` is not under `/etc`; everything is under `/`, but only `/` is `/`). */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return path === '/';
  return path === dir || path.startsWith(`${dir}/`);
}

/** The most specific sensitive directory a normalised absolute host path is or is under. */
export function sensitivePath(path: string): SensitivePath | undefined {
  let best: SensitivePath | undefined;
  for (const s of SENSITIVE_PATHS) {
    if (isUnder(path, s.path) && (!best || s.path.length > best.path.length)) best = s;
  }
  return best;
}

const LATER = 'a container added later, or an ephemeral debug container, can mount it';

export default defineRule({
  id: 'no-sensitive-host-mounts',
  meta: {
    description: 'Containers must not mount sensitive host directories (/, /etc, /proc, /sys, /var/lib/kubelet…)',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.6 (v1.6.0; 5.5 in v1.2.0)', 'CIS Kubernetes 5.2.12 (HostPath volumes; 5.2.11 in v1.12)', 'PSS baseline: HostPath Volumes', 'PSS restricted: Volume Types', 'KICS: volume_has_sensitive_host_directory / workload_mounting_with_sensitive_os_directory / non_kube_system_pod_with_host_mount', 'Trivy KSV-0023 / KSV-0121', 'kube-linter sensitive-host-mounts', 'kubeaudit mounts', 'Polaris hostPathSet'],
    messages: {
      writable: '{{label}} mounts the host path {{path}} ({{field}}){{inside}}: {{what}}. A process that can write there can compromise the host{{pss}}.',
      readOnly: '{{label}} mounts the host path {{path}} read-only ({{field}}){{inside}}: {{what}}. Read-only lowers the severity, it does not remove the finding: everything there can still be read{{pss}}.',
      socketsReadOnly: '{{label}} mounts the host path {{path}} read-only ({{field}}){{inside}}: {{what}}. Read-only does not help here: it does not stop connecting to the sockets there{{pss}}.',
      readOnlyProfile: '{{label}} mounts the host path {{path}} read-only ({{field}}){{inside}}: {{what}}. Everything there can still be read, and the profile allows no host path mounts, read-only or not{{pss}}.',
      unmounted: '{{label}} declares a hostPath volume for {{path}}{{inside}} that no container mounts: {{what}}; ' + LATER + '{{pss}}.',
      hostPath: '{{label}} mounts the host path {{path}} ({{field}}): the profile allows no host path mounts, read-only or not{{pss}}.',
      hostPathUnmounted: '{{label}} declares a hostPath volume for {{path}}: the profile allows no hostPath volumes, mounted or not{{pss}}.',
      volumeType: `{{label}} uses a volume of type {{type}}: the profile allows only ${PSS_RESTRICTED_VOLUME_TYPES.slice(0, -1).join(', ')} and ${PSS_RESTRICTED_VOLUME_TYPES[PSS_RESTRICTED_VOLUME_TYPES.length - 1]} volumes{{pss}}.`,
    },
    risk: 'A host directory such as /etc, /proc, /sys, /var/lib/kubelet or / mounted writable is a direct way out: a write to cron, a kernel setting or another pod\'s secrets takes over the host. Read-only lowers the risk (reading secrets and keys remains), and does not stop connecting to sockets.',
    fixDescription: 'A quick-fix mounts the path read-only (never applied by --fix: a workload that writes there would break). Better: mount only the file or directory the workload needs, or use a volume.',
  },
  checkWorkload(workload, context) {
    const profile = context.settings.profile;
    const pssHostPath = enforces(profile, 'hostPathVolumes');
    const pss = pssSuffix(profile, 'hostPathVolumes');
    const check = (mount: Mount, label: string, unmounted: boolean) => {
      if (mount.form === 'api-socket' || mount.form === 'volume-instruction') return;
      // The runtime's sockets and the whole /dev have their own rules (no double report).
      if (!mount.relative && (runtimeSocket(mount.value) || isWholeDev(mount.value))) return;
      const sensitive = mount.relative ? undefined : sensitivePath(mount.value);
      const harmless = mount.readOnly && HARMLESS_READ_ONLY.some((p) => isUnder(mount.value, p));
      if (!sensitive || harmless) {
        if (pssHostPath) context.report({ at: mount, messageId: unmounted ? 'hostPathUnmounted' : 'hostPath', data: { label, path: mount.value, field: mount.field, pss } });
        return;
      }
      const child = sensitive.path !== mount.value;
      const data = { label, path: mount.value, field: mount.field, inside: child ? `, part of ${sensitive.path}` : '', what: sensitive.what, pss };
      if (unmounted) {
        data.inside = child ? ` (part of ${sensitive.path})` : '';
        // Declared but not mounted: nothing reaches it yet (under a profile, the volume alone is the violation).
        context.report({ at: mount, messageId: 'unmounted', data, severity: pssHostPath ? undefined : 'warning' });
        return;
      }
      if (mount.readOnly) {
        const messageId = sensitive.sockets ? 'socketsReadOnly' : pssHostPath ? 'readOnlyProfile' : 'readOnly';
        context.report({ at: mount, messageId, data, severity: pssHostPath || sensitive.sockets ? undefined : 'warning' });
        return;
      }
      const fixes: FixIntent[] = [{ type: 'set-mount-read-only', mount }];
      context.report({ at: mount, messageId: 'writable', data, fixes, noPreferredFix: true });
    };
    for (const container of workload.containers) {
      for (const mount of container.mounts) check(mount, capitalize(container.label), false);
    }
    const workloadLabel = capitalize(workload.name);
    for (const mount of workload.unmountedHostPaths) check(mount, workloadLabel, true);
    if (enforces(profile, 'restrictedVolumes')) {
      // hostPath volumes are reported above, under hostPathVolumes (restrictedVolumes forbids them too).
      for (const v of workload.volumeTypes) {
        if (v.value === 'hostPath' || PSS_RESTRICTED_VOLUME_TYPES.includes(v.value)) continue;
        context.report({ at: v, messageId: 'volumeType', data: { label: workloadLabel, type: v.value, pss: pssSuffix(profile, 'restrictedVolumes') } });
      }
    }
  },
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * @fileoverview Kubernetes pods should run in their own user namespace (hostUsers: false) where nothing prevents it.
 */
import type { Workload } from '../model';
import { defineRule } from '../rule';

/** Capabilities that act only in the host's (initial) user namespace: a pod that adds them needs the host's users. */
const HOST_ONLY_CAPS: ReadonlySet<string> = new Set(['ALL', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_TIME', 'SYS_BOOT', 'SYSLOG', 'MAC_ADMIN', 'MAC_OVERRIDE', 'AUDIT_CONTROL']);

/** Volume types whose file systems do not support ID-mapped mounts, which user-namespaced pods need. */
const NO_IDMAP_VOLUMES: ReadonlySet<string> = new Set(['nfs']);

/** Why hostUsers: false is impossible or would break this pod, if it would. */
function blocker(workload: Workload): string | undefined {
  if (workload.hostNamespaces.length > 0) return 'host namespaces'; // the API rejects hostUsers: false with hostNetwork/hostPID/hostIPC
  if (workload.windowsHostProcess?.value === true) return 'Windows HostProcess';
  if (workload.volumeTypes.some((v) => v.value === 'hostPath')) return 'hostPath volumes';
  if (workload.volumeTypes.some((v) => NO_IDMAP_VOLUMES.has(v.value))) return 'volumes without ID-mapped mounts';
  for (const c of workload.containers) {
    if (c.privileged.some((p) => p.value)) return 'privileged';
    if (c.windowsHostProcess?.value === true) return 'Windows HostProcess';
    if (c.capAdd.some((cap) => HOST_ONLY_CAPS.has(cap.name))) return 'host-only capabilities';
  }
  return undefined;
}

export default defineRule({
  id: 'prefer-user-namespaces',
  meta: {
    description: 'Kubernetes pods should run in their own user namespace (hostUsers: false)',
    defaultSeverity: 'info',
    kinds: ['kubernetes'],
    fixable: true,
    standards: [
      'CIS Docker 2.9 (v1.6.0: daemon user namespace support; the Kubernetes counterpart)',
      'Kubernetes user namespaces (KEP-127): beta and on by default in 1.33, GA in 1.36',
      'PSS: not required; hostUsers: false relaxes runAsNonRoot, runAsUser and procMount (policy 1.35+)',
      'kubesec HostUsers',
    ],
    messages: {
      unset: '{{label}} runs in the node\'s user namespace ({{setting}})',
    },
    details: {
      unset: 'Root in its containers is root on the node as soon as anything breaks the isolation, and the capabilities it holds apply to the node. hostUsers: false gives the pod its own user namespace, where root inside maps to an unprivileged user on the node.',
    },
    risk: 'Without a user namespace, uid 0 in the container is uid 0 on the node: a runtime or kernel bug, a writable host path or a mounted socket turns into root on the node, and several escapes rated high or critical were not exploitable with user namespaces. hostUsers: false maps the pod\'s users to unprivileged node users.',
    fixDescription: 'Sets hostUsers: false in the pod spec. The node needs Kubernetes 1.33+ (or the UserNamespacesSupport feature gate), a runtime with user-namespace support and file systems with ID-mapped mounts.',
  },
  checkWorkload(workload, context) {
    if (workload.hostUsers?.value === false || blocker(workload)) return;
    const at = workload.hostUsers ?? workload.anchor;
    const setting = workload.hostUsers ? 'hostUsers: true' : 'hostUsers not set';
    context.report({ at, messageId: 'unset', data: { label: workload.name, setting }, fixes: [{ type: 'set-host-users-false' }] });
  },
});

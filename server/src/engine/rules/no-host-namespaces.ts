/**
 * @fileoverview Workloads must not share the host's PID, network, IPC, UTS, cgroup or user namespace.
 */
import type { FileKind, HostNamespace, HostNamespaceKind } from '../model';
import { pssSuffix } from '../pss';
import { defineRule } from '../rule';
import { capitalize } from './shared/boundary';

/** The docker run flag for each namespace, for devcontainer runArgs messages. */
const FLAG: Record<HostNamespaceKind, string> = {
  pid: '--pid',
  network: '--network',
  ipc: '--ipc',
  uts: '--uts',
  cgroup: '--cgroupns',
  user: '--userns',
};

/** PSS hostNamespaces covers hostPID, hostNetwork and hostIPC (the Docker equivalents count too). */
const PSS_COVERED: ReadonlySet<HostNamespaceKind> = new Set(['pid', 'network', 'ipc']);

/** The setting as the format writes it: `pid: host`, `hostPID: true`, `--pid=host`. */
function settingText(kind: FileKind, ns: HostNamespace): string {
  if (kind === 'kubernetes') return `${ns.field}: true`;
  if (kind === 'devcontainer') return `${FLAG[ns.value]}=host in runArgs`;
  // Quadlet: a unit key (`Network=host`) or a flag in PodmanArgs; run commands: the flag on the command line.
  if (kind === 'quadlet') return ns.field === 'PodmanArgs' ? `${FLAG[ns.value]}=host in PodmanArgs` : `${ns.field}=host`;
  if (kind === 'run') return `${FLAG[ns.value]}=host`;
  return `${ns.field}: host`;
}

export default defineRule({
  id: 'no-host-namespaces',
  meta: {
    description: 'Workloads must not share the host\'s PID, network, IPC, UTS, cgroup or user namespace',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: [
      'CIS Docker 5.10 / 5.16 / 5.17 / 5.21 / 5.31 (v1.6.0: network, PID, IPC, UTS, user namespace)',
      'CIS Kubernetes 5.2.3 / 5.2.4 / 5.2.5',
      'PSS baseline: Host Namespaces (hostNamespaces)',
      'KICS: host namespace is shared / shared host IPC / network / user namespace',
      'Checkov CKV_K8S_17 / CKV_K8S_18 / CKV_K8S_19',
      'Trivy KSV-0010 / KSV-0008 / KSV-0009',
      'kube-linter host-pid / host-ipc / host-network',
      'kubeaudit hostns',
    ],
    messages: {
      pid: '{{label}} shares the host\'s PID namespace ({{setting}}){{pss}}',
      network: '{{label}} uses the host\'s network stack ({{setting}}){{pss}}',
      ipc: '{{label}} shares the host\'s IPC namespace ({{setting}}){{pss}}',
      uts: '{{label}} shares the host\'s UTS namespace ({{setting}}){{pss}}',
      cgroup: '{{label}} uses the host\'s cgroup namespace ({{setting}}){{pss}}',
      user: '{{label}} opts out of user-namespace remapping ({{setting}}){{pss}}',
    },
    details: {
      pid: 'It sees every host process with its command line, can signal processes of the same user, and with SYS_PTRACE or SYS_ADMIN can trace them or nsenter into the host.',
      network: 'It can bind to every host interface, reach services listening only on the host\'s localhost, and with NET_RAW (in the default set) sniff and spoof host traffic.',
      ipc: 'It can read and write the shared memory segments and message queues of host processes.',
      uts: 'With SYS_ADMIN it can change the host\'s hostname and domain name.',
      cgroup: 'It sees the host\'s whole cgroup tree, and where cgroupfs is writable it can manage other workloads\' cgroups.',
      user: 'On a daemon with userns-remap, root inside this container is root on the host again.',
    },
    risk: 'A container that shares a host namespace is no longer isolated in that dimension: the host PID namespace exposes every host process, the host network exposes the host\'s localhost services and traffic, the host IPC namespace its shared memory. Each removes one of the walls an escape has to climb.',
    fixDescription: 'Removes the setting (pid: host, network_mode: host, hostPID: true, --pid=host…), so the container gets its own namespace again. Not offered where the setting comes through an anchor, a merge key or extends.',
  },
  checkWorkload(workload, context) {
    const first = workload.containers[0];
    const label = workload.kind === 'kubernetes' || !first ? workload.name : capitalize(first.label);
    for (const ns of workload.hostNamespaces) {
      const pss = PSS_COVERED.has(ns.value) ? pssSuffix(context.settings.profile, 'hostNamespaces', workload.kind) : '';
      context.report({
        at: ns,
        messageId: ns.value,
        data: { label, setting: settingText(workload.kind, ns), pss },
        fixes: [{ type: 'remove-setting', target: ns }],
        // Sharing the host user namespace only matters on a daemon with userns-remap, which the file cannot show.
        severity: ns.value === 'user' ? 'warning' : undefined,
      });
    }
  },
});

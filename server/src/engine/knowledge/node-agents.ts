/**
 * Widely deployed Kubernetes (and Docker host) node agents and the host access each needs.
 *
 * A node agent is software whose job is the node itself: it exports the node's metrics, wires
 * the pod network, programs kube-proxy's rules, mounts volumes for the kubelet, ships the node's
 * logs, watches its syscalls or hands out its GPUs. For these the host access a rule flags is
 * expected: the findings say so and say how to contain it, and no fix takes away what the agent
 * needs (fix-policy.ts).
 *
 * Sources are tagged like images.ts: [V] read in the project's own manifests, [V-doc] vendor
 * docs, [C] community, [K] background knowledge. Patterns use the images.ts glob matcher.
 */
import type { HostNamespaceKind } from '../model';
import type { SourceConfidence } from './images';
import { globMatches, imageCandidates } from './images';

export type NodeAgentClass = 'metrics-exporter' | 'cni' | 'service-proxy' | 'csi-node' | 'log-shipper' | 'runtime-security' | 'gpu-device-plugin';

export interface NodeAgentNeeds {
  /** Host namespaces it shares by design. */
  namespaces: HostNamespaceKind[];
  /** Host paths it mounts (a mount of one of these, or of a path under one, is expected). */
  hostPaths: string[];
  /** It runs privileged in its upstream manifests. */
  privileged: boolean;
  /** Capabilities it adds in its upstream manifests. */
  caps: string[];
  /** Host devices (a GPU exporter's /dev/nvidia*). */
  devices?: string[];
  /** It turns SELinux separation off (label=disable / spc_t) upstream. */
  selinuxDisable?: boolean;
  /** It runs without seccomp/AppArmor upstream. */
  unconfined?: boolean;
}

export interface NodeAgent {
  id: string;
  class: NodeAgentClass;
  title: string;
  patterns: string[];
  needs: NodeAgentNeeds;
  source: string;
  confidence: SourceConfidence;
}

const CLASS_LABEL: Record<NodeAgentClass, string> = {
  'metrics-exporter': 'a node metrics exporter',
  cni: 'a CNI plugin',
  'service-proxy': 'a service proxy (kube-proxy)',
  'csi-node': 'a CSI node plugin',
  'log-shipper': 'a node log shipper',
  'runtime-security': 'a runtime security agent',
  'gpu-device-plugin': 'a GPU device plugin',
};

/** How to contain the access instead of removing it, per class. */
const CONTAIN: Record<NodeAgentClass, string> = {
  'metrics-exporter': 'run it in a dedicated namespace exempted from Pod Security Admission, mount the host\'s filesystem read-only, and expose its port only to the metrics scraper',
  cni: 'run it in a dedicated namespace (kube-system or its own) labelled pod-security.kubernetes.io/enforce: privileged, so the rest of the cluster stays under baseline or restricted; keep its service account to what the plugin needs',
  'service-proxy': 'run it in kube-system with a Pod Security Admission exemption and nothing else on its service account',
  'csi-node': 'run it in the driver\'s own namespace exempted from Pod Security Admission, and mount only the kubelet and device paths the driver documents',
  'log-shipper': 'run it in a dedicated namespace exempted from Pod Security Admission and mount the log directories read-only',
  'runtime-security': 'run it in its own namespace exempted from Pod Security Admission; prefer its least-privileged (modern eBPF) mode where it has one, and mount host paths read-only',
  'gpu-device-plugin': 'run it in its own namespace exempted from Pod Security Admission and mount only the kubelet device-plugin socket directory',
};

export const NODE_AGENTS: readonly NodeAgent[] = [
  {
    id: 'node-exporter', class: 'metrics-exporter', title: 'Prometheus node exporter',
    patterns: ['prom/node-exporter*', 'quay.io/prometheus/node-exporter*', 'prometheus/node-exporter*'],
    needs: { namespaces: ['network', 'pid'], hostPaths: ['/', '/proc', '/sys'], privileged: false, caps: ['SYS_TIME'] },
    source: 'prometheus/node_exporter README.md (--net=host --pid=host -v /:/host:ro,rslave) [V]; prometheus-operator/kube-prometheus manifests/nodeExporter-daemonset.yaml (hostNetwork, hostPID, hostPath /, /proc, /sys) [V]',
    confidence: 'V',
  },
  {
    id: 'cadvisor', class: 'metrics-exporter', title: 'cAdvisor',
    patterns: ['gcr.io/cadvisor/cadvisor*', 'ghcr.io/google/cadvisor*', 'google/cadvisor*'],
    needs: { namespaces: ['pid'], hostPaths: ['/', '/sys', '/var/run', '/var/lib/docker', '/dev/disk', '/dev/kmsg'], privileged: true, caps: [], devices: ['/dev/kmsg'] },
    source: 'google/cadvisor README.md, docs/running.md [V]', confidence: 'V',
  },
  {
    id: 'flannel', class: 'cni', title: 'flannel',
    patterns: ['*flannel*'],
    needs: { namespaces: ['network'], hostPaths: ['/run/flannel', '/opt/cni/bin', '/etc/cni/net.d', '/run/xtables.lock', '/lib/modules'], privileged: true, caps: ['NET_ADMIN', 'NET_RAW'] },
    source: 'flannel-io/flannel Documentation/kube-flannel.yml (hostNetwork, NET_ADMIN + NET_RAW, hostPath /run/flannel, /opt/cni/bin, /etc/cni/net.d, /run/xtables.lock; namespace labelled enforce: privileged) [V]',
    confidence: 'V',
  },
  {
    id: 'calico-node', class: 'cni', title: 'Calico node',
    patterns: ['*calico/node*', '*calico/cni*', '*tigera/operator*'],
    needs: { namespaces: ['network'], hostPaths: ['/lib/modules', '/run/xtables.lock', '/var/run/calico', '/var/lib/calico', '/var/run/nodeagent', '/sys/fs', '/var/log/calico', '/opt/cni/bin', '/etc/cni/net.d', '/proc', '/var/lib/cni'], privileged: true, caps: [] },
    source: 'projectcalico/calico manifests/calico.yaml (calico-node: hostNetwork, privileged, hostPath /lib/modules, /run/xtables.lock, /var/run/calico) [K]', confidence: 'K',
  },
  {
    id: 'cilium', class: 'cni', title: 'Cilium agent',
    patterns: ['*cilium/cilium*'],
    needs: { namespaces: ['network', 'pid'], hostPaths: ['/sys/fs/bpf', '/run/cilium', '/proc', '/opt/cni/bin', '/etc/cni/net.d', '/lib/modules', '/run/xtables.lock', '/var/run/cilium'], privileged: true, caps: ['NET_ADMIN', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE', 'BPF', 'PERFMON', 'NET_RAW', 'IPC_LOCK', 'CHOWN', 'KILL', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'], selinuxDisable: true, unconfined: true },
    source: 'cilium/cilium helm values (securityContext.capabilities.ciliumAgent; seLinuxOptions type spc_t; appArmorProfile Unconfined) [K]; domain.md §8.2 row 31', confidence: 'K',
  },
  {
    id: 'weave', class: 'cni', title: 'Weave Net',
    patterns: ['*weaveworks/weave-kube*', '*weaveworks/weave-npc*'],
    needs: { namespaces: ['network', 'pid'], hostPaths: ['/var/lib/weave', '/opt', '/home', '/etc', '/run/xtables.lock', '/lib/modules', '/var/lib/dbus'], privileged: true, caps: [] },
    source: 'weaveworks/weave prog/weave-kube/weave-daemonset-k8s.yaml [K]', confidence: 'K',
  },
  {
    id: 'kube-proxy', class: 'service-proxy', title: 'kube-proxy',
    patterns: ['*kube-proxy*'],
    needs: { namespaces: ['network'], hostPaths: ['/run/xtables.lock', '/lib/modules', '/var/lib/kube-proxy'], privileged: true, caps: [] },
    source: 'kubernetes/kubernetes cmd/kubeadm/app/phases/addons/proxy/manifests.go (hostNetwork, privileged, hostPath /run/xtables.lock, /lib/modules) [K]', confidence: 'K',
  },
  {
    id: 'kube-router', class: 'cni', title: 'kube-router',
    patterns: ['*cloudnativelabs/kube-router*'],
    needs: { namespaces: ['network'], hostPaths: ['/lib/modules', '/run/xtables.lock', '/etc/cni/net.d', '/var/lib/kube-router'], privileged: true, caps: [] },
    source: 'cloudnativelabs/kube-router daemonset/kubeadm-kuberouter.yaml [K]', confidence: 'K',
  },
  {
    id: 'csi-node', class: 'csi-node', title: 'CSI node plugin',
    patterns: ['*csi-node-driver*', '*csi-driver*', '*csi-plugin*', '*cephcsi*', '*ebs-csi-driver*', '*efs-csi-driver*', '*secrets-store-csi*'],
    needs: { namespaces: ['network'], hostPaths: ['/var/lib/kubelet', '/dev', '/sys', '/run/udev', '/etc/selinux', '/lib/modules', '/var/lib/kubelet/plugins', '/var/lib/kubelet/plugins_registry'], privileged: true, caps: ['SYS_ADMIN'], devices: ['/dev'] },
    source: 'kubernetes-csi docs "Deploying a CSI driver on Kubernetes" (node plugin: privileged, hostPath /var/lib/kubelet with Bidirectional propagation, /dev) [V-doc]', confidence: 'V-doc',
  },
  {
    id: 'log-shippers', class: 'log-shipper', title: 'Node log shipper',
    patterns: ['*fluent/fluent-bit*', '*fluent/fluentd*', '*fluentd-kubernetes-daemonset*', '*grafana/promtail*', '*grafana/alloy*', '*elastic/filebeat*', '*beats/filebeat*', '*timberio/vector*', '*datadog/agent*', '*otel/opentelemetry-collector*'],
    needs: { namespaces: [], hostPaths: ['/var/log', '/var/lib/docker/containers', '/run/log/journal', '/var/lib/filebeat-data', '/var/lib/vector', '/proc', '/sys/fs/cgroup', '/var/run/docker.sock', '/var/run/containerd'], privileged: false, caps: [] },
    source: 'fluent/fluent-bit-kubernetes-logging, grafana/helm-charts promtail, elastic/beats deploy/kubernetes/filebeat-kubernetes.yaml (hostPath /var/log, /var/lib/docker/containers read-only) [K]', confidence: 'K',
  },
  {
    id: 'falco', class: 'runtime-security', title: 'Falco',
    patterns: ['*falcosecurity/falco*'],
    needs: { namespaces: ['pid'], hostPaths: ['/proc', '/etc', '/dev', '/boot', '/lib/modules', '/usr', '/sys/kernel', '/var/run/docker.sock', '/run/containerd', '/var/run/crio', '/run/k3s/containerd', '/root/.falco', '/var/run/containerd', '/run/crio', '/sys/fs/bpf'], privileged: true, caps: ['SYS_RESOURCE', 'BPF', 'PERFMON', 'SYS_PTRACE', 'SYS_ADMIN'], unconfined: true },
    source: 'falcosecurity/charts charts/falco/values.yaml, templates/pod-template.tpl (privileged unless driver.modernEbpf.leastPrivileged; hostPath /proc, /etc, /dev, /boot, /lib/modules, container runtime sockets) [V]', confidence: 'V',
  },
  {
    id: 'tetragon', class: 'runtime-security', title: 'Tetragon',
    patterns: ['*cilium/tetragon*'],
    needs: { namespaces: ['pid'], hostPaths: ['/sys/fs/bpf', '/proc', '/sys/kernel', '/var/run/cilium', '/run/cilium'], privileged: true, caps: [] },
    source: 'cilium/tetragon install/kubernetes/tetragon values (privileged, hostPID) [K]', confidence: 'K',
  },
  {
    id: 'nvidia-device-plugin', class: 'gpu-device-plugin', title: 'NVIDIA device plugin / GPU exporter',
    patterns: ['*nvidia/k8s-device-plugin*', '*nvidia/dcgm-exporter*', '*nvidia/k8s/dcgm-exporter*', '*nvidia/gpu-feature-discovery*'],
    needs: { namespaces: [], hostPaths: ['/var/lib/kubelet/device-plugins', '/var/lib/kubelet/pod-resources', '/dev', '/run/nvidia', '/sys'], privileged: false, caps: ['SYS_ADMIN'], devices: ['/dev'] },
    source: 'NVIDIA/k8s-device-plugin deployments/static/nvidia-device-plugin.yml (hostPath /var/lib/kubelet/device-plugins); NVIDIA/dcgm-exporter (SYS_ADMIN for profiling metrics) [K]', confidence: 'K',
  },
];

const cache = new Map<string, NodeAgent | undefined>();

/** The node agent an image reference is, if the table knows it. */
export function nodeAgent(imageRef: string | undefined): NodeAgent | undefined {
  if (!imageRef) return undefined;
  if (cache.has(imageRef)) return cache.get(imageRef);
  const candidates = imageCandidates(imageRef);
  const agent = candidates.length === 0 ? undefined : NODE_AGENTS.find((a) => a.patterns.some((p) => candidates.some((c) => globMatches(p, c))));
  if (cache.size >= 1024) cache.clear();
  cache.set(imageRef, agent);
  return agent;
}

/** What a finding or a fix is about, for asking whether an agent needs it. */
export type HostAccess =
  | { what: 'namespace'; ns: HostNamespaceKind }
  | { what: 'mount'; path: string }
  | { what: 'privileged' }
  | { what: 'cap'; name: string }
  | { what: 'device'; path: string }
  | { what: 'selinux-disable' }
  | { what: 'unconfined' };

function underOrAt(path: string, prefix: string): boolean {
  if (prefix === '/') return path === '/';
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Whether the agent's upstream deployment uses this host access. */
export function agentNeeds(agent: NodeAgent, access: HostAccess): boolean {
  const n = agent.needs;
  switch (access.what) {
    case 'namespace':
      return n.namespaces.includes(access.ns);
    case 'mount':
      return n.hostPaths.some((p) => underOrAt(access.path, p));
    case 'privileged':
      return n.privileged;
    case 'cap':
      return access.name === 'ALL' ? n.privileged : n.caps.includes(access.name) || n.privileged;
    case 'device':
      return (n.devices ?? []).some((d) => underOrAt(access.path, d)) || n.privileged;
    case 'selinux-disable':
      return n.selinuxDisable === true || n.privileged;
    case 'unconfined':
      return n.unconfined === true || n.privileged;
  }
}

/** The sentence a finding about expected access ends with. */
export function expectedAccessNote(agent: NodeAgent): string {
  return `This access is expected for ${CLASS_LABEL[agent.class]} (${agent.title}): contain it instead of removing it: ${CONTAIN[agent.class]}.`;
}

export function nodeAgentClassLabel(c: NodeAgentClass): string {
  return CLASS_LABEL[c];
}

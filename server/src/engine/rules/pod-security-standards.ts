/**
 * @fileoverview The Pod Security Standards controls no dedicated rule covers: HostProcess,
 * host ports, host probes / lifecycle hooks and sysctls. Off in the default profile; an error
 * under `baseline` and `restricted` (all four are baseline controls, so restricted has them too).
 * Kubernetes only: these settings have no Docker equivalent worth reporting (a Compose port
 * mapping is the normal way to publish a port; Compose sysctls are namespaced by Docker).
 */
import type { Located } from '../model';
import { PSS_SAFE_SYSCTLS, pssSuffix } from '../pss';
import { defineRule } from '../rule';

export default defineRule({
  id: 'pod-security-standards',
  meta: {
    description: 'Kubernetes pods must pass the Pod Security Standards controls no other rule covers (HostProcess, host ports, host probes, sysctls)',
    defaultSeverity: 'off',
    profileSeverity: { baseline: 'error', restricted: 'error' },
    kinds: ['kubernetes'],
    fixable: true,
    standards: [
      'PSS baseline: HostProcess (windowsHostProcess)',
      'PSS baseline: Host Ports (hostPorts)',
      'PSS baseline: Host Probes / Lifecycle Hooks (hostProbesAndHostLifecycle, 1.34+)',
      'PSS baseline: Sysctls (sysctls)',
      'Checkov CKV_K8S_26 (hostPort)',
      'Trivy KSV-0024 (host ports) / KSV-0026 (sysctls) / KSV-0103 (HostProcess) / KSV-0117',
      'kube-linter host-port / unsafe-sysctls',
    ],
    messages: {
      hostProcessPod: 'The pod of {{workload}} runs as a Windows HostProcess{{pss}}',
      hostProcess: '{{label}} runs as a Windows HostProcess{{pss}}',
      hostPort: '{{label}} binds host port {{port}}{{pss}}',
      probeHost: '{{label}} points {{probe}} at host {{host}}{{pss}}',
      sysctl: 'The pod of {{workload}} sets the unsafe sysctl {{name}}{{pss}}',
    },
    details: {
      hostProcessPod: '{{field}}: true runs its containers directly on the host, with the host\'s network and file system.',
      hostProcess: '{{field}}: true runs it directly on the host, with the host\'s network and file system.',
      hostPort: 'With {{field}} it is reachable on the node\'s address, past NetworkPolicies that only see pod traffic, and it pins the pod to nodes where the port is free.',
      probeHost: 'The kubelet, not the pod, makes that request ({{field}}), so it can reach addresses on the node\'s network the pod cannot (a server-side request forgery through the kubelet).',
      sysctl: 'Only {{allowed}} are allowed; others are not namespaced or not known to be safe, and can change the node\'s kernel for every pod on it.',
    },
    risk: 'Each of these settings reaches past the pod\'s own sandbox onto the node: a HostProcess container runs on the Windows host itself, a hostPort listens on the node\'s address, a probe host lets the kubelet make requests for the pod, and an unsafe sysctl changes the node\'s kernel. The Pod Security Standards baseline forbids all four.',
    fixDescription: 'Removes the setting (the hostPort, the probe host, the sysctl). Offered as a quick-fix only: the workload may depend on it. No fix for hostProcess: a HostProcess pod does not work without it.',
  },
  checkWorkload(workload, context) {
    const { profile } = context.settings;
    const hp = workload.windowsHostProcess;
    if (hp?.value === true) {
      // No fix: a HostProcess pod does not work without it, and removing the key leaves an empty windowsOptions.
      context.report({ at: hp, messageId: 'hostProcessPod', data: { workload: workload.name, field: hp.field, pss: pssSuffix(profile, 'windowsHostProcess', 'kubernetes') } });
    }
    for (const s of workload.sysctls) {
      if (PSS_SAFE_SYSCTLS.includes(s.value)) continue;
      context.report({ at: s, messageId: 'sysctl', data: { workload: workload.name, name: s.value, allowed: PSS_SAFE_SYSCTLS.join(', '), pss: pssSuffix(profile, 'sysctls', 'kubernetes') }, fixes: remove(s), noPreferredFix: true });
    }
  },
  checkContainer(container, context) {
    const { profile } = context.settings;
    const label = container.label.charAt(0).toUpperCase() + container.label.slice(1);
    const hp = container.windowsHostProcess;
    if (hp?.value === true) {
      context.report({ at: hp, messageId: 'hostProcess', data: { label, field: hp.field, pss: pssSuffix(profile, 'windowsHostProcess', 'kubernetes') } });
    }
    for (const p of container.hostPorts) {
      if (p.value === 0) continue;
      context.report({ at: p, messageId: 'hostPort', data: { label, port: p.value, field: p.field, pss: pssSuffix(profile, 'hostPorts', 'kubernetes') }, fixes: remove(p), noPreferredFix: true });
    }
    for (const h of container.probeHosts) {
      if (h.value === '') continue;
      context.report({ at: h, messageId: 'probeHost', data: { label, field: h.field, probe: h.field.split('.')[0] ?? h.field, host: h.value, pss: pssSuffix(profile, 'hostProbesAndHostLifecycle', 'kubernetes') }, fixes: remove(h), noPreferredFix: true });
    }
  },
});

function remove(target: Located<unknown>): [{ type: 'remove-setting'; target: Located<unknown> }] {
  return [{ type: 'remove-setting', target }];
}

/**
 * @fileoverview Containers must not add high- or critical-risk capabilities.
 */
import { capabilityInfo } from '../knowledge/capabilities';
import { defineRule } from '../rule';
import { trimSentenceEnd } from '../text';

export default defineRule({
  id: 'no-risky-capabilities',
  meta: {
    description: 'Containers must not add high- or critical-risk Linux capabilities',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer'],
    fixable: true,
    standards: ['CIS Docker 5.4 (v1.6.0; 5.3 in v1.2.0)', 'CIS Kubernetes 5.2.9', 'PSS baseline: Capabilities', 'KICS: container_capabilities_unrestricted / containers_with_added_capabilities / containers_with_sys_admin_capabilities', 'Checkov CKV_K8S_25 / CKV_K8S_39', 'Trivy KSV-0005 / KSV-0022', 'kubeaudit capabilities'],
    messages: {
      all: '{{label}} adds ALL capabilities ({{field}}): that is every capability privileged gives, including SYS_ADMIN and SYS_MODULE.',
      risky: '{{label}} adds {{cap}} ({{risk}} risk): {{why}}.',
    },
    risk: 'Some capabilities are escape primitives on their own (SYS_ADMIN, SYS_MODULE, DAC_READ_SEARCH, SYS_RAWIO) or with a common misconfiguration (SYS_PTRACE with the host PID namespace, NET_ADMIN with the host network). Docker\'s default set is not flagged.',
    fixDescription: 'Removes the capability from the list (and the list, if it empties). If the workload needs it, keep it and suppress the finding with a reason.',
  },
  checkContainer(container, context) {
    const label = container.label.charAt(0).toUpperCase() + container.label.slice(1);
    for (const cap of container.capAdd) {
      const fixes = [{ type: 'remove-capability' as const, cap }];
      if (cap.name === 'ALL') {
        context.report({ at: cap, messageId: 'all', data: { label, field: cap.field }, fixes, noPreferredFix: true });
        continue;
      }
      const info = capabilityInfo(cap.name);
      if (!info || info.dockerDefault) continue;
      if (info.risk !== 'high' && info.risk !== 'critical') continue;
      context.report({ at: cap, messageId: 'risky', data: { label, cap: info.name, risk: info.risk, why: lowerFirst(trimSentenceEnd(info.why)) }, fixes, noPreferredFix: true });
    }
  },
});

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/**
 * @fileoverview Containers must not add high- or critical-risk capabilities.
 *
 * Profiles: `default` flags ALL and the high- and critical-risk capabilities outside Docker's
 * default set. `baseline` and `restricted` reproduce the Pod Security Standards instead:
 * capabilities_baseline (adds only from the Docker default set without NET_RAW) and
 * capabilities_restricted (adds only NET_BIND_SERVICE), with the admission check's exact string
 * compare for Kubernetes (`CAP_CHOWN` and `chown` are not `CHOWN`) and Docker's own name
 * normalisation for Compose and devcontainer.json, where the runtime accepts either spelling.
 * The restricted control's other half (drop must include ALL) is require-drop-all-capabilities'.
 */
import { capabilityInfo } from '../knowledge/capabilities';
import type { CapabilityRef, Container } from '../model';
import { PSS_BASELINE_CAPABILITIES, PSS_RESTRICTED_ADDABLE_CAPABILITY, pssSuffix } from '../pss';
import { defineRule } from '../rule';
import type { RuleContext } from '../rule';
import { trimSentenceEnd } from '../text';

type MessageId = 'all' | 'risky' | 'debugger' | 'pssBaseline' | 'pssRestricted';

export default defineRule<MessageId>({
  id: 'no-risky-capabilities',
  meta: {
    description: 'Containers must not add high- or critical-risk Linux capabilities',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.4 (v1.6.0; 5.3 in v1.2.0)', 'CIS Kubernetes 5.2.9', 'PSS baseline: Capabilities', 'PSS restricted: Capabilities', 'KICS: container_capabilities_unrestricted / containers_with_added_capabilities / containers_with_sys_admin_capabilities', 'Checkov CKV_K8S_25 / CKV_K8S_39', 'Trivy KSV-0005 / KSV-0022', 'kubeaudit capabilities'],
    messages: {
      all: '{{label}} adds ALL capabilities (critical)',
      risky: '{{label}} adds {{cap}} ({{risk}})',
      debugger: '{{label}} adds {{cap}} ({{risk}}; expected for a debugger in a dev container)',
      pssBaseline: '{{label}} adds {{cap}}, not allowed{{pss}}',
      pssRestricted: '{{label}} adds {{cap}}: only NET_BIND_SERVICE may be added{{pss}}',
    },
    details: {
      all: 'ALL ({{field}}) is every capability privileged gives, including SYS_ADMIN and SYS_MODULE. Add only the capabilities the workload needs.',
      risky: '{{cap}} ({{field}}): {{why}}. Remove it if the workload does not need it; if it does, suppress the finding with the reason.',
      debugger: 'Debuggers (gdb, lldb, delve) need {{cap}} to attach to processes. In a dev container that shares no host PID namespace it reaches only the container\'s own processes, so it is a warning here; in a Compose service or a pod it stays an error. {{why}}.',
      pssBaseline: 'Only {{allowed}} may be added{{exact}}.{{why}}',
      pssRestricted: 'The restricted level lets a container add NET_BIND_SERVICE and nothing else{{exact}}.',
    },
    risk: 'Some capabilities are escape primitives on their own (SYS_ADMIN, SYS_MODULE, DAC_READ_SEARCH, SYS_RAWIO) or with a common misconfiguration (SYS_PTRACE with the host PID namespace, NET_ADMIN with the host network). Docker\'s default set is not flagged.',
    fixDescription: 'Removes the capability from the list (and the list, if it empties). If the workload needs it, keep it and suppress the finding with a reason.',
  },
  checkContainer(container, context) {
    if (context.settings.profile !== 'default') {
      checkPss(container, context);
      return;
    }
    const label = capitalize(container.label);
    for (const cap of container.capAdd) {
      const fixes = [{ type: 'remove-capability' as const, cap }];
      if (cap.name === 'ALL') {
        context.report({ at: cap, messageId: 'all', data: { label, field: cap.field }, fixes, noPreferredFix: true });
        continue;
      }
      const info = capabilityInfo(cap.name);
      if (!info || info.dockerDefault) continue;
      if (info.risk !== 'high' && info.risk !== 'critical') continue;
      const data = { label, cap: info.name, risk: info.risk, field: cap.field, why: lowerFirst(trimSentenceEnd(info.why)) };
      // A debugger in a dev container needs ptrace; without the host PID namespace it reaches only the container's processes.
      if (isDebuggerInDevcontainer(cap, container, context)) {
        context.report({ at: cap, messageId: 'debugger', data: { ...data, why: trimSentenceEnd(info.why) }, fixes, noPreferredFix: true, severity: 'warning' });
        continue;
      }
      context.report({ at: cap, messageId: 'risky', data, fixes, noPreferredFix: true });
    }
  },
});

/** SYS_PTRACE added to a dev container that does not share the host's PID namespace. */
function isDebuggerInDevcontainer(cap: CapabilityRef, container: Container, context: RuleContext<MessageId>): boolean {
  return cap.name === 'SYS_PTRACE' && container.kind === 'devcontainer' && !context.workload.hostNamespaces.some((n) => n.value === 'pid');
}

/** capabilities_baseline (baseline and restricted) and the add half of capabilities_restricted (restricted). */
function checkPss(container: Container, context: RuleContext<MessageId>): void {
  const { profile } = context.settings;
  const label = capitalize(container.label);
  const exactNames = container.kind === 'kubernetes';
  // Windows pods cannot set capabilities (pod validation); PSS exempts them from capabilities_restricted from 1.25.
  const windows = container.kind === 'kubernetes' && context.workload.os?.value === 'windows';
  for (const cap of container.capAdd) {
    const fixes = [{ type: 'remove-capability' as const, cap }];
    const written = cap.value.trim();
    const name = exactNames ? written : cap.name;
    const exact = exactNames && written !== cap.name && PSS_BASELINE_CAPABILITIES.includes(cap.name) ? ` (the admission check compares names exactly: write ${cap.name}, not ${written})` : '';
    if (!PSS_BASELINE_CAPABILITIES.includes(name)) {
      context.report({
        at: cap,
        messageId: 'pssBaseline',
        data: { label, cap: written, allowed: PSS_BASELINE_CAPABILITIES.join(', '), exact, why: riskSentence(cap), pss: pssSuffix(profile, 'capabilities_baseline', container.kind) },
        fixes,
        noPreferredFix: true,
      });
    } else if (profile === 'restricted' && !windows && name !== PSS_RESTRICTED_ADDABLE_CAPABILITY) {
      context.report({ at: cap, messageId: 'pssRestricted', data: { label, cap: written, exact: '', pss: pssSuffix(profile, 'capabilities_restricted', container.kind) }, fixes, noPreferredFix: true });
    }
  }
}

/** ` SYS_ADMIN is critical risk: …` for capabilities worth the explanation, '' otherwise. */
function riskSentence(cap: CapabilityRef): string {
  if (cap.name === 'ALL') return ' ALL is every capability privileged gives, including SYS_ADMIN and SYS_MODULE.';
  const info = capabilityInfo(cap.name);
  if (!info || (info.risk !== 'high' && info.risk !== 'critical')) return '';
  return ` ${info.name} (${info.risk} risk): ${lowerFirst(trimSentenceEnd(info.why))}.`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

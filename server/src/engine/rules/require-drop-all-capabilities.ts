/**
 * @fileoverview Containers should drop every capability and add back only what they need.
 *
 * Under the restricted profile this is the drop half of the Pod Security Standards control
 * capabilities_restricted (`drop` must include the exact string "ALL"); the add halves of
 * capabilities_baseline and capabilities_restricted are no-risky-capabilities'.
 */
import type { FileKind } from '../model';
import { enforces, pssSuffix } from '../pss';
import { defineRule } from '../rule';
import type { FixIntent } from '../rule';

const SETTING: Record<FileKind, string> = {
  compose: 'cap_drop: [ALL]',
  kubernetes: 'securityContext.capabilities.drop: ["ALL"]',
  devcontainer: '"runArgs": ["--cap-drop=ALL"]',
  dockerfile: '',
  quadlet: 'DropCapability=all',
  run: '--cap-drop=ALL',
};

const KEEPS = 'each one more tool for a process that is compromised. Drop ALL and add back only what the workload needs';

export default defineRule({
  id: 'require-drop-all-capabilities',
  meta: {
    description: 'Containers should drop every capability (cap_drop: [ALL], capabilities.drop: ["ALL"]) and add back only what they need',
    defaultSeverity: 'info',
    profileSeverity: { restricted: 'error' },
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.4 (v1.6.0; 5.3 in v1.2.0)', 'CIS Kubernetes 5.2.9 (5.2.10 in v1.10/v1.11)', 'PSS restricted: Capabilities (capabilities_restricted)', 'KICS: no_drop_capabilities_for_containers / net_raw_capabilities_not_being_dropped / container_capabilities_unrestricted', 'Checkov CKV_K8S_37 / CKV_K8S_28', 'Trivy KSV-0003 / KSV-0004', 'kube-linter drop-net-raw-capability', 'kubeaudit capabilities', 'Polaris insecureCapabilities'],
    messages: {
      missing: '{{label}} does not drop ALL capabilities{{pss}}',
      partial: '{{label}} drops {{droppedShort}} but not ALL capabilities{{pss}}',
      notExact: '{{label}} drops {{written}}, not the exact string "ALL"{{pss}}',
    },
    details: {
      missing: `It keeps the runtime's default set (14 capabilities under Docker and containerd, among them NET_RAW, MKNOD, DAC_OVERRIDE and SETUID), ${KEEPS} ({{setting}}).`,
      partial: `It drops {{dropped}} and keeps the rest of the runtime's default set, ${KEEPS} ({{setting}}).`,
      notExact: 'The runtime reads {{written}} ({{field}}) as ALL, but the Pod Security Standards compare exact strings, so only "ALL" counts.',
    },
    risk: 'A container keeps the runtime\'s default capabilities unless it drops them: under Docker 14 of them, among them NET_RAW (spoofing on the container network), MKNOD, DAC_OVERRIDE and SETUID. Each is one more tool for a compromised process and for kernel exploits that need a capability.',
    fixDescription: 'Adds cap_drop: [ALL] (Compose), capabilities.drop: ["ALL"] (Kubernetes) or --cap-drop=ALL (devcontainer runArgs), keeping the explicit adds. Never applied by --fix: an image that relies on default capabilities (CHOWN, SETUID, SETGID… in entrypoints that switch users) then needs them added back.',
  },
  checkContainer(container, context) {
    // Windows containers have no Linux capabilities (PSS exempts Windows pods from capabilities_restricted).
    if (container.kind === 'kubernetes' && context.workload.os?.value === 'windows') return;
    const profile = context.settings.profile;
    const label = container.label.charAt(0).toUpperCase() + container.label.slice(1);
    const pss = pssSuffix(profile, 'capabilities_restricted', container.kind);
    // PSS compares "ALL" exactly; the runtimes do not (Docker, containerd and CRI-O ignore case).
    const exact = container.kind === 'kubernetes' && enforces(profile, 'capabilities_restricted');
    const all = container.capDrop.filter((c) => c.name === 'ALL');
    if (all.length === 0) {
      const fixes: FixIntent[] = [];
      // The writers keep the list's spelling: an all-lower-case Kubernetes list would get `all`, which PSS refuses.
      const lowerOnly = container.capDrop.length > 0 && container.capDrop.every((c) => c.value === c.value.toLowerCase());
      if (!(exact && lowerOnly)) fixes.push({ type: 'add-drop-all' });
      const data = { label, setting: SETTING[container.kind], pss };
      // A quick-fix only: --fix must not take away default capabilities an entrypoint relies on (CHOWN, SETUID, SETGID…).
      if (container.capDrop.length === 0) context.report({ at: container.anchor, messageId: 'missing', data, fixes, noPreferredFix: true });
      else context.report({ at: container.anchor, messageId: 'partial', data: { ...data, dropped: container.capDrop.map((c) => c.value).join(', '), droppedShort: shortList(container.capDrop.map((c) => c.value)) }, fixes, noPreferredFix: true });
    } else if (exact && !all.some((c) => c.value === 'ALL')) {
      const first = all[0]!;
      context.report({ at: first, messageId: 'notExact', data: { label, written: `"${first.value}"`, field: first.field, pss } });
    }
  },
});

/** `NET_RAW`, `NET_RAW and MKNOD`, `NET_RAW, MKNOD and 3 more`: a list a message can hold. */
function shortList(items: string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`;
}

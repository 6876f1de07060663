/**
 * @fileoverview Containers must not be able to gain privileges (setuid binaries, file capabilities).
 */
import type { FileKind } from '../model';
import { pssSuffix } from '../pss';
import { defineRule } from '../rule';

const SETTING: Record<FileKind, string> = {
  compose: 'security_opt: [no-new-privileges:true]',
  devcontainer: '"securityOpt": ["no-new-privileges:true"]',
  kubernetes: 'securityContext.allowPrivilegeEscalation: false',
  dockerfile: '',
  quadlet: 'NoNewPrivileges=true',
  run: '--security-opt=no-new-privileges',
};

export default defineRule({
  id: 'require-no-new-privileges',
  meta: {
    description: 'Containers must set no-new-privileges (allowPrivilegeEscalation: false)',
    defaultSeverity: 'warning',
    // allowPrivilegeEscalation is a restricted control: the baseline profile does not have it.
    profileSeverity: { baseline: 'off' },
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.26 (v1.6.0; 5.25 in v1.2.0)', 'CIS Kubernetes 5.2.6', 'PSS restricted: Privilege Escalation', 'KICS: no_new_privileges_not_set / privilege_escalation_allowed', 'Checkov CKV_K8S_20', 'Trivy KSV-0001', 'kube-linter privilege-escalation-container', 'kubeaudit privesc'],
    messages: {
      missing: '{{label}} does not set {{short}}{{pss}}',
      disabled: '{{label}} turns no-new-privileges off ({{field}}){{pss}}',
    },
    details: {
      missing: 'A setuid binary or a file capability inside can raise a process to more privilege than the container started with. Set {{setting}}.',
      disabled: 'Setuid binaries and file capabilities can raise a process\'s privileges. Remove the setting, or set it the other way.',
    },
    risk: 'Without no_new_privs, a process can gain privileges through setuid-root binaries (su, sudo, ping on old images) or file capabilities. It turns a foothold as an unprivileged user into root inside the container, one step from the host.',
    fixDescription: 'Adds no-new-privileges:true to security_opt (Docker, devcontainer) or sets allowPrivilegeEscalation: false (Kubernetes).',
  },
  checkContainer(container, context) {
    if (!container.supportsNoNewPrivileges) return;
    // Windows pods cannot set allowPrivilegeEscalation (pod validation); PSS exempts them from 1.25.
    if (container.kind === 'kubernetes' && context.workload.os?.value === 'windows') return;
    const nnp = container.noNewPrivileges;
    const label = container.label.charAt(0).toUpperCase() + container.label.slice(1);
    const pss = pssSuffix(context.settings.profile, 'allowPrivilegeEscalation', container.kind);
    if (!nnp) {
      context.report({ at: container.anchor, messageId: 'missing', data: { label, setting: SETTING[container.kind], short: container.kind === 'kubernetes' ? 'allowPrivilegeEscalation: false' : 'no-new-privileges', pss }, fixes: [{ type: 'enable-no-new-privileges' }] });
    } else if (nnp.value === false) {
      context.report({ at: nnp, messageId: 'disabled', data: { label, field: nnp.field, pss }, fixes: [{ type: 'enable-no-new-privileges' }] });
    }
  },
});

/**
 * @fileoverview Containers must keep /proc and /sys masked and cgroupfs read-only.
 */
import type { Container, Located } from '../model';
import { pssSuffix } from '../pss';
import type { Profile, PssControlId } from '../pss';
import { defineRule } from '../rule';
import { capitalize, dockerOptionText } from './shared/boundary';

type What = 'procMount' | 'systempaths' | 'cgroups';

function whatOf(setting: Located<string>): What {
  if (setting.field === 'securityContext.procMount') return 'procMount';
  if (setting.field === 'Unmask') return 'systempaths'; // Quadlet Unmask=ALL or paths: the runtime's masks undone
  return setting.value.trim().startsWith('systempaths') ? 'systempaths' : 'cgroups';
}

/** PSS procMount (baseline; relaxed by hostUsers: false from policy 1.35) and procMount_restricted (unconditional), which overrides it. */
function procControl(profile: Profile): PssControlId {
  return profile === 'restricted' ? 'procMount_restricted' : 'procMount';
}

export default defineRule({
  id: 'no-unmasked-paths',
  meta: {
    description: 'Containers must keep /proc and /sys masked and the cgroup file system read-only',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: [
      'PSS baseline: /proc Mount Type (procMount); restricted: procMount_restricted',
      'KICS: container_runs_unmasked (k8s)',
      'Trivy KSV-0027',
      'kube-linter unsafe-proc-mount',
    ],
    messages: {
      systempaths: '{{label}} unmasks /proc and /sys ({{setting}}){{pss}}',
      cgroups: '{{label}} makes the cgroup file system writable ({{setting}}){{pss}}',
      procMount: '{{label}} mounts /proc unmasked ({{setting}}){{pss}}',
      procMountUserns: '{{label}} mounts /proc unmasked in its own user namespace{{pss}}',
    },
    details: {
      systempaths: '/proc/sys, /proc/sysrq-trigger, /proc/kcore and /sys/firmware are no longer masked or read-only, so root inside can change host kernel settings (kernel.core_pattern runs a program on the host) or reboot the host.',
      cgroups: 'Root inside can change its own and other cgroups, and on cgroup v1 hosts a writable release_agent is a known way to run a command on the host.',
      procMount: '/proc/sys, /proc/sysrq-trigger and /proc/kcore are no longer masked or read-only, so root inside can change host kernel settings (kernel.core_pattern runs a program on the host) or reboot the host.',
      procMountUserns: 'It sets {{setting}}, but the pod has its own user namespace (hostUsers: false), so root inside is not root on the host and cannot change host kernel settings: much less dangerous, and Pod Security Standards baseline allows it (policy 1.35+), but restricted does not.',
    },
    risk: 'The runtime masks or mounts read-only the parts of /proc and /sys that control the host kernel (/proc/sys, /proc/sysrq-trigger, /proc/kcore, /sys/firmware) and mounts cgroupfs read-only. Unmasking them lets root in the container rewrite host kernel settings, such as kernel.core_pattern, which runs a program on the host: a direct escape.',
    fixDescription: 'Removes the setting (systempaths=unconfined, writable-cgroups=true, procMount: Unmasked), so the runtime\'s masks apply again.',
  },
  checkContainer(container, context) {
    const profile = context.settings.profile;
    const label = capitalize(container.label);
    const userns = context.workload.hostUsers?.value === false;
    for (const setting of container.unmasked) {
      const what = whatOf(setting);
      let messageId: What | 'procMountUserns' = what;
      let pss = '';
      if (what === 'procMount') {
        if (userns && profile === 'baseline') continue; // PSS baseline (1.35+) allows any procMount with hostUsers: false
        if (userns) messageId = 'procMountUserns';
        pss = pssSuffix(profile, procControl(profile), container.kind);
      } else if (what === 'systempaths') {
        pss = pssSuffix(profile, procControl(profile), container.kind); // the nearest Docker equivalent of procMount: Unmasked
      }
      context.report({
        at: setting,
        messageId,
        data: { label, setting: settingText(container, setting), pss },
        fixes: [{ type: 'remove-setting', target: setting }],
        // With its own user namespace the pod's root cannot write host kernel settings: info, unless a PSS profile forbids it.
        severity: messageId === 'procMountUserns' && profile === 'default' ? 'info' : undefined,
      });
    }
  },
});

function settingText(container: Container, setting: Located<string>): string {
  if (container.kind === 'kubernetes') return `${setting.field}: ${setting.value}`;
  if (setting.field === 'Unmask') return `Unmask=${setting.value}`;
  return dockerOptionText(container, setting, setting.value);
}

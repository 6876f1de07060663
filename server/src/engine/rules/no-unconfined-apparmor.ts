/**
 * @fileoverview Containers must not run without AppArmor confinement.
 */
import type { Confinement, Container } from '../model';
import { pssSuffix } from '../pss';
import { defineRule } from '../rule';
import { dockerOptionText, firstToShare, isDockerSource, sameSpan, subjectOf } from './shared/boundary';

function settingText(container: Container, conf: Confinement): string {
  if (isDockerSource(conf)) return dockerOptionText(container, conf, 'apparmor=unconfined');
  if (conf.source === 'annotation') return `legacy AppArmor annotation: ${conf.value}`;
  return `${conf.field}: ${conf.value === 'unconfined' ? 'Unconfined' : conf.value}`;
}

/** PSS appArmorProfile: annotation runtime/default, localhost/*, empty or none; field RuntimeDefault or Localhost. */
function pssAllows(conf: Confinement): boolean {
  return conf.value === '' || conf.value === 'runtime/default' || conf.value.startsWith('localhost/');
}

export default defineRule({
  id: 'no-unconfined-apparmor',
  meta: {
    description: 'Containers must not run without AppArmor confinement',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: [
      'CIS Docker 5.2 (v1.6.0; 5.1 in v1.2.0)',
      'PSS baseline: AppArmor (appArmorProfile)',
      'KICS: missing_app_armor_config (k8s)',
      'Trivy KSV-0002',
      'kubeaudit apparmor',
    ],
    messages: {
      unconfined: '{{label}} runs without AppArmor ({{setting}}){{pss}}',
      podOverridden: '{{label}} sets appArmorProfile Unconfined at pod level{{pss}}',
      pssValue: '{{label}} sets a disallowed AppArmor profile ({{setting}}){{pss}}',
    },
    details: {
      unconfined: 'The runtime\'s default profile no longer stops it from writing /proc/sys or /proc/sysrq-trigger, writing under /sys or mounting file systems when it holds SYS_ADMIN. Remove the setting so the default profile applies.',
      podOverridden: 'Every container overrides {{setting}} today, but a container added later would run without AppArmor.',
      pssValue: 'Only RuntimeDefault, Localhost (annotation runtime/default or localhost/<profile>) or nothing are allowed.',
    },
    risk: 'On AppArmor hosts (Ubuntu, Debian, SUSE) the runtime\'s default profile denies mounts, writes to /proc/sys, /proc/sysrq-trigger and most of /sys, and access to /sys/firmware and kernel security files. Unconfined removes that layer, so a process with SYS_ADMIN or root can reach those host interfaces directly.',
    fixDescription: 'Docker formats: removes the apparmor=unconfined entry, so the default profile (docker-default) applies again. Kubernetes: sets appArmorProfile type RuntimeDefault where Unconfined is written, or the annotation to runtime/default.',
  },
  checkWorkload(workload, context) {
    const pod = workload.podConfinement?.apparmor;
    const profile = context.settings.profile;
    if (!pod || workload.containers.length === 0) return;
    if (workload.containers.some((c) => sameSpan(c.apparmor?.span, pod.span))) return; // reported on the first container that inherits it
    // PSS checks the pod level on its own: a bad value there fails even when every container overrides it.
    const pss = pssSuffix(profile, 'appArmorProfile', workload.kind);
    if (pod.value === 'unconfined') {
      // No fix: removing it would not confine anything today, and RuntimeDefault is the user's call at pod level.
      context.report({ at: pod, messageId: 'podOverridden', data: { label: workload.name, setting: `${pod.field}: Unconfined`, pss } });
    } else if (profile !== 'default' && !pssAllows(pod)) {
      context.report({ at: pod, messageId: 'pssValue', data: { label: workload.name, setting: `${pod.field}: ${pod.value}`, pss } });
    }
  },
  checkContainer(container, context) {
    const profile = context.settings.profile;
    const conf = container.apparmor;
    if (!conf || !firstToShare(container, context.workload, (c) => c.apparmor)) return;
    const label = subjectOf(container, context.workload, conf.source === 'pod');
    const pss = pssSuffix(profile, 'appArmorProfile', container.kind);
    if (conf.value === 'unconfined') {
      context.report({
        at: conf,
        messageId: 'unconfined',
        data: { label, setting: settingText(container, conf), pss },
        fixes: [{ type: 'set-confinement', which: 'apparmor', value: 'runtime/default' }],
      });
    } else if (profile !== 'default' && container.kind === 'kubernetes' && !pssAllows(conf)) {
      context.report({ at: conf, messageId: 'pssValue', data: { label, setting: settingText(container, conf), pss } });
    }
  },
});

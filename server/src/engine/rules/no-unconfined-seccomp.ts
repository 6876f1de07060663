/**
 * @fileoverview Containers must not run without a seccomp filter.
 */
import type { Confinement, Container, Workload } from '../model';
import { pssSuffix } from '../pss';
import type { Profile, PssControlId } from '../pss';
import { defineRule } from '../rule';
import { capitalize, dockerOptionText, firstToShare, isDockerSource, sameSpan, sharedBy, subjectOf } from './shared/boundary';

const OPEN = 'Every system call is open to it, including keyctl, userfaultfd, io_uring, bpf and the namespace calls the runtime\'s default profile blocks, the usual way a kernel exploit gets out of a container.';

/** Restricted overrides the baseline seccomp check (pod-security-admission OverrideCheckIDs). */
function control(profile: Profile): PssControlId {
  return profile === 'restricted' ? 'seccompProfile_restricted' : 'seccompProfile_baseline';
}

/**
 * The PSS control an unconfined setting breaks. PSS (policy 1.19+) reads only the fields: a legacy
 * annotation is not checked by baseline, but a container whose only profile is an annotation has
 * no valid field, which restricted forbids.
 */
function pssFor(conf: Confinement, profile: Profile): string {
  const kind = isDockerSource(conf) ? 'compose' : 'kubernetes';
  if (conf.source === 'annotation') return profile === 'restricted' ? pssSuffix(profile, 'seccompProfile_restricted', kind) : '';
  return pssSuffix(profile, control(profile), kind);
}

function settingText(container: Container, conf: Confinement): string {
  if (isDockerSource(conf)) return dockerOptionText(container, conf, 'seccomp=unconfined');
  if (conf.source === 'annotation') return 'legacy seccomp annotation: unconfined';
  return `${conf.field}: Unconfined`;
}

/** A Kubernetes seccompProfile field (container or pod level), not an annotation or a Docker option. */
function isField(conf: Confinement): boolean {
  return conf.source === 'container' || conf.source === 'pod';
}

/** The field types PSS accepts: RuntimeDefault and Localhost (normalised `runtime/default`, `localhost/<profile>`). */
function validType(conf: Confinement): boolean {
  return conf.value === 'runtime/default' || conf.value.startsWith('localhost/');
}

/** A pod-level field or the pod-wide annotation (seen by more than one container): about the workload, not one container. */
function podWide(container: Container, workload: Workload, conf: Confinement): boolean {
  return conf.source === 'pod' || (conf.source === 'annotation' && sharedBy(container, workload, (c) => c.seccomp) > 1);
}

export default defineRule({
  id: 'no-unconfined-seccomp',
  meta: {
    description: 'Containers must not run without a seccomp filter',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: [
      'CIS Docker 5.22 (v1.6.0; 5.21 in v1.2.0)',
      'CIS Kubernetes 5.6.2 (v1.12; 5.7.2 in v1.10/v1.11)',
      'PSS baseline: Seccomp (seccompProfile_baseline); restricted: Seccomp (seccompProfile_restricted)',
      'KICS: default_seccomp_profile_disabled (compose) / seccomp_profile_is_not_configured (k8s)',
      'Checkov CKV_K8S_31',
      'Trivy KSV-0104 (Unconfined), KSV-0030 (RuntimeDefault not set)',
      'kubeaudit seccomp',
    ],
    messages: {
      unconfined: '{{label}} runs without seccomp ({{setting}}){{pss}}',
      debugger: '{{label}} runs without seccomp ({{setting}}), as {{toolchain}} debuggers often need',
      podOverridden: '{{label}} sets seccompProfile Unconfined at pod level{{pss}}',
      missing: '{{label}} sets no seccompProfile, nor does its pod{{pss}}',
      pssValue: '{{label}} sets an unknown seccompProfile type ({{setting}}){{pss}}',
      missingField: '{{label}} has a legacy seccomp annotation, no seccompProfile{{pss}}',
    },
    details: {
      unconfined: `${OPEN} Remove it so the runtime's default profile applies.`,
      debugger: 'The dev container is set up for {{toolchain}} ({{evidence}}), and its debuggers (gdb, lldb, delve) call personality() to turn address randomisation off, which the default profile refuses; so it is a warning here, and in a Compose service or a pod it stays an error. ' + `${OPEN} Where debugging works without it, remove it; a custom profile that allows personality() is the narrower choice.`,
      podOverridden: 'Every container overrides {{setting}} today, but a container added later would run without seccomp.',
      missing: 'Kubernetes runs it Unconfined unless the kubelet\'s seccompDefault is on. Set seccompProfile: {type: RuntimeDefault} on the container or the pod.',
      pssValue: 'Only RuntimeDefault and Localhost are allowed (and the API rejects anything but those and Unconfined).',
      missingField: 'The annotations are deprecated, current Kubernetes no longer applies them, and Pod Security Standards (policy 1.19+) read only the field. Set seccompProfile: {type: RuntimeDefault}.',
    },
    risk: 'Seccomp is the filter that keeps rarely needed, historically exploitable system calls (keyctl, userfaultfd, io_uring, bpf, unshare, mount) away from the container. Without it every kernel bug in those calls is reachable from inside, and kernel bugs are how most container escapes work.',
    fixDescription: 'Docker formats: removes the seccomp=unconfined entry, so the runtime\'s default profile applies again. Kubernetes: sets seccompProfile type RuntimeDefault where Unconfined is written (or the annotation to runtime/default); in the restricted profile, adds seccompProfile: {type: RuntimeDefault} to a container that has none.',
  },
  checkWorkload(workload, context) {
    const pod = workload.podConfinement?.seccomp;
    const profile = context.settings.profile;
    if (!pod || workload.containers.length === 0) return;
    if (workload.containers.some((c) => sameSpan(c.seccomp?.span, pod.span))) return; // reported on the first container that inherits it
    // PSS checks the pod level on its own: a bad value there fails even when every container overrides it.
    if (pod.value === 'unconfined') {
      // No fix: removing it would not confine anything today, and RuntimeDefault is the user's call at pod level.
      context.report({ at: pod, messageId: 'podOverridden', data: { label: workload.name, setting: `${pod.field}: Unconfined`, pss: pssFor(pod, profile) } });
    } else if (profile !== 'default' && !validType(pod)) {
      context.report({ at: pod, messageId: 'pssValue', data: { label: workload.name, setting: `${pod.field}: ${pod.value}`, pss: pssSuffix(profile, control(profile), workload.kind) } });
    }
  },
  checkContainer(container, context) {
    const profile = context.settings.profile;
    const conf = container.seccomp;
    if (conf?.value === 'unconfined') {
      if (!firstToShare(container, context.workload, (c) => c.seccomp)) return;
      const toolchain = container.kind === 'devcontainer' && context.settings.profile === 'default' ? container.debugToolchain : undefined;
      if (toolchain) {
        context.report({
          at: conf,
          messageId: 'debugger',
          data: { label: capitalize(container.label), setting: settingText(container, conf), toolchain: toolchain.name, evidence: toolchain.evidence },
          fixes: [{ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }],
          // The debugger may need it: a quick-fix only, never applied by --fix.
          noPreferredFix: true,
          severity: 'warning',
        });
        return;
      }
      context.report({
        at: conf,
        messageId: 'unconfined',
        data: { label: subjectOf(container, context.workload, podWide(container, context.workload, conf)), setting: settingText(container, conf), pss: pssFor(conf, profile) },
        fixes: [{ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }],
      });
      return;
    }
    if (conf && isField(conf) && !validType(conf)) {
      // A type Kubernetes does not know (the API rejects it): PSS allows only RuntimeDefault and Localhost.
      if (profile === 'default' || !firstToShare(container, context.workload, (c) => c.seccomp)) return;
      const label = subjectOf(container, context.workload, conf.source === 'pod');
      context.report({ at: conf, messageId: 'pssValue', data: { label, setting: `${conf.field}: ${conf.value}`, pss: pssSuffix(profile, control(profile), container.kind) } });
      return;
    }
    // Restricted: a valid seccompProfile field must cover the container (its own or the pod's).
    if (profile !== 'restricted' || container.kind !== 'kubernetes') return;
    if (conf && isField(conf)) return;
    if (context.workload.os?.value === 'windows') return; // seccomp is Linux only: PSS exempts Windows pods (1.25+)
    const label = capitalize(container.label);
    const pss = pssSuffix(profile, 'seccompProfile_restricted', container.kind);
    context.report({
      at: container.anchor,
      messageId: conf ? 'missingField' : 'missing',
      data: { label, pss },
      fixes: [{ type: 'set-confinement', which: 'seccomp', value: 'runtime/default' }],
    });
  },
});

/**
 * @fileoverview Containers (and build steps) must not run privileged.
 */
import { pssSuffix } from '../pss';
import { planPrivileged } from '../replace';
import { defineRule } from '../rule';
import type { FixIntent } from '../rule';

const PRIVILEGED = '{{label}} runs privileged{{pss}}';
const WHY = 'Privileged gives every capability, no seccomp or AppArmor, every host device and a writable /sys: escaping to the host is trivial.';

export default defineRule({
  id: 'no-privileged',
  meta: {
    description: 'Containers must not run privileged',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'dockerfile', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.5 (v1.6.0)', 'CIS Kubernetes 5.2.2', 'PSS baseline: Privileged Containers', 'hadolint: none', 'KICS: privileged_containers_enabled / container_is_privileged', 'Checkov CKV_K8S_16', 'Trivy KSV-0017', 'kube-linter privileged-container'],
    messages: {
      privileged: PRIVILEGED,
      /** The same; the detail says what the workload needs instead (or why that is unsure, or why it cannot be replaced). */
      inferred: PRIVILEGED,
      build: 'RUN --security=insecure runs this build step privileged',
    },
    details: {
      privileged: WHY,
      inferred: `${WHY} {{inference}}`,
      build: 'Like docker run --privileged, the step gets every capability and the build host\'s devices. Build without it, or run the build in a sandboxed builder.',
    },
    risk: 'Privileged turns off every guard a container has: all capabilities, no seccomp filter, no AppArmor/SELinux confinement, every host device and a writable /sys and /proc. A process inside can load kernel modules, mount the host disk or rewrite host kernel settings, so an escape is trivial.',
    fixDescription: 'Replaces privileged with what the workload needs (the capabilities, devices, sysctls and security options its image or configuration shows), or with least privilege (drop every capability, no-new-privileges), or just removes it.',
  },
  checkContainer(container, context) {
    for (const p of container.privileged) {
      if (p.value !== true) continue;
      const label = capitalize(container.label);
      if (container.kind === 'dockerfile') {
        context.report({ at: p, messageId: 'build', data: { label }, fixes: [{ type: 'remove-privileged', target: p }] });
        continue;
      }
      // Under a Pod Security Standards profile the finding names the control (Docker formats: its nearest equivalent).
      const pss = pssSuffix(context.settings.profile, 'privileged', container.kind);
      const plan = planPrivileged(container);
      const remove: FixIntent = { type: 'remove-privileged', target: p };
      const least: FixIntent = { type: 'least-privilege', target: p };
      // The first fix is the preferred one: the targeted replacement when there is one, else plain removal.
      const fixes: FixIntent[] = plan.verdict === 'replaceable' ? [{ type: 'replace-privileged', target: p, inference: plan.inference }, least, remove] : [remove, least];
      // Where privileged genuinely cannot be replaced (Docker-in-Docker…), removing it would break the
      // workload: the fixes stay available as quick-fixes, but --fix and fix-all leave it alone.
      const noPreferredFix = plan.verdict === 'not-replaceable';
      if (plan.sentence) context.report({ at: p, messageId: 'inferred', data: { label, pss, inference: plan.sentence }, fixes, noPreferredFix });
      else context.report({ at: p, messageId: 'privileged', data: { label, pss }, fixes });
    }
  },
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

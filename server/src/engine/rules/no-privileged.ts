/**
 * @fileoverview Containers (and build steps) must not run privileged.
 */
import { defineRule } from '../rule';

export default defineRule({
  id: 'no-privileged',
  meta: {
    description: 'Containers must not run privileged',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'dockerfile'],
    fixable: true,
    standards: ['CIS Docker 5.5 (v1.6.0)', 'CIS Kubernetes 5.2.2', 'PSS baseline: Privileged Containers', 'hadolint: none', 'KICS: privileged_containers_enabled / container_is_privileged', 'Checkov CKV_K8S_16', 'Trivy KSV-0017', 'kube-linter privileged-container'],
    messages: {
      privileged: '{{label}} runs privileged: every capability, no seccomp or AppArmor, every host device and a writable /sys. Escaping to the host is trivial.',
      build: 'RUN --security=insecure runs this build step privileged (like docker run --privileged): it gets every capability and the build host\'s devices.',
    },
    risk: 'Privileged turns off every guard a container has: all capabilities, no seccomp filter, no AppArmor/SELinux confinement, every host device and a writable /sys and /proc. A process inside can load kernel modules, mount the host disk or rewrite host kernel settings, so an escape is trivial.',
    fixDescription: 'Removes privileged. Most workloads that set it needed one capability or one device: add exactly that back (cap_add / capabilities.add / devices).',
  },
  checkContainer(container, context) {
    for (const p of container.privileged) {
      if (p.value !== true) continue;
      context.report({
        at: p,
        messageId: container.kind === 'dockerfile' ? 'build' : 'privileged',
        data: { label: capitalize(container.label) },
        fixes: [{ type: 'remove-privileged', target: p }],
      });
    }
  },
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

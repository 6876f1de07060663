/**
 * @fileoverview Containers should run with a read-only root filesystem (off by default; on in
 * the restricted profile).
 */
import type { FileKind } from '../model';
import { defineRule } from '../rule';

const SETTING: Record<FileKind, string> = {
  compose: 'read_only: true',
  kubernetes: 'securityContext.readOnlyRootFilesystem: true',
  devcontainer: '"runArgs": ["--read-only"]',
  dockerfile: '',
  quadlet: 'ReadOnly=true',
  run: '--read-only',
};

const WHY = 'a process that gets in can change the image\'s programs and configuration, or drop its own tools, and the change lasts as long as the container';

export default defineRule({
  id: 'require-read-only-root-filesystem',
  meta: {
    description: 'Containers should run with a read-only root filesystem (read_only, readOnlyRootFilesystem, --read-only)',
    defaultSeverity: 'off',
    profileSeverity: { restricted: 'warning' },
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.13 (v1.6.0; 5.12 in v1.2.0)', 'NSA/CISA Kubernetes Hardening Guide: immutable container file systems', 'KICS a9c2f49d (Root Container Not Mounted As Read-only)', 'Checkov CKV_K8S_22', 'Trivy KSV-0014', 'kube-linter no-read-only-root-fs', 'kubeaudit rootfs', 'Polaris notReadOnlyRootFilesystem', 'Semgrep writable-filesystem-service / writable-filesystem-container'],
    messages: {
      missing: '{{label}} does not make its root filesystem read-only',
      disabled: '{{label}} sets {{setting}}',
    },
    details: {
      missing: `Without {{setting}}, ${WHY}. Writable paths the application needs (/tmp, caches) can be given a tmpfs or an emptyDir.`,
      disabled: `With {{setting}}, ${WHY}.`,
    },
    risk: 'With a writable root filesystem, a process that gets in can change the image\'s programs and configuration or drop its own tools, and the change lasts as long as the container. A read-only root makes such changes fail and shows which paths the application really writes.',
    fixDescription: 'Sets read_only: true (Compose), readOnlyRootFilesystem: true (Kubernetes) or --read-only (devcontainer runArgs). Never applied by --fix: an application that writes outside its volumes (/tmp, /run, caches, PID files) then fails until those paths get a tmpfs or an emptyDir.',
  },
  checkContainer(container, context) {
    // Windows pods cannot set it (the API server rejects readOnlyRootFilesystem with spec.os.name: windows).
    if (container.kind === 'kubernetes' && context.workload.os?.value === 'windows') return;
    const ro = container.readOnlyRootFilesystem;
    if (ro?.value === true) return;
    const label = container.label.charAt(0).toUpperCase() + container.label.slice(1);
    const fixes = [{ type: 'set-read-only-root' as const }];
    if (!ro) context.report({ at: container.anchor, messageId: 'missing', data: { label, setting: SETTING[container.kind] }, fixes, noPreferredFix: true });
    else {
      const setting =
        ro.field === 'runArgs' ? '--read-only=false in runArgs'
          : ro.field === 'PodmanArgs' ? '--read-only=false in PodmanArgs'
            : container.kind === 'quadlet' ? `${ro.field}=false`
              : container.kind === 'run' ? '--read-only=false'
                : `${ro.field}: false`;
      context.report({ at: ro, messageId: 'disabled', data: { label, setting }, fixes, noPreferredFix: true });
    }
  },
});

/**
 * @fileoverview Containers should run as a non-root user.
 */
import { defineRule } from '../rule';

export default defineRule({
  id: 'no-root-user',
  meta: {
    description: 'Containers should run as a non-root user',
    defaultSeverity: 'warning',
    kinds: ['dockerfile', 'compose', 'kubernetes', 'devcontainer'],
    fixable: true,
    standards: ['CIS Docker 4.1', 'CIS Kubernetes 5.2.6', 'PSS restricted: Running as Non-root', 'hadolint DL3002', 'KICS: last_user_is_root / missing_user_instruction / containers_running_as_root', 'Checkov CKV_DOCKER_3 / CKV_DOCKER_8 / CKV_K8S_23', 'Trivy DS-0002 / KSV-0012', 'kube-linter run-as-non-root', 'kubeaudit nonroot'],
    messages: {
      root: '{{label}} runs as root ({{setting}}): a container escape or a runtime bug such as runc CVE-2019-5736 lands as root on the host.',
      remoteRoot: 'The devcontainer\'s tools and terminals run as root (remoteUser: {{value}}): anything they run has root in the container, one escape from root on the host.',
      dockerfileUnset: 'The final stage sets no USER, so the image runs as root unless its base image sets another user: an escape or runtime bug would land as root on the host.',
      kubernetesUnset: '{{label}} may run as root: {{how}}. An escape or runtime bug would land as root on the host.',
    },
    risk: 'A process running as root inside the container is root on the host as soon as anything breaks the isolation: a runtime bug (runc CVE-2019-5736 and about twenty others), a mounted socket or a writable host path. A non-root user turns the same escape into an unprivileged foothold.',
    fixDescription: 'Sets a non-root user: USER <uid> at the end of the final stage, user: "<uid>:<gid>" in Compose, runAsNonRoot: true (and runAsUser) in Kubernetes. The uid is the containerPrivilegeLint.nonRootUid setting (default 10001).',
  },
  checkContainer(container, context) {
    const label = container.label.charAt(0).toUpperCase() + container.label.slice(1);
    const user = container.user;
    const fixes = [{ type: 'set-non-root-user' as const, uid: context.settings.nonRootUid }];
    if (user.verdict === 'root' && user.at) {
      const setting = user.how ?? `${user.at.field}: ${user.at.value}`;
      context.report({ at: user.at, messageId: 'root', data: { label, setting }, fixes });
    } else if (user.verdict === 'unset') {
      if (container.kind === 'dockerfile') {
        context.report({ at: container.anchor, messageId: 'dockerfileUnset', fixes });
      } else if (container.kind === 'kubernetes') {
        context.report({ at: user.at ?? container.anchor, messageId: 'kubernetesUnset', data: { label, how: user.how ?? 'not set' }, fixes });
      }
    }
    const remote = container.remoteUser;
    if (remote && isRoot(remote.value)) context.report({ at: remote, messageId: 'remoteRoot', data: { value: remote.value } });
  },
});

function isRoot(v: string): boolean {
  const s = v.trim();
  return s === 'root' || s === '0' || s.startsWith('root:') || s.startsWith('0:');
}

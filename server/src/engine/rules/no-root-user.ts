/**
 * @fileoverview Containers should run as a non-root user.
 *
 * Profiles: `default` is this project's judgement (below). `restricted` reproduces the Pod
 * Security Standards controls runAsNonRoot and runAsUser exactly for Kubernetes (the pod
 * level and each container on their own; a non-zero runAsUser does not satisfy runAsNonRoot;
 * `hostUsers: false` relaxes both, as policy v1.35 does) and applies the nearest Docker
 * equivalent (`USER`, `user:`, `containerUser`) elsewhere. `baseline` has neither control,
 * so the rule is off there (profileSeverity).
 */
import type { Container, Workload } from '../model';
import { pssSuffix } from '../pss';
import type { PssControlId } from '../pss';
import { defineRule } from '../rule';
import type { RuleContext } from '../rule';

const ESCAPE = 'a container escape or a runtime bug such as runc CVE-2019-5736 lands as root on the host';
const SET_USER = 'Set a non-root user the image can run as.';
const USERNS = 'but in the pod\'s own user namespace (hostUsers: false) uid 0 maps to an unprivileged uid on the host, so an escape does not land as host root; Pod Security Standards v1.35+ allow it. A non-root user still narrows what a process can do inside';

type MessageId =
  | 'root'
  | 'remoteRoot'
  | 'dockerfileUnset'
  | 'kubernetesUnset'
  | 'rootUserns'
  | 'unsetUserns'
  | 'buildRoot'
  | 'composeUnset'
  | 'devcontainerUnset'
  | 'commandUnset'
  | 'pssNonRootFalse'
  | 'pssNonRootMissing'
  | 'pssPodNonRootFalse'
  | 'pssRunAsUserZero'
  | 'pssPodRunAsUserZero';

export default defineRule<MessageId>({
  id: 'no-root-user',
  meta: {
    description: 'Containers should run as a non-root user',
    defaultSeverity: 'warning',
    // Pod Security Standards baseline has no user control: only restricted's runAsNonRoot and runAsUser.
    profileSeverity: { baseline: 'off' },
    kinds: ['dockerfile', 'compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 4.1', 'CIS Kubernetes 5.2.7', 'PSS restricted: Running as Non-root', 'PSS restricted: Running as Non-root user', 'hadolint DL3002', 'KICS: last_user_is_root / missing_user_instruction / containers_running_as_root', 'Checkov CKV_DOCKER_3 / CKV_DOCKER_8 / CKV_K8S_23', 'Trivy DS-0002 / KSV-0012', 'kube-linter run-as-non-root', 'kubeaudit nonroot'],
    messages: {
      root: '{{label}} runs as root ({{setting}}){{pss}}',
      remoteRoot: 'The devcontainer\'s tools and terminals run as root (remoteUser: {{value}}){{pss}}',
      dockerfileUnset: 'The final stage sets no USER: the image runs as root unless its base image sets a user{{pss}}',
      kubernetesUnset: '{{label}} may run as root ({{short}})',
      rootUserns: '{{label}} runs as root ({{setting}}) in its own user namespace',
      unsetUserns: '{{label}} may run as root ({{short}}) in its own user namespace',
      buildRoot: '{{label}} runs as root: its image from {{dockerfile}} {{whyShort}}{{pss}}',
      composeUnset: '{{label}} sets no user: its image\'s user applies, often root{{pss}}',
      commandUnset: '{{label}} sets no {{setting}}: its image\'s user applies, often root{{pss}}',
      devcontainerUnset: 'The devcontainer sets no containerUser: its image\'s user applies, often root{{pss}}',
      pssNonRootFalse: '{{label}} sets {{field}}: false{{pss}}',
      pssNonRootMissing: '{{label}} lacks runAsNonRoot: true{{pss}}',
      pssPodNonRootFalse: 'The pod of {{workload}} sets runAsNonRoot: false{{pss}}',
      pssRunAsUserZero: '{{label}} sets {{field}}: 0 (root){{pss}}',
      pssPodRunAsUserZero: 'The pod of {{workload}} sets runAsUser: 0 (root){{pss}}',
    },
    details: {
      root: `With root inside, ${ESCAPE}. ${SET_USER}`,
      remoteRoot: 'Anything the tools and terminals run has root in the container, one escape from root on the host. Set remoteUser to the image\'s non-root user (vscode, node).',
      dockerfileUnset: `Unless the base image sets a user, ${ESCAPE}. Add USER <uid> at the end of the final stage.`,
      kubernetesUnset: `{{how}}, so the image's user applies, often root: ${ESCAPE}. Set runAsNonRoot: true and a non-zero runAsUser.`,
      rootUserns: `It runs as root ({{setting}}), ${USERNS}.`,
      unsetUserns: `It may run as root ({{how}}), ${USERNS}.`,
      buildRoot: `It sets no user:, and the image it builds from {{dockerfile}} {{why}}. So ${ESCAPE}. ${SET_USER}`,
      composeUnset: 'Without user:, the image\'s own user applies, and many images run as root. The profile asks for a user set explicitly. Set user: "<uid>:<gid>".',
      commandUnset: 'Without {{setting}}, the image\'s own user applies, and many images run as root. The profile asks for a user set explicitly. Set {{setting}} to a non-root uid.',
      devcontainerUnset: 'Without containerUser, the image\'s own user applies, and many images run as root. The profile asks for a user set explicitly. Set containerUser (or remoteUser for the tools).',
      pssNonRootFalse: `Nothing stops the image from running as root, and ${ESCAPE}. Set {{field}}: true.`,
      pssNonRootMissing: 'Neither the container\'s nor the pod\'s securityContext sets runAsNonRoot: true{{extra}}. The control needs it set, on the container or the pod.',
      pssPodNonRootFalse: 'spec.securityContext.runAsNonRoot: false fails the control for every container, whatever they set themselves.',
      pssRunAsUserZero: `${ESCAPE.charAt(0).toUpperCase()}${ESCAPE.slice(1)}. Set a non-zero uid.`,
      pssPodRunAsUserZero: 'spec.securityContext.runAsUser: 0 fails the control even where containers override it.',
    },
    risk: 'A process running as root inside the container is root on the host as soon as anything breaks the isolation: a runtime bug (runc CVE-2019-5736 and about twenty others), a mounted socket or a writable host path. A non-root user turns the same escape into an unprivileged foothold.',
    fixDescription: 'Sets a non-root user: USER <uid> at the end of the final stage, user: "<uid>:<gid>" in Compose, runAsNonRoot: true (and runAsUser) in Kubernetes. The uid is the containerPrivilegeLint.nonRootUid setting (default 10001).',
  },
  checkWorkload(workload, context) {
    // Pod-level settings fail a restricted control once per pod (PSS checks the pod level on its own).
    if (workload.kind !== 'kubernetes' || context.settings.profile === 'default' || workload.hostUsers?.value === false) return;
    const name = workload.name;
    if (workload.podRunAsNonRoot?.value === false) {
      context.report({ at: workload.podRunAsNonRoot, messageId: 'pssPodNonRootFalse', data: { workload: name, pss: pss(context, 'runAsNonRoot') } });
    }
    if (workload.podRunAsUser?.value === 0) {
      context.report({ at: workload.podRunAsUser, messageId: 'pssPodRunAsUserZero', data: { workload: name, pss: pss(context, 'runAsUser') }, fixes: [{ type: 'remove-setting', target: workload.podRunAsUser }] });
    }
  },
  checkContainer(container, context) {
    if (container.kind === 'kubernetes' && context.settings.profile !== 'default') {
      checkPss(container, context.workload, context);
      return;
    }
    const label = capitalize(container.label);
    const user = container.user;
    const fixes = [{ type: 'set-non-root-user' as const, uid: context.settings.nonRootUid }];
    const restricted = context.settings.profile === 'restricted';
    // Root inside a Kubernetes pod's own user namespace is not root on the host (PSS v1.35 relaxes the same way).
    const userns = container.kind === 'kubernetes' && context.workload.hostUsers?.value === false;
    if (user.verdict === 'root' && user.at) {
      const setting = user.how ?? `${user.at.field}: ${user.at.value}`;
      if (userns) context.report({ at: user.at, messageId: 'rootUserns', data: { label, setting }, fixes, severity: 'info' });
      else context.report({ at: user.at, messageId: 'root', data: { label, setting, pss: pss(context, 'runAsUser') }, fixes });
    } else if (container.kind === 'compose' && !user.at) {
      // No user: at all. The image decides: the Dockerfile a build: names, when it could be read.
      const image = container.buildImage;
      if (container.build && image && (image.user.verdict === 'root' || image.user.verdict === 'unset')) {
        const why = image.user.verdict === 'root' ? `runs as root (${image.user.how ?? `USER ${image.user.at?.value ?? 'root'}`})` : 'sets no USER in its final stage (so the base image\'s user applies, usually root)';
        const whyShort = image.user.verdict === 'root' ? `sets USER ${image.user.at?.value ?? 'root'}` : 'sets no USER';
        context.report({
          at: container.build,
          messageId: 'buildRoot',
          data: { label, dockerfile: image.shownPath ?? image.path, why, whyShort, pss: pss(context, 'runAsNonRoot') },
          fixes,
          related: [{ span: image.span, range: image.range, path: image.path, message: image.user.verdict === 'root' ? 'the final stage runs as root here' : 'the final stage, with no USER' }],
        });
      } else if (restricted && !(image && image.user.verdict === 'nonroot')) {
        context.report({ at: container.anchor, messageId: 'composeUnset', data: { label, pss: pss(context, 'runAsNonRoot') }, fixes });
      }
    } else if ((container.kind === 'quadlet' || container.kind === 'run') && !user.at) {
      // Like Compose without build: the image decides, which only the restricted profile requires to be written.
      if (restricted) context.report({ at: container.anchor, messageId: 'commandUnset', data: { label, setting: container.kind === 'quadlet' ? 'User=' : '--user', pss: pss(context, 'runAsNonRoot') }, fixes });
    } else if (container.kind === 'devcontainer' && !user.at) {
      if (restricted) context.report({ at: container.anchor, messageId: 'devcontainerUnset', data: { pss: pss(context, 'runAsNonRoot') } });
    } else if (user.verdict === 'unset') {
      if (container.kind === 'dockerfile') {
        context.report({ at: container.anchor, messageId: 'dockerfileUnset', data: { pss: pss(context, 'runAsNonRoot') }, fixes });
      } else if (container.kind === 'kubernetes') {
        const how = user.how ?? 'not set';
        const short = user.at ? `${user.at.field}: ${user.at.value}` : 'no runAsNonRoot or runAsUser';
        if (userns) context.report({ at: user.at ?? container.anchor, messageId: 'unsetUserns', data: { label, how, short }, fixes, severity: 'info' });
        else context.report({ at: user.at ?? container.anchor, messageId: 'kubernetesUnset', data: { label, how: capitalize(how), short }, fixes });
      }
    }
    const remote = container.remoteUser;
    if (remote && isRoot(remote.value)) context.report({ at: remote, messageId: 'remoteRoot', data: { value: remote.value, pss: pss(context, 'runAsUser') } });
  },
});

/** The restricted controls runAsNonRoot and runAsUser for one container, exactly as pod-security-admission checks them. */
function checkPss(container: Container, workload: Workload, context: RuleContext<MessageId>): void {
  if (workload.hostUsers?.value === false) return; // v1.35: any value in the pod's own user namespace
  const label = capitalize(container.label);
  const fixes = [{ type: 'set-non-root-user' as const, uid: context.settings.nonRootUid }];
  const own = container.runAsNonRoot;
  if (own) {
    if (own.value === false) context.report({ at: own, messageId: 'pssNonRootFalse', data: { label, field: own.field, pss: pss(context, 'runAsNonRoot') }, fixes });
  } else if (workload.podRunAsNonRoot?.value !== true) {
    const uid = container.runAsUser ?? workload.podRunAsUser;
    const extra = uid && uid.value > 0 ? `; runAsUser: ${uid.value} alone does not satisfy it` : '';
    context.report({ at: container.anchor, messageId: 'pssNonRootMissing', data: { label, extra, pss: pss(context, 'runAsNonRoot') }, fixes });
  }
  if (container.runAsUser?.value === 0) {
    context.report({ at: container.runAsUser, messageId: 'pssRunAsUserZero', data: { label, field: container.runAsUser.field, pss: pss(context, 'runAsUser') }, fixes });
  }
}

function pss(context: RuleContext<MessageId>, control: PssControlId): string {
  return pssSuffix(context.settings.profile, control, context.workload.kind);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function isRoot(v: string): boolean {
  const s = v.trim();
  return s === 'root' || s === '0' || s.startsWith('root:') || s.startsWith('0:');
}

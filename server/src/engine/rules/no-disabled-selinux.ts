/**
 * @fileoverview Containers must not turn SELinux separation off.
 */
import type { Container, FileKind, Located, Workload } from '../model';
import { pssSuffix } from '../pss';
import type { Profile } from '../pss';
import { defineRule } from '../rule';
import type { FixIntent, RuleContext } from '../rule';
import { dockerOptionText, firstToShare, isPodLevel, sameSpan, subjectOf } from './shared/boundary';

/** SELinux types that are not confined: the super-privileged container type and the unconfined domain. */
const UNCONFINED_TYPES: ReadonlySet<string> = new Set(['spc_t', 'unconfined_t']);

/** The types PSS baseline allows (pod-security-admission check_seLinuxOptions; container_engine_t since 1.31). */
const PSS_TYPES: ReadonlySet<string> = new Set(['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

type MessageId = 'disable' | 'unconfinedType' | 'pssType' | 'userRole' | 'podOverridden';

interface Verdict {
  messageId: MessageId;
  data: Record<string, string>;
}

const isDocker = (c: Container): boolean => c.kind !== 'kubernetes';

/** What is wrong with an SELinux type or `disable` setting under a profile, if anything. */
function typeVerdict(setting: Located<string>, profile: Profile, kind: FileKind): Verdict | undefined {
  const pss = pssSuffix(profile, 'seLinuxOptions', kind);
  if (setting.value === 'disable') return { messageId: 'disable', data: { pss } };
  if (!setting.value.startsWith('type:')) return undefined;
  const type = setting.value.slice('type:'.length);
  if (UNCONFINED_TYPES.has(type)) return { messageId: 'unconfinedType', data: { type, pss } };
  if (profile !== 'default' && !PSS_TYPES.has(type)) return { messageId: 'pssType', data: { type, pss } };
  return undefined;
}

/** An SELinux user or role: PSS baseline requires both to be empty. */
function userRoleVerdict(what: 'user' | 'role', setting: Located<string>, profile: Profile, kind: FileKind): Verdict | undefined {
  if (profile === 'default') return undefined;
  return { messageId: 'userRole', data: { what, value: setting.value, pss: pssSuffix(profile, 'seLinuxOptions', kind) } };
}

function kubernetesSetting(setting: Located<string>): string {
  const value = setting.value.startsWith('type:') ? setting.value.slice('type:'.length) : setting.value;
  return `${setting.field}: ${value}`;
}

function report(container: Container, setting: Located<string>, verdict: Verdict, fallback: string, context: RuleContext<MessageId>): void {
  const docker = isDocker(container);
  const label = subjectOf(container, context.workload, !docker && isPodLevel(setting));
  const text = docker ? dockerOptionText(container, setting, fallback) : kubernetesSetting(setting);
  // Docker: the option can simply go. Kubernetes: the type is there for a reason, and which one the workload needs is not ours to guess.
  const fixes: FixIntent[] = docker ? [{ type: 'remove-setting', target: setting }] : [];
  context.report({ at: setting, messageId: verdict.messageId, data: { label, setting: text, ...verdict.data }, fixes });
}

/** Pod-level SELinux settings every container overrides: PSS checks the pod level on its own. */
function podOverridden(workload: Workload, context: RuleContext<MessageId>): void {
  const pod = workload.podConfinement;
  if (!pod || workload.containers.length === 0) return;
  const profile = context.settings.profile;
  const checks: [Located<string> | undefined, (c: Container) => Located<string> | undefined, (s: Located<string>) => Verdict | undefined][] = [
    [pod.selinux, (c) => c.selinux, (s) => typeVerdict(s, profile, 'kubernetes')],
    [pod.seLinuxUser, (c) => c.seLinuxUser, (s) => userRoleVerdict('user', s, profile, 'kubernetes')],
    [pod.seLinuxRole, (c) => c.seLinuxRole, (s) => userRoleVerdict('role', s, profile, 'kubernetes')],
  ];
  for (const [setting, get, verdictOf] of checks) {
    if (!setting || workload.containers.some((c) => sameSpan(get(c)?.span, setting.span))) continue;
    const verdict = verdictOf(setting);
    if (!verdict) continue;
    context.report({ at: setting, messageId: 'podOverridden', data: { label: workload.name, setting: kubernetesSetting(setting), pss: verdict.data.pss ?? '' } });
  }
}

export default defineRule({
  id: 'no-disabled-selinux',
  meta: {
    description: 'Containers must not turn SELinux separation off',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: [
      'CIS Docker 5.3 (v1.6.0; 5.2 in v1.2.0)',
      'PSS baseline: SELinux (seLinuxOptions)',
      'Trivy KSV-0025',
      'Semgrep selinux-separation-disabled (compose)',
    ],
    messages: {
      disable: '{{label}} turns SELinux separation off ({{setting}}){{pss}}',
      unconfinedType: '{{label}} sets the unconfined SELinux type {{type}}{{pss}}',
      pssType: '{{label}} sets the SELinux type {{type}}, which the profile does not allow{{pss}}',
      userRole: '{{label}} sets the SELinux {{what}} {{value}}{{pss}}',
      podOverridden: '{{label}} sets {{setting}} at pod level{{pss}}',
    },
    details: {
      disable: 'Its processes are no longer confined to container_t, so on an SELinux host (Fedora, RHEL) only file permissions keep them from host files they reach through a mount or an escape. Remove {{setting}}.',
      unconfinedType: '{{type}} ({{setting}}) is not confined by SELinux, so on an SELinux host only file permissions keep its processes from host files and processes.',
      pssType: 'Only container_t, container_init_t, container_kvm_t and container_engine_t are allowed ({{setting}}).',
      userRole: 'A custom SELinux user or role ({{setting}}) can widen what the container may do; the profile requires both to be empty.',
      podOverridden: 'Every container overrides it today, but a container added later would inherit it.',
    },
    risk: 'On SELinux hosts (Fedora, RHEL, CentOS) the container_t type is what keeps a container\'s processes away from host files and other containers even when they run as root. label=disable, spc_t and unconfined_t turn that off, so a mounted host path or an escape is limited only by ordinary file permissions.',
    fixDescription: 'Docker formats: removes the label=disable (or label=type:spc_t…) entry, so the container gets the runtime\'s default label again. Kubernetes: no automatic fix; choose a confined type (or none) by hand.',
  },
  checkWorkload(workload, context) {
    if (workload.kind === 'kubernetes') podOverridden(workload, context);
  },
  checkContainer(container, context) {
    const profile = context.settings.profile;
    const checks: [(c: Container) => Located<string> | undefined, (s: Located<string>) => Verdict | undefined, string][] = [
      [(c) => c.selinux, (s) => typeVerdict(s, profile, container.kind), 'label=disable'],
      [(c) => c.seLinuxUser, (s) => userRoleVerdict('user', s, profile, container.kind), 'label=user'],
      [(c) => c.seLinuxRole, (s) => userRoleVerdict('role', s, profile, container.kind), 'label=role'],
    ];
    for (const [get, verdictOf, fallback] of checks) {
      const setting = get(container);
      if (!setting || !firstToShare(container, context.workload, get)) continue;
      const verdict = verdictOf(setting);
      if (verdict) report(container, setting, verdict, fallback, context);
    }
  },
});

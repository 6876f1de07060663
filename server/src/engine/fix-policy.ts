/**
 * Which fixes run unattended. Every fix is a **safe fix** (applied by `--fix`, fix-all and
 * fix-on-save) or a **suggestion** (offered as a quick-fix, applied by the CLI only with
 * `--unsafe-fixes`), as Ruff's safe/unsafe fixes and ESLint's fix/suggest.
 *
 * The kind is decided here, per finding, from what the engine knows about that workload (its
 * image, its command, whether it is a known node agent), never by the rule and never by the
 * writer. A fix is safe only where that knowledge shows the workload cannot need what the fix
 * takes away. Where a known node agent needs what a fix removes, the fix is not offered at all.
 *
 * FIX_POLICY is the table the README and the rule docs print; test/engine/fix-policy.test.ts
 * holds decideFix to it.
 */
import { agentNeeds, nodeAgent } from './knowledge/node-agents';
import type { HostAccess, NodeAgent } from './knowledge/node-agents';
import { imageUser, knownNonRootUid } from './knowledge/image-users';
import { commandWords } from './knowledge/images';
import type { Container, Located, Workload } from './model';
import type { FixIntent } from './rule';

export type FixKind = 'safe' | 'suggestion';
export type IntentType = FixIntent['type'];

export interface PolicyRow {
  intent: IntentType;
  /** What the fix does, in a few words (the table's first column). */
  does: string;
  /** When it is a safe fix; `never` when it is always a suggestion. */
  safeWhen: string;
}

/** The policy, one row per fix intent: what README.md and server/docs print. */
export const FIX_POLICY: readonly PolicyRow[] = [
  { intent: 'enable-no-new-privileges', does: 'Set no-new-privileges / allowPrivilegeEscalation: false', safeWhen: 'nothing shows setuid is needed: no sudo, su, doas or pkexec in the command, not a dev container (devcontainer.json whose remoteUser is not root or not written, a Compose file in .devcontainer/, a service kept alive with sleep infinity), not an image known to need setuid, not built from a Dockerfile that runs setcap, sets a setuid bit or installs sudo, not turned off explicitly, and (Kubernetes) not privileged and no SYS_ADMIN' },
  { intent: 'set-confinement', does: 'Use the runtime\'s default seccomp / AppArmor profile', safeWhen: 'nothing is written for that profile yet (no opt-out is removed), the container is not privileged and is not a known node agent' },
  { intent: 'set-non-root-user', does: 'Run as a non-root user (USER, user:, runAsUser + runAsNonRoot)', safeWhen: 'the image is in the image-user table with a non-root uid from its own build files or vendor docs; the fix then writes that uid' },
  { intent: 'replace-privileged', does: 'Replace privileged with the capabilities, devices and options the workload needs', safeWhen: 'the replacement comes from a confident image-table row (replaceable: yes, certain, read in a primary or vendor source) for this image' },
  { intent: 'remove-privileged', does: 'Remove privileged', safeWhen: 'never' },
  { intent: 'least-privilege', does: 'Replace privileged with least privilege (drop ALL, no-new-privileges)', safeWhen: 'never' },
  { intent: 'remove-setting', does: 'Remove a host namespace, host mount, device, sysctl, host port, SELinux/unmask opt-out or runAsUser: 0', safeWhen: 'never' },
  { intent: 'remove-capability', does: 'Remove an added capability', safeWhen: 'never' },
  { intent: 'add-drop-all', does: 'Drop every capability (cap_drop: [ALL])', safeWhen: 'never' },
  { intent: 'set-read-only-root', does: 'Read-only root filesystem', safeWhen: 'never' },
  { intent: 'set-mount-read-only', does: 'Make a host mount read-only', safeWhen: 'never' },
  { intent: 'set-host-users-false', does: 'hostUsers: false', safeWhen: 'never' },
];

/** The policy as the Markdown table README.md and server/docs/fix-policy.md print (a test holds both to it). */
export function renderFixPolicyTable(): string {
  const rows = FIX_POLICY.map((r) => `| \`${r.intent}\` | ${r.does} | ${r.safeWhen === 'never' ? 'never: always a suggestion' : r.safeWhen} |`);
  return ['| Fix | What it does | Safe fix (applied by `--fix`, fix-all, fix-on-save) when |', '|---|---|---|', ...rows].join('\n');
}

export interface FixDecision {
  /** `withheld`: a known node agent needs what the fix takes away, so it is not offered. */
  kind: FixKind | 'withheld';
  /** For a suggestion: what to check before applying it (shown in the editor's title). */
  check?: string;
  /** The intent to write: the same one, or with the image's own uid for set-non-root-user. */
  intent: FixIntent;
}

/** Commands that gain privilege through a setuid binary: no-new-privileges breaks them. */
const SETUID_COMMANDS: ReadonlySet<string> = new Set(['sudo', 'su', 'doas', 'pkexec', 'newgrp', 'sg']);

const NS_WORDS: Record<string, string> = { pid: 'PID', network: 'network', ipc: 'IPC', uts: 'UTS', cgroup: 'cgroup', user: 'user' };

function isRootName(v: string): boolean {
  const s = v.trim();
  return s === 'root' || s === '0' || s.startsWith('root:') || s.startsWith('0:');
}

/** Why no-new-privileges may break this container, if anything shows it. */
export function setuidSign(container: Container, workload: Workload, devcontainerFolder = false): string | undefined {
  const words = commandWords(container.hints?.command ?? '').map((w) => w.slice(w.lastIndexOf('/') + 1));
  const word = words.find((w) => SETUID_COMMANDS.has(w));
  if (word) return `its command runs ${word}, a setuid program`;
  // A Compose file in .devcontainer/ (a Compose-based dev container), or a service kept alive with
  // `sleep infinity` as dev containers are: its user usually gets root through sudo.
  if (container.kind === 'compose' && devcontainerFolder) return 'a Compose file in .devcontainer/ runs a dev container, whose user usually gets root through sudo';
  if (/\bsleep\s+infinity\b/.test(container.hints?.command ?? '')) return 'it is kept alive with sleep infinity, as dev containers are, whose user usually gets root through sudo';
  if (container.kind === 'devcontainer') {
    const remote = container.remoteUser?.value;
    if (remote === undefined) return 'a dev container\'s remoteUser (from the image metadata when not written) usually gets root through sudo';
    if (!isRootName(remote)) return `remoteUser ${remote} is not root, and dev container users usually get root through sudo`;
  }
  const row = container.image ? imageUser(container.image.value) : undefined;
  if (row?.needsSetuid) return `${row.title}: ${row.note}`;
  if (container.buildImage?.setuid) return `its Dockerfile ${container.buildImage.shownPath ?? ''} ${container.buildImage.setuid}`.replace('  ', ' ');
  if (container.noNewPrivileges?.value === false) return `it turns no-new-privileges off explicitly (${container.noNewPrivileges.field})`;
  if (container.kind === 'kubernetes' && (container.privileged.some((p) => p.value) || container.capAdd.some((c) => c.name === 'SYS_ADMIN' || c.name === 'ALL'))) {
    return 'Kubernetes rejects allowPrivilegeEscalation: false on a privileged container or one that adds SYS_ADMIN';
  }
  void workload;
  return undefined;
}

function sameLocated(a: Located<unknown>, b: Located<unknown>): boolean {
  return a === b || (a.span.start === b.span.start && a.span.end === b.span.end);
}

/**
 * What host access a setting is, when it is one the node-agent table knows about, and which
 * containers it serves (a pod's host namespaces serve every container; a mount, device or
 * capability serves the container that has it).
 */
export function accessOf(target: Located<unknown>, container: Container, workload: Workload): { access: HostAccess; owners: Container[] } | undefined {
  const ns = workload.hostNamespaces.find((n) => sameLocated(n, target));
  if (ns) return { access: { what: 'namespace', ns: ns.value }, owners: workload.containers };
  for (const c of [container, ...workload.containers.filter((x) => x !== container)]) {
    const mount = c.mounts.find((m) => sameLocated(m, target));
    if (mount) return { access: { what: 'mount', path: mount.value }, owners: [c] };
    if (c.privileged.some((p) => sameLocated(p, target))) return { access: { what: 'privileged' }, owners: [c] };
    const cap = c.capAdd.find((x) => sameLocated(x, target));
    if (cap) return { access: { what: 'cap', name: cap.name }, owners: [c] };
    const device = c.devices.find((d) => sameLocated(d, target));
    if (device) return { access: { what: 'device', path: device.value }, owners: [c] };
    if (c.selinux && sameLocated(c.selinux, target)) return { access: { what: 'selinux-disable' }, owners: [c] };
  }
  const unmounted = workload.unmountedHostPaths.find((m) => sameLocated(m, target));
  if (unmounted) return { access: { what: 'mount', path: unmounted.value }, owners: workload.containers };
  return undefined;
}

/** The known node agent among `owners` that needs this access, if one does. */
export function agentNeeding(access: HostAccess, owners: Container[]): NodeAgent | undefined {
  for (const c of owners) {
    const agent = nodeAgent(c.image?.value);
    if (agent && agentNeeds(agent, access)) return agent;
  }
  return undefined;
}

/** The host access a fix intent takes away, with the containers it serves, if any. */
function accessRemovedBy(intent: FixIntent, container: Container, workload: Workload): { access: HostAccess; owners: Container[] } | undefined {
  switch (intent.type) {
    case 'remove-privileged':
    case 'least-privilege':
      return { access: { what: 'privileged' }, owners: [container] };
    case 'remove-setting':
      return accessOf(intent.target, container, workload);
    case 'remove-capability':
      return { access: { what: 'cap', name: intent.cap.name }, owners: [container] };
    case 'set-confinement':
      return { access: { what: 'unconfined' }, owners: [container] };
    default:
      return undefined; // read-only mounts, users, no-new-privileges keep the access
  }
}

function removalCheck(target: Located<unknown>, container: Container, workload: Workload): string {
  const access = accessOf(target, container, workload)?.access;
  if (access?.what === 'namespace') return `check that it does not need the host's ${NS_WORDS[access.ns] ?? access.ns} namespace (node agents, host monitoring, CNI and firewall tools do)`;
  if (access?.what === 'mount') return `check that nothing in it reads or writes ${access.path}`;
  if (access?.what === 'device') return `check that it does not use ${access.path}`;
  if (access?.what === 'selinux-disable') return 'check that it still works on SELinux hosts (Fedora, RHEL): socket and host-path agents often need a label';
  return `check that the workload does not rely on ${target.field}`;
}

function privilegedCheck(container: Container): string {
  return `check that ${container.label} starts without privileged: it loses every capability beyond the runtime's default set and every host device`;
}

/**
 * Decides one fix of one finding. `noPreferredFix` (a rule's own veto) can only lower a safe fix
 * to a suggestion.
 */
export function decideFix(intent: FixIntent, container: Container, workload: Workload, ruleVeto = false, devcontainerFolder = false): FixDecision {
  const removed = accessRemovedBy(intent, container, workload);
  if (removed && agentNeeding(removed.access, removed.owners)) return { kind: 'withheld', intent };
  const decided = decide(intent, container, workload, nodeAgent(container.image?.value), devcontainerFolder);
  if (decided.kind === 'safe' && ruleVeto) return { ...decided, kind: 'suggestion', check: decided.check ?? 'check that the workload does not rely on what this changes' };
  return decided;
}

/**
 * Decides a fix on a workload that has no container of its own (a Quadlet `.pod` unit): the
 * removal of one of its host namespaces or shared mounts, or a shared mount made read-only;
 * always a suggestion (the pod's containers may need it), and withheld where a known node agent
 * among its containers needs that access.
 */
export function decideWorkloadFix(intent: FixIntent, workload: Workload): FixDecision {
  if (intent.type === 'set-mount-read-only') {
    const mount = intent.mount;
    if (!(workload.sharedMounts ?? []).some((m) => sameLocated(m, mount))) return { kind: 'withheld', intent };
    return { kind: 'suggestion', check: `check that nothing the unit runs writes to ${mount.value}`, intent };
  }
  if (intent.type !== 'remove-setting') return { kind: 'withheld', intent };
  const shared = (workload.sharedMounts ?? []).find((m) => sameLocated(m, intent.target));
  if (shared) {
    if (agentNeeding({ what: 'mount', path: shared.value }, workload.containers)) return { kind: 'withheld', intent };
    return { kind: 'suggestion', check: `check that nothing the unit runs reads or writes ${shared.value}`, intent };
  }
  const ns = workload.hostNamespaces.find((n) => sameLocated(n, intent.target));
  if (!ns) return { kind: 'withheld', intent };
  if (agentNeeding({ what: 'namespace', ns: ns.value }, workload.containers)) return { kind: 'withheld', intent };
  return { kind: 'suggestion', check: `check that nothing the unit runs needs the host's ${NS_WORDS[ns.value] ?? ns.value} namespace (node agents, host monitoring, CNI and firewall tools do)`, intent };
}

function decide(intent: FixIntent, container: Container, workload: Workload, agent: NodeAgent | undefined, devcontainerFolder: boolean): FixDecision {
  const suggestion = (check: string): FixDecision => ({ kind: 'suggestion', check, intent });
  switch (intent.type) {
    case 'enable-no-new-privileges': {
      const sign = setuidSign(container, workload, devcontainerFolder);
      return sign ? suggestion(`check that nothing needs setuid: ${sign}`) : { kind: 'safe', intent };
    }
    case 'set-confinement': {
      const written = intent.which === 'seccomp' ? container.seccomp : container.apparmor;
      const optOut = written?.value === 'unconfined';
      if (optOut) return suggestion(`check that it runs under the runtime's default ${intent.which === 'seccomp' ? 'seccomp' : 'AppArmor'} profile: debuggers, FUSE mounts and nested containers often do not`);
      if (container.privileged.some((p) => p.value)) return suggestion('check the profile once privileged is gone: a privileged container ignores it today');
      if (agent) return suggestion(`check that ${agent.title} runs under the runtime's default profile`);
      return { kind: 'safe', intent };
    }
    case 'set-non-root-user': {
      const uid = knownNonRootUid(container.image?.value);
      if (uid !== undefined) return { kind: 'safe', intent: { ...intent, uid } };
      const row = container.image ? imageUser(container.image.value) : undefined;
      const about = row && !row.nonRoot ? ` (${row.title}: ${row.note})` : '';
      return suggestion(`check that the image's files, ports below 1024 and entrypoint work as uid ${intent.uid}${about}`);
    }
    case 'replace-privileged': {
      const inf = intent.inference;
      const confident = inf.source === 'image' && inf.confidence === 'certain' && inf.replaceable === 'yes' && !!inf.image && (inf.image.confidence === 'V' || inf.image.confidence === 'V-doc');
      if (confident && !agent) return { kind: 'safe', intent };
      if (agent) return suggestion(`${agent.title} is a node agent: check that it works in its least-privileged mode with only what is listed`);
      const from = inf.source === 'image' && inf.image ? `the ${inf.image.title} profile is not confident for this setup` : 'inferred from hints in the configuration, not from a known image';
      return suggestion(`${from}: check that the workload works with only what is listed`);
    }
    case 'remove-privileged':
    case 'least-privilege':
      return suggestion(privilegedCheck(container));
    case 'remove-setting':
      return suggestion(removalCheck(intent.target, container, workload));
    case 'remove-capability':
      return suggestion(`check that the workload does not use ${intent.cap.name}`);
    case 'add-drop-all':
      return suggestion('check that the entrypoint does not need default capabilities (CHOWN, SETUID, SETGID, DAC_OVERRIDE…), as images that switch users do');
    case 'set-read-only-root':
      return suggestion('check that the application writes only to volumes or tmpfs (/tmp, /run, caches, PID files)');
    case 'set-mount-read-only':
      return suggestion(`check that nothing writes to ${intent.mount.value}`);
    case 'set-host-users-false':
      return suggestion('check that the nodes run Kubernetes 1.33+ with a runtime and file systems that support user namespaces');
  }
}

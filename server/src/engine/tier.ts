/**
 * The defence-in-depth tier: where each container stands on a six-tier ladder, from what
 * the file says, with what the file cannot say stated plainly.
 *
 *   1  privileged, root inside
 *   2  privileged, non-root inside
 *   3  rootful (host user namespace), root inside
 *   4  rootful, non-root inside
 *   5  rootless / own user namespace, root inside (uid 0 maps to an unprivileged host uid)
 *   6  rootless / own user namespace, non-root inside
 *
 * Privileged decides first: it turns off every other guard, so a privileged container is on
 * tier 1 or 2 whatever else it sets. Then the user namespace: only Kubernetes says it in the
 * file (`hostUsers: false`) and Compose through `runtime: sysbox-runc` (Sysbox always uses
 * one); whether a Docker daemon is rootless or uses userns-remap is not in any file, so
 * Docker formats are assumed rootful unless `userns_mode: host` says so outright. Then the
 * user: an explicit root, an explicit non-root user, or not set — which is root unless the
 * image sets a user (the Dockerfile a Compose `build:` names is used when it could be read).
 */
import type { ParsedFile } from './adapters/types';
import type { Container, FileKind, Span, Workload } from './model';
import { intern } from './text';

export type TierNumber = 1 | 2 | 3 | 4 | 5 | 6;

/** How the user inside was decided. */
export type TierUser =
  /** Explicitly root (USER root, user: 0, runAsUser: 0). */
  | 'root'
  /** Explicitly non-root (a non-root USER / user:, runAsNonRoot: true, a non-zero runAsUser). */
  | 'non-root'
  /** Nothing set: root unless the image sets a user. Counted as root. */
  | 'image-default'
  /** Set but not decidable here (a variable with no default). Counted as root. */
  | 'unknown';

/** How the user namespace was decided. */
export type TierUserNamespace =
  /** Kubernetes `hostUsers: false`, or a runtime that always uses one (Sysbox). */
  | 'own'
  /** Known to share the host's: Kubernetes without `hostUsers: false`, Docker `userns_mode: host`. */
  | 'host'
  /** Docker formats: the daemon's mode is not in the file; assumed rootful. */
  | 'assumed-host';

export interface TierAssessment {
  kind: FileKind;
  /** The workload's name (`web`, `Deployment/api`, `Dockerfile`, `devcontainer`). */
  workload: string;
  /** The container's short name. */
  container: string;
  /** For messages: `service "web"`, `container "app" in Pod/p`. */
  label: string;
  /** Where it is shown: the service key, the container's `- name:`, the final stage's FROM. */
  anchor: Span;
  tier: TierNumber;
  privileged: boolean;
  user: TierUser;
  userNamespace: TierUserNamespace;
  /** `Tier 3 of 6: rootful, root inside — a non-root user reaches tier 4`. */
  summary: string;
  /** Short enough to read unclipped above a name: `Tier 1 of 6 · privileged`, `Tier 3 of 6 · root inside`. */
  lens: string;
  /** What decided each part, and what the file cannot say. */
  notes: string[];
}

export const DOCKER_DAEMON_NOTE = "the daemon's mode (rootless or userns-remap) is not visible in this file; assuming rootful";

export function computeTiers(parsed: Pick<ParsedFile, 'workloads'> | undefined): TierAssessment[] {
  const out: TierAssessment[] = [];
  for (const workload of parsed?.workloads ?? []) {
    for (const container of workload.containers) out.push(assess(workload, container));
  }
  return out;
}

export function assess(workload: Workload, container: Container): TierAssessment {
  const notes: string[] = [];
  const privileged = container.kind !== 'dockerfile' && container.privileged.some((p) => p.value === true);
  if (container.kind === 'dockerfile' && container.privileged.some((p) => p.value === true)) {
    notes.push('RUN --security=insecure is privileged at build time only; the container the image runs in is judged by how it is run');
  }
  if (privileged) notes.push(`privileged (${container.privileged.find((p) => p.value === true)?.field ?? 'privileged'}: true): every other guard is off`);

  const user = userOf(container, notes);
  const userNamespace = userNamespaceOf(workload, container, notes);
  const root = user !== 'non-root';
  let tier: TierNumber;
  if (privileged) tier = root ? 1 : 2;
  else if (userNamespace === 'own') tier = root ? 5 : 6;
  else tier = root ? 3 : 4;

  const parts: string[] = [];
  if (privileged) parts.push('privileged');
  parts.push(userNamespace === 'own' ? 'own user namespace' : userNamespace === 'host' ? 'rootful' : 'rootful (assumed)');
  parts.push(user === 'root' ? 'root inside' : user === 'non-root' ? 'non-root inside' : user === 'image-default' ? 'root inside unless the image sets a user' : 'user unknown, counted as root');
  const summary = `Tier ${tier} of 6: ${parts.join(', ')} — ${nextStep(tier, container.kind)}`;
  return {
    kind: container.kind,
    workload: workload.name,
    container: container.name,
    label: container.label,
    anchor: container.anchor,
    tier,
    privileged,
    user,
    userNamespace,
    // Shared with every other container that reads the same (#17).
    summary: intern(summary),
    lens: intern(`Tier ${tier} of 6 · ${LENS_WORDS[tier]}`),
    notes: notes.map(intern),
  };
}

/** What each tier is, in two or three words (the code lens); the summary and the hover say the rest. */
const LENS_WORDS: Record<TierNumber, string> = {
  1: 'privileged',
  2: 'privileged, non-root',
  3: 'root inside',
  4: 'non-root',
  5: 'own user namespace',
  6: 'own user namespace, non-root',
};

function userOf(container: Container, notes: string[]): TierUser {
  const u = container.user;
  if (u.verdict === 'root') {
    notes.push(`root inside: ${u.how ?? (u.at ? `${u.at.field}: ${u.at.value}` : 'root')}`);
    return 'root';
  }
  if (u.verdict === 'nonroot') {
    notes.push(`non-root inside: ${u.at ? `${u.at.field}: ${u.at.value}` : (u.how ?? 'set')}`);
    return 'non-root';
  }
  // Not set in this file: a Compose build's Dockerfile may say.
  const image = container.kind === 'compose' && !u.at ? container.buildImage : undefined;
  if (image) {
    if (image.user.verdict === 'nonroot') {
      notes.push(`non-root inside: no user: here, and the image's Dockerfile (${image.shownPath ?? image.path}) sets USER ${image.user.at?.value ?? ''}`.trimEnd());
      return 'non-root';
    }
    if (image.user.verdict === 'root') {
      notes.push(`root inside: no user: here, and the image's Dockerfile (${image.shownPath ?? image.path}) runs as root`);
      return 'root';
    }
    if (image.user.verdict === 'unset') {
      notes.push(`root unless the image sets a user: no user: here, and the Dockerfile (${image.shownPath ?? image.path}) sets no USER, so its base image decides`);
      return 'image-default';
    }
  }
  if (u.verdict === 'unknown' && u.at) {
    notes.push(`the user is not known here (${u.how ?? `${u.at.field}: ${u.at.value}`}); counted as root`);
    return 'unknown';
  }
  notes.push(`root unless the image sets a user: ${u.how ?? 'no user is set'}`);
  return 'image-default';
}

function userNamespaceOf(workload: Workload, container: Container, notes: string[]): TierUserNamespace {
  if (container.kind === 'kubernetes') {
    if (workload.hostUsers?.value === false) {
      notes.push('own user namespace: hostUsers: false, so uid 0 inside is an unprivileged uid on the host');
      return 'own';
    }
    notes.push(workload.hostUsers ? 'rootful: hostUsers: true shares the host\'s user namespace' : 'rootful: without hostUsers: false the pod shares the host\'s user namespace');
    return 'host';
  }
  if (container.kind === 'compose') {
    const userns = workload.hostNamespaces.find((n) => n.value === 'user');
    if (userns) {
      notes.push(`rootful: ${userns.field}: host shares the host's user namespace even on a userns-remap daemon`);
      return 'host';
    }
    if (container.runtime && /^sysbox-runc$/i.test(container.runtime.value.trim())) {
      notes.push(`own user namespace: runtime: ${container.runtime.value} always runs containers in one`);
      return 'own';
    }
  }
  if (container.kind === 'quadlet' || container.kind === 'run') {
    const userns = workload.hostNamespaces.find((n) => n.value === 'user');
    if (userns) {
      notes.push(`rootful: ${userns.field === 'UserNS' ? 'UserNS=host' : '--userns=host'} shares the host's user namespace`);
      return 'host';
    }
    const own = workload.userNamespace;
    if (own) {
      notes.push(own.own ? `own user namespace: ${own.how}` : `rootful: ${own.how}`);
      return own.own ? 'own' : 'host';
    }
    notes.push(container.kind === 'quadlet'
      ? 'whether this unit runs rootless (a user unit, ~/.config/containers/systemd) or rootful (a system unit, /etc/containers/systemd) depends on where it is installed; assuming rootful'
      : "whether the engine runs rootless (rootless Podman or Docker) is not visible on the command line; assuming rootful");
    return 'assumed-host';
  }
  if (container.kind === 'devcontainer') {
    const userns = workload.hostNamespaces.find((n) => n.value === 'user');
    if (userns) {
      notes.push(`rootful: ${userns.field} --userns=host shares the host's user namespace`);
      return 'host';
    }
  }
  notes.push(DOCKER_DAEMON_NOTE);
  return 'assumed-host';
}

function nextStep(tier: TierNumber, kind: FileKind): string {
  const userns = kind === 'kubernetes' ? 'hostUsers: false' : kind === 'quadlet' ? 'a user unit (rootless Podman) or UserNS=auto' : 'a rootless or userns-remap daemon';
  switch (tier) {
    case 1:
      return 'dropping privileged reaches tier 3, and a non-root user tier 4';
    case 2:
      return 'dropping privileged reaches tier 4';
    case 3:
      return 'a non-root user reaches tier 4';
    case 4:
      return `${userns} reaches tier 6`;
    case 5:
      return 'a non-root user reaches tier 6';
    case 6:
      return 'the top tier';
  }
}

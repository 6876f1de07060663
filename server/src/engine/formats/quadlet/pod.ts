/**
 * A `.container` unit with `Pod=name.pod` runs inside that pod: Podman mounts the pod's volumes
 * into it and it shares the pod's namespaces. Both directions are followed, through the caller's
 * readFile and listDir (the engine stays pure), with the `.pod` unit looked for next to the
 * container unit (Quadlet resolves `Pod=` by unit name; a repository keeps them together).
 *
 * - Linting the `.pod` unit: the `.container` units of its folder that name it are its members;
 *   the pod's findings (a shared mount, a host namespace) stay on its own lines, and name them
 *   (`Unit web.pod (pod of app.container)`), so the reader sees whom they reach.
 * - Linting a `.container` unit: the pod's shared mounts and host namespaces join its model as
 *   values written in the pod file (foreign.ts). They are reported in the pod file, not again
 *   here, but they count for what the container is (its tier, what a privileged replacement
 *   needs, whether a node agent needs them).
 */
import path from 'node:path';
import type { ReadFile } from '../../cross-file';
import { readQuietly } from '../../cross-file';
import type { ListDir } from '../helm/chart';
import type { Container, Workload } from '../../model';
import { markForeignValue } from '../../project/foreign';
import { parseQuadlet } from './read';
import type { QuadletContainerRef, QuadletUnitRef } from './read';
import { parseUnit, unitScalar } from './unit';

/** The members as a label names them, short enough for a one-line message. */
const MEMBERS_TEXT_MAX = 40;
/** Container units read to find a pod's members, at most (a folder of generated units). */
const MAX_MEMBERS_READ = 200;

/** The last `Pod=` of a unit's `[Container]` section, as written; undefined without one. */
function podOf(text: string): string | undefined {
  let pod: string | undefined;
  for (const section of parseUnit(text).sections) {
    if (section.name !== 'Container') continue;
    for (const e of section.entries) if (e.key === 'Pod') pod = unitScalar(e.value).trim();
  }
  return pod;
}

/** A `Pod=` value this reader can follow: `<name>.pod`, no folder, specifier or variable. */
function followable(value: string): boolean {
  return /^[^/\\%$\s]+\.pod$/.test(value);
}

/**
 * A `.pod` unit's workloads named after the `.container` units of its folder that join it, with
 * the files read (for an editor to re-lint when one changes).
 */
export function podMembers(workloads: readonly Workload[], podPath: string, readFile: ReadFile, listDir: ListDir): { replaced: Map<Workload, Workload>; dependencies: string[] } {
  const replaced = new Map<Workload, Workload>();
  const dependencies: string[] = [];
  const pods = workloads.filter((w) => (w.ref as QuadletUnitRef | undefined)?.format === 'quadlet-unit' && (w.ref as QuadletUnitRef).type === 'pod');
  if (pods.length === 0 || !path.isAbsolute(podPath)) return { replaced, dependencies };
  const dir = path.dirname(podPath);
  const own = path.basename(podPath);
  let names: string[] | undefined;
  try {
    names = listDir(dir);
  } catch {
    names = undefined;
  }
  const members: string[] = [];
  for (const name of (names ?? []).filter((n) => n.endsWith('.container')).sort().slice(0, MAX_MEMBERS_READ)) {
    const file = path.join(dir, name);
    dependencies.push(file);
    const text = readQuietly(readFile, file);
    if (text !== undefined && podOf(text) === own) members.push(name);
  }
  if (members.length === 0) return { replaced, dependencies };
  const shown = membersText(members);
  for (const w of pods) replaced.set(w, { ...w, name: `${w.name} (pod of ${shown})` });
  return { replaced, dependencies };
}

/** `app.container`, `app.container and db.container`, `app.container and 2 more`, `5 containers`: short enough for a one-line message. */
export function membersText(members: readonly string[]): string {
  const n = members.length;
  const first = members[0] ?? '';
  if (n === 1) return first.length <= MEMBERS_TEXT_MAX ? first : `${first.slice(0, MEMBERS_TEXT_MAX - 1)}…`;
  const both = `${first} and ${members[1] ?? ''}`;
  if (n === 2 && both.length <= MEMBERS_TEXT_MAX) return both;
  const more = `${first} and ${n - 1} more`;
  return more.length <= MEMBERS_TEXT_MAX ? more : `${n} containers`;
}

/**
 * A `.container` unit's workloads with the shared mounts and host namespaces of the `.pod` unit
 * its `Pod=` names, registered as written in the pod file; the file tried (found or not).
 */
export function joinPod(workloads: readonly Workload[], containerPath: string, readFile: ReadFile): { replaced: Map<Workload, Workload>; dependencies: string[] } {
  const replaced = new Map<Workload, Workload>();
  const dependencies: string[] = [];
  if (!path.isAbsolute(containerPath)) return { replaced, dependencies };
  for (const w of workloads) {
    const container = w.containers[0];
    const ref = container?.ref as QuadletContainerRef | undefined;
    if (!container || ref?.format !== 'quadlet') continue;
    const podEntry = [...ref.section.entries].reverse().find((e) => e.key === 'Pod');
    const value = podEntry ? unitScalar(podEntry.value).trim() : '';
    if (!followable(value)) continue;
    const podFile = path.join(path.dirname(containerPath), value);
    dependencies.push(podFile);
    const text = readQuietly(readFile, podFile);
    if (text === undefined) continue;
    const pod = parseQuadlet(text, podFile).workloads[0];
    if (!pod) continue;
    const mounts = pod.sharedMounts ?? [];
    for (const v of [...mounts, ...pod.hostNamespaces]) markForeignValue(v, podFile);
    // UserNS= is the pod's to set: `UserNS=auto` there gives each of its containers an own user namespace.
    const userNamespace = pod.userNamespace?.own === true && w.userNamespace?.own !== true ? pod.userNamespace : undefined;
    if (mounts.length === 0 && pod.hostNamespaces.length === 0 && !userNamespace) continue;
    const joined: Container = { ...container, mounts: [...container.mounts, ...mounts] };
    if (container.hints) {
      const volumes = [...container.hints.volumes];
      for (const m of mounts) if (!volumes.includes(m.value)) volumes.push(m.value);
      joined.hints = { ...container.hints, volumes };
      if (pod.hostNamespaces.some((n) => n.value === 'network')) joined.hints.networkMode = 'host';
    }
    const inPod: Workload = { ...w, containers: [joined], hostNamespaces: [...w.hostNamespaces, ...pod.hostNamespaces] };
    if (userNamespace) inPod.userNamespace = { own: true, how: `through Pod=${value}: ${userNamespace.how}` };
    replaced.set(w, inPod);
  }
  return { replaced, dependencies };
}

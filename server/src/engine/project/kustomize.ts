/**
 * Kustomize: what a kustomization.yaml does to the manifests it builds, for the workloads of the
 * linted file.
 *
 * - A file a kustomization names as a patch (`patches`, `patchesStrategicMerge`,
 *   `patchesJson6902`) is not a workload of its own but a change to one. When its base resource
 *   is found (the kustomization's `resources` / `bases`, files and folders with their own
 *   kustomization, followed through the caller's reader), each of its workloads is judged merged
 *   onto the base by the strategic-merge rules (containers matched by name, see kube-merge.ts):
 *   what the patch sets is reported in the patch, what the base sets in the base, with the other
 *   file as related information. What is missing from both is reported on the base (the patch
 *   gets no "missing" findings for a container the base declares); a container only the patch
 *   declares is judged in the patch. Without its base, a patch is judged on what it sets.
 * - A file a kustomization lists as a resource is judged with that kustomization's
 *   strategic-merge patches applied to it, the same way seen from the other side.
 * - The kustomization's `images:` (newName / newTag / digest) rename the images of the
 *   containers it builds, for the image knowledge (image users, what an image needs).
 *
 * The kustomization is looked for beside the file and in the two folders above it (patches often
 * sit in a `patches/` folder). Remote resources (URLs, git) are not followed; nesting and the
 * number of files read are bounded.
 */
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { ParsedFile } from '../adapters/types';
import { parseYaml } from '../adapters/yaml';
import type { ReadFile } from '../cross-file';
import { rangeOf } from '../cross-file';
import type { Container, Located, RelatedInfo, Workload } from '../model';
import { foreignFile, markForeign, markForeignValue } from './foreign';
import { containerDeleted, mergeKubeContainer, mergeKubeWorkload } from './kube-merge';
import type { ProjectMemo } from './memo';
import { memoized } from './memo';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Kustomizations nested deeper than this through folder resources are not followed. */
const MAX_NESTING = 6;
/** At most this many resource files are read to find the bases of one file's patches. */
const MAX_RESOURCE_FILES = 64;

export interface PatchRef {
  /** The patch file, resolved against the kustomization's folder. */
  file: string;
  /** `target:` of a `patches` entry, when it names the resource. */
  target?: { kind?: string; name?: string; selector: boolean };
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface Kustomization {
  file: string;
  patches: PatchRef[];
  /** `resources` and `bases`, resolved against its folder (files or folders; remote ones left out). */
  resources: string[];
  images: ImageRule[];
}

/** Reads a file through the caller's reader, never throwing. */
function read(readFile: ReadFile, file: string): string | undefined {
  try {
    return readFile(file);
  } catch {
    return undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A kustomization's text, read; undefined when it is not one (not a map, or unreadable YAML). */
export function parseKustomization(text: string, file: string): Kustomization | undefined {
  if (!/^(patches|patchesStrategicMerge|patchesJson6902|resources|bases|images)\s*:/m.test(text)) return undefined;
  let js: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: false, strict: false });
    if (doc.errors.length > 0) return undefined;
    js = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (!js || typeof js !== 'object' || Array.isArray(js)) return undefined;
  const top = js as Record<string, unknown>;
  const dir = path.dirname(file);
  const local = (p: string | undefined) => (p !== undefined && !p.includes('\n') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith('git@') && !/^github\.com\//i.test(p) && !p.includes('?ref=') ? path.resolve(dir, p) : undefined);
  const patches: PatchRef[] = [];
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    const list = top[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      // patchesStrategicMerge: a path (an inline patch has line breaks); the others: maps with `path`.
      const file = local(str(item) ?? (item && typeof item === 'object' ? str((item as Record<string, unknown>).path) : undefined));
      if (!file) continue;
      const ref: PatchRef = { file };
      const t = item && typeof item === 'object' ? (item as Record<string, unknown>).target : undefined;
      if (t && typeof t === 'object') {
        const target = t as Record<string, unknown>;
        ref.target = { kind: str(target.kind), name: str(target.name), selector: target.labelSelector !== undefined || target.annotationSelector !== undefined };
      }
      patches.push(ref);
    }
  }
  const resources: string[] = [];
  for (const key of ['resources', 'bases']) {
    const list = top[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const r = local(str(item));
      if (r) resources.push(r);
    }
  }
  const images: ImageRule[] = [];
  if (Array.isArray(top.images)) {
    for (const item of top.images) {
      if (!item || typeof item !== 'object') continue;
      const m = item as Record<string, unknown>;
      const name = str(m.name);
      if (!name) continue;
      const rule: ImageRule = { name };
      const newName = str(m.newName);
      const newTag = typeof m.newTag === 'number' ? String(m.newTag) : str(m.newTag);
      const digest = str(m.digest);
      if (newName) rule.newName = newName;
      if (newTag) rule.newTag = newTag;
      if (digest) rule.digest = digest;
      if (newName || newTag || digest) images.push(rule);
    }
  }
  return { file, patches, resources, images };
}

/** The patch files a kustomization names, resolved against its folder. */
export function kustomizationPatches(text: string, file: string): string[] {
  return parseKustomization(text, file)?.patches.map((p) => p.file) ?? [];
}

/** An image reference with a kustomization's `images:` applied (kustomize matches the name without tag or digest). */
export function renameImage(ref: string, rules: readonly ImageRule[]): string {
  let name = ref;
  let suffix = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    suffix = name.slice(colon) + suffix;
    name = name.slice(0, colon);
  }
  const rule = rules.find((r) => r.name === name);
  if (!rule) return ref;
  const newName = rule.newName ?? name;
  if (rule.digest) return `${newName}@${rule.digest}`;
  if (rule.newTag) return `${newName}:${rule.newTag}`;
  return `${newName}${suffix}`;
}

export interface KustomizeResult {
  /** Every path read or probed. */
  dependencies: string[];
  /** The linted file's workloads that the kustomization changes: original → judged (new objects; the original is never changed). */
  replaced: Map<Workload, Workload>;
}

/** A resource file with the kustomizations that lead to it, outermost first. */
interface ResourceFile {
  file: string;
  chain: Kustomization[];
}

/** What the linted file is to the nearest kustomization that names it. */
type Role = { role: 'patch'; kustomization: Kustomization; patch: PatchRef } | { role: 'resource'; kustomization: Kustomization };

function findRole(file: string, reader: ReadFile, memo: ProjectMemo | undefined): Role | undefined {
  let dir = path.dirname(file);
  for (let up = 0; up < 3; up++) {
    for (const name of KUSTOMIZATION_NAMES) {
      const candidate = path.join(dir, name);
      if (candidate === file) continue;
      const text = reader(candidate);
      const k = text === undefined ? undefined : memoized(memo, 'kustomization', candidate, text, () => parseKustomization(text, candidate));
      if (!k) continue;
      const patch = k.patches.find((p) => p.file === file);
      if (patch) return { role: 'patch', kustomization: k, patch };
      if (k.resources.includes(file)) return { role: 'resource', kustomization: k };
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/** The resource files a kustomization builds from, following folder resources (their kustomization) breadth-first. */
function resourceFiles(k: Kustomization, reader: ReadFile, exclude: string, memo: ProjectMemo | undefined): ResourceFile[] {
  const out: ResourceFile[] = [];
  const seen = new Set<string>([k.file]);
  let level: { k: Kustomization; chain: Kustomization[] }[] = [{ k, chain: [k] }];
  for (let depth = 0; depth < MAX_NESTING && level.length > 0 && out.length < MAX_RESOURCE_FILES; depth++) {
    const next: typeof level = [];
    for (const { k: current, chain } of level) {
      for (const r of current.resources) {
        if (out.length >= MAX_RESOURCE_FILES) break;
        if (seen.has(r)) continue;
        seen.add(r);
        if (/\.(ya?ml|json)$/i.test(r)) {
          if (r !== exclude) out.push({ file: r, chain });
          continue;
        }
        // A folder: its kustomization.
        for (const name of KUSTOMIZATION_NAMES) {
          const kfile = path.join(r, name);
          if (seen.has(kfile)) continue;
          const text = reader(kfile);
          const inner = text === undefined ? undefined : memoized(memo, 'kustomization', kfile, text, () => parseKustomization(text, kfile));
          if (!inner) continue;
          seen.add(kfile);
          next.push({ k: inner, chain: [...chain, inner] });
          break;
        }
      }
    }
    level = next;
  }
  return out;
}

/** `Kind/name` of a workload, split. */
function identity(w: Workload): { kind: string; name: string } {
  const slash = w.name.indexOf('/');
  return { kind: w.name.slice(0, slash), name: w.name.slice(slash + 1) };
}

/** Whether a patch (its own kind/name, or its `target:`) applies to a workload. */
function patchApplies(patch: Workload, ref: PatchRef, base: Workload): boolean {
  const b = identity(base);
  if (ref.target && (ref.target.kind !== undefined || ref.target.name !== undefined)) {
    if (ref.target.selector) return false; // a label or annotation selector: not decided here
    return (ref.target.kind === undefined || ref.target.kind === b.kind) && (ref.target.name === undefined || matchName(ref.target.name, b.name));
  }
  return patch.name === base.name;
}

/** A target name: kustomize takes it as an anchored regular expression. */
function matchName(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!/[\\^$.*+?()[\]{}|]/.test(pattern)) return false;
  try {
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return false;
  }
}

function kubeWorkloads(file: string, text: string, memo: ProjectMemo | undefined): Workload[] {
  return memoized(memo, 'kubernetes', file, text, () => {
    try {
      return parseYaml(text, file, undefined).workloads.filter((w) => w.kind === 'kubernetes');
    } catch {
      return [];
    }
  });
}

function kindOf(c: Container): string {
  return c.label.slice(0, c.label.indexOf(' "'));
}

function findContainer(list: readonly Container[], c: Container): Container | undefined {
  const what = kindOf(c);
  return list.find((x) => x.name === c.name && kindOf(x) === what);
}

/** A path as messages show it: relative to the linted file's folder, with `/`. */
function shown(from: string, file: string): string {
  return path.relative(path.dirname(from), file).split(path.sep).join('/') || path.basename(file);
}

function relatedTo(file: string, text: string, c: Container, from: string, verb: string): RelatedInfo {
  const range = rangeOf(text, c.anchor);
  return { span: c.anchor, path: file, range, message: `${verb} ${shown(from, file)}:${range.start.line + 1} (${kindOf(c)} "${c.name}")` };
}

/** The container with its image renamed by the kustomizations' `images:` (innermost first); the same object when none applies. */
function withImages(c: Container, chains: readonly Kustomization[]): Container {
  if (!c.image) return c;
  let value = c.image.value;
  for (let i = chains.length - 1; i >= 0; i--) value = renameImage(value, chains[i].images);
  if (value === c.image.value) return c;
  const image: Located<string> = { ...c.image, value };
  const owner = foreignFile(c.image);
  if (owner !== undefined) markForeignValue(image, owner);
  return { ...c, image };
}

/**
 * What the kustomization around `file` does to its Kubernetes workloads. The parsed file is not
 * changed: the workloads to judge instead are returned.
 */
export function applyKustomize(parsed: ParsedFile, file: string, readFile: ReadFile, memo?: ProjectMemo): KustomizeResult {
  const tried = new Set<string>();
  const reader: ReadFile = (p) => {
    tried.add(p);
    return read(readFile, p);
  };
  const replaced = new Map<Workload, Workload>();
  const role = findRole(file, reader, memo);
  const workloads = parsed.workloads.filter((w) => w.kind === 'kubernetes');
  if (!role) return { dependencies: [...tried], replaced };
  const k = role.kustomization;
  const where = path.relative(path.dirname(file), k.file) || path.basename(k.file);
  if (role.role === 'patch') {
    // Resource files are read and parsed only until every workload's base is found.
    type Base = { file: string; text: string; chain: Kustomization[]; workloads: Workload[] };
    const loaded: Base[] = [];
    let pending: ResourceFile[] | undefined;
    const lookup = (w: Workload): { file: string; text: string; chain: Kustomization[]; workload: Workload } | undefined => {
      const match = (b: Base) => {
        const workload = b.workloads.find((bw) => patchApplies(w, role.patch, bw));
        return workload ? { file: b.file, text: b.text, chain: b.chain, workload } : undefined;
      };
      for (const b of loaded) {
        const m = match(b);
        if (m) return m;
      }
      pending ??= resourceFiles(k, reader, file, memo);
      while (pending.length > 0) {
        const r = pending.shift() as ResourceFile;
        const text = reader(r.file);
        if (text === undefined) continue;
        const b: Base = { file: r.file, text, chain: r.chain, workloads: kubeWorkloads(r.file, text, memo) };
        loaded.push(b);
        const m = match(b);
        if (m) return m;
      }
      return undefined;
    };
    for (const w of workloads) {
      const found = lookup(w);
      if (!found) {
        // No base in reach: judged on what the patch sets, its missing settings left to the base.
        replaced.set(w, { ...w, missingReportedIn: where, containers: w.containers.map((c) => withImages({ ...c, missingReportedIn: where }, [k])) });
        continue;
      }
      const base = found.workload;
      markForeign(base, found.file);
      const containers: Container[] = [];
      for (const c of w.containers) {
        if (containerDeleted(c)) continue;
        const bc = findContainer(base.containers, c);
        const merged = mergeKubeContainer(bc, c, base, w);
        if (bc) {
          merged.missingReportedIn = shown(file, found.file);
          merged.related = [relatedTo(found.file, found.text, bc, file, 'merged onto')];
          merged.base = { container: bc, workload: base, linted: 'patch' };
        } else {
          // Only the patch declares it: judged here, on what it sets and what the base's pod gives it.
          const range = rangeOf(found.text, base.anchor);
          merged.related = [{ span: base.anchor, path: found.file, range, message: `added to ${base.name} of ${shown(file, found.file)}:${range.start.line + 1}` }];
        }
        containers.push(withImages(merged, found.chain));
      }
      replaced.set(w, { ...mergeKubeWorkload(base, w), name: w.name, anchor: w.anchor, ref: w.ref, missingReportedIn: where, containers });
    }
  } else {
    // A resource: the kustomization's strategic-merge patches that apply to it, merged over it.
    const patches: { file: string; text: string; ref: PatchRef; workloads: Workload[] }[] = [];
    for (const ref of k.patches) {
      if (ref.file === file) continue;
      const text = reader(ref.file);
      if (text === undefined) continue;
      const ws = kubeWorkloads(ref.file, text, memo);
      if (ws.length > 0) patches.push({ file: ref.file, text, ref, workloads: ws });
    }
    for (const w of workloads) {
      let judged = w;
      const related = new Map<Container, RelatedInfo[]>();
      let containers = w.containers;
      for (const p of patches) {
        for (const pw of p.workloads) {
          if (!patchApplies(pw, p.ref, w)) continue;
          markForeign(pw, p.file);
          judged = { ...mergeKubeWorkload(judged, pw), name: w.name, anchor: w.anchor, ref: w.ref };
          const next: Container[] = [];
          for (const c of containers) {
            const pc = findContainer(pw.containers, c);
            if (!pc) {
              // Not patched itself, but the pod-level settings it inherits may be.
              next.push(mergeKubeContainer(c, c, judged, judged, 'base'));
              continue;
            }
            if (containerDeleted(pc)) continue;
            const merged = mergeKubeContainer(c, pc, judged, pw, 'base');
            merged.base = { container: w.containers.find((x) => x.name === c.name && x.label === c.label) ?? c, workload: w, linted: 'base' };
            related.set(merged, [...(related.get(c) ?? []), relatedTo(p.file, p.text, pc, file, 'patched by')]);
            next.push(merged);
          }
          containers = next;
        }
      }
      containers = containers.map((c) => {
        const r = related.get(c);
        const out = withImages(r ? { ...c, related: r } : c, [k]);
        return out;
      });
      if (judged !== w || containers.some((c, i) => c !== w.containers[i]) || containers.length !== w.containers.length) replaced.set(w, { ...judged, containers });
    }
  }
  tried.delete(file);
  return { dependencies: [...tried], replaced };
}

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
import { isScalar } from 'yaml';
import type { Document, Scalar, YAMLMap } from 'yaml';
import type { KubernetesRef } from '../adapters/kubernetes';
import type { AdapterProblem, ParsedFile } from '../adapters/types';
import { parseYaml } from '../adapters/yaml';
import type { YNode } from '../adapters/yaml-util';
import { asSeq, get } from '../adapters/yaml-util';
import type { ReadFile } from '../cross-file';
import type { ListDir } from '../formats/helm/chart';
import { rangeOf, readQuietly } from '../cross-file';
import type { Container, Located, RelatedInfo, Span, Workload } from '../model';
import { kubernetesWorkloads } from '../adapters/kubernetes';
import { scalarTextMap } from '../formats/run/read';
import type { JsonPatch, JsonPatchOp } from './json-patch';
import { applyJsonPatch, readJsonPatch } from './json-patch';
import type { Region } from './patched-read';
import { CombinedText, parseEmbedded, readPatched } from './patched-read';
import type { ResourceId, TargetSelector } from './selector';
import { resourceIdOf, targetSelects } from './selector';
import { foreignFile, markForeign, markForeignValue } from './foreign';
import { containerDeleted, mergeKubeContainer, mergeKubeWorkload } from './kube-merge';
import type { ProjectMemo } from './memo';
import { memoized } from './memo';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Whether a path names a kustomization (its inline patches are judged in it). */
export function isKustomizationPath(file: string): boolean {
  return KUSTOMIZATION_NAMES.includes(path.basename(file));
}

/** Kustomizations nested deeper than this through folder resources are not followed. */
const MAX_NESTING = 6;
/** At most this many resource files are read to find the bases of one file's patches. */
const MAX_RESOURCE_FILES = 64;

/** A `target:` as kustomize reads it (selector.ts matches it). */
export type Target = TargetSelector;

export interface PatchRef {
  /** The patch file, resolved against the kustomization's folder (an inline patch: the kustomization). */
  file: string;
  /** An inline patch (`patch: |-`, or a patchesStrategicMerge string): its scalar in the kustomization. */
  inline?: Scalar;
  /** `target:` of a `patches` / `patchesJson6902` entry. */
  target?: Target;
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface Kustomization {
  file: string;
  text: string;
  patches: PatchRef[];
  /** `resources` and `bases`, resolved against its folder (files or folders; remote ones left out). */
  resources: string[];
  images: ImageRule[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A kustomization's text, read; undefined when it is not one (not a map, or unreadable YAML). */
export function parseKustomization(text: string, file: string): Kustomization | undefined {
  if (!/^(patches|patchesStrategicMerge|patchesJson6902|resources|bases|images)\s*:/m.test(text)) return undefined;
  let js: unknown;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false }) as Document.Parsed;
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
    const nodes = asSeq(get(doc.contents, key, doc)?.value)?.items ?? [];
    list.forEach((item, i) => {
      // patchesStrategicMerge: a path, or an inline patch (a string with line breaks); the others: maps with `path` or `patch`.
      const map = item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined;
      const written = str(item) ?? (map ? str(map.path) : undefined);
      const patchFile = local(written);
      const node = nodes[i] as YNode | undefined;
      const inlineNode = typeof item === 'string' && item.includes('\n') ? node : map && typeof map.patch === 'string' ? get(node, 'patch', doc)?.value : undefined;
      if (!patchFile && !(inlineNode && isScalar(inlineNode))) return;
      const ref: PatchRef = { file: patchFile ?? file };
      if (!patchFile) ref.inline = inlineNode as Scalar;
      const t = map?.target;
      if (t && typeof t === 'object') {
        const target = t as Record<string, unknown>;
        const out: Target = {};
        for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
          const v = str(target[k]);
          if (v !== undefined) out[k] = v;
        }
        ref.target = out;
      }
      patches.push(ref);
    });
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
  return { file, text, patches, resources, images };
}

/** The patch files a kustomization names, resolved against its folder. */
export function kustomizationPatches(text: string, file: string): string[] {
  return parseKustomization(text, file)?.patches.flatMap((p) => (p.inline ? [] : [p.file])) ?? [];
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
  /** Workloads the linted file's own model does not have, by document index: a JSON 6902 patch judged on each resource it targets. */
  added: Map<number, Workload[]>;
  /** Problems of a document (by index): a patch operation kustomize would refuse. */
  problems: Map<number, AdapterProblem[]>;
  /** Containers whose fixes must stay inside these spans (the values the linted JSON patch writes). */
  bounds: Map<Container, Span[]>;
}

/** A resource file's Kubernetes workloads, and the document ranges that hold them (their spans are relative to those). */
interface KubeModel {
  workloads: Workload[];
  units: { start: number; end: number; workloads: Workload[] }[];
}

/** A resource file with the kustomizations that lead to it, outermost first. */
interface ResourceFile {
  file: string;
  chain: Kustomization[];
}

/** What the linted file is to the nearest kustomization that names it. */
type Role = { role: 'patch'; kustomization: Kustomization; patches: PatchRef[] } | { role: 'resource'; kustomization: Kustomization };

function findRole(file: string, reader: ReadFile, memo: ProjectMemo | undefined): Role | undefined {
  let dir = path.dirname(file);
  for (let up = 0; up < 3; up++) {
    for (const name of KUSTOMIZATION_NAMES) {
      const candidate = path.join(dir, name);
      if (candidate === file) continue;
      const text = reader(candidate);
      const k = text === undefined ? undefined : memoized(memo, 'kustomization', candidate, text, () => parseKustomization(text, candidate));
      if (!k) continue;
      const patches = k.patches.filter((p) => p.file === file);
      if (patches.length > 0) return { role: 'patch', kustomization: k, patches };
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

/** The identity kustomize matches a target against, from the workload's own document. */
function resourceOf(w: Workload): ResourceId | undefined {
  const ref = w.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes') return undefined;
  const id = resourceIdOf(ref.doc.contents ?? undefined, ref.doc);
  // A `kind: List` item: its name is the workload's, the rest of the identity is not read here.
  return id && `${id.kind}/${id.name}` === w.name ? id : undefined;
}

/** Whether a patch (its own kind/name, or its `target:`) applies to a workload. */
function patchApplies(patch: Workload | undefined, ref: PatchRef, base: Workload): boolean {
  if (ref.target) {
    const id = resourceOf(base);
    return !!id && targetSelects(ref.target, id);
  }
  return patch !== undefined && patch.name === base.name;
}

function kubeModel(file: string, text: string, memo: ProjectMemo | undefined): KubeModel {
  return memoized(memo, 'kubernetes', file, text, () => {
    try {
      const parsed = parseYaml(text, file, undefined);
      const units = (parsed.documents ?? [{ start: 0, end: text.length, workloads: parsed.workloads }]).map((d) => ({ start: d.start, end: d.end, workloads: d.workloads.filter((w) => w.kind === 'kubernetes') }));
      return { workloads: units.flatMap((u) => u.workloads), units };
    } catch {
      return { workloads: [], units: [] };
    }
  });
}

/** Where a workload's document starts in its file (its spans are relative to it). */
function unitOf(model: KubeModel, w: Workload): { start: number; end: number } {
  return model.units.find((u) => u.workloads.includes(w)) ?? { start: 0, end: 0 };
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

/** Related information on a span of another file (`at`: where that span's document starts there). */
function relatedAt(file: string, text: string, span: Span, at: number, message: (line: number) => string): RelatedInfo {
  const range = rangeOf(text, { start: span.start + at, end: span.end + at });
  return { span, path: file, range, message: message(range.start.line + 1) };
}

function relatedTo(file: string, text: string, c: Container, from: string, verb: string, at = 0): RelatedInfo {
  return relatedAt(file, text, c.anchor, at, (line) => `${verb} ${shown(from, file)}:${line} (${kindOf(c)} "${c.name}")`);
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

/** Whether a text may be a JSON 6902 patch: an `op:` at the start of a list item (YAML) or a list of objects (JSON). */
function jsonPatchIn(text: string): boolean {
  // Each optional part begins with a character of its own, so no two quantifiers compete for the same blanks.
  return /^[ \t]*(?:-[ \t]*)?(?:\{[ \t]*)?["']?op["']?[ \t]*:/m.test(text.slice(0, 4096)) || /^\s*\[\s*\{/.test(text);
}

/** Whether the text may be a JSON 6902 patch, so that the engine asks the project view about it although it has no workloads. */
export function mayBeJsonPatch(text: string): boolean {
  return jsonPatchIn(text);
}

const POD_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The container map and `securityContext` value of a container read from a patched tree. */
function containerNodes(c: Container): { map?: YAMLMap; sc?: YNode } {
  const ref = c.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes') return {};
  return { map: ref.container, sc: get(ref.container, 'securityContext', ref.doc)?.value };
}

/** Every node range of a subtree (bounded), to tell which files wrote into it. */
function rangesIn(node: unknown, out: number[], budget = { left: 2000 }): void {
  if (!node || typeof node !== 'object' || budget.left-- <= 0) return;
  const n = node as { range?: [number, number, number]; items?: unknown[]; key?: unknown; value?: unknown };
  if (n.range) out.push(n.range[0]);
  if (Array.isArray(n.items)) for (const it of n.items) rangesIn(it, out, budget);
  else if ('key' in n && 'value' in n) {
    rangesIn(n.key, out, budget);
    rangesIn(n.value, out, budget);
  }
}

/** The operation of a patch that wrote a node (its value is that node or holds it). */
function opWriting(ops: readonly JsonPatchOp[], node: YNode | undefined): JsonPatchOp | undefined {
  const at = node?.range?.[0];
  if (at === undefined) return undefined;
  return ops.find((o) => o.value?.range && at >= o.value.range[0] && at <= o.value.range[1]);
}

/** The first operation of a patch that reaches into a pod-level list item (`…/containers/0/…`) at this index, else the first one. */
function opInto(ops: readonly JsonPatchOp[], list: string, index: number): JsonPatchOp | undefined {
  return ops.find((o) => o.path.some((t, i) => POD_LISTS.has(t) && t === list && o.path[i + 1] === String(index))) ?? ops[0];
}

/** Whether an operation changes this container: its path goes into the container's list at its index, or into no container list. */
function reaches(op: JsonPatchOp, c: Container, all: readonly Container[]): boolean {
  const at = op.path.findIndex((t) => POD_LISTS.has(t));
  if (at < 0) return true;
  const index = all.filter((x) => kindOf(x) === kindOf(c)).indexOf(c);
  return op.path[at] === listKeyOf(c) && (op.path[at + 1] === undefined || op.path[at + 1] === '-' || op.path[at + 1] === String(index));
}

function listKeyOf(c: Container): string {
  const k = kindOf(c);
  return k === 'container' ? 'containers' : k === 'init container' ? 'initContainers' : 'ephemeralContainers';
}

/** An operation kustomize would refuse on this resource: the build stops there. */
function failedOp(reason: string, op: JsonPatchOp, resource: string, file: string): AdapterProblem {
  return {
    ruleId: 'skipped',
    severity: 'info',
    message: `Not applied: this ${op.op} fails on ${resource} (${reason})`,
    detail: `${op.op} ${op.pointer} fails on ${resource} of ${file}: ${reason}. kustomize applies the operations of a JSON 6902 patch in order and stops the build when one fails ("replace", "remove" and "test" need the path to exist, "add" needs its parent), so this patch is not judged on ${resource}, and ${resource} is judged without it.`,
    span: op.span,
  };
}

/**
 * What the kustomization around `file` does to its Kubernetes workloads. The parsed file is not
 * changed: the workloads to judge instead are returned.
 */
export function applyKustomize(parsed: ParsedFile, file: string, text: string, readFile: ReadFile, memo?: ProjectMemo, listDir?: ListDir): KustomizeResult {
  const tried = new Set<string>();
  const reader: ReadFile = (p) => {
    tried.add(p);
    return readQuietly(readFile, p);
  };
  const result: KustomizeResult = { dependencies: [], replaced: new Map(), added: new Map(), problems: new Map(), bounds: new Map() };
  // The linted file is a kustomization with inline patches: they are judged here, in it.
  const self = isKustomizationPath(file) ? memoized(memo, 'kustomization', file, text, () => parseKustomization(text, file)) : undefined;
  const inline = self?.patches.filter((p) => p.inline) ?? [];
  const role: Role | undefined = self && inline.length > 0 ? { role: 'patch', kustomization: self, patches: inline } : findRole(file, reader, memo);
  if (!role) {
    result.dependencies = [...tried];
    return result;
  }
  const workloads = parsed.workloads.filter((w) => w.kind === 'kubernetes');
  const k = role.kustomization;
  const where = path.relative(path.dirname(file), k.file) || path.basename(k.file);
  // Resource files are read and parsed only as far as they are needed.
  type Base = { file: string; text: string; chain: Kustomization[]; model: KubeModel };
  const loaded: Base[] = [];
  let pending: ResourceFile[] | undefined;
  const loadNext = (): Base | undefined => {
    pending ??= resourceFiles(k, reader, file, memo);
    while (pending.length > 0) {
      const r = pending.shift() as ResourceFile;
      const t = reader(r.file);
      if (t === undefined) continue;
      const b: Base = { file: r.file, text: t, chain: r.chain, model: kubeModel(r.file, t, memo) };
      loaded.push(b);
      return b;
    }
    return undefined;
  };
  if (role.role === 'patch') {
    const lookup = (w: Workload, refs: readonly PatchRef[]): { base: Base; workload: Workload } | undefined => {
      const match = (b: Base) => {
        const workload = b.model.workloads.find((bw) => refs.some((ref) => patchApplies(w, ref, bw)));
        return workload ? { base: b, workload } : undefined;
      };
      for (const b of loaded) {
        const m = match(b);
        if (m) return m;
      }
      for (let b = loadNext(); b; b = loadNext()) {
        const m = match(b);
        if (m) return m;
      }
      return undefined;
    };
    /** A strategic-merge patch's workload merged onto its base (undefined: no base in reach). */
    const merge = (w: Workload, refs: readonly PatchRef[]): Workload | undefined => {
      const found = lookup(w, refs);
      if (!found) return undefined;
      const base = found.workload;
      const at = unitOf(found.base.model, base).start;
      markForeign(base, found.base.file);
      const containers: Container[] = [];
      for (const c of w.containers) {
        if (containerDeleted(c)) continue;
        const bc = findContainer(base.containers, c);
        const merged = mergeKubeContainer(bc, c, base, w);
        if (bc) {
          merged.missingReportedIn = shown(file, found.base.file);
          merged.related = [relatedTo(found.base.file, found.base.text, bc, file, 'merged onto', at)];
          merged.base = { container: bc, workload: base, linted: 'patch' };
        } else {
          // Only the patch declares it: judged here, on what it sets and what the base's pod gives it.
          merged.related = [relatedAt(found.base.file, found.base.text, base.anchor, at, (line) => `added to ${base.name} of ${shown(file, found.base.file)}:${line}`)];
        }
        containers.push(withImages(merged, found.base.chain));
      }
      return { ...mergeKubeWorkload(base, w), name: w.name, anchor: w.anchor, ref: w.ref, missingReportedIn: where, containers };
    };
    if (self && inline.length > 0) {
      judgeInline(parsed, text, self, inline, merge, (unit, own, doc, patch, refs) => judgeOps(file, own, doc, patch, refs, where, loaded, loadNext, result, unit), result);
    } else {
      for (const w of workloads) {
        const merged = merge(w, role.patches);
        // No base in reach: judged on what the patch sets, its missing settings left to the base.
        result.replaced.set(w, merged ?? { ...w, missingReportedIn: where, containers: w.containers.map((c) => withImages({ ...c, missingReportedIn: where }, [k])) });
      }
      if (workloads.length === 0 && parsed.documents) judgeJsonPatch(parsed, file, text, role, where, loaded, loadNext, result);
    }
  } else {
    judgeResource(parsed, file, text, k, reader, memo, result, listDir);
  }
  tried.delete(file);
  result.dependencies = [...tried];
  return result;
}

/** The linted file as a JSON 6902 patch, judged on every workload its targets select. */
function judgeJsonPatch(
  parsed: ParsedFile,
  file: string,
  text: string,
  role: Extract<Role, { role: 'patch' }>,
  where: string,
  loaded: { file: string; text: string; chain: Kustomization[]; model: KubeModel }[],
  loadNext: () => { file: string; text: string; chain: Kustomization[]; model: KubeModel } | undefined,
  result: KustomizeResult,
): void {
  const documents = parsed.documents ?? [];
  const index = documents.findIndex((d) => d.workloads.length === 0);
  const placed = documents[index];
  if (!placed) return;
  const own = text.slice(placed.start, placed.end);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(own, { uniqueKeys: false, strict: false }) as Document.Parsed;
  } catch {
    return;
  }
  const patch = readJsonPatch(doc, own);
  if (!patch) return;
  judgeOps(file, own, doc, patch, role.patches, where, loaded, loadNext, result, index);
}

type Loaded = { file: string; text: string; chain: Kustomization[]; model: KubeModel };

/** A JSON 6902 patch the linted file holds (`own`: the text of its document `index`), judged on every workload its targets select. */
function judgeOps(
  file: string,
  own: string,
  doc: Document.Parsed,
  patch: JsonPatch,
  refs: readonly PatchRef[],
  where: string,
  loaded: Loaded[],
  loadNext: () => Loaded | undefined,
  result: KustomizeResult,
  index: number,
): void {
  const targeted = refs.filter((p) => p.target);
  if (targeted.length === 0) return;
  // Every resource of the kustomization: a target may select several.
  while (loadNext());
  const added: Workload[] = [];
  const problems: AdapterProblem[] = [];
  // A block value's lines from their start (a pair's fix removes its whole line).
  const lineStart = (o: number) => {
    let i = o;
    while (i > 0 && (own[i - 1] === ' ' || own[i - 1] === '\t')) i--;
    return i === 0 || own[i - 1] === '\n' ? i : o;
  };
  // A fix may edit only a map the patch writes whole (the container, or its securityContext): the
  // writer places a new key from that map's own lines. Anything else it would place from a
  // patched map that mixes the base's keys with the patch's, at a wrong place.
  const within = (node: { range?: [number, number, number] | null } | undefined): Span[] => (node?.range ? [{ start: lineStart(node.range[0]), end: node.range[2] }] : []);
  for (const b of loaded) {
    for (const bw of b.model.workloads) {
      if (!targeted.some((ref) => patchApplies(undefined, ref, bw))) continue;
      const unit = unitOf(b.model, bw);
      const combined = new CombinedText(own);
      const { docs } = combined.add(b.file, b.text.slice(unit.start, unit.end));
      const baseDoc = docs.find((d) => {
        const id = resourceIdOf(d.contents ?? undefined, d);
        return id !== undefined && `${id.kind}/${id.name}` === bw.name;
      });
      if (!baseDoc || !baseDoc.contents) continue;
      const applied = applyJsonPatch(baseDoc.contents as YNode, patch.ops, baseDoc, doc);
      if (applied.failed) {
        problems.push(failedOp(applied.failed.reason, applied.failed.op, bw.name, shown(file, b.file)));
        continue;
      }
      const judged = readPatched(applied.root, doc, combined).find((x) => x.name === bw.name);
      if (!judged) continue;
      const containers: Container[] = [];
      for (const c of judged.containers) {
        const nodes = containerNodes(c);
        if (foreignFile(c.anchor) === undefined) {
          // A container the patch adds: judged here, what it lacks included.
          c.related = [relatedAt(b.file, b.text, bw.anchor, unit.start, (line) => `added to ${bw.name} of ${shown(file, b.file)}:${line}`)];
          result.bounds.set(c, within(nodes.map));
          containers.push(withImages(c, b.chain));
          continue;
        }
        const bc = findContainer(bw.containers, c);
        const scNode = nodes.sc;
        const scOwn = scNode?.range !== undefined && combined.regionOf(scNode.range[0]) === undefined;
        const related = bc ? [relatedTo(b.file, b.text, bc, file, 'merged onto', unit.start)] : [];
        if (scOwn) {
          // The patch writes the whole securityContext: what it lacks is the patch's to add, on that operation.
          const op = opWriting(patch.ops, scNode);
          const anchor: Span = op ? { ...op.pathSpan } : { start: scNode.range?.[0] ?? 0, end: scNode.range?.[1] ?? 0 };
          const out: Container = { ...c, anchor, related };
          result.bounds.set(out, within(scNode));
          containers.push(withImages(out, b.chain));
          continue;
        }
        // The base's securityContext, changed or not by the patch: what the base lacks too is reported there.
        const index = bc ? bw.containers.filter((x) => kindOf(x) === kindOf(bc)).indexOf(bc) : -1;
        const op = opInto(patch.ops, listKeyOf(c), index);
        const out: Container = { ...c, anchor: op ? { ...op.span } : c.anchor, related, missingReportedIn: shown(file, b.file) };
        if (bc) out.base = { container: bc, workload: bw, linted: 'patch' };
        result.bounds.set(out, []); // no map of its own: no fix through the patch
        containers.push(withImages(out, b.chain));
      }
      added.push({ ...judged, containers, missingReportedIn: where });
    }
  }
  for (const inv of patch.invalid) problems.push({ ruleId: 'skipped', severity: 'info', message: `Not applied: ${inv.reason}`, span: inv.span });
  if (added.length > 0) result.added.set(index, [...(result.added.get(index) ?? []), ...added]);
  if (problems.length > 0) result.problems.set(index, [...(result.problems.get(index) ?? []), ...problems]);
}

/**
 * The inline patches of the linted kustomization, judged in it: each read from its block scalar
 * with every node placed where its characters are written (scalarTextMap), so findings and fixes
 * land on the exact line and column. JSON 6902 ones go through `ops`; strategic-merge ones are
 * merged onto their base (`merge`), their fixes kept inside the block.
 */
function judgeInline(
  parsed: ParsedFile,
  text: string,
  k: Kustomization,
  inline: readonly PatchRef[],
  merge: (w: Workload, refs: readonly PatchRef[]) => Workload | undefined,
  ops: (index: number, own: string, doc: Document.Parsed, patch: JsonPatch, refs: readonly PatchRef[]) => void,
  result: KustomizeResult,
): void {
  const documents = parsed.documents ?? [];
  for (const ref of inline) {
    const node = ref.inline;
    const at = node?.range?.[0];
    if (!node || at === undefined) continue;
    const index = documents.findIndex((d) => at >= d.start && at < d.end);
    const unit = documents[index];
    if (!unit) continue;
    const source = scalarTextMap(k.text, node);
    if (!source) continue;
    const own = text.slice(unit.start, unit.end);
    const doc = parseEmbedded(source, -unit.start);
    if (!doc) continue;
    const patch = readJsonPatch(doc, own);
    if (patch) {
      ops(index, own, doc, patch, [ref]);
      continue;
    }
    let workloads: Workload[];
    try {
      workloads = kubernetesWorkloads(doc, own);
    } catch {
      continue;
    }
    // The block's text: a fix edits nothing outside it.
    const block = [{ start: (source.map[0] ?? at) - unit.start, end: (node.range?.[1] ?? at) - unit.start }];
    const added: Workload[] = [];
    for (const w of workloads) {
      const merged = merge(w, [ref]);
      const judged = merged ?? { ...w, missingReportedIn: 'its base', containers: w.containers.map((c) => ({ ...c, missingReportedIn: 'its base' })) };
      for (const c of judged.containers) result.bounds.set(c, block);
      added.push(judged);
    }
    if (added.length > 0) result.added.set(index, [...(result.added.get(index) ?? []), ...added]);
  }
}

/** A resource: the kustomization's patches that select it, JSON 6902 ones first on the tree, then strategic-merge ones on the model. */
function judgeResource(parsed: ParsedFile, file: string, text: string, k: Kustomization, reader: ReadFile, memo: ProjectMemo | undefined, result: KustomizeResult, listDir: ListDir | undefined): void {
  const patches: { file: string; text: string; ref: PatchRef; workloads: Workload[]; json: boolean; source?: { text: string; map: number[] }; at?: number }[] = [];
  for (const ref of k.patches) {
    if (ref.inline) {
      // An inline patch: its text, with each character's place in the kustomization.
      const source = scalarTextMap(k.text, ref.inline);
      if (!source) continue;
      if (jsonPatchIn(source.text)) {
        if (ref.target) patches.push({ file: k.file, text: k.text, ref, workloads: [], json: true, source });
        continue;
      }
      const idoc = parseEmbedded(source, 0);
      let ws: Workload[] = [];
      try {
        ws = idoc ? kubernetesWorkloads(idoc, k.text) : [];
      } catch {
        ws = [];
      }
      if (ws.length > 0) patches.push({ file: k.file, text: k.text, ref, workloads: ws, json: false, at: 0 });
      continue;
    }
    if (ref.file === file) continue;
    const t = reader(ref.file);
    if (t === undefined) continue;
    if (jsonPatchIn(t)) {
      if (ref.target) patches.push({ file: ref.file, text: t, ref, workloads: [], json: true });
      continue;
    }
    const ws = kubeModel(ref.file, t, memo).workloads;
    if (ws.length > 0) patches.push({ file: ref.file, text: t, ref, workloads: ws, json: false });
  }
  const overlays = listDir ? overlayPatches(k, file, reader, listDir, memo) : [];
  if (patches.length === 0 && overlays.length === 0) {
    for (const w of parsed.workloads) {
      if (w.kind !== 'kubernetes') continue;
      const containers = w.containers.map((c) => withImages(c, [k]));
      if (containers.some((c, i) => c !== w.containers[i])) result.replaced.set(w, { ...w, containers });
    }
    return;
  }
  const documents = parsed.documents ?? [{ start: 0, end: text.length, workloads: parsed.workloads }];
  for (const placed of documents) {
    for (const w of placed.workloads) {
      if (w.kind !== 'kubernetes') continue;
      let judged = w;
      const related = new Map<Container, RelatedInfo[]>();
      let containers = w.containers;
      const json = patches.filter((p) => p.json && patchApplies(undefined, p.ref, w));
      const ref = w.ref as KubernetesRef | undefined;
      if (json.length > 0 && ref?.format === 'kubernetes' && ref.doc.contents) {
        const own = text.slice(placed.start, placed.end);
        const combined = new CombinedText(own);
        let root = ref.doc.contents as YNode;
        const used: { file: string; text: string; region: Region; ops: JsonPatchOp[] }[] = [];
        for (const p of json) {
          let region: Region;
          let pdoc: Document.Parsed | undefined;
          if (p.source) {
            region = combined.addText(p.file, p.text);
            pdoc = parseEmbedded(p.source, region.start);
          } else {
            const added = combined.add(p.file, p.text);
            region = added.region;
            pdoc = added.docs[0];
          }
          const patch = pdoc ? readJsonPatch(pdoc, combined.text) : undefined;
          if (!patch || !pdoc) continue;
          const applied = applyJsonPatch(root, patch.ops, ref.doc, pdoc);
          if (applied.failed) continue; // kustomize stops the build: judged without this patch
          root = applied.root;
          used.push({ file: p.file, text: p.text, region, ops: patch.ops });
        }
        const patched = used.length > 0 ? readPatched(root, ref.doc, combined).find((x) => x.name === w.name) : undefined;
        if (patched) {
          judged = { ...patched, anchor: w.anchor, ref: w.ref };
          containers = [];
          for (const c of patched.containers) {
            if (foreignFile(c.anchor) !== undefined) {
              containers.push(c); // added by a patch: reported there
              continue;
            }
            const bc = findContainer(w.containers, c);
            const starts: number[] = [];
            rangesIn(containerNodes(c).map, starts);
            const by = used.filter((u) => starts.some((s) => s >= u.region.start && s <= u.region.start + u.region.length));
            const rel = by.map((u) => {
              const op = u.ops.find((o) => o.value?.range && starts.includes(o.value.range[0])) ?? u.ops[0];
              const span = { start: op.span.start - u.region.start, end: op.span.end - u.region.start };
              return relatedAt(u.file, u.text, span, 0, (line) => `patched by ${shown(file, u.file)}:${line} (${op.op} ${op.pointer})`);
            });
            const sc = containerNodes(c).sc;
            const scRegion = sc?.range ? combined.regionOf(sc.range[0]) : undefined;
            // Fixes edit the base's own container (never the patched tree, which holds other files' nodes).
            const out: Container = { ...c, anchor: bc?.anchor ?? c.anchor, ref: bc?.ref ?? c.ref };
            if (scRegion) out.missingReportedIn = shown(file, scRegion.file); // a patch writes the whole securityContext: what it lacks is the patch's
            else if (bc) out.base = { container: bc, workload: w, linted: 'base' };
            if (rel.length > 0) related.set(out, rel);
            containers.push(out);
          }
        }
      }
      for (const p of patches) {
        if (p.json) continue;
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
            related.set(merged, [...(related.get(c) ?? []), relatedTo(p.file, p.text, pc, file, 'patched by', p.at ?? unitOf(kubeModel(p.file, p.text, memo), pw).start)]);
            next.push(merged);
          }
          containers = next;
        }
      }
      // Overlays that build on this kustomization and patch the workload: related information only
      // (this file is built without them too, so they change nothing of its judgment).
      for (const o of overlays) {
        const pw = o.workloads[0];
        if (!patchApplies(pw, o.ref, w)) continue;
        for (const c of containers) {
          const pc = pw ? findContainer(pw.containers, c) : undefined;
          if (pw && !pc) continue;
          if (o.ops && !o.ops.some((op) => reaches(op, c, containers))) continue;
          const info = pc ? relatedTo(o.file, o.text, pc, file, 'patched by overlay', o.at) : relatedAt(o.file, o.text, o.span, 0, (line) => `patched by overlay ${shown(file, o.file)}:${line}`);
          related.set(c, [...(related.get(c) ?? []), info]);
        }
      }
      containers = containers.map((c) => {
        const r = related.get(c);
        return withImages(r ? { ...c, related: r } : c, [k]);
      });
      if (judged !== w || containers.some((c, i) => c !== w.containers[i]) || containers.length !== w.containers.length) result.replaced.set(w, { ...judged, containers });
    }
  }
}

/** Folders listed, and overlay kustomizations read, at most, to find the overlays of one kustomization. */
const MAX_OVERLAY_DIRS = 48;
const MAX_OVERLAYS = 16;

interface OverlayPatch {
  file: string;
  text: string;
  ref: PatchRef;
  /** A strategic-merge patch's workloads (empty: a JSON 6902 patch, placed by `span`). */
  workloads: Workload[];
  /** Where its document starts (strategic merge) in `file`. */
  at: number;
  /** The first operation (JSON 6902), or the inline patch's block. */
  span: Span;
  /** A JSON 6902 patch's operations: a container is shown the patch when an operation reaches into it or into no container at all. */
  ops?: JsonPatchOp[];
}

/**
 * The patches of overlays: kustomizations near `k` (below its folder's parent or grandparent, two
 * levels down at most, as `base/` and `overlays/prod/` sit) whose resources lead to `file` through
 * `k`'s folder. Their patches do not change how the file is judged (it is built without them
 * too); they are shown with its findings, as where the built output changes it.
 */
function overlayPatches(k: Kustomization, file: string, reader: ReadFile, listDir: ListDir, memo: ProjectMemo | undefined): OverlayPatch[] {
  const kdir = path.dirname(k.file);
  const found: string[] = [];
  let listed = 0;
  const seen = new Set<string>([kdir]);
  const walk = (dir: string, depth: number) => {
    if (listed >= MAX_OVERLAY_DIRS || found.length >= MAX_OVERLAYS) return;
    listed++;
    const names = listDir(dir) ?? [];
    const own = names.find((n) => KUSTOMIZATION_NAMES.includes(n));
    if (own && !seen.has(dir)) found.push(path.join(dir, own));
    seen.add(dir);
    if (depth === 0) return;
    for (const n of names) {
      if (!n.endsWith('/') || n.startsWith('.') || n === 'node_modules/' || n === 'vendor/') continue;
      const sub = path.join(dir, n.slice(0, -1));
      if (!seen.has(sub) && !kdir.startsWith(sub + path.sep)) walk(sub, depth - 1);
    }
  };
  const parent = path.dirname(kdir);
  const grand = path.dirname(parent);
  if (parent !== kdir) walk(parent, 2);
  if (grand !== parent) walk(grand, 2);
  const out: OverlayPatch[] = [];
  for (const ofile of found) {
    const t = reader(ofile);
    const o = t === undefined ? undefined : memoized(memo, 'kustomization', ofile, t, () => parseKustomization(t, ofile));
    if (!o || o.patches.length === 0 || o.file === k.file) continue;
    // It builds on `file` (through k's folder or the file itself), not just sits beside it.
    if (!resourceFiles(o, reader, '', memo).some((r) => r.file === file)) continue;
    for (const ref of o.patches) {
      if (ref.inline) {
        const start = ref.inline.range?.[0] ?? 0;
        out.push({ file: o.file, text: o.text, ref, workloads: [], at: 0, span: { start, end: start } });
        continue;
      }
      const pt = reader(ref.file);
      if (pt === undefined) continue;
      if (jsonPatchIn(pt)) {
        const pdoc = parseDocument(pt, { uniqueKeys: false, strict: false }) as Document.Parsed;
        const first = readJsonPatch(pdoc, pt)?.ops[0];
        if (first && ref.target) out.push({ file: ref.file, text: pt, ref, workloads: [], at: 0, span: first.span, ops: readJsonPatch(pdoc, pt)?.ops });
        continue;
      }
      const model = kubeModel(ref.file, pt, memo);
      for (const pw of model.workloads) out.push({ file: ref.file, text: pt, ref, workloads: [pw], at: unitOf(model, pw).start, span: pw.anchor });
    }
  }
  return out;
}

/**
 * Compose file sets: the files `docker compose` reads together, found the way it finds them, and
 * their services merged by the Compose specification's merge rules (13-merge.md), so that each
 * service is judged on what really runs.
 *
 * - `compose.yaml` + `compose.override.yaml` (and the `compose.yml`, `docker-compose.*` spellings):
 *   compose-go `cli/options.go` DefaultFileNames / DefaultOverrideFileNames, the first of each.
 * - `COMPOSE_FILE` in the `.env` beside the file (separator `:`, or `COMPOSE_PATH_SEPARATOR`).
 * - A dev container's `dockerComposeFile` list, in order (`.devcontainer/devcontainer.json`,
 *   `.devcontainer.json`, or the devcontainer.json beside the file).
 * - `include:` (the included files come before the including one) and `extends:` with `file:`.
 *
 * Pure: every file is read through the caller's ReadFile. The result for one linted file is its
 * own containers, each merged with what the other files of its set say about the same service;
 * the values that come from another file are registered as foreign (foreign.ts), so that a
 * finding is reported only in the file that writes the value (or, for a missing setting, the
 * first file that declares the service) and a fix only ever edits the linted file.
 */
import * as path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { dockerConfinement } from '../adapters/boundary';
import type { ComposeRef } from '../adapters/compose';
import type { ParsedFile } from '../adapters/types';
import { parseYaml } from '../adapters/yaml';
import { asMap, get, scalarString } from '../adapters/yaml-util';
import type { ReadFile } from '../cross-file';
import { rangeOf, readQuietly } from '../cross-file';
import type { Container, HostNamespace, Located, Mount, RelatedInfo, Workload } from '../model';
import { markForeign } from './foreign';
import type { ProjectMemo } from './memo';
import { memoized } from './memo';

export const DEFAULT_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const DEFAULT_OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];
const DEVCONTAINER_CANDIDATES = ['.devcontainer/devcontainer.json', '.devcontainer.json', 'devcontainer.json'];
/** include / extends chains deeper than this are not followed (a loop, or a generated maze). */
const MAX_DEPTH = 8;

export interface DevcontainerLink {
  /** The devcontainer.json whose dockerComposeFile names the file. */
  path: string;
  /** Its `service`: the dev container. */
  service?: string;
}

export interface ComposeSet {
  /** The files, in the order compose merges them (includes first); the linted file among them. */
  files: string[];
  /** How the set was found. */
  origin: 'default' | 'COMPOSE_FILE' | 'devcontainer' | 'alone';
  /** A dev container that uses the linted file. */
  devcontainer?: DevcontainerLink;
}

/** `COMPOSE_FILE` (and `COMPOSE_PATH_SEPARATOR`) from a .env text. */
export function composeFileFromEnv(envText: string): string[] | undefined {
  const vars = new Map<string, string>();
  for (const raw of envText.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if ((value.startsWith('"') && value.endsWith('"') && value.length >= 2) || (value.startsWith("'") && value.endsWith("'") && value.length >= 2)) value = value.slice(1, -1);
    else value = withoutComment(value);
    vars.set(m[1], value);
  }
  const list = vars.get('COMPOSE_FILE');
  if (list === undefined || list.trim() === '') return undefined;
  const sep = vars.get('COMPOSE_PATH_SEPARATOR') || (list.includes(';') && !list.includes(':') ? ';' : ':');
  return list.split(sep).map((s) => s.trim()).filter((s) => s !== '');
}

/** An unquoted .env value without its ` # comment` (a loop: a trailing-run regex is quadratic in V8). */
function withoutComment(value: string): string {
  for (let i = 1; i < value.length; i++) {
    if (value[i] === '#' && (value[i - 1] === ' ' || value[i - 1] === '\t')) {
      let end = i - 1;
      while (end > 0 && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
      return value.slice(0, end);
    }
  }
  return value;
}

/** The dev containers around a compose file, read from the usual places. */
function devcontainerLinks(file: string, readFile: ReadFile, memo: ProjectMemo | undefined): { link: DevcontainerLink; files: string[] }[] {
  const dir = path.dirname(file);
  const candidates = new Set(DEVCONTAINER_CANDIDATES.map((c) => path.join(dir, c)));
  if (path.basename(path.dirname(dir)) === '.devcontainer') candidates.add(path.join(path.dirname(dir), 'devcontainer.json'));
  const out: { link: DevcontainerLink; files: string[] }[] = [];
  for (const candidate of candidates) {
    const text = readQuietly(readFile, candidate);
    if (text === undefined) continue;
    const json: unknown = memoized(memo, 'jsonc', candidate, text, () => {
      try {
        return parseJsonc(text, [], { allowTrailingComma: true }) as unknown;
      } catch {
        return undefined;
      }
    });
    if (!json || typeof json !== 'object') continue;
    const { dockerComposeFile, service } = json as { dockerComposeFile?: unknown; service?: unknown };
    const list = typeof dockerComposeFile === 'string' ? [dockerComposeFile] : Array.isArray(dockerComposeFile) ? dockerComposeFile.filter((x): x is string => typeof x === 'string') : [];
    if (list.length === 0) continue;
    const files = list.map((f) => path.resolve(path.dirname(candidate), f));
    if (!files.includes(file)) continue;
    const link: DevcontainerLink = { path: candidate };
    if (typeof service === 'string') link.service = service;
    out.push({ link, files });
  }
  return out;
}

/** The files a compose file's `include:` names (relative to its folder). */
function includesOf(text: string, file: string): string[] {
  if (!/^include\s*:/m.test(text)) return [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false });
  } catch {
    return [];
  }
  const include = get(asMap(doc.contents ?? undefined), 'include', doc as never)?.value;
  if (!include || !isSeq(include)) return [];
  const out: string[] = [];
  for (const item of include.items) {
    const paths: unknown[] = [];
    if (isScalar(item)) paths.push(item.value);
    else if (isMap(item)) {
      const p = get(item, 'path', doc as never)?.value;
      if (isScalar(p)) paths.push(p.value);
      else if (isSeq(p)) paths.push(...p.items.map((x) => (isScalar(x) ? x.value : undefined)));
    }
    for (const p of paths) if (typeof p === 'string' && p !== '' && !p.includes('$') && !/^[a-z]+:\/\//i.test(p)) out.push(path.resolve(path.dirname(file), p));
  }
  return out;
}

/**
 * The set of compose files `file` is read with. `text` is the linted file's own (possibly
 * unsaved) text. Every path tried is added to `tried` (the dependencies an editor watches).
 */
export function findComposeSet(file: string, text: string, readFile: ReadFile, tried: Set<string>, memo?: ProjectMemo): ComposeSet {
  const dir = path.dirname(file);
  const reader: ReadFile = (p) => {
    tried.add(p);
    return p === file ? text : readQuietly(readFile, p);
  };
  let set: ComposeSet | undefined;
  const env = reader(path.join(dir, '.env'));
  const fromEnv = env === undefined ? undefined : composeFileFromEnv(env);
  if (fromEnv) {
    const files = fromEnv.map((f) => path.resolve(dir, f));
    if (files.includes(file)) set = { files, origin: 'COMPOSE_FILE' };
  }
  if (!set) {
    const base = DEFAULT_FILE_NAMES.map((n) => path.join(dir, n)).find((p) => reader(p) !== undefined);
    const override = DEFAULT_OVERRIDE_FILE_NAMES.map((n) => path.join(dir, n)).find((p) => reader(p) !== undefined);
    if (base && override && (file === base || file === override)) set = { files: [base, override], origin: 'default' };
  }
  const links = devcontainerLinks(file, reader, memo);
  // A dev container layers its own files over the project's: for a file it adds (not the first of
  // its list) the dev container's list is the set. The project's own file keeps its default set,
  // which is what runs outside the dev container.
  const layered = links.find((l) => l.files.indexOf(file) > 0);
  if (layered) set = { files: layered.files, origin: 'devcontainer' };
  set = set ?? { files: [file], origin: 'alone' };
  const link = layered?.link ?? links[0]?.link;
  if (link) set.devcontainer = link;
  // include: included files come first (their services are the project's too).
  const expanded: string[] = [];
  const visit = (f: string, depth: number) => {
    if (expanded.includes(f) || depth > MAX_DEPTH) return;
    const t = reader(f);
    if (t !== undefined) for (const inc of memoized(memo, 'include', f, t, () => includesOf(t, f))) visit(inc, depth + 1);
    expanded.push(f);
  };
  for (const f of set.files) visit(f, 0);
  set.files = expanded.filter((f) => f === file || reader(f) !== undefined);
  return set;
}

/** One file's services, parsed once per lint. */
export interface ParsedCompose {
  file: string;
  text: string;
  parsed: ParsedFile;
  byName: Map<string, Workload>;
}

export function parseCompose(file: string, text: string, parsed?: ParsedFile): ParsedCompose {
  const p = parsed ?? parseYaml(text, file, 'compose');
  const byName = new Map<string, Workload>();
  for (const w of p.workloads) if (w.kind === 'compose') byName.set(w.name, w);
  return { file, text, parsed: p, byName };
}

/** `extends: {file: x, service: y}` of a service, resolved against its file's folder. */
function extendsFile(w: Workload, file: string): { file: string; service: string } | undefined {
  const ref = w.ref as ComposeRef | undefined;
  if (!ref) return undefined;
  const ext = asMap(get(ref.service, 'extends', ref.doc)?.value);
  if (!ext) return undefined;
  const f = scalarString(get(ext, 'file', ref.doc)?.value);
  const s = scalarString(get(ext, 'service', ref.doc)?.value);
  if (f === undefined || s === undefined || f.includes('$')) return undefined;
  return { file: path.resolve(path.dirname(file), f), service: s };
}

export interface ComposeProjectResult {
  /** Every path read or probed. */
  dependencies: string[];
  set: ComposeSet;
}

/**
 * Merges the linted file's services with the rest of its set (in place: `parsed.workloads` get
 * the merged containers). Values from other files are marked foreign; a service first declared
 * in another file has a foreign anchor, so its missing settings are reported there.
 */
export function applyComposeSet(parsed: ParsedFile, file: string, text: string, readFile: ReadFile, memo?: ProjectMemo): ComposeProjectResult {
  const tried = new Set<string>();
  const set = findComposeSet(file, text, readFile, tried, memo);
  const cache = new Map<string, ParsedCompose | null>();
  const own = parseCompose(file, text, parsed);
  cache.set(file, own);
  const load = (f: string): ParsedCompose | undefined => {
    let c = cache.get(f);
    if (c === undefined) {
      tried.add(f);
      const t = readQuietly(readFile, f);
      c = t === undefined || t.includes('\u0000') ? null : memoized(memo, 'compose', f, t, () => parseCompose(f, t));
      cache.set(f, c);
    }
    return c ?? undefined;
  };
  const devService = set.devcontainer?.service;
  for (const workload of parsed.workloads) {
    if (workload.kind !== 'compose') continue;
    const name = workload.name;
    // The layers of this service, first to last: each file of the set that declares it, each
    // preceded by what its `extends: {file}` brings.
    const layers: { file: string; text: string; workload: Workload }[] = [];
    const addLayer = (c: ParsedCompose, w: Workload, depth: number) => {
      const ext = extendsFile(w, c.file);
      if (ext && depth < MAX_DEPTH) {
        const target = load(ext.file);
        const base = target?.byName.get(ext.service);
        if (target && base && !(target.file === c.file && ext.service === w.name)) addLayer(target, base, depth + 1);
      }
      layers.push({ file: c.file, text: c.text, workload: w });
    };
    for (const f of set.files) {
      const c = f === file ? own : load(f);
      const w = c?.byName.get(name);
      if (c && w) addLayer(c, w, 0);
    }
    const mine = layers.findIndex((l) => l.workload === workload);
    if (mine < 0) continue;
    const others = layers.filter((l) => l.file !== file);
    const isDev = devService === name && set.devcontainer !== undefined;
    if (others.length === 0 && !isDev) continue;
    for (const l of others) markForeign(l.workload, l.file);
    let merged = layers[0].workload;
    for (const l of layers.slice(1)) merged = mergeWorkloads(merged, l.workload);
    const container = merged.containers[0];
    const mineContainer = workload.containers[0];
    if (!container || !mineContainer) continue;
    container.ref = mineContainer.ref;
    merged.ref = workload.ref;
    const related: RelatedInfo[] = [];
    for (const l of others) {
      const anchor = l.workload.anchor;
      const range = rangeOf(l.text, anchor);
      related.push({ span: anchor, path: l.file, range, message: `merged with ${path.basename(l.file)}:${range.start.line + 1} (service "${name}")` });
    }
    if (isDev && set.devcontainer) {
      const where = path.relative(path.dirname(file), set.devcontainer.path) || path.basename(set.devcontainer.path);
      container.label = `${container.label} (the dev container of ${where})`;
    }
    container.related = related.length > 0 ? related : undefined;
    Object.assign(workload, { ...merged, containers: [container] });
  }
  tried.delete(file);
  return { dependencies: [...tried], set };
}

// ---- Merge rules (Compose specification 13-merge.md) -----------------------------------------

function lastDefined<T>(base: T | undefined, over: T | undefined): T | undefined {
  return over !== undefined ? over : base;
}

/** Volumes are unique by target: a later mount of the same target replaces the earlier one. */
function mergeMounts(base: Mount[], over: Mount[]): Mount[] {
  const targets = new Set(over.map((m) => m.target).filter((t): t is string => t !== undefined));
  return [...base.filter((m) => m.target === undefined || !targets.has(m.target)), ...over];
}

function mergeNamespaces(base: HostNamespace[], over: HostNamespace[]): HostNamespace[] {
  const kinds = new Set(over.map((n) => n.value));
  return [...base.filter((n) => !kinds.has(n.value)), ...over];
}

function mergeByValue(base: Located<string>[], over: Located<string>[]): Located<string>[] {
  const names = new Set(over.map((n) => n.value));
  return [...base.filter((n) => !names.has(n.value)), ...over];
}

function unique<T>(list: T[]): T[] {
  return [...new Set(list)];
}

/** A Compose service (one container) with a later file's service of the same name merged over it. */
export function mergeWorkloads(base: Workload, over: Workload): Workload {
  const b = base.containers[0];
  const o = over.containers[0];
  if (!b || !o) return over;
  const securityOpt = [...b.securityOpt, ...o.securityOpt];
  const conf = dockerConfinement(securityOpt, () => 'security_opt');
  let noNewPrivileges: Located<boolean> | undefined;
  for (const opt of securityOpt) {
    const m = /^no-new-privileges(?:[=:](.*))?$/.exec(opt.value.trim());
    if (!m) continue;
    const v = m[1] === undefined ? true : ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(m[1]) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(m[1]) ? false : undefined;
    if (v !== undefined) noNewPrivileges = { ...opt, value: v };
  }
  const bh = b.hints;
  const oh = o.hints;
  const container: Container = {
    ...b,
    image: lastDefined(b.image, o.image),
    privileged: o.privileged.length > 0 ? o.privileged : b.privileged,
    noNewPrivileges,
    user: o.user.at ? o.user : b.user,
    capAdd: [...b.capAdd, ...o.capAdd],
    capDrop: [...b.capDrop, ...o.capDrop],
    securityOpt,
    unmasked: conf.unmasked,
    seccomp: conf.seccomp,
    apparmor: conf.apparmor,
    selinux: conf.selinux,
    seLinuxUser: conf.seLinuxUser,
    seLinuxRole: conf.seLinuxRole,
    mounts: mergeMounts(b.mounts, o.mounts),
    devices: [...b.devices, ...o.devices],
    deviceCgroupRules: [...b.deviceCgroupRules, ...o.deviceCgroupRules],
    readOnlyRootFilesystem: lastDefined(b.readOnlyRootFilesystem, o.readOnlyRootFilesystem),
    build: lastDefined(b.build, o.build),
    buildImage: o.build ? o.buildImage : b.buildImage,
    runtime: lastDefined(b.runtime, o.runtime),
    hints: bh && oh ? {
      devices: unique([...bh.devices, ...oh.devices]),
      volumes: unique([...bh.volumes, ...oh.volumes]),
      sysctls: unique([...bh.sysctls, ...oh.sysctls]),
      ports: unique([...bh.ports, ...oh.ports]),
      env: { ...bh.env, ...oh.env },
      command: oh.command !== '' ? oh.command : bh.command,
      ...(oh.networkMode ?? bh.networkMode ? { networkMode: oh.networkMode ?? bh.networkMode } : {}),
    } : (oh ?? bh),
    ref: o.ref,
  };
  return {
    ...base,
    containers: [container],
    hostNamespaces: mergeNamespaces(base.hostNamespaces, over.hostNamespaces),
    sysctls: mergeByValue(base.sysctls, over.sysctls),
    ref: over.ref,
  };
}

/**
 * Compose services → containers. Merge keys, aliases and `extends` (same file) are
 * resolved the way Compose resolves them; lists (cap_add, cap_drop, security_opt)
 * from `extends` are appended, scalars are overridden.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import type { BuildSpec, CapabilityRef, Container, ContainerHints, HostNamespace, HostNamespaceKind, Located, Mount, Span, UserSetting, Workload } from '../model';
import { assignConfinement, dockerConfinement, normalizeHostPath, parseShortVolume } from './boundary';
import type { Entry, YNode } from './yaml-util';
import { asMap, deref, entries, get, hasAliases, interpolateDefault, keySpan, located, normalizeCap, pairSpan, readBool, scalarString, seqItems, trimmedSpan, valueSpan } from './yaml-util';

export interface ComposeRef {
  format: 'compose';
  doc: Document.Parsed;
  /** The service's own map (where overrides go). */
  service: YAMLMap;
  name: string;
  /** The service is written as an alias (`web: *base`): its map is shared, so edits to it are not safe. */
  aliased?: boolean;
  /**
   * The service's own `privileged` hides another one that is true (from a merge key or the
   * service it extends): removing the own setting would not turn privileged off, setting it
   * to false does.
   */
  privilegedUnderneath?: boolean;
  /** The maps of the services this one extends (same file), nearest first: what an own setting may hide. */
  bases?: YAMLMap[];
}

export interface ItemRef {
  /** The list's pair (`cap_add: …`). */
  list: Entry;
  item: YNode;
}

/** A Compose volume item that is a host bind: the list item plus how it is written. */
export interface ComposeMountRef extends ItemRef {
  form: 'short' | 'long';
}

/** A pair inside a map-valued setting (`sysctls: {net.core.somaxconn: 1024}`): the setting's pair and the inner pair. */
export interface MapPairRef {
  map: Entry;
  entry: Entry;
}

interface Source {
  map: YAMLMap;
  via?: Entry;
}

/** The service map, then the maps it extends (same file), nearest first. */
function chain(services: YAMLMap, name: string, doc: Document.Parsed): Source[] {
  const out: Source[] = [];
  const seen = new Set<string>();
  let current: string | undefined = name;
  let via: Entry | undefined;
  while (current !== undefined && !seen.has(current) && out.length < 32) {
    seen.add(current);
    const map = asMap(get(services, current, doc)?.value);
    if (!map) break;
    out.push({ map, via });
    const ext = get(map, 'extends', doc);
    if (!ext) break;
    let target = scalarString(ext.value);
    if (target === undefined) {
      const extMap = asMap(ext.value);
      if (get(extMap, 'file', doc)) break; // another file: not resolved here
      target = scalarString(get(extMap, 'service', doc)?.value);
    }
    via = via ?? ext;
    current = target;
  }
  return out;
}

function lookup(sources: Source[], key: string, doc: Document.Parsed): { entry: Entry; via?: Entry } | undefined {
  for (const s of sources) {
    const e = get(s.map, key, doc);
    if (e) return { entry: e, via: s.via };
  }
  return undefined;
}

function withVia<T>(loc: Located<T>, via: Entry | undefined, text: string): Located<T> {
  if (!via || loc.via) return loc;
  return { ...loc, via: trimmedSpan(via.keyNode, text) };
}

export function isRootUser(value: string): boolean {
  const v = value.trim();
  return v === 'root' || v === '0' || v.startsWith('root:') || v.startsWith('0:');
}

/** Items of a list key across the extends chain, base first: Compose appends the local list after the base's. */
function stringItems(sources: Source[], key: string, doc: Document.Parsed, text: string, field: string): Located<string>[] {
  const out: Located<string>[] = [];
  for (const s of [...sources].reverse()) {
    const e = get(s.map, key, doc);
    if (!e) continue;
    for (const it of seqItems(e.value, doc)) {
      const v = scalarString(it.node);
      if (v === undefined) continue;
      const span = trimmedSpan(it.node, text);
      const ref: ItemRef = { list: e, item: it.raw };
      let loc: Located<string> = { value: v, span, valueSpan: span, field, ref, via: e.via ?? (it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined) };
      loc = withVia(loc, s.via, text);
      out.push(loc);
    }
  }
  return out;
}

/** Go strconv.ParseBool, as moby parses `no-new-privileges=<v>`. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** `no-new-privileges`, `no-new-privileges:true`, `no-new-privileges=false` → boolean; others undefined. */
export function noNewPrivilegesOf(opt: string): boolean | undefined {
  const s = opt.trim();
  if (s === 'no-new-privileges') return true;
  const m = /^no-new-privileges[=:](.*)$/.exec(s);
  if (!m) return undefined;
  return parseGoBool(m[1]);
}

/**
 * The services of one version of a Compose document, for the next version to reuse (#16): a
 * keystroke in one service need not build the others again, nor run the rules on them.
 */
export interface ServiceReuse {
  /** The previous version's services: each workload as built, by its entry's pair in that tree. */
  previous?: ReadonlyMap<object, Workload>;
  /** Filled with this version's, the same way. */
  built: Map<object, Workload>;
}

/** On a service's workload as the model holds it: the workload it is a copy of, and the container list the copy was made with. */
const BUILT_FROM = Symbol('compose service built from');

/**
 * On a service's workload as built: its text (from its key to the end of its value) and a memo
 * object that every version whose service has the same text shares, wherever it sits: the same
 * text gives the same workload moved by the difference of their places (the service reads no
 * other node), so what the engine found on one holds for the other, moved (serviceMemo).
 */
const SERVICE_TEXT = Symbol('compose service text');

interface ServiceText {
  text: string;
  memo: object;
  /** Every offset span of the workload (its anchor and each located value's), each once: moved together when the service's nodes move. */
  spans: Span[];
}

/** The spans of a workload as built: objects with numeric `start` and `end`, outside its `ref`s (handles to nodes) and the nodes. */
function spansOf(workload: Workload): Span[] {
  const out = new Set<Span>();
  const stack: unknown[] = [workload];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const o = stack.pop();
    if (!o || typeof o !== 'object' || seen.has(o) || isNode(o) || isPair(o)) continue;
    seen.add(o);
    const r = o as Record<string, unknown>;
    if (typeof r.start === 'number' && typeof r.end === 'number') {
      out.add(o as Span);
      continue;
    }
    for (const k in r) if (k !== 'ref') stack.push(r[k]);
  }
  return [...out];
}

/** Moves a kept service's workload by `by` (its spans, in place; the nodes it refers to were moved by the re-parse); false if it cannot. */
function moveService(workload: Workload, by: number): boolean {
  if (by === 0) return true;
  const t = (workload as { [SERVICE_TEXT]?: ServiceText })[SERVICE_TEXT];
  if (!t) return false;
  for (const span of t.spans) {
    span.start += by;
    span.end += by;
  }
  return true;
}

interface BuiltFrom {
  workload: Workload;
  containers: Container[];
}

/**
 * Whether each service's workload is made from its own map alone: with no alias, no merge key and
 * no `extends` in the document, a service reads no other node. Then a service whose entry the
 * re-parse shared with the previous tree (the same pair object: the same nodes, offsets and text)
 * has the same workload as before.
 */
function servicesStandAlone(doc: Document.Parsed, text: string): boolean {
  return !text.includes('<<') && !text.includes('extends') && !hasAliases(doc);
}

/**
 * The workload the model gets: a copy, with the document it now sits in, so that the project view
 * (applyComposeSet merges other files into it in place, cross-file.ts adds the build's image) never
 * changes the one kept for the next version.
 */
function placedCopy(built: Workload, doc: Document.Parsed): Workload {
  const ref: ComposeRef = { ...(built.ref as ComposeRef), doc };
  const containers = built.containers.map((c) => ({ ...c, ref }));
  const copy: Workload = { ...built, containers, ref };
  Object.defineProperty(copy, BUILT_FROM, { value: { workload: built, containers } satisfies BuiltFrom });
  return copy;
}

/**
 * The memo of the workload a service's model workload was copied from, when nothing has changed
 * the copy since (no other file merged into it, no build image resolved for it): what was found on
 * a workload with that memo holds for this one, moved to where its key is. Undefined otherwise,
 * and for workloads that are not such copies.
 */
/** Whether the workload is a Compose service's copy made for reuse (placedCopy): its document's findings are made service by service. */
export function isServiceCopy(workload: Workload): boolean {
  return BUILT_FROM in workload;
}

export function serviceMemo(workload: Workload): object | undefined {
  const origin = unchangedServiceOrigin(workload);
  return origin && (origin as { [SERVICE_TEXT]?: ServiceText })[SERVICE_TEXT]?.memo;
}

function unchangedServiceOrigin(workload: Workload): Workload | undefined {
  const from = (workload as { [BUILT_FROM]?: BuiltFrom })[BUILT_FROM];
  if (!from || workload.containers !== from.containers || !sameBut(workload, from.workload, 'containers')) return undefined;
  for (let i = 0; i < from.containers.length; i++) {
    const c = from.containers[i];
    // A build's image is read from its Dockerfile, and may follow another service's image (cross-file.ts): never taken as unchanged.
    if (c.build !== undefined || !sameBut(c, from.workload.containers[i])) return undefined;
  }
  return from.workload;
}

/** The same enumerable properties with the same values, but `ref` (and `skip`). for…in, not Object.keys: no arrays per service and keystroke. */
function sameBut(a: object, b: object, skip?: string): boolean {
  let count = 0;
  for (const k in a) {
    if (k !== 'ref' && k !== skip && (a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

export function composeWorkloads(doc: Document.Parsed, text: string, reuse?: ServiceReuse): Workload[] {
  const top = asMap(doc.contents ?? undefined);
  const servicesEntry = get(top, 'services', doc);
  const services = asMap(servicesEntry?.value);
  if (!services) return [];
  const out: Workload[] = [];
  const kept = reuse && servicesStandAlone(doc, text) ? reuse : undefined;
  let memoByText: Map<string, object> | undefined;
  for (const svc of entries(services, doc)) {
    const own = asMap(svc.value);
    if (!own) continue;
    const before = kept?.previous?.get(svc.pair);
    // After the edit, the re-parse moved the service's nodes in place (yaml-reparse): its workload moves with them.
    if (kept && before && moveService(before, (svc.keyNode.range?.[0] ?? before.anchor.start) - before.anchor.start)) {
      kept.built.set(svc.pair, before);
      out.push(placedCopy(before, doc));
      continue;
    }
    const sources = chain(services, svc.key, doc);
    const label = `service "${svc.key}"`;
    const anchor = keySpan(svc);

    const privileged: Located<boolean>[] = [];
    const p = lookup(sources, 'privileged', doc);
    if (p) {
      const b = readBool(p.entry.value, true);
      if (b !== undefined) privileged.push(withVia(located(b, p.entry, text, 'privileged'), p.via, text));
    }

    const securityOpt = stringItems(sources, 'security_opt', doc, text, 'security_opt');
    let noNewPrivileges: Located<boolean> | undefined;
    for (const opt of securityOpt) {
      const b = noNewPrivilegesOf(opt.value);
      if (b !== undefined) noNewPrivileges = { ...opt, value: b };
    }

    let user: UserSetting = { verdict: 'unknown', how: 'no user: set; the image default applies' };
    const u = lookup(sources, 'user', doc);
    if (u && u.entry.value && isScalar(u.entry.value) && u.entry.value.value !== null) {
      const raw = String(u.entry.value.value);
      const resolved = raw.includes('${') ? interpolateDefault(raw) : raw;
      const at = withVia(located(raw, u.entry, text, 'user'), u.via, text);
      if (resolved === undefined) user = { verdict: 'unknown', at, how: 'user: is an interpolated variable' };
      else user = { verdict: isRootUser(resolved) ? 'root' : 'nonroot', at };
    }

    const caps = (key: string): CapabilityRef[] =>
      stringItems(sources, key, doc, text, key).map((l) => ({ ...l, name: normalizeCap(interpolateDefault(l.value) ?? l.value) }));

    const imageEntry = lookup(sources, 'image', doc);
    const imageValue = imageEntry ? scalarString(imageEntry.entry.value) : undefined;
    const ref: ComposeRef = { format: 'compose', doc, service: own, name: svc.key, bases: sources.slice(1).map((s) => s.map) };
    if (svc.rawValue && isAlias(svc.rawValue)) ref.aliased = true;
    if (p && p.entry.owner === own && !p.via && privilegedBelow(own, sources.slice(1), doc)) ref.privilegedUnderneath = true;
    const container: Container = {
      kind: 'compose',
      name: svc.key,
      label,
      anchor,
      image: imageEntry && imageValue !== undefined ? located(imageValue, imageEntry.entry, text, 'image') : undefined,
      privileged,
      noNewPrivileges,
      supportsNoNewPrivileges: true,
      user,
      capAdd: caps('cap_add'),
      capDrop: caps('cap_drop'),
      securityOpt,
      hints: composeHints(sources, doc),
      ...composeBoundary(sources, securityOpt, doc, text),
      ref,
    };
    const workload: Workload = {
      kind: 'compose',
      name: svc.key,
      anchor,
      containers: [container],
      hostNamespaces: composeNamespaces(sources, doc, text),
      sysctls: composeSysctls(sources, doc, text),
      volumeTypes: [],
      unmountedHostPaths: [],
      ref,
    };
    if (kept) {
      // A service with the text of one the previous version had (moved by an edit above it) shares its memo.
      const serviceText = text.slice(anchor.start, svc.value?.range?.[1] ?? anchor.end);
      if (!memoByText && kept.previous) {
        memoByText = new Map();
        for (const w of kept.previous.values()) {
          const t = (w as { [SERVICE_TEXT]?: ServiceText })[SERVICE_TEXT];
          if (t) memoByText.set(t.text, t.memo);
        }
      }
      Object.defineProperty(workload, SERVICE_TEXT, { value: { text: serviceText, memo: memoByText?.get(serviceText) ?? {}, spans: spansOf(workload) } satisfies ServiceText });
      kept.built.set(svc.pair, workload);
      out.push(placedCopy(workload, doc));
    } else out.push(workload);
  }
  return out;
}

/** The entries a merge key (`<<`) of `map` brings for `key`, nearest first: what an own `key` hides. */
export function mergedUnderneath(map: YAMLMap, key: string, doc: Document.Parsed): Entry[] {
  const out: Entry[] = [];
  for (const item of map.items) {
    if (!isScalar(item.key) || (item.key as { source?: string }).source !== '<<' || !item.value) continue;
    const targets = isSeq(item.value) ? item.value.items : [item.value];
    for (const t of targets) {
      const e = get(deref(t, doc), key, doc);
      if (e) out.push(e);
    }
  }
  return out;
}

/** Whether a merge key of `own`, or a service further down the extends chain, sets privileged true. */
function privilegedBelow(own: YAMLMap, rest: Source[], doc: Document.Parsed): boolean {
  if (mergedUnderneath(own, 'privileged', doc).some((e) => readBool(e.value, true) === true)) return true;
  const below = lookup(rest, 'privileged', doc);
  return !!below && readBool(below.entry.value, true) === true;
}

// ---- Hints for the privileged replacement ------------------------------------------

/** A scalar as Compose reads it after `${VAR:-default}` interpolation (other variables stay as written). */
function composeScalar(node: unknown): string | undefined {
  const s = scalarString(node as YNode | undefined);
  if (s === undefined) return undefined;
  return interpolateDefault(s) ?? s;
}

/** Values of a list-valued key across the `extends` chain (Compose merges these lists), nearest first. */
function listValues(sources: Source[], key: string, doc: Document.Parsed): YNode[] {
  const out: YNode[] = [];
  for (const s of sources) {
    const e = get(s.map, key, doc);
    if (e) out.push(...seqItems(e.value, doc).map((it) => it.node));
  }
  return out;
}

function nearest(sources: Source[], key: string, doc: Document.Parsed): YNode | undefined {
  return lookup(sources, key, doc)?.entry.value;
}

const isHostPath = (s: string): boolean => s.startsWith('/') || s.startsWith('.') || s.startsWith('~');

/** `SRC:DST[:MODE]` → SRC when SRC is a host path (not a named volume). */
export function bindSource(short: string): string | undefined {
  const s = short.trim();
  if (!isHostPath(s)) return undefined;
  const colon = s.indexOf(':');
  return colon >= 0 ? s.slice(0, colon) : undefined;
}

/** The container side of a port mapping: `80`, `8080:80`, `127.0.0.1:8080:80/tcp`, `8000-8010:8000-8010`. */
export function containerPort(short: string): number | undefined {
  const s = short.trim().replace(/\/\w+$/, '');
  const last = s.slice(s.lastIndexOf(':') + 1);
  const m = /^(\d+)(?:-\d+)?$/.exec(last);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 && n < 65536 ? n : undefined;
}

function words(node: YNode | undefined, doc: Document.Parsed): string {
  if (!node) return '';
  if (isSeq(node)) return seqItems(node, doc).map((it) => composeScalar(it.node) ?? '').filter((w) => w !== '').join(' ');
  return composeScalar(node) ?? '';
}

function composeHints(sources: Source[], doc: Document.Parsed): ContainerHints {
  const devices: string[] = [];
  for (const node of listValues(sources, 'devices', doc)) {
    const v = isMap(node) ? composeScalar(get(node, 'source', doc)?.value) : composeScalar(node);
    if (v !== undefined && v.trim() !== '') devices.push(v.trim());
  }

  const volumes: string[] = [];
  for (const node of listValues(sources, 'volumes', doc)) {
    if (isMap(node)) {
      const type = composeScalar(get(node, 'type', doc)?.value);
      const source = composeScalar(get(node, 'source', doc)?.value);
      if (type === 'bind' && source !== undefined && source.trim() !== '') volumes.push(source.trim());
      continue;
    }
    const v = composeScalar(node);
    const src = v === undefined ? undefined : bindSource(v);
    if (src !== undefined) volumes.push(src);
  }

  const sysctls: string[] = [];
  const sysctlNames = new Set<string>();
  const addSysctl = (name: string, value: string | undefined): void => {
    const n = name.trim();
    if (!n || sysctlNames.has(n)) return;
    sysctlNames.add(n);
    sysctls.push(value === undefined ? n : `${n}=${value.trim()}`);
  };
  for (const s of sources) {
    const node = get(s.map, 'sysctls', doc)?.value;
    if (node && isMap(node)) {
      for (const e of entries(node, doc)) addSysctl(e.key, composeScalar(e.value));
    } else if (node && isSeq(node)) {
      for (const it of seqItems(node, doc)) {
        const v = composeScalar(it.node);
        if (v === undefined) continue;
        const eq = v.indexOf('=');
        addSysctl(eq >= 0 ? v.slice(0, eq) : v, eq >= 0 ? v.slice(eq + 1) : undefined);
      }
    }
  }

  const portSet = new Set<number>();
  for (const node of listValues(sources, 'ports', doc)) {
    const v = isMap(node) ? composeScalar(get(node, 'target', doc)?.value) : composeScalar(node);
    const p = v === undefined ? undefined : containerPort(v);
    if (p !== undefined) portSet.add(p);
  }
  const ports = [...portSet];

  const env: Record<string, string> = {};
  for (const s of sources) {
    const node = get(s.map, 'environment', doc)?.value;
    const set = (k: string, v: string): void => {
      if (k && !Object.prototype.hasOwnProperty.call(env, k)) env[k] = v;
    };
    if (node && isMap(node)) {
      for (const e of entries(node, doc)) set(e.key, composeScalar(e.value) ?? '');
    } else if (node && isSeq(node)) {
      for (const it of seqItems(node, doc)) {
        const v = composeScalar(it.node);
        if (v === undefined) continue;
        const eq = v.indexOf('=');
        set(eq >= 0 ? v.slice(0, eq) : v, eq >= 0 ? v.slice(eq + 1) : '');
      }
    }
  }

  const command = [words(nearest(sources, 'entrypoint', doc), doc), words(nearest(sources, 'command', doc), doc)].filter((w) => w !== '').join(' ');
  const hints: ContainerHints = { devices, volumes, sysctls, ports, env, command };
  const networkMode = composeScalar(nearest(sources, 'network_mode', doc));
  if (networkMode !== undefined) hints.networkMode = networkMode;
  return hints;
}

// ---- The container boundary ------------------------------------------------------------

const NAMESPACE_KEYS: [string, HostNamespaceKind][] = [
  ['pid', 'pid'],
  ['ipc', 'ipc'],
  ['uts', 'uts'],
  ['cgroup', 'cgroup'],
  ['network_mode', 'network'],
  ['userns_mode', 'user'],
];

/** `pid`/`ipc`/`uts`/`cgroup: host`, `network_mode: host`, `userns_mode: host` (nearest in the extends chain wins). */
function composeNamespaces(sources: Source[], doc: Document.Parsed, text: string): HostNamespace[] {
  const out: HostNamespace[] = [];
  for (const [key, kind] of NAMESPACE_KEYS) {
    const found = lookup(sources, key, doc);
    if (!found || composeScalar(found.entry.value)?.trim() !== 'host') continue;
    out.push(withVia(located(kind, found.entry, text, key), found.via, text));
  }
  return out;
}

/** A list item across the extends chain (base first), with its list pair and the alias/extends use site. */
interface ListItem {
  node: YNode;
  raw: YNode;
  list: Entry;
  via?: Span;
}

function listItems(sources: Source[], key: string, doc: Document.Parsed, text: string): ListItem[] {
  const out: ListItem[] = [];
  for (const s of [...sources].reverse()) {
    const e = get(s.map, key, doc);
    if (!e) continue;
    for (const it of seqItems(e.value, doc)) {
      const via = e.via ?? (it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined) ?? (s.via ? trimmedSpan(s.via.keyNode, text) : undefined);
      out.push(via ? { node: it.node, raw: it.raw, list: e, via } : { node: it.node, raw: it.raw, list: e });
    }
  }
  return out;
}

/** Span of `part` inside a scalar node when the scalar's text holds it verbatim; else the node's span. */
function partSpan(node: YNode, text: string, part: string, from = 0): Span {
  const span = trimmedSpan(node, text);
  const raw = text.slice(span.start, span.end);
  const i = raw.indexOf(part, from);
  if (part === '' || i < 0) return span;
  return { start: span.start + i, end: span.start + i + part.length };
}

/** `${VAR:-default}` anywhere in a string → the default (Compose interpolation as far as it is known statically). */
function interpolateAll(s: string): string {
  return s.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, (_w, d: string) => d);
}

function itemLocated<T>(value: T, it: ListItem, span: Span, valueSpan: Span, field: string, ref: ItemRef): Located<T> {
  const loc: Located<T> = { value, span, valueSpan, field, ref };
  if (it.via) loc.via = it.via;
  return loc;
}

function composeMounts(sources: Source[], doc: Document.Parsed, text: string): Mount[] {
  const out: Mount[] = [];
  for (const it of listItems(sources, 'volumes', doc, text)) {
    const span = trimmedSpan(it.node, text);
    if (isMap(it.node)) {
      const type = composeScalar(get(it.node, 'type', doc)?.value);
      const sourceEntry = get(it.node, 'source', doc);
      const source = composeScalar(sourceEntry?.value);
      if (type !== 'bind' || !sourceEntry || source === undefined || source.trim() === '') continue;
      const { value, relative } = normalizeHostPath(source);
      const ref: ComposeMountRef = { list: it.list, item: it.raw, form: 'long' };
      const mount: Mount = { ...itemLocated(value, it, span, valueSpan(sourceEntry, text), 'volumes', ref), readOnly: readBool(get(it.node, 'read_only', doc)?.value, true) === true, form: 'bind' };
      const target = composeScalar(get(it.node, 'target', doc)?.value);
      if (target !== undefined) mount.target = target;
      if (relative) mount.relative = true;
      out.push(mount);
      continue;
    }
    const written = scalarString(it.node);
    if (written === undefined) continue;
    const parsed = parseShortVolume(written);
    if (!parsed) continue;
    const resolved = interpolateAll(parsed.source);
    if (!/^[/.~]/.test(resolved)) continue; // a variable with no default: not known to be a host path
    const { value, relative } = normalizeHostPath(resolved);
    const ref: ComposeMountRef = { list: it.list, item: it.raw, form: 'short' };
    const mount: Mount = { ...itemLocated(value, it, span, partSpan(it.node, text, parsed.source), 'volumes', ref), readOnly: parsed.readOnly, form: 'bind', target: parsed.target };
    if (relative) mount.relative = true;
    out.push(mount);
  }
  const api = lookup(sources, 'use_api_socket', doc);
  if (api && readBool(api.entry.value, true) === true) {
    out.push({ ...withVia(located('/var/run/docker.sock', api.entry, text, 'use_api_socket'), api.via, text), readOnly: false, form: 'api-socket', target: '/var/run/docker.sock' });
  }
  return out;
}

function composeDevices(sources: Source[], doc: Document.Parsed, text: string): Located<string>[] {
  const out: Located<string>[] = [];
  for (const it of listItems(sources, 'devices', doc, text)) {
    const span = trimmedSpan(it.node, text);
    const ref: ItemRef = { list: it.list, item: it.raw };
    if (isMap(it.node)) {
      const e = get(it.node, 'source', doc);
      const v = composeScalar(e?.value);
      if (!e || v === undefined || v.trim() === '') continue;
      out.push(itemLocated(v.trim(), it, span, valueSpan(e, text), 'devices', ref));
      continue;
    }
    const written = scalarString(it.node);
    if (written === undefined || written.trim() === '') continue;
    // CDI names (`vendor.com/class=name`) have no host path: kept whole.
    const host = written.includes('=') ? written.trim() : (written.trim().split(':')[0] ?? '');
    if (host === '') continue;
    out.push(itemLocated(interpolateAll(host), it, span, partSpan(it.node, text, host), 'devices', ref));
  }
  return out;
}

function composeStrings(sources: Source[], key: string, doc: Document.Parsed, text: string): Located<string>[] {
  const out: Located<string>[] = [];
  for (const it of listItems(sources, key, doc, text)) {
    const v = scalarString(it.node);
    if (v === undefined) continue;
    const span = trimmedSpan(it.node, text);
    out.push(itemLocated(v, it, span, span, key, { list: it.list, item: it.raw }));
  }
  return out;
}

/** Sysctl names, nearest first across extends, each once; map keys or `name=value` items. */
function composeSysctls(sources: Source[], doc: Document.Parsed, text: string): Located<string>[] {
  const out: Located<string>[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    const e = get(s.map, 'sysctls', doc);
    if (!e) continue;
    const extendsVia = s.via ? trimmedSpan(s.via.keyNode, text) : undefined;
    const node = e.value;
    if (node && isMap(node)) {
      for (const inner of entries(node, doc)) {
        const name = inner.key.trim();
        if (!name || seen.has(name)) continue;
        seen.add(name);
        const ref: MapPairRef = { map: e, entry: inner };
        const loc: Located<string> = { value: name, span: pairSpan(inner, text), valueSpan: keySpan(inner), field: 'sysctls', ref };
        const via = e.via ?? inner.via ?? extendsVia;
        if (via) loc.via = via;
        out.push(loc);
      }
    } else if (node && isSeq(node)) {
      for (const it of seqItems(node, doc)) {
        const v = scalarString(it.node);
        if (v === undefined) continue;
        const eq = v.indexOf('=');
        const name = (eq >= 0 ? v.slice(0, eq) : v).trim();
        if (!name || seen.has(name)) continue;
        seen.add(name);
        const span = trimmedSpan(it.node, text);
        const ref: ItemRef = { list: e, item: it.raw };
        const loc: Located<string> = { value: name, span, valueSpan: partSpan(it.node, text, name), field: 'sysctls', ref };
        const via = e.via ?? (it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined) ?? extendsVia;
        if (via) loc.via = via;
        out.push(loc);
      }
    }
  }
  return out;
}

type BoundaryFields = Pick<Container, 'seccomp' | 'apparmor' | 'selinux' | 'seLinuxUser' | 'seLinuxRole' | 'unmasked' | 'mounts' | 'devices' | 'deviceCgroupRules' | 'readOnlyRootFilesystem' | 'hostPorts' | 'build' | 'runtime' | 'probeHosts'>;

function composeBoundary(sources: Source[], securityOpt: Located<string>[], doc: Document.Parsed, text: string): BoundaryFields {
  const conf = dockerConfinement(securityOpt, () => 'security_opt');
  const out: BoundaryFields = {
    unmasked: conf.unmasked,
    mounts: composeMounts(sources, doc, text),
    devices: composeDevices(sources, doc, text),
    deviceCgroupRules: composeStrings(sources, 'device_cgroup_rules', doc, text),
    hostPorts: [],
    probeHosts: [],
  };
  assignConfinement(out, conf);
  const ro = lookup(sources, 'read_only', doc);
  const roValue = ro ? readBool(ro.entry.value, true) : undefined;
  if (ro && roValue !== undefined) out.readOnlyRootFilesystem = withVia(located(roValue, ro.entry, text, 'read_only'), ro.via, text);
  const build = lookup(sources, 'build', doc);
  if (build) {
    let spec: BuildSpec | undefined;
    const v = build.entry.value;
    if (v && isMap(v)) {
      spec = { context: composeScalar(get(v, 'context', doc)?.value) ?? '.' };
      const dockerfile = composeScalar(get(v, 'dockerfile', doc)?.value);
      if (dockerfile !== undefined) spec.dockerfile = dockerfile;
      const target = composeScalar(get(v, 'target', doc)?.value);
      if (target !== undefined) spec.target = target;
    } else {
      const context = composeScalar(v);
      if (context !== undefined) spec = { context };
    }
    if (spec) out.build = withVia(located(spec, build.entry, text, 'build'), build.via, text);
  }
  const runtime = lookup(sources, 'runtime', doc);
  const runtimeValue = runtime ? composeScalar(runtime.entry.value) : undefined;
  if (runtime && runtimeValue !== undefined) out.runtime = withVia(located(runtimeValue, runtime.entry, text, 'runtime'), runtime.via, text);
  return out;
}


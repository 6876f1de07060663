/**
 * Compose services → containers. Merge keys, aliases and `extends` (same file) are
 * resolved the way Compose resolves them; lists (cap_add, cap_drop, security_opt)
 * from `extends` are appended, scalars are overridden.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import type { CapabilityRef, Container, ContainerHints, Located, UserSetting, Workload } from '../model';
import type { Entry, YNode } from './yaml-util';
import { asMap, deref, entries, get, interpolateDefault, keySpan, located, normalizeCap, readBool, scalarString, seqItems, trimmedSpan } from './yaml-util';

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
}

export interface ItemRef {
  /** The list's pair (`cap_add: …`). */
  list: Entry;
  item: YNode;
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

export function composeWorkloads(doc: Document.Parsed, text: string): Workload[] {
  const top = asMap(doc.contents ?? undefined);
  const servicesEntry = get(top, 'services', doc);
  const services = asMap(servicesEntry?.value);
  if (!services) return [];
  const out: Workload[] = [];
  for (const svc of entries(services, doc)) {
    const own = asMap(svc.value);
    if (!own) continue;
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
    const ref: ComposeRef = { format: 'compose', doc, service: own, name: svc.key };
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
      ref,
    };
    out.push({ kind: 'compose', name: svc.key, anchor, containers: [container], ref });
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

  const ports: number[] = [];
  for (const node of listValues(sources, 'ports', doc)) {
    const v = isMap(node) ? composeScalar(get(node, 'target', doc)?.value) : composeScalar(node);
    const p = v === undefined ? undefined : containerPort(v);
    if (p !== undefined && !ports.includes(p)) ports.push(p);
  }

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

/**
 * Compose services → containers. Merge keys, aliases and `extends` (same file) are
 * resolved the way Compose resolves them; lists (cap_add, cap_drop, security_opt)
 * from `extends` are appended, scalars are overridden.
 */
import { isScalar } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import type { CapabilityRef, Container, Located, UserSetting, Workload } from '../model';
import type { Entry, YNode } from './yaml-util';
import { asMap, entries, get, interpolateDefault, keySpan, located, normalizeCap, readBool, scalarString, seqItems, trimmedSpan } from './yaml-util';

export interface ComposeRef {
  format: 'compose';
  doc: Document.Parsed;
  /** The service's own map (where overrides go). */
  service: YAMLMap;
  name: string;
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

function stringItems(sources: Source[], key: string, doc: Document.Parsed, text: string, field: string): Located<string>[] {
  const out: Located<string>[] = [];
  for (const s of sources) {
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
      ref,
    };
    out.push({ kind: 'compose', name: svc.key, anchor, containers: [container], ref });
  }
  return out;
}

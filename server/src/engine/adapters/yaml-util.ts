/**
 * Reading YAML the way Compose and Kubernetes do, on the `yaml` AST without toJS():
 * aliases are dereferenced and merge keys (`<<`) resolved lazily, per lookup, so an
 * alias bomb costs nothing unless a rule walks into it, and every value keeps its span.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair, ParsedNode, YAMLMap, YAMLSeq } from 'yaml';
import type { Located, Span } from '../model';

export type YNode = ParsedNode;

const MAX_DEPTH = 64;

/** Follows aliases to the anchored node. */
export function deref(node: unknown, doc: Document.Parsed, depth = 0): YNode | undefined {
  let current = node as Node | null | undefined;
  let hops = 0;
  while (current && isAlias(current)) {
    if (++hops > MAX_DEPTH || depth > MAX_DEPTH) return undefined;
    current = current.resolve(doc) as Node | undefined;
  }
  return (current ?? undefined) as YNode | undefined;
}

export function nodeSpan(node: Node | null | undefined): Span | undefined {
  const range = node?.range;
  if (!range) return undefined;
  return { start: range[0], end: range[1] };
}

/** Span of a value, without the trailing newline block collections include. */
export function trimmedSpan(node: Node, text: string): Span {
  const [start, end] = node.range ?? [0, 0];
  let e = end;
  while (e > start && /[\s]/.test(text[e - 1] ?? '')) e--;
  return { start, end: Math.max(e, start) };
}

export interface Entry {
  key: string;
  pair: Pair<YNode, YNode | null>;
  keyNode: YNode;
  /** The value with aliases followed. */
  value: YNode | undefined;
  /** The raw value node as written at this pair (maybe an alias). */
  rawValue: YNode | null;
  /** The map that holds this pair (differs from the looked-up map when merged). */
  owner: YAMLMap;
  /** The merge-key or alias use site that brought this entry in, if any. */
  via?: Span;
}

export function scalarString(node: Node | null | undefined): string | undefined {
  if (!node || !isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  return String(v);
}

/**
 * The effective entries of a map: its own pairs, then pairs merged in with `<<`
 * (single alias or a list), earlier sources winning, own keys winning over merged ones.
 */
/** Effective entries per map, computed once per parse (rules look keys up many times). */
const ENTRIES = new WeakMap<YAMLMap, Entry[]>();

export function entries(map: YAMLMap, doc: Document.Parsed, depth = 0): Entry[] {
  const cached = ENTRIES.get(map);
  if (cached) return cached;
  const result = computeEntries(map, doc, depth);
  // Only a complete result is cached: one cut short by the depth guard may differ from a top-level call.
  if (depth === 0) ENTRIES.set(map, result);
  return result;
}

function computeEntries(map: YAMLMap, doc: Document.Parsed, depth: number): Entry[] {
  if (depth > MAX_DEPTH) return [];
  const own: Entry[] = [];
  const merges: { node: YNode; via: Span }[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const pair = item as Pair<YNode, YNode | null>;
    const keyNode = deref(pair.key, doc, depth);
    const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined || !keyNode) continue;
    if (key === '<<' && isScalar(pair.key) && (pair.key as { source?: string }).source === '<<') {
      const v = pair.value;
      if (v && isSeq(v)) {
        for (const it of v.items) {
          const target = deref(it, doc, depth + 1);
          const sp = nodeSpan(it as Node);
          if (target && sp) merges.push({ node: target, via: sp });
        }
      } else if (v) {
        const target = deref(v, doc, depth + 1);
        const sp = nodeSpan(v);
        if (target && sp) merges.push({ node: target, via: sp });
      }
      continue;
    }
    const rawValue = pair.value ?? null;
    const value = deref(rawValue, doc, depth + 1);
    const aliasVia = rawValue && isAlias(rawValue) ? nodeSpan(rawValue) : undefined;
    own.push({ key, pair, keyNode, value, rawValue, owner: map, via: aliasVia });
  }
  const seen = new Set(own.map((e) => e.key));
  const result = [...own];
  for (const m of merges) {
    if (!isMap(m.node)) continue;
    for (const e of entries(m.node, doc, depth + 1)) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      result.push({ ...e, via: m.via });
    }
  }
  return result;
}

export function get(map: unknown, key: string, doc: Document.Parsed): Entry | undefined {
  if (!map || !isMap(map)) return undefined;
  return entries(map as YAMLMap, doc).find((e) => e.key === key);
}

export function asMap(node: unknown): YAMLMap | undefined {
  return node && isMap(node) ? (node as YAMLMap) : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  return node && isSeq(node) ? (node as YAMLSeq) : undefined;
}

/** Span from the key to the end of the value (`privileged: true`). */
export function pairSpan(entry: Entry, text: string): Span {
  const start = entry.keyNode.range?.[0] ?? 0;
  const valueNode = entry.rawValue;
  let end = entry.keyNode.range?.[1] ?? start;
  if (valueNode && valueNode.range) end = trimmedSpan(valueNode, text).end;
  return { start, end };
}

export function valueSpan(entry: Entry, text: string): Span {
  const v = entry.value ?? entry.rawValue;
  if (v && v.range) return trimmedSpan(v, text);
  return pairSpan(entry, text);
}

export function keySpan(entry: Entry): Span {
  const r = entry.keyNode.range ?? [0, 0];
  return { start: r[0], end: r[1] };
}

const TRUE_11 = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const FALSE_11 = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N']);

/**
 * A boolean as Compose and Kubernetes read it: YAML 1.1 spellings (`yes`, `on`) count.
 * Quoted strings count only where the format converts strings (`allowQuoted`, Compose).
 */
export function readBool(node: YNode | undefined, allowQuoted: boolean): boolean | undefined {
  if (!node || !isScalar(node)) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value !== 'string') return undefined;
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (quoted && !allowQuoted) return undefined;
  let s = node.value.trim();
  if (allowQuoted) s = interpolateDefault(s) ?? s;
  if (TRUE_11.has(s)) return true;
  if (FALSE_11.has(s)) return false;
  return undefined;
}

/** `${VAR:-default}` / `${VAR-default}` → the default; other interpolations → undefined. */
export function interpolateDefault(s: string): string | undefined {
  const m = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}$/.exec(s);
  return m ? m[1] : undefined;
}

/** Integers as Kubernetes reads them. */
export function readInt(node: YNode | undefined): number | undefined {
  if (!node || !isScalar(node)) return undefined;
  if (typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
  return undefined;
}

export function located<T>(value: T, entry: Entry, text: string, field: string): Located<T> {
  return { value, span: pairSpan(entry, text), valueSpan: valueSpan(entry, text), via: entry.via, field, ref: entry };
}

/** Seq items (aliases followed) with their spans. */
export function seqItems(node: unknown, doc: Document.Parsed): { node: YNode; raw: YNode; span: Span }[] {
  const seq = asSeq(node);
  if (!seq) return [];
  const out: { node: YNode; raw: YNode; span: Span }[] = [];
  for (const it of seq.items) {
    const raw = it as YNode;
    const n = deref(raw, doc);
    const sp = nodeSpan(n ?? raw);
    if (n && sp) out.push({ node: n, raw, span: sp });
  }
  return out;
}

export function normalizeCap(raw: string): string {
  const up = raw.trim().toUpperCase();
  return up.startsWith('CAP_') ? up.slice(4) : up;
}

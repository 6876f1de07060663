/**
 * Reading YAML the way Compose and Kubernetes do, on the `yaml` AST without toJS():
 * aliases are dereferenced and merge keys (`<<`) resolved lazily, per lookup, so an
 * alias bomb costs nothing unless a rule walks into it, and every value keeps its span.
 *
 * The work is linear in the document:
 *   - aliases are resolved from one table per document, made in one pass (yaml's
 *     Alias.resolve walks the whole document for each alias: N services each with `<<: *a`
 *     were quadratic);
 *   - each map's effective entries are computed once, at any depth, so a merge chain whose
 *     every level merges the one below twice costs one pass per level, not 2^levels;
 *   - entries copied in through merge keys are counted against a budget proportional to the
 *     document's size; past it, merging stops and the document gets an info finding on the
 *     anchor whose merge went over (as yaml bounds alias expansion with maxAliasCount).
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Alias, Document, Node, Pair, ParsedNode, YAMLMap, YAMLSeq } from 'yaml';
import type { Located, Span } from '../model';

export type YNode = ParsedNode;

/** Merge keys nested deeper than this (a chain of maps each merging the next) are not followed. */
const MAX_DEPTH = 64;
/** Merged entries allowed per document: this many, plus EXPANSION_PER_NODE per node of the document. */
const EXPANSION_BASE = 10_000;
const EXPANSION_PER_NODE = 8;

interface DocumentState {
  /** Each alias's anchored node (undefined: no anchor of that name before it). */
  targets: Map<Alias, Node | undefined>;
  /** Merged entries still allowed. */
  budget: number;
  /** The nodes of the document (aliases, scalars, maps and sequences). */
  nodes: number;
  /** Where the budget ran out, or the merge depth was exceeded: the anchored node merged there. */
  overflow?: { span: Span; reason: 'budget' | 'depth' };
}

/**
 * A value computed for a YAML document or node, kept on it (under a symbol, out of sight of `yaml`
 * and of for…in) rather than in a WeakMap: V8's young-generation collector keeps a WeakMap's value
 * alive, and moves it to the old generation, when its key is young, even a key no longer used. The
 * caches of every keystroke's tree (entries hold the tree's nodes) then outlived it until the next
 * full collection, and scavenges copied them (#16). On the node, a cache dies with its node.
 * `owner`: a node copied with its own properties (yaml's clone(), the re-parse's document copy)
 * does not take the original's cache.
 */
interface NodeCache<T> {
  owner: object;
  value: T;
}

function cachedOn<T>(node: object, key: symbol): T | undefined {
  const c = (node as Record<symbol, NodeCache<T> | undefined>)[key];
  return c !== undefined && c.owner === node ? c.value : undefined;
}

function cacheOn<T>(node: object, key: symbol, value: T): void {
  Object.defineProperty(node, key, { value: { owner: node, value } satisfies NodeCache<T>, configurable: true, writable: true, enumerable: false });
}

const STATES = Symbol('container-privilege-lint.document-state');

/**
 * The alias table, in one pre-order pass, as yaml resolves an alias: the last node with that
 * anchor before the alias in document order (a map's anchor comes before its content).
 */
function stateOf(doc: Document.Parsed): DocumentState {
  let state = cachedOn<DocumentState>(doc, STATES);
  if (state) return state;
  const targets = new Map<Alias, Node | undefined>();
  const nodes = walkAliases(doc.contents, new Map<string, Node>(), targets);
  state = { targets, budget: EXPANSION_BASE + EXPANSION_PER_NODE * nodes, nodes };
  cacheOn(doc, STATES, state);
  return state;
}

/** Pre-order over a subtree: anchors as met, each alias's target into `targets`; returns the nodes counted (not pairs). */
function walkAliases(root: unknown, anchors: Map<string, Node>, targets: Map<Alias, Node | undefined>): number {
  let nodes = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      nodes++;
      continue;
    }
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    nodes++;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node) || isSeq(node)) {
      const items = node.items as unknown[];
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
  return nodes;
}

/**
 * For a document made from `previous` by putting `replacement` where `replaced` was (yaml-reparse):
 * when neither has an alias and no merge has spent the budget, its alias table is the previous
 * one's, empty, and its node count moves by the entries' difference. A keystroke then does not
 * walk the whole tree to learn that it still has no alias (#16: 8 % of a Compose keystroke).
 */
export function inheritAliasState(doc: Document.Parsed, previous: Document.Parsed, replaced: unknown, replacement: unknown): void {
  const before = stateOf(previous);
  if (before.targets.size > 0 || before.overflow || before.budget !== EXPANSION_BASE + EXPANSION_PER_NODE * before.nodes) return;
  const added = new Map<Alias, Node | undefined>();
  const newNodes = walkAliases(replacement, new Map(), added);
  if (added.size > 0) return;
  const nodes = before.nodes - walkAliases(replaced, new Map(), new Map()) + newNodes;
  cacheOn(doc, STATES, { targets: new Map(), budget: EXPANSION_BASE + EXPANSION_PER_NODE * nodes, nodes } satisfies DocumentState);
}

/** Whether the document has an alias (`*name`). */
export function hasAliases(doc: Document.Parsed): boolean {
  return stateOf(doc).targets.size > 0;
}

/** The document's alias count and merge budget as its alias table says (for tests: a table inherited by a re-parse must be the one a walk makes). */
export function aliasTable(doc: Document.Parsed): { aliases: number; budget: number } {
  const state = stateOf(doc);
  return { aliases: state.targets.size, budget: state.budget };
}

/** The distinct nodes that aliases of the document point at. */
export function aliasTargets(doc: Document.Parsed): Node[] {
  return [...new Set([...stateOf(doc).targets.values()].filter((t): t is Node => t !== undefined))];
}

/** Why the document's merges were cut short, and where (undefined when they were not). */
export function expansionOverflow(doc: Document.Parsed): DocumentState['overflow'] {
  return cachedOn<DocumentState>(doc, STATES)?.overflow;
}

/** Follows aliases to the anchored node. */
export function deref(node: unknown, doc: Document.Parsed, _depth = 0): YNode | undefined {
  const current = node as Node | null | undefined;
  if (current && isAlias(current)) return stateOf(doc).targets.get(current) as YNode | undefined;
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

/** Effective entries per map, computed once per parse, at any depth (rules look keys up many times). */
const ENTRIES = Symbol('container-privilege-lint.entries');
/** Maps whose entries are being computed: a merge back into one of them is a cycle, and skipped. */
const IN_PROGRESS = new Set<YAMLMap>();

/**
 * The effective entries of a map: its own pairs, then pairs merged in with `<<`
 * (single alias or a list), earlier sources winning, own keys winning over merged ones.
 */
export function entries(map: YAMLMap, doc: Document.Parsed, depth = 0): Entry[] {
  const cached = cachedOn<Entry[]>(map, ENTRIES);
  if (cached) return cached;
  IN_PROGRESS.add(map);
  let result: Entry[];
  try {
    result = computeEntries(map, doc, depth);
  } finally {
    IN_PROGRESS.delete(map);
  }
  cacheOn(map, ENTRIES, result);
  return result;
}

function computeEntries(map: YAMLMap, doc: Document.Parsed, depth: number): Entry[] {
  const own: Entry[] = [];
  const merges: { node: YNode; via: Span }[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const pair = item as Pair<YNode, YNode | null>;
    const keyNode = deref(pair.key, doc);
    const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : undefined;
    if (key === undefined || !keyNode) continue;
    if (key === '<<' && isScalar(pair.key) && (pair.key as { source?: string }).source === '<<') {
      const v = pair.value;
      if (v && isSeq(v)) {
        for (const it of v.items) {
          const target = deref(it, doc);
          const sp = nodeSpan(it as Node);
          if (target && sp) merges.push({ node: target, via: sp });
        }
      } else if (v) {
        const target = deref(v, doc);
        const sp = nodeSpan(v);
        if (target && sp) merges.push({ node: target, via: sp });
      }
      continue;
    }
    const rawValue = pair.value ?? null;
    const value = deref(rawValue, doc);
    const aliasVia = rawValue && isAlias(rawValue) ? nodeSpan(rawValue) : undefined;
    own.push({ key, pair, keyNode, value, rawValue, owner: map, via: aliasVia });
  }
  if (merges.length === 0) return own;
  const state = stateOf(doc);
  const seen = new Set(own.map((e) => e.key));
  const result = own;
  for (const m of merges) {
    if (!isMap(m.node) || IN_PROGRESS.has(m.node as YAMLMap)) continue;
    if (state.overflow?.reason === 'budget') break;
    if (depth >= MAX_DEPTH) {
      state.overflow = { span: anchorSpan(m.node), reason: 'depth' };
      break;
    }
    const merged = entries(m.node as YAMLMap, doc, depth + 1);
    if (merged.length > state.budget) {
      state.overflow ??= { span: anchorSpan(m.node), reason: 'budget' };
      break;
    }
    state.budget -= merged.length;
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.add(e.key);
      result.push({ ...e, via: m.via });
    }
  }
  return result;
}

/** Where an anchored node starts (its `&name` is just before). */
function anchorSpan(node: Node): Span {
  const start = node.range?.[0] ?? 0;
  return { start, end: start };
}

/** Maps with more entries than this get an index by key (a Compose file's `services:`). */
const INDEXED_FROM = 16;
const INDEX = Symbol('container-privilege-lint.index');

export function get(map: unknown, key: string, doc: Document.Parsed): Entry | undefined {
  if (!map || !isMap(map)) return undefined;
  const all = entries(map as YAMLMap, doc);
  if (all.length <= INDEXED_FROM) return all.find((e) => e.key === key);
  let index = cachedOn<Map<string, Entry>>(map, INDEX);
  if (!index) {
    index = new Map();
    for (const e of all) if (!index.has(e.key)) index.set(e.key, e);
    cacheOn(map, INDEX, index);
  }
  return index.get(key);
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

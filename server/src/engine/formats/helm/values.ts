/**
 * Evaluating the pipelines of a Helm template against the chart's default values, without
 * rendering: a value is a node of values.yaml (with where it is written), a literal of the
 * template, or unknown. Only the common ways charts put values into a pod spec are followed
 * (field chains, `toYaml`, `nindent`/`indent`, `default`, `coalesce`, `quote`, `index`,
 * `include`); anything else is unknown.
 */
import { isMap, isScalar, isSeq, Pair, YAMLMap } from 'yaml';
import type { Document } from 'yaml';
import type { YNode } from '../../adapters/yaml-util';
import { asMap, get } from '../../adapters/yaml-util';
import type { Command, Term } from './template';

export type Val =
  /** The root context (`.` at the top of a template, `$`): `.Values`, `.Chart`, `.Release`… */
  | { k: 'root' }
  /**
   * A node of the values (values.yaml, then the extra values files over it): `node` is the
   * effective one (a map merged from several files when more than one has a map there),
   * undefined when no file has the key; `pair` the pair of the file that decides; `layers`
   * the node at this path in each file.
   */
  | { k: 'values'; node: YNode | undefined; pair?: Pair; layers: (YNode | undefined)[]; path: string[]; yaml?: boolean; indent?: number; quoted?: boolean }
  /** A literal of the template (`default 1000`, `"x"`). */
  | { k: 'lit'; value: string | number | boolean | null }
  /** The output of `include` / `template` of a named helper. */
  | { k: 'include'; name: string; indent?: number }
  | { k: 'unknown' };

export const UNKNOWN: Val = { k: 'unknown' };

/** Maps merged from several values files (no range of their own: the writer gets no handle on them). */
export const MERGED = new WeakSet<object>();

export interface EvalContext {
  /** values.yaml first, then each extra values file (`--values`), later ones winning. */
  valuesDocs: Document.Parsed[];
  dot: Val;
  vars: Map<string, Val>;
}

/** Go's "empty": false, 0, "", nil, an empty map or list. Undefined when it cannot be known. */
export function isEmpty(v: Val): boolean | undefined {
  if (v.k === 'lit') return v.value === null || v.value === false || v.value === 0 || v.value === '';
  if (v.k !== 'values') return v.k === 'root' ? false : undefined;
  const n = v.node;
  if (!n) return true;
  if (isScalar(n)) return n.value === null || n.value === false || n.value === 0 || n.value === '';
  if (isMap(n) || isSeq(n)) return n.items.length === 0;
  return undefined;
}

/** The effective node of one key across the files: the last file that has it; maps are merged. */
function child(layers: (YNode | undefined)[], key: string, docs: Document.Parsed[]): { node: YNode | undefined; pair?: Pair; layers: (YNode | undefined)[]; unknown?: boolean } {
  const next: (YNode | undefined)[] = [];
  let node: YNode | undefined;
  let pair: Pair | undefined;
  let unknown = false;
  layers.forEach((l, i) => {
    const doc = docs[i];
    if (!l || !doc || !isMap(l)) {
      next.push(undefined);
      return;
    }
    const e = get(asMap(l), key, doc);
    if (e && e.via) unknown = true; // through an alias or merge key: not followed
    next.push(e?.value);
    if (e) {
      node = e.value;
      pair = e.pair as Pair;
    }
  });
  const maps = next.filter((n): n is YNode => !!n && isMap(n));
  if (node && isMap(node) && maps.length > 1) node = merged(maps, docs, next);
  return { node, pair, layers: next, unknown };
}

function merged(_maps: YNode[], docs: Document.Parsed[], layers: (YNode | undefined)[]): YNode {
  const out = new YAMLMap();
  MERGED.add(out);
  const keys: string[] = [];
  for (const l of layers) if (l && isMap(l)) for (const p of l.items) if (isScalar(p.key) && !keys.includes(String(p.key.value))) keys.push(String(p.key.value));
  for (const key of keys.slice(0, 500)) {
    const c = child(layers, key, docs);
    if (!c.pair) continue;
    out.items.push(c.node === c.pair.value ? c.pair : new Pair(c.pair.key, c.node));
  }
  return out as unknown as YNode;
}

function field(base: Val, path: string[], ctx: EvalContext): Val {
  let cur = base;
  let rest = path;
  if (cur.k === 'root') {
    if (rest.length === 0) return cur;
    if (rest[0] !== 'Values') return UNKNOWN;
    const layers = ctx.valuesDocs.map((d) => (d.contents as YNode | null) ?? undefined);
    const maps = layers.filter((n): n is YNode => !!n && isMap(n));
    const root = maps.length > 1 ? merged(maps, ctx.valuesDocs, layers) : layers[layers.length - 1] ?? layers[0];
    cur = { k: 'values', node: root, layers, path: [] };
    rest = rest.slice(1);
  }
  if (cur.k !== 'values') return rest.length === 0 ? cur : UNKNOWN;
  let node = cur.node;
  let pair = cur.pair;
  let layers = cur.layers;
  const at = [...cur.path];
  for (const key of rest) {
    at.push(key);
    if (!node) return { k: 'values', node: undefined, layers: [], path: at };
    if (!isMap(node)) return isScalar(node) && node.value === null ? { k: 'values', node: undefined, layers: [], path: at } : UNKNOWN;
    const c = child(layers, key, ctx.valuesDocs);
    if (c.unknown) return UNKNOWN;
    node = c.node;
    pair = c.pair;
    layers = c.layers;
  }
  return { k: 'values', node, pair, layers, path: at };
}

function term(t: Term, ctx: EvalContext): Val {
  switch (t.t) {
    case 'field':
      if (t.base === 'dot') return field(ctx.dot, t.path, ctx);
      if (t.base === 'root') return field({ k: 'root' }, t.path, ctx);
      return field(ctx.vars.get(t.base.slice(4)) ?? UNKNOWN, t.path, ctx);
    case 'string':
      return { k: 'lit', value: t.value };
    case 'number':
      return { k: 'lit', value: t.value };
    case 'bool':
      return { k: 'lit', value: t.value };
    case 'nil':
      return { k: 'lit', value: null };
    case 'paren':
      return evaluate(t.pipeline, ctx);
    case 'ident':
      return call(t.name, [], ctx);
  }
}

function withIndent(v: Val, n: Val): Val {
  if (n.k !== 'lit' || typeof n.value !== 'number') return UNKNOWN;
  if (v.k === 'values' || v.k === 'include') return { ...v, indent: n.value };
  return v.k === 'lit' ? v : UNKNOWN;
}

function call(name: string, args: Val[], ctx: EvalContext, raw?: Term[]): Val {
  switch (name) {
    case 'toYaml':
      return args.length === 1 && args[0].k === 'values' ? { ...args[0], yaml: true } : UNKNOWN;
    case 'nindent':
    case 'indent':
      return args.length === 2 ? withIndent(args[1], args[0]) : UNKNOWN;
    case 'trim':
    case 'toString':
    case 'int':
    case 'int64':
    case 'float64':
      return args.length === 1 && (args[0].k === 'values' || args[0].k === 'lit') ? args[0] : UNKNOWN;
    case 'quote':
    case 'squote': {
      const a = args[0];
      if (args.length !== 1 || !a) return UNKNOWN;
      if (a.k === 'lit') return { k: 'lit', value: a.value === null ? '' : String(a.value) };
      return a.k === 'values' && !a.yaml ? { ...a, quoted: true } : UNKNOWN;
    }
    case 'required':
      return args.length === 2 ? args[1] : UNKNOWN;
    case 'default': {
      if (args.length !== 2) return UNKNOWN;
      const empty = isEmpty(args[1]);
      return empty === undefined ? UNKNOWN : empty ? args[0] : args[1];
    }
    case 'coalesce': {
      for (const a of args) {
        const empty = isEmpty(a);
        if (empty === undefined) return UNKNOWN;
        if (!empty) return a;
      }
      return { k: 'lit', value: null };
    }
    case 'not': {
      const e = args.length === 1 ? isEmpty(args[0]) : undefined;
      return e === undefined ? UNKNOWN : { k: 'lit', value: e };
    }
    case 'and':
    case 'or': {
      if (args.length === 0) return UNKNOWN;
      for (const a of args.slice(0, -1)) {
        const e = isEmpty(a);
        if (e === undefined) return UNKNOWN;
        if (name === 'and' ? e : !e) return a;
      }
      return args[args.length - 1];
    }
    case 'index': {
      const [base, ...keys] = args;
      if (!base || keys.some((k) => k.k !== 'lit' || typeof k.value !== 'string')) return UNKNOWN;
      return field(base, keys.map((k) => String((k as { value: unknown }).value)), ctx);
    }
    case 'include':
    case 'template': {
      const n = raw?.[0];
      return n && n.t === 'string' ? { k: 'include', name: n.value } : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

/** The value of a pipeline: each command's result is the last argument of the next. */
export function evaluate(cmds: Command[], ctx: EvalContext): Val {
  let piped: Val | undefined;
  for (const cmd of cmds) {
    const [head, ...rest] = cmd;
    if (!head) return UNKNOWN;
    if (head.t === 'ident') {
      const args = rest.map((t) => term(t, ctx));
      if (piped) args.push(piped);
      piped = call(head.name, args, ctx, rest);
    } else {
      if (rest.length > 0 || piped) return UNKNOWN;
      piped = term(head, ctx);
    }
  }
  return piped ?? UNKNOWN;
}

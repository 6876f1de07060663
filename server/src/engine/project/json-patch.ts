/**
 * JSON 6902 patches (RFC 6902, with RFC 6901 JSON Pointers) applied to a Kubernetes resource as
 * Kustomize applies them, on the `yaml` node tree rather than on plain data: the result is a
 * tree whose untouched nodes are the base's own and whose written values are the patch's own
 * nodes, so the adapter reads the patched resource with every value still located in the file
 * that writes it (kustomize.ts says which file that is).
 *
 * Nodes are never changed: each operation copies the maps and lists on its path (copy on write).
 * A key an operation adds gets a key node of its own, placed where the operation's value starts,
 * so the pair reads as written by the patch.
 *
 * As kustomize does, `replace` and `remove` need the path to exist, `add` needs its parent, and a
 * failing `test` stops the patch: the operation and the reason are returned, and nothing of the
 * patch is applied.
 */
import { Pair, Scalar, isMap, isScalar, isSeq } from 'yaml';
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import type { Span } from '../model';
import type { YNode } from '../adapters/yaml-util';
import { asMap, deref, get, scalarString, seqItems, trimmedSpan } from '../adapters/yaml-util';

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  /** The pointer's reference tokens, unescaped (`~1` → `/`, `~0` → `~`). */
  path: string[];
  /** The pointer as written. */
  pointer: string;
  from?: string[];
  /** The value node as the patch writes it (aliases followed). */
  value?: YNode;
  /** The operation's list item. */
  span: Span;
  /** `path: …` as written (the pair). */
  pathSpan: Span;
}

export interface JsonPatch {
  doc: Document.Parsed;
  ops: JsonPatchOp[];
  /** Items that are not operations this reader knows (an unknown `op`, a pointer without `/`). */
  invalid: { span: Span; reason: string }[];
}

const OPS = new Set(['add', 'remove', 'replace', 'test', 'move', 'copy']);

/** RFC 6901: `''` is the whole document; otherwise `/`-separated tokens with `~1` and `~0` unescaped (in that order). */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Whether a parsed YAML document is a JSON 6902 patch: a list whose items are maps with `op` and `path`. */
export function isJsonPatchDocument(doc: Document.Parsed): boolean {
  const items = seqItems(doc.contents, doc);
  if (items.length === 0) return false;
  return items.every((it) => {
    const m = asMap(it.node);
    return !!m && get(m, 'op', doc) !== undefined && get(m, 'path', doc) !== undefined;
  });
}

/** The operations of a JSON 6902 patch document (undefined when it is not one). */
export function readJsonPatch(doc: Document.Parsed, text: string): JsonPatch | undefined {
  if (doc.errors.length > 0 || !isJsonPatchDocument(doc)) return undefined;
  const ops: JsonPatchOp[] = [];
  const invalid: JsonPatch['invalid'] = [];
  for (const it of seqItems(doc.contents, doc)) {
    const m = it.node as YAMLMap;
    const span = trimmedSpan(it.node, text);
    const opName = scalarString(get(m, 'op', doc)?.value);
    const pathEntry = get(m, 'path', doc);
    const pointer = scalarString(pathEntry?.value) ?? '';
    const path = parsePointer(pointer);
    if (!opName || !OPS.has(opName)) {
      invalid.push({ span, reason: `unknown operation "${opName ?? ''}"` });
      continue;
    }
    if (!path || !pathEntry) {
      invalid.push({ span, reason: `the path "${pointer}" is not a JSON Pointer (it must start with /)` });
      continue;
    }
    const op: JsonPatchOp = { op: opName as JsonPatchOp['op'], path, pointer, span, pathSpan: { start: pathEntry.keyNode.range?.[0] ?? span.start, end: trimmedSpan(pathEntry.value ?? pathEntry.keyNode, text).end } };
    if (opName === 'move' || opName === 'copy') {
      const from = parsePointer(scalarString(get(m, 'from', doc)?.value) ?? '');
      if (!from || get(m, 'from', doc) === undefined) {
        invalid.push({ span, reason: `${opName} needs a "from" JSON Pointer` });
        continue;
      }
      op.from = from;
    }
    if (opName === 'add' || opName === 'replace' || opName === 'test') {
      const v = get(m, 'value', doc);
      if (!v) {
        invalid.push({ span, reason: `${opName} needs a value` });
        continue;
      }
      // `value:` with nothing after it is null: a node of its own at the key.
      op.value = v.value ?? nullAt(v.keyNode.range?.[1] ?? span.start);
    }
    ops.push(op);
  }
  return { doc, ops, invalid };
}

function nullAt(offset: number): YNode {
  const s = new Scalar(null);
  s.range = [offset, offset, offset];
  return s as unknown as YNode;
}

/** Why an operation could not be applied (kustomize stops the build there). */
export class PatchFailure extends Error {}

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

function copyOf<T extends Collection>(node: T): T {
  // Every own property, the node-type symbol (not enumerable) included, then a list of its own.
  const copy = Object.create(Object.getPrototypeOf(node) as object, Object.getOwnPropertyDescriptors(node)) as T;
  copy.items = [...node.items] as T['items'];
  return copy;
}

function keyOf(pair: unknown, doc: Document.Parsed): string | undefined {
  const k = deref((pair as Pair).key, doc);
  return k && isScalar(k) ? String(k.value) : undefined;
}

function pairIndex(map: YAMLMap<unknown, unknown>, token: string, doc: Document.Parsed): number {
  return map.items.findIndex((p) => keyOf(p, doc) === token);
}

/** A list index as RFC 6901 writes it: digits without a leading zero. */
function indexOf(token: string, length: number, forAdd: boolean): number {
  if (forAdd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchFailure(`"${token}" is not a list index`);
  const i = Number(token);
  if (i > length || (!forAdd && i === length)) throw new PatchFailure(`index ${i} is past the end of the list (${length} items)`);
  return i;
}

/** A pair written by the patch: its key is placed, zero-width, where the value starts. */
function writtenPair(token: string, value: YNode): Pair {
  const key = new Scalar(token);
  const at = value.range?.[0] ?? 0;
  key.range = [at, at, at];
  return new Pair(key, value);
}

function describe(tokens: readonly string[], upTo: number): string {
  return `/${tokens.slice(0, upTo).map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** The node at a pointer (undefined: it does not exist). */
export function nodeAt(root: YNode, tokens: readonly string[], doc: Document.Parsed): YNode | undefined {
  let cur: YNode | undefined = root;
  for (const t of tokens) {
    const n = deref(cur, doc);
    if (n && isMap(n)) {
      const i = pairIndex(n, t, doc);
      cur = i < 0 ? undefined : (deref((n.items[i] as Pair).value, doc) ?? nullAt(0));
    } else if (n && isSeq(n)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t) || Number(t) >= n.items.length) return undefined;
      cur = deref(n.items[Number(t)], doc);
    } else return undefined;
    if (!cur) return undefined;
  }
  return cur;
}

/**
 * The tree with one change at `tokens`: `edit` gets the parent collection (a copy, free to
 * change) and the last token. Every collection on the way is copied; nothing is changed in place.
 */
function rewrite(node: YNode, tokens: readonly string[], depth: number, doc: Document.Parsed, edit: (parent: Collection, token: string) => void): YNode {
  const n = deref(node, doc);
  if (!n || (!isMap(n) && !isSeq(n))) throw new PatchFailure(`${describe(tokens, depth)} is not a map or a list`);
  const copy = copyOf(n as Collection);
  const token = tokens[depth];
  if (depth === tokens.length - 1) {
    edit(copy, token);
    return copy as unknown as YNode;
  }
  if (isMap(copy)) {
    const i = pairIndex(copy, token, doc);
    if (i < 0) throw new PatchFailure(`${describe(tokens, depth + 1)} does not exist`);
    const pair = copy.items[i] as Pair;
    const child = deref(pair.value, doc);
    if (!child) throw new PatchFailure(`${describe(tokens, depth + 1)} is empty`);
    copy.items[i] = new Pair(pair.key, rewrite(child, tokens, depth + 1, doc, edit));
  } else {
    const seq = copy as YAMLSeq<unknown>;
    const i = indexOf(token, seq.items.length, false);
    const child = deref(seq.items[i], doc);
    if (!child) throw new PatchFailure(`${describe(tokens, depth + 1)} is empty`);
    seq.items[i] = rewrite(child, tokens, depth + 1, doc, edit);
  }
  return copy as unknown as YNode;
}

function add(root: YNode, tokens: readonly string[], value: YNode, doc: Document.Parsed): YNode {
  if (tokens.length === 0) return value;
  return rewrite(root, tokens, 0, doc, (parent, token) => {
    if (isMap(parent)) {
      const i = pairIndex(parent, token, doc);
      if (i >= 0) parent.items[i] = writtenPair(token, value);
      else parent.items.push(writtenPair(token, value));
    } else {
      parent.items.splice(indexOf(token, parent.items.length, true), 0, value);
    }
  });
}

function remove(root: YNode, tokens: readonly string[], doc: Document.Parsed): YNode {
  if (tokens.length === 0) throw new PatchFailure('the whole resource cannot be removed');
  return rewrite(root, tokens, 0, doc, (parent, token) => {
    if (isMap(parent)) {
      const i = pairIndex(parent, token, doc);
      if (i < 0) throw new PatchFailure(`${describe(tokens, tokens.length)} does not exist`);
      parent.items.splice(i, 1);
    } else {
      parent.items.splice(indexOf(token, parent.items.length, false), 1);
    }
  });
}

function replace(root: YNode, tokens: readonly string[], value: YNode, doc: Document.Parsed): YNode {
  if (tokens.length === 0) return value;
  return rewrite(root, tokens, 0, doc, (parent, token) => {
    if (isMap(parent)) {
      const i = pairIndex(parent, token, doc);
      if (i < 0) throw new PatchFailure(`${describe(tokens, tokens.length)} does not exist`);
      parent.items[i] = writtenPair(token, value);
    } else {
      parent.items[indexOf(token, parent.items.length, false)] = value;
    }
  });
}

function plain(node: YNode | undefined, doc: Document.Parsed): unknown {
  if (!node) return null;
  try {
    return node.toJS(doc, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export interface Applied {
  /** The patched resource (the base's own top node when nothing changed). */
  root: YNode;
  /** The operation that could not be applied, and why; nothing of the patch is then applied. */
  failed?: { op: JsonPatchOp; reason: string };
}

/**
 * The operations applied in order to a resource. `baseDoc` resolves the base's aliases,
 * `patchDoc` the patch's (a value is read whole, so its aliases are followed by the adapter).
 */
export function applyJsonPatch(root: YNode, ops: readonly JsonPatchOp[], baseDoc: Document.Parsed, patchDoc: Document.Parsed): Applied {
  let cur = root;
  for (const op of ops) {
    try {
      switch (op.op) {
        case 'add':
          cur = add(cur, op.path, op.value as YNode, baseDoc);
          break;
        case 'replace':
          cur = replace(cur, op.path, op.value as YNode, baseDoc);
          break;
        case 'remove':
          cur = remove(cur, op.path, baseDoc);
          break;
        case 'test': {
          const at = nodeAt(cur, op.path, baseDoc);
          if (!at) throw new PatchFailure(`${op.pointer} does not exist`);
          if (!sameValue(plain(at, baseDoc), plain(op.value, patchDoc))) throw new PatchFailure(`the value at ${op.pointer} is not the one the test expects`);
          break;
        }
        case 'copy':
        case 'move': {
          const from = op.from as string[];
          const at = nodeAt(cur, from, baseDoc);
          if (!at) throw new PatchFailure(`${describe(from, from.length)} (from) does not exist`);
          if (op.op === 'move') {
            if (op.path.length > from.length && from.every((t, i) => op.path[i] === t)) throw new PatchFailure('a value cannot be moved into itself');
            cur = remove(cur, from, baseDoc);
          }
          cur = add(cur, op.path, at, baseDoc);
          break;
        }
      }
    } catch (e) {
      // Never a crash: a tree this reader cannot walk is a patch it cannot apply.
      return { root, failed: { op, reason: e instanceof PatchFailure ? e.message : 'it could not be applied' } };
    }
  }
  return { root: cur };
}

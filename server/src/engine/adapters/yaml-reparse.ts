/**
 * Re-parsing one YAML document after an edit without parsing all of it again (#16: a keystroke in
 * a 300-line Compose file parsed the whole file, 60 % of the analysis).
 *
 * The edit is placed in the block of one mapping entry (a Compose service, or a top-level key):
 * from its key's line to the next line that is not blank, not a comment and not indented deeper
 * than the key. That block alone is parsed (yaml's own parser, at the block's offset). The nodes
 * that hold it are copied with their offsets moved; what comes before it is shared; what comes
 * after it is taken over, its offsets moved by the length change in place, so the previous tree
 * is no base for another re-parse after that (MOVED_ON). With aliases or merge keys, what was
 * computed of a node may depend on the whole document: then every other node is copied, and the
 * previous tree stays as it was.
 *
 * The result must be the tree a whole parse gives, so every condition that could make the block
 * read differently on its own is checked, and any doubt is a whole parse (undefined here): the
 * previous tree had no errors or warnings; the block's key starts its line, at the same column
 * as before; the previous entry ended inside the old block and the next one began after it; the
 * block parses alone without errors into one entry of a block mapping; its end is a line start
 * in both versions; and every offset of an enclosing node that fell inside the old block is one
 * the new block gives again (a mapping's end is its last entry's end). The tests compare this
 * against whole parses over thousands of random edits.
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node, ParsedNode } from 'yaml';
import { hasAliases, inheritAliasState } from './yaml-util';

/** An edit, in offsets of the document's text: [start, oldEnd) of the old text became [start, newEnd) of the new. */
export interface TextEdit {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Parses `source` as text that starts at `offset` (every range is offset by it). */
export type ParseAt = (source: string, offset: number) => Document.Parsed[];

/** How deep the block is looked for: a top-level key (1), a Compose service (2), a key of a service (3). */
const MAX_DEPTH = 3;

/**
 * The tree of `text` (one document, offsets from `text`'s start), made from `previous` (the tree
 * of `oldText`) and a parse of the edited block; undefined when only a whole parse is exact.
 */
export function reparseBlock(previous: Document.Parsed, oldText: string, text: string, edit: TextEdit, parse: ParseAt): Document.Parsed | undefined {
  const delta = text.length - oldText.length;
  if (delta !== edit.newEnd - edit.oldEnd || previous.errors.length > 0 || previous.warnings.length > 0) return undefined;
  // A tree whose nodes after an edit were moved into a later version no longer has its own offsets there.
  if ((previous as { [MOVED_ON]?: true })[MOVED_ON]) return undefined;
  const root = previous.contents;
  if (!root || !isMap(root) || root.flow) return undefined;
  // The chain of entries holding the edit, outermost first.
  const chain: Block[] = [];
  let map: YAMLMap | undefined = root as YAMLMap;
  while (map && chain.length < MAX_DEPTH) {
    const found = entryHolding(map, oldText, edit);
    if (!found) break;
    chain.push(found);
    const value = found.pair.value;
    map = value && isMap(value) && !value.flow ? (value as YAMLMap) : undefined;
  }
  // Nodes before the block keep their offsets: they are shared with the previous tree (not copied,
  // so not allocated again and not collected again: #16's keystroke cost is mostly garbage), and so
  // is what the adapter computed of them (yaml-util's merged entries per map). Only without aliases
  // and merge keys: an entry merged in is counted against a budget per document (yaml-util), and a
  // shared map would not count again.
  const share = !hasAliases(previous) && !oldText.includes('<<');
  // The innermost block that is still one entry's block in the new text is parsed; if that parse
  // is not exact, a whole parse is (an outer block holds the same text, and parsing it too would double the cost).
  for (let i = chain.length - 1; i >= 0; i--) {
    if (stillOneBlock(chain[i], oldText, text, delta)) return replaceEntry(previous, chain[i], text, delta, parse, share);
  }
  return undefined;
}

/** The entry of `map` whose block holds the whole edit, with the block's extent in the old text. */
function entryHolding(map: YAMLMap, oldText: string, edit: TextEdit): Block | undefined {
  const items = map.items;
  let i = items.length - 1;
  while (i >= 0 && !(isPair(items[i]) && keyStart(items[i] as Pair) <= edit.start)) i--;
  if (i < 0) return undefined;
  const pair = items[i] as Pair<ParsedNode, ParsedNode | null>;
  const key = pair.key;
  if (!key || !isScalar(key) || !key.range || key.range[1] <= key.range[0]) return undefined;
  const start = key.range[0];
  let lineStart = start;
  while (lineStart > 0 && oldText[lineStart - 1] === ' ') lineStart--;
  // The key starts its line (not after `- ` or `? `, not after a tab or a byte-order mark).
  if (lineStart > 0 && oldText[lineStart - 1] !== '\n') return undefined;
  const indent = start - lineStart;
  const blockEnd = blockEndAfter(oldText, start, indent);
  if (edit.start < lineStart || edit.oldEnd > blockEnd) return undefined;
  // In the old tree the entry ended inside the block and the next one (if any) began after it.
  const valueEnd = pair.value?.range?.[1] ?? key.range[1];
  if (valueEnd > blockEnd) return undefined;
  const next = items[i + 1];
  if (next !== undefined && (!isPair(next) || keyStart(next as Pair) < blockEnd)) return undefined;
  return { pair, blockStart: lineStart, blockEnd, indent };
}

function keyStart(pair: Pair): number {
  const key = pair.key as Node | null;
  return key && typeof key === 'object' && key.range ? key.range[0] : -1;
}

/**
 * The start of the first line after the one holding `from` that is not blank, not a comment and
 * indented at most `indent` spaces (the text's end if none is).
 */
function blockEndAfter(text: string, from: number, indent: number): number {
  let i = text.indexOf('\n', from);
  while (i >= 0) {
    const line = i + 1;
    const spaces = indentAt(text, line);
    const j = line + spaces;
    const c = text[j];
    if (c !== undefined && c !== '\n' && c !== '\r' && c !== '#' && !(c === '\t' && onlyBlanks(text, j))) {
      if (spaces <= indent) return line;
    }
    i = text.indexOf('\n', j);
  }
  return text.length;
}

/** Spaces at the start of the line that starts at `at`. */
function indentAt(text: string, at: number): number {
  let j = at;
  while (text.charCodeAt(j) === 32) j++;
  return j - at;
}

/** Whether the line at `end` (a block's end in the new text) is the next entry of the block's mapping. */
function nextIsSibling(text: string, end: number, indent: number): boolean {
  return end < text.length && indentAt(text, end) === indent;
}

/** Whether the last line of text[from, to) that is not blank may end in a comment. */
function endsInComment(text: string, from: number, to: number): boolean {
  let end = to;
  while (end > from) {
    let start = end - 1;
    while (start > from && text[start - 1] !== '\n') start--;
    const line = text.slice(start, end).trim();
    // A comment line, or a `#` anywhere on the line (a comment after a value; a `#` inside a value
    // is taken as one too: only a whole parse is asked then).
    if (line !== '') return line.includes('#');
    end = start;
  }
  return false;
}

/** Whether the text, from `from` on, ends with a line that is not blank and at most one line break after it. */
function endsOnContentLine(text: string, from: number): boolean {
  let i = text.length;
  if (text[i - 1] === '\n') i--;
  if (text[i - 1] === '\r') i--;
  return i > from && text[i - 1] !== '\n' && text[i - 1] !== '\r' && text[i - 1] !== ' ' && text[i - 1] !== '\t';
}

function onlyBlanks(text: string, from: number): boolean {
  let j = from;
  while (text[j] === ' ' || text[j] === '\t') j++;
  return j >= text.length || text[j] === '\n' || text[j] === '\r';
}

type Block = { pair: Pair<ParsedNode, ParsedNode | null>; blockStart: number; blockEnd: number; indent: number };

/** Whether the block's text in the new version is still one entry's block, ending where the unchanged rest begins. */
function stillOneBlock(at: Block, oldText: string, text: string, delta: number): boolean {
  const { blockStart, blockEnd, indent } = at;
  const newEnd = blockEnd + delta;
  // The block ends at a line start (or the end) in the new text too, and the line after it is unchanged.
  if (newEnd < blockStart || (newEnd < text.length && text[newEnd - 1] !== '\n') || (blockEnd < oldText.length && oldText[blockEnd - 1] !== '\n')) return false;
  // No line in it (after the key's) ends it early.
  if (blockEndAfter(text, blockStart + indent, indent) !== newEnd) return false;
  // What follows the block decides where its trailing comments belong: a next entry at the same
  // indent is stood in for by a key of our own when the block is parsed (replaceEntry); with
  // anything else after it, a block ending in comments is parsed with an outer one.
  if (nextIsSibling(text, newEnd, indent)) return true;
  if (endsInComment(text, blockStart, newEnd) || endsInComment(oldText, blockStart, blockEnd)) return false;
  // The last block: the document ends where its parse says, if the text ends on its last line (blank lines after it are read differently at the root).
  return newEnd < text.length || (endsOnContentLine(text, blockStart) && endsOnContentLine(oldText, blockStart));
}

function replaceEntry(previous: Document.Parsed, at: Block, text: string, delta: number, parse: ParseAt, share: boolean): Document.Parsed | undefined {
  const { blockStart, blockEnd, indent } = at;
  const newEnd = blockEnd + delta;
  // A next entry at the same indent is stood in for by a key of our own (`_:`, not part of the
  // result), so that the block's trailing comments end up where a whole parse puts them.
  const sibling = nextIsSibling(text, newEnd, indent);
  let docs: Document.Parsed[];
  try {
    docs = parse(sibling ? `${text.slice(blockStart, newEnd)}${' '.repeat(indent)}_:\n` : text.slice(blockStart, newEnd), blockStart);
  } catch {
    return undefined;
  }
  if (docs.length !== 1) return undefined;
  const block = docs[0];
  if (block.errors.length > 0 || block.warnings.length > 0) return undefined;
  const contents = block.contents;
  if (!contents || !isMap(contents) || contents.flow || contents.items.length !== (sibling ? 2 : 1)) return undefined;
  const pair = contents.items[0] as Pair<ParsedNode, ParsedNode | null>;
  // A key written out (an empty key's place depends on what comes before it), where the old one was.
  if (!isPair(pair) || !pair.key || !isScalar(pair.key) || !pair.key.range || pair.key.range[0] !== blockStart + indent || pair.key.range[1] <= pair.key.range[0]) return undefined;
  if (pair.key.anchor !== undefined || pair.key.tag !== undefined) return undefined;
  // Offsets of enclosing nodes that fell inside the old block: the old entry's ends, which the new entry gives again.
  const ends = new Map<number, number>();
  const oldKey = at.pair.key as ParsedNode;
  const newKey = pair.key as ParsedNode;
  const oldValue = at.pair.value;
  const newValue = pair.value;
  const endsOf = (o: ParsedNode | null | undefined, n: ParsedNode | null | undefined) => {
    if (!o?.range || !n?.range) return;
    for (let k = 0; k < 3; k++) ends.set(o.range[k], n.range[k]);
  };
  endsOf(oldKey, newKey);
  endsOf(oldValue, newValue);
  // Nothing follows the block: the document ends where the block's parse says (trailing blanks included).
  const last = blockEnd === previous.range[2];
  if (last) {
    if (!ends.has(previous.range[1])) ends.set(previous.range[1], block.range[1]);
    ends.set(previous.range[2], block.range[2]);
  }
  const move = (x: number): number | undefined => {
    // An offset at the block's start is the end of what comes before it (the key starts at its indent, checked above).
    if (x <= blockStart) return x;
    const e = ends.get(x);
    if (x < blockEnd) return e;
    if (x > blockEnd) return x + delta;
    if (last) return e ?? x + delta;
    // An offset at the block's end that was both the entry's end and the next node's start, now two places: ambiguous.
    return e === undefined || e === x + delta ? x + delta : undefined;
  };
  try {
    const copy = new TreeCopy(move, at.pair, pair, share ? blockStart : -1, share ? blockEnd : Infinity);
    const newRoot = copy.node(previous.contents as ParsedNode);
    const docRange = copy.range(previous.range);
    if (!newRoot || !docRange || copy.failed) return undefined;
    // Nothing can fail from here on: the nodes after the block move by the length change, in place.
    if (delta !== 0 && copy.later.length > 0) {
      for (const n of copy.later) shiftInPlace(n, delta);
      Object.defineProperty(previous, MOVED_ON, { value: true });
    }
    const doc = documentCopy(previous);
    doc.contents = newRoot;
    doc.range = docRange as Document.Parsed['range'];
    doc.errors = [];
    doc.warnings = [];
    if (share) inheritAliasState(doc, previous, at.pair, pair);
    return doc;
  } catch {
    // Nesting too deep to copy: a whole parse says what it makes of it.
    return undefined;
  }
}

/**
 * A new document with the previous one's own properties, but not this tool's caches kept on it
 * (unregistered symbols, yaml-util's cacheOn): they are the previous tree's, and would keep it
 * alive. yaml's own (registered) symbols keep their descriptors; the other properties (all
 * writable data properties of a parsed document) are assigned: a copy made from every property's
 * descriptor took a fifth of a keystroke in a small Compose file.
 */
function documentCopy(previous: Document.Parsed): Document.Parsed {
  const own: PropertyDescriptorMap = {};
  for (const k of Object.getOwnPropertySymbols(previous)) if (Symbol.keyFor(k) !== undefined) own[k] = Object.getOwnPropertyDescriptor(previous, k)!;
  const doc = Object.create(Object.getPrototypeOf(previous) as object, own) as Record<string, unknown>;
  const from = previous as unknown as Record<string, unknown>;
  for (const k of Object.getOwnPropertyNames(previous)) {
    const d = Object.getOwnPropertyDescriptor(previous, k)!;
    if ('value' in d && d.writable && d.enumerable && d.configurable) doc[k] = from[k];
    else Object.defineProperty(doc, k, d);
  }
  return doc as unknown as Document.Parsed;
}

/**
 * On a tree whose nodes after an edit's block were moved in place into the next version's tree
 * (their offsets are the next version's now): it cannot be the base of another re-parse.
 */
const MOVED_ON = Symbol('tree moved on');

/** Adds `by` to every offset of a subtree (nodes after the edited block, shared with the next version's tree). */
function shiftInPlace(root: unknown, by: number): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (isPair(n)) {
      stack.push(n.key, n.value);
      continue;
    }
    const range = (n as { range?: number[] | null }).range;
    if (range) for (let i = 0; i < range.length; i++) range[i] += by;
    if (isMap(n) || isSeq(n)) for (const it of n.items) stack.push(it);
  }
}

/**
 * A copy of a tree with its offsets moved, one entry replaced by another. The nodes before the
 * block are the old ones; so are those after it when `movedAfter` is set: the caller moves them in
 * place (`later`) once the copy has succeeded, instead of copying every node below the edit.
 */
class TreeCopy {
  failed = false;
  /** Subtrees wholly after `movedAfter`, taken as they are: their offsets are to be moved. */
  readonly later: unknown[] = [];

  constructor(
    private readonly move: (x: number) => number | undefined,
    private readonly replaced: Pair,
    private readonly replacement: Pair,
    /** Nodes that end at or before this offset are the old ones, not copies (see reparseBlock). */
    private readonly sharedUpTo: number,
    /** Nodes that start after this offset (the block's end) are the old ones too, to be moved. */
    private readonly movedAfter: number,
  ) {}

  range<T extends number[]>(r: T | undefined | null): T | undefined {
    if (!r) return undefined;
    const out = new Array<number>(r.length);
    for (let i = 0; i < r.length; i++) {
      const m = this.move(r[i]);
      if (m === undefined) {
        this.failed = true;
        return undefined;
      }
      out[i] = m;
    }
    return out as T;
  }

  node(n: ParsedNode | null): ParsedNode | null {
    if (n === null || this.failed || (n.range && n.range[2] <= this.sharedUpTo)) return n;
    if (n.range && n.range[0] > this.movedAfter) {
      this.later.push(n);
      return n;
    }
    let copy: ParsedNode;
    if (isScalar(n)) copy = fields(n, new Scalar(n.value)) as ParsedNode;
    else if (isAlias(n)) copy = fields(n, new Alias(n.source)) as unknown as ParsedNode;
    else if (isMap(n)) {
      const m = fields(n, new YAMLMap(n.schema), 'items');
      m.items = n.items.map((p) => this.item(p) as Pair);
      copy = m as ParsedNode;
    } else if (isSeq(n)) {
      const s = fields(n, new YAMLSeq(n.schema), 'items');
      s.items = n.items.map((p) => this.item(p));
      copy = s as ParsedNode;
    } else {
      this.failed = true;
      return n;
    }
    if (n.range) copy.range = this.range(n.range) as ParsedNode['range'];
    return copy;
  }

  private item(it: unknown): unknown {
    if (it === this.replaced) return this.replacement;
    if (isPair(it)) {
      const end = ((it.value ?? it.key) as ParsedNode | null)?.range?.[2];
      if (end !== undefined && end <= this.sharedUpTo) return it;
      const start = ((it.key ?? it.value) as ParsedNode | null)?.range?.[0];
      if (start !== undefined && start > this.movedAfter) {
        this.later.push(it);
        return it;
      }
      const p = fields(it, new Pair(this.node(it.key as ParsedNode | null), this.node(it.value as ParsedNode | null)), 'key', 'value');
      return p;
    }
    return this.node(it as ParsedNode | null);
  }
}

/** Copies a node's own fields (not the listed ones) onto a new node of its class. */
function fields<T extends object>(from: object, to: T, skip?: string, skip2?: string): T {
  const src = from as Record<string, unknown>;
  const dst = to as Record<string, unknown>;
  // for…in, not Object.keys: no array per node (the copy runs over every node after the edit, per keystroke).
  for (const k in src) if (k !== 'range' && k !== skip && k !== skip2 && Object.prototype.hasOwnProperty.call(src, k)) dst[k] = src[k];
  return to;
}

/**
 * Shell text → simple commands as lists of words, with a real shell parser (mvdan-sh, the
 * JavaScript build of mvdan.cc/sh): comments, heredoc bodies, quoted strings and arguments are
 * never taken for commands, and every command is found, also inside `if`, loops, pipelines,
 * `&&` lists, subshells and command substitutions. A word's value is what the shell passes
 * after quote removal, or undefined when it depends on a variable, a command substitution or
 * arithmetic.
 */
import type * as MvdanSh from 'mvdan-sh';
import type { Node } from 'mvdan-sh';

export interface ShellWord {
  value: string | undefined;
  /** UTF-16 offsets in the parsed text. */
  start: number;
  end: number;
  /** Where the value is written character for character (no escapes; quotes around the whole word at most). */
  verbatimStart?: number;
}

export interface ShellParse {
  /** Every simple command, in offsets of the text (made when first read from the chunks). */
  readonly commands: ShellWord[][];
  error?: { message: string; offset: number };
  /**
   * Without an error: the text parsed and its commands per chunk of top-level statements (a chunk
   * runs from the start of a statement's line to the next chunk), for the next version's parse.
   */
  reuse?: { text: string; chunks: ShellChunk[] };
}

/**
 * Top-level statements that start on their own line, with the text after them up to the next
 * such line: what they are (`unit`) and where they sit in this version of the text (`start`).
 */
export interface ShellChunk {
  start: number;
  end: number;
  unit: ShellUnit;
}

/**
 * A chunk's commands in offsets relative to the chunk's start: nothing in it knows where the
 * chunk sits, so a later version of the text that keeps the chunk keeps this very object
 * wherever the edit moved it (a reader can keep what it made of it).
 */
export class ShellUnit {
  constructor(readonly commands: ShellWord[][]) {}
}

/** A parse result whose absolute command list is made on first read. */
function parseOf(text: string, chunks: ShellChunk[]): ShellParse {
  let commands: ShellWord[][] | undefined;
  return {
    get commands() {
      return (commands ??= chunks.flatMap((c) => (c.start === 0 ? c.unit.commands : c.unit.commands.map((cmd) => cmd.map((w) => shiftWord(w, c.start))))));
    },
    reuse: { text, chunks },
  };
}

type Sh = typeof MvdanSh;
let sh: Sh | undefined;

/** Loaded on first use: only files with run commands pay for the parser. */
function shell(): Sh {
  // A plain require, not an import: the 1.5 MB parser initialises only when a file has shell in it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!sh) sh = require('mvdan-sh') as Sh;
  return sh;
}

/** Byte offset (UTF-8) → UTF-16 offset, for text that is not plain ASCII. */
function offsetMapper(text: string): (byte: number) => number {
  let ascii = true;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
  if (ascii) return (b) => b;
  const map: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) ?? 0;
    const bytes = c <= 0x7f ? 1 : c <= 0x7ff ? 2 : c <= 0xffff ? 3 : 4;
    for (let k = 0; k < bytes; k++) map.push(i);
    if (c > 0xffff) i++;
  }
  map.push(text.length);
  return (b) => map[Math.min(b, map.length - 1)] ?? text.length;
}

/** Unquoted text: a backslash quotes the next character; backslash-newline disappears. */
function unescapeBare(s: string): string {
  return s.replace(/\\(\n|[\s\S])/g, (_, c: string) => (c === '\n' ? '' : c));
}

/** Inside double quotes only \$ \` \" \\ and backslash-newline are escapes. */
function unescapeDouble(s: string): string {
  return s.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c));
}

/**
 * The parser's syntax tree is read in its raw form (the Go structs as GopherJS keeps them):
 * the externalised objects mvdan-sh hands out by default cost a conversion on every field
 * access, which made walking a 2,000-line script take seconds. Raw values: a struct pointer
 * has its Go fields and methods (`Pos()`, `End()`), a slice is `{$array, $offset, $length}`,
 * an interface holds the pointer itself, strings are UTF-8 bytes one per character.
 */
interface Raw {
  constructor: { string?: string; nil?: unknown };
  [field: string]: unknown;
}

function typeOf(x: unknown): string | undefined {
  const r = x as Raw | null | undefined;
  if (!r || typeof r !== 'object') return undefined;
  const t = r.constructor?.string;
  if (t === undefined || r.constructor.nil === r) return undefined;
  return t.startsWith('*syntax.') ? t.slice(8) : undefined;
}

function items(x: unknown): Raw[] {
  const s = x as { $array?: Raw[]; $offset?: number; $length?: number } | undefined;
  if (!s || !s.$array || !s.$length) return [];
  return s.$array.slice(s.$offset ?? 0, (s.$offset ?? 0) + s.$length);
}

/** A Go string as GopherJS stores it (UTF-8 bytes) → a JavaScript string. */
function goString(x: unknown): string {
  const s = typeof x === 'string' ? x : '';
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.from(s, 'latin1').toString('utf8');
  return s;
}

function offsetOf(pos: unknown): number {
  return (pos as { Offset(): number }).Offset();
}

function partsValue(parts: Raw[]): { value: string | undefined; escaped: boolean } {
  let value = '';
  let escaped = false;
  for (const p of parts) {
    const t = typeOf(p);
    if (t === 'Lit') {
      const raw = goString(p.Value);
      if (raw.includes('\\')) escaped = true;
      value += unescapeBare(raw);
    } else if (t === 'SglQuoted') {
      if (p.Dollar) return { value: undefined, escaped: true }; // $'…' has its own escapes
      value += goString(p.Value);
    } else if (t === 'DblQuoted') {
      if (p.Dollar) return { value: undefined, escaped: true };
      for (const q of items(p.Parts)) {
        if (typeOf(q) !== 'Lit') return { value: undefined, escaped };
        const raw = goString(q.Value);
        if (raw.includes('\\')) escaped = true;
        value += unescapeDouble(raw);
      }
    } else {
      return { value: undefined, escaped }; // $VAR, ${…}, $(…), `…`, $((…)), globs we cannot expand
    }
  }
  return { value, escaped };
}

/** Every simple command, in order, wherever it sits: lists, pipelines, compound commands, functions, substitutions. */
function collect(stmts: Raw[], visit: (call: Raw) => void): void {
  const stack: Raw[] = [...stmts].reverse();
  const pushStmts = (x: unknown) => {
    const list = items(x);
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i] as Raw);
  };
  // A nil Go pointer throws on any field access: check its type first.
  const pushWord = (w: unknown) => {
    if (typeOf(w) === 'Word') for (const part of items((w as Raw).Parts)) pushPart(part);
  };
  const pushPart = (part: Raw) => {
    const t = typeOf(part);
    if (t === 'CmdSubst' || t === 'ProcSubst') pushStmts(part.Stmts);
    else if (t === 'DblQuoted') for (const q of items(part.Parts)) pushPart(q);
  };
  while (stack.length > 0) {
    const node = stack.pop() as Raw;
    switch (typeOf(node)) {
      case 'Stmt':
        if (typeOf(node.Cmd)) stack.push(node.Cmd as Raw);
        break;
      case 'CallExpr':
        visit(node);
        for (const a of items(node.Assigns)) pushWord(a.Value);
        for (const w of items(node.Args)) pushWord(w);
        break;
      case 'IfClause':
        if (typeOf(node.Else)) stack.push(node.Else as Raw);
        pushStmts(node.Then);
        pushStmts(node.Cond);
        break;
      case 'WhileClause':
        pushStmts(node.Do);
        pushStmts(node.Cond);
        break;
      case 'ForClause':
        pushStmts(node.Do);
        break;
      case 'CaseClause': {
        const list = items(node.Items);
        for (let i = list.length - 1; i >= 0; i--) pushStmts(list[i]?.Stmts);
        break;
      }
      case 'Block':
      case 'Subshell':
        pushStmts(node.Stmts);
        break;
      case 'BinaryCmd':
        if (typeOf(node.Y)) stack.push(node.Y as Raw);
        if (typeOf(node.X)) stack.push(node.X as Raw);
        break;
      case 'FuncDecl':
        if (typeOf(node.Body)) stack.push(node.Body as Raw);
        break;
      case 'TimeClause':
      case 'CoprocClause':
        if (typeOf(node.Stmt)) stack.push(node.Stmt as Raw);
        break;
      case 'DeclClause':
        for (const a of items(node.Args)) pushWord(a.Value);
        break;
      default:
        break;
    }
  }
}

/**
 * Parses a shell text. With the parse of an earlier version of it (an editor's keystroke), only
 * the chunks of top-level statements the edit touched are parsed again: the text before and after
 * them is unchanged, starts and ends at a line where a top-level statement begins, and a chunk
 * parsed alone reads as it does in the file when it parses without an error and does not end in a
 * line continuation (an open quote, heredoc, `if` or `&&` is an error alone). Otherwise, and for
 * the error's position, the whole text is parsed again. The commands are the same either way.
 */
export function parseShell(text: string, previous?: ShellParse): ShellParse {
  const reused = previous?.reuse ? reparse(text, previous.reuse) : undefined;
  if (reused) return reused;
  const whole = parseChunks(text);
  if ('error' in whole) return { commands: [], error: whole.error };
  return parseOf(text, whole.chunks);
}

/** Characters compared at once when looking for what an edit left unchanged. */
const BLOCK = 512;

function reparse(text: string, prev: { text: string; chunks: ShellChunk[] }): ShellParse | undefined {
  const old = prev.text;
  const max = Math.min(old.length, text.length);
  // The unchanged head and tail, a block at a time (a native comparison), then a character at a time.
  let p = 0;
  while (p + BLOCK <= max && old.slice(p, p + BLOCK) === text.slice(p, p + BLOCK)) p += BLOCK;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let q = 0;
  while (q + BLOCK <= max - p && old.slice(old.length - q - BLOCK, old.length - q) === text.slice(text.length - q - BLOCK, text.length - q)) q += BLOCK;
  while (q < max - p && old.charCodeAt(old.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
  const delta = text.length - old.length;
  const chunks = prev.chunks;
  // Kept before: chunks that end at or before the first change; kept after: chunks that start in the unchanged tail.
  let first = 0;
  // (The last chunk may end in the middle of a line the edit continues.)
  while (first < chunks.length && (chunks[first] as ShellChunk).end <= p && cleanLineEnd(text, (chunks[first] as ShellChunk).end)) first++;
  let after = chunks.length;
  while (after > first && (chunks[after - 1] as ShellChunk).start >= old.length - q) after--;
  const from = first < chunks.length ? (chunks[first] as ShellChunk).start : old.length;
  const to = after < chunks.length ? (chunks[after] as ShellChunk).start + delta : text.length;
  if (to < from) return undefined;
  if (to < text.length && !cleanLineEnd(text, to)) return undefined;
  const middle = from === to ? { chunks: [] } : parseChunks(text.slice(from, to));
  if ('error' in middle) return undefined;
  const shift = (c: ShellChunk, by: number): ShellChunk => (by === 0 ? c : { start: c.start + by, end: c.end + by, unit: c.unit });
  const out = [...chunks.slice(0, first), ...middle.chunks.map((c) => shift(c, from)), ...chunks.slice(after).map((c) => shift(c, delta))];
  return parseOf(text, out);
}

function shiftWord(w: ShellWord, by: number): ShellWord {
  const moved: ShellWord = { value: w.value, start: w.start + by, end: w.end + by };
  if (w.verbatimStart !== undefined) moved.verbatimStart = w.verbatimStart + by;
  return moved;
}

/** `at` starts a line, and the line before does not continue (an odd run of backslashes before its newline). */
function cleanLineEnd(text: string, at: number): boolean {
  if (at === 0) return true;
  if (text[at - 1] !== '\n') return false;
  let k = at - 2;
  if (text[k] === '\r') k--;
  let n = 0;
  while (k - n >= 0 && text[k - n] === '\\') n++;
  return n % 2 === 0;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** One parse of a whole text: its commands per chunk, in offsets of the text. */
function parseChunks(text: string): { chunks: ShellChunk[] } | { error: { message: string; offset: number } } {
  const { syntax } = shell();
  const toUtf16 = offsetMapper(text);
  const parser = syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash));
  let file: Node;
  try {
    file = parser.Parse(text, 'script');
  } catch (e) {
    const err = e as { Error?: () => string; Pos?: { Offset(): number } };
    const message = typeof err.Error === 'function' ? err.Error().replace(/^script:\d+:\d+: /, '') : String(e);
    return { error: { message, offset: toUtf16(err.Pos?.Offset() ?? 0) } };
  }
  const root = (file as unknown as { __internal_object__?: Raw }).__internal_object__;
  const chunks: ShellChunk[] = [];
  let commands: ShellWord[][] = [];
  let previousEnd = 0;
  let base = 0;
  for (const stmt of items(root?.Stmts)) {
    // A statement on its own line starts a chunk; one that shares a line with the one before joins it.
    const begin = lineStart(text, toUtf16(offsetOf((stmt.Pos as () => unknown).call(stmt))));
    if (chunks.length === 0 || (begin >= previousEnd && begin > (chunks[chunks.length - 1] as ShellChunk).start && cleanLineEnd(text, begin))) {
      commands = [];
      base = chunks.length === 0 ? 0 : begin;
      chunks.push({ start: base, end: text.length, unit: new ShellUnit(commands) });
      const before = chunks[chunks.length - 2];
      if (before) before.end = begin;
    }
    previousEnd = toUtf16(offsetOf((stmt.End as () => unknown).call(stmt)));
    collectCommands(text, toUtf16, [stmt], commands, base);
  }
  if (chunks.length === 0) chunks.push({ start: 0, end: text.length, unit: new ShellUnit(commands) });
  return { chunks };
}

/** The simple commands of statements, their words in offsets relative to `base` (their chunk's start). */
function collectCommands(text: string, toUtf16: (byte: number) => number, stmts: Raw[], commands: ShellWord[][], base: number): void {
  collect(stmts, (call) => {
    const words: ShellWord[] = [];
    for (const w of items(call.Args)) {
      const start = toUtf16(offsetOf((w.Pos as () => unknown).call(w)));
      const end = toUtf16(offsetOf((w.End as () => unknown).call(w)));
      const { value, escaped } = partsValue(items(w.Parts));
      const word: ShellWord = { value, start: start - base, end: end - base };
      if (value !== undefined && !escaped) {
        const raw = text.slice(start, end);
        if (raw === value) word.verbatimStart = start - base;
        else if (raw.length === value.length + 2 && raw.slice(1, -1) === value && (raw[0] === '"' || raw[0] === "'")) word.verbatimStart = start + 1 - base;
      }
      words.push(word);
    }
    if (words.length > 0) commands.push(words);
  });
}

/**
 * An open document as one immutable version: its text and its line starts. An incremental
 * change makes a new version whose line starts are the old ones with the changed lines
 * replaced and the later ones moved, so no version scans the whole text for line breaks again
 * (a 4.5 MB manifest has 150,000 lines). Immutable, so an analysis keeps the version it read
 * without copying it.
 *
 * Nothing per keystroke is a new large object of V8's heap. A large text is kept in a Buffer as
 * well, and each version's text is made by copying bytes and read as an external string: a
 * string joined from slices would be flattened into V8's large-object space, on fresh pages every
 * time (measured on the benchmark machine, 4.5 MB: 15 ms per keystroke, against 0.5 ms). The line
 * starts are a typed array for the same reason (its memory comes from the allocator, reused).
 * The Buffer is one per open document, edited in place by each update, with room to grow: a new
 * 4.5 MB Buffer per keystroke cost 16 ms of copies onto fresh pages where the edit in place and
 * the string's copy cost 2–4 ms (#16). It holds one text at a time, the newest version's; an
 * update of an older version copies that version's text instead.
 */
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** Texts at least this long are also kept as bytes (TextBytes). */
export const LARGE_TEXT = 256 * 1024;

/** A text's code units as bytes: one per unit while every unit is at most 0xFF, else two. */
interface TextBytes {
  /** Its first `text.length` units are the text; the rest is room for the next edits. */
  bytes: Buffer;
  encoding: 'latin1' | 'utf16le';
  /** The text the bytes hold now: an edit in place makes it the new version's. */
  text: string;
}

export class LineDocument implements TextDocument {
  private constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    private readonly text: string,
    /** Offset of each line's first character; starts[0] is 0. */
    private readonly starts: Uint32Array,
    /** The text as bytes, for a large text (LARGE_TEXT). */
    private readonly bytes: TextBytes | undefined,
  ) {}

  static create(uri: string, languageId: string, version: number, text: string): LineDocument {
    return new LineDocument(uri, languageId, version, text, Uint32Array.from(lineStarts(text, 0)), asBytes(text));
  }

  /** A new version with the changes applied in order (each range in the text the previous change left). */
  static update(doc: LineDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): LineDocument {
    let text = doc.text;
    let starts = doc.starts;
    let bytes = doc.bytes;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        text = change.text;
        starts = Uint32Array.from(lineStarts(text, 0));
        bytes = asBytes(text);
        continue;
      }
      let start = offsetAt(text, starts, change.range.start);
      let end = offsetAt(text, starts, change.range.end);
      if (start > end) [start, end] = [end, start];
      const next = splice(text, bytes, start, end, change.text);
      // A change that may make or break a \r\n pair at its edges: count the lines again (rare). Only a \r
      // can start a pair: one before the change, or one it writes. (A \n after the change is the common
      // case, typing at the end of a line, and needs no recount.)
      if (text.charCodeAt(start - 1) === 13 || change.text.includes('\r')) {
        ({ text, bytes } = next);
        starts = Uint32Array.from(lineStarts(text, 0));
        continue;
      }
      const first = lineAt(starts, start);
      const last = lineAt(starts, end);
      const delta = change.text.length - (end - start);
      const added = lineStarts(change.text, start);
      const keep = first + 1;
      const updated = new Uint32Array(keep + added.length - 1 + starts.length - last - 1);
      updated.set(starts.subarray(0, keep));
      for (let i = 1; i < added.length; i++) updated[keep + i - 1] = added[i];
      for (let i = last + 1, j = keep + added.length - 1; i < starts.length; i++, j++) updated[j] = starts[i] + delta;
      ({ text, bytes } = next);
      starts = updated;
    }
    return new LineDocument(doc.uri, doc.languageId, version, text, starts, bytes);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    return this.text.slice(Math.min(start, end), Math.max(start, end));
  }

  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.text.length));
    const line = lineAt(this.starts, at);
    // An offset inside a line break belongs to the end of its line.
    let o = at;
    while (o > this.starts[line] && isBreak(this.text.charCodeAt(o - 1))) o--;
    return { line, character: o - this.starts[line] };
  }

  offsetAt(position: Position): number {
    return offsetAt(this.text, this.starts, position);
  }

  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const l = Math.min(line, this.starts.length - 1);
    const start = this.starts[l];
    const next = l + 1 < this.starts.length ? this.starts[l + 1] : this.text.length;
    let end = next;
    while (end > start && isBreak(this.text.charCodeAt(end - 1))) end--;
    return { start: { line: l, character: 0 }, end: { line: l, character: end - start } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const start = this.starts[line];
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    while (end > start && isBreak(this.text.charCodeAt(end - 1))) end--;
    return this.text.slice(end, next);
  }
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13;
}

/** Line starts of `text` (placed at `base`), \r\n, \r and \n all ending a line. */
function lineStarts(text: string, base: number): number[] {
  const out = [base];
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(base + i + 1);
    return out;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (c === 10 || c === 13) out.push(base + i + 1);
  }
  return out;
}

/** The text as bytes when it is large (LARGE_TEXT). */
function asBytes(text: string): TextBytes | undefined {
  if (text.length < LARGE_TEXT) return undefined;
  const encoding = isLatin1(text) ? 'latin1' : 'utf16le';
  return { bytes: Buffer.from(text, encoding), encoding, text };
}

/** Room left after a text of `size` bytes in a buffer made for it, for the edits that follow. */
function room(size: number): number {
  return Math.max(64 * 1024, size >> 3);
}

function isLatin1(text: string): boolean {
  return !/[\u0100-\uffff]/.test(text);
}

/**
 * The text with [start, end) replaced. A large text is made from bytes: Buffer#toString makes a
 * large string external (its characters in the allocator's memory), so nothing is flattened.
 */
function splice(text: string, bytes: TextBytes | undefined, start: number, end: number, insert: string): { text: string; bytes: TextBytes | undefined } {
  const length = text.length - (end - start) + insert.length;
  if (!bytes || length < LARGE_TEXT) {
    const next = text.slice(0, start) + insert + text.slice(end);
    return { text: next, bytes: length < LARGE_TEXT ? undefined : asBytes(next) };
  }
  let encoding = bytes.encoding;
  // The bytes hold this text (it is the newest version), or this version's text is copied.
  let held = bytes.text === text ? bytes : undefined;
  if (encoding === 'latin1' && !isLatin1(insert)) {
    encoding = 'utf16le';
    held = undefined;
  }
  const width = encoding === 'latin1' ? 1 : 2;
  const size = length * width;
  let out: Buffer;
  if (held && held.bytes.length >= size) {
    // In place: the part after the edit moves (copy is a memmove), then the inserted text is written.
    out = held.bytes;
    out.copy(out, (start + insert.length) * width, end * width, text.length * width);
  } else {
    const source = held ? held.bytes : Buffer.from(text, encoding);
    out = Buffer.allocUnsafeSlow(size + room(size));
    source.copy(out, 0, 0, start * width);
    source.copy(out, (start + insert.length) * width, end * width, text.length * width);
  }
  if (insert.length > 0) out.write(insert, start * width, encoding);
  // A copy of the bytes (an external string): later edits of the buffer do not change it.
  const next = out.toString(encoding, 0, size);
  if (held && out === held.bytes) {
    held.text = next;
    return { text: next, bytes: held };
  }
  return { text: next, bytes: { bytes: out, encoding, text: next } };
}

/** The line holding the offset. */
function lineAt(starts: Uint32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function offsetAt(text: string, starts: Uint32Array, position: Position): number {
  if (position.line >= starts.length) return text.length;
  if (position.line < 0) return 0;
  const lineStart = starts[position.line];
  if (position.character <= 0) return lineStart;
  const next = position.line + 1 < starts.length ? starts[position.line + 1] : text.length;
  let offset = Math.min(lineStart + position.character, next);
  // Never inside the line break.
  while (offset > lineStart && isBreak(text.charCodeAt(offset - 1))) offset--;
  return offset;
}

/**
 * An open document as one immutable version: its text and its line starts. An incremental
 * change makes a new version whose line starts are the old ones with the changed lines
 * replaced and the later ones moved, so no version scans the whole text for line breaks again
 * (a 4.5 MB manifest has 150,000 lines). Immutable, so an analysis keeps the version it read
 * without copying it.
 */
import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

export class LineDocument implements TextDocument {
  private constructor(
    readonly uri: string,
    readonly languageId: string,
    readonly version: number,
    private readonly text: string,
    /** Offset of each line's first character; starts[0] is 0. */
    private readonly starts: readonly number[],
  ) {}

  static create(uri: string, languageId: string, version: number, text: string): LineDocument {
    return new LineDocument(uri, languageId, version, text, lineStarts(text, 0));
  }

  /** A new version with the changes applied in order (each range in the text the previous change left). */
  static update(doc: LineDocument, changes: readonly TextDocumentContentChangeEvent[], version: number): LineDocument {
    let text = doc.text;
    let starts = doc.starts;
    for (const change of changes) {
      if (!('range' in change) || !change.range) {
        text = change.text;
        starts = lineStarts(text, 0);
        continue;
      }
      let start = offsetAt(text, starts, change.range.start);
      let end = offsetAt(text, starts, change.range.end);
      if (start > end) [start, end] = [end, start];
      const next = text.slice(0, start) + change.text + text.slice(end);
      // A change that makes or breaks a \r\n pair at its edges: count the lines again (rare).
      if (text.charCodeAt(start - 1) === 13 || text.charCodeAt(end) === 10 || change.text.includes('\r')) {
        text = next;
        starts = lineStarts(text, 0);
        continue;
      }
      const first = lineAt(starts, start);
      const last = lineAt(starts, end);
      const delta = change.text.length - (end - start);
      const added = lineStarts(change.text, start).slice(1);
      const updated = starts.slice(0, first + 1);
      for (const s of added) updated.push(s);
      for (let i = last + 1; i < starts.length; i++) updated.push(starts[i] + delta);
      text = next;
      starts = updated;
    }
    return new LineDocument(doc.uri, doc.languageId, version, text, starts);
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

/** The line holding the offset. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function offsetAt(text: string, starts: readonly number[], position: Position): number {
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

/**
 * Text edits on words of a command line or a unit value: remove words (with their line when
 * they stand alone on a continued line), replace a word, quote a new word. Shared by the
 * Quadlet and the run-command writers.
 */
import type { Edit, Span } from '../model';
import { afterLineBreak, lineEndOf, lineStartOf } from '../text';

const blank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * Removes [start, end) (one or more words) and the blank that separated it. When the words are
 * alone on a continued line (`  --privileged \`), the whole line goes; when they are alone on
 * the last line of a continued command, that line and the previous line's ` \` go.
 */
export function removeWords(text: string, span: Span): Edit[] {
  const { start, end } = span;
  const ls = lineStartOf(text, start);
  const le = lineEndOf(text, end);
  if (onlyBlanks(text, ls, start)) {
    // After the words: blanks, then a continuation backslash, then blanks?
    let a = end;
    while (a < le && blank(text[a])) a++;
    let b = le;
    while (b > a && blank(text[b - 1])) b--;
    if (b === a + 1 && text[a] === '\\') return [{ start: ls, end: afterLineBreak(text, le), text: '' }];
    if (b === a && ls > 0) {
      // The last line of a continued command: it goes with the previous line's ` \`.
      const prevEnd = text[ls - 1] === '\n' && text[ls - 2] === '\r' ? ls - 2 : ls - 1;
      if (text[prevEnd - 1] === '\\') {
        let c = prevEnd - 1;
        while (c > 0 && blank(text[c - 1])) c--;
        return [{ start: c, end: le, text: '' }];
      }
    }
  }
  let s = start;
  while (s > ls && blank(text[s - 1])) s--;
  if (s === ls || text[s - 1] === '=' || text[s - 1] === '"' || text[s - 1] === "'") {
    // Nothing before it on the line (or it opens a value): take the blank after it instead.
    let e = end;
    while (e < le && blank(text[e])) e++;
    return [{ start, end: e, text: '' }];
  }
  return [{ start: s, end, text: '' }];
}

function onlyBlanks(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!blank(text[i])) return false;
  return true;
}

/** A word as a shell (and systemd's word splitting) reads it back: bare when safe, else single-quoted. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_./:=,@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Replaces the value inside a word written verbatim, or the whole word (re-quoted) otherwise. */
export function replaceWordValue(word: { span: Span; verbatimStart?: number; value: string | undefined }, prefix: string, newValue: string): Edit {
  if (word.verbatimStart !== undefined && word.value !== undefined) {
    const start = word.verbatimStart + prefix.length;
    return { start, end: word.verbatimStart + word.value.length, text: newValue };
  }
  return { start: word.span.start, end: word.span.end, text: shellWord(prefix + newValue) };
}

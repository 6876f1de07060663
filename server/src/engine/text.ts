/**
 * Small string helpers written as loops: a trailing-character regex such as /\/+$/ is
 * quadratic in V8 on a long run of that character (it retries from every start).
 */

/** `s` without any trailing characters from `chars`. */
export function trimEndChars(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** `s` without trailing dots and white space. */
export function trimSentenceEnd(s: string): string {
  return trimEndChars(s, '. \t\r\n');
}

/** The file's line ending: CRLF, LF or a lone CR, as the text already uses (LF for one line). */
export function lineEnding(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  if (text.includes('\n')) return '\n';
  if (text.includes('\r')) return '\r';
  return '\n';
}

/** Offset where the line holding `offset` starts. */
export function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** Offset of the line break ending the line that holds `offset` (or the text's end). */
export function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** Offset just after the line break at `lineEnd` (itself when there is none). */
export function afterLineBreak(text: string, lineEnd: number): number {
  if (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n') return lineEnd + 2;
  if (text[lineEnd] === '\r' || text[lineEnd] === '\n') return lineEnd + 1;
  return lineEnd;
}

/** Strings seen lately, by content. */
const interned = new Map<string, string>();

/**
 * The one copy of a string equal to this one: a finding's detail and a tier's summary are made
 * anew for every container, and read the same for most containers of a manifest (2,000 pods held
 * 2,000 copies of each of four details, 1.6 MB, #17). The table is emptied when full, so it stays
 * small whatever the input.
 */
export function intern(s: string): string {
  const seen = interned.get(s);
  if (seen !== undefined) return seen;
  if (interned.size >= 4096) interned.clear();
  interned.set(s, s);
  return s;
}

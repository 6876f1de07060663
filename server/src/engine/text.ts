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

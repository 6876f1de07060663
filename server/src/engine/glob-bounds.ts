/**
 * The bounds a glob must keep to be used (see server/src/io/globs.ts for why): pure, so the
 * config file's validation can report a pattern over them as a config problem.
 */
export const MAX_WILDCARD_RUNS = 2;
export const MAX_PATTERN_LENGTH = 1024;

/** Why a glob is not used, or undefined when it is within the bounds. */
export function globRejection(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `pattern longer than ${MAX_PATTERN_LENGTH} characters not used`;
  let runs = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c !== '*') continue;
    runs++;
    while (pattern[i + 1] === '*') i++;
  }
  if (runs > MAX_WILDCARD_RUNS) {
    return `pattern '${shorten(pattern)}' not used: it has ${runs} '*' wildcards, and matching more than ${MAX_WILDCARD_RUNS} can take time exponential in the path length`;
  }
  return undefined;
}

function shorten(s: string): string {
  return s.length <= 80 ? s : `${s.slice(0, 79)}…`;
}

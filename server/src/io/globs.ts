/**
 * Glob matching with bounded work, for patterns that come from the repository (.gitignore, the
 * config file's `ignore`) or from settings (`exclude`, `files.exclude`).
 *
 * `ignore` and picomatch compile a glob to a backtracking regular expression: each `*` is a
 * `[^/]*` and each `**` a `.*`, and a path that almost matches makes the engine try every way of
 * splitting it between them, O(n^k) for k wildcards (`*a*a*a*a*a*a*a*a*a*a*a*a*b` against a
 * 50-character name: hours). No well-kept matcher on npm guarantees linear time, so, like git's
 * wildmatch, which gives up instead of exploring every split, the work is bounded up front:
 *   - a pattern may hold at most MAX_WILDCARD_RUNS runs of `*` (a `**` is one run): with two,
 *     the worst case is the length of one path segment (at most 255 bytes on every common
 *     filesystem) times the path length, or the path's depth times its length for two `**`;
 *   - extended globs (`+(a|aa)`, picomatch only) are not interpreted: their nested repetition is
 *     exponential too;
 *   - a pattern longer than MAX_PATTERN_LENGTH is not used.
 * A pattern over a bound is not used, and the caller is told, once per pattern, why.
 */
import ignore from 'ignore';
import picomatch from 'picomatch';
import { globRejection } from '../engine/glob-bounds';

/** Of a file's rejected patterns, at most this many are reported one by one. */
const MAX_REPORTED = 5;

export interface IgnoreMatcher {
  test(relativePath: string): { ignored: boolean; unignored: boolean };
}

/** A .gitignore file's rules, without those over the bounds (each reported through `warn`). */
export function gitignoreMatcher(text: string, ignorecase: boolean, warn?: (message: string) => void): IgnoreMatcher {
  const kept: string[] = [];
  const rejected: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const reason = globRejection(trimmed);
    if (reason) rejected.push(reason);
    else kept.push(line);
  }
  report(rejected, warn);
  return ignore({ ignorecase }).add(kept);
}

/** One matcher for a list of globs (picomatch, dot files included), without those over the bounds. */
export function globsMatcher(globs: readonly string[], warn?: (message: string) => void): ((path: string) => boolean) | undefined {
  const kept: string[] = [];
  const rejected: string[] = [];
  for (const glob of globs) {
    const reason = globRejection(glob);
    if (reason) rejected.push(reason);
    else kept.push(glob);
  }
  report(rejected, warn);
  return kept.length > 0 ? picomatch(kept, { dot: true, noextglob: true }) : undefined;
}

function report(rejected: string[], warn: ((message: string) => void) | undefined): void {
  if (!warn) return;
  for (const r of rejected.slice(0, MAX_REPORTED)) warn(r);
  if (rejected.length > MAX_REPORTED) warn(`${rejected.length - MAX_REPORTED} more patterns not used for the same reason`);
}

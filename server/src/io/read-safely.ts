/**
 * The one way the CLI and the language server read a file from disk: configs, ignore files,
 * linted files and Dockerfiles read across files. A repository is input from strangers, and a
 * file a git repository can carry may be a symbolic link to /dev/zero or /dev/stdin, or a FIFO.
 * So a read
 *   - opens regular files only: lstat (and stat, when the path is a symbolic link we may follow)
 *     before opening, so a device is never opened at all (opening some devices acts); then the
 *     descriptor is opened with O_NONBLOCK (a FIFO swapped in meanwhile cannot block the open)
 *     and fstat on it must say the same regular file;
 *   - stops at a byte limit, counted while reading (the size stat gave may be out of date);
 *   - follows a symbolic link only when the caller allows it, and then only to a file whose real
 *     path is inside one of the given roots.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import * as path from 'node:path';

export interface ReadOptions {
  /** Bytes: a longer file is not read (the result says so, with its size). */
  maxBytes: number;
  /**
   * Symbolic links: 'never' (the path itself must not be one), 'inside' (followed when the target's
   * real path is inside one of `roots`) or 'any' (followed wherever: the CLI reading what the user named).
   */
  symlinks: 'never' | 'inside' | 'any';
  /** For symlinks: 'inside', and for every read when given: the real path must be inside one of them. */
  roots?: readonly string[];
}

export type ReadResult =
  | { ok: true; text: string; size: number }
  | { ok: false; reason: 'missing'; message: string }
  | { ok: false; reason: 'not-regular'; message: string }
  | { ok: false; reason: 'symlink'; message: string }
  | { ok: false; reason: 'outside'; message: string }
  | { ok: false; reason: 'too-large'; message: string; size: number }
  | { ok: false; reason: 'error'; message: string };

const CHUNK = 64 * 1024;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export function describeType(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Reads a regular file as UTF-8 text, within the limits; never throws. */
export function readFileSafely(file: string, options: ReadOptions): ReadResult {
  // A missing path is the common case (probes for an override file, a .env, a config): asked
  // without an exception, which costs far more than the system call.
  let stats: Stats | undefined;
  try {
    stats = lstatSync(file, { throwIfNoEntry: false });
    if (stats?.isSymbolicLink()) {
      if (options.symlinks === 'never') return { ok: false, reason: 'symlink', message: 'is a symbolic link' };
      stats = statSync(file, { throwIfNoEntry: false });
    }
  } catch (e) {
    return failure(e);
  }
  if (!stats) return MISSING;
  if (!stats.isFile()) return { ok: false, reason: 'not-regular', message: `is ${describeType(stats)}, not a regular file` };
  if (stats.size > options.maxBytes) return tooLarge(stats.size, options.maxBytes);
  const roots = options.roots ?? [];
  if (roots.length > 0 || options.symlinks === 'inside') {
    let real: string;
    try {
      real = realpathSync(file);
    } catch (e) {
      return failure(e);
    }
    if (!roots.some((root) => isInsideReal(root, real))) return { ok: false, reason: 'outside', message: 'is outside the workspace' };
  }
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    return failure(e);
  }
  try {
    const opened = fstatSync(fd);
    // What was opened must be what was looked at: a regular file (the same one).
    if (!opened.isFile()) return { ok: false, reason: 'not-regular', message: `is ${describeType(opened)}, not a regular file` };
    if (opened.ino !== stats.ino || opened.dev !== stats.dev) return { ok: false, reason: 'error', message: 'changed while being read' };
    // One buffer of the size fstat gave (plus a byte, to see growth) holds the whole file in the
    // usual case; a file that grows meanwhile goes on in chunks, still counted against the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    let want = Math.min(opened.size, options.maxBytes) + 1;
    for (;;) {
      const buffer = Buffer.allocUnsafe(Math.max(Math.min(want, options.maxBytes + 1 - total), 1));
      let filled = 0;
      while (filled < buffer.length) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
      }
      total += filled;
      if (total > options.maxBytes) return tooLarge(Math.max(total, opened.size), options.maxBytes);
      if (filled > 0) chunks.push(filled === buffer.length ? buffer : buffer.subarray(0, filled));
      if (filled < buffer.length) break;
      want = CHUNK;
    }
    const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    return { ok: true, text: whole.toString('utf8'), size: total };
  } catch (e) {
    return failure(e);
  } finally {
    closeSync(fd);
  }
}

/** lstat, or stat when symbolic links may be followed; undefined when the path is not there. */
export function isRegularFile(file: string, followSymlinks: boolean): boolean {
  try {
    return (followSymlinks ? statSync(file, { throwIfNoEntry: false }) : lstatSync(file, { throwIfNoEntry: false }))?.isFile() ?? false;
  } catch {
    return false;
  }
}

const MISSING: ReadResult = { ok: false, reason: 'missing', message: 'no such file' };

function tooLarge(size: number, maxBytes: number): ReadResult {
  return { ok: false, reason: 'too-large', message: `is larger than the ${maxBytes}-byte limit`, size };
}

function failure(e: unknown): ReadResult {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT' || err?.code === 'ENOTDIR') return { ok: false, reason: 'missing', message: 'no such file' };
  if (err?.code === 'ELOOP') return { ok: false, reason: 'symlink', message: 'is a symbolic link loop' };
  return { ok: false, reason: 'error', message: err?.message ?? String(e) };
}

/** Inside root (compared by real paths). */
function isInsideReal(root: string, real: string): boolean {
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    return false;
  }
  const rel = path.relative(rootReal, real);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * The limit for files that steer the tools rather than being linted (.gitignore, config files):
 * 1 MiB is a hundred times the largest real one.
 */
export const CONTROL_FILE_LIMIT = 1024 * 1024;

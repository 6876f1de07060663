/**
 * --cache: remember each file's report and reuse it while nothing it depends on has changed,
 * as ESLint's --cache does. An entry is used only when all of these are unchanged:
 *   - the tool: its version and a hash of the running bundle (so a rebuild invalidates everything);
 *   - the file's content (SHA-256) and its effective config; the content is not read again
 *     while size and mtime are those it had when read, and that mtime was well before the read
 *     (git's racy-clean rule), so an unchanged tree costs a stat per file;
 *   - every file the engine read or tried to read for it (recordReads + LintResult.dependencies),
 *     by content hash, with "absent" as a value (so creating a missing Dockerfile invalidates).
 * A hit gives the same FileReport the miss made, so every format prints the same bytes.
 *
 * The cache file is input like any other: it is read through the one safe reader (regular files
 * only, size-limited), parsed, and checked entry by entry; a cache that cannot be used is ignored with a
 * warning, never a crash. It is written to a temporary file and renamed into place, so a crash or
 * a parallel run never leaves half a file.
 */
import type * as NodeCrypto from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readFileSafely } from '../io/read-safely';
import type { FileReport } from './report';

export const DEFAULT_CACHE_FILE = '.container-privilege-lint-cache';
const MAGIC = 'container-privilege-lint-cache';
const FORMAT = 3;
/** A cache larger than this is not read (a 10,000-file tree makes a few tens of MB). */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

export type Dependencies = [path: string, hash: string | null][];

/** The linted file as it was when its report was made. */
export interface FileState {
  /** SHA-256 of the text linted. */
  content: string;
  size: number;
  mtimeMs: number;
  /** When the text was read (ms since the epoch). */
  readAt: number;
}

interface Entry extends FileState {
  /** The effective config's hash. */
  config: string;
  deps: Dependencies;
  report: FileReport;
}

/**
 * Trust size and mtime instead of re-reading only when the file was last modified well before it
 * was read (git's "racy clean" rule): any later write then has a later mtime, even on file systems
 * that keep mtimes to 2 s.
 */
const RACY_MS = 2000;

let loaded: typeof NodeCrypto | undefined;

/** node:crypto, loaded on first use: it costs about 10 ms of start-up, and only a run with --cache hashes. */
function crypto(): typeof NodeCrypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loaded ??= require('node:crypto') as typeof NodeCrypto);
}

export function sha256(text: string): string {
  return crypto().createHash('sha256').update(text).digest('hex');
}

/** The cache file for --cache-location (a folder, or a path ending in a separator, gets the default name). */
export function resolveCacheFile(location: string | undefined, cwd: string): string {
  if (location === undefined) return path.resolve(cwd, DEFAULT_CACHE_FILE);
  const abs = path.resolve(cwd, location);
  if (/[\\/]$/.test(location)) return path.join(abs, DEFAULT_CACHE_FILE);
  try {
    if (statSync(abs).isDirectory()) return path.join(abs, DEFAULT_CACHE_FILE);
  } catch {
    /* a file to be created */
  }
  return abs;
}

export class LintCache {
  private readonly entries = new Map<string, Entry>();
  private readonly touched = new Set<string>();
  private changed = false;
  hits = 0;
  misses = 0;

  private constructor(
    readonly file: string,
    private readonly tool: string,
  ) {}

  /** Opens the cache; `warn` hears why an existing cache is not used. */
  static open(file: string, tool: string, warn: (message: string) => void): LintCache {
    const cache = new LintCache(file, tool);
    const text = readCacheText(file, warn);
    if (text === undefined) return cache;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      warn(`ignoring the cache ${file}: it is not valid JSON (${(e as Error).message})`);
      cache.changed = true;
      return cache;
    }
    if (!isObject(data) || data.cache !== MAGIC || !isObject(data.entries)) {
      warn(`ignoring the cache ${file}: it is not a container-privilege-lint cache`);
      cache.changed = true;
      return cache;
    }
    // Another version or build of the tool: start over, silently (this is what a cache is for).
    if (data.format !== FORMAT || data.tool !== tool) {
      cache.changed = true;
      return cache;
    }
    const strings = Array.isArray(data.strings) && data.strings.every((x) => typeof x === 'string') ? (data.strings as string[]) : undefined;
    if (!strings) {
      warn(`ignoring the cache ${file}: its string table is missing or damaged`);
      cache.changed = true;
      return cache;
    }
    let invalid = 0;
    for (const [filePath, stored] of Object.entries(data.entries)) {
      const entry = decodeEntry(filePath, stored, strings);
      if (entry && isEntry(entry) && entry.report.filePath === filePath) cache.entries.set(filePath, entry);
      else invalid++;
    }
    if (invalid > 0) {
      warn(`ignoring ${invalid} malformed ${invalid === 1 ? 'entry' : 'entries'} in the cache ${file}`);
      cache.changed = true;
    }
    return cache;
  }

  /**
   * The stored report when the file is provably unchanged without reading it: the same size and
   * mtime as when it was read, that mtime well before the read, the same config, and every
   * dependency with the content it had. `hashOf` hashes a dependency now (null: absent).
   */
  lookupByStat(filePath: string, config: string, stat: { size: number; mtimeMs: number }, hashOf: (dependency: string) => string | null): FileReport | undefined {
    const entry = this.entries.get(filePath);
    if (!entry || entry.config !== config || entry.size !== stat.size || entry.mtimeMs !== stat.mtimeMs || !(entry.mtimeMs < entry.readAt - RACY_MS)) return undefined;
    return this.depsUnchanged(filePath, entry, hashOf);
  }

  /** The stored report when the content hash, the config and every dependency match; refreshes the stat it keeps. */
  lookup(filePath: string, config: string, state: FileState, hashOf: (dependency: string) => string | null): FileReport | undefined {
    const entry = this.entries.get(filePath);
    if (!entry || entry.config !== config || entry.content !== state.content) {
      this.touched.add(filePath);
      this.misses++;
      return undefined;
    }
    const report = this.depsUnchanged(filePath, entry, hashOf);
    if (report && (entry.size !== state.size || entry.mtimeMs !== state.mtimeMs || entry.readAt !== state.readAt)) {
      Object.assign(entry, { size: state.size, mtimeMs: state.mtimeMs, readAt: state.readAt });
      this.changed = true;
    }
    return report;
  }

  private depsUnchanged(filePath: string, entry: Entry, hashOf: (dependency: string) => string | null): FileReport | undefined {
    this.touched.add(filePath);
    if (entry.deps.every(([dep, hash]) => hashOf(dep) === hash)) {
      this.hits++;
      return entry.report;
    }
    this.misses++;
    return undefined;
  }

  store(filePath: string, config: string, state: FileState, deps: Dependencies, report: FileReport): void {
    this.touched.add(filePath);
    // Checked with the same shapes a later run checks on the way in, so that what is stored comes
    // back (it is stored as JSON would: undefined fields dropped, as they print).
    if (!isReport(report)) {
      this.forget(filePath);
      return;
    }
    this.entries.set(filePath, { config, content: state.content, size: state.size, mtimeMs: state.mtimeMs, readAt: state.readAt, deps, report });
    this.changed = true;
  }

  forget(filePath: string): void {
    this.touched.add(filePath);
    if (this.entries.delete(filePath)) this.changed = true;
  }

  /** Writes the cache atomically. Entries of files this run did not lint stay while the file exists. */
  save(warn: (message: string) => void): void {
    for (const filePath of [...this.entries.keys()]) {
      if (this.touched.has(filePath)) continue;
      try {
        if (statSync(filePath).isFile()) continue;
      } catch {
        /* gone */
      }
      this.entries.delete(filePath);
      this.changed = true;
    }
    if (!this.changed) return;
    const table = new StringTable();
    const entries: Record<string, unknown> = {};
    for (const [filePath, entry] of this.entries) entries[filePath] = encodeEntry(filePath, entry, table);
    const data = { cache: MAGIC, format: FORMAT, tool: this.tool, strings: table.strings, entries };
    const tmp = `${this.file}.${process.pid}.${crypto().randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(tmp, asciiJson(data), { encoding: 'utf8', flag: 'wx', mode: 0o644 });
      renameSync(tmp, this.file);
    } catch (e) {
      try {
        rmSync(tmp, { force: true });
      } catch {
        /* nothing was created */
      }
      warn(`cannot write the cache ${this.file}: ${(e as Error).message}`);
    }
  }
}

/** The cache file's text, or undefined when there is none or it must not be read (the one safe reader). */
function readCacheText(file: string, warn: (message: string) => void): string | undefined {
  const read = readFileSafely(file, { maxBytes: MAX_CACHE_BYTES, symlinks: 'any' });
  if (read.ok) return read.text;
  if (read.reason !== 'missing') warn(`ignoring the cache ${file}: it ${read.message}`);
  return undefined;
}

/** A hash of the running program, so a rebuilt tool never reuses an older build's results. */
export function toolIdentity(version: string): string {
  let build = '';
  try {
    build = sha256(readFileSync(__filename, 'utf8')).slice(0, 16);
  } catch {
    /* bundled somewhere unreadable: the version alone */
  }
  return `${version}+${build}`;
}

// ---------------------------------------------------------------------------------------------
// The stored form. A warm run reads the whole cache before it prints anything, so its size is the
// run's cost: the reports repeat the same messages, details and fix texts thousands of times, and
// every file lists the same absent neighbours (compose.override.yaml in four spellings, .env…).
// So strings in a report of 8 characters or more, dependency paths (relative to the file's
// folder) and config keys are stored once, in a string table, and referred to as "^12"; a literal
// string that starts with "^" is stored with a second one ("^^…"). The file is written in ASCII
// (other characters as \u escapes), which JSON.parse reads faster than UTF-8 text.

const REF = '^';
const MIN_INTERNED = 8;
/** Deeper than any report: a hostile cache nested deeper is malformed, not a stack overflow. */
const MAX_DEPTH = 16;

class StringTable {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();

  ref(s: string): string {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return `${REF}${i}`;
  }

  encode(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return value.length >= MIN_INTERNED ? this.ref(value) : value.startsWith(REF) ? `${REF}${value}` : value;
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.encode(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = this.encode(v, depth + 1);
    return out;
  }
}

class Malformed extends Error {}

/** Resolves references in place (the value is JSON.parse's own, not shared): copying 10,000 reports costs a warm run its garbage collections. */
function decode(value: unknown, strings: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(REF)) return value;
    if (value.startsWith(REF, 1)) return value.slice(1);
    const i = Number(value.slice(1));
    if (!Number.isSafeInteger(i) || i < 0 || i >= strings.length) throw new Malformed();
    return strings[i];
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw new Malformed();
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i], strings, depth + 1);
    return value;
  }
  // Own keys of a JSON.parse object are data properties ("__proto__" included), so setting them stays data.
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) record[k] = decode(record[k], strings, depth + 1);
  return record;
}

function encodeEntry(filePath: string, entry: Entry, table: StringTable): unknown {
  const dir = path.dirname(filePath);
  return {
    config: table.ref(entry.config),
    content: entry.content,
    size: entry.size,
    mtimeMs: entry.mtimeMs,
    readAt: entry.readAt,
    deps: entry.deps.map(([dep, hash]) => [table.ref(path.relative(dir, dep)), hash]),
    report: table.encode(entry.report),
  };
}

/** The entry as it was stored, or undefined when it is not well formed (its shape is checked after). */
function decodeEntry(filePath: string, stored: unknown, strings: readonly string[]): unknown {
  if (!isObject(stored) || !Array.isArray(stored.deps)) return undefined;
  try {
    const dir = path.dirname(filePath);
    const deps = stored.deps.map((d: unknown) => {
      if (!Array.isArray(d) || d.length !== 2) throw new Malformed();
      const rel = decode(d[0], strings);
      if (typeof rel !== 'string') throw new Malformed();
      // Most are names in the file's own folder (its absent neighbours): joined without resolving.
      return [isPlainName(rel) ? `${dir.endsWith(path.sep) ? dir : dir + path.sep}${rel}` : path.resolve(dir, rel), d[1]];
    });
    return { config: decode(stored.config, strings), content: stored.content, size: stored.size, mtimeMs: stored.mtimeMs, readAt: stored.readAt, deps, report: decode(stored.report, strings) };
  } catch (e) {
    if (e instanceof Malformed) return undefined;
    throw e;
  }
}

function isPlainName(rel: string): boolean {
  return rel !== '' && rel !== '.' && rel !== '..' && !rel.includes('/') && !rel.includes(path.sep);
}

/** JSON with every character past ASCII escaped. */
function asciiJson(data: unknown): string {
  return JSON.stringify(data).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Shape checks: what the formatters touch is checked to be what they expect, so a hostile or
// damaged entry is dropped instead of reaching them. Fields they do not touch may be anything.

type Check = (v: unknown) => boolean;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str: Check = (v) => typeof v === 'string';
const int: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const bool: Check = (v) => typeof v === 'boolean';
const optional = (c: Check): Check => (v) => v === undefined || c(v);
const oneOf = (...values: string[]): Check => (v) => typeof v === 'string' && values.includes(v);
const array = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);
const shape = (fields: Record<string, Check>): Check => (v) => isObject(v) && Object.entries(fields).every(([k, c]) => c(v[k]));

const severity = oneOf('error', 'warning', 'info');
const span = shape({ start: int, end: int });
const region = shape({ line: int, column: int, endLine: int, endColumn: int });
const fix = shape({ title: str, edits: array(shape({ start: int, end: int, text: str })), preferred: optional(bool) });
const lineRange = shape({ start: shape({ line: int, character: int }), end: shape({ line: int, character: int }) });
const finding = shape({
  ruleId: str,
  severity,
  message: str,
  span,
  fixes: array(fix),
  related: optional(array(shape({ span, message: str, path: optional(str), range: optional(lineRange) }))),
});
const placedFinding = shape({ finding, region, related: array(shape({ region, message: str, filePath: optional(str) })) });
const tier = shape({
  line: int,
  column: int,
  kind: str,
  workload: str,
  container: str,
  tier: int,
  privileged: bool,
  user: str,
  userNamespace: str,
  summary: str,
  notes: array(str),
});
/** Reports with a privileged explanation are never cached (see run.ts), so none may come back. */
const isReport = shape({ filePath: str, kind: optional(str), findings: array(placedFinding), tiers: optional(array(tier)), privileged: (v) => v === undefined }) as (v: unknown) => v is FileReport;
const isDependencies: Check = array((d) => Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && (d[1] === null || typeof d[1] === 'string'));
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isEntry = shape({ config: str, content: str, size: int, mtimeMs: num, readAt: num, deps: isDependencies, report: isReport }) as (v: unknown) => v is Entry;

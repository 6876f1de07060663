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
 * only, size-limited) and parsed, and each entry is checked when it is used: a cache that cannot
 * be used is ignored, and an entry that does not check out is linted again, with a warning,
 * never a crash. It is written to a temporary file and renamed into place, so a crash or
 * a parallel run never leaves half a file.
 */
import type * as NodeCrypto from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readFileSafely } from '../io/read-safely';
import type { FileReport } from './report';
import { childPath } from './walk';

export const DEFAULT_CACHE_FILE = '.container-privilege-lint-cache';
const MAGIC = 'container-privilege-lint-cache';
const FORMAT = 4;
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

/**
 * An entry between runs. The dependencies and the report stay JSON text (with string-table
 * references) until a lookup needs them, and go back to disk as the same text: a warm run parses
 * each report once, prints it and lets it go, instead of holding 10,000 reports as objects.
 */
interface Entry extends FileState {
  /** The effective config's hash. */
  config: string;
  /** Dependencies: JSON text of [path relative to the file's folder, hash] pairs. */
  deps: string;
  /** The FileReport as JSON text. */
  report: string;
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
  private table = new StringTable([]);
  /** Entries replaced or dropped since the string table was last rebuilt (their strings may be unused). */
  private churn = 0;
  private malformed = 0;
  private changed = false;
  hits = 0;
  misses = 0;
  /**
   * True when `name` is certainly not in `dir` (the walk listed the folder without it): a file's
   * absent neighbours, most of its dependencies, are checked without building their paths.
   */
  knownAbsent: ((dir: string, name: string) => boolean) | undefined;

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
    if (!strings || !int(data.churn)) {
      warn(`ignoring the cache ${file}: its string table is missing or damaged`);
      cache.changed = true;
      return cache;
    }
    cache.table = new StringTable(strings);
    cache.churn = data.churn as number;
    for (const [filePath, stored] of Object.entries(data.entries)) {
      const config = isObject(stored) ? cache.table.resolve(stored.config) : undefined;
      if (isObject(stored) && config !== undefined && isStoredEntry(stored)) {
        cache.entries.set(filePath, { config, content: stored.content, size: stored.size, mtimeMs: stored.mtimeMs, readAt: stored.readAt, deps: stored.deps, report: stored.report });
      } else {
        cache.malformed++;
        cache.changed = true;
      }
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
    const unchanged = this.table.dependenciesUnchanged(filePath, entry.deps, hashOf, this.knownAbsent);
    if (unchanged === undefined) return this.drop(filePath);
    if (!unchanged) {
      this.misses++;
      return undefined;
    }
    const report = this.table.parse(entry.report);
    if (!isReport(report) || report.filePath !== filePath) return this.drop(filePath);
    this.hits++;
    return report;
  }

  /** A malformed entry: counted for one warning, forgotten, and its file linted again. */
  private drop(filePath: string): undefined {
    this.malformed++;
    this.misses++;
    this.forget(filePath);
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
    if (this.entries.has(filePath)) this.churn++;
    this.entries.set(filePath, { config, content: state.content, size: state.size, mtimeMs: state.mtimeMs, readAt: state.readAt, deps: this.table.stringifyDependencies(filePath, deps), report: this.table.stringify(report) });
    this.changed = true;
  }

  forget(filePath: string): void {
    this.touched.add(filePath);
    if (this.entries.delete(filePath)) {
      this.churn++;
      this.changed = true;
    }
  }

  /** Writes the cache atomically. Entries of files this run did not lint stay while the file exists. */
  save(warn: (message: string) => void): void {
    if (this.malformed > 0) warn(`ignoring ${this.malformed} malformed ${this.malformed === 1 ? 'entry' : 'entries'} in the cache ${this.file}`);
    for (const filePath of [...this.entries.keys()]) {
      if (this.touched.has(filePath)) continue;
      try {
        if (statSync(filePath).isFile()) continue;
      } catch {
        /* gone */
      }
      this.entries.delete(filePath);
      this.churn++;
      this.changed = true;
    }
    if (!this.changed) return;
    // Strings of replaced and dropped entries stay in the table until it is rebuilt, which
    // happens once they may outnumber the live ones: the table stays within about twice its need.
    if (this.churn > Math.max(COMPACT_MIN_CHURN, this.entries.size / 2)) this.compact();
    const entries: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [filePath, e] of this.entries) entries[filePath] = { config: this.table.ref(e.config), content: e.content, size: e.size, mtimeMs: e.mtimeMs, readAt: e.readAt, deps: e.deps, report: e.report };
    const data = { cache: MAGIC, format: FORMAT, tool: this.tool, churn: this.churn, strings: this.table.strings, entries };
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

  /** A new string table holding only what the entries use (entries that do not decode are dropped). */
  private compact(): void {
    const fresh = new StringTable([]);
    for (const [filePath, e] of [...this.entries]) {
      const deps = this.table.parseDependencies(filePath, e.deps);
      const report = this.table.parse(e.report);
      if (deps === undefined || report === undefined) {
        this.entries.delete(filePath);
        continue;
      }
      e.deps = fresh.stringifyDependencies(filePath, deps);
      e.report = fresh.stringify(report);
    }
    this.table = fresh;
    this.churn = 0;
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
// string that starts with "^" is stored with a second one ("^^…"). Each entry's report and
// dependencies are JSON text inside the cache's JSON, parsed only when looked up. The file is
// written in ASCII (other characters as \u escapes), which JSON.parse reads faster than UTF-8 text.

const REF = '^';
const MIN_INTERNED = 8;
/** Deeper than any report: a hostile cache nested deeper is malformed, not a stack overflow. */
const MAX_DEPTH = 16;
/** Replaced or dropped entries before the string table is rebuilt, at the least. */
const COMPACT_MIN_CHURN = 256;

class Malformed extends Error {}

class StringTable {
  private index: Map<string, number> | undefined;

  constructor(readonly strings: string[]) {}

  ref(s: string): string {
    // Built on first use: a warm run that stores nothing never needs it.
    this.index ??= new Map(this.strings.map((x, i) => [x, i]));
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return `${REF}${i}`;
  }

  /** The string a stored value stands for (a reference, or a literal), or undefined. */
  resolve(value: unknown): string | undefined {
    try {
      const s = this.decode(value);
      return typeof s === 'string' ? s : undefined;
    } catch (e) {
      if (e instanceof Malformed) return undefined;
      throw e;
    }
  }

  stringify(value: unknown): string {
    return JSON.stringify(this.encode(value));
  }

  /** The value stored as text, or undefined when the text is not JSON or refers past the table. */
  parse(text: string): unknown {
    try {
      return this.decode(JSON.parse(text));
    } catch (e) {
      if (e instanceof Malformed || e instanceof SyntaxError) return undefined;
      throw e;
    }
  }

  stringifyDependencies(filePath: string, deps: Dependencies): string {
    const dir = path.dirname(filePath);
    return JSON.stringify(deps.map(([dep, hash]) => [this.ref(path.relative(dir, dep)), hash]));
  }

  /** Whether every dependency still has its hash; undefined when the text is malformed. */
  dependenciesUnchanged(filePath: string, text: string, hashOf: (dependency: string) => string | null, knownAbsent?: (dir: string, name: string) => boolean): boolean | undefined {
    const pairs = this.dependencyPairs(text);
    if (!pairs) return undefined;
    const dir = path.dirname(filePath);
    // A neighbour stored as absent that the walk saw absent is settled without building its path.
    return pairs.every(([rel, hash]) => (hash === null && isPlainName(rel) && knownAbsent?.(dir, rel)) || hashOf(dependencyPath(dir, rel)) === hash);
  }

  parseDependencies(filePath: string, text: string): Dependencies | undefined {
    const dir = path.dirname(filePath);
    return this.dependencyPairs(text)?.map(([rel, hash]) => [dependencyPath(dir, rel), hash]);
  }

  /** The stored [path relative to the file's folder, hash] pairs, or undefined when malformed. */
  private dependencyPairs(text: string): Dependencies | undefined {
    const value = this.parse(text);
    const pair = (d: unknown) => Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && (d[1] === null || typeof d[1] === 'string');
    return Array.isArray(value) && value.every(pair) ? (value as Dependencies) : undefined;
  }

  private encode(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return value.length >= MIN_INTERNED ? this.ref(value) : value.startsWith(REF) ? `${REF}${value}` : value;
    if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.encode(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = this.encode(v, depth + 1);
    return out;
  }

  /** Resolves references in place (the value is JSON.parse's own, not shared). */
  private decode(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') {
      if (!value.startsWith(REF)) return value;
      if (value.startsWith(REF, 1)) return value.slice(1);
      const i = Number(value.slice(1));
      if (!Number.isSafeInteger(i) || i < 0 || i >= this.strings.length) throw new Malformed();
      return this.strings[i];
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_DEPTH) throw new Malformed();
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.decode(value[i], depth + 1);
      return value;
    }
    // Own keys of a JSON.parse object are data properties ("__proto__" included), so setting them stays data.
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) record[k] = this.decode(record[k], depth + 1);
    return record;
  }
}

/** A stored dependency's path: most are names in the file's own folder, joined without resolving. */
function dependencyPath(dir: string, rel: string): string {
  return isPlainName(rel) ? childPath(dir, rel) : path.resolve(dir, rel);
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
/**
 * A privileged container's explanation: the fields stylish --explain prints are checked; the rest
 * (the knowledge base's input and inference) JSON output prints as it is.
 */
const explanation = shape({
  container: str,
  image: optional(str),
  verdict: str,
  inference: shape({ confidence: str }),
  summary: str,
  replacement: optional(str),
  items: array(shape({ what: str, value: str, reason: str, present: bool, written: bool })),
  notes: array(str),
  alternatives: array(str),
});
const isReport = shape({
  filePath: str,
  kind: optional(str),
  findings: array(placedFinding),
  tiers: optional(array(tier)),
  privileged: optional(array(shape({ line: int, column: int, explanation }))),
}) as (v: unknown) => v is FileReport;
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
/** An entry as read, before its report and dependencies are (when they are needed). */
const isStoredEntry = shape({ content: str, size: int, mtimeMs: num, readAt: num, deps: str, report: str }) as (v: unknown) => v is Omit<Entry, 'config'>;

/**
 * Which files to lint: named files always; folders walked in name order, respecting
 * .gitignore files (the folder's own, nested ones, and those of enclosing folders up to
 * the repository's top), always skipping node_modules, vendor and .git, and never following a
 * symbolic link to something outside the walked folder.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAMES } from '../engine/config-file';
import { detectByPath } from '../engine/detect';
import { CONTROL_FILE_LIMIT, describeType, readFileSafely } from '../io/read-safely';
import { gitignoreMatcher } from '../io/globs';
import type { IgnoreMatcher } from '../io/globs';
import { UsageError } from './args';

export interface CollectedFile {
  /** Absolute path, as reached (through symbolic links inside the walked folder). */
  path: string;
  /** Named on the command line rather than found by walking. */
  explicit: boolean;
}

// vendor/: third-party code checked in (Go modules, Composer, Bundler), not the project's own to fix.
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', 'vendor']);
/** Our own config files are YAML too, but not something to lint. */
const OWN_CONFIG = new Set<string>(CONFIG_FILE_NAMES);

interface IgnoreLevel {
  base: string;
  ig: IgnoreMatcher;
}

export interface CollectOptions {
  /** Called for files and folders that could not be read (they are skipped). */
  onWarning?(message: string): void;
  /** Filled with the names in every folder the walk listed. */
  listings?: Listings;
}

/**
 * The names the walk saw in each folder it listed. Linting a file probes for many files that are
 * not there (a Compose override in four spellings, a .env, a dev container folder, config files):
 * a probe into a listed folder is answered from the listing, without a system call. A name that is
 * listed, or a folder that was not, is left to the file system. The listing is the run's
 * snapshot: a file created after the walk is not seen, as if it had been created after the run.
 */
export class Listings {
  private readonly dirs = new Map<string, Set<string>>();

  constructor(private readonly ignorecase = process.platform === 'win32' || process.platform === 'darwin') {}

  record(dir: string, names: readonly string[]): void {
    this.dirs.set(dir, new Set(this.ignorecase ? names.map((n) => n.toLowerCase()) : names));
  }

  /** True when the folder was listed and `name` was not in it. */
  lacks(dir: string, name: string): boolean {
    const names = this.dirs.get(dir);
    return names !== undefined && !names.has(this.ignorecase ? name.toLowerCase() : name);
  }

  /** False when the path is certainly absent: the nearest listed folder on its way lacks the next name. */
  mayExist(absPath: string): boolean {
    let child = path.resolve(absPath);
    for (let dir = path.dirname(child); dir !== child; child = dir, dir = path.dirname(dir)) {
      if (this.dirs.has(dir)) return !this.lacks(dir, path.basename(child));
    }
    return true;
  }
}

export function collectFiles(inputs: string[], cwd: string, options: CollectOptions = {}): CollectedFile[] {
  const out: CollectedFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, real: string, explicit: boolean) => {
    if (seen.has(real)) return;
    seen.add(real);
    out.push({ path: file, explicit });
  };
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let stats;
    try {
      stats = statSync(abs);
    } catch {
      throw new UsageError(`no such file or folder: ${input}`);
    }
    // Never opened: a FIFO would block, a device (/dev/zero) would never end.
    if (!stats.isDirectory() && !stats.isFile()) throw new UsageError(`${input} is ${describeType(stats)}: only regular files and folders can be linted`);
    const real = safeRealpath(abs) ?? abs;
    if (stats.isDirectory()) {
      const walker = new Walker(abs, real, add, options);
      walker.walk();
    } else {
      add(abs, real, true);
    }
  }
  return out;
}

/** True when the engine's detection would look at a file of this name. */
export function isCandidate(file: string): boolean {
  return detectByPath(file) !== undefined;
}

class Walker {
  private readonly visited = new Set<string>();
  private readonly ignorecase = process.platform === 'win32' || process.platform === 'darwin';

  constructor(
    private readonly root: string,
    private readonly rootReal: string,
    private readonly add: (file: string, real: string, explicit: boolean) => void,
    private readonly options: CollectOptions,
  ) {}

  walk(): void {
    this.walkDir(this.root, this.rootReal, this.enclosingLevels());
  }

  /** .gitignore files of the folders between the repository's top and the walked folder. */
  private enclosingLevels(): IgnoreLevel[] {
    const chain: string[] = [];
    let dir = path.dirname(this.root);
    let top: string | undefined;
    if (existsSync(path.join(this.root, '.git'))) return [];
    for (;;) {
      chain.unshift(dir);
      if (existsSync(path.join(dir, '.git'))) {
        top = dir;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    if (!top) return [];
    const levels: IgnoreLevel[] = [];
    for (const d of chain) {
      const level = this.loadLevel(d);
      if (level) levels.push(level);
    }
    return levels;
  }

  private loadLevel(dir: string): IgnoreLevel | undefined {
    const file = path.join(dir, '.gitignore');
    const read = readFileSafely(file, { maxBytes: CONTROL_FILE_LIMIT, symlinks: 'any' });
    if (!read.ok) {
      if (read.reason !== 'missing') this.options.onWarning?.(`${file} not used: it ${read.message}`);
      return undefined;
    }
    const ig = gitignoreMatcher(read.text, this.ignorecase, (m) => this.options.onWarning?.(`${file}: ${m}`));
    return { base: dir, ig };
  }

  private isIgnored(levels: IgnoreLevel[], file: string, isDir: boolean): boolean {
    let ignored = false;
    for (const level of levels) {
      // The levels are the folders above the file (as walked): the relative path is a slice.
      const rel = file.startsWith(level.base) && file[level.base.length] === path.sep ? toPosix(file.slice(level.base.length + 1)) : toPosix(path.relative(level.base, file));
      if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) continue;
      const r = level.ig.test(isDir ? `${rel}/` : rel);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }

  private walkDir(dir: string, dirReal: string, parentLevels: IgnoreLevel[]): void {
    if (this.visited.has(dirReal)) return;
    this.visited.add(dirReal);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      this.options.onWarning?.(`cannot read folder ${dir}: ${(e as Error).message}`);
      return;
    }
    this.options.listings?.record(dir, entries.map((e) => e.name));
    const own = entries.some((e) => e.name === '.gitignore') ? this.loadLevel(dir) : undefined;
    const levels = own ? [...parentLevels, own] : parentLevels;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (ALWAYS_SKIPPED.has(entry.name)) continue;
      if (OWN_CONFIG.has(entry.name) && !entry.isDirectory()) continue;
      const full = childPath(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let real = childPath(dirReal, entry.name);
      if (entry.isSymbolicLink()) {
        const target = safeRealpath(full);
        if (!target || !isInside(this.rootReal, target)) continue;
        let st;
        try {
          st = statSync(target);
        } catch {
          continue;
        }
        isDir = st.isDirectory();
        isFile = st.isFile();
        real = target;
      }
      if (!isDir && !isFile) continue;
      // A file's name decides first (cheap), its ignore rules after (README.md, index.js… never reach them).
      if (isFile && !isCandidate(full)) continue;
      if (this.isIgnored(levels, full, isDir)) continue;
      if (isDir) this.walkDir(full, real, levels);
      else this.add(full, real, false);
    }
  }
}

/** A name in a normalised folder, joined without normalising again (path.join does, for every entry of a tree). */
export function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

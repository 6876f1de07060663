/**
 * Finds, reads and caches config files: for each linted file, the nearest
 * `.container-privilege-lint.{yaml,yml,json}` walking up from its folder (cached per
 * folder, stopping at the repository's top — the folder with `.git` — or the current
 * folder, whichever comes first), or the one --config names. Config files are read as
 * regular files of at most 1 MiB (server/src/io/read-safely.ts). A config that
 * cannot be read or does not validate is a usage error naming the file.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG } from '../engine/config';
import type { EngineConfig } from '../engine/config';
import { CONFIG_FILE_NAMES, formatConfigProblems, parseConfigFile } from '../engine/config-file';
import type { SeverityOrOff } from '../engine/model';
import type { Profile } from '../engine/pss';
import { globsMatcher } from '../io/globs';
import { CONTROL_FILE_LIMIT, isRegularFile, readFileSafely } from '../io/read-safely';
import { UsageError } from './args';
import { toPosix } from './walk';
import type { Listings } from './walk';

export interface LoadedConfig {
  /** The config file, or undefined when none applies. */
  file?: string;
  config: Partial<EngineConfig>;
  /** True when the config's `ignore` globs match the file. */
  isIgnored(absPath: string): boolean;
}

export class ConfigResolver {
  private readonly byDir = new Map<string, LoadedConfig>();
  private readonly byFile = new Map<string, LoadedConfig>();
  private explicit: LoadedConfig | undefined;

  /**
   * @param cliRules --rule severities, applied over every config file's.
   * @param explicitFile --config: used for every file instead of looking.
   * @param cliProfile --profile, over every config file's.
   */
  constructor(
    private readonly cliRules: Record<string, SeverityOrOff>,
    private readonly explicitFile: string | undefined,
    private readonly cwd: string,
    private readonly cliProfile?: Profile,
    /** The walk's listings: a config file or .git that a listed folder lacks is not looked for. */
    private readonly listings?: Listings,
  ) {}

  /** Loads --config up front, so that a bad one fails before any linting. */
  init(): void {
    if (this.explicitFile) this.explicit = this.load(path.resolve(this.cwd, this.explicitFile), true);
  }

  forFile(absPath: string): LoadedConfig {
    if (this.explicitFile) {
      if (!this.explicit) this.init();
      return this.explicit!;
    }
    return this.forDir(path.dirname(absPath));
  }

  private forDir(dir: string): LoadedConfig {
    const pending: string[] = [];
    let current = dir;
    let found: LoadedConfig | undefined;
    for (;;) {
      const cached = this.byDir.get(current);
      if (cached) {
        found = cached;
        break;
      }
      pending.push(current);
      const file = CONFIG_FILE_NAMES.map((n) => path.join(current, n)).find((f) => this.mayExist(f) && isFile(f));
      if (file) {
        found = this.load(file, false);
        break;
      }
      // The lookup ends at the repository's top or the current folder, as ESLint's does: a
      // config file above them belongs to someone else.
      if (current === path.resolve(this.cwd) || this.exists(path.join(current, '.git'))) break;
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    const result = found ?? this.none();
    for (const d of pending) this.byDir.set(d, result);
    return result;
  }

  private mayExist(p: string): boolean {
    return this.listings?.mayExist(p) ?? true;
  }

  private exists(p: string): boolean {
    return this.mayExist(p) && existsSync(p);
  }

  private none(): LoadedConfig {
    return { config: { rules: { ...this.cliRules }, ...(this.cliProfile ? { profile: this.cliProfile } : {}) }, isIgnored: () => false };
  }

  private load(file: string, explicit: boolean): LoadedConfig {
    const cached = this.byFile.get(file);
    if (cached) return cached;
    const shown = displayPath(file, this.cwd);
    const read = readFileSafely(file, { maxBytes: CONTROL_FILE_LIMIT, symlinks: 'any' });
    if (!read.ok) throw new UsageError(`cannot read ${explicit ? 'the --config file' : 'config file'} ${shown}: ${read.reason === 'missing' ? 'no such file' : `it ${read.message}`}`);
    const text = read.text;
    const parsed = parseConfigFile(text, file);
    if (parsed.problems.length > 0) {
      throw new UsageError(`invalid config file ${shown}:\n${formatConfigProblems(shown, parsed.problems)}`);
    }
    const base = path.dirname(file);
    const globs = parsed.ignore.map(normalizeGlob).filter((g) => g !== '');
    const matcher = globsMatcher(globs);
    const loaded: LoadedConfig = {
      file,
      config: { ...parsed.config, ...clampedLimit(parsed.config.maxFileSize), rules: { ...(parsed.config.rules ?? {}), ...this.cliRules }, ...(this.cliProfile ? { profile: this.cliProfile } : {}) },
      isIgnored: (absPath) => {
        if (!matcher) return false;
        const rel = toPosix(path.relative(base, absPath));
        if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return false;
        // The file itself, or any folder it is in (so `vendor` and `vendor/` ignore everything below).
        if (matcher(rel)) return true;
        const parts = rel.split('/');
        for (let i = 1; i < parts.length; i++) {
          if (matcher(parts.slice(0, i).join('/'))) return true;
        }
        return false;
      },
    };
    this.byFile.set(file, loaded);
    return loaded;
  }
}

/** A config file may lower the file size limit, never lift it above the built-in one. */
function clampedLimit(maxFileSize: number | undefined): { maxFileSize?: number } {
  return maxFileSize === undefined ? {} : { maxFileSize: Math.min(maxFileSize, DEFAULT_CONFIG.maxFileSize) };
}

function normalizeGlob(glob: string): string {
  let g = glob.trim();
  if (g.startsWith('./')) g = g.slice(2);
  else if (g.startsWith('/')) g = g.slice(1);
  while (g.length > 1 && g.endsWith('/')) g = g.slice(0, -1);
  return g;
}

function isFile(p: string): boolean {
  return isRegularFile(p, true);
}

/** Relative to the cwd when inside it, else absolute. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return file;
  return rel;
}

/**
 * The project config file (`.container-privilege-lint.{yaml,yml,json}`) for a file: the
 * nearest one walking up from its folder, parsed by the engine's config-file module and
 * cached per folder until a config file changes. A config file with problems is reported
 * once and not used (the CLI stops on it; an editor keeps going with the defaults).
 * The merge: config file first, the user's explicit settings on top, except maxFileSize,
 * which the config file can only lower.
 *
 * The workspace scan does not look up folder by folder: its walk lists every folder anyway,
 * so it works out from the listings which folder's config applies to each file
 * (configFolder) and asks for that folder's config only (forFolder).
 */
import type { Dirent } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, resolveConfig } from '../engine/config';
import type { EngineConfig } from '../engine/config';
import { CONFIG_FILE_NAMES, parseConfigFile } from '../engine/config-file';
import type { ConfigFileProblem } from '../engine/config-file';
import { globsMatcher } from '../io/globs';
import { CONTROL_FILE_LIMIT, isRegularFile, readFileSafely } from '../io/read-safely';
import type { ServerSettings } from './settings';

export interface ProjectConfig {
  /** The config file used, when one applies. */
  file?: string;
  config: Partial<EngineConfig>;
  /** True when the config file's `ignore` globs cover this path. */
  isIgnored(absPath: string): boolean;
}

const NONE: ProjectConfig = { config: {}, isIgnored: () => false };

export function isConfigFileName(fileName: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(fileName));
}

/** The engine config for a file: the project config file's values, then the user's settings over them. */
export function effectiveConfig(settings: ServerSettings, project: ProjectConfig): EngineConfig {
  return resolveConfig({
    rules: { ...(project.config.rules ?? {}), ...settings.rules },
    nonRootUid: settings.nonRootUid ?? project.config.nonRootUid,
    // The project config file is the repository's: it may lower the user's limit, never lift it.
    maxFileSize: Math.min(settings.maxFileSize ?? DEFAULT_CONFIG.maxFileSize, project.config.maxFileSize ?? Infinity),
    profile: settings.profile ?? project.config.profile,
  });
}

export class ProjectConfigLoader {
  private readonly byDir = new Map<string, Promise<ProjectConfig>>();
  /** Problems already reported, by file and text, so each bad version is reported once. */
  private readonly reported = new Set<string>();
  /** Folders a listing showed a config file in (a regular file): the name the lookup takes there, without a stat. */
  private readonly listed = new Map<string, string>();

  /**
   * @param warn A config file's problems, once per version of its text (a notification).
   * @param options.folders The workspace folders: a config file inside one is read through a
   *   symbolic link only to a file inside it, one outside all of them never through a link.
   * @param options.problems Each config file's problems when it is read (empty: none), for a
   *   diagnostic on the file.
   */
  constructor(
    private readonly warn: (message: string) => void,
    private readonly options: { folders?: () => readonly string[]; problems?: (file: string, problems: readonly ConfigFileProblem[]) => void } = {},
  ) {}

  /** Forget everything (a config file was created, changed or deleted). */
  clear(): void {
    this.byDir.clear();
    this.listed.clear();
  }

  /** The config for a file path; for URIs that are not files there is none. */
  forFile(filePath: string | undefined): Promise<ProjectConfig> {
    if (!filePath || !path.isAbsolute(filePath)) return Promise.resolve(NONE);
    return this.forDir(path.dirname(filePath));
  }

  /**
   * For a walk that lists folders from the top down: the folder whose lookup gives the
   * config of the files in `dir` — dir itself when its listing has a config file, else
   * `parentFolder` (the answer for its parent; for the walk's top, the folder above it, or
   * undefined when there is none). `configEntries` are the entries of dir named like a config
   * file (usually none). What the listing shows is taken as stat would see it, except a
   * symbolic link, which leaves dir to the lookup with stat.
   */
  configFolder(dir: string, configEntries: readonly Dirent[], parentFolder: string | undefined): string | undefined {
    for (const name of CONFIG_FILE_NAMES) {
      const entry = configEntries.find((e) => e.name === name);
      if (!entry) continue;
      if (entry.isSymbolicLink()) return dir;
      if (entry.isFile()) {
        if (!this.byDir.has(dir)) this.listed.set(dir, name);
        return dir;
      }
      // A folder, a FIFO…: not a file, for stat neither; the next name is tried.
    }
    return parentFolder;
  }

  /** The config of a folder found by configFolder (undefined: none). */
  forFolder(dir: string | undefined): Promise<ProjectConfig> {
    return dir === undefined ? Promise.resolve(NONE) : this.forDir(dir);
  }

  /** Drop what configFolder learnt from listings (folders change; lookups made with it stay cached until clear()). */
  forgetListings(): void {
    this.listed.clear();
  }

  private forDir(dir: string): Promise<ProjectConfig> {
    let result = this.byDir.get(dir);
    if (!result) {
      result = this.lookup(dir).catch(() => NONE);
      this.byDir.set(dir, result);
    }
    return result;
  }

  private async lookup(dir: string): Promise<ProjectConfig> {
    const listed = this.listed.get(dir);
    if (listed !== undefined) return this.load(path.join(dir, listed));
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      if (await isFile(file)) return this.load(file);
    }
    const parent = path.dirname(dir);
    return parent === dir ? NONE : this.forDir(parent);
  }

  private async load(file: string): Promise<ProjectConfig> {
    const folders = this.options.folders?.() ?? [];
    const inside = folders.some((f) => isInsideFolder(f, file));
    const read = readFileSafely(file, inside ? { maxBytes: CONTROL_FILE_LIMIT, symlinks: 'inside', roots: folders } : { maxBytes: CONTROL_FILE_LIMIT, symlinks: 'never' });
    if (!read.ok) {
      // Nothing of the file's content is shown: it may be a link to a file outside the workspace.
      const message = `cannot read ${file}: it ${read.message}; using the defaults instead`;
      this.options.problems?.(file, [{ message: `not used: it ${read.message}` }]);
      this.warnOnce(file, '', message);
      return NONE;
    }
    const text = read.text;
    const parsed = parseConfigFile(text, file);
    this.options.problems?.(file, parsed.problems);
    if (parsed.problems.length > 0) {
      const [first] = parsed.problems;
      const where = first.line !== undefined ? `:${first.line}:${first.column ?? 1}` : '';
      const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more; see the file's diagnostics)` : '';
      this.warnOnce(file, text, `invalid config file, using the defaults instead: ${file}${where}: ${first.message}${more}`);
      return NONE;
    }
    const base = path.dirname(file);
    const globs = parsed.ignore.map(normalizeGlob).filter((g) => g !== '');
    const matcher = globsMatcher(globs);
    return {
      file,
      config: parsed.config,
      isIgnored: (absPath) => (matcher ? matchesPathOrParent(matcher, base, absPath) : false),
    };
  }

  private warnOnce(file: string, text: string, message: string): void {
    const key = `${file}\0${text}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.warn(message);
  }
}

/** True when the glob matcher matches the path relative to base, or one of the folders it is in. */
export function matchesPathOrParent(matcher: (p: string) => boolean, base: string, absPath: string): boolean {
  const rel = path.relative(base, absPath).split(path.sep).join('/');
  if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return false;
  if (matcher(rel)) return true;
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) if (matcher(parts.slice(0, i).join('/'))) return true;
  return false;
}

export function normalizeGlob(glob: string): string {
  let g = glob.trim();
  if (g.startsWith('./')) g = g.slice(2);
  else if (g.startsWith('/')) g = g.slice(1);
  while (g.length > 1 && g.endsWith('/')) g = g.slice(0, -1);
  return g;
}

async function isFile(p: string): Promise<boolean> {
  return Promise.resolve(isRegularFile(p, true));
}

function isInsideFolder(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * The workspace scan: every file of every workspace folder the engine would look at,
 * linted from disk and published (without a version), so unopened files show in the
 * Problems panel. It never follows symbolic links, skips node_modules, vendor and .git, and
 * respects .gitignore files, the `exclude` setting, the client's `files.exclude` and the
 * config file's `ignore`. It works in slices of about 2 ms (synchronous directory listings,
 * reads and lints: no per-file round trips through the thread pool), and between slices waits
 * until what it published is written and yields to the event loop, so requests for open
 * documents are answered in between; it reports "n of N files" progress and stops when the
 * user cancels. Each folder is listed once, and its listing tells whether it holds a
 * .gitignore or a config file: no folder is probed for files it does not have. File watcher
 * events keep the results fresh. Open documents win: the scan never publishes for a file
 * that is open.
 */
import { readdirSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { lstat } from 'node:fs/promises';
import * as path from 'node:path';
import { CancellationTokenSource, FileChangeType, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import type { CancellationToken, Connection, Diagnostic, FileEvent, WorkspaceFolder } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ProjectMemo, lint } from '../engine';
import { lintInSlices, yieldToRequests } from './slices';
import type { ListDir, ReadFile } from '../engine';
import { detectByPath } from '../engine/detect';
import { gitignoreMatcher, globsMatcher } from '../io/globs';
import type { IgnoreMatcher } from '../io/globs';
import { CONTROL_FILE_LIMIT, readFileSafely } from '../io/read-safely';
import { toDiagnostics, tooLargeDiagnostic } from './diagnostics';
import type { DocumentStore } from './documents';
import { effectiveConfig, isConfigFileName, matchesPathOrParent, normalizeGlob } from './project-config';
import type { ProjectConfig, ProjectConfigLoader } from './project-config';
import type { ServerSettings, SettingsStore } from './settings';
import { pathToUri, uriToPath } from './uri';
import { beginBatchHeap, endBatchHeap } from '../io/batch-heap';

// vendor/: third-party code checked in (Go modules, Composer, Bundler), not the project's own to fix.
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', 'vendor']);
const RESCAN_DELAY_MS = 300;
/** How long the scan works before it lets other messages through. */
const SLICE_MS = 2;
export const SCAN_TITLE = 'Container Privilege Lint: scanning';

export interface ScannerOptions {
  connection: Connection;
  documents: DocumentStore;
  settings: SettingsStore;
  projectConfig: ProjectConfigLoader;
  relatedInformation(): boolean;
  /** A config file changed: open documents must be analysed again. */
  onConfigFilesChanged(): void;
  /** What the engine may read beyond the file (a Compose service's Dockerfile), with this size limit. */
  readFile?(maxFileSize: number): ReadFile;
  /** Lists a folder for the engine (a Helm chart's templates and helpers). */
  listDir?: ListDir;
  /** A file changed on disk: open documents that read it must be analysed again. */
  onDependencyChanged?(file: string): void;
}

export interface ScanSummary {
  /** Candidate files found. */
  files: number;
  /** Files linted from disk (the rest were open, ignored, or not reached because of a cancel). */
  linted: number;
  /** Files with at least one diagnostic. */
  filesWithFindings: number;
  /** Diagnostics published. */
  findings: number;
  cancelled: boolean;
}

/** A scan the client asked for: its request's cancellation, and its own progress token if it sent one. */
export interface ScanRequest {
  token?: CancellationToken;
  reporter?: WorkDoneProgressReporter;
}

interface Folder {
  uri: string;
  name: string;
  path: string;
}

interface IgnoreLevel {
  base: string;
  ig: IgnoreMatcher;
}

const sum = (counts: ReadonlyMap<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/** Between slices of the scan: requests that arrived meanwhile are answered before it goes on. */
const yieldToEventLoop = yieldToRequests;

export class WorkspaceScanner {
  private folders: Folder[] = [];
  /** URIs the scan published non-empty diagnostics for. */
  private readonly published = new Set<string>();
  private readonly filters = new Map<string, Promise<FolderFilter>>();
  private running: { source: CancellationTokenSource; done: Promise<ScanSummary> } | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  /** A pending rescan must run even if no folder's settings changed (config or ignore files did). */
  private rescanForced = false;
  /** The settings (and files.exclude) each folder was last scanned with. */
  private readonly scannedWith = new Map<string, string>();
  /** Files each file linted from disk read or tried to read (its Dockerfiles), to lint it again when they change. */
  private readonly dependencies = new Map<string, readonly string[]>();
  /** Set once a scan ran: later changes to settings and ignore files trigger a rescan. */
  private scanned = false;
  private disposed = false;

  constructor(private readonly options: ScannerOptions) {}

  setFolders(folders: readonly WorkspaceFolder[]): void {
    this.folders = [];
    this.addFolders(folders);
  }

  addFolders(folders: readonly WorkspaceFolder[]): void {
    for (const f of folders) {
      const p = uriToPath(f.uri);
      if (p && !this.folders.some((x) => x.path === p)) this.folders.push({ uri: f.uri, name: f.name, path: p });
    }
  }

  removeFolders(folders: readonly WorkspaceFolder[]): void {
    for (const f of folders) {
      const p = uriToPath(f.uri);
      if (!p) continue;
      this.folders = this.folders.filter((x) => x.path !== p);
      this.filters.delete(f.uri);
      this.scannedWith.delete(f.uri);
      this.clearUnder(p, (file) => this.folderFor(file) === undefined);
    }
  }

  /** Settings changed: forget the folder filters, and rescan if a scan ran before and a folder's settings differ. */
  settingsChanged(): void {
    this.filters.clear();
    if (this.scanned) this.requestRescan(false);
  }

  dispose(): void {
    this.disposed = true;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.running?.source.cancel();
  }

  /** Scans the folders whose settings have scanOnStartup on. */
  async scanOnStartup(): Promise<ScanSummary | undefined> {
    const wanted: Folder[] = [];
    for (const f of this.folders) {
      const s = await this.options.settings.get(f.uri);
      if (s.enable && s.scanOnStartup) wanted.push(f);
    }
    return wanted.length > 0 ? this.scan(wanted) : undefined;
  }

  /** Scans every workspace folder (the command). */
  scanAll(request?: ScanRequest): Promise<ScanSummary> {
    return this.scan(this.folders, true, request);
  }

  /**
   * Runs a scan. A scan the user asked for replaces one under way; an automatic rescan
   * (settings or ignore files changed) waits for the one under way instead.
   */
  private async scan(folders: Folder[], preempt = true, request?: ScanRequest): Promise<ScanSummary> {
    while (this.running) {
      if (preempt) this.running.source.cancel();
      await this.running.done.catch(() => undefined);
    }
    const source = new CancellationTokenSource();
    const done = this.doScan(folders, source.token, request);
    const entry = { source, done };
    this.running = entry;
    try {
      return await done;
    } finally {
      if (this.running === entry) this.running = undefined;
      source.dispose();
    }
  }

  private async doScan(folders: Folder[], internal: CancellationToken, request: ScanRequest | undefined): Promise<ScanSummary> {
    this.scanned = true;
    this.filters.clear();
    const summary: ScanSummary = { files: 0, linted: 0, filesWithFindings: 0, findings: 0, cancelled: false };
    const { connection } = this.options;
    // The client's own progress token when it sent one with the command, else one we create.
    let progress: WorkDoneProgressReporter | undefined;
    let progressCancel: CancellationToken | undefined;
    if (request?.reporter && !WorkDoneProgressReporter.isNullInstance(request.reporter)) {
      progress = request.reporter;
    } else {
      const created = await connection.window.createWorkDoneProgress().catch(() => undefined);
      progress = created;
      progressCancel = created?.token;
    }
    const cancelled = () =>
      internal.isCancellationRequested || progressCancel?.isCancellationRequested === true || request?.token?.isCancellationRequested === true || this.disposed;
    progress?.begin(SCAN_TITLE, 0, 'Looking for files…', true);
    beginBatchHeap();
    try {
      const work: { file: string; settings: ServerSettings; configFolder: string | undefined }[] = [];
      const seen = new Set<string>();
      for (const folder of folders) {
        const settings = await this.options.settings.get(folder.uri);
        if (!settings.enable) continue;
        const filter = await this.filterFor(folder);
        this.scannedWith.set(folder.uri, await this.settingsKey(folder));
        const files = await walk(folder.path, filter, this.options.projectConfig, cancelled);
        for (const { file, configFolder } of files) {
          if (seen.has(file)) continue;
          seen.add(file);
          work.push({ file, settings, configFolder });
        }
        if (cancelled()) break;
      }
      summary.files = work.length;
      const visited = new Set<string>();
      // One project view per scan: a Compose file set or a kustomization is read into its models
      // once, not once per member (kept by path and content, dropped with the scan).
      const memo = new ProjectMemo();
      let lastPercent = -1;
      let lastReport = 0;
      progress?.report(0, `0 of ${work.length} files`);
      let sliceStart = performance.now();
      for (let i = 0; i < work.length; i++) {
        if (cancelled()) break;
        const { file, settings, configFolder } = work[i];
        visited.add(pathToUri(file));
        const count = await this.lintFromDisk(file, settings, this.options.projectConfig.forFolder(configFolder), memo);
        if (count !== undefined) {
          summary.linted++;
          summary.findings += count;
          if (count > 0) summary.filesWithFindings++;
        }
        const percent = Math.floor(((i + 1) * 100) / work.length);
        const now = Date.now();
        if (percent !== lastPercent || now - lastReport > 250 || i + 1 === work.length) {
          progress?.report(percent, `${i + 1} of ${work.length} files`);
          lastPercent = percent;
          lastReport = now;
        }
        if (performance.now() - sliceStart >= SLICE_MS) {
          await this.drained();
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
      summary.cancelled = cancelled();
      if (!summary.cancelled) {
        // Files published by an earlier scan that this one did not reach (now excluded or gone).
        for (const uri of [...this.published]) {
          const file = uriToPath(uri);
          if (!visited.has(uri) && file && folders.some((f) => isInside(f.path, file))) this.clear(uri);
        }
      }
      connection.console.log(
        `workspace scan ${summary.cancelled ? 'cancelled' : 'done'}: ${summary.linted} of ${summary.files} files linted, ${summary.findings} findings in ${summary.filesWithFindings} files; project view: ${sum(memo.misses)} files read into models, ${sum(memo.hits)} reused (${[...memo.misses].map(([k, n]) => `${k} ${n}/${memo.hits.get(k) ?? 0}`).join(', ')})`,
      );
      return summary;
    } finally {
      this.options.projectConfig.forgetListings();
      endBatchHeap();
      progress?.done();
    }
  }

  /** Watched files changed on disk. */
  async filesChanged(changes: readonly FileEvent[]): Promise<void> {
    let configChanged = false;
    let ignoreChanged = false;
    for (const change of changes) {
      const file = change && typeof change.uri === 'string' ? uriToPath(change.uri) : undefined;
      if (!file) continue;
      // Whatever it is, files that read it (a Compose file and its service's Dockerfile) are checked again.
      this.options.onDependencyChanged?.(file);
      await this.dependencyChanged(file);
      const name = path.basename(file);
      if (isConfigFileName(name)) {
        configChanged = true;
      } else if (name === '.gitignore') {
        ignoreChanged = true;
      } else if (change.type === FileChangeType.Deleted) {
        this.clearUnder(file, () => true);
      } else if (detectByPath(file) !== undefined) {
        await this.refreshFile(file);
        await yieldToEventLoop();
      }
    }
    if (configChanged) {
      this.options.projectConfig.clear();
      this.options.onConfigFilesChanged();
    }
    if ((configChanged || ignoreChanged) && this.scanned) this.requestRescan(true);
  }

  /**
   * Lints one file of a workspace folder from disk and publishes the result (used by the
   * file watchers and when a document is closed). Files outside the folders are left alone.
   */
  async refreshFile(file: string): Promise<void> {
    const folder = this.folderFor(file);
    if (!folder) return;
    const settings = await this.options.settings.get(folder.uri);
    const filter = await this.filterFor(folder);
    if (!settings.enable || (await filter.isExcludedPath(file))) {
      this.clear(pathToUri(file));
      return;
    }
    await this.lintFromDisk(file, settings);
  }

  /** Whether a path is inside a workspace folder. */
  inWorkspace(file: string): boolean {
    return this.folderFor(file) !== undefined;
  }

  /** The workspace folders' paths. */
  folderPaths(): string[] {
    return this.folders.map((f) => f.path);
  }

  /** Lints again, from disk, every file not open in the editor whose last lint read this one. */
  async dependencyChanged(file: string): Promise<void> {
    const dependents = [...this.dependencies].filter(([f, files]) => f !== file && files.includes(file)).map(([f]) => f);
    for (const f of dependents) {
      if (!this.options.documents.isOpenPath(f)) await this.refreshFile(f);
    }
  }

  private requestRescan(force: boolean): void {
    this.rescanForced ||= force;
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      const forced = this.rescanForced;
      this.rescanForced = false;
      void (async () => {
        // Folders scanned before; unless forced, only those whose settings changed (clients
        // send didChangeConfiguration for any setting, ours or not).
        const folders: Folder[] = [];
        for (const f of this.folders) {
          const before = this.scannedWith.get(f.uri);
          if (before !== undefined && (forced || before !== (await this.settingsKey(f)))) folders.push(f);
        }
        if (folders.length > 0) await this.scan(folders, false);
      })().catch((e) => this.options.connection.console.error(`workspace scan failed: ${String(e)}`));
    }, RESCAN_DELAY_MS);
  }

  private async settingsKey(folder: Folder): Promise<string> {
    const [settings, filesExclude] = await Promise.all([this.options.settings.get(folder.uri), this.options.settings.filesExclude(folder.uri)]);
    return JSON.stringify({ settings, filesExclude });
  }

  /**
   * Lints a file from disk; returns the number of diagnostics published, or undefined when it
   * was not linted. The scan passes the project config it found for the file's folder (see
   * ProjectConfigLoader.configFolder); otherwise it is looked up.
   */
  private async lintFromDisk(file: string, settings: ServerSettings, projectConfig?: Promise<ProjectConfig>, projectMemo?: ProjectMemo): Promise<number | undefined> {
    const { documents } = this.options;
    const uri = pathToUri(file);
    if (documents.isOpenPath(file)) return undefined;
    try {
      const project = await (projectConfig ?? this.options.projectConfig.forFile(file));
      if (project.isIgnored(file)) {
        this.clear(uri);
        return undefined;
      }
      const config = effectiveConfig(settings, project);
      if (documents.isOpenPath(file)) return undefined;
      const loaded = loadFile(file, config.maxFileSize);
      if (!loaded.isFile) {
        this.clear(uri);
        return undefined;
      }
      let diagnostics: Diagnostic[];
      if (loaded.text === undefined) {
        diagnostics = [tooLargeDiagnostic(loaded.size, config.maxFileSize)];
      } else {
        // In slices: requests are answered while a file of thousands of documents is analysed (#17).
        const result = await lintInSlices(lint, loaded.text, { path: file, config, readFile: this.options.readFile?.(config.maxFileSize), listDir: this.options.listDir, projectMemo });
        if (result.dependencies) this.dependencies.set(file, result.dependencies);
        else this.dependencies.delete(file);
        diagnostics = result.findings.length === 0 ? [] : toDiagnostics(TextDocument.create(uri, '', 0, loaded.text), result.findings, { relatedInformation: this.options.relatedInformation() });
      }
      this.publish(uri, diagnostics);
      return diagnostics.length;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') this.clear(uri);
      else this.options.connection.console.warn(`cannot lint ${file}: ${err.message ?? String(e)}`);
      return undefined;
    }
  }

  private publish(uri: string, diagnostics: Diagnostic[]): void {
    if (diagnostics.length === 0) {
      this.clear(uri);
      return;
    }
    this.published.add(uri);
    this.send(uri, diagnostics);
  }

  /** Clears what the scan published for a URI (not for open documents: those are the analyzer's). */
  private clear(uri: string): void {
    if (!this.published.delete(uri)) return;
    const file = uriToPath(uri);
    if (file && this.options.documents.isOpenPath(file)) return;
    this.send(uri, []);
  }

  /** The newest publish not yet written out (messages are written in order, one per turn of the event loop). */
  private lastSend: Promise<void> | undefined;

  private send(uri: string, diagnostics: Diagnostic[]): void {
    const sent = this.options.connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
    this.lastSend = sent;
    void sent.then(() => {
      if (this.lastSend === sent) this.lastSend = undefined;
    });
  }

  /**
   * Resolves once everything published so far is written. The scan waits for it after each
   * slice, so what it publishes never piles up in memory, nor in front of the answers to
   * requests for open documents.
   */
  private drained(): Promise<void> {
    return this.lastSend ?? Promise.resolve();
  }

  /** Clears a file, or everything under a deleted folder, that matches the predicate. */
  private clearUnder(target: string, predicate: (file: string) => boolean): void {
    for (const uri of [...this.published]) {
      const file = uriToPath(uri);
      if (file && (file === target || isInside(target, file)) && predicate(file)) this.clear(uri);
    }
  }

  private folderFor(file: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) if (isInside(f.path, file) && (!best || f.path.length > best.path.length)) best = f;
    return best;
  }

  private filterFor(folder: Folder): Promise<FolderFilter> {
    let filter = this.filters.get(folder.uri);
    if (!filter) {
      filter = Promise.all([this.options.settings.get(folder.uri), this.options.settings.filesExclude(folder.uri)]).then(
        ([settings, filesExclude]) => new FolderFilter(folder.path, settings.exclude, filesExclude, (m) => this.options.connection.console.warn(m)),
      );
      this.filters.set(folder.uri, filter);
    }
    return filter;
  }
}

interface WalkDir {
  dir: string;
  /** The .gitignore files that apply in the folder it is in. */
  inherited: readonly IgnoreLevel[];
  /** The folder whose config file applies in the folder it is in (see ProjectConfigLoader.configFolder). */
  configFolder: string | undefined;
}

interface Candidate {
  file: string;
  /** The folder whose config file applies to it. */
  configFolder: string | undefined;
}

/**
 * Candidate files under root, in name order. Each folder is listed once, synchronously, a
 * slice at a time, and its listing is all the walk needs: whether it has a .gitignore (read
 * only then), whether it has a config file, which entries are files and folders.
 */
async function walk(root: string, filter: FolderFilter, projectConfig: ProjectConfigLoader, cancelled: () => boolean): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const above = path.dirname(root);
  const stack: WalkDir[] = [{ dir: root, inherited: await filter.enclosing(), configFolder: above === root ? undefined : above }];
  let sliceStart = performance.now();
  while (stack.length > 0) {
    if (cancelled()) break;
    const { dir, inherited, configFolder: parentConfigFolder } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    let configEntries: Dirent[] | undefined;
    let hasGitignore = false;
    for (const entry of entries) {
      if (entry.name === '.gitignore') hasGitignore = true;
      else if (isConfigFileName(entry.name)) (configEntries ??= []).push(entry);
    }
    const configFolder = projectConfig.configFolder(dir, configEntries ?? [], parentConfigFolder);
    const own = hasGitignore ? filter.loadSync(dir) : undefined;
    const levels = own ? [...inherited, own] : inherited;
    const subdirs: string[] = [];
    for (const entry of entries) {
      // Never follow symbolic links: a Dirent for a link is neither a file nor a folder.
      if (ALWAYS_SKIPPED.has(entry.name) || entry.isSymbolicLink()) continue;
      const isDir = entry.isDirectory();
      if (!isDir && !entry.isFile()) continue;
      const full = path.join(dir, entry.name);
      if (filter.excludedIn(levels, full, isDir)) continue;
      if (isDir) subdirs.push(full);
      else if (detectByPath(full) !== undefined) out.push({ file: full, configFolder });
    }
    subdirs.sort();
    for (let k = subdirs.length - 1; k >= 0; k--) stack.push({ dir: subdirs[k], inherited: levels, configFolder });
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The exclusions of one workspace folder: .gitignore files, `exclude` and `files.exclude`. */
export class FolderFilter {
  private readonly levels = new Map<string, Promise<IgnoreLevel[]>>();
  private readonly globs: ((p: string) => boolean) | undefined;
  private readonly ignorecase = process.platform === 'win32' || process.platform === 'darwin';

  constructor(
    private readonly root: string,
    exclude: readonly string[],
    filesExclude: readonly string[],
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    const all = [...exclude, ...filesExclude].map(normalizeGlob).filter((g) => g !== '');
    this.globs = globsMatcher(all, (m) => warn(`exclude: ${m}`));
  }

  /** The .gitignore files that apply inside dir: those above the folder up to the repository's top, then each folder's own. */
  levelsFor(dir: string): Promise<IgnoreLevel[]> {
    let result = this.levels.get(dir);
    if (!result) {
      result = (async () => {
        const inherited = dir === this.root || !isInside(this.root, dir) ? await this.enclosing() : await this.levelsFor(path.dirname(dir));
        const own = await this.load(dir);
        return own ? [...inherited, own] : inherited;
      })();
      this.levels.set(dir, result);
    }
    return result;
  }

  /** For the walk: is this entry of a folder (whose levels are given) excluded? */
  excludedIn(levels: readonly IgnoreLevel[], full: string, isDir: boolean): boolean {
    if (this.globs && matchesPathOrParent(this.globs, this.root, full)) return true;
    return gitIgnored(levels, full, isDir);
  }

  /** For a single file (watcher events): excluded itself or through any folder it is in? */
  async isExcludedPath(file: string): Promise<boolean> {
    if (!isInside(this.root, file)) return true;
    const rel = path.relative(this.root, file).split(path.sep);
    if (rel.some((part) => ALWAYS_SKIPPED.has(part))) return true;
    if (this.globs && matchesPathOrParent(this.globs, this.root, file)) return true;
    let dir = this.root;
    for (let i = 0; i < rel.length; i++) {
      const full = path.join(dir, rel[i]);
      if (gitIgnored(await this.levelsFor(dir), full, i < rel.length - 1)) return true;
      dir = full;
    }
    return false;
  }

  private enclosingLevels: Promise<IgnoreLevel[]> | undefined;

  /** .gitignore files between the repository's top and the folder, when the folder is inside a repository. */
  enclosing(): Promise<IgnoreLevel[]> {
    this.enclosingLevels ??= (async () => {
      if (await exists(path.join(this.root, '.git'))) return [];
      const chain: string[] = [];
      let dir = path.dirname(this.root);
      for (;;) {
        chain.unshift(dir);
        if (await exists(path.join(dir, '.git'))) break;
        const parent = path.dirname(dir);
        if (parent === dir) return [];
        dir = parent;
      }
      const levels: IgnoreLevel[] = [];
      for (const d of chain) {
        const level = await this.load(d);
        if (level) levels.push(level);
      }
      return levels;
    })();
    return this.enclosingLevels;
  }

  private load(dir: string): Promise<IgnoreLevel | undefined> {
    return Promise.resolve(this.loadSync(dir));
  }

  /**
   * The folder's .gitignore, read now (the walk calls it for folders whose listing has one): a
   * regular file of at most 1 MiB, through a symbolic link only to a file inside the folder.
   */
  loadSync(dir: string): IgnoreLevel | undefined {
    const file = path.join(dir, '.gitignore');
    const inside = dir === this.root || isInside(this.root, dir);
    const read = readFileSafely(file, inside ? { maxBytes: CONTROL_FILE_LIMIT, symlinks: 'inside', roots: [this.root] } : { maxBytes: CONTROL_FILE_LIMIT, symlinks: 'never' });
    if (!read.ok) {
      if (read.reason !== 'missing') this.warn(`${file} not used: it ${read.message}`);
      return undefined;
    }
    return { base: dir, ig: gitignoreMatcher(read.text, this.ignorecase, (m) => this.warn(`${file}: ${m}`)) };
  }
}

function gitIgnored(levels: readonly IgnoreLevel[], file: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = path.relative(level.base, file).split(path.sep).join('/');
    if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) continue;
    const r = level.ig.test(isDir ? `${rel}/` : rel);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

interface Loaded {
  isFile: boolean;
  size: number;
  /** The content, when the file is a regular file no larger than the read limit. */
  text?: string;
}

/** A regular file (never through a symbolic link), then its content when it is within `readLimit` bytes. */
function loadFile(file: string, readLimit: number): Loaded {
  const read = readFileSafely(file, { maxBytes: readLimit, symlinks: 'never' });
  if (read.ok) return { isFile: true, size: read.size, text: read.text };
  if (read.reason === 'too-large') return { isFile: true, size: read.size };
  if (read.reason === 'missing') throw Object.assign(new Error(`${file}: no such file`), { code: 'ENOENT' });
  return { isFile: false, size: 0 };
}

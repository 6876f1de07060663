/**
 * Analysis of open documents: debounced per document, cached by (uri, version) so hover
 * and code actions reuse it, and published with the document version. A result computed
 * for a version that is no longer the document's is never published.
 */
import type { Connection, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { EngineConfig } from '../engine/config';
import { lint, ProjectMemo } from '../engine';
import { lintInSlices } from './slices';
import type { LintResult, ListDir, ReadFile } from '../engine';
import type { DocumentStore } from './documents';
import { capDiagnostics, DiagnosticParts, sameParts } from './diagnostics';
import { registerParts } from './message-encoder';
import { lazyProperty } from '../engine/lazy-property';
import { effectiveConfig, isConfigFileName } from './project-config';
import type { ProjectConfigLoader } from './project-config';
import type { ServerSettings, SettingsStore } from './settings';
import { lintPath, uriToPath } from './uri';

/** Diagnostics are published once a document has been quiet this long (no flicker while typing). */
export const DEBOUNCE_MS = 75;
/**
 * A document whose last analysis took at most CHEAP_MS is analysed once it has been quiet for
 * ANALYSE_AFTER_MS, so the result is ready when the publish delay ends: the squiggles move at
 * DEBOUNCE_MS, not DEBOUNCE_MS plus the analysis. A burst of edits still gets one analysis, of
 * its last version; an expensive document is analysed only at DEBOUNCE_MS.
 */
export const ANALYSE_AFTER_MS = 15;
export const CHEAP_MS = 25;

/** How an analysis makes its diagnostics: the server's parts (kept between versions) and its setting. */
const DIAGNOSTICS_FROM = Symbol('diagnostics from');
interface DiagnosticsFrom {
  parts: DiagnosticParts;
  related: boolean;
}
type AnalysisMade = Analysis & { [DIAGNOSTICS_FROM]: DiagnosticsFrom };

/** Shared getters (lazy-property.ts): a getter made per analysis kept each keystroke's result alive past the scavenges after it (#16). */
const defineDiagnosticParts = lazyProperty<AnalysisMade, Diagnostic[][]>('diagnosticParts', (a) => a[DIAGNOSTICS_FROM].parts.build(a.document, a.result, { relatedInformation: a[DIAGNOSTICS_FROM].related }));
// Registered with its parts: the stdio encoder writes a publish from each part's kept bytes (message-encoder.ts).
const defineDiagnostics = lazyProperty<Analysis, Diagnostic[]>('diagnostics', (a) => registerParts(a.diagnosticParts.flat(), a.diagnosticParts));

export interface Analysis {
  uri: string;
  version: number;
  /** The version of the document analysed (immutable): its offsets are the findings' offsets. */
  document: TextDocument;
  result: LintResult;
  settings: ServerSettings;
  config: EngineConfig;
  /** False when the server is disabled for the resource or the config file ignores it (no findings then). */
  active: boolean;
  /** Every finding as a diagnostic, made on first read. */
  diagnostics: Diagnostic[];
  /** The same, in parts (DiagnosticParts): unchanged parts are the same arrays as the last version's. */
  diagnosticParts: Diagnostic[][];
  /** The settings generation it was computed in (see Analyzer.invalidateAll). */
  generation: number;
}

export interface AnalyzerOptions {
  connection: Connection;
  documents: DocumentStore;
  settings: SettingsStore;
  projectConfig: ProjectConfigLoader;
  /** The client shows relatedInformation. */
  relatedInformation(): boolean;
  /** What the engine may read beyond the document (a Compose service's Dockerfile), with this size limit. */
  readFile?(maxFileSize: number): ReadFile;
  /** Lists a folder for the engine (a Helm chart's templates and helpers). */
  listDir?: ListDir;
  /** The engine's lint (tests count and time analyses through it). */
  lint?: typeof lint;
  /** The clock an analysis is timed with (tests give a fake one); performance.now by default. */
  now?(): number;
  /** False when the client pulls diagnostics (LSP 3.17 textDocument/diagnostic): nothing is pushed for open documents. */
  push?(): boolean;
}

export class Analyzer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Early-analysis timers (ANALYSE_AFTER_MS), per document. */
  private readonly early = new Map<string, NodeJS.Timeout>();
  /** How long each document's last analysis took (ms). */
  private readonly cost = new Map<string, number>();
  /** The newest analysis per document. */
  private readonly cache = new Map<string, Analysis>();
  /** Analyses under way, so one version is never analysed twice at the same time. */
  private readonly pending = new Map<string, { version: number; promise: Promise<Analysis | undefined> }>();
  /** The newest version published per document. */
  private readonly published = new Map<string, number>();
  /** Bumped when settings or config files change, so analyses started before are not cached. */
  private generation = 0;
  /** Files (absolute paths) each document's newest analysis read or tried to read: its Dockerfiles. */
  private readonly dependencies = new Map<string, readonly string[]>();
  /** Diagnostics kept per YAML document between versions. */
  private readonly parts = new DiagnosticParts();
  /** The last pull report per document: its result id and what it said. */
  private readonly reported = new Map<string, { resultId: string; parts: Diagnostic[][]; max: number }>();
  private resultIds = 0;
  /**
   * Per open document, what its lints made of the other files they read (a Compose override file,
   * a build Dockerfile, a kustomization), kept by path and content: a keystroke reads them again
   * but does not parse them again unless they changed (#16).
   */
  private readonly memos = new Map<string, ProjectMemo>();

  constructor(private readonly options: AnalyzerOptions) {}

  /** Analyse (and publish) the document after the debounce delay, restarting the delay. */
  schedule(uri: string, delay = DEBOUNCE_MS): void {
    const existing = this.timers.get(uri);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri);
    }, delay);
    this.timers.set(uri, timer);
    const early = this.early.get(uri);
    if (early) clearTimeout(early);
    this.early.delete(uri);
    if (delay > ANALYSE_AFTER_MS && (this.cost.get(uri) ?? Infinity) <= CHEAP_MS) {
      this.early.set(
        uri,
        setTimeout(() => {
          this.early.delete(uri);
          this.current(uri).catch(() => undefined);
        }, ANALYSE_AFTER_MS),
      );
    }
  }

  /** Analyse every open document again (settings or config files changed). */
  invalidateAll(): void {
    this.generation++;
    this.cache.clear();
    this.pending.clear();
    for (const doc of this.options.documents.all()) this.schedule(doc.uri, 0);
  }

  /**
   * A file changed (edited, opened, closed, or changed on disk): analyse again, after the
   * debounce delay, every open document whose analysis read it. Returns their URIs.
   */
  dependencyChanged(file: string): string[] {
    const dependents = [...this.dependencies].filter(([uri, files]) => files.includes(file) && this.options.documents.get(uri)).map(([uri]) => uri);
    for (const uri of dependents) {
      this.cache.delete(uri);
      this.pending.delete(uri);
      this.schedule(uri);
    }
    return dependents;
  }

  /** The document was closed: forget it. The caller decides what to publish. */
  forget(uri: string): void {
    this.dependencies.delete(uri);
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    const early = this.early.get(uri);
    if (early) clearTimeout(early);
    this.early.delete(uri);
    this.cost.delete(uri);
    this.cache.delete(uri);
    this.pending.delete(uri);
    this.published.delete(uri);
    this.reported.delete(uri);
    this.memos.delete(uri);
  }

  /**
   * The pull report (textDocument/diagnostic) of the document's current version: `unchanged`
   * when it says what the report with `previousResultId` said, else every diagnostic (capped
   * by the maxDiagnostics setting) with a new result id.
   */
  async report(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    const analysis = await this.current(uri);
    if (!analysis) return { kind: 'full', items: [] };
    const max = analysis.settings.maxDiagnostics ?? 0;
    const parts = analysis.diagnosticParts;
    const last = this.reported.get(uri);
    let resultId: string;
    if (last && last.max === max && sameParts(last.parts, parts)) resultId = last.resultId;
    else {
      resultId = `${++this.resultIds}`;
      this.reported.set(uri, { resultId, parts, max });
    }
    if (previousResultId === resultId) return { kind: 'unchanged', resultId };
    return { kind: 'full', resultId, items: capDiagnostics(analysis.diagnostics, max) };
  }

  dispose(): void {
    for (const timer of [...this.timers.values(), ...this.early.values()]) clearTimeout(timer);
    this.timers.clear();
    this.early.clear();
  }

  /** The analysis of the document's current version, computing it now if needed. */
  async current(uri: string): Promise<Analysis | undefined> {
    const doc = this.options.documents.get(uri);
    if (!doc) return undefined;
    const cached = this.cache.get(uri);
    if (cached && cached.version === doc.version) return cached;
    const inFlight = this.pending.get(uri);
    if (inFlight && inFlight.version === doc.version) return inFlight.promise;
    const promise = this.compute(doc);
    this.pending.set(uri, { version: doc.version, promise });
    try {
      return await promise;
    } finally {
      if (this.pending.get(uri)?.promise === promise) this.pending.delete(uri);
    }
  }

  private async run(uri: string): Promise<void> {
    try {
      const analysis = await this.current(uri);
      if (analysis) this.publish(analysis);
    } catch (e) {
      this.options.connection.console.error(`analysis of ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    }
  }

  private publish(analysis: Analysis): void {
    const doc = this.options.documents.get(analysis.uri);
    // Only the document's current version, and never one older than what was published.
    if (!doc || doc.version !== analysis.version || analysis.generation !== this.generation) return;
    // A config file's diagnostics are its problems, published by the config loader (server.ts).
    if (isConfigFileName(analysis.uri)) return;
    const last = this.published.get(analysis.uri);
    if (last !== undefined && last > analysis.version) return;
    if (this.options.push && !this.options.push()) return;
    this.published.set(analysis.uri, analysis.version);
    const diagnostics = capDiagnostics(analysis.diagnostics, analysis.settings.maxDiagnostics ?? 0);
    this.options.connection.sendDiagnostics({ uri: analysis.uri, version: analysis.version, diagnostics }).catch(() => undefined);
  }

  private async compute(doc: TextDocument): Promise<Analysis | undefined> {
    const { uri, version, languageId } = doc;
    const generation = this.generation;
    // Documents are immutable versions (LineDocument): the analysis keeps this one.
    const snapshot = doc;
    const filePath = uriToPath(uri);
    const [settings, project] = await Promise.all([this.options.settings.get(uri), this.options.projectConfig.forFile(filePath)]);
    const config = effectiveConfig(settings, project);
    const active = settings.enable && !(filePath && project.isIgnored(filePath));
    let result: LintResult = { kind: undefined, findings: [] };
    if (active) {
      try {
        const readFile = this.options.readFile?.(config.maxFileSize);
        // The previous version's result: unchanged YAML documents are not parsed again.
        const previous = this.cache.get(uri)?.result;
        const now = this.options.now ?? (() => performance.now());
        const started = now();
        // In slices: a file of thousands of documents does not hold up requests for other files (#17).
        let projectMemo = this.memos.get(uri);
        if (!projectMemo && readFile && this.options.documents.get(uri)) this.memos.set(uri, (projectMemo = new ProjectMemo({ rememberAbsent: false })));
        result = await lintInSlices(this.options.lint ?? lint, snapshot.getText(), { path: lintPath(uri), config, languageId, readFile, listDir: this.options.listDir, previous, projectMemo });
        this.cost.set(uri, now() - started);
      } catch (e) {
        this.options.connection.console.error(`linting ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
    const analysis = { uri, version, document: snapshot, result, settings, config, active, generation } as Analysis;
    // Diagnostics are made when they are published or pulled, not for a hover or a code action.
    Object.defineProperty(analysis, DIAGNOSTICS_FROM, { value: { parts: this.parts, related: this.options.relatedInformation() } satisfies DiagnosticsFrom, enumerable: false });
    defineDiagnosticParts(analysis as AnalysisMade);
    defineDiagnostics(analysis);
    const cached = this.cache.get(uri);
    if (generation === this.generation && this.options.documents.get(uri) && (!cached || cached.version <= version)) {
      this.cache.set(uri, analysis);
      if (result.dependencies) this.dependencies.set(uri, result.dependencies);
      else this.dependencies.delete(uri);
    }
    return analysis;
  }
}

/**
 * The engine's public face: lint(text) → findings with ready-made fixes; applyFixes.
 * Pure: no I/O, no LSP or VS Code imports.
 */
import { adapterFor } from './adapters';
import { budgetProblem } from './adapters/yaml';
import { isServiceCopy, serviceMemo } from './adapters/compose';
import type { AdapterProblem, ParsedFile, PlacedDocument } from './adapters/types';
import { resolveConfig } from './config';
import type { EngineConfig } from './config';
import { resolveBuildImages } from './cross-file';
import { isAbsolute } from 'node:path';
import { applyComposeSet } from './project/compose-set';
import { applyFeatures } from './project/features';
import type { KustomizeResult } from './project/kustomize';
import { applyKustomize, isKustomizationPath, mayBeJsonPatch } from './project/kustomize';
import { BoundedWriter } from './project/patched-read';
import { resolveLocalBaseImage } from './project/local-images';
import { ProjectMemo } from './project/memo';
import { foreignFile } from './project/foreign';
import { kubeYamlFindings } from './formats/quadlet/kube';
import { joinPod, podMembers } from './formats/quadlet/pod';
import type { ReadFile } from './cross-file';
import { detectByPath, looksLikeJsonManifest } from './detect';
import { hasShellShebang } from './formats/run/read';
import { lintChartFile } from './formats/helm/lint';
import type { ListDir } from './formats/helm/chart';
import { chartFileOf } from './formats/helm/chart';
import type { Container, Edit, FileKind, Finding, Fix, Severity, Span, Workload } from './model';
import { accessOf, agentNeeding, decideFix, decideWorkloadFix } from './fix-policy';
import { expectedAccessNote } from './knowledge/node-agents';
import { MESSAGE_MAX_LENGTH, clipNames, formatMessage, withoutContainerWord } from './rule';
import type { EngineSettings, ReportDescriptor, Rule } from './rule';
import { rules as allRules, ruleById } from './rules';
import { applySuppressions } from './suppress';
import { intern } from './text';
import { defineDocumentWorkloads, lazySlot, makeLazy, THUNK_FIXES, viewProperty } from './lazy-property';
import type { LazySlot } from './lazy-property';
import { computeTiers } from './tier';
import type { TierAssessment } from './tier';

export type { EngineConfig } from './config';
export type { Container, Edit, FileKind, Finding, Fix, Severity, Span, Workload } from './model';
export { rules } from './rules';
export type { ReadFile, ReadLog } from './cross-file';
export { recordReads } from './cross-file';
export { ProjectMemo };
export type { ListDir } from './formats/helm/chart';
export type { TierAssessment } from './tier';

export interface LintOptions {
  /** File path or URI: decides the kind (with the content, for YAML). */
  path: string;
  config?: Partial<EngineConfig>;
  /** Editor language id, a hint for files whose name says nothing (untitled buffers). */
  languageId?: string;
  /**
   * Reads another file by absolute path, for checks that cross files (a Compose service's
   * `build:` Dockerfile). The engine stays pure: the caller decides what may be read
   * (inside the workspace, no symbolic links out, a size limit) and returns undefined otherwise.
   * Without it, nothing beyond the linted text is looked at.
   */
  readFile?: ReadFile;
  /**
   * Lists a folder (file names; folder names end with `/`), for Helm charts: linting a chart's
   * values.yaml reads its templates, and a template reads the chart's helpers. With readFile
   * only, templates are still analysed against values.yaml, helpers unread.
   */
  listDir?: ListDir;
  /**
   * Extra values files merged over each chart's values.yaml, in order, as `helm -f` does (a
   * relative path is taken from the chart's folder; a chart without the file ignores it).
   * Findings about a value land in the file that sets it.
   */
  helmValues?: string[];
  /**
   * The result of linting an earlier version of the same file (an editor re-linting after an
   * edit): the adapter reuses what the edit did not touch (YAML: unchanged documents are not
   * parsed again). The findings never depend on it.
   */
  previous?: LintResult;
  /**
   * What the project view made of the other files it read (kustomizations, base resources,
   * Compose files, build Dockerfiles), reused by path and content: a caller linting many files in
   * one pass (a workspace scan) gives every lint the same memo, so a Compose file set or a
   * kustomization is read into its models once, not once per member.
   */
  projectMemo?: ProjectMemo;
  /**
   * A `performance.now()` time after which a file read in parts (a YAML stream) stops between
   * parts: the result then says where (`stoppedAt`), with a `skipped` finding where it stopped, and
   * linting the same text again with it as `previous` goes on from there (parts done are kept).
   * The language server uses it to answer requests between slices of a large file; without it
   * (the CLI) every file is analysed in one go.
   */
  deadline?: number;
  /**
   * Keep each YAML document's parse and model after its analysis. By default they are dropped
   * once the document's findings are kept (#17), and built again from the document's text when
   * something reads them (a hover, a finding's fixes). The CLI, which reads every finding's fixes
   * right after the lint and then lets go of the whole result, keeps them so as not to parse twice.
   */
  keepParse?: boolean;
}

export interface LintResult {
  kind: FileKind | undefined;
  findings: Finding[];
  /** The parsed file, for hover and other editor features. */
  parsed?: ParsedFile;
  /** Each container's defence-in-depth tier (tier.ts). */
  tiers?: TierAssessment[];
  /** Files the lint tried to read through readFile (found or not): an editor re-lints when they change. */
  dependencies?: string[];
  /**
   * For a file read in parts (YAML documents, ParsedFile.documents) when no suppression comment
   * applies: each part's findings and tiers in the part's own offsets. They are the same objects
   * from one version to the next for every part the edit did not reach, so an editor can keep
   * what it made of them (diagnostics) and redo only the edited parts. `findings` and `tiers`
   * are then made from them on first read.
   */
  documents?: readonly DocumentFindings[];
  /** With `documents`: the findings that belong to no part, in absolute offsets. */
  fileFindings?: readonly Finding[];
  /** Where the analysis stopped at `deadline` (an offset): lint the same text again with this result as `previous` to go on. */
  stoppedAt?: number;
}

export interface DocumentFindings {
  start: number;
  end: number;
  /** In offsets relative to `start`, sorted; shared by every version that shares the part. */
  findings: readonly Finding[];
  tiers: readonly TierAssessment[];
}

const BINARY_PROBE = 8000;

function skipped(message: string, detail: string, span: Span = { start: 0, end: 0 }): Finding {
  return { ruleId: 'skipped', severity: 'info', message, detail, span, fixes: [] };
}

/**
 * A parser's own words can run long (a YAML error quotes the line): the message keeps the first
 * line, cut at a word before MESSAGE_MAX_LENGTH; the detail keeps all of it.
 */
function problemFinding(p: AdapterProblem): Finding {
  const newline = p.message.search(/[\r\n]/);
  const firstLine = (newline >= 0 ? p.message.slice(0, newline) : p.message).trim();
  const message = clip(firstLine, MESSAGE_MAX_LENGTH);
  const detail = p.detail ?? (message !== p.message ? p.message : undefined);
  return { ruleId: p.ruleId, severity: p.severity, message, ...(detail ? { detail } : {}), span: p.span, fixes: [] };
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  let end = cut > max / 2 ? cut : max - 1;
  while (end > 0 && /[\s,;:]/.test(s.charAt(end - 1))) end--;
  return `${s.slice(0, end)}…`;
}

function kindFromLanguage(languageId: string | undefined): ReturnType<typeof detectByPath> {
  switch (languageId) {
    case 'dockerfile':
      return 'dockerfile';
    case 'dockercompose':
      return 'compose';
    case 'yaml':
      return 'yaml';
    case 'json':
      return 'json';
    case 'quadlet':
    case 'systemd-unit-file':
      return 'quadlet';
    case 'shellscript':
    case 'makefile':
    case 'github-actions-workflow':
      return 'run';
    default:
      return undefined;
  }
}

export function lint(text: string, options: LintOptions): LintResult {
  const config = resolveConfig(options.config);
  const detected = detectByPath(options.path) ?? kindFromLanguage(options.languageId) ?? (hasShellShebang(text) ? 'run' : undefined);
  if (!detected) return { kind: undefined, findings: [] };
  if (text.length > config.maxFileSize) {
    return { kind: undefined, findings: [skipped(
          `Not analysed: the file is larger than the ${config.maxFileSize}-character limit (maxFileSize)`,
          `The file has ${text.length} characters, more than maxFileSize (${config.maxFileSize}). Raise maxFileSize in the settings or the config file to analyse it, or exclude it.`,
        )] };
  }
  if (detected === 'json' && !looksLikeJsonManifest(text)) return { kind: undefined, findings: [] };
  const probe = text.length > BINARY_PROBE ? text.slice(0, BINARY_PROBE) : text;
  if (probe.includes('\u0000')) {
    return { kind: undefined, findings: [skipped(
          'Not analysed: the file looks binary (it contains NUL characters)',
          'A NUL character appears in its first 8000 characters, so it is not a text file this tool can read. Exclude it if its name matched by mistake.',
        )] };
  }
  const chart = options.readFile && (detected === 'yaml' || detected === 'kubernetes') ? chartFileOf(options.path, options.readFile, options.helmValues) : undefined;
  if (chart) return lintChartFile(text, options, chart, config, runRules);
  let parsed: ParsedFile;
  try {
    parsed = adapterFor(detected)(text, options.path, options.previous?.parsed, options.deadline);
  } catch (e) {
    // A parser that gives up (e.g. a stack overflow on pathological nesting) is a parse error, never a crash.
    const reason = e instanceof RangeError ? 'the structure is nested too deeply to parse' : e instanceof Error ? e.message : String(e);
    return {
      kind: undefined,
      findings: [problemFinding({ ruleId: 'parse-error', severity: 'error', message: `Parse error: ${reason}`, detail: `The parser gave up (${reason}), so nothing in the file was analysed.`, span: { start: 0, end: 0 } })],
    };
  }
  const settings: EngineSettings = { nonRootUid: config.nonRootUid, profile: config.profile };
  const dependencies: string[] = [];
  if (anyWorkload(parsed, 'devcontainer')) {
    dependencies.push(...applyFeatures(parsed, options.path, options.readFile && boundedReader(options.readFile, config.maxFileSize)));
  }
  if (options.readFile && isAbsolute(options.path)) {
    const readFile = boundedReader(options.projectMemo ? options.projectMemo.reader(options.readFile, config.maxFileSize) : options.readFile, config.maxFileSize);
    if (anyWorkload(parsed, 'compose')) dependencies.push(...applyComposeSet(parsed, options.path, text, readFile, options.projectMemo).dependencies);
    dependencies.push(...resolveBuildImages(parsed, options.path, readFile, config.maxFileSize, options.projectMemo));
    if (parsed.kind === 'dockerfile') dependencies.push(...resolveLocalBaseImage(parsed, options.path, readFile, config.maxFileSize, options.projectMemo));
    if (anyWorkload(parsed, 'kubernetes') || (parsed.documents && ((parsed.kind === undefined && mayBeJsonPatch(text)) || isKustomizationPath(options.path)))) {
      // The kustomization's judgment comes as new workloads: the kept model is never changed.
      const kustomize = applyKustomize(parsed, options.path, text, readFile, options.projectMemo, options.listDir);
      dependencies.push(...kustomize.dependencies);
      if (kustomize.replaced.size > 0 || kustomize.added.size > 0 || kustomize.problems.size > 0) parsed = withWorkloads(parsed, kustomize.replaced, kustomize);
    }
    if (parsed.kind === 'quadlet') {
      // A .pod unit names the containers that join it; a .container unit gets its pod's mounts and namespaces.
      for (const step of [options.listDir ? podMembers(parsed.workloads, options.path, readFile, options.listDir) : undefined, joinPod(parsed.workloads, options.path, readFile)]) {
        if (!step) continue;
        dependencies.push(...step.dependencies);
        if (step.replaced.size > 0) parsed = withWorkloads(parsed, step.replaced);
      }
    }
  } else if (options.readFile) {
    dependencies.push(...resolveBuildImages(parsed, options.path, options.readFile, config.maxFileSize));
  }
  const extra: Finding[] = [];
  if (options.readFile && parsed.kind === 'quadlet') {
    // A .kube unit: the Kubernetes YAML it plays, linted with the same configuration (and no further reads).
    const kube = kubeYamlFindings(parsed.workloads, options.path, options.readFile, config.maxFileSize, (yamlText, file) => lint(yamlText, { path: file, config: options.config }).findings);
    extra.push(...kube.findings);
    dependencies.push(...kube.dependencies);
  }
  const active: [Rule, Severity][] = [];
  for (const rule of allRules) {
    const severity = config.rules[rule.id] ?? rule.meta.profileSeverity?.[config.profile] ?? rule.meta.defaultSeverity;
    if (severity !== 'off') active.push([rule, severity]);
  }
  const documents = parsed.documents ?? [{ start: 0, end: text.length, workloads: parsed.workloads, problems: parsed.problems, writer: parsed.writer, cache: undefined, directives: true }];
  // Findings are kept per document for one configuration: a document a later version shares keeps them.
  // Only documents the project view may have changed (those it does not keep) can hold a patched workload.
  const patched = documents.some((d) => d.cache === undefined && d.workloads.some((w) => w.missingReportedIn !== undefined));
  // Compose services of a .devcontainer folder get other fix kinds (#10): the folder is part of the key.
  const devcontainerFolder = inDevcontainerFolder(options.path);
  const key = `${settings.nonRootUid}|${settings.profile}|${patched ? 'patch|' : ''}${devcontainerFolder ? 'devcontainer|' : ''}${active.map(([r, s]) => `${r.id}=${s}`).join(',')}`;
  const parts: DocumentFindings[] = [];
  let stoppedAt = parsed.stoppedAt;
  const stopped: Finding[] = [];
  const interned = internKey(key);
  let fresh = 0;
  for (const doc of documents) {
    const kept = doc.cache?.key === interned;
    // After at least one document analysed anew, so that every call gets further.
    if (options.deadline !== undefined && parsed.documents && fresh > 0 && !kept && performance.now() > options.deadline) {
      // The slice of work is used up: the parts done keep their results (doc.cache) for the next call.
      if (stoppedAt === undefined) stopped.push(problemFinding(budgetProblem(doc.start)));
      stoppedAt = Math.min(stoppedAt ?? doc.start, doc.start);
      break;
    }
    if (!kept) fresh++;
    const results = documentResults(doc, interned, active, settings, devcontainerFolder);
    parts.push({ start: doc.start, end: doc.end, findings: results.findings, tiers: results.tiers });
    // Its findings are kept: the parse and model go (built again when read).
    if (doc.cache?.key === interned && !options.keepParse) doc.release?.();
  }
  const fileFindings = [...(parsed.documents ? (parsed.fileProblems ?? []).map(problemFinding) : []), ...stopped, ...extra];
  const kind = firstWorkloadKind(documents) ?? parsed.kind;
  if (parsed.documents && !parsed.mayHaveDirectives) {
    // No suppression can apply: the flat, absolute findings and tiers are made only when read.
    const lazy = partsResult(kind, parsed, parts, fileFindings, text.length, dependencies);
    if (stoppedAt !== undefined) lazy.stoppedAt = stoppedAt;
    return lazy;
  }
  const unusedSeverity = config.rules['unused-suppression'] ?? 'warning';
  const findings = applySuppressions(text, flatFindings(parts, fileFindings, text.length), undefined, unusedSeverity)
    .map((f) => clampFinding(f, text.length))
    .sort(byPosition);
  const lintResult: LintResult = { kind, findings, parsed, tiers: flatTiers(parts) };
  if (stoppedAt !== undefined) lintResult.stoppedAt = stoppedAt;
  if (dependencies.length > 0) lintResult.dependencies = [...new Set(dependencies)];
  return lintResult;
}

/** A result read in parts: the text's length, for clamping the file's own findings when the flat list is made. */
const TEXT_LENGTH = Symbol('text length');
type PartsResult = LintResult & { [TEXT_LENGTH]: number };

/**
 * A result read in parts, its flat findings and tiers made when read and kept only as long as their
 * reader keeps them (views, lazy-property.ts). The parts hold every finding once, in their own
 * offsets; the flat list is a copy of each finding of a part not at offset 0, moved to where the
 * part sits. Kept by the result, both copies stayed alive as long as the result (an editor keeps
 * the last result of every open file): on 2,000 small pods that was 960 KB, 4.7 MB per MB of
 * input (#17). The views are computed from the result's own properties: nothing made here holds
 * `options.previous`, so no version of an edited file keeps the one before it alive.
 */
function partsResult(kind: FileKind | undefined, parsed: ParsedFile, parts: readonly DocumentFindings[], fileFindings: readonly Finding[], length: number, dependencies: readonly string[]): LintResult {
  const lazy = { kind, parsed, documents: parts, fileFindings } as unknown as PartsResult;
  Object.defineProperty(lazy, TEXT_LENGTH, { value: length, enumerable: false });
  defineFindingsView(lazy);
  defineTiersView(lazy);
  if (dependencies.length > 0) lazy.dependencies = [...new Set(dependencies)];
  return lazy;
}

const defineFindingsView = viewProperty<PartsResult, Finding[]>('findings', (r) => flatFindings(r.documents ?? [], r.fileFindings ?? [], r[TEXT_LENGTH]));
const defineTiersView = viewProperty<PartsResult, TierAssessment[]>('tiers', (r) => flatTiers(r.documents ?? []));

/** The findings of every part moved to where the part sits, and the file's own, sorted. */
function flatFindings(parts: readonly DocumentFindings[], fileFindings: readonly Finding[], length: number): Finding[] {
  const out: Finding[] = [];
  for (const part of parts) {
    if (part.start === 0) for (const f of part.findings) out.push(f);
    else for (const f of part.findings) out.push(shiftFinding(f, part.start));
  }
  for (const f of fileFindings) out.push(clampFinding(f, length));
  if (!isSorted(out)) out.sort(byPosition);
  return out;
}

/**
 * The findings whose span meets [start, end] (ends included), as the flat `findings` list has them
 * (moved to where their document sits, with their fixes, in its order), without making that list:
 * a code action in a file of thousands of documents reads only the documents it touches (#16).
 * `length`: the text's length (the file's own findings are clamped to it, as in the list).
 */
export function findingsBetween(result: LintResult, start: number, end: number, length: number): Finding[] {
  const meets = (s: Span) => s.start <= end && s.end >= start;
  const parts = result.documents;
  if (!parts) return result.findings.filter((f) => meets(f.span));
  const out: Finding[] = [];
  // The first part that ends at or after `start` (parts are in order and do not overlap).
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (parts[mid].end < start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < parts.length && parts[i].start <= end; i++) {
    const part = parts[i];
    for (const f of part.findings) {
      if (f.span.start + part.start > end || f.span.end + part.start < start) continue;
      out.push(part.start === 0 ? f : shiftFinding(f, part.start));
    }
  }
  for (const f of result.fileFindings ?? []) {
    const clamped = clampFinding(f, length);
    if (meets(clamped.span)) out.push(clamped);
  }
  if (!isSorted(out)) out.sort(byPosition);
  return out;
}

function flatTiers(parts: readonly DocumentFindings[]): TierAssessment[] {
  const out: TierAssessment[] = [];
  for (const part of parts) {
    for (const t of part.tiers) out.push(part.start === 0 ? t : { ...t, anchor: { start: t.anchor.start + part.start, end: t.anchor.end + part.start } });
  }
  return out;
}

/** The same configuration key is the same string object from one lint to the next: cache lookups compare it by identity. */
let lastKey = '';
function internKey(key: string): string {
  if (key !== lastKey) lastKey = key;
  return lastKey;
}

/** Whether the file has a workload of this kind, without listing them all (nor building a released part's model). */
function anyWorkload(parsed: ParsedFile, kind: FileKind): boolean {
  if (!parsed.documents) return parsed.workloads.some((w) => w.kind === kind);
  return parsed.documents.some((d) => (d.kinds ? d.kinds.includes(kind) : d.workloads.some((w) => w.kind === kind)));
}

/**
 * The parsed file with some workloads judged as others (a Kustomize patch merged onto its base):
 * the documents that hold them are new, and their findings are not kept (they depend on other files).
 */
function withWorkloads(parsed: ParsedFile, replaced: ReadonlyMap<Workload, Workload>, more?: Pick<KustomizeResult, 'added' | 'problems' | 'bounds'>): ParsedFile {
  const added = more?.added ?? new Map<number, Workload[]>();
  const problems = more?.problems ?? new Map<number, AdapterProblem[]>();
  const bounds = more?.bounds ?? new Map<Container, Span[]>();
  const swap = (list: readonly Workload[]) => list.map((w) => replaced.get(w) ?? w);
  if (!parsed.documents) return { ...parsed, workloads: swap(parsed.workloads) };
  const documents = parsed.documents.map((d, i): PlacedDocument => {
    const more = added.get(i);
    const extra = problems.get(i);
    if (!more && !extra && !d.workloads.some((w) => replaced.has(w))) return d;
    const workloads = [...swap(d.workloads), ...(more ?? [])];
    // A JSON 6902 patch judged on its base: fixes only inside the values the patch writes.
    const writer = more && more.some((w) => w.containers.some((c) => bounds.has(c))) ? new BoundedWriter(d.writer, bounds) : d.writer;
    // A new part with the judged workloads: not kept (cache), never released (its model is not the text's alone).
    return { start: d.start, end: d.end, workloads, problems: extra ? [...d.problems, ...extra] : d.problems, writer, cache: undefined, directives: d.directives };
  });
  const out = { kind: parsed.kind ?? (added.size > 0 ? 'kubernetes' : undefined), problems: parsed.problems, writer: parsed.writer, commentPrefix: parsed.commentPrefix, documents } as Omit<ParsedFile, 'workloads'> as ParsedFile;
  for (const key of ['fileProblems', 'mayHaveDirectives', 'reusable'] as const) if (parsed[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = parsed[key];
  defineDocumentWorkloads(out);
  return out;
}

function firstWorkloadKind(documents: readonly PlacedDocument[]): FileKind | undefined {
  for (const d of documents) {
    const kind = d.kinds ? d.kinds[0] : d.workloads[0]?.kind;
    if (kind !== undefined) return kind;
  }
  return undefined;
}


const byPosition = (a: Finding, b: Finding) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId);

function isSorted(findings: readonly Finding[]): boolean {
  for (let i = 1; i < findings.length; i++) if (byPosition(findings[i - 1], findings[i]) > 0) return false;
  return true;
}

/** One document's findings (in its own offsets, sorted) and tiers. */
interface DocumentResults {
  findings: Finding[];
  tiers: TierAssessment[];
}

function documentResults(doc: PlacedDocument, key: string, active: readonly [Rule, Severity][], settings: EngineSettings, devcontainerFolder: boolean): DocumentResults {
  if (doc.cache && doc.cache.key === key) return doc.cache.value as DocumentResults;
  if (doc.cache === undefined && doc.workloads.some(isServiceCopy)) return serviceResults(doc, key, active, settings, devcontainerFolder);
  const length = doc.end - doc.start;
  const out: Finding[] = doc.problems.map(problemFinding);
  // A part whose model is built again from its text after release(): its findings' fixes are made by
  // running the rule again on that model, so they hold none of it (#17). What they share, once per part.
  const partRun: PartRun | undefined = doc.release !== undefined ? { part: doc, settings, devcontainerFolder } : undefined;
  for (const [rule, severity] of active) runRule(rule, severity, doc, settings, out, devcontainerFolder, partRun);
  const findings = out.map((f) => clampFinding(f, length)).sort(byPosition);
  // Kept between lints: an array of its own length (one filled by push keeps room for 17).
  const results: DocumentResults = { findings, tiers: computeTiers({ workloads: doc.workloads }).slice() };
  if (doc.cache) {
    // One configuration at a time: a settings change replaces what was kept.
    doc.cache.key = key;
    doc.cache.value = results;
  }
  return results;
}

/**
 * What the rules found on one Compose service, for every version whose service has the same text
 * (compose.ts serviceMemo): kept on the memo under a symbol, for one configuration at a time, in
 * offsets from the service's key.
 */
const SERVICE_RESULTS = Symbol('service results');

interface ServiceResults {
  key: string;
  /** Each finding's properties, and where its fixes come from (the check that reported it); in the order reported. */
  findings: readonly FindingTemplate[];
  tiers: readonly TierAssessment[];
}

/** A finding's own properties (not its fixes, which hold the part it was made on and so that version's tree), and the check that reported it. */
interface FindingTemplate {
  finding: Omit<Finding, 'fixes'>;
  place?: Omit<Rerun, 'run'>;
}

/**
 * A Compose document's findings service by service (#16): a service whose text a previous version
 * had, with nothing from other files merged into it since, gets that version's findings again,
 * moved to where the service is now and made anew for this part (their fixes run the rule again on
 * this version's model); the others go through the rules. Without `extends`, aliases and merge
 * keys, a service's findings depend on its own workload alone: every rule checks one workload or
 * one container.
 */
function serviceResults(doc: PlacedDocument, key: string, active: readonly [Rule, Severity][], settings: EngineSettings, devcontainerFolder: boolean): DocumentResults {
  const length = doc.end - doc.start;
  const out: Finding[] = doc.problems.map(problemFinding);
  const tiers: TierAssessment[] = [];
  const run: PartRun = { part: doc, settings, devcontainerFolder };
  const workloads = doc.workloads;
  for (let w = 0; w < workloads.length; w++) {
    const workload = workloads[w];
    const at = workload.anchor.start;
    const memo = serviceMemo(workload) as { [SERVICE_RESULTS]?: ServiceResults } | undefined;
    const kept = memo?.[SERVICE_RESULTS];
    if (kept && kept.key === key) {
      for (const t of kept.findings) out.push(fromTemplate(t, run, w, at));
      for (const t of kept.tiers) tiers.push(at === 0 ? t : { ...t, anchor: { start: t.anchor.start + at, end: t.anchor.end + at } });
      continue;
    }
    const from = out.length;
    for (const [rule, severity] of active) runRule(rule, severity, doc, settings, out, devcontainerFolder, run, w);
    const own = computeTiers({ workloads: [workload] });
    for (const t of own) tiers.push(t);
    if (!memo) continue;
    const templates: FindingTemplate[] = [];
    for (let i = from; i < out.length; i++) {
      const t = templateOf(out[i], at);
      if (!t) break;
      templates.push(t);
    }
    // Kept only when every finding can be made again (a fix made by a closure cannot) and lies in the service.
    if (templates.length === out.length - from && own.every((t) => t.anchor.start >= at)) {
      const relative = own.map((t) => ({ ...t, anchor: { start: t.anchor.start - at, end: t.anchor.end - at } }));
      Object.defineProperty(memo, SERVICE_RESULTS, { value: { key, findings: templates, tiers: relative } satisfies ServiceResults, configurable: true, writable: true });
    }
  }
  return { findings: out.map((f) => clampFinding(f, length)).sort(byPosition), tiers };
}

/** A finding just reported, as a template in offsets from `at` (its service's key): its fixes are the rule's run again, or none. */
function templateOf(f: Finding, at: number): FindingTemplate | undefined {
  const { ruleId, severity, message, detail, span, related } = f;
  if (span.start < at || related?.some((r) => r.path === undefined && r.span.start < at)) return undefined;
  const finding = { ruleId, severity, message, detail, span: moved(span, -at), related: movedRelated(related, -at) };
  const slot = (f as unknown as Record<symbol, unknown>)[RERUN_FIXES.value];
  if (slot !== undefined) {
    if (Array.isArray(slot)) return undefined;
    const r = slot as Rerun;
    return { finding, place: { workload: r.workload, container: r.container, call: r.call, messageId: r.messageId } };
  }
  // No lazy fixes at all: a plain finding with an empty list.
  const fixes = Object.getOwnPropertyDescriptor(f, 'fixes');
  return fixes && 'value' in fixes && Array.isArray(fixes.value) && fixes.value.length === 0 ? { finding } : undefined;
}

/** The template's finding at `at`, for workload `w` of this version's part: the same properties, its fixes from this part. */
function fromTemplate(t: FindingTemplate, run: PartRun, w: number, at: number): Finding {
  const { ruleId, severity, message, detail } = t.finding;
  const span = moved(t.finding.span, at);
  const related = movedRelated(t.finding.related, at);
  if (!t.place) return { ruleId, severity, message, detail, span, related, fixes: [] };
  const arg: Rerun = { run, workload: w, container: t.place.container, call: t.place.call, messageId: t.place.messageId };
  return makeLazy({ ruleId, severity, message, detail, span, related, [RERUN_FIXES.value]: arg }, RERUN_FIXES);
}

function moved(span: Span, by: number): Span {
  return { start: span.start + by, end: span.end + by };
}

/** Related places moved with their finding, but those in other files (with a path and a range there). */
function movedRelated(related: Finding['related'], by: number): Finding['related'] {
  return related?.map((r) => (r.path !== undefined && r.range ? r : { ...r, span: moved(r.span, by) }));
}

/**
 * A finding of a document moved to the document's place in the file: a new object (the
 * document's own findings are shared with other versions of the file), its fixes moved when
 * they are first read.
 */
function shiftFinding(f: Finding, by: number): Finding {
  return withSpan(f, moved(f.span, by), movedRelated(f.related, by), SHIFTED_FIXES);
}

/**
 * A copy of the finding at another span (`related` replaced if the finding has that property),
 * its fixes made from the finding's by `fixes`. One object literal per set of properties present,
 * so that V8 keeps them all in the object (see makeLazy).
 */
function withSpan(f: Finding, span: Span, related: Finding['related'], fixes: LazySlot): Finding {
  const { ruleId, severity, message, detail } = f;
  const slot = fixes.value;
  if ('related' in f) return makeLazy(detail !== undefined ? { ruleId, severity, message, detail, span, related, [slot]: f } : { ruleId, severity, message, span, related, [slot]: f }, fixes);
  return makeLazy(detail !== undefined ? { ruleId, severity, message, detail, span, [slot]: f } : { ruleId, severity, message, span, [slot]: f }, fixes);
}

/** A part's finding's fixes moved to where the moved copy sits (the shift is the difference of their spans). */
function shiftedFixes(f: Finding, moved: Finding): Fix[] {
  const by = moved.span.start - f.span.start;
  return f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ start: e.start + by, end: e.end + by, text: e.text })) }));
}

/**
 * The other files a file's findings depend on (for a cache or a watcher): its Compose file set,
 * the files an `include:` or `extends: {file}` names, the Dockerfiles its `build:`s use, local dev
 * container Features, the kustomization that makes it a patch. Every path that was looked at is
 * listed, found or not (a file that appears later changes the result too). Same reads as lint,
 * without running the rules.
 */
export function fileDependencies(text: string, options: Pick<LintOptions, 'path' | 'config' | 'languageId' | 'readFile'>): string[] {
  if (!options.readFile) return [];
  const result = lint(text, { ...options, config: { ...options.config, rules: Object.fromEntries(allRules.map((r) => [r.id, 'off' as const])) } });
  return result.dependencies ?? [];
}

/** A file inside a `.devcontainer` folder: its Compose services are (or serve) a dev container. */
function inDevcontainerFolder(path: string): boolean {
  return /(^|[\\/])\.devcontainer[\\/]/.test(path);
}

/** The adapter's problems, then every rule that is on, over one model in absolute offsets (a Helm template's). */
export function runRules(parsed: ParsedFile, config: EngineConfig, settings: EngineSettings): Finding[] {
  const findings: Finding[] = parsed.problems.map(problemFinding);
  for (const rule of allRules) {
    const severity = config.rules[rule.id] ?? rule.meta.profileSeverity?.[config.profile] ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    runRule(rule, severity, parsed, settings, findings, false);
  }
  return findings;
}

function runRule(rule: Rule, severity: Severity, parsed: Pick<PlacedDocument, 'workloads' | 'writer'>, settings: EngineSettings, out: Finding[], devcontainerFolder: boolean, partRun?: PartRun, only?: number): void {
  const makeContext = (workload: Workload, container: Container | undefined, place: CheckPlace) => {
    let calls = 0;
    return {
      settings,
      workload,
      report(d: ReportDescriptor<string>) {
        const call = calls++;
        // A value written in another file of the project is reported there, when that file is linted;
        // so is what a service lacks when another file declares it first.
        if (foreignFile(d.at) !== undefined) return;
        if (container && d.at === container.anchor) {
          // Merged with a Kustomize patch: missing from the base alone too, the base reports it; else the patch took it away.
          const base = container.base;
          if (base) {
            const baseLacks = baseReports(rule, base, d.messageId, settings);
            if (base.linted === 'patch' ? baseLacks : !baseLacks) return;
          } else if (container.missingReportedIn !== undefined) return;
        }
        if (workload.missingReportedIn !== undefined && d.at === workload.anchor) return;
        const span: Span = 'span' in d.at ? d.at.span : d.at;
        const related = [...(d.related ?? []), ...(container?.related ?? [])];
        if ('via' in d.at && d.at.via) related.push({ span: d.at.via, message: `used here by ${container?.label ?? 'this workload'}` });
        const { message, detail: fitted } = fitMessage(rule.meta.messages[d.messageId], rule.meta.details[d.messageId], d.data);
        let detail = fitted;
        // A known node agent's expected host access: the finding says so and how to contain it.
        if (container && 'span' in d.at) {
          const found = accessOf(d.at, container, workload);
          // Not where privileged gets a replacement: the finding then says what the agent needs instead.
          const replaced = found?.access.what === 'privileged' && (d.fixes ?? []).some((f) => f.type === 'replace-privileged');
          const agent = found && !replaced ? agentNeeding(found.access, found.owners) : undefined;
          // The note is the why and the how for this workload: it goes with the detail, the message stays one sentence.
          if (agent) detail = detail ? `${detail} ${expectedAccessNote(agent)}` : expectedAccessNote(agent);
        }
        const intents = d.fixes ?? [];
        // A workload without a container of its own (a Quadlet .pod unit): pod-level keys, when the writer can edit them.
        const applyToWorkload = !container && intents.length > 0 ? parsed.writer.applyToWorkload?.bind(parsed.writer) : undefined;
        let lazy: { slot: LazySlot; arg: unknown } | undefined;
        if (container && intents.length > 0) {
          if (partRun) lazy = { slot: RERUN_FIXES, arg: { run: partRun, workload: place.workload, container: place.container, call, messageId: d.messageId } satisfies Rerun };
          else lazy = { slot: THUNK_FIXES, arg: () => containerFixes(d, container, workload, parsed.writer, settings, devcontainerFolder) };
        } else if (applyToWorkload) {
          lazy = {
            slot: THUNK_FIXES,
            arg: () => {
              const fixes: Fix[] = [];
              for (const intent of intents) {
                if ('target' in intent && foreignFile(intent.target) !== undefined) continue;
                const decision = decideWorkloadFix(intent, workload);
                if (decision.kind === 'withheld') continue;
                const result = applyToWorkload(decision.intent, workload, settings);
                if (!result || result.edits.length === 0) continue;
                const fix: Fix = { title: boundTitle(result.title), edits: result.edits, kind: decision.kind, intent: intent.type };
                if (decision.check) fix.check = decision.check;
                fixes.push(fix);
              }
              return fixes;
            },
          };
        }
        const ruleId = rule.id;
        const level = lowerOf(severity, d.severity);
        const at: Span = { start: span.start, end: span.end };
        const rel = related.length > 0 ? related : undefined;
        // Every property in one object literal, the lazy fixes' slot last, so that V8 keeps them all in the
        // object rather than in a property store of its own (40 bytes more per finding, #17).
        const finding: Finding = lazy
          ? makeLazy({ ruleId, severity: level, message, detail, span: at, related: rel, [lazy.slot.value]: lazy.arg }, lazy.slot)
          : { ruleId, severity: level, message, detail, span: at, related: rel, fixes: [] };
        out.push(finding);
      },
    };
  };
  const workloads = parsed.workloads;
  for (let w = only ?? 0; w < (only === undefined ? workloads.length : only + 1); w++) {
    const workload = workloads[w];
    if (rule.checkWorkload && rule.meta.kinds.includes(workload.kind)) rule.checkWorkload(workload, makeContext(workload, workload.containers[0], { workload: w, container: WORKLOAD_CHECK }));
    if (!rule.checkContainer) continue;
    for (let c = 0; c < workload.containers.length; c++) {
      const container = workload.containers[c];
      if (rule.meta.kinds.includes(container.kind)) rule.checkContainer(container, makeContext(workload, container, { workload: w, container: c }));
    }
  }
}

/**
 * Which check of a rule made a report: on which workload and container of the part (indexes), by
 * checkContainer; or WORKLOAD_CHECK for the workload's checkWorkload (its first container's report).
 * One field for both: it is kept per finding (#17).
 */
interface CheckPlace {
  workload: number;
  container: number;
}

const WORKLOAD_CHECK = -1;

/**
 * How to make a finding's fixes again: the part and the check that reported it, the how-manieth
 * report of that check it was, its message and span. One object per finding is all its lazy
 * fixes hold (no closure, no scope).
 */
interface Rerun extends CheckPlace {
  /** What every finding on the part shares (the rule is the finding's ruleId). */
  run: PartRun;
  call: number;
  messageId: string;
}

interface PartRun {
  part: Pick<PlacedDocument, 'workloads' | 'writer'>;
  settings: EngineSettings;
  devcontainerFolder: boolean;
}

/**
 * The finding's fixes, made when first read by running the rule again on the part's model (built
 * again from the text if it was released) and taking the same report, so that the finding holds
 * the part and the place, not the model it was made from.
 */
function rerunFixes(r: Rerun, finding: Finding): Fix[] {
  const { part, settings, devcontainerFolder } = r.run;
  const rule = ruleById.get(finding.ruleId);
  const workload = part.workloads[r.workload];
  const container = workload?.containers[r.container === WORKLOAD_CHECK ? 0 : r.container];
  if (!rule || !workload || !container) return [];
  let calls = 0;
  let again: ReportDescriptor<string> | undefined;
  const context = {
    settings,
    workload,
    report(d: ReportDescriptor<string>) {
      if (calls++ === r.call) again = d;
    },
  };
  if (r.container === WORKLOAD_CHECK) rule.checkWorkload?.(workload, context);
  else rule.checkContainer?.(container, context);
  const at = again && ('span' in again.at ? again.at.span : again.at);
  // The same text gives the same model and the same reports; anything else gets no fix rather than a wrong one.
  if (!again || !at || again.messageId !== r.messageId || at.start !== finding.span.start || at.end !== finding.span.end) return [];
  return containerFixes(again, container, workload, part.writer, settings, devcontainerFolder);
}

/** The edits of a report's fix intents on a container: the policy decides each one's kind; safe fixes first, the first one preferred. */
function containerFixes(d: ReportDescriptor<string>, container: Container, workload: Workload, writer: ParsedFile['writer'], settings: EngineSettings, devcontainerFolder: boolean): Fix[] {
  const fixes: Fix[] = [];
  for (const intent of d.fixes ?? []) {
    if ('target' in intent && foreignFile(intent.target) !== undefined) continue; // never an edit through another file's value
    // The policy, not the rule or the writer, decides whether a fix may run unattended.
    const decision = decideFix(intent, container, workload, d.noPreferredFix === true, devcontainerFolder);
    if (decision.kind === 'withheld') continue;
    const result = writer.apply(decision.intent, container, settings);
    if (!result || result.edits.length === 0) continue;
    const fix: Fix = { title: boundTitle(result.title), edits: result.edits, kind: decision.kind, intent: intent.type };
    if (decision.check) fix.check = decision.check;
    fixes.push(fix);
  }
  // Safe fixes first (stable otherwise); the first safe one is the preferred fix.
  const ordered = [...fixes.filter((f) => f.kind === 'safe'), ...fixes.filter((f) => f.kind !== 'safe')];
  const first = ordered[0];
  if (first && first.kind === 'safe') first.preferred = true;
  return ordered;
}

/** Whether the rule reports this message on the anchor of a patch's base container judged alone (as the base's own file is). */
function baseReports(rule: Rule, base: NonNullable<Container['base']>, messageId: string, settings: EngineSettings): boolean {
  if (!rule.checkContainer || !rule.meta.kinds.includes(base.container.kind)) return false;
  let found = false;
  rule.checkContainer(base.container, {
    settings,
    workload: base.workload,
    report(d: ReportDescriptor<string>) {
      if (d.at === base.container.anchor && d.messageId === messageId) found = true;
    },
  });
  return found;
}

/** The lazy `fixes` of each way findings are made (by a closure: THUNK_FIXES, lazy-property.ts): by running the rule again, from a part's finding (shifted, clamped). */
const RERUN_FIXES = lazySlot('fixes', rerunFixes as (arg: unknown, target: unknown) => readonly unknown[]);
const SHIFTED_FIXES = lazySlot('fixes', shiftedFixes as (arg: unknown, target: unknown) => readonly unknown[]);
const SAME_FIXES = lazySlot('fixes', fixesOf as (arg: unknown) => readonly unknown[]);

/**
 * The message and the detail of a report (formatFitted), the same strings again for the same
 * report: every keystroke re-runs the rules on every service of a Compose file, and the
 * formatting's regular expressions and copies were a sixth of a keystroke's garbage (#16).
 * Bounded: the table is emptied when full.
 */
function fitMessage(template: string, detailTemplate: string, data: Record<string, string | number> = {}): { message: string; detail: string } {
  // Each name and value with its length before it: no two different data give one key.
  let key = '';
  for (const k in data) {
    const v = String(data[k]);
    key += `${k.length}:${k}${typeof data[k] === 'number' ? '#' : '='}${v.length}:${v}`;
  }
  let byTemplate = FITTED.get(template);
  if (!byTemplate) FITTED.set(template, (byTemplate = new Map()));
  let byDetail = byTemplate.get(detailTemplate);
  if (!byDetail) byTemplate.set(detailTemplate, (byDetail = new Map()));
  const known = byDetail.get(key);
  if (known) return known;
  const fitted = formatFitted(template, detailTemplate, data);
  if (++fittedCount > FITTED_MAX) {
    FITTED.clear();
    fittedCount = 0;
  } else byDetail.set(key, fitted);
  return fitted;
}

/** fitMessage's results by message template, detail template and data (see there). */
const FITTED = new Map<string, Map<string, Map<string, { message: string; detail: string }>>>();
const FITTED_MAX = 4000;
let fittedCount = 0;

/**
 * The message and the detail of a report. A message that the names in it push past
 * MESSAGE_MAX_LENGTH (a container or a workload can be named with 63 and 253 characters) is
 * fitted, one step at a time while it is too long: long names end in an ellipsis (clipNames), a long host path keeps its first and last segments, the word "Container" before a
 * quoted container name goes, then the profile's words move to the detail. The detail keeps
 * every name and path whole.
 */
function formatFitted(template: string, detailTemplate: string, data: Record<string, string | number>): { message: string; detail: string } {
  const compact = compactForMessage(data);
  let detail = formatMessage(detailTemplate, data);
  let message = formatMessage(template, compact);
  if (message.length > MESSAGE_MAX_LENGTH) {
    for (const key of ['label', 'workload'] as const) {
      const v = compact[key];
      if (typeof v !== 'string') continue;
      compact[key] = clipNames(v);
    }
    message = formatMessage(template, compact);
  }
  if (message.length > MESSAGE_MAX_LENGTH && typeof compact.path === 'string' && compact.path.length > 32) {
    // A long host path keeps its first and last segments: /usr/libexec/…/volume/exec.
    const parts = compact.path.split('/');
    if (parts.length > 5) compact.path = [...parts.slice(0, 3), '…', ...parts.slice(-2)].join('/');
    message = formatMessage(template, compact);
  }
  if (message.length > MESSAGE_MAX_LENGTH && typeof compact.label === 'string') {
    compact.label = withoutContainerWord(compact.label);
    message = formatMessage(template, compact);
  }
  if (message.length > MESSAGE_MAX_LENGTH && typeof compact.pss === 'string' && compact.pss !== '') {
    message = formatMessage(template, { ...compact, pss: '' });
    detail = `${detail} Reported because of the profile${String(compact.pss).replace(/^ \(/, ' (').replace(/\)$/, ')')}.`;
  }
  return { message, detail: intern(detail) };
}

/**
 * Messages name Kubernetes settings without the `securityContext.` path that every one of them
 * shares (`seccompProfile.type: Unconfined`, `runAsUser: 0`); the detail keeps the full path.
 */
function compactForMessage(data: Record<string, string | number>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'string' ? v.replace(/\b(?:spec\.)?securityContext\./g, '').replace(/^legacy (\w+) annotation: /, '$1 annotation ') : v;
  // A Helm template's names are partly actions: `{{ include "app.fullname" . }}` reads as `{{ app.fullname }}`
  // (the detail keeps the action whole), so the only quotes left in a label are its own.
  for (const key of ['label', 'workload'] as const) {
    const v = out[key];
    if (typeof v === 'string' && v.includes('{{')) out[key] = v.replace(/\{\{-?\s*(?:include|template)\s+"([^"]*)"[^}]*?-?\}\}/g, '{{ $1 }}');
  }
  return out;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The configured severity, lowered (never raised) to the one a report asks for. */
function lowerOf(configured: Severity, requested: Severity | undefined): Severity {
  return requested !== undefined && SEVERITY_RANK[requested] < SEVERITY_RANK[configured] ? requested : configured;
}

/** Which fixes an unattended fix applies: the safe ones (default), or with `unsafe` suggestions too. */
export interface FixSelection {
  /** Apply suggestions as well (`--unsafe-fixes`): the first fix of a finding that has no safe one. */
  unsafe?: boolean;
}

/** The fix an unattended run applies for a finding: its preferred (safe) fix, or with `unsafe` its first fix. */
export function pickFix(finding: Finding, selection: FixSelection = {}): Fix | undefined {
  return finding.fixes.find((x) => x.preferred) ?? (selection.unsafe ? finding.fixes[0] : undefined);
}

/**
 * Applies fixes (the preferred one of each finding by default), skipping any that
 * overlap an earlier one, as ESLint does. Returns the new text, how many were applied and
 * which findings they were for.
 */
export function applyFixes(text: string, findings: Finding[], pick: (f: Finding) => Fix | undefined = (f) => pickFix(f)): { text: string; applied: number; fixed: Finding[] } {
  const chosen: { finding: Finding; edits: Edit[] }[] = [];
  for (const f of findings) {
    const fix = pick(f);
    if (fix && fix.edits.length > 0) chosen.push({ finding: f, edits: fix.edits });
  }
  const accepted: Edit[] = [];
  const fixed: Finding[] = [];
  for (const { finding, edits } of chosen) {
    // Edits of two fixes that overlap or touch wait for the next pass (fixAll lints again): an insertion
    // right after a pair another fix removes could otherwise join them into invalid text (`{ , a: 1}`).
    const overlaps = edits.some((e) => accepted.some((a) => e.start <= a.end && a.start <= e.end));
    if (overlaps) continue;
    accepted.push(...edits);
    fixed.push(finding);
  }
  return { text: applyEdits(text, accepted), applied: fixed.length, fixed };
}

export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

export const MAX_FIX_PASSES = 10;

export interface FixAllResult {
  text: string;
  applied: number;
  /**
   * Set when the fixes did not converge: a fix left its own finding behind (so the next pass
   * would apply it again) or the passes ran out. `text` is then the input, unchanged: nothing
   * is written from a run that does not converge.
   */
  error?: string;
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\u0000${f.message}`;
}

/**
 * Applies fixes repeatedly (up to MAX_FIX_PASSES, like ESLint) until none apply: safe fixes,
 * or with `selection.unsafe` suggestions too. Stops with an error, keeping the input, when a
 * pass does not converge.
 */
export function fixAll(text: string, options: LintOptions, selection: FixSelection = {}): FixAllResult {
  let current = text;
  let total = 0;
  let findings = lint(current, options).findings;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    let { text: next, applied, fixed } = applyFixes(current, findings, (f) => pickFix(f, selection));
    if (applied === 0 || next === current) return { text: current, applied: total };
    let after = lint(next, options).findings;
    if (applied > 1 && !converges(findings, fixed, after)) {
      // Two fixes of one pass that do not touch can still clash (both add `capabilities:` to one
      // map): the pass is done again with its first fix only.
      const first = fixed[0];
      ({ text: next, applied, fixed } = applyFixes(current, findings, (f) => (f === first ? pickFix(f, selection) : undefined)));
      after = lint(next, options).findings;
    }
    // Each fix must make its finding go: as many of that finding must be left as there were, minus those fixed.
    const before = new Map<string, number>();
    for (const f of findings) before.set(findingKey(f), (before.get(findingKey(f)) ?? 0) + 1);
    const fixedCount = new Map<string, number>();
    for (const f of fixed) fixedCount.set(findingKey(f), (fixedCount.get(findingKey(f)) ?? 0) + 1);
    const left = new Map<string, number>();
    for (const f of after) left.set(findingKey(f), (left.get(findingKey(f)) ?? 0) + 1);
    for (const [key, n] of fixedCount) {
      if ((left.get(key) ?? 0) > (before.get(key) ?? 0) - n) {
        const [ruleId, message] = key.split('\u0000');
        return { text, applied: 0, error: `a ${ruleId} fix did not remove its finding (pass ${pass + 1}), so fixing would not converge; nothing was changed. Finding: ${message}` };
      }
    }
    total += applied;
    current = next;
    findings = after;
  }
  const still = applyFixes(current, findings, (f) => pickFix(f, selection));
  if (still.applied > 0) return { text, applied: 0, error: `fixes still applied after ${MAX_FIX_PASSES} passes, so fixing would not converge; nothing was changed` };
  return { text: current, applied: total };
}

/** Whether every applied fix removed its finding (as many of it left as there were, minus those fixed). */
function converges(before: Finding[], fixed: Finding[], after: Finding[]): boolean {
  const count = (list: Finding[]) => {
    const m = new Map<string, number>();
    for (const f of list) m.set(findingKey(f), (m.get(findingKey(f)) ?? 0) + 1);
    return m;
  };
  const b = count(before);
  const a = count(after);
  for (const [key, n] of count(fixed)) if ((a.get(key) ?? 0) > (b.get(key) ?? 0) - n) return false;
  return true;
}

/** The finding with its span inside the text (parsers may point one past the end at EOF); the same object when it is. */
function clampFinding(f: Finding, length: number): Finding {
  const span = clampSpan(f.span, length);
  if (span === f.span) return f;
  return withSpan(f, span, f.related, SAME_FIXES);
}

function fixesOf(f: Finding): Fix[] {
  return f.fixes;
}

/** The caller's reader, limited to files within maxFileSize that are not binary. */
function boundedReader(readFile: ReadFile, maxFileSize: number): ReadFile {
  return (file) => {
    const t = readFile(file);
    return t === undefined || t.length > maxFileSize || t.slice(0, BINARY_PROBE).includes('\u0000') ? undefined : t;
  };
}

/** Keeps a span inside the text (parsers may point one past the end at EOF). */
function clampSpan(span: Span, length: number): Span {
  const start = Math.min(Math.max(0, span.start), length);
  const end = Math.min(Math.max(start, span.end), length);
  return start === span.start && end === span.end ? span : { start, end };
}

/** Fix titles quote the file's own text: keep them to a readable length. */
function boundTitle(title: string): string {
  return title.length <= 320 ? title : `${title.slice(0, 319)}…`;
}

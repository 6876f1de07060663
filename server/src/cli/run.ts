/**
 * The CLI's work, with its I/O passed in: parse options, collect files, lint (or fix),
 * format, and decide the exit code.
 *   0  no finding at error severity (and not more warnings than --max-warnings)
 *   1  a finding at error severity, or too many warnings
 *   2  usage error (unknown option, bad --rule, bad config, missing path) or internal error
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../engine/config';
import type { EngineConfig } from '../engine/config';
import { configurableRuleIds } from '../engine/config-file';
import { fixAll, lint, recordReads, rules } from '../engine/index';
import type { ReadFile } from '../engine/cross-file';
import type { Finding, RelatedInfo } from '../engine/model';
import type { TierAssessment } from '../engine/tier';
import { HELP, parseArgs, UsageError } from './args';
import { LintCache, resolveCacheFile, sha256, toolIdentity } from './cache';
import type { Dependencies } from './cache';
import type { CliOptions } from './args';
import { ConfigResolver, displayPath } from './config-loader';
import type { LoadedConfig } from './config-loader';
import { formatGithub } from './format-github';
import { JsonStream } from './format-json';
import { formatSarif } from './format-sarif';
import { formatStylish, formatTierSummary, StylishStream } from './format-stylish';
import { PositionMapper } from './positions';
import type { Region } from './positions';
import { addCounts, count, plural } from './report';
import type { FileReport, PlacedFinding, PlacedRelated, PlacedTier } from './report';
import { readVersion } from './version';
import { collectFiles, Listings } from './walk';
import { unifiedDiff } from './diff';
import { explainPrivileged } from '../engine/replace';
import { readFileSafely } from '../io/read-safely';

export interface CliIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colours are used only then). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** Called once the files to lint are known, with their number. */
  onFiles?(count: number): void;
}

const NAME = 'container-privilege-lint';

export function run(argv: string[], io: CliIO): number {
  try {
    return runUnsafe(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${NAME}: ${e.message}\n`);
      return 2;
    }
    io.stderr(`${NAME}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

function runUnsafe(argv: string[], io: CliIO): number {
  const known = new Set(configurableRuleIds());
  let options: CliOptions;
  try {
    options = parseArgs(argv, known);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${NAME}: ${e.message}\nRun '${NAME} --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if (options.version) {
    io.stdout(`${readVersion()}\n`);
    return 0;
  }

  const cwd = io.cwd;
  // What the walk lists answers the many probes for files that are not there (see Listings).
  const listings = new Listings();
  const resolver = new ConfigResolver(options.rules, options.config, cwd, options.profile, listings);
  resolver.init();
  const warnings: string[] = [];
  const files = collectFiles(options.paths, cwd, { onWarning: (m) => warnings.push(m), listings });
  io.onFiles?.(files.length);
  const cache = options.cache ? LintCache.open(resolveCacheFile(options.cacheLocation, cwd), toolIdentity(readVersion()), (m) => warnings.push(m)) : undefined;
  if (cache) cache.knownAbsent = (dir, name) => listings.lacks(dir, name);
  // Dependencies' hashes for cache lookups, once per run (dropped when --fix rewrites the file).
  const dependencyHashes = new Map<string, string | null>();

  const useColor = options.color && !options.output && io.isTTY && !io.env.NO_COLOR;
  // JSON, stylish and GitHub output are made one file at a time, and each file's findings are let go
  // once its part is made (#16); SARIF and --summary need every report at the end.
  const stream = options.fixDryRun ? undefined : streamFor(options, useColor, cwd, io.env);
  const reports: FileReport[] = [];
  const counts = count([]);
  const outputFile = options.output && !options.fixDryRun ? new OutputFile(path.resolve(cwd, options.output)) : undefined;
  const addReport = (report: FileReport) => {
    addCounts(counts, count([report]));
    const shown = options.quiet ? { ...report, findings: report.findings.filter((f) => f.finding.severity === 'error') } : report;
    if (options.fixDryRun) return;
    if (!stream) {
      reports.push(shown);
      return;
    }
    const chunk = stream.file(shown);
    // To stdout or the --output file as it comes.
    if (outputFile) outputFile.write(chunk);
    else if (chunk !== '') io.stdout(chunk);
  };
  let internalErrors = 0;
  let fixedProblems = 0;
  let fixedFiles = 0;
  let fixErrors = 0;
  /** --fix-dry-run: the diffs, printed instead of the report. */
  let diffs = '';

  // Per config file (most trees have one): the resolved config, its cache key and its reader.
  const perConfig = new Map<LoadedConfig, { config: EngineConfig; configKey: string; baseReader: ReadFile }>();
  for (const file of files) {
    const loaded = resolver.forFile(file.path);
    if (!file.explicit && loaded.isIgnored(file.path)) continue;
    let resolved = perConfig.get(loaded);
    if (!resolved) {
      const config = resolveConfig(loaded.config);
      resolved = { config, configKey: cache ? sha256(JSON.stringify(config)) : '', baseReader: cliReadFile(config.maxFileSize, listings) };
      perConfig.set(loaded, resolved);
    }
    const { config, configKey, baseReader } = resolved;
    const shown = displayPath(file.path, cwd);

    const hashDep = (dep: string) => hashDependency(dep, baseReader, dependencyHashes);
    // --fix and --fix-dry-run need the fixes, so a cached report that offers any fix is linted again.
    const usable = (hit: FileReport | undefined): hit is FileReport => hit !== undefined && !((options.fix || options.fixDryRun) && hit.findings.some((f) => f.finding.fixes.length > 0));
    const fromCache = (hit: FileReport) => {
      if (hit.kind === undefined && hit.findings.length === 0 && file.explicit) warnings.push(notRecognised(shown));
      addReport(hit);
    };
    // With a cache, a file whose size and mtime say it is unchanged is not read at all.
    const stat = cache ? statOrUndefined(file.path) : undefined;
    if (cache && stat) {
      const hit = cache.lookupByStat(file.path, configKey, stat, hashDep);
      if (usable(hit)) {
        fromCache(hit);
        continue;
      }
    }

    const readAt = Date.now();
    const read = readFileSafely(file.path, { maxBytes: config.maxFileSize, symlinks: 'any' });
    if (!read.ok && read.reason === 'too-large') {
      const finding: Finding = {
        ruleId: 'skipped',
        severity: 'info',
        message: `Not analysed: the file is larger than the ${config.maxFileSize}-character limit (maxFileSize)`,
        detail: `The file is larger than maxFileSize (${config.maxFileSize}). Raise maxFileSize in the settings or the config file to analyse it, or exclude it.`,
        span: { start: 0, end: 0 },
        fixes: [],
      };
      addReport({ filePath: file.path, kind: undefined, findings: [{ finding, region: { line: 1, column: 1, endLine: 1, endColumn: 1 }, related: [] }] });
      continue;
    }
    if (!read.ok) {
      warnings.push(`cannot read ${shown}: it ${read.message}`);
      internalErrors++;
      continue;
    }
    let text = read.text;
    // The stat taken before the read: a write in between leaves a newer mtime, so the next run reads again.
    const state = { size: read.size, mtimeMs: stat?.mtimeMs ?? 0, readAt };
    if (cache) {
      const hit = cache.lookup(file.path, configKey, { content: sha256(text), ...state }, hashDep);
      if (usable(hit)) {
        fromCache(hit);
        continue;
      }
    }
    // Everything the engine reads for this file goes through this reader, so the cache sees it.
    const reader = recordReads(baseReader);
    const readFile = reader.readFile;
    let written = false;
    const listDir = cliListDir;
    // A file found from the working folder applies to the chart it belongs to; any other relative path is looked for in each chart's folder.
    const helmValues = options.values.map((v) => (existsSync(path.resolve(cwd, v)) ? path.resolve(cwd, v) : v));
    try {
      if (options.fix || options.fixDryRun) {
        const fixed = fixAll(text, { path: file.path, config, readFile, listDir, helmValues, keepParse: true }, { unsafe: options.unsafeFixes });
        if (fixed.error) {
          warnings.push(`${shown}: not fixed: ${fixed.error}`);
          fixErrors++;
        } else if (fixed.text !== text) {
          if (options.fixDryRun) {
            diffs += unifiedDiff(path.relative(cwd, file.path), text, fixed.text);
          } else {
            writeFileSync(file.path, fixed.text, 'utf8');
            dependencyHashes.delete(file.path);
            written = true;
            text = fixed.text;
          }
          fixedProblems += fixed.applied;
          fixedFiles++;
        }
      }
      // Every finding's fixes are read right below, then the whole result goes: no need to drop and re-parse documents.
      const result = lint(text, { path: file.path, config, readFile, listDir, helmValues, keepParse: true });
      if (result.kind === undefined && result.findings.length === 0 && file.explicit) {
        warnings.push(notRecognised(shown));
      }
      const mapper = new PositionMapper(text);
      const placed: PlacedFinding[] = result.findings.map((finding) => ({
        finding: settled(finding),
        region: mapper.region(finding.span),
        related: (finding.related ?? []).map((r) => placeRelated(r, mapper)),
      }));
      const tiers = (result.tiers ?? []).map((t) => placeTier(t, mapper));
      const documents = result.parsed?.documents ?? [{ start: 0, workloads: result.parsed?.workloads ?? [] }];
      const privileged = documents.flatMap((d) =>
        'privileged' in d && d.privileged === false ? [] : d.workloads.flatMap((w) => w.containers).flatMap((c) =>
          c.kind === 'dockerfile' ? [] : c.privileged.filter((p) => p.value).map((p) => ({ ...pointOf(mapper.region({ start: p.span.start + d.start, end: p.span.end + d.start })), explanation: explainPrivileged(c) })),
        ),
      );
      const report: FileReport = { filePath: file.path, kind: result.kind, findings: placed, privileged: privileged.length > 0 ? privileged : undefined, tiers: result.kind === undefined ? undefined : tiers };
      addReport(report);
      if (cache) {
        // After --fix wrote the file, its new size and mtime are taken, and the write counts as the read.
        const now = written ? { ...(statOrUndefined(file.path) ?? { size: 0, mtimeMs: 0 }), readAt: Date.now() } : state;
        cache.store(file.path, configKey, { content: sha256(text), ...now }, dependenciesOf(reader.log, result.dependencies, baseReader), report);
      }
    } catch (e) {
      internalErrors++;
      cache?.forget(file.path);
      warnings.push(`internal error while linting ${shown}: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
  cache?.save((m) => warnings.push(m));

  let output: string;
  if (options.fixDryRun) {
    // The diff is the output: `container-privilege-lint --fix-dry-run . | git apply`.
    io.stdout(diffs);
    for (const w of warnings) io.stderr(`${NAME}: ${w}\n`);
    io.stderr(`${NAME}: --fix${options.unsafeFixes ? ' --unsafe-fixes' : ''} would fix ${plural(fixedProblems, 'problem')} in ${plural(fixedFiles, 'file')}; nothing was written.\n`);
    return internalErrors > 0 || fixErrors > 0 ? 2 : 0;
  }
  if (stream) {
    // What is left: the end of the text.
    output = stream.end();
  } else if (options.format === 'sarif') {
    output = formatSarif(reports, { version: readVersion(), cwd, rules });
  } else {
    // Stylish with --summary.
    output = formatStylish(reports, { color: useColor, displayPath: (p) => displayPath(p, cwd), explain: options.explain });
    output += formatTierSummary(reports, { color: useColor, displayPath: (p) => displayPath(p, cwd) });
  }

  if (outputFile) {
    outputFile.write(output);
    const error = outputFile.close();
    if (error) {
      io.stderr(`${NAME}: cannot write ${options.output}: ${error.message}\n`);
      return 2;
    }
  } else {
    io.stdout(output);
  }

  for (const w of warnings) io.stderr(`${NAME}: ${w}\n`);
  if (options.fix) io.stderr(`${NAME}: fixed ${plural(fixedProblems, 'problem')} in ${plural(fixedFiles, 'file')}${fixErrors > 0 ? `; ${plural(fixErrors, 'file')} not fixed (fixes did not converge)` : ''}.\n`);

  if (internalErrors > 0 || fixErrors > 0) return 2;
  if (counts.errors > 0) return 1;
  if (options.maxWarnings >= 0 && counts.warnings > options.maxWarnings) {
    io.stderr(`${NAME} found too many warnings (maximum: ${options.maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

/**
 * The --output file, written as the text comes rather than held whole: the JSON of a
 * 10,000-file run is 28 MB of text, twice over while joined. Each file's part is one write (measured
 * on that text: a quarter of the time of joining 1 MiB batches and encoding them). The first
 * failure is kept and reported at the end, and nothing more is written.
 */
class OutputFile {
  private fd: number | undefined;
  private error: Error | undefined;

  constructor(private readonly target: string) {}

  write(text: string): void {
    if (this.error || text === '') return;
    this.open();
    this.writeAll(text);
  }

  /** Closes the file (created even when nothing was written); the error, if any. */
  close(): Error | undefined {
    this.open();
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch (e) {
        this.error ??= e as Error;
      }
    }
    return this.error;
  }

  private open(): void {
    if (this.fd !== undefined || this.error) return;
    try {
      mkdirSync(path.dirname(this.target), { recursive: true });
      this.fd = openSync(this.target, 'w');
    } catch (e) {
      this.error = e as Error;
    }
  }

  private writeAll(text: string): void {
    if (this.fd === undefined || this.error) return;
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at, bytes.length - at);
    } catch (e) {
      this.error = e as Error;
    }
  }
}

function statOrUndefined(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    const { size, mtimeMs } = statSync(file);
    return { size, mtimeMs };
  } catch {
    return undefined;
  }
}

function notRecognised(shown: string): string {
  return `${shown}: not recognised as a Dockerfile, Compose, Kubernetes, devcontainer.json, Quadlet, shell script, Makefile or CI file; nothing to lint`;
}

function hashOrNull(text: string | undefined): string | null {
  return text === undefined ? null : sha256(text);
}

function hashDependency(dep: string, readFile: ReadFile, memo: Map<string, string | null>): string | null {
  let hash = memo.get(dep);
  if (hash === undefined) {
    hash = hashOrNull(readFile(dep));
    memo.set(dep, hash);
  }
  return hash;
}

/** Every file the result read or tried to read, with its content hash (null: absent), sorted. */
function dependenciesOf(log: ReadonlyMap<string, string | undefined>, declared: readonly string[] | undefined, readFile: ReadFile): Dependencies {
  const deps = new Map<string, string | null>();
  for (const [dep, text] of log) deps.set(dep, hashOrNull(text));
  for (const dep of declared ?? []) if (!deps.has(dep)) deps.set(dep, hashOrNull(readFile(dep)));
  return [...deps].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The formatter that makes its text one file at a time, when the format and options allow it. */
function streamFor(options: CliOptions, color: boolean, cwd: string, env: CliIO['env']): { file(report: FileReport): string; end(): string } | undefined {
  switch (options.format) {
    case 'json':
      return new JsonStream();
    case 'github': {
      const root = env.GITHUB_WORKSPACE ? path.resolve(cwd, env.GITHUB_WORKSPACE) : cwd;
      return { file: (report) => formatGithub([report], { root }), end: () => '' };
    }
    case 'stylish':
      // --summary prints every file's tiers after all the findings: it needs the reports.
      return options.summary ? undefined : new StylishStream({ color, displayPath: (p) => displayPath(p, cwd), explain: options.explain });
    case 'sarif':
      return undefined;
  }
}

/**
 * The finding as plain data with its fixes computed now (the report counts the fixable ones
 * anyway): a finding's lazy fixes hold its file's parsed model, which must not outlive the
 * file's turn, or the CLI's memory grows with every file it lints.
 */
function settled(f: Finding): Finding {
  const out: Finding = { ruleId: f.ruleId, severity: f.severity, message: f.message, span: f.span, fixes: f.fixes };
  if (f.detail !== undefined) out.detail = f.detail;
  if (f.related) out.related = f.related;
  return out;
}

function pointOf(region: { line: number; column: number }): { line: number; column: number } {
  return { line: region.line, column: region.column };
}

/**
 * What the engine may read beyond the linted file (a Compose service's build: Dockerfile):
 * regular files up to the size limit. The CLI reads what the user pointed it at, so a
 * context outside the folder (`build: ../app`) is fine here.
 */
function cliReadFile(maxFileSize: number, listings: Listings): ReadFile {
  return (absolutePath) => {
    if (!listings.mayExist(absolutePath)) return undefined;
    const read = readFileSafely(absolutePath, { maxBytes: maxFileSize, symlinks: 'any' });
    return read.ok ? read.text : undefined;
  };
}

/** A folder's entries for Helm charts (a values.yaml reads its chart's templates): folder names end with `/`. */
function cliListDir(dir: string): string[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${e.name}/`] : e.isFile() ? [e.name] : []));
  } catch {
    return undefined;
  }
}

function placeRelated(r: RelatedInfo, mapper: PositionMapper): PlacedRelated {
  if (r.path !== undefined && r.range) {
    const region: Region = { line: r.range.start.line + 1, column: r.range.start.character + 1, endLine: r.range.end.line + 1, endColumn: r.range.end.character + 1 };
    return { region, message: r.message, filePath: r.path };
  }
  return { region: mapper.region(r.span), message: r.message };
}

function placeTier(t: TierAssessment, mapper: PositionMapper): PlacedTier {
  const { line, column } = mapper.region(t.anchor);
  return { line, column, kind: t.kind, workload: t.workload, container: t.container, tier: t.tier, privileged: t.privileged, user: t.user, userNamespace: t.userNamespace, summary: t.summary, notes: t.notes };
}

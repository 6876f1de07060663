/**
 * npm run corpus: measures the engine against the peers' own expectations in
 * ../shared/corpus (or $CORPUS_DIR), then lints every file there for crashes and speed.
 *
 *  1. Agreement: for each manifest case with an expectation (`flag` / `clean`), does our
 *     rule for that normalized check fire? Per (source, check): cases, agree, disagree,
 *     agreement %, false positives, false negatives, and line agreement where the source
 *     gives expected lines.
 *  2. No-crash pass: every file under the corpus, each lint in a try/catch; count,
 *     crashes (must be 0), time, slowest files, findings by rule.
 *
 * Per-case disagreements go to out/corpus-report.json. Exit code 0 unless a crash.
 */
import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { lint, rules } from '../server/src/engine/index';
import type { EngineConfig, Finding } from '../server/src/engine/index';
import { lineIndex, lineOf } from '../server/src/engine/suppress';

/** Normalized check (shared/corpus/README.md) → our rule id. */
export const CHECK_TO_RULE: Record<string, string> = {
  privileged: 'no-privileged',
  'no-new-privileges': 'require-no-new-privileges',
  'root-user': 'no-root-user',
  'risky-capability': 'no-risky-capabilities',
  'drop-all-missing': 'require-drop-all-capabilities',
  'seccomp-unconfined': 'no-unconfined-seccomp',
  'apparmor-unconfined': 'no-unconfined-apparmor',
  'host-namespace': 'no-host-namespaces',
  'docker-socket': 'no-runtime-socket',
  'host-path': 'no-sensitive-host-mounts',
};

interface ManifestEntry {
  source: string;
  source_path?: string;
  source_check_id?: string;
  source_expectation?: string;
  file: string;
  kind?: string;
  check?: string | null;
  expected?: 'flag' | 'clean' | null;
  expected_lines?: number[] | null;
  note?: string;
  realworld?: boolean;
}

interface FileResult {
  kind: string | undefined;
  findings: Finding[];
  ms: number;
  bytes: number;
  /** 1-based start line of each finding, same order as findings. */
  lines: number[];
  crash?: string;
}

interface Row {
  source: string;
  check: string;
  rule: string;
  status: 'measured' | 'not implemented' | 'no mapping';
  cases: number;
  agree: number;
  disagree: number;
  fp: number;
  fn: number;
  /** Flag cases with expected lines where we flagged too. */
  lineCases: number;
  lineExact: number;
  linesExpected: number;
  linesHit: number;
}

function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'container-privilege-lint') return dir;
    } catch {
      /* keep looking */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

function listFiles(dir: string, out: string[] = []): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) listFiles(full, out);
    else if (e.isFile()) out.push(full);
  }
  return out;
}

function languageIdFor(kind: string | undefined): string | undefined {
  switch (kind) {
    case 'dockerfile':
      return 'dockerfile';
    case 'compose':
      return 'dockercompose';
    case 'kubernetes':
      return 'yaml';
    default:
      return undefined;
  }
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

function main(): number {
  const root = repoRoot();
  const corpus = path.resolve(process.env.CORPUS_DIR ?? path.join(root, '..', 'shared', 'corpus'));
  const manifestPath = path.join(corpus, 'manifest.jsonl');
  if (!existsSync(manifestPath)) {
    console.error(`corpus: no manifest at ${manifestPath} (set CORPUS_DIR)`);
    return 2;
  }
  const manifest: ManifestEntry[] = readFileSync(manifestPath, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ManifestEntry);

  const implemented = new Set(rules.map((r) => r.id));
  // Every rule a check maps to is on, at its default severity (or warning if off by default).
  const config: Partial<EngineConfig> = { rules: {} };
  for (const rule of rules) config.rules![rule.id] = rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity;

  const kindHint = new Map<string, string>();
  for (const e of manifest) if (e.kind) kindHint.set(path.resolve(corpus, e.file), e.kind);

  // ── Lint every file once (this is also the no-crash pass) ──────────────────────────
  const files = listFiles(corpus).filter((f) => f !== manifestPath && path.relative(corpus, f) !== 'README.md');
  const listed = new Set(files);
  for (const e of manifest) {
    const abs = path.resolve(corpus, e.file);
    if (!listed.has(abs) && existsSync(abs)) {
      listed.add(abs);
      files.push(abs);
    }
  }
  const results = new Map<string, FileResult>();
  const started = performance.now();
  for (const file of files) {
    let text = '';
    const t0 = performance.now();
    try {
      text = readFileSync(file, 'utf8');
      const r = lint(text, { path: file, config, languageId: languageIdFor(kindHint.get(file)) });
      const index = lineIndex(text);
      results.set(file, { kind: r.kind, findings: r.findings, ms: performance.now() - t0, bytes: text.length, lines: r.findings.map((f) => lineOf(index, f.span.start) + 1) });
    } catch (e) {
      results.set(file, { kind: undefined, findings: [], ms: performance.now() - t0, bytes: text.length, lines: [], crash: (e as Error)?.stack ?? String(e) });
    }
  }
  const totalMs = performance.now() - started;

  // ── Agreement with the peers' expectations ─────────────────────────────────────────
  const rows = new Map<string, Row>();
  const disagreements: unknown[] = [];
  const lineMismatches: unknown[] = [];
  const missing: string[] = [];
  for (const e of manifest) {
    if (!e.check || (e.expected !== 'flag' && e.expected !== 'clean')) continue;
    const rule = CHECK_TO_RULE[e.check];
    const key = `${e.check}\u0000${e.source}`;
    let row = rows.get(key);
    if (!row) {
      const status: Row['status'] = !rule ? 'no mapping' : implemented.has(rule) ? 'measured' : 'not implemented';
      row = { source: e.source, check: e.check, rule: rule ?? '-', status, cases: 0, agree: 0, disagree: 0, fp: 0, fn: 0, lineCases: 0, lineExact: 0, linesExpected: 0, linesHit: 0 };
      rows.set(key, row);
    }
    row.cases++;
    if (row.status !== 'measured') continue;
    const abs = path.resolve(corpus, e.file);
    const result = results.get(abs);
    if (!result) {
      missing.push(e.file);
      row.disagree++;
      continue;
    }
    const mine = result.findings.map((f, i) => ({ f, line: result.lines[i] })).filter((x) => x.f.ruleId === rule);
    const flagged = mine.length > 0;
    const expectedFlag = e.expected === 'flag';
    const ourLines = [...new Set(mine.map((x) => x.line))].sort((a, b) => a - b);
    if (flagged === expectedFlag) {
      row.agree++;
    } else {
      row.disagree++;
      if (flagged) row.fp++;
      else row.fn++;
      disagreements.push({
        source: e.source,
        check: e.check,
        rule,
        verdict: flagged ? 'false-positive' : 'false-negative',
        file: e.file,
        source_path: e.source_path,
        source_check_id: e.source_check_id,
        source_expectation: e.source_expectation,
        expected: e.expected,
        expected_lines: e.expected_lines ?? null,
        detected_kind: result.kind ?? null,
        our_lines: ourLines,
        our_findings: mine.map((x) => ({ line: x.line, severity: x.f.severity, message: x.f.message })),
        other_findings: result.findings.map((f, i) => ({ ruleId: f.ruleId, line: result.lines[i], message: f.message })).filter((x) => x.ruleId !== rule),
        crash: result.crash,
      });
    }
    if (expectedFlag && flagged && e.expected_lines && e.expected_lines.length > 0) {
      row.lineCases++;
      const expected = [...new Set(e.expected_lines)].sort((a, b) => a - b);
      const hit = expected.filter((l) => ourLines.includes(l)).length;
      row.linesExpected += expected.length;
      row.linesHit += hit;
      const exact = hit === expected.length && ourLines.length === expected.length;
      if (exact) row.lineExact++;
      else lineMismatches.push({ source: e.source, check: e.check, rule, file: e.file, expected_lines: expected, our_lines: ourLines });
    }
  }

  const ordered = [...rows.values()].sort((a, b) => a.check.localeCompare(b.check) || a.source.localeCompare(b.source));
  console.log(`Agreement with the peers' own expectations (${corpus})\n`);
  const cells = ordered.map((r) =>
    r.status === 'measured'
      ? [r.check, r.source, r.rule, String(r.cases), String(r.agree), String(r.disagree), pct(r.agree, r.cases), String(r.fp), String(r.fn), r.lineCases ? `${r.lineExact}/${r.lineCases} exact, ${r.linesHit}/${r.linesExpected} lines` : '']
      : [r.check, r.source, r.rule, String(r.cases), '', '', r.status, '', '', ''],
  );
  console.log(table(['check', 'source', 'rule', 'cases', 'agree', 'disagree', 'agree %', 'FP', 'FN', 'line agreement'], cells, [false, false, false, true, true, true, true, true, true, false]));

  // Per check, over all sources.
  const byCheck = new Map<string, Row>();
  for (const r of ordered) {
    const t = byCheck.get(r.check) ?? { ...r, source: 'all', cases: 0, agree: 0, disagree: 0, fp: 0, fn: 0, lineCases: 0, lineExact: 0, linesExpected: 0, linesHit: 0 };
    for (const k of ['cases', 'agree', 'disagree', 'fp', 'fn', 'lineCases', 'lineExact', 'linesExpected', 'linesHit'] as const) t[k] += r[k];
    byCheck.set(r.check, t);
  }
  const measured = [...byCheck.values()].filter((r) => r.status === 'measured');
  const total = measured.reduce((a, r) => ({ cases: a.cases + r.cases, agree: a.agree + r.agree, fp: a.fp + r.fp, fn: a.fn + r.fn }), { cases: 0, agree: 0, fp: 0, fn: 0 });
  console.log('\nPer check (all sources):\n');
  console.log(
    table(
      ['check', 'rule', 'cases', 'agree', 'agree %', 'FP', 'FN', 'line agreement'],
      [...byCheck.values()].map((r) =>
        r.status === 'measured'
          ? [r.check, r.rule, String(r.cases), String(r.agree), pct(r.agree, r.cases), String(r.fp), String(r.fn), r.lineCases ? `${r.lineExact}/${r.lineCases} exact, ${r.linesHit}/${r.linesExpected} lines` : '']
          : [r.check, r.rule, String(r.cases), '', r.status, '', '', ''],
      ),
      [false, false, true, true, true, true, true, false],
    ),
  );
  console.log(`\nImplemented checks overall: ${total.agree}/${total.cases} agree (${pct(total.agree, total.cases)}), ${total.fp} false positives, ${total.fn} false negatives.`);
  if (missing.length > 0) console.log(`Manifest files missing from the corpus: ${missing.length} (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`);

  // ── No-crash pass ──────────────────────────────────────────────────────────────────
  const crashes = [...results.entries()].filter(([, r]) => r.crash);
  const byRule = new Map<string, number>();
  const byKind = new Map<string, number>();
  for (const r of results.values()) {
    byKind.set(r.kind ?? '(none)', (byKind.get(r.kind ?? '(none)') ?? 0) + 1);
    for (const f of r.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  }
  const realworld = manifest.filter((e) => e.realworld).length;
  console.log(`\nNo-crash pass: ${results.size} files (${realworld} real-world manifest entries), ${crashes.length} crashes, ${(totalMs / 1000).toFixed(2)} s in total`);
  console.log(`  kinds: ${[...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`  findings by rule: ${[...byRule.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  const slowest = [...results.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 3);
  console.log(`  slowest: ${slowest.map(([f, r]) => `${path.relative(corpus, f)} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.ms.toFixed(0)} ms)`).join('; ')}`);
  for (const [file, r] of crashes) console.log(`  CRASH ${path.relative(corpus, file)}:\n    ${r.crash!.split('\n').slice(0, 4).join('\n    ')}`);

  const reportPath = path.join(root, 'out', 'corpus-report.json');
  mkdirSync(path.dirname(reportPath), { recursive: true });
  writeFileSync(
    reportPath,
    `${JSON.stringify(
      {
        corpus,
        rows: ordered,
        disagreements,
        lineMismatches,
        crashes: crashes.map(([f, r]) => ({ file: path.relative(corpus, f), error: r.crash })),
        noCrash: { files: results.size, crashes: crashes.length, totalMs: Math.round(totalMs), findingsByRule: Object.fromEntries(byRule) },
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nPer-case disagreements: ${path.relative(process.cwd(), reportPath)} (${disagreements.length} disagreements, ${lineMismatches.length} line mismatches)`);
  return crashes.length > 0 ? 1 : 0;
}

process.exitCode = main();

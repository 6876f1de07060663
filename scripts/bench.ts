/**
 * `npm run bench -- [--runs N] [--only corpus,docker,charts,lsp,workload,cli,startup,memory,scan,vsix,cache] [--quick] [--profile] [--json file] [--keep] [--workload-edits N]`
 *
 * The benchmark table for the README. Every figure is a median of repeated runs; every
 * ratio compares figures measured in the same invocation.
 *   1. Whole-corpus lint (../shared/corpus, and the same ×3) against the parse floor (the
 *      same files only parsed with yaml / dockerfile-ast / jsonc-parser), each side a whole
 *      child process.
 *   2. Dockerfiles only: lint against dockerfile-utils validate().
 *   3. Language server: keystroke → versioned publishDiagnostics, p50/p95/p99, on a
 *      300-line Compose file, a 2,000-line manifest and the corpus's largest manifest.
 *      `workload`: the 4.5 MB file of ~8,800 workload documents of issue #16 (scripts/bench/workload-file.ts),
 *      with the server's RSS after opening it and after the edits, and yaml-language-server's full
 *      cycle (didChange → publishDiagnostics) on the same file in the same run.
 *   4. Workspace scan of a generated 10,000-file workspace: time to the progress end,
 *      hover latency during the scan, server RSS after it.
 *   5. The .vsix size, and the extension activation time the last `npm run test:e2e` measured.
 *   7. The CLI on the same 10,000-file workspace: no cache, a cold --cache, a warm one.
 *   6. `cli`: the CLI's peak RSS over the corpus copied 1, 3 and 10 times, and its start-up on one
 *      Dockerfile against dockerfile-utils' (`startup` runs that row alone).
 *   8. `memory`: the engine's heap per MB of input (in process, result kept, findings read) on a
 *      stream of 2,000 small pods and on the workload file; the CLI on 100,000 pods (10 MB).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as esbuildTypes from 'esbuild';
import { detectByPath } from '../server/src/engine/detect';
import { composeFile, generateWorkspace, manifestFile } from './bench/generate';
import type { WorkspaceSource } from './bench/generate';
import { keystrokeLatency, publishCycle, startServer, workspaceScan } from './bench/lsp';
import { WORKLOAD_FILE_BYTES, workloadFile } from './bench/workload-file';
import { podStream } from './bench/engine-memory';
import type { EngineMemory } from './bench/engine-memory';
import { formatProfile, newestProfile, summarize } from './bench/profile';
import type { work as dockerAst } from './bench/mode-docker-ast';
import type { work as dockerUtils } from './bench/mode-docker-utils';
import type { work as floor } from './bench/mode-floor';
import type { work as floorDefault } from './bench/mode-floor-default';
import type { work as lintWork } from './bench/mode-lint';
import { bundleEntry, MODES } from './bench/runner';
import type { Mode, RunnerFile, RunnerOutput } from './bench/runner';

/** The per-mode modules the runner loads at run time (named here so tsc compiles them). */
export type ModeWork = typeof floor | typeof floorDefault | typeof lintWork | typeof dockerAst | typeof dockerUtils;
import { mb, median, mib, ms, quantile, ratio, table } from './bench/stats';

const ROOT = join(__dirname, '..', '..');
const CORPUS = process.env.CPL_CORPUS ?? join(ROOT, '..', 'shared', 'corpus');
const RUNNER = join(__dirname, 'bench', 'runner.js');
const SERVER = join(ROOT, 'dist', 'server.js');
const VSIX = join(ROOT, 'dist', 'container-privilege-lint.vsix');
/** The server's didChange debounce (server/src/lsp/analysis.ts DEBOUNCE_MS); read from the source so the table stays right. */
const DEBOUNCE_MS = readDebounce();

interface Options {
  runs: number;
  only: Set<string>;
  quick: boolean;
  profile: boolean;
  json?: string;
  keep: boolean;
  /** Edits per pass on the 4.5 MB workload file (two passes: publish, then hover). */
  workloadEdits: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 5, only: new Set(['corpus', 'docker', 'charts', 'lsp', 'workload', 'cli', 'memory', 'scan', 'vsix', 'cache']), quick: false, profile: false, keep: false, workloadEdits: 100 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--runs') o.runs = Number(v());
    else if (a === '--only') o.only = new Set(v().split(','));
    else if (a === '--quick') o.quick = true;
    else if (a === '--profile') o.profile = true;
    else if (a === '--json') o.json = v();
    else if (a === '--keep') o.keep = true;
    else if (a === '--workload-edits') o.workloadEdits = Number(v());
    else throw new Error(`unknown argument ${a}`);
  }
  if (o.quick && !argv.includes('--runs')) o.runs = 3;
  return o;
}

function readDebounce(): number {
  try {
    const src = readFileSync(join(ROOT, 'server', 'src', 'lsp', 'analysis.ts'), 'utf8');
    return Number(/DEBOUNCE_MS\s*=\s*(\d+)/.exec(src)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

// ---- Child processes ---------------------------------------------------------------

interface Timed {
  wallMs: number;
  out: RunnerOutput;
}

/** Per-mode bundles (like the shipped dist/*.js); without esbuild, the tsc output is run instead. */
const bundles = new Map<Mode, string>();

type Esbuild = typeof esbuildTypes;

async function buildBundles(tmp: string): Promise<string> {
  let esbuild: Esbuild;
  try {
    // A devDependency: required lazily so the benchmark still runs (unbundled) without it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    esbuild = require('esbuild') as Esbuild;
  } catch {
    return 'tsc output (esbuild not installed)';
  }
  const src = join(ROOT, 'scripts', 'bench');
  for (const mode of MODES) {
    const entry = join(tmp, `entry-${mode}.ts`);
    writeFileSync(entry, bundleEntry(mode, src));
    const outfile = join(tmp, `runner-${mode}.js`);
    // The options of scripts/bundle.mjs (without source maps).
    await esbuild.build({ entryPoints: [entry], outfile, bundle: true, mainFields: ['module', 'main'], platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', nodePaths: [join(ROOT, 'node_modules')] });
    bundles.set(mode, outfile);
  }
  return 'one esbuild bundle per side, as dist/*.js are built';
}

function runChild(mode: Mode, list: string, passes: number, nodeArgs: string[] = []): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, bundles.get(mode) ?? RUNNER, mode, list, String(passes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`runner ${mode} exited with ${code}`));
      resolve({ wallMs, out: JSON.parse(stdout) as RunnerOutput });
    });
  });
}

/** Runs each configuration `runs` times, interleaved (a, b, c, a, b, c…) so drift hits all alike. */
async function interleaved(configs: { key: string; mode: Mode; list: string; passes: number }[], runs: number): Promise<Map<string, Timed[]>> {
  const results = new Map<string, Timed[]>(configs.map((c) => [c.key, []]));
  for (const c of configs) await runChild(c.mode, c.list, c.passes); // warm the file cache and the code cache once
  for (let r = 0; r < runs; r++) {
    for (const c of configs) results.get(c.key)!.push(await runChild(c.mode, c.list, c.passes));
    log(`  run ${r + 1}/${runs}`);
  }
  return results;
}

// ---- Inputs ------------------------------------------------------------------------

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function corpusList(): RunnerFile[] {
  return walk(CORPUS)
    .sort()
    .flatMap((p) => {
      const k = detectByPath(p);
      if (!k) return [];
      return [{ path: p, kind: k === 'dockerfile' ? 'dockerfile' : k === 'devcontainer' ? 'devcontainer' : 'yaml' } as RunnerFile];
    });
}

/** Helm charts (#13): the YAML files of real charts, linted as the CLI does (their chart's files readable). */
const CHARTS = (process.env.CPL_CHARTS ?? ['prometheus-community+helm-charts/charts', 'falcosecurity+charts/charts'].map((d) => join(ROOT, '..', 'realworld', d)).join(':')).split(':').filter((d) => d && existsSync(d));

function chartList(): RunnerFile[] {
  return CHARTS.flatMap((d) => walk(d))
    .sort()
    .filter((p) => detectByPath(p) === 'yaml')
    .map((p) => ({ path: p, kind: 'yaml' }) as RunnerFile);
}

// ---- Sections ----------------------------------------------------------------------

interface Row {
  section: string;
  measure: string;
  result: string;
  goal: string;
  verdict: string;
}

const rows: Row[] = [];
const notes: string[] = [];
const results: Record<string, unknown> = {};

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? 'met' : 'MISSED';
}

async function chartsSection(o: Options, tmp: string): Promise<void> {
  const files = chartList();
  if (files.length === 0) {
    notes.push('Helm charts: none found (set CPL_CHARTS to chart folders, separated by `:`).');
    return;
  }
  const bytes = files.reduce((n, f) => n + statSync(f.path).size, 0);
  const templates = files.filter((f) => /[\\/]templates[\\/]/.test(f.path)).length;
  const list = join(tmp, 'charts.json');
  writeFileSync(list, JSON.stringify(files));
  log(`charts: ${files.length} files, ${mb(bytes)}, ${o.runs} runs`);
  const res = await interleaved(
    [
      { key: 'floor', mode: 'floor', list, passes: 1 },
      { key: 'lint', mode: 'chart-lint', list, passes: 1 },
    ],
    o.runs,
  );
  const wall = (k: string) => median(res.get(k)!.map((t) => t.wallMs));
  const work = (k: string) => median(res.get(k)!.map((t) => t.out.workMs));
  const what = `${files.length} files (${templates} templates), ${mb(bytes)}`;
  notes.push(`Helm charts: every YAML file under ${CHARTS.map((d) => relative(ROOT, d)).join(', ')} (${what}), linted with the chart's values.yaml, templates and helpers readable, as the CLI does; each values.yaml reads every template of its chart. The floor parses the same files with yaml.parseAllDocuments.`);
  rows.push({ section: `Helm charts (${what})`, measure: 'whole process: lint / parse floor', result: `${ms(wall('lint'))} / ${ms(wall('floor'))} = ${ratio(wall('lint') / wall('floor'))}`, goal: '', verdict: '' });
  rows.push({ section: '', measure: 'in-process work only: lint / parse floor', result: `${ms(work('lint'))} / ${ms(work('floor'))} = ${ratio(work('lint') / work('floor'))}`, goal: '', verdict: '' });
  results.charts = Object.fromEntries([...res].map(([k, v]) => [k, { wallMs: v.map((t) => t.wallMs), workMs: v.map((t) => t.out.workMs) }]));
}

async function corpusSection(o: Options, tmp: string): Promise<void> {
  const files = corpusList();
  const bytes = files.reduce((n, f) => n + statSync(f.path).size, 0);
  const list = join(tmp, 'corpus.json');
  writeFileSync(list, JSON.stringify(files));
  log(`corpus: ${files.length} files, ${mb(bytes)}, ${o.runs} runs`);
  const res = await interleaved(
    [
      { key: 'floor1', mode: 'floor', list, passes: 1 },
      { key: 'lint1', mode: 'lint', list, passes: 1 },
      { key: 'floor3', mode: 'floor', list, passes: 3 },
      { key: 'lint3', mode: 'lint', list, passes: 3 },
      { key: 'default1', mode: 'floor-default', list, passes: 1 },
    ],
    o.runs,
  );
  const wall = (k: string) => median(res.get(k)!.map((t) => t.wallMs));
  const work = (k: string) => median(res.get(k)!.map((t) => t.out.workMs));
  const rss = (k: string) => median(res.get(k)!.map((t) => t.out.maxRssBytes));
  const what = `${files.length} files, ${mb(bytes)}`;
  notes.push(`Corpus: every file of ${relative(ROOT, CORPUS)} the engine detects by name (${what}); ×3 lints or parses each three times in one process.`);
  for (const [n, f, l] of [
    ['×1', 'floor1', 'lint1'],
    ['×3', 'floor3', 'lint3'],
  ] as const) {
    const r = wall(l) / wall(f);
    rows.push({ section: n === '×1' ? `1. Corpus ×1 (${what})` : '1. Corpus ×3', measure: 'whole process: lint / parse floor', result: `${ms(wall(l))} / ${ms(wall(f))} = ${ratio(r)}`, goal: '≤ 1.2×', verdict: verdict(r <= 1.2) });
    rows.push({ section: '', measure: 'in-process work only: lint / parse floor', result: `${ms(work(l))} / ${ms(work(f))} = ${ratio(work(l) / work(f))}`, goal: '', verdict: '' });
  }
  const load = (k: string) => median(res.get(k)!.map((t) => t.out.loadMs));
  rows.push({ section: '', measure: 'startup (process start → code loaded): lint / floor', result: `${ms(load('lint1'))} / ${ms(load('floor1'))}`, goal: '', verdict: '' });
  rows.push({ section: '', measure: 'peak RSS: lint / parse floor (×1)', result: `${mib(rss('lint1'))} / ${mib(rss('floor1'))}`, goal: '', verdict: '' });
  rows.push({ section: '', measure: 'parse floor with the parsers\' default options (×1)', result: `${ms(wall('default1'))} (lint: ${ratio(wall('lint1') / wall('default1'))})`, goal: '', verdict: '' });
  results.corpus = Object.fromEntries([...res].map(([k, v]) => [k, { wallMs: v.map((t) => t.wallMs), workMs: v.map((t) => t.out.workMs), maxRss: v.map((t) => t.out.maxRssBytes) }]));
  if (o.profile) {
    const dir = join(tmp, 'prof-lint');
    mkdirSync(dir, { recursive: true });
    await runChild('lint', list, 1, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const p = newestProfile(dir);
    if (p) notes.push(formatProfile('Profile: corpus lint ×1 (runner process)', summarize(p, ROOT)));
  }
}

async function dockerSection(o: Options, tmp: string): Promise<void> {
  const files = corpusList().filter((f) => f.kind === 'dockerfile');
  const list = join(tmp, 'docker.json');
  writeFileSync(list, JSON.stringify(files));
  const passes = o.quick ? 20 : 100;
  log(`dockerfiles: ${files.length} files, ${o.runs} runs`);
  const res = await interleaved(
    [
      { key: 'ast', mode: 'docker-ast', list, passes: 1 },
      { key: 'lint', mode: 'docker-lint', list, passes: 1 },
      { key: 'utils', mode: 'docker-utils', list, passes: 1 },
      { key: 'lintN', mode: 'docker-lint', list, passes },
      { key: 'utilsN', mode: 'docker-utils', list, passes },
    ],
    o.runs,
  );
  const wall = (k: string) => median(res.get(k)!.map((t) => t.wallMs));
  const work = (k: string) => median(res.get(k)!.map((t) => t.out.workMs));
  const r1 = wall('lint') / wall('utils');
  const rN = work('lintN') / work('utilsN');
  rows.push({ section: `2. Dockerfiles (${files.length} files)`, measure: 'whole process: lint / dockerfile-utils validate', result: `${ms(wall('lint'))} / ${ms(wall('utils'))} = ${ratio(r1)}`, goal: '≤ 1×', verdict: verdict(r1 <= 1) });
  rows.push({ section: '', measure: `in-process, ${passes} passes: lint / validate`, result: `${ms(work('lintN'))} / ${ms(work('utilsN'))} = ${ratio(rN)}`, goal: '≤ 1×', verdict: verdict(rN <= 1) });
  const load = (k: string) => median(res.get(k)!.map((t) => t.out.loadMs));
  rows.push({ section: '', measure: 'startup (process start → code loaded): lint / validate', result: `${ms(load('lint'))} / ${ms(load('utils'))}`, goal: '', verdict: '' });
  rows.push({ section: '', measure: 'whole process: dockerfile-ast parse only (floor)', result: ms(wall('ast')), goal: '', verdict: '' });
  results.docker = Object.fromEntries([...res].map(([k, v]) => [k, { wallMs: v.map((t) => t.wallMs), workMs: v.map((t) => t.out.workMs) }]));
}

/** A setup script: functions, conditionals, heredocs and `n` docker/podman run commands over continued lines. */
function shellScript(n: number): string {
  const out = ['#!/usr/bin/env bash', 'set -euo pipefail', 'IMAGE="${IMAGE:-alpine}"', ''];
  for (let i = 0; i < n; i++) {
    // `name=…` is where the benchmark types (editPoints).
    out.push(`start_${i}() {`, `  # service ${i}`, `  name=svc${i}`, `  if [ -n "\${DEBUG:-}" ]; then echo "starting ${i}"; fi`);
    out.push(`  ${i % 2 ? 'podman' : 'docker'} run -d --name "$name" \\`, `    --cap-add=${i % 3 ? 'NET_ADMIN' : 'CHOWN'} \\`, `    -v /srv/data${i}:/data${i % 4 ? '' : ':ro'} \\`, `    ${i % 5 ? '' : '--privileged '}-p ${8000 + i}:80 "$IMAGE" sh -c 'echo ok'`);
    out.push(`  cat <<EOF >/tmp/svc${i}.conf`, `docker run --privileged ignored`, 'EOF', '}', '');
  }
  return `${out.join('\n')}\n`;
}

interface LspCase {
  name: string;
  path: string;
  languageId: string;
  text: string;
  edits: number;
  goal: number;
  /** Report the server's RSS after opening and after the edits. */
  memory?: boolean;
}

async function lspSection(o: Options, tmp: string): Promise<void> {
  if (!existsSync(SERVER)) {
    rows.push({ section: '3. Language server', measure: 'keystroke → publishDiagnostics', result: 'dist/server.js not built', goal: '', verdict: '' });
    return;
  }
  const biggest = corpusList().reduce<{ path: string; size: number } | undefined>((best, f) => {
    const size = statSync(f.path).size;
    return !best || size > best.size ? { path: f.path, size } : best;
  }, undefined);
  const dir = join(tmp, 'lsp');
  mkdirSync(dir, { recursive: true });
  const compose = composeFile(300);
  const manifest = manifestFile(2000);
  writeFileSync(join(dir, 'compose.yaml'), compose);
  writeFileSync(join(dir, 'manifest.yaml'), manifest);
  const script = shellScript(150);
  writeFileSync(join(dir, 'setup.sh'), script);
  const cases: LspCase[] = [];
  if (o.only.has('lsp')) {
    cases.push(
      { name: `Compose, ${compose.split('\n').length} lines`, path: join(dir, 'compose.yaml'), languageId: 'dockercompose', text: compose, edits: o.quick ? 60 : 200, goal: 5 },
      // Issue #16's goal for a 2,000-line manifest: p95 ≤ 10 ms.
      { name: `multi-doc manifest, ${manifest.split('\n').length} lines`, path: join(dir, 'manifest.yaml'), languageId: 'yaml', text: manifest, edits: o.quick ? 60 : 200, goal: 10 },
      // Shell parsing (mvdan-sh) on every keystroke of a script full of docker run lines.
      { name: `shell script, ${script.split('\n').length} lines`, path: join(dir, 'setup.sh'), languageId: 'shellscript', text: script, edits: o.quick ? 60 : 200, goal: 20 },
    );
  }
  if (biggest && o.only.has('lsp')) {
    const text = readFileSync(biggest.path, 'utf8');
    cases.push({ name: `${relative(CORPUS, biggest.path).split('/').pop()} (${mb(text.length)})`, path: biggest.path, languageId: 'yaml', text, edits: o.quick ? 10 : 40, goal: 100 });
  }
  if (o.only.has('workload')) {
    // Issue #16: the corpus's Kubernetes workloads concatenated to 4.5 MB, each copy unique (scripts/bench/workload-file.ts).
    const file = workloadFile(CORPUS, WORKLOAD_FILE_BYTES);
    const path = join(dir, 'workloads.yaml');
    writeFileSync(path, file.text);
    notes.push(`Workload file: ${mb(file.text.length)}, ${file.documents} documents: the ${file.sources} Kubernetes workload documents of ${relative(ROOT, CORPUS)} concatenated round-robin, each copy unique (node out/scripts/bench/workload-file.js rebuilds it).`);
    cases.push({ name: `workload file (${mb(file.text.length)}, ${file.documents} documents)`, path, languageId: 'yaml', text: file.text, edits: o.quick ? 20 : o.workloadEdits, goal: 50, memory: true });
  }
  const profDir = join(tmp, 'prof-server');
  for (const c of cases) {
    log(`lsp: ${c.name}, ${c.edits} edits`);
    const profile = o.profile && (c.goal === 100 || c.memory === true);
    const server = await startServer({ serverPath: SERVER, cwd: dir, nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [] });
    await server.conn.sendNotification('initialized', {});
    const r = await keystrokeLatency(server, pathToFileURL(c.path).href, c.languageId, c.text, c.edits);
    await server.close();
    const p = (q: number) => quantile(r.publish, q);
    const work = r.publish.map((x) => x - DEBOUNCE_MS);
    const w = (q: number) => quantile(work, q);
    const h = (q: number) => quantile(r.hover, q);
    rows.push({
      section: c === cases[0] ? `3. Keystroke → publishDiagnostics (published after ${DEBOUNCE_MS} ms of quiet)` : '',
      measure: `${c.name}: ${c.edits} edits, p50 / p95 / p99`,
      result: `${ms(p(0.5))} / ${ms(p(0.95))} / ${ms(p(0.99))}`,
      goal: '',
      verdict: '',
    });
    rows.push({ section: '', measure: `  same, minus the ${DEBOUNCE_MS} ms publish delay`, result: `${ms(w(0.5))} / ${ms(w(0.95))} / ${ms(w(0.99))}`, goal: `p95 ≤ ${c.goal} ms`, verdict: verdict(w(0.95) <= c.goal) });
    rows.push({ section: '', measure: '  analysis: didChange → hover answered (no delay)', result: `${ms(h(0.5))} / ${ms(h(0.95))} / ${ms(h(0.99))}`, goal: `p95 ≤ ${c.goal} ms`, verdict: verdict(h(0.95) <= c.goal) });
    if (c.memory) {
      const after = r.rssAfterEdits.map((x) => mib(x)).join(' / ');
      const last = r.rssAfterEdits[r.rssAfterEdits.length - 1] ?? NaN;
      rows.push({ section: '', measure: `  server RSS after open / after ${r.rssAfterEdits.map((_, i) => (i + 1) * c.edits).join(' / ')} edits (peak)`, result: `${mib(r.rssAfterOpen)} / ${after} (${mib(r.hwm)})`, goal: '≤ 1.5× after open', verdict: verdict(last <= 1.5 * r.rssAfterOpen) });
      rows.push({ section: '', measure: '  first analysis: didOpen → publishDiagnostics', result: ms(r.open), goal: '', verdict: '' });
    }
    results[`lsp:${c.name}`] = r;
    if (c.memory) await peerRows(o, c, quantile(r.hover, 0.95));
    if (profile) {
      const f = newestProfile(profDir);
      if (f) notes.push(formatProfile(`Profile: language server during ${c.edits * 2} keystrokes on ${c.name}`, summarize(f, ROOT)));
    }
  }
}

/**
 * yaml-language-server (a devDependency, pinned) on the same workload file, in the same run: its
 * full cycle, didChange → publishDiagnostics, with its defaults (YAML validation, no schema).
 * Issue #16 asks for our analysis p95 at ≤ 0.05× that cycle.
 */
async function peerRows(o: Options, c: LspCase, ourHoverP95: number): Promise<void> {
  let bin: string;
  let version = '';
  try {
    bin = require.resolve('yaml-language-server/bin/yaml-language-server', { paths: [ROOT] });
    version = (JSON.parse(readFileSync(join(dirname(dirname(bin)), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    rows.push({ section: '', measure: '  yaml-language-server, same file', result: 'not installed (npm ci installs it)', goal: '', verdict: '' });
    return;
  }
  const edits = o.quick ? 2 : 6;
  log(`lsp: yaml-language-server ${version} on ${c.name}, ${edits} edits`);
  const server = await startServer({ serverPath: bin, cwd: dirname(c.path), initializationOptions: {} });
  await server.conn.sendNotification('initialized', {});
  const r = await publishCycle(server, pathToFileURL(c.path).href, c.languageId, c.text, edits);
  await server.close();
  const p50 = quantile(r.cycle, 0.5);
  rows.push({ section: '', measure: `  yaml-language-server ${version}, same file: didChange → publishDiagnostics, ${edits} edits, p50 / p95 (open; peak RSS)`, result: `${ms(p50)} / ${ms(quantile(r.cycle, 0.95))} (${ms(r.open)}; ${mib(r.hwm)})`, goal: '', verdict: '' });
  const share = ourHoverP95 / p50;
  rows.push({ section: '', measure: '  our analysis p95 (hover above) ÷ its full cycle p50', result: `${share.toFixed(3)}×`, goal: '≤ 0.05×', verdict: verdict(share <= 0.05) });
  results[`lsp:yaml-language-server:${c.name}`] = r;
}

/**
 * CLI peak RSS over the corpus copied 1, 3 and 10 times into one folder: `node dist/cli.js
 * --format json <folder>` as a user runs it, its peak RSS read by a preloaded module at exit.
 */
async function cliSection(o: Options, tmp: string): Promise<void> {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    rows.push({ section: '6. CLI memory', measure: '', result: 'dist/cli.js not built', goal: '', verdict: '' });
    return;
  }
  const preload = join(tmp, 'peak-rss.js');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.CPL_RSS_OUT, String(process.resourceUsage().maxRSS * 1024)));\n");
  const times = o.quick ? [1, 3] : [1, 3, 10];
  const figures: string[] = [];
  let last = NaN;
  for (const n of times) {
    const dir = join(tmp, `cli-x${n}`);
    for (let i = 0; i < n; i++) cpSync(CORPUS, join(dir, `copy${i}`), { recursive: true });
    const peaks: number[] = [];
    for (let r = 0; r < Math.max(1, Math.min(o.runs, 3)); r++) {
      const out = join(tmp, `rss-${n}-${r}`);
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['-r', preload, cli, '--format', 'json', dir], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, CPL_RSS_OUT: out } });
        child.on('error', reject);
        child.on('exit', () => resolve());
      });
      peaks.push(Number(readFileSync(out, 'utf8')));
    }
    log(`cli: ×${n}: ${peaks.map((p) => mib(p)).join(', ')}`);
    last = median(peaks);
    figures.push(mib(last));
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push({ section: '6. CLI memory', measure: `peak RSS, corpus ${times.map((t) => `×${t}`).join(' / ')} (node dist/cli.js --format json <folder>)`, result: figures.join(' / '), goal: '≤ 200 MiB at ×10', verdict: times.includes(10) ? verdict(last <= 200 * 1024 * 1024) : '' });
  await startupRows(o, tmp, cli);
}

/** `--only startup`: the start-up row of `cli` alone. */
async function startupSection(o: Options, tmp: string): Promise<void> {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (existsSync(cli)) await startupRows(o, tmp, cli);
  else rows.push({ section: '6. CLI start-up', measure: '', result: 'dist/cli.js not built', goal: '', verdict: '' });
}

/**
 * Memory per MB of input (#17). The engine in process (`node --expose-gc
 * out/scripts/bench/engine-memory.js <file>`): the heap its result keeps once the findings are
 * read, per MB of input, on a stream of 2,000 small pods and on the workload file. Then the CLI
 * as a user runs it on 100,000 pods (10 MB): wall time, peak RSS, and how many documents it
 * analysed (the rest get a `skipped` finding that says why).
 */
async function memorySection(o: Options, tmp: string): Promise<void> {
  const script = join(__dirname, 'bench', 'engine-memory.js');
  const dir = join(tmp, 'memory');
  mkdirSync(dir, { recursive: true });
  const engine = (file: string) =>
    new Promise<EngineMemory>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', () => (out ? resolve(JSON.parse(out) as EngineMemory) : reject(new Error('engine-memory printed nothing'))));
    });
  const pods = join(dir, 'pods-2000.yaml');
  writeFileSync(pods, podStream(2000));
  const inputs: { name: string; path: string }[] = [{ name: 'stream of 2,000 small pods', path: pods }];
  if (existsSync(CORPUS)) {
    const workloads = join(dir, 'workloads.yaml');
    writeFileSync(workloads, workloadFile(CORPUS, WORKLOAD_FILE_BYTES).text);
    inputs.push({ name: 'workload file', path: workloads });
  }
  for (const input of inputs) {
    const runs: EngineMemory[] = [];
    for (let r = 0; r < Math.max(1, Math.min(o.runs, 3)); r++) runs.push(await engine(input.path));
    const m = runs.sort((a, b) => a.retained - b.retained)[Math.floor(runs.length / 2)];
    log(`memory: ${input.name}: ${runs.map((x) => `${x.perByte.toFixed(1)} (list held: ${x.heldPerByte.toFixed(1)})`).join(', ')} MB/MB`);
    rows.push({
      section: input === inputs[0] ? '8. Memory per MB of input' : '',
      measure: `engine, in process: heap its result keeps (findings read, then let go) / input, ${input.name} (${mb(m.bytes)}, ${m.findings} findings)`,
      result: `${mb(m.retained)} = ${m.perByte.toFixed(1)} MB/MB`,
      goal: '≤ 30 MB/MB',
      verdict: verdict(m.perByte <= 30),
    });
    rows.push({
      section: '',
      measure: `engine, in process: heap its result and the findings list read from it keep / input, ${input.name}`,
      result: `${mb(m.retainedHeld)} = ${m.heldPerByte.toFixed(1)} MB/MB`,
      goal: '≤ 30 MB/MB',
      verdict: verdict(m.heldPerByte <= 30),
    });
  }
  // The CLI on 100,000 pods, as a user runs it.
  const big = join(dir, 'pods-100000.yaml');
  writeFileSync(big, podStream(100_000));
  const cli = join(ROOT, 'dist', 'cli.js');
  const preload = join(tmp, 'peak-rss-memory.js');
  writeFileSync(preload, "process.on('exit', () => require('node:fs').writeFileSync(process.env.CPL_RSS_OUT, String(process.resourceUsage().maxRSS * 1024)));\n");
  const rssOut = join(dir, 'rss');
  const jsonOut = join(dir, 'out.json');
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', preload, cli, '--format', 'json', '--output', jsonOut, big], { stdio: 'ignore', env: { ...process.env, CPL_RSS_OUT: rssOut } });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  const wall = performance.now() - t0;
  const peak = Number(readFileSync(rssOut, 'utf8'));
  const report = JSON.parse(readFileSync(jsonOut, 'utf8')) as { findings: { ruleId: string; message: string }[]; tiers?: unknown[] }[];
  const skipped = (report[0]?.findings ?? []).find((f) => f.ruleId === 'skipped');
  // One tier per container analysed: one per pod.
  const analysed = report[0]?.tiers?.length ?? 0;
  rows.push({
    section: '',
    measure: `CLI, 100,000 small pods (${mb(statSync(big).size)}): wall time / peak RSS (node dist/cli.js --format json)`,
    result: `${ms(wall)} / ${mib(peak)}; ${analysed} documents analysed${skipped ? ', the rest skipped with an info finding' : ''}`,
    goal: '< 5 s and < 600 MB',
    verdict: verdict(wall < 5000 && peak < 600 * 1024 * 1024),
  });
  if (skipped) notes.push(`100,000 pods: the \`skipped\` finding says: ${skipped.message}`);
}

/**
 * Start-up on one small Dockerfile, whole process, side by side with dockerfile-utils' own CLI:
 * `node dist/cli.js Dockerfile` against `node node_modules/dockerfile-utils/bin/dockerfile-utils
 * lint Dockerfile`, and `node -e 0` for Node's own start; interleaved, median wall time.
 */
async function startupRows(o: Options, tmp: string, cli: string): Promise<void> {
  const utils = join(ROOT, 'node_modules', 'dockerfile-utils', 'bin', 'dockerfile-utils');
  const dir = join(tmp, 'startup');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER root\nCMD ["sh"]\n');
  const sides: [string, string[]][] = [
    ['ours', [cli, 'Dockerfile']],
    ...(existsSync(utils) ? ([['utils', [utils, 'lint', 'Dockerfile']]] as [string, string[]][]) : []),
    ['node', ['-e', '0']],
  ];
  const wall = new Map<string, number[]>(sides.map(([k]) => [k, []]));
  const once = (args: string[]) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('exit', () => resolve(performance.now() - t0));
    });
  for (const [, args] of sides) await once(args); // warm the file cache
  const runs = o.quick ? 10 : 30;
  for (let r = 0; r < runs; r++) for (const [k, args] of sides) wall.get(k)!.push(await once(args));
  const m = (k: string) => median(wall.get(k) ?? []);
  const has = wall.has('utils');
  rows.push({
    section: '',
    measure: `start-up on one small Dockerfile, whole process, median of ${runs}: node dist/cli.js Dockerfile / dockerfile-utils lint Dockerfile (node -e 0)`,
    result: has ? `${ms(m('ours'))} / ${ms(m('utils'))} = ${ratio(m('ours') / m('utils'))} (${ms(m('node'))})` : `${ms(m('ours'))} (dockerfile-utils not installed; node -e 0: ${ms(m('node'))})`,
    goal: '≤ 1×',
    verdict: has ? verdict(m('ours') <= m('utils')) : '',
  });
  results.startup = Object.fromEntries(wall);
}

function workflowYaml(n: number): string {
  return `name: ci${n}\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:16\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n`;
}

/** The corpus files the generated workspaces are made of, by kind; the largest manifests apart. */
function workspaceSources(): { sources: WorkspaceSource[]; large: WorkspaceSource[] } {
  const sources: WorkspaceSource[] = [];
  const large: WorkspaceSource[] = [];
  for (const f of walk(CORPUS)) {
    const k = detectByPath(f);
    if (!k) continue;
    const size = statSync(f).size;
    const text = readFileSync(f, 'utf8');
    if (size > 100_000) {
      large.push({ kind: 'kubernetes', text });
      continue;
    }
    if (f.includes('helm-templates')) continue;
    if (k === 'dockerfile' || k === 'devcontainer' || k === 'compose') sources.push({ kind: k, text });
    else if (/^kind:\s*\w+/m.test(text)) sources.push({ kind: 'kubernetes', text });
    else if (/^services:/m.test(text)) sources.push({ kind: 'compose', text });
  }
  for (let i = 0; i < 5; i++) sources.push({ kind: 'yaml', text: workflowYaml(i) });
  return { sources, large };
}

async function scanSection(o: Options, tmp: string): Promise<void> {
  if (!existsSync(SERVER)) {
    rows.push({ section: '4. Workspace scan', measure: '', result: 'dist/server.js not built', goal: '', verdict: '' });
    return;
  }
  const { sources, large } = workspaceSources();
  const root = mkdtempSync(join(tmpdir(), 'cpl-bench-ws-'));
  const count = o.quick ? 2000 : 10_000;
  log(`scan: generating ${count} files in ${root}`);
  const stats = generateWorkspace(root, sources, count, 4, large);
  const openPath = join(root, 'services', 'team0', 'svc0', 'compose.yaml');
  const openText = existsSync(openPath) ? readFileSync(openPath, 'utf8') : composeFile(60);
  const scans: Awaited<ReturnType<typeof workspaceScan>>[] = [];
  const runs = Math.max(1, Math.min(o.runs, 3));
  for (let r = 0; r < runs; r++) {
    log(`scan: run ${r + 1}/${runs}`);
    const profile = o.profile && r === 0;
    const profDir = join(tmp, 'prof-scan');
    const server = await startServer({ serverPath: SERVER, rootPath: root, cwd: root, nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [] });
    scans.push(await workspaceScan(server, { uri: pathToFileURL(openPath).href, languageId: 'dockercompose', text: openText, position: { line: 1, character: 3 } }));
    await server.close();
    if (profile) {
      const f = newestProfile(profDir);
      if (f) notes.push(formatProfile(`Profile: language server during the ${count}-file scan`, summarize(f, ROOT)));
    }
  }
  if (!o.keep) rmSync(root, { recursive: true, force: true });
  const scanMs = median(scans.map((s) => s.scanMs));
  const hovers = scans.flatMap((s) => s.hover);
  const rss = median(scans.map((s) => s.rss));
  const hwm = median(scans.map((s) => s.hwm));
  const kinds = Object.entries(stats.byKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  notes.push(`Workspace: ${stats.candidates} files the engine reads (${kinds}; the corpus's ${large.length} largest manifests among them), ${stats.others} other files (READMEs, sources, node_modules, a .gitignore'd build folder), ${mb(stats.bytes)} in all.`);
  rows.push({ section: `4. Workspace scan (${stats.candidates} files)`, measure: `initialized → progress end, median of ${runs}`, result: ms(scanMs), goal: '≤ 10 s', verdict: verdict(scanMs <= 10_000) });
  rows.push({ section: '', measure: `hover on an open file during the scan, p50 / p95 / max (${hovers.length} hovers)`, result: `${ms(quantile(hovers, 0.5))} / ${ms(quantile(hovers, 0.95))} / ${ms(Math.max(...hovers))}`, goal: 'p95 ≤ 50 ms', verdict: verdict(quantile(hovers, 0.95) <= 50) });
  rows.push({ section: '', measure: 'server RSS 0.5 s after the scan (peak)', result: `${mib(rss)} (${mib(hwm)})`, goal: '≤ 150 MB', verdict: verdict(rss <= 150 * 1024 * 1024) });
  results.scan = { stats, scans };
}

/**
 * The CLI's --cache on the generated 10,000-file workspace, each run a whole process writing JSON
 * to a file: no cache, then a cold cache (none on disk), then a warm one (nothing changed), then a
 * warm one after one Dockerfile changed.
 */
async function cacheSection(o: Options, tmp: string): Promise<void> {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    rows.push({ section: '7. CLI --cache', measure: '', result: 'dist/cli.js not built', goal: '', verdict: '' });
    return;
  }
  const { sources, large } = workspaceSources();
  const root = mkdtempSync(join(tmpdir(), 'cpl-bench-cache-'));
  const count = o.quick ? 2000 : 10_000;
  log(`cache: generating ${count} files in ${root}`);
  const stats = generateWorkspace(root, sources, count, 4, large);
  const cacheFile = join(tmp, 'cli-cache.json');
  const report = join(tmp, 'cli-report.json');
  const runCli = (withCache: boolean): Promise<number> =>
    new Promise((resolve, reject) => {
      const args = [cli, '--format', 'json', '--output', report, ...(withCache ? ['--cache', '--cache-location', cacheFile] : []), '.'];
      const t0 = performance.now();
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 2 ? reject(new Error(`CLI failed: ${stderr.slice(0, 500)}`)) : resolve(performance.now() - t0)));
    });
  const runs = Math.max(1, Math.min(o.runs, 3));
  const plain: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const oneChanged: number[] = [];
  const dockerfile = readdirSync(root, { recursive: true, encoding: 'utf8' }).find((f) => /(^|\/)Dockerfile$/.test(f) && !/(^|\/)(node_modules|build)\//.test(f));
  for (let r = 0; r < runs; r++) {
    log(`cache: run ${r + 1}/${runs}`);
    plain.push(await runCli(false));
    rmSync(cacheFile, { force: true });
    cold.push(await runCli(true));
    warm.push(await runCli(true));
    if (dockerfile) {
      writeFileSync(join(root, dockerfile), `${readFileSync(join(root, dockerfile), 'utf8')}\n# changed ${r}\n`);
      oneChanged.push(await runCli(true));
    }
  }
  const cacheBytes = existsSync(cacheFile) ? statSync(cacheFile).size : 0;
  if (!o.keep) rmSync(root, { recursive: true, force: true });
  const section = `7. CLI --cache (${stats.candidates} files)`;
  rows.push({ section, measure: `no cache, whole process, median of ${runs}`, result: ms(median(plain)), goal: '', verdict: '' });
  rows.push({ section: '', measure: 'cold cache (first run, cache written)', result: ms(median(cold)), goal: '', verdict: '' });
  const share = median(warm) / median(cold);
  rows.push({ section: '', measure: 'warm cache, nothing changed (share of the cold run)', result: `${ms(median(warm))} (${(share * 100).toFixed(0)} %)`, goal: '≤ 20 %', verdict: verdict(share <= 0.2) });
  if (oneChanged.length > 0) rows.push({ section: '', measure: 'warm cache, one Dockerfile changed', result: ms(median(oneChanged)), goal: '', verdict: '' });
  notes.push(`CLI cache: ${mb(cacheBytes)} cache file for ${stats.candidates} files; each figure a whole \`node dist/cli.js --format json --output file .\` process.`);
}

/**
 * Extension activation (activate() → language server initialized) is measured inside a real VS Code
 * (code-server) by the extension-host suite of `npm run test:e2e`, which keeps its newest figure in
 * .cache/metrics/activation.json: the benchmark reports that run, with its date, and does not start
 * an editor itself.
 */
function activationRow(): void {
  const file = join(ROOT, '.cache', 'metrics', 'activation.json');
  let result = 'not measured yet: run npm run test:e2e';
  if (existsSync(file)) {
    const m = JSON.parse(readFileSync(file, 'utf8')) as { activationMs: number; host: string; at: string };
    result = `${ms(m.activationMs)} (${m.host}, npm run test:e2e at ${m.at.slice(0, 16).replace('T', ' ')} UTC)`;
  }
  rows.push({ section: '', measure: 'extension activation: activate() → language server ready', result, goal: '', verdict: '' });
}

function vsixSection(): void {
  if (!existsSync(VSIX)) {
    rows.push({ section: '5. .vsix', measure: 'size', result: 'not built', goal: '≤ 1 MB', verdict: '' });
    return;
  }
  const size = statSync(VSIX).size;
  rows.push({ section: '5. .vsix', measure: 'size of dist/container-privilege-lint.vsix', result: `${(size / 1024).toFixed(0)} KB`, goal: '≤ 1 MB', verdict: verdict(size <= 1024 * 1024) });
  activationRow();
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!MODES.length) throw new Error('runner not built');
  if (!existsSync(CORPUS)) throw new Error(`corpus not found at ${CORPUS} (set CPL_CORPUS)`);
  const tmp = mkdtempSync(join(tmpdir(), 'cpl-bench-'));
  const loadBefore = loadavg()[0];
  const started = performance.now();
  let form = '';
  try {
    if (o.only.has('corpus') || o.only.has('docker') || o.only.has('charts')) form = await buildBundles(tmp);
    if (o.only.has('corpus')) await corpusSection(o, tmp);
    if (o.only.has('docker')) await dockerSection(o, tmp);
    if (o.only.has('charts')) await chartsSection(o, tmp);
    if (o.only.has('lsp') || o.only.has('workload')) await lspSection(o, tmp);
    if (o.only.has('cli')) await cliSection(o, tmp);
    else if (o.only.has('startup')) await startupSection(o, tmp);
    if (o.only.has('memory')) await memorySection(o, tmp);
    if (o.only.has('scan')) await scanSection(o, tmp);
    if (o.only.has('vsix')) vsixSection();
    if (o.only.has('cache')) await cacheSection(o, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const cpu = cpus();
  const machine = `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Linux ${release()}, Node ${process.version}`;
  const out = [
    `Machine: ${machine}`,
    `Runs: ${o.runs} per figure (median), after one warm-up run; benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`,
    form ? `Whole-process sides: ${form}` : '',
    `Load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs (other processes share the machine: compare figures within one run)`,
    '',
    table(
      ['Benchmark', 'Measure', 'Result', 'Goal', 'Verdict'],
      rows.map((r) => [r.section, r.measure, r.result, r.goal, r.verdict]),
    ),
    '',
    ...notes.map((n) => (n.includes('\n') ? `\n${n}` : `- ${n}`)),
  ].join('\n');
  process.stdout.write(`${out}\n`);
  if (o.json) writeFileSync(o.json, JSON.stringify({ machine, runs: o.runs, rows, results }, null, 1));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});

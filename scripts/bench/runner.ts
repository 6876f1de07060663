/**
 * The child process of the whole-process benchmarks. Two forms:
 *   - `node out/scripts/bench/runner.js <mode> <list.json> [passes]` (the tsc output);
 *   - a per-mode esbuild bundle made by bench.ts (like the shipped dist/*.js), which holds
 *     only the code its side loads: `node <tmp>/runner-<mode>.js <mode> <list.json> [passes]`.
 * It loads its side's code, reads the files, does the work `passes` times over all of them
 * and prints one JSON line with its own timings. The parent times the whole process.
 *
 * Modes:
 *   floor          parse only, with the engine's parse options: yaml.parseAllDocuments (YAML),
 *                  DockerfileParser.parse (Dockerfile), jsonc-parser parseTree (devcontainer)
 *   floor-default  the same parsers with their default options
 *   lint           the engine's lint() with the file's path
 *   chart-lint     lint() with the file's path and the chart's files readable (Helm charts)
 *   docker-ast     Dockerfiles: DockerfileParser.parse
 *   docker-lint    Dockerfiles: lint()
 *   docker-utils   Dockerfiles: dockerfile-utils validate()
 */
import { readFileSync } from 'node:fs';
import type { Work } from './modes';

export const MODES = ['floor', 'floor-default', 'lint', 'chart-lint', 'docker-ast', 'docker-lint', 'docker-utils'] as const;
export type Mode = (typeof MODES)[number];

/** The module that holds each mode's work (docker-lint is lint on Dockerfiles only). */
export const MODE_MODULE: Record<Mode, string> = {
  floor: 'mode-floor',
  'floor-default': 'mode-floor-default',
  lint: 'mode-lint',
  'chart-lint': 'mode-chart-lint',
  'docker-ast': 'mode-docker-ast',
  'docker-lint': 'mode-lint',
  'docker-utils': 'mode-docker-utils',
};

export interface RunnerOutput {
  mode: Mode;
  files: number;
  bytes: number;
  passes: number;
  /** Process start (performance.timeOrigin) → the side's code loaded: node's bootstrap plus module loading. */
  loadMs: number;
  readMs: number;
  /** The work, all passes. */
  workMs: number;
  /** Findings (lint) or documents (floor), to show the work was done. */
  items: number;
  maxRssBytes: number;
}

export interface RunnerFile {
  path: string;
  /** What the engine's detection says, so the floor parses each file with the parser lint would use. */
  kind: 'yaml' | 'dockerfile' | 'devcontainer';
}

/** Runs the benchmark; `load` returns the mode's work function (a require, timed as loading). */
export function run(load: (mode: Mode) => Work, argv = process.argv.slice(2)): void {
  const [mode, listFile, passesArg] = argv as [Mode, string, string | undefined];
  if (!MODES.includes(mode) || !listFile) {
    process.stderr.write(`usage: runner.js <${MODES.join('|')}> <list.json> [passes]\n`);
    process.exit(2);
  }
  const passes = Number(passesArg ?? '1');
  const list = JSON.parse(readFileSync(listFile, 'utf8')) as RunnerFile[];
  const work = load(mode);
  const t1 = performance.now();
  const texts = list.map((f) => readFileSync(f.path, 'utf8'));
  const t2 = performance.now();
  let items = 0;
  for (let p = 0; p < passes; p++) for (let i = 0; i < list.length; i++) items += work(list[i], texts[i]);
  const t3 = performance.now();
  const out: RunnerOutput = {
    mode,
    files: list.length,
    bytes: texts.reduce((n, t) => n + t.length, 0),
    passes,
    loadMs: t1,
    readMs: t2 - t1,
    workMs: t3 - t2,
    items,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The entry file of a per-mode bundle (written by bench.ts, bundled with esbuild). */
export function bundleEntry(mode: Mode, dir: string): string {
  const j = (p: string) => JSON.stringify(`${dir}/${p}`);
  return `import { run } from ${j('runner')};\nimport { work } from ${j(MODE_MODULE[mode])};\nrun(() => work);\n`;
}

// The tsc output run directly (a bundle is named runner-<mode>.js and calls run() from its entry).
if (require.main === module && /[\\/]runner\.js$/.test(__filename)) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  run((mode) => (require(`./${MODE_MODULE[mode]}`) as { work: Work }).work);
}

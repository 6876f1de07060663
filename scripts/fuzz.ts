/**
 * `npm run fuzz -- [--runs N] [--seed S] [--only substring] [--no-save] [--minutes M]`
 *
 * Runs the robustness properties of test/robustness with many more cases than CI (and a
 * fresh seed unless --seed is given): lint never throws, stays within its time bound and
 * keeps every span inside the text, on mutated corpus files, random input and generated
 * valid files; and every fix of every generated valid file keeps the fix invariants.
 * Every failure is shrunk by fast-check and saved as a regression case in
 * test/robustness/regressions/, which `npm test` then runs for good.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { composeArb, devcontainerArb, dockerfileArb, kubernetesArb, mutatedArb, randomInputArb } from '../test/robustness/arbitraries';
import { mergeGraphArb } from '../test/robustness/hostile-inputs';
import type { RegressionCase, Sample } from '../test/robustness/support';
import { checkFixInvariants, checkLint, compactText, corpusFiles, CORPUS_DIR, exampleFiles, REGRESSIONS_DIR } from '../test/robustness/support';

interface Options {
  runs: number;
  seed: number;
  only?: string;
  save: boolean;
  /** Per property, runs and shrinking together (a time-bound failure shrinks slowly). */
  minutes: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { runs: 2000, seed: (Date.now() ^ (process.pid << 8)) >>> 0, save: true, minutes: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') options.runs = Number(value());
    else if (a === '--seed') options.seed = Number(value());
    else if (a === '--only') options.only = value();
    else if (a === '--no-save') options.save = false;
    else if (a === '--minutes') options.minutes = Number(value());
    else if (a === '--help' || a === '-h') {
      process.stdout.write('npm run fuzz -- [--runs N] [--seed S] [--only substring] [--no-save] [--minutes M per property]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(options.runs) || options.runs <= 0) throw new Error('--runs must be a positive integer');
  return options;
}

interface Property {
  name: string;
  kind: RegressionCase['property'];
  arb: fc.Arbitrary<Sample>;
  /** Relative weight of runs (fix properties re-lint per fix, so they get fewer). */
  share: number;
}

function properties(): Property[] {
  const corpus = corpusFiles(64 * 1024);
  const seeds = corpus.length > 0 ? corpus : exampleFiles();
  const lintOnly = (name: string, arb: fc.Arbitrary<Sample>, share = 1): Property => ({ name, kind: 'lint', arb, share });
  const withFixes = (name: string, arb: fc.Arbitrary<Sample>, share = 0.5): Property => ({ name, kind: 'fix', arb, share });
  return [
    lintOnly('lint: mutated corpus files', mutatedArb(seeds), 1),
    lintOnly('lint: random strings and bytes', randomInputArb, 1),
    lintOnly('lint: generated Compose', composeArb),
    lintOnly('lint: generated Kubernetes', kubernetesArb),
    lintOnly('lint: generated Dockerfile', dockerfileArb),
    lintOnly('lint: generated devcontainer.json', devcontainerArb),
    lintOnly('lint: nested merge keys, aliases and extends chains', mergeGraphArb),
    withFixes('fix: generated Compose', composeArb),
    withFixes('fix: generated Kubernetes', kubernetesArb),
    withFixes('fix: generated Dockerfile', dockerfileArb),
    withFixes('fix: generated devcontainer.json', devcontainerArb),
  ];
}

function save(p: Property, sample: Sample, error: string, seed: number): string {
  if (!existsSync(REGRESSIONS_DIR)) mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const hash = createHash('sha1').update(sample.path).update(sample.text).digest('hex').slice(0, 10);
  const file = join(REGRESSIONS_DIR, `fuzz-${p.kind}-${hash}.json`);
  const firstLine = error.split('\n')[0].slice(0, 300);
  const body = {
    note: `${firstLine} (found by npm run fuzz, "${p.name}", seed ${seed})`,
    open: 'not yet analysed',
    property: p.kind,
    path: sample.path,
    text: compactText(sample.text),
  };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

function main(): number {
  const options = parseArgs(process.argv.slice(2));
  process.stdout.write(`fuzz: seed ${options.seed}, ${options.runs} runs per lint property (half for fix properties), corpus ${existsSync(CORPUS_DIR) ? CORPUS_DIR : '(absent: seeds from examples/)'}\n\n`);
  let failed = 0;
  const rows: string[][] = [['property', 'runs', 'time', 'result']];
  for (const p of properties()) {
    if (options.only && !p.name.includes(options.only)) continue;
    const numRuns = Math.max(1, Math.round(options.runs * p.share));
    const t0 = performance.now();
    const details = fc.check(
      fc.property(p.arb, (sample) => {
        const findings = checkLint(sample);
        if (p.kind === 'fix') checkFixInvariants(sample, findings);
      }),
      { seed: options.seed, numRuns, interruptAfterTimeLimit: options.minutes * 60_000 },
    );
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    if (!details.failed) {
      rows.push([p.name, String(details.numRuns), `${seconds} s`, details.interrupted ? `ok (stopped after ${options.minutes} min)` : 'ok']);
      continue;
    }
    failed++;
    const sample = details.counterexample?.[0];
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    let where = '';
    if (sample && options.save) where = ` → ${save(p, sample, error, options.seed)}`;
    rows.push([p.name, `${details.numRuns} (+${details.numShrinks} shrinks)`, `${seconds} s`, `FAILED${where}`]);
    process.stdout.write(`✗ ${p.name}: ${error.slice(0, 2000)}\n`);
    if (sample) process.stdout.write(`  path: ${sample.path}\n  text (${sample.text.length} chars): ${JSON.stringify(sample.text.slice(0, 600))}${sample.text.length > 600 ? '…' : ''}\n\n`);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}\n`);
  process.stdout.write(failed ? `\n${failed} properties failed (reproduce with --seed ${options.seed})\n` : '\nall properties hold\n');
  return failed ? 1 : 0;
}

process.exitCode = main();

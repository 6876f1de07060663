/**
 * Fuzzing the engine (fast-check, fixed seed, bounded runs; `npm run fuzz -- --runs N`
 * runs more): lint never throws, returns within a time bound proportional to the size,
 * and every finding's span, related span and fix edit lies inside the text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { corpusFiles, CI_SEED, checkLint, exampleFiles } from './support';
import type { Sample } from './support';
import { composeArb, devcontainerArb, dockerfileArb, kubernetesArb, mutatedArb, randomInputArb } from './arbitraries';
import { mergeGraphArb } from './hostile-inputs';

/** How many cases CI runs per property (the report in the README quotes these). */
export const CI_RUNS = { mutated: 250, random: 400, generated: 100, mergeGraphs: 150 } as const;

/** Mutation seeds: small and medium corpus files (large ones are linted whole elsewhere), else the examples. */
function seeds(): Sample[] {
  const corpus = corpusFiles(32 * 1024);
  return corpus.length > 0 ? corpus : exampleFiles();
}

const params = (numRuns: number) => ({ seed: CI_SEED, numRuns, endOnFailure: true });

describe('fuzz: lint never throws, stays within its time bound, keeps every span inside the text', () => {
  it(`mutated corpus files (${CI_RUNS.mutated} cases: byte flips, truncation, indentation, anchors/aliases/merges, huge scalars, deep nesting, CRLF/CR/BOM/NUL, directives)`, () => {
    const s = seeds();
    assert.ok(s.length > 0, 'no seed files');
    fc.assert(fc.property(mutatedArb(s), (sample) => void checkLint(sample)), params(CI_RUNS.mutated));
  });

  it(`random strings and bytes as every kind of file (${CI_RUNS.random} cases)`, () => {
    fc.assert(fc.property(randomInputArb, (sample) => void checkLint(sample)), params(CI_RUNS.random));
  });

  for (const [name, arb] of [
    ['Compose', composeArb],
    ['Kubernetes', kubernetesArb],
    ['Dockerfile', dockerfileArb],
    ['devcontainer.json', devcontainerArb],
  ] as const) {
    it(`generated valid ${name} files parse and lint cleanly (${CI_RUNS.generated} cases)`, () => {
      fc.assert(
        fc.property(arb, (sample) => {
          const findings = checkLint(sample);
          const broken = findings.filter((f) => f.ruleId === 'parse-error' || f.ruleId === 'skipped');
          assert.deepEqual(broken.map((f) => f.message), [], `the generator made a file the engine rejects:\n${sample.text}`);
        }),
        params(CI_RUNS.generated),
      );
    });
  }

  it(`nested merge keys, aliases and extends chains, cycles included (${CI_RUNS.mergeGraphs} cases)`, () => {
    fc.assert(fc.property(mergeGraphArb, (sample) => void checkLint(sample)), params(CI_RUNS.mergeGraphs));
  });

  it('every corpus file, whole (the big manifests included)', () => {
    const all = corpusFiles();
    for (const sample of all) checkLint(sample);
  });
});

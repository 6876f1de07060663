/**
 * Fix invariants over the whole corpus and over generated valid files: for every finding
 * and each of its fixes, the fixed text parses with no new parse error, the finding is
 * gone, nothing outside the edits changed, every comment, the line endings and the
 * indentation style are kept; and fixAll twice equals fixAll once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CI_SEED, checkFixInvariants, checkLint, corpusFiles } from './support';
import { composeArb, devcontainerArb, dockerfileArb, kubernetesArb } from './arbitraries';

export const CI_FIX_RUNS = 75;

describe('fix invariants', () => {
  const corpus = corpusFiles();
  it(`every fix of every finding in the corpus (${corpus.length} files)`, (t) => {
    if (corpus.length === 0) {
      t.skip('../shared/corpus is not there (set CPL_CORPUS)');
      return;
    }
    const failures: string[] = [];
    let fixes = 0;
    for (const sample of corpus) {
      try {
        fixes += checkFixInvariants(sample, checkLint(sample)).fixes;
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    assert.deepEqual(failures, [], `${failures.length} corpus files break a fix invariant`);
    assert.ok(fixes > 100, `only ${fixes} fixes checked: is the corpus complete?`);
  });

  for (const [name, arb] of [
    ['Compose', composeArb],
    ['Kubernetes', kubernetesArb],
    ['Dockerfile', dockerfileArb],
    ['devcontainer.json', devcontainerArb],
  ] as const) {
    it(`every fix of every finding in generated ${name} files (${CI_FIX_RUNS} cases)`, () => {
      fc.assert(
        fc.property(arb, (sample) => {
          checkFixInvariants(sample, checkLint(sample));
        }),
        { seed: CI_SEED, numRuns: CI_FIX_RUNS, endOnFailure: true },
      );
    });
  }
});

/**
 * Linear analysis (#17): for each input shape of the table, doubling the input at most
 * roughly doubles the time. Ratios, not absolute timings: each shape is timed at n and at 4n (two
 * doublings), each as the best of a few runs, and the time may grow at most 8× (2.8× per doubling:
 * room for garbage collection and a busy machine, where 2n alone measured up to 3.3×), while a
 * quadratic step grows 16× and an exponential one (2^levels) far more.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { parseConfigFile } from '../../server/src/engine/config-file';
import { hostile } from './hostile-inputs';

const RATIO = 8;

function best(run: () => void, times = 3): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Times the shape at n and 4n (after a warm-up at n) and checks the ratio. */
function checkDoubling(name: string, n: number, run: (n: number) => void, t: { diagnostic(message: string): void }): void {
  run(n);
  const small = best(() => run(n));
  const large = best(() => run(4 * n));
  const ratio = large / Math.max(small, 1);
  t.diagnostic(`${name}: n=${n} ${small.toFixed(0)} ms, 4n ${large.toFixed(0)} ms, ratio ${ratio.toFixed(2)}`);
  assert.ok(ratio <= RATIO, `${name}: quadrupling the input multiplied the time by ${ratio.toFixed(2)} (${small.toFixed(0)} → ${large.toFixed(0)} ms)`);
}

describe('time grows linearly with each hostile input shape', () => {
  it('merge-key chains, each level merging the one below twice (was 2^levels)', (t) => {
    // Levels are capped (64); the chain is doubled in width instead: k independent chains.
    const chains = (k: number) => Array.from({ length: k }, (_, j) => hostile.mergeChain(30).replaceAll('&a', `&c${j}a`).replaceAll('*a', `*c${j}a`).replaceAll('x-a', `x-c${j}a`).replace('services:\n  web:', `services:\n  web${j}:`)).join('---\n');
    checkDoubling('merge chains', 30, (k) => void lint(chains(k), { path: 'compose.yaml' }), t);
  });

  it('services each merging the same anchor (was quadratic)', (t) => {
    checkDoubling('merge fan-out', 1000, (n) => void lint(hostile.mergeFanOut(n), { path: 'compose.yaml' }), t);
  });

  it('Dockerfile stages (was quadratic)', (t) => {
    checkDoubling('stages', 16000, (n) => void lint(hostile.stages(n), { path: 'Dockerfile' }), t);
  });

  it('Compose extends chains (was quadratic)', (t) => {
    checkDoubling('extends chain', 1000, (n) => void lint(hostile.extendsChain(n), { path: 'compose.yaml' }), t);
  });

  it('config files with unknown rule ids (was quadratic)', (t) => {
    checkDoubling('config validation', 4000, (n) => void parseConfigFile(hostile.unknownRuleIds(n), '.container-privilege-lint.yaml'), t);
  });

  it('multi-document manifests of pods (below the 2,000-document limit per file)', (t) => {
    checkDoubling('pods', 400, (n) => void lint(hostile.pods(n), { path: 'k8s/pods.yaml' }), t);
  });
});

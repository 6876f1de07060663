/**
 * Every failure the fuzzers found, kept as a case (test/robustness/regressions/*.json,
 * written by `npm run fuzz` or by hand): the property that failed must now hold. Large
 * cases (the time-bound ones) run in a worker that is stopped at the time bound, so a
 * case that is still slow fails in seconds instead of holding the suite up.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { RegressionCase } from './support';
import { checkFixInvariants, checkLint, loadRegressions, timeBudgetMs } from './support';

const IN_WORKER_FROM = 20_000;
/** Loading the engine in a fresh worker, on top of the case's own time bound. */
const WORKER_START_MS = 1500;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const S = require(workerData.support);
const c = S.loadRegressions().find((x) => x.file === workerData.file);
try {
  const findings = S.checkLint(c);
  if (c.property === 'fix') S.checkFixInvariants(c, findings);
  parentPort.postMessage({ ok: true });
} catch (e) {
  parentPort.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
`;

function inWorker(c: RegressionCase & { file: string }): Promise<void> {
  const limit = timeBudgetMs(c.text) + WORKER_START_MS;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { support: join(__dirname, 'support.js'), file: c.file } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new assert.AssertionError({ message: `lint did not finish within ${(limit / 1000).toFixed(1)} s (the time bound ${(timeBudgetMs(c.text) / 1000).toFixed(1)} s plus worker start) on ${c.path} (${c.text.length} chars)` }));
    }, limit);
    worker.once('message', (m: { ok: boolean; message?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.ok) resolve();
      else reject(new assert.AssertionError({ message: m.message ?? 'failed' }));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('regression cases', () => {
  const cases = loadRegressions();
  it('are there', () => assert.ok(cases.length > 0));
  for (const c of cases) {
    it(`${c.file}${c.open ? ' [open]' : ''}: ${c.note}`, async () => {
      if (c.text.length >= IN_WORKER_FROM) return inWorker(c);
      const findings = checkLint(c);
      if (c.property === 'fix') checkFixInvariants(c, findings);
    });
  }
});

/**
 * The cache's string table through LintCache itself: strings of replaced reports are dropped
 * when the table is rebuilt, so a cache re-linted run after run stays bounded, and what comes
 * back is what was stored.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { LintCache } from '../../server/src/cli/cache';
import type { FileReport } from '../../server/src/cli/report';

const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-cache-table-'));
after(() => rmSync(root, { recursive: true, force: true }));

function report(filePath: string, message: string): FileReport {
  return {
    filePath,
    kind: 'compose',
    findings: [{ finding: { ruleId: 'no-root-user', severity: 'warning', message, span: { start: 0, end: 1 }, fixes: [] }, region: { line: 1, column: 1, endLine: 1, endColumn: 2 }, related: [] }],
    tiers: [],
  };
}

describe('LintCache string table', () => {
  it('a report stored and saved comes back equal, through a new LintCache', () => {
    const file = path.join(root, 'one.yaml');
    writeFileSync(file, 'x');
    const cacheFile = path.join(root, 'cache-one');
    const warnings: string[] = [];
    const first = LintCache.open(cacheFile, 'test', (m) => warnings.push(m));
    const state = { content: 'c', size: 1, mtimeMs: 0, readAt: 10_000 };
    const deps: [string, string | null][] = [[path.join(root, 'compose.override.yaml'), null], [path.join(root, 'sub', 'Dockerfile'), 'h']];
    const stored = report(file, '^ a message that starts with a caret, long enough to be in the table');
    first.store(file, 'config-key', state, deps, stored);
    first.save((m) => warnings.push(m));
    const seen: string[] = [];
    const hit = LintCache.open(cacheFile, 'test', (m) => warnings.push(m)).lookupByStat(file, 'config-key', { size: 1, mtimeMs: 0 }, (d) => (seen.push(d), d.endsWith('Dockerfile') ? 'h' : null));
    assert.deepEqual(hit, stored);
    assert.deepEqual(seen, deps.map(([d]) => d));
    assert.deepEqual(warnings, []);
  });

  it('strings of replaced reports do not pile up: 600 runs that each change one report keep the table small', () => {
    const file = path.join(root, 'churn.yaml');
    writeFileSync(file, 'x');
    const cacheFile = path.join(root, 'cache-churn');
    const state = { content: 'c', size: 1, mtimeMs: 0, readAt: 10_000 };
    let largest = 0;
    for (let run = 0; run < 600; run++) {
      const cache = LintCache.open(cacheFile, 'test', (m) => assert.fail(m));
      cache.store(file, 'config-key', state, [], report(file, `message number ${run} of a report that changes every run`));
      cache.save((m) => assert.fail(m));
      largest = Math.max(largest, (JSON.parse(readFileSync(cacheFile, 'utf8')) as { strings: string[] }).strings.length);
    }
    // Without the rebuild, 600 messages would be in it.
    assert.ok(largest < 300, `the table reached ${largest} strings`);
    const last = LintCache.open(cacheFile, 'test', (m) => assert.fail(m)).lookupByStat(file, 'config-key', { size: 1, mtimeMs: 0 }, () => null);
    assert.equal(last?.findings[0].finding.message, 'message number 599 of a report that changes every run');
  });
});

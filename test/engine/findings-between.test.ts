/**
 * findingsBetween (#16): the findings of the flat list that meet a range, read from the documents
 * the range touches only. Compared with the flat list itself, fixes included.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findingsBetween, lint } from '../../server/src/engine';
import type { Finding, LintResult } from '../../server/src/engine';

const pod = (i: number, extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: c\n    image: nginx\n${extra}`;
const EXTRAS = ['    securityContext: {privileged: true}\n', '', '    securityContext:\n      capabilities: {add: [SYS_ADMIN]}\n'];
// A ConfigMap between pods (a document without findings), and a parse error in one document.
const TEXT = [...Array.from({ length: 12 }, (_, i) => pod(i, EXTRAS[i % 3])), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\n', pod(12, '    securityContext: {privileged: true\n')].join('---\n');

const shape = (f: Finding) => JSON.stringify({ ...f, fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits })) });

function expected(result: LintResult, start: number, end: number): string[] {
  return result.findings.filter((f) => f.span.start <= end && f.span.end >= start).map(shape);
}

describe('findingsBetween', () => {
  const result = lint(TEXT, { path: '/w/k8s/pods.yaml' });

  it('reads a file of several documents in parts (so the test runs the parts path)', () => {
    assert.ok(result.documents && result.documents.length > 10, 'documents');
    assert.ok(result.findings.length > 20, `${result.findings.length} findings`);
  });

  it('gives what the flat list gives, for ranges across the whole file', () => {
    const step = 37;
    for (let start = 0; start <= TEXT.length; start += step) {
      for (const width of [0, 1, 5, 80, 400, TEXT.length]) {
        const end = Math.min(TEXT.length, start + width);
        assert.deepEqual(findingsBetween(result, start, end, TEXT.length).map(shape), expected(result, start, end), `[${start}, ${end}]`);
      }
    }
  });

  it('gives the findings at a span exactly, its ends included', () => {
    for (const f of result.findings) {
      const got = findingsBetween(result, f.span.start, f.span.start, TEXT.length).map(shape);
      assert.ok(got.includes(shape(f)), `${f.ruleId} at ${f.span.start}`);
    }
  });

  it('reads a file of one document from its findings', () => {
    const one = lint(pod(0, EXTRAS[0]), { path: '/w/k8s/pod.yaml' });
    assert.deepEqual(findingsBetween(one, 0, 10_000, 10_000).map(shape), one.findings.map(shape));
    assert.deepEqual(findingsBetween(one, 5_000, 6_000, 10_000), []);
  });
});

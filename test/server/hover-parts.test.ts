/**
 * Hover on a YAML file read in parts (LintResult.documents) reads only the documents under the
 * cursor: it must say what it says from the flat, whole-file lists of findings and tiers.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import type { LintResult } from '../../server/src/engine';
import type { Analysis } from '../../server/src/lsp/analysis';
import { hover } from '../../server/src/lsp/hover';
import { LineDocument } from '../../server/src/lsp/line-document';

const pod = (name: string, user: number) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: ${name}-c\n    image: nginx\n    securityContext:\n      privileged: true\n      runAsUser: ${user}\n`;

function analysisOf(text: string, result: LintResult): Analysis {
  return { uri: 'file:///k.yaml', version: 1, document: LineDocument.create('file:///k.yaml', 'yaml', 1, text), result, active: true } as unknown as Analysis;
}

describe('hover on a file read in parts', () => {
  it('gives, on every line of a later document, what the flat findings and tiers give', () => {
    const text = ['# lead', pod('a', 0), pod('b', 1000), pod('c', 0)].join('\n---\n');
    const parts = lint(text, { path: '/w/k.yaml' });
    assert.ok(parts.documents && parts.documents.length >= 3, 'read in parts');
    // The same result seen as flat lists only.
    const flat = { kind: parts.kind, findings: parts.findings, tiers: parts.tiers, parsed: parts.parsed } as LintResult;
    const lines = text.split('\n');
    let tierHovers = 0;
    lines.forEach((line, n) => {
      for (const character of [2, 4, 8, line.length]) {
        const position = { line: n, character };
        const got = hover(analysisOf(text, parts), position);
        assert.deepEqual(got, hover(analysisOf(text, flat), position), `hover at ${n}:${character}`);
        if (got && JSON.stringify(got).includes('Defence in depth')) tierHovers++;
      }
    });
    assert.ok(tierHovers >= 3, `the tier shows on each pod's container (${tierHovers} hovers)`);
  });
});

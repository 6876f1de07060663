/**
 * Every message of every rule stays one sentence of at most MESSAGE_MAX_LENGTH characters, on
 * real files: the examples shipped here, the RuleTester cases (held by the tester itself) and
 * the shared corpus (../shared/corpus or $CORPUS_DIR), under every profile. The why and the how
 * go to the detail, which every rule finding has.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint, rules } from '../../server/src/engine';
import { PROFILES } from '../../server/src/engine/pss';
import { MESSAGE_MAX_LENGTH } from '../../server/src/engine/rule';
import { checkMessageShape } from '../rule-tester';
import { corpusFiles, exampleFiles } from '../robustness/support';
import type { Sample } from '../robustness/support';

/** Every finding of every file under every profile that breaks the message shape, as `path (profile): why`. */
function shapeFailures(samples: Sample[]): { failures: string[]; findings: number; longest: number } {
  const failures: string[] = [];
  let findings = 0;
  let longest = 0;
  for (const sample of samples) {
    for (const profile of PROFILES) {
      for (const f of lint(sample.text, { path: sample.path, config: { profile } }).findings) {
        findings++;
        longest = Math.max(longest, f.message.length);
        try {
          checkMessageShape(f);
        } catch (e) {
          failures.push(`${sample.path} (${profile}): ${(e as Error).message}`);
        }
      }
    }
  }
  return { failures, findings, longest };
}

describe('message length and shape', () => {
  it('every message template has a detail template, and no template is a paragraph', () => {
    for (const rule of rules) {
      for (const [id, template] of Object.entries(rule.meta.messages) as [string, string][]) {
        assert.ok((rule.meta.details as Record<string, string>)[id], `${rule.id}.${id} has no detail`);
        // Placeholders expand, so the template itself must leave room: well under the limit.
        assert.ok(template.replace(/\{\{\s*\w+\s*\}\}/g, '').length <= MESSAGE_MAX_LENGTH - 30, `${rule.id}.${id} is too long a template: ${template}`);
        assert.ok(!/[.!?]\s+[A-Z]/.test(template), `${rule.id}.${id} has more than one sentence: ${template}`);
      }
    }
  });

  it('the examples, under every profile', () => {
    const samples = exampleFiles();
    assert.ok(samples.length > 0, 'examples/ is part of the repository');
    const { failures, findings } = shapeFailures(samples);
    assert.ok(findings > 0, 'the examples have findings to check');
    assert.deepEqual(failures, []);
  });

  it('the shared corpus, under every profile', (t) => {
    const samples = corpusFiles(1024 * 1024);
    if (samples.length === 0) {
      t.skip('../shared/corpus is not there (set CORPUS_DIR)');
      return;
    }
    const { failures, findings, longest } = shapeFailures(samples);
    t.diagnostic(`${samples.length} files, ${findings} findings, longest message ${longest} characters`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} findings break the message shape`);
  });
});

describe('messages made again for the same report (fitMessage keeps them)', () => {
  it('are what a first lint made, each naming its own service, even with control characters in the names', () => {
    const text = ['services:', '  "a\\u0001b":', '    image: x', '    privileged: true', '  a:', '    image: "b\\u0001x"', '    privileged: true', ''].join('\n');
    const first = lint(text, { path: '/p/compose.yaml' }).findings.filter((f) => f.ruleId === 'no-privileged');
    const again = lint(text, { path: '/p/compose.yaml' }).findings.filter((f) => f.ruleId === 'no-privileged');
    assert.deepEqual(first.map((f) => f.message), ['Service "a\u0001b" runs privileged', 'Service "a" runs privileged']);
    assert.deepEqual(again.map((f) => [f.message, f.detail]), first.map((f) => [f.message, f.detail]));
  });
});

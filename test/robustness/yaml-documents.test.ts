/**
 * The YAML adapter parses a stream one document at a time (adapters/yaml.ts parseDocuments).
 * These tests hold it to what parsing the whole stream at once gives: the same documents, the
 * same values, the same node offsets and the same errors, on edge cases of document markers and
 * on every YAML file of the corpus and the examples.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNode, parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import { parseDocuments } from '../../server/src/engine/adapters/yaml';
import { corpusFiles, exampleFiles } from './support';

const OPTIONS = { keepSourceTokens: true, uniqueKeys: false, strict: false, prettyErrors: false } as const;

/** Each document's value, range, errors and every node's range: what the adapters read. */
function shape(docs: readonly Document.Parsed[]): unknown[] {
  return docs.map((doc) => {
    const ranges: unknown[] = [];
    visit(doc, (_key, node) => {
      if (isNode(node)) ranges.push(node.range);
    });
    return { value: doc.toJS({ maxAliasCount: -1 }) as unknown, range: doc.range, errors: doc.errors.map((e) => [e.code, e.pos]), ranges };
  });
}

/** Documents with no content (a comment-only or empty document) hold no workload either way. */
const withContent = (docs: readonly Document.Parsed[]) => docs.filter((d) => d.contents !== null || d.errors.length > 0);

function assertSameAsWhole(text: string, what: string): void {
  const whole = parseAllDocuments(text, OPTIONS);
  const expected = Array.isArray(whole) ? whole : [];
  const { docs, skipped } = parseDocuments(text);
  assert.equal(skipped, 0, `${what}: nothing skipped`);
  assert.deepEqual(shape(withContent(docs)), shape(withContent(expected)), what);
}

describe('per-document YAML parsing gives what parsing the whole stream gives', () => {
  const cases: [string, string][] = [
    ['one document', 'services:\n  a:\n    image: x\n'],
    ['three documents', 'a: 1\n---\nb: 2\n---\nc: [1, 2]\n'],
    ['a leading marker and comments between', '# head\n---\na: 1 # c\n# between\n---\n# lead\nb: 2\n'],
    ['document end markers', 'a: 1\n...\n---\nb: 2\n...\n'],
    ['CRLF and a BOM', '\uFEFFa: 1\r\n---\r\nb: &x {c: 3}\r\nd: *x\r\n'],
    ['a root block scalar cut by a marker', '--- |\n  text\n---\nb: 2\n'],
    ['a broken document between two good ones', 'a: 1\n---\nb: [\n---\nc: 3\n'],
    ['markers with trailing content', '--- # comment\na: 1\n--- {b: 2}\n'],
    ['a marker-like key', '---x: 1\n----: 2\n'],
    ['a YAML 1.1 directive (parsed whole)', '%YAML 1.1\n---\na: yes\n---\nb: no\n'],
    ['a directive after an end marker (parsed whole)', 'a: 1\n...\n%TAG !e! tag:example.com,2000:\n---\nb: !e!x 2\n'],
    ['empty documents', '---\n---\n---\na: 1\n'],
    ['nothing', ''],
  ];
  for (const [name, text] of cases) it(name, () => assertSameAsWhole(text, name));

  it('every YAML file of the corpus and the examples', () => {
    let files = 0;
    for (const sample of [...exampleFiles(), ...corpusFiles()]) {
      if (!/\.ya?ml$/i.test(sample.path)) continue;
      // Inert documents are skipped, not parsed: compare the files that have none.
      if (parseDocuments(sample.text).skipped > 0) continue;
      assertSameAsWhole(sample.text, sample.path);
      files++;
    }
    assert.ok(files > 0);
  });
});

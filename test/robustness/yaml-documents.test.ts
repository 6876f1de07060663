/**
 * The YAML adapter parses a stream one document at a time (adapters/yaml.ts parseDocuments).
 * These tests hold it to what parsing the whole stream at once gives: the same documents, the
 * same values, the same node offsets and the same errors, on edge cases of document markers and
 * on every YAML file of the corpus and the examples; and a re-lint that reuses the previous
 * version's documents gives exactly the findings and fixes of a fresh lint.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNode, parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import fc from 'fast-check';
import { lint } from '../../server/src/engine';
import { parseDocuments } from '../../server/src/engine/adapters/yaml';
import type { Finding } from '../../server/src/engine/model';
import { composeArb, kubernetesArb } from './arbitraries';
import { CI_SEED, corpusFiles, exampleFiles } from './support';

const OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false } as const;

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

/** Findings as plain data, fixes included (they are computed on first read). */
function plain(findings: readonly Finding[]): unknown {
  return findings.map((f) => ({ ...f, fixes: f.fixes.map((x) => ({ ...x })) }));
}

describe('re-linting an edited YAML file with the previous result (LintOptions.previous) gives what a fresh lint gives', () => {
  const edit = (text: string, at: number, remove: number, insert: string) => text.slice(0, at) + insert + text.slice(at + remove);
  /** A chain of edits, each linted with the previous version's result, each compared with a fresh lint. */
  function checkChain(sample: { path: string; text: string }, edits: [number, number, string][]): void {
    let text = sample.text;
    let previous = lint(text, { path: sample.path });
    for (const [where, remove, insert] of edits) {
      const at = text.length === 0 ? 0 : where % (text.length + 1);
      text = edit(text, at, Math.min(remove, text.length - at), insert);
      const fresh = lint(text, { path: sample.path });
      const reused = lint(text, { path: sample.path, previous });
      assert.deepEqual(plain(reused.findings), plain(fresh.findings), `${sample.path} after editing at ${at}`);
      assert.equal(reused.kind, fresh.kind);
      previous = reused;
    }
  }

  it('typing and deleting in every document of a multi-document manifest', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext:\n      privileged: true # why\n`;
    const text = [0, 1, 2, 3].map(doc).join('---\n');
    const edits: [number, number, string][] = [];
    for (let at = 0; at < text.length; at += 7) edits.push([at, 0, 'x'], [at, 1, '']);
    checkChain({ path: 'all.yaml', text }, edits);
  });

  it('edits that merge, split and break documents', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: a, image: x, securityContext: {privileged: true}}\n---\napiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n  containers: [{name: b, image: y}]\n';
    const split = text.indexOf('---');
    checkChain({ path: 'k.yaml', text }, [
      [split, 4, ''], // the marker goes: two documents become one (a duplicate-key document)
      [split, 0, '---\n'], // and comes back
      [10, 0, '['], // the first document breaks
      [10, 1, ''], // and is mended
      [0, 0, 'apiVersion: v1\nkind: ConfigMap\n---\n'], // an inert document appears in front
      [text.length + 40, 0, '---\nkind: Pod\napiVersion: v1\nspec: {containers: [{name: c, securityContext: {privileged: true}}]}\n'],
    ]);
  });

  it('random edits of generated Compose and Kubernetes files and of corpus YAML files', () => {
    const seeds = corpusFiles(200_000).filter((s) => /\.ya?ml$/i.test(s.path));
    const samples = fc.oneof(composeArb, kubernetesArb, ...(seeds.length > 0 ? [fc.constantFrom(...seeds)] : []));
    const edits = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('', 'x', ' ', '\n', '---\n', ': ', '#', '  - a\n', '&a ', '*a')), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(samples, edits, (sample, list) => checkChain(sample, list)), { seed: CI_SEED, numRuns: 150 });
  });
});

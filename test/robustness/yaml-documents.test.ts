/**
 * The YAML adapter parses a stream one document at a time (adapters/yaml.ts parseDocuments).
 * These tests hold it to what parsing the whole stream at once gives: the same documents, the
 * same values, the same node offsets and the same errors, on edge cases of document markers and
 * on every YAML file of the corpus and the examples; and a re-lint that reuses the previous
 * version's documents gives exactly the findings and fixes of a fresh lint.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isNode, parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import fc from 'fast-check';
import { lint } from '../../server/src/engine';
import { parseDocuments } from '../../server/src/engine/adapters/yaml';
import type { Finding } from '../../server/src/engine/model';
import { composeArb, kubernetesArb } from './arbitraries';
import { CI_SEED, corpusFiles, exampleFiles } from './support';

const OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false } as const;

/**
 * Each document's value, range, errors and every node's range, moved by the offset its
 * parse is relative to (`starts[i]`; 0 for a whole-stream parse): what the adapters read.
 */
function shape(docs: readonly Document.Parsed[], starts: readonly number[] = []): unknown[] {
  return docs.map((doc, i) => {
    const by = starts[i] ?? 0;
    const at = (r: readonly number[] | undefined) => r?.map((x) => x + by);
    const ranges: unknown[] = [];
    visit(doc, (_key, node) => {
      if (isNode(node)) ranges.push(at(node.range ?? undefined));
    });
    return { value: doc.toJS({ maxAliasCount: -1 }) as unknown, range: at(doc.range), errors: doc.errors.map((e) => [e.code, at(e.pos)]), ranges };
  });
}

/** Documents with no content (a comment-only or empty document) hold no workload either way. */
const hasContent = (d: Document.Parsed) => d.contents !== null || d.errors.length > 0;

function assertSameAsWhole(text: string, what: string): void {
  const whole = parseAllDocuments(text, OPTIONS);
  const expected = Array.isArray(whole) ? whole : [];
  const { docs, starts, skipped } = parseDocuments(text);
  assert.equal(skipped, 0, `${what}: nothing skipped`);
  const kept = docs.map((d, i) => [d, starts[i]] as const).filter(([d]) => hasContent(d));
  assert.deepEqual(
    shape(
      kept.map(([d]) => d),
      kept.map(([, s]) => s),
    ),
    shape(expected.filter(hasContent)),
    what,
  );
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

  it('a directive line an edit makes (by deleting what stood before a %, or typed) makes the stream one unit', () => {
    // The %TAG applies to the next document only when the stream is parsed whole: split, `!e!` is unresolved (a parse error).
    const text = 'apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a, image: x}]}\n...\n# %TAG !e! tag:example.com,2000:\n---\napiVersion: v1\nkind: Pod\nspec: {hostPID: !e!flag true, containers: [{name: b, image: x}]}\n';
    const at = text.indexOf('# %TAG');
    assert.ok(lint(text, { path: 'k.yaml' }).findings.some((f) => f.ruleId === 'parse-error'), 'the tag is unresolved while the directive is a comment');
    checkChain({ path: 'k.yaml', text }, [
      [at, 2, ''], // `%TAG` now starts its line: the next document's tag resolves
      [at, 0, '# '], // and no longer does
      [at, 0, '%TAG !e! tag:example.com,2000:\n'], // typed above it
    ]);
  });

  it('random edits of generated Compose and Kubernetes files and of corpus YAML files', () => {
    const seeds = corpusFiles(200_000).filter((s) => /\.ya?ml$/i.test(s.path));
    const samples = fc.oneof(composeArb, kubernetesArb, ...(seeds.length > 0 ? [fc.constantFrom(...seeds)] : []));
    const edits = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 12 }), fc.constantFrom('', 'x', ' ', '\n', '---\n', ': ', '#', '  - a\n', '&a ', '*a', '%YAML 1.2\n', '%')), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(samples, edits, (sample, list) => checkChain(sample, list)), { seed: CI_SEED, numRuns: 150 });
  });
});

describe('an edit rebuilds only the documents it reaches (LintOptions.previous)', () => {
  const pod = (name: string, extra = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: a\n    image: nginx${extra}\n    securityContext:\n      privileged: true\n`;
  const units = (r: ReturnType<typeof lint>) => r.parsed?.documents ?? [];

  it('documents before and after the edit keep their model and findings; only the edited one is new', () => {
    const text = [pod('a'), pod('b'), pod('c')].join('---\n');
    const first = lint(text, { path: 'k.yaml' });
    const at = text.indexOf('name: b') + 'name: b'.length;
    const edited = `${text.slice(0, at)}x${text.slice(at)}`;
    const second = lint(edited, { path: 'k.yaml', previous: first });
    const [a1, b1, c1] = units(first);
    const [a2, b2, c2] = units(second);
    assert.equal(a2.workloads, a1.workloads, 'the document above the edit is shared');
    assert.equal(c2.workloads, c1.workloads, 'the document below the edit is shared, only moved');
    assert.equal(c2.start, c1.start + 1);
    assert.notEqual(b2.workloads, b1.workloads, 'the edited document is built again');
    assert.equal(b2.workloads[0].name, 'Pod/bx');
    // The findings of the untouched documents are the very same objects (in their own offsets); the edited one's are new.
    const kept = (r: ReturnType<typeof lint>) => (r.documents ?? []).map((d) => d.findings);
    assert.equal(kept(second).length, 3);
    assert.deepEqual(
      kept(second).map((f, i) => f === kept(first)[i]),
      [true, false, true],
    );
    assert.deepEqual(plain(second.findings), plain(lint(edited, { path: 'k.yaml' }).findings));
  });

  it('identical documents stay distinct: editing one of two duplicates rebuilds that one', () => {
    const text = [pod('same'), pod('same'), pod('same')].join('---\n');
    const first = lint(text, { path: 'k.yaml' });
    const at = text.lastIndexOf('image: nginx') + 'image: nginx'.length;
    const edited = `${text.slice(0, at)}:1${text.slice(at)}`;
    const second = lint(edited, { path: 'k.yaml', previous: first });
    assert.deepEqual(
      units(second).map((d, i) => d.workloads === units(first)[i].workloads),
      [true, true, false],
    );
    assert.deepEqual(plain(second.findings), plain(lint(edited, { path: 'k.yaml' }).findings));
    // Undo: the text is the first version's again, and so are the findings.
    const back = lint(text, { path: 'k.yaml', previous: second });
    assert.deepEqual(plain(back.findings), plain(first.findings));
  });

  it('a configuration change between versions re-runs the rules of shared documents', () => {
    const text = [pod('a'), pod('b')].join('---\n');
    const first = lint(text, { path: 'k.yaml' });
    const off = { rules: { 'no-privileged': 'off' as const } };
    const second = lint(text, { path: 'k.yaml', previous: first, config: off });
    assert.deepEqual(plain(second.findings), plain(lint(text, { path: 'k.yaml', config: off }).findings));
    assert.ok(!second.findings.some((f) => f.ruleId === 'no-privileged'));
    const third = lint(text, { path: 'k.yaml', previous: second });
    assert.deepEqual(plain(third.findings), plain(first.findings));
  });

  it('fixes of a moved document are moved with it, and tiers too', () => {
    const text = [pod('a'), pod('b')].join('---\n');
    const first = lint(text, { path: 'k.yaml' });
    const edited = `# a comment above everything\n${text}`;
    const second = lint(edited, { path: 'k.yaml', previous: first });
    const fresh = lint(edited, { path: 'k.yaml' });
    assert.deepEqual(plain(second.findings), plain(fresh.findings));
    assert.deepEqual(second.tiers, fresh.tiers);
    for (const f of second.findings) for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.start >= 0 && e.end <= edited.length);
  });

  it('a suppression comment in one document still applies file-wide, and its removal is seen', () => {
    const text = [pod('a'), pod('b')].join('---\n');
    const first = lint(text, { path: 'k.yaml' });
    const suppressed = `${text}---\n# container-privilege-lint-disable no-privileged\n`;
    const second = lint(suppressed, { path: 'k.yaml', previous: first });
    assert.deepEqual(plain(second.findings), plain(lint(suppressed, { path: 'k.yaml' }).findings));
    assert.ok(!second.findings.some((f) => f.ruleId === 'no-privileged'));
    const third = lint(text, { path: 'k.yaml', previous: second });
    assert.deepEqual(plain(third.findings), plain(first.findings));
  });
});

describe('a re-lint does not keep the version it reused from alive', () => {
  it('the previous result (and its text) can be collected once the caller drops it, while nothing has read its findings', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext:\n      privileged: true\n`;
    let text = [0, 1, 2, 3].map(pod).join('---\n');
    // An editor keeps only the newest result, and reads no findings of a file read in parts.
    let current = lint(text, { path: 'k.yaml' });
    assert.ok(current.documents, 'read in parts');
    const versions: WeakRef<object>[] = [];
    for (let i = 0; i < 5; i++) {
      versions.push(new WeakRef(current));
      const at = text.indexOf(`name: p${i % 4}`) + 7;
      text = `${text.slice(0, at)}x${text.slice(at)}`;
      current = lint(text, { path: 'k.yaml', previous: current });
    }
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.deepEqual(
      versions.map((v) => v.deref() === undefined),
      versions.map(() => true),
      'every earlier version was collected',
    );
    assert.deepEqual(plain(current.findings), plain(lint(text, { path: 'k.yaml' }).findings));
  });
});

describe('the flat findings of a result read in parts (#17)', () => {
  const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext:\n      privileged: true\n`;

  it('are one list while their reader holds it, and are let go of with it (the result keeps the parts only)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const text = [0, 1, 2, 3].map(pod).join('---\n');
    const result = lint(text, { path: 'k.yaml' });
    assert.ok(result.documents, 'read in parts');
    let list: Finding[] | undefined = result.findings;
    assert.equal(result.findings, list, 'the same list for every read while it is held');
    const expected = plain(list);
    const held = new WeakRef(list);
    list = undefined;
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(held.deref(), undefined, 'the result did not keep the list');
    assert.deepEqual(plain(result.findings), expected, 'made again alike');
  });

  it('show `fixes` and their own properties to spreads and JSON, never the slot their lazy fixes sit in', () => {
    const text = [0, 1].map(pod).join('---\n');
    const findings = lint(text, { path: 'k.yaml' }).findings;
    assert.ok(findings.some((f) => f.span.start > text.indexOf('---')), 'findings of the second document (copies moved to where it sits)');
    for (const f of findings) {
      const copy = { ...f };
      assert.deepEqual(Object.getOwnPropertySymbols(copy), [], `${f.ruleId}: no symbol slot in a spread`);
      assert.deepEqual(Object.keys(copy).sort(), ['detail', 'fixes', 'message', 'related', 'ruleId', 'severity', 'span'].filter((k) => k in f).sort());
      assert.deepEqual(JSON.parse(JSON.stringify(f)).fixes, JSON.parse(JSON.stringify(f.fixes)));
    }
  });
});

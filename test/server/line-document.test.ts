/**
 * LineDocument (server/src/lsp/line-document.ts) keeps its line starts through incremental
 * changes: after every change it answers positionAt, offsetAt, lineCount and getText as a
 * TextDocument built from the whole new text does, and earlier versions stay as they were.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LARGE_TEXT, LineDocument } from '../../server/src/lsp/line-document';
import { CI_SEED } from '../robustness/support';

function sameAnswers(doc: LineDocument, text: string): void {
  const ref = TextDocument.create('file:///x', 'yaml', 1, text);
  assert.equal(doc.getText(), text);
  assert.equal(doc.lineCount, ref.lineCount);
  for (let o = 0; o <= text.length + 1; o++) assert.deepEqual(doc.positionAt(o), ref.positionAt(o), `positionAt(${o}) of ${JSON.stringify(text)}`);
  for (let line = -1; line <= ref.lineCount; line++) {
    for (let character = -1; character <= 6; character++) {
      const p = { line, character };
      assert.equal(doc.offsetAt(p), ref.offsetAt(p), `offsetAt(${line}:${character}) of ${JSON.stringify(text)}`);
    }
  }
}

describe('LineDocument follows incremental changes', () => {
  it('answers like a TextDocument of the whole text after random changes (LF, CRLF, CR)', () => {
    const piece = fc.constantFrom('a', 'bc', '\n', '\r\n', '\r', 'x\ny', '', '---\n', '  - k: v\n');
    const change = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.array(piece, { maxLength: 3 }).map((p) => p.join('')));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), fc.array(change, { minLength: 1, maxLength: 6 }), (start, changes) => {
        let text = start;
        let doc = LineDocument.create('file:///x', 'yaml', 1, text);
        let version = 1;
        for (const [at, remove, insert] of changes) {
          const before = doc;
          const ref = TextDocument.create('file:///x', 'yaml', version, text);
          const s = at % (text.length + 1);
          const e = Math.min(text.length, s + remove);
          const range = { start: ref.positionAt(s), end: ref.positionAt(e) };
          // The offsets the reference resolves the range to (positions inside a \r\n pair move to its start).
          const rs = ref.offsetAt(range.start);
          const re = ref.offsetAt(range.end);
          text = text.slice(0, rs) + insert + text.slice(re);
          doc = LineDocument.update(doc, [{ range, text: insert }], ++version);
          sameAnswers(doc, text);
          assert.notEqual(doc, before);
          assert.equal(before.version, version - 1, 'the earlier version is unchanged');
        }
      }),
      { seed: CI_SEED, numRuns: 300 },
    );
  });

  it('answers the same for a large text, kept as bytes (Latin-1, then UTF-16 once a change writes wider characters)', () => {
    // Past LARGE_TEXT the text is made from bytes: its answers must not change, nor an earlier version's text.
    const pad = '# padding line\n'.repeat(Math.ceil(LARGE_TEXT / 15) + 10);
    const piece = fc.constantFrom('a', 'é', '\n', '\r\n', '\r', 'x\ny', '', 'ü\n', '€', '😀', '  - k: v\n');
    const change = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.array(piece, { maxLength: 3 }).map((p) => p.join('')));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), fc.array(change, { minLength: 1, maxLength: 6 }), fc.boolean(), (tail, changes, atStart) => {
        let text = atStart ? tail + pad : pad + tail;
        let doc = LineDocument.create('file:///x', 'yaml', 1, text);
        let version = 1;
        for (const [at, remove, insert] of changes) {
          const before = doc;
          const beforeText = text;
          const ref = TextDocument.create('file:///x', 'yaml', version, text);
          // Near the small part, where the lines differ.
          const s = atStart ? at % (tail.length + 1) : text.length - (at % (tail.length + 1));
          const e = Math.min(text.length, s + remove);
          const range = { start: ref.positionAt(s), end: ref.positionAt(e) };
          const rs = ref.offsetAt(range.start);
          const re = ref.offsetAt(range.end);
          text = text.slice(0, rs) + insert + text.slice(re);
          doc = LineDocument.update(doc, [{ range, text: insert }], ++version);
          const now = TextDocument.create('file:///x', 'yaml', version, text);
          assert.equal(doc.getText(), text);
          assert.equal(doc.lineCount, now.lineCount);
          const near = atStart ? [0, tail.length + insert.length + 2] : [text.length - tail.length - insert.length - 2, text.length + 1];
          for (let o = Math.max(0, near[0]); o <= near[1]; o++) assert.deepEqual(doc.positionAt(o), now.positionAt(o), `positionAt(${o})`);
          for (const o of [LARGE_TEXT >> 1, LARGE_TEXT]) assert.deepEqual(doc.positionAt(o), now.positionAt(o));
          for (let line = Math.max(0, now.lineCount - 6); line <= now.lineCount; line++) assert.equal(doc.offsetAt({ line, character: 3 }), now.offsetAt({ line, character: 3 }));
          assert.equal(before.getText(), beforeText, 'the earlier version is unchanged');
        }
      }),
      { seed: CI_SEED, numRuns: 100 },
    );
  });

  it('edits a large text in place for the newest version only: an older version updated again keeps its own text', () => {
    // The bytes are one buffer edited in place: a version updated after a newer one was made from it
    // (two branches from one version) must start from its own text, and earlier texts never change.
    const pad = 'k: v\n'.repeat(Math.ceil(LARGE_TEXT / 5) + 10);
    const at = (line: number, character: number) => ({ line, character });
    const v1 = LineDocument.create('file:///x', 'yaml', 1, pad);
    const v2 = LineDocument.update(v1, [{ range: { start: at(3, 4), end: at(3, 4) }, text: 'AAA' }], 2);
    const v3 = LineDocument.update(v2, [{ range: { start: at(0, 0), end: at(1, 0) }, text: '' }], 3);
    const branch = LineDocument.update(v2, [{ range: { start: at(5, 3), end: at(5, 4) }, text: 'BB\n' }], 4);
    const fromV1 = LineDocument.update(v1, [{ range: { start: at(2, 0), end: at(2, 0) }, text: 'é' }], 5);
    const lines = pad.split('\n');
    const expect = (edit: (l: string[]) => void) => {
      const l = [...lines];
      edit(l);
      return l.join('\n');
    };
    const t2 = expect((l) => (l[3] = 'k: vAAA'));
    assert.equal(v1.getText(), pad);
    assert.equal(v2.getText(), t2);
    assert.equal(v3.getText(), t2.slice(5));
    assert.equal(branch.getText(), expect((l) => ((l[3] = 'k: vAAA'), (l[5] = 'k: BB\n'))));
    assert.equal(fromV1.getText(), expect((l) => (l[2] = 'ék: v')));
    // Growing past the room left after the text: a larger buffer, the same answers.
    let doc = v3;
    let text = v3.getText();
    const chunk = 'x'.repeat(40_000);
    for (let i = 0; i < 6; i++) {
      doc = LineDocument.update(doc, [{ range: { start: at(i, 0), end: at(i, 0) }, text: `${chunk}\n` }], 10 + i);
      const lineStart = text.split('\n').slice(0, i).join('\n').length + (i > 0 ? 1 : 0);
      text = text.slice(0, lineStart) + `${chunk}\n` + text.slice(lineStart);
      assert.equal(doc.getText(), text);
      assert.equal(doc.lineCount, text.split('\n').length);
    }
    assert.equal(v3.getText(), t2.slice(5));
  });

  it('takes several changes in one notification, and a whole-text change', () => {
    let doc = LineDocument.create('file:///x', 'yaml', 1, 'a: 1\nb: 2\n');
    doc = LineDocument.update(doc, [{ range: { start: { line: 1, character: 3 }, end: { line: 1, character: 4 } }, text: '20\nc: 3' }, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# x\n' }], 2);
    sameAnswers(doc, '# x\na: 1\nb: 20\nc: 3\n');
    doc = LineDocument.update(doc, [{ text: 'new\r\ntext' }], 3);
    sameAnswers(doc, 'new\r\ntext');
    assert.deepEqual(doc.getLineRange(0), { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
    assert.equal(doc.getEOLCharacters(0), '\r\n');
  });
});

/**
 * The stdio encoder (server/src/lsp/message-encoder.ts): every message, written from kept part
 * bytes or not, is the bytes vscode-jsonrpc's own encoder makes; a part kept from one publish to
 * the next is not made into JSON again, and a part that changed is.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver/node';
import { PassThrough } from 'node:stream';
import { StreamMessageWriter } from 'vscode-languageserver/node';
import type { Message } from 'vscode-languageserver/node';
import { StdioMessageWriter, encodeMessage, registerParts } from '../../server/src/lsp/message-encoder';

const diag = (line: number, message: string, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  range: { start: { line, character: 2 }, end: { line, character: 9 } },
  severity: 2,
  source: 'container-privilege-lint',
  code: 'no-privileged',
  message,
  ...extra,
});

const publish = (uri: string, version: number, diagnostics: Diagnostic[]) => ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics } });

const reference = (msg: unknown) => Buffer.from(JSON.stringify(msg, undefined, 0), 'utf-8');

/** A diagnostic that counts how often it is made into JSON. */
function counted(line: number, counter: { n: number }): Diagnostic {
  const d = diag(line, `counted ${line}`);
  return Object.assign(d, {
    toJSON() {
      counter.n++;
      const { toJSON: _omit, ...rest } = this as Diagnostic & { toJSON?: unknown };
      return rest;
    },
  });
}

describe('message encoder', () => {
  it('writes a publish made of parts as the same bytes as JSON.stringify', () => {
    const parts = [[diag(1, 'privileged: true turns off every isolation'), diag(3, 'ünïcödé → “quotes” and \\ backslash\n"line"')], [], [diag(10, 'émoji 🐳 in a message', { tags: [1], relatedInformation: undefined })], [diag(20, 'last')]];
    const flat = registerParts(parts.flat(), parts);
    const msg = publish('file:///w/%C3%A9/compose.yaml', 7, flat);
    assert.deepEqual(encodeMessage(msg as never), reference(msg));
  });

  it('writes other messages, and publishes not made of parts, as JSON.stringify does', () => {
    const plain = publish('file:///w/a.yaml', 1, [diag(0, 'alone')]);
    assert.deepEqual(encodeMessage(plain as never), reference(plain));
    const response = { jsonrpc: '2.0', id: 3, result: { contents: { kind: 'markdown', value: 'hover “text”' } } };
    assert.deepEqual(encodeMessage(response as never), reference(response));
    // Diagnostics that are not the params' last key: written the ordinary way, bytes unchanged.
    const parts = [[diag(1, 'a')], [diag(2, 'b')]];
    const flat = registerParts(parts.flat(), parts);
    const reordered = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { diagnostics: flat, uri: 'file:///w/b.yaml', version: 2 } };
    assert.deepEqual(encodeMessage(reordered as never), reference(reordered));
    // Another charset than UTF-8: the ordinary way.
    const latin = publish('file:///w/c.yaml', 3, flat);
    assert.deepEqual(encodeMessage(latin as never, 'latin1'), Buffer.from(JSON.stringify(latin), 'latin1'));
  });

  it('makes a kept part into JSON once, and a changed part again', () => {
    const counter = { n: 0 };
    const kept = [counted(1, counter), counted(2, counter)];
    const first = [kept, [diag(5, 'edited: before')]];
    const msg1 = publish('file:///w/m.yaml', 1, registerParts(first.flat(), first));
    assert.deepEqual(encodeMessage(msg1 as never), reference(msg1));
    const afterFirst = counter.n;
    // reference() above stringified the kept part too: count only what the encoder does from here.
    const second = [kept, [diag(5, 'edited: after')]];
    const msg2 = publish('file:///w/m.yaml', 2, registerParts(second.flat(), second));
    counter.n = 0;
    const bytes = encodeMessage(msg2 as never);
    assert.equal(counter.n, 0, 'the kept part is not made into JSON again');
    assert.ok(afterFirst > 0);
    assert.deepEqual(bytes, reference(msg2));
    assert.ok(bytes.toString('utf-8').includes('edited: after'));
    assert.ok(!bytes.toString('utf-8').includes('edited: before'));
  });

  it('writes each message, header and content, in one write: the bytes vscode-jsonrpc frames', async () => {
    const parts = [[diag(1, 'ünïcödé 🐳')], [diag(5, 'second part')]];
    const messages = [
      { jsonrpc: '2.0', id: 1, result: { contents: { kind: 'markdown', value: '**no-privileged**: “quoted”' } } },
      publish('file:///w/compose.yaml', 3, registerParts(parts.flat(), parts)),
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x'.repeat(70_000) } },
    ] as unknown as Message[];
    const capture = async (make: (out: PassThrough) => { write(m: Message): Promise<void> }) => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
      const writer = make(out);
      for (const m of messages) await writer.write(m);
      return chunks;
    };
    const ours = await capture((out) => new StdioMessageWriter(out));
    const theirs = await capture((out) => new StreamMessageWriter(out));
    // One chunk per message (theirs: a header and a content chunk each), the same bytes.
    assert.equal(ours.length, messages.length);
    assert.equal(theirs.length, 2 * messages.length);
    assert.deepEqual(Buffer.concat(ours), Buffer.concat(theirs));
    assert.ok(ours[0].toString('ascii').startsWith(`Content-Length: ${encodeMessage(messages[0]).byteLength}\r\n\r\n`));
  });
});


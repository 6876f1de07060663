/**
 * LSP 3.17 pull diagnostics (textDocument/diagnostic) for clients that can pull, push for the
 * others, the `unchanged` report when nothing changed since the client's result id, and the
 * maxDiagnostics cap. Over stdio with the bundled server.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { FULL_CAPABILITIES, TestClient } from './lsp-client';

type Report = { kind: 'full'; resultId?: string; items: Diagnostic[] } | { kind: 'unchanged'; resultId: string };

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: a\n    image: nginx\n    securityContext:\n      privileged: true\n`;
const MANIFEST = ['a', 'b', 'c', 'd'].map(pod).join('---\n');
const RULES = { 'no-root-user': 'off', 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off', 'prefer-user-namespaces': 'off' };

const roots: string[] = [];
function workspace(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-pull-'));
  roots.push(root);
  return root;
}
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function pullCapabilities(): typeof FULL_CAPABILITIES {
  return { ...FULL_CAPABILITIES, textDocument: { ...FULL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } };
}

describe('pull diagnostics (a client that can pull)', () => {
  let client: TestClient;
  let uri: string;

  before(async () => {
    const ws = workspace();
    uri = pathToFileURL(path.join(ws, 'all.yaml')).href;
    client = await TestClient.start({ workspace: ws, capabilities: pullCapabilities(), configuration: { containerPrivilegeLint: { scanOnStartup: false, rules: RULES } } });
  });
  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
  });

  it('advertises a diagnostic provider and answers with a result id', async () => {
    assert.ok(client.initializeResult?.capabilities.diagnosticProvider, 'diagnosticProvider advertised');
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: MANIFEST } });
    const first = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri } });
    assert.equal(first.kind, 'full');
    assert.ok(first.kind === 'full' && first.resultId);
    assert.deepEqual(first.kind === 'full' && first.items.map((d) => [d.code, d.range.start.line]), [['no-privileged', 9], ['no-privileged', 20], ['no-privileged', 31], ['no-privileged', 42]]);

    // Typing in a value changes no diagnostic: the same result id, an unchanged report.
    const line = 7;
    const at = { line, character: '    image: nginx'.length };
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: at, end: at }, text: 'x' }] });
    const second = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.deepEqual(second, { kind: 'unchanged', resultId: first.resultId });

    // A change that moves the findings below it gives a full report with a new id.
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# top\n' }] });
    const third = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: first.resultId });
    assert.equal(third.kind, 'full');
    assert.notEqual(third.resultId, first.resultId);
    assert.deepEqual(third.kind === 'full' && third.items.map((d) => d.range.start.line), [10, 21, 32, 43]);

    // The finding goes: a full report without it.
    const text = `# top\n${MANIFEST}`;
    const lines = text.split('\n');
    const target = lines.findIndex((l) => l.includes('privileged: true'));
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 4 },
      contentChanges: [{ range: { start: { line: target, character: 18 }, end: { line: target, character: 22 } }, text: 'false' }],
    });
    const fourth = await client.request<Report>('textDocument/diagnostic', { textDocument: { uri }, previousResultId: third.resultId });
    assert.equal(fourth.kind, 'full');
    assert.deepEqual(fourth.kind === 'full' && fourth.items.map((d) => d.range.start.line), [21, 32, 43]);
  });

  it('pushes nothing for an open document it serves by pull (only the clearing of scan results on open)', async () => {
    const pushed = client.diagnostics.filter((p) => p.uri === uri);
    assert.ok(pushed.every((p) => p.diagnostics.length === 0), JSON.stringify(pushed));
  });
});

describe('push diagnostics and the cap (a client that cannot pull)', () => {
  it('publishes, and with maxDiagnostics shows the most severe first and says so', async () => {
    const ws = workspace();
    const uri = pathToFileURL(path.join(ws, 'all.yaml')).href;
    const client = await TestClient.start({
      workspace: ws,
      configuration: { containerPrivilegeLint: { scanOnStartup: false, maxDiagnostics: 2, rules: { ...RULES, 'no-root-user': 'warning' } } },
    });
    try {
      assert.equal(client.initializeResult?.capabilities.diagnosticProvider, undefined, 'no pull for a client that cannot');
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: MANIFEST } });
      const p = await client.waitFor('diagnostics', () => client.latest(uri));
      // 4 errors (no-privileged) and 4 warnings (no-root-user): the cap keeps 2 errors, in document order.
      assert.deepEqual(
        p.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
        [
          ['capped', 3, 0],
          ['no-privileged', 1, 9],
          ['no-privileged', 1, 20],
        ],
      );
      assert.match(String(p.diagnostics[0].message), /Showing 2 of 8 findings/);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

/**
 * The project view in the editor (#11), against the bundled server over stdio: a Compose file is
 * judged with its override (read from the open buffer), with the other file as related
 * information, and editing one file of the set republishes the other.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { FULL_CAPABILITIES, TestClient } from './lsp-client';

const BASE = 'services:\n  web:\n    image: nginx\n    security_opt: [no-new-privileges:true]\n';
const OVERRIDE = 'services:\n  web:\n    cap_drop: [ALL]\n';
const dropAll = (p: PublishDiagnosticsParams | undefined): Diagnostic[] => (p?.diagnostics ?? []).filter((d) => d.code === 'require-drop-all-capabilities');

describe('language server: Compose file sets', () => {
  let ws: string;
  let client: TestClient;
  before(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-project-'));
    mkdirSync(ws, { recursive: true });
    writeFileSync(path.join(ws, 'compose.yaml'), BASE);
    writeFileSync(path.join(ws, 'compose.override.yaml'), OVERRIDE);
    client = await TestClient.start({ workspace: ws, capabilities: FULL_CAPABILITIES, configuration: { containerPrivilegeLint: { enable: true, rules: {}, scanOnStartup: false } } });
  });
  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
    rmSync(ws, { recursive: true, force: true });
  });

  it('the base is judged with its override; editing the open override republishes the base', async () => {
    const baseUri = pathToFileURL(path.join(ws, 'compose.yaml')).href;
    const overrideUri = pathToFileURL(path.join(ws, 'compose.override.yaml')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri: baseUri, languageId: 'yaml', version: 1, text: BASE } });
    const first = await client.waitFor('base diagnostics', () => client.published(baseUri).find((d) => d.version === 1));
    assert.deepEqual(dropAll(first), [], 'the override drops ALL');
    client.notify('textDocument/didOpen', { textDocument: { uri: overrideUri, languageId: 'yaml', version: 1, text: OVERRIDE } });
    const before = client.published(baseUri).length;
    client.notify('textDocument/didChange', { textDocument: { uri: overrideUri, version: 2 }, contentChanges: [{ text: 'services:\n  web:\n    ports: ["80:80"]\n' }] });
    const p = await client.waitFor('base republished with the finding', () => client.published(baseUri).slice(before).find((x) => dropAll(x).length === 1));
    const d = dropAll(p)[0];
    assert.deepEqual(d.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    assert.deepEqual(d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]), [[overrideUri, 1, 'merged with compose.override.yaml:2 (service "web")']]);
  });
});

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

  it('keystrokes keep what was read of the other files only while they stay the same: an override created, then changed on disk, is seen (#16)', async () => {
    // The server keeps, per open document, the other files' models by path and content (ProjectMemo):
    // a file absent at first and created later, and a file changed on disk, must change the result.
    mkdirSync(path.join(ws, 'late'), { recursive: true });
    const basePath = path.join(ws, 'late', 'compose.yaml');
    const overridePath = path.join(ws, 'late', 'compose.override.yaml');
    writeFileSync(basePath, BASE);
    const uri = pathToFileURL(basePath).href;
    const overrideUri = pathToFileURL(overridePath).href;
    let version = 1;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text: BASE } });
    const at = (v: number) => client.waitFor(`version ${v}`, () => client.published(uri).find((p) => p.version === v));
    assert.equal(dropAll(await at(version)).length, 1, 'alone, the service lacks cap_drop: [ALL]');
    // A keystroke at the end of the file (a comment typed), each a new version.
    const line = BASE.split('\n').length - 1;
    let typed = 0;
    const type = (text: string) => {
      const p = { line, character: typed };
      typed += text.length;
      client.notify('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: p, end: p }, text }] });
      return at(version);
    };
    assert.equal(dropAll(await type('#')).length, 1);
    writeFileSync(overridePath, OVERRIDE);
    let before = client.published(uri).length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: overrideUri, type: 1 }] });
    await client.waitFor('republished with the new override', () => client.published(uri).slice(before).find((p) => dropAll(p).length === 0));
    assert.equal(dropAll(await type('x')).length, 0, 'a keystroke after: the override still applies');
    writeFileSync(overridePath, 'services:\n  web:\n    ports: ["80:80"]\n');
    before = client.published(uri).length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: overrideUri, type: 2 }] });
    await client.waitFor('republished with the changed override', () => client.published(uri).slice(before).find((p) => dropAll(p).length === 1));
    assert.equal(dropAll(await type('y')).length, 1, 'a keystroke after: the changed override, not the one kept before');
  });
});

describe('language server: Kustomize JSON 6902 patches (#11)', () => {
  const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: myorg/api:1\n';
  const ARGS = '- op: add\n  path: /spec/template/spec/containers/0/args\n  value: [--verbose]\n';
  const HARDEN = '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    allowPrivilegeEscalation: false\n';
  const nnp = (p: PublishDiagnosticsParams | undefined): Diagnostic[] => (p?.diagnostics ?? []).filter((d) => d.code === 'require-no-new-privileges');
  let ws: string;
  let client: TestClient;
  before(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-kustomize-'));
    mkdirSync(path.join(ws, 'overlays'), { recursive: true });
    writeFileSync(path.join(ws, 'kustomization.yaml'), 'resources:\n- deployment.yaml\npatches:\n- target: {kind: Deployment, name: api}\n  path: overlays/sc.yaml\n');
    writeFileSync(path.join(ws, 'deployment.yaml'), DEPLOY);
    writeFileSync(path.join(ws, 'overlays', 'sc.yaml'), ARGS);
    client = await TestClient.start({ workspace: ws, capabilities: FULL_CAPABILITIES, configuration: { containerPrivilegeLint: { enable: true, rules: {}, scanOnStartup: false } } });
  });
  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
    rmSync(ws, { recursive: true, force: true });
  });

  it('the base names the patch as related information; a patch edited to harden the container republishes the base without the finding', async () => {
    const baseUri = pathToFileURL(path.join(ws, 'deployment.yaml')).href;
    const patchUri = pathToFileURL(path.join(ws, 'overlays', 'sc.yaml')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri: baseUri, languageId: 'yaml', version: 1, text: DEPLOY } });
    const first = await client.waitFor('base diagnostics', () => client.published(baseUri).find((d) => d.version === 1));
    const d = nnp(first)[0];
    assert.deepEqual(d?.range, { start: { line: 8, character: 8 }, end: { line: 8, character: 17 } });
    assert.deepEqual(d?.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]), [[patchUri, 0, 'patched by overlays/sc.yaml:1 (add /spec/template/spec/containers/0/args)']]);
    client.notify('textDocument/didOpen', { textDocument: { uri: patchUri, languageId: 'yaml', version: 1, text: ARGS } });
    const before = client.published(baseUri).length;
    client.notify('textDocument/didChange', { textDocument: { uri: patchUri, version: 2 }, contentChanges: [{ text: HARDEN }] });
    await client.waitFor('base republished without the finding', () => client.published(baseUri).slice(before).find((x) => nnp(x).length === 0));
  });
});

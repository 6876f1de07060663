/**
 * Protocol tests of the profile setting, the tier (hover and code lens) and the cross-file
 * Compose build → Dockerfile check, against the bundled server (dist/server.js) over stdio.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { FULL_CAPABILITIES, TestClient } from './lsp-client';

const roots: string[] = [];
function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-pss-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) write(root, rel, content);
  return root;
}
function write(root: string, rel: string, content: string): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const uriOf = (p: string) => pathToFileURL(p).href;
const rootUser = (p: PublishDiagnosticsParams | undefined): Diagnostic[] => (p?.diagnostics ?? []).filter((d) => d.code === 'no-root-user');

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 1000\n';
const COMPOSE = 'services:\n  web:\n    build: ./web\n    ports: ["8080:80"]\n';
const ROOT_DOCKERFILE = 'FROM node:20\nCMD ["node", "."]\n';
const USER_DOCKERFILE = 'FROM node:20\nUSER node\nCMD ["node", "."]\n';

describe('language server: profile setting, tiers, cross-file', () => {
  let ws: string;
  let client: TestClient;
  const settings = { enable: true, rules: {}, scanOnStartup: false, profile: 'default' };

  before(async () => {
    ws = makeWorkspace({
      // The pod's folder asks for baseline; the compose file at the top has no config file (default profile).
      'k8s/.container-privilege-lint.yaml': 'profile: baseline\n',
      'k8s/pod.yaml': POD,
      'compose.yaml': COMPOSE,
      'web/Dockerfile': ROOT_DOCKERFILE,
      'linked/compose.yaml': 'services:\n  web:\n    build: .\n',
      'svc/compose.yaml': 'services:\n  worker:\n    build: .\n',
      'svc/Dockerfile': USER_DOCKERFILE,
    });
    const outside = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-pss-outside-'));
    roots.push(outside);
    write(outside, 'Dockerfile', ROOT_DOCKERFILE);
    symlinkSync(path.join(outside, 'Dockerfile'), path.join(ws, 'linked', 'Dockerfile'));
    client = await TestClient.start({
      workspace: ws,
      capabilities: { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, codeLens: { refreshSupport: true } }, textDocument: { ...FULL_CAPABILITIES.textDocument, codeLens: {} } },
      configuration: { containerPrivilegeLint: settings },
    });
  });

  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
  });

  it('advertises code lenses', async () => {
    assert.deepEqual(client.initializeResult?.capabilities.codeLensProvider, { resolveProvider: false });
    const lenses = await client.request<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: uriOf(path.join(ws, 'nothing-open.yaml')) } });
    assert.deepEqual(lenses, []);
  });

  it('the config file\'s profile applies when the setting is "default"', async () => {
    const uri = uriOf(path.join(ws, 'k8s/pod.yaml'));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: POD } });
    const p = await client.waitFor('pod diagnostics', () => client.published(uri).find((d) => d.version === 1));
    // baseline: no runAsNonRoot control, so no-root-user is off.
    assert.deepEqual(rootUser(p), []);
  });

  it('the setting overrides the config file\'s profile', async () => {
    const uri = uriOf(path.join(ws, 'k8s/pod.yaml'));
    client.configuration.containerPrivilegeLint = { ...settings, profile: 'restricted' };
    const before = client.published(uri).length;
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const p = await client.waitFor('restricted diagnostics', () => client.published(uri).slice(before).find((d) => rootUser(d).length > 0));
    const d = rootUser(p)[0];
    assert.match(String(d.message), /\(PSS restricted: Running as Non-root\)$/);
    client.configuration.containerPrivilegeLint = settings;
    const again = client.published(uri).length;
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('back to baseline', () => client.published(uri).slice(again).find((x) => rootUser(x).length === 0));
  });

  it('code lens and hover show the tier on the container name', async () => {
    const uri = uriOf(path.join(ws, 'k8s/pod.yaml'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses, [
      { range: { start: { line: 6, character: 6 }, end: { line: 6, character: 15 } }, command: { title: 'Tier 4 of 6 · non-root', command: '' } },
    ]);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 10 } });
    assert.ok(hover);
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /\*\*Defence in depth: Tier 4 of 6: rootful, non-root inside — hostUsers: false reaches tier 6\*\*/);
    assert.match(text, /- non-root inside: securityContext\.runAsUser: 1000/);
    assert.match(text, /Tiers: 1 privileged \+ root/);
  });

  it('cross-file: the compose service is reported on build: with the Dockerfile as related information', async () => {
    const uri = uriOf(path.join(ws, 'compose.yaml'));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: COMPOSE } });
    const p = await client.waitFor('compose diagnostics', () => client.published(uri).find((d) => d.version === 1));
    const [d] = rootUser(p);
    assert.ok(d, JSON.stringify(p.diagnostics.map((x) => x.code)));
    assert.deepEqual(d.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 16 } });
    assert.deepEqual(d.relatedInformation, [
      { location: { uri: uriOf(path.join(ws, 'web', 'Dockerfile')), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } } }, message: 'the final stage, with no USER' },
    ]);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses[0]?.command?.title, 'Tier 3 of 6 · root inside');
  });

  it('editing the open Dockerfile republishes the compose diagnostics (and asks for fresh code lenses)', async () => {
    const composeUri = uriOf(path.join(ws, 'compose.yaml'));
    const dockerUri = uriOf(path.join(ws, 'web', 'Dockerfile'));
    client.notify('textDocument/didOpen', { textDocument: { uri: dockerUri, languageId: 'dockerfile', version: 1, text: ROOT_DOCKERFILE } });
    const before = client.published(composeUri).length;
    const refreshes = client.codeLensRefreshes;
    client.notify('textDocument/didChange', { textDocument: { uri: dockerUri, version: 2 }, contentChanges: [{ text: USER_DOCKERFILE }] });
    const p = await client.waitFor('compose republished without the finding', () => client.published(composeUri).slice(before).find((x) => rootUser(x).length === 0));
    assert.equal(p.version, 1, 'the compose document itself did not change');
    await client.waitFor('a code lens refresh', () => client.codeLensRefreshes > refreshes);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: composeUri } });
    assert.equal(lenses[0]?.command?.title, 'Tier 4 of 6 · non-root');
    // Back to root: the finding returns.
    const again = client.published(composeUri).length;
    client.notify('textDocument/didChange', { textDocument: { uri: dockerUri, version: 3 }, contentChanges: [{ text: ROOT_DOCKERFILE }] });
    await client.waitFor('compose republished with the finding', () => client.published(composeUri).slice(again).find((x) => rootUser(x).length === 1));
  });

  it('closing the Dockerfile reads it from disk again; a change on disk is picked up through the watcher', async () => {
    const composeUri = uriOf(path.join(ws, 'compose.yaml'));
    const dockerPath = path.join(ws, 'web', 'Dockerfile');
    // The buffer says root; so does the disk. Write a non-root Dockerfile to disk, then close the buffer.
    write(ws, 'web/Dockerfile', USER_DOCKERFILE);
    const before = client.published(composeUri).length;
    client.notify('textDocument/didClose', { textDocument: { uri: uriOf(dockerPath) } });
    await client.waitFor('compose republished from the disk Dockerfile', () => client.published(composeUri).slice(before).find((x) => rootUser(x).length === 0));
    write(ws, 'web/Dockerfile', ROOT_DOCKERFILE);
    const again = client.published(composeUri).length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(dockerPath), type: 2 }] });
    await client.waitFor('compose republished after the watcher event', () => client.published(composeUri).slice(again).find((x) => rootUser(x).length === 1));
  });

  it('an unopened compose file is linted again from disk when its Dockerfile changes', async () => {
    const composeUri = uriOf(path.join(ws, 'svc', 'compose.yaml'));
    await client.request('workspace/executeCommand', { command: 'containerPrivilegeLint.scanWorkspace', arguments: [] });
    const scanned = client.latest(composeUri);
    assert.deepEqual(rootUser(scanned), [], 'USER node: nothing to report');
    write(ws, 'svc/Dockerfile', ROOT_DOCKERFILE);
    const before = client.published(composeUri).length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(ws, 'svc', 'Dockerfile')), type: 2 }] });
    const p = await client.waitFor('the unopened compose file republished', () => client.published(composeUri).slice(before).find((x) => rootUser(x).length === 1));
    assert.equal(p.version, undefined, 'published by the workspace scan, without a version');
  });

  it('a Dockerfile that is a symbolic link out of the workspace is not read', async () => {
    const uri = uriOf(path.join(ws, 'linked', 'compose.yaml'));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: 'services:\n  web:\n    build: .\n' } });
    const p = await client.waitFor('linked compose diagnostics', () => client.published(uri).find((d) => d.version === 1));
    assert.deepEqual(rootUser(p), []);
  });
});

/**
 * Protocol tests: the bundled server (dist/server.js) driven over stdio (and node IPC)
 * by a JSON-RPC client, as an editor would. Generous timeouts, no timing assertions.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import type { CodeAction, Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams, Range, TextDocumentEdit, TextEdit, WorkDoneProgressBegin, WorkDoneProgressReport } from 'vscode-languageserver-protocol/node';
import { lint } from '../../server/src/engine';
import { ruleDocUrl } from '../../server/src/engine/rule';
import { TestClient } from './lsp-client';

// A known image: replacing privileged is a safe fix (a confident image-table row), so it is the
// preferred quick fix and what fix-all and fix-on-save apply (fix-policy.ts).
const COMPOSE = [
  'services:',
  '  web:',
  '    image: qmcgaw/gluetun:v3',
  '    # keep this comment',
  '    privileged: true',
  '    cap_add:',
  '      - SYS_ADMIN',
  '',
].join('\n');

const DOCKERFILE = 'FROM debian:bookworm-slim\nUSER root\nCMD ["sleep", "infinity"]\n';

const POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: debug',
  'spec:',
  '  containers:',
  '    - name: debug',
  '      image: busybox:1.36',
  '      securityContext:',
  '        privileged: true',
  '',
].join('\n');

const MAX_FILE_SIZE = 4096;

const roots: string[] = [];
function makeWorkspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-'));
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

function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in text`);
  const doc = TextDocument.create('x', 'x', 0, text);
  return { start: doc.positionAt(at), end: doc.positionAt(at + needle.length) };
}

function positionIn(text: string, needle: string, delta = 1) {
  const r = rangeOf(text, needle);
  return { line: r.start.line, character: r.start.character + delta };
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x', 'x', 0, text), edits);
}

function editsOf(action: CodeAction, uri: string): TextEdit[] {
  const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
  if (change) {
    assert.equal(change.textDocument.uri, uri);
    return change.edits as TextEdit[];
  }
  return action.edit?.changes?.[uri] ?? [];
}

function codes(p: PublishDiagnosticsParams | undefined): string[] {
  return (p?.diagnostics ?? []).map((d) => String(d.code));
}

function hoverText(h: Hover | null): string {
  assert.ok(h, 'expected a hover');
  return (h.contents as MarkupContent).value;
}

describe('language server over stdio (full client)', () => {
  let ws: string;
  let client: TestClient;
  let composeUri: string;
  let text = COMPOSE;
  let version = 1;
  const outside = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-outside-'));
  roots.push(outside);

  before(async () => {
    ws = makeWorkspace({
      '.container-privilege-lint.yaml': 'rules:\n  require-no-new-privileges: off\n  no-root-user: error\n',
      '.gitignore': 'ignored/\n',
      Dockerfile: DOCKERFILE,
      'k8s/pod.yaml': POD,
      'docker-compose.yml': COMPOSE,
      'notes.txt': 'privileged: true\n',
      'node_modules/pkg/docker-compose.yml': COMPOSE,
      'ignored/Dockerfile': DOCKERFILE,
      'excluded/docker-compose.yml': COMPOSE,
      'hidden/docker-compose.yml': COMPOSE,
      'big/docker-compose.yml': `${'# padding padding padding padding padding padding padding padding\n'.repeat(80)}${COMPOSE}`,
    });
    write(outside, 'Dockerfile', DOCKERFILE);
    symlinkSync(path.join(outside, 'Dockerfile'), path.join(ws, 'linked.Dockerfile'));
    symlinkSync(outside, path.join(ws, 'linked-dir'));
    composeUri = uriOf(path.join(ws, 'docker-compose.yml'));
    client = await TestClient.start({
      workspace: ws,
      configuration: {
        containerPrivilegeLint: { enable: true, rules: { 'no-root-user': 'info' }, scanOnStartup: true, exclude: ['excluded/**'], fixOnSave: false, nonRootUid: 10001, maxFileSize: MAX_FILE_SIZE },
        'files.exclude': { '**/hidden': true, '**/.DS_Store': true, '**/docker-compose.yml': false },
      },
    });
  });

  after(async () => {
    if (client) assert.equal(await client.stop(), 0, 'the server exits with 0 after shutdown/exit');
  });

  it('scans the workspace on startup with progress, publishing diagnostics for unopened files', async () => {
    const end = await client.waitFor('scan progress end', () => client.progress.find((p) => (p.value as { kind: string }).kind === 'end'));
    assert.equal(client.progressCreated.length >= 1, true, 'window/workDoneProgress/create was requested');
    const token = client.progressCreated[0].token;
    assert.equal(end.token, token);
    const ours = client.progress.filter((p) => p.token === token).map((p) => p.value as WorkDoneProgressBegin | WorkDoneProgressReport | { kind: 'end' });
    const begin = ours[0] as WorkDoneProgressBegin;
    assert.equal(begin.kind, 'begin');
    assert.equal(begin.title, 'Container Privilege Lint: scanning');
    assert.equal(begin.cancellable, true);
    const reports = ours.filter((v): v is WorkDoneProgressReport => v.kind === 'report');
    assert.ok(reports.length >= 2, 'progress reports');
    const last = reports[reports.length - 1];
    const m = /^(\d+) of (\d+) files$/.exec(last.message ?? '');
    assert.ok(m, `report message: ${last.message}`);
    assert.equal(m[1], m[2]);
    assert.equal(last.percentage, 100);
    assert.equal(ours[ours.length - 1].kind, 'end');

    const dockerfile = client.latest(uriOf(path.join(ws, 'Dockerfile')));
    assert.ok(dockerfile, 'Dockerfile diagnostics');
    assert.equal(dockerfile.version, undefined, 'no version for an unopened file');
    const rootUser = dockerfile.diagnostics.find((d) => d.code === 'no-root-user');
    assert.ok(rootUser, `no-root-user in ${codes(dockerfile)}`);
    assert.equal(rootUser.severity, 3, 'the user setting (info) wins over the config file (error)');
    assert.deepEqual(rootUser.range, rangeOf(DOCKERFILE, 'USER root'));

    const pod = client.latest(uriOf(path.join(ws, 'k8s/pod.yaml')));
    assert.ok(pod && codes(pod).includes('no-privileged'), `pod: ${codes(pod)}`);
    const compose = client.latest(composeUri);
    assert.ok(compose && codes(compose).includes('no-privileged') && codes(compose).includes('no-risky-capabilities'), `compose: ${codes(compose)}`);

    const big = client.latest(uriOf(path.join(ws, 'big/docker-compose.yml')));
    assert.ok(big, 'a too-large file gets a skipped diagnostic');
    assert.deepEqual(codes(big), ['skipped']);
    assert.equal(big.diagnostics[0].severity, 3);

    const all = client.diagnostics.flatMap((p) => p.diagnostics.map((d) => ({ uri: p.uri, d })));
    assert.ok(!all.some((x) => x.d.code === 'require-no-new-privileges'), 'the config file turns require-no-new-privileges off');
    for (const skipped of ['node_modules/pkg/docker-compose.yml', 'ignored/Dockerfile', 'excluded/docker-compose.yml', 'hidden/docker-compose.yml', 'notes.txt', 'linked.Dockerfile', 'linked-dir/Dockerfile']) {
      assert.equal(client.published(uriOf(path.join(ws, skipped))).length, 0, `${skipped} is not scanned`);
    }
    assert.ok(client.configurationRequests.some((r) => r.items.some((i) => i.section === 'files.exclude')), 'files.exclude was asked for');
    assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), 'file watchers registered');
  });

  it('publishes versioned diagnostics for an opened compose file', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: composeUri, languageId: 'dockercompose', version, text } });
    const p = await client.waitFor('diagnostics for version 1', () => client.published(composeUri).find((d) => d.version === 1));
    const d = p.diagnostics.find((x) => x.code === 'no-privileged');
    assert.ok(d, `no-privileged in ${codes(p)}`);
    assert.equal(d.source, 'container-privilege-lint');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, rangeOf(text, 'privileged: true'));
    assert.deepEqual(d.codeDescription, { href: ruleDocUrl('no-privileged') });
    assert.match(d.message as string, /privileged/);
  });

  it('publishes the newest version after a burst of changes, never an older one after a newer', async () => {
    for (let i = 0; i < 20; i++) {
      const line = text.split('\n').length - 1;
      const insert = `# edit ${i}\n`;
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri: composeUri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: insert }],
      });
      text += insert;
    }
    assert.equal(version, 21);
    await client.waitFor('diagnostics for version 21', () => client.published(composeUri).find((d) => d.version === 21));
    // A request round trip, then a short settle, so a stale publish would have arrived.
    await client.request('textDocument/hover', { textDocument: { uri: composeUri }, position: { line: 0, character: 0 } });
    await new Promise((r) => setTimeout(r, 300));
    const versions = client.published(composeUri).filter((d) => d.version !== undefined).map((d) => d.version!);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i] >= versions[i - 1], `published versions go back: ${versions.join(',')}`);
    assert.equal(versions[versions.length - 1], 21);
    assert.deepEqual(client.latest(composeUri)!.diagnostics.find((d) => d.code === 'no-privileged')!.range, rangeOf(text, 'privileged: true'));
  });

  it('hovers on a finding, on privileged and on a capability', async () => {
    const onPrivileged = hoverText(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: composeUri }, position: positionIn(text, 'privileged: true', 3) }));
    assert.match(onPrivileged, /\*\*no-privileged\*\*: /);
    assert.match(onPrivileged, /Fix: /);
    assert.ok(onPrivileged.includes(`[Documentation](${ruleDocUrl('no-privileged')})`));
    for (const word of ['capabilities', 'seccomp', 'AppArmor', 'devices', '/sys']) assert.ok(onPrivileged.includes(word), `privileged hover mentions ${word}`);

    const onCap = hoverText(await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: composeUri }, position: positionIn(text, 'SYS_ADMIN', 4) }));
    assert.match(onCap, /CAP_SYS_ADMIN/);
    assert.match(onCap, /Risk: \*\*(low|medium|high|critical)\*\*/);
    assert.match(onCap, /In Docker's default set: no/);
    assert.match(onCap, /\*\*no-risky-capabilities\*\*/, 'the finding on the capability is explained too');

    const nothing = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: composeUri }, position: positionIn(text, 'gluetun', 1) });
    assert.equal(nothing, null);
  });

  it('adds relatedInformation for a setting that reaches the service through an anchor', async () => {
    const anchored = 'x-base: &base\n  privileged: true\nservices:\n  a:\n    <<: *base\n    image: x\n';
    const uri = uriOf(path.join(ws, 'anchored', 'compose.yaml'));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: anchored } });
    const p = await client.waitFor('diagnostics for the anchored file', () => client.latest(uri));
    const d = p.diagnostics.find((x) => x.code === 'no-privileged');
    assert.ok(d, codes(p).join(','));
    assert.deepEqual(d.range, rangeOf(anchored, 'privileged: true'));
    assert.deepEqual(d.relatedInformation, [{ location: { uri, range: rangeOf(anchored, '*base') }, message: 'used here by service "a"' }]);
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await client.waitFor('cleared after close', () => client.latest(uri)!.diagnostics.length === 0);
  });

  it('offers the fix, disable and documentation actions; the fix removes the finding and keeps the file parseable', async () => {
    const published = client.latest(composeUri)!;
    const diagnostic = published.diagnostics.find((d) => d.code === 'no-privileged')!;
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: composeUri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const titles = actions.map((a) => a.title);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `a preferred fix in ${titles.join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.match(fix.title, /privileged/);
    assert.deepEqual(fix.diagnostics, [diagnostic]);
    assert.equal((fix.edit!.documentChanges![0] as TextDocumentEdit).textDocument.version, 21, 'a versioned edit');
    assert.ok(titles.includes('Disable no-privileged for this line'), titles.join(' | '));
    const docs = actions.find((a) => a.title === 'Show documentation for no-privileged');
    assert.deepEqual(docs?.command, { title: 'Show documentation for no-privileged', command: 'containerPrivilegeLint.showDocumentation', arguments: [ruleDocUrl('no-privileged')] });
    assert.ok(titles.indexOf(fix.title) < titles.indexOf('Disable no-privileged for this line'));
    assert.ok(!actions.some((a) => a.kind === 'source.fixAll.container-privilege-lint'), 'only quickfix was asked for');

    // The disable action, applied, suppresses the finding without an unused-suppression report.
    const disable = actions.find((a) => a.title === 'Disable no-privileged for this line')!;
    const disabled = applyTextEdits(text, editsOf(disable, composeUri));
    assert.match(disabled, /# container-privilege-lint-disable-next-line no-privileged -- reason\n {4}privileged: true/);
    const afterDisable = lint(disabled, { path: path.join(ws, 'docker-compose.yml') }).findings.map((f) => f.ruleId);
    assert.ok(!afterDisable.includes('no-privileged') && !afterDisable.includes('unused-suppression'), afterDisable.join(','));

    // The fix, applied and sent to the server, makes the finding disappear.
    const fixed = applyTextEdits(text, editsOf(fix, composeUri));
    assert.ok(fixed.includes('# keep this comment'), 'comments are kept');
    const relinted = lint(fixed, { path: path.join(ws, 'docker-compose.yml') });
    assert.ok(!relinted.findings.some((f) => f.ruleId === 'no-privileged' || f.ruleId === 'parse-error'), relinted.findings.map((f) => f.ruleId).join(','));
    text = fixed;
    version = 22;
    client.notify('textDocument/didChange', { textDocument: { uri: composeUri, version }, contentChanges: [{ text }] });
    const p = await client.waitFor('diagnostics for version 22', () => client.published(composeUri).find((d) => d.version === 22));
    assert.ok(!codes(p).includes('no-privileged'), codes(p).join(','));
    assert.ok(codes(p).includes('no-risky-capabilities'));

    await client.request('workspace/executeCommand', { command: 'containerPrivilegeLint.showDocumentation', arguments: [ruleDocUrl('no-privileged')] });
    assert.deepEqual(client.shownDocuments, [{ uri: ruleDocUrl('no-privileged'), external: true }]);
  });

  it('offers source.fixAll with the individual edits of the preferred fixes', async () => {
    // Bring back something fix-all may fix (a capability it never removes on its own).
    text = text.replace('    cap_add:', '    privileged: true\n    cap_add:');
    version = 23;
    client.notify('textDocument/didChange', { textDocument: { uri: composeUri, version }, contentChanges: [{ text }] });
    await client.waitFor('diagnostics for version 23', () => client.published(composeUri).find((d) => d.version === 23));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: composeUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.container-privilege-lint');
    const edits = editsOf(actions[0], composeUri);
    assert.ok(edits.length >= 1);
    const whole = TextDocument.create('x', 'x', 0, text);
    assert.ok(edits.every((e) => !(whole.offsetAt(e.range.start) === 0 && whole.offsetAt(e.range.end) === text.length)), 'no whole-document replace');
    const fixed = applyTextEdits(text, edits);
    const ids = lint(fixed, { path: path.join(ws, 'docker-compose.yml') }).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('no-privileged') && !ids.includes('parse-error'), ids.join(','));
    assert.ok(ids.includes('no-risky-capabilities'), 'fix-all never removes a capability the workload may need');
  });

  it('returns fix-on-save edits from willSaveWaitUntil only when fixOnSave is on', async () => {
    const none = await client.request<TextEdit[]>('textDocument/willSaveWaitUntil', { textDocument: { uri: composeUri }, reason: 1 });
    assert.deepEqual(none, []);
    (client.configuration.containerPrivilegeLint as Record<string, unknown>).fixOnSave = true;
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const edits = await client.request<TextEdit[]>('textDocument/willSaveWaitUntil', { textDocument: { uri: composeUri }, reason: 1 });
    assert.ok(edits.length >= 1, 'fix-on-save edits');
    const saved = applyTextEdits(text, edits);
    const ids = lint(saved, { path: path.join(ws, 'docker-compose.yml') }).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('no-privileged') && !ids.includes('parse-error'), ids.join(','));
    assert.ok(ids.includes('no-risky-capabilities'), 'fix-all never removes a capability the workload may need');
    assert.ok(saved.includes('# keep this comment'));
  });

  it('keeps scan results fresh from watched file events', async () => {
    const created = write(ws, 'k8s/new-pod.yaml', POD);
    const ignoredFile = write(ws, 'ignored/new/docker-compose.yml', COMPOSE);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(ignoredFile), type: 1 }, { uri: uriOf(created), type: 1 }] });
    const p = await client.waitFor('diagnostics for a created file', () => client.latest(uriOf(created)));
    assert.ok(codes(p).includes('no-privileged'));
    assert.equal(client.published(uriOf(ignoredFile)).length, 0, 'a created file in a .gitignored folder is not linted');
    // A change to an open document on disk does not overwrite the buffer's diagnostics.
    const before = client.published(composeUri).length;
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: composeUri, type: 2 }] });
    unlinkSync(created);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(created), type: 3 }] });
    await client.waitFor('cleared diagnostics for a deleted file', () => client.latest(uriOf(created))!.diagnostics.length === 0);
    assert.ok(client.published(composeUri).slice(before).every((d) => d.version !== undefined), 'no unversioned publish for the open document');
  });

  it('answers the scan command with a summary', async () => {
    const summary = await client.request<{ files: number; linted: number; cancelled: boolean }>('workspace/executeCommand', { command: 'containerPrivilegeLint.scanWorkspace', arguments: [] });
    assert.equal(summary.cancelled, false);
    // Dockerfile, k8s/pod.yaml, big/docker-compose.yml, docker-compose.yml (open: not linted from disk)
    // and possibly the config file (a .yaml file); nothing excluded or ignored.
    assert.ok(summary.files === 4 || summary.files === 5, `files: ${summary.files}`);
    assert.equal(summary.linted, summary.files - 1);
  });

  it('survives changes for unknown documents and malformed params', async () => {
    client.notify('textDocument/didChange', { textDocument: { uri: 'file:///nowhere/Dockerfile', version: 3 }, contentChanges: [{ text: 'FROM x\n' }] });
    client.notify('textDocument/didChange', {});
    client.notify('textDocument/didChange', { textDocument: { uri: composeUri, version: 5 }, contentChanges: [{ text: 'services: [' }] });
    client.notify('textDocument/didOpen', { textDocument: { uri: 42 } });
    client.notify('textDocument/didClose', { textDocument: { uri: 'file:///nowhere/x.yaml' } });
    client.notify('workspace/didChangeWatchedFiles', { changes: 'nope' });
    assert.deepEqual(await client.request('textDocument/codeAction', {}), []);
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: 'file:///nowhere/Dockerfile' }, position: { line: 0, character: 0 } }), null);
    const still = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: composeUri }, position: positionIn(text, 'SYS_ADMIN', 2) });
    assert.match(hoverText(still), /CAP_SYS_ADMIN/, 'the server still answers, and ignored the stale change');
    assert.equal(client.latest(composeUri)!.version! >= 22, true);
  });

  it('clears the buffer diagnostics on close and restores the file-on-disk findings', async () => {
    const count = client.published(composeUri).length;
    client.notify('textDocument/didClose', { textDocument: { uri: composeUri } });
    const onDisk = await client.waitFor('disk diagnostics after close', () => client.published(composeUri).slice(count).find((p) => p.diagnostics.length > 0));
    assert.equal(onDisk.version, undefined);
    assert.ok(codes(onDisk).includes('no-privileged'), 'the file on disk still has privileged: true');
  });
});

describe('language server with a minimal client (no configuration, no progress, no documentChanges)', () => {
  let client: TestClient;
  let ws: string;

  before(async () => {
    ws = makeWorkspace({ 'docker-compose.yml': COMPOSE, Dockerfile: DOCKERFILE });
    client = await TestClient.start({
      workspace: ws,
      capabilities: {},
      initializationOptions: { containerPrivilegeLint: { scanOnStartup: false, rules: { 'no-root-user': 'off', 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off' } } },
    });
  });
  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
  });

  it('takes settings from initializationOptions and answers with plain changes', async () => {
    const uri = uriOf(path.join(ws, 'docker-compose.yml'));
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 7, text: COMPOSE } });
    const p = await client.waitFor('diagnostics', () => client.latest(uri));
    assert.equal(p.version, 7);
    assert.deepEqual(codes(p).sort(), ['no-privileged', 'no-risky-capabilities']);
    const d = p.diagnostics.find((x) => x.code === 'no-privileged')!;
    assert.equal(d.relatedInformation, undefined);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.isPreferred)!;
    assert.ok(fix.edit?.changes?.[uri]?.length, 'WorkspaceEdit.changes');
    assert.equal(fix.edit?.documentChanges, undefined);
    assert.equal(client.progress.length, 0, 'no scan on startup');
    assert.equal(client.published(uriOf(path.join(ws, 'Dockerfile'))).length, 0);
    assert.equal(client.configurationRequests.length, 0);
  });

  it('disables a finding in devcontainer.json with a // comment', async () => {
    const json = '{\n  "image": "mcr.microsoft.com/devcontainers/base:bookworm",\n  "privileged": true\n}\n';
    const file = path.join(ws, '.devcontainer', 'devcontainer.json');
    const uri = uriOf(file);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'jsonc', version: 1, text: json } });
    const p = await client.waitFor('devcontainer diagnostics', () => client.latest(uri));
    const d = p.diagnostics.find((x) => x.code === 'no-privileged');
    assert.ok(d, codes(p).join(','));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const disable = actions.find((a) => a.title === 'Disable no-privileged for this line');
    assert.ok(disable, actions.map((a) => a.title).join(' | '));
    const disabled = applyTextEdits(json, editsOf(disable, uri));
    assert.match(disabled, /\n {2}\/\/ container-privilege-lint-disable-next-line no-privileged -- reason\n {2}"privileged": true/);
    const ids = lint(disabled, { path: file }).findings.map((f) => f.ruleId);
    assert.ok(!ids.includes('no-privileged') && !ids.includes('parse-error') && !ids.includes('unused-suppression'), ids.join(','));
  });

  it('detects an untitled compose buffer from its language id and content', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'dockercompose', version: 1, text: COMPOSE } });
    const p = await client.waitFor('diagnostics for the untitled buffer', () => client.latest('untitled:Untitled-1'));
    assert.ok(codes(p).includes('no-privileged'), codes(p).join(','));
  });

  it('answers code actions from the range when the client sends no diagnostics', async () => {
    const uri = uriOf(path.join(ws, 'docker-compose.yml'));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: rangeOf(COMPOSE, 'privileged'), context: { diagnostics: [] } });
    assert.ok(actions.some((a) => a.isPreferred && /privileged/.test(a.title)), actions.map((a) => a.title).join(' | '));
  });
});

describe('language server over node IPC (as VS Code starts it)', () => {
  it('publishes diagnostics and shuts down cleanly', async () => {
    const ws = makeWorkspace({ 'compose.yaml': COMPOSE });
    const client = await TestClient.start({ workspace: ws, transport: 'ipc', configuration: { containerPrivilegeLint: { scanOnStartup: false } } });
    try {
      const uri = uriOf(path.join(ws, 'compose.yaml'));
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: COMPOSE } });
      const p = await client.waitFor('diagnostics over IPC', () => client.latest(uri));
      const d: Diagnostic | undefined = p.diagnostics.find((x) => x.code === 'no-privileged');
      assert.ok(d);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('a long workspace scan', () => {
  const manyFiles = () => {
    const files: Record<string, string> = {};
    for (let d = 0; d < 40; d++) for (let f = 0; f < 30; f++) files[`d${d}/f${f}.Dockerfile`] = DOCKERFILE;
    return makeWorkspace(files);
  };

  it('does not hold up requests for open documents', async () => {
    const ws = manyFiles();
    const client = await TestClient.start({ workspace: ws, configuration: { containerPrivilegeLint: { scanOnStartup: false } } });
    try {
      const scan = client.request<{ cancelled: boolean }>('workspace/executeCommand', { command: 'containerPrivilegeLint.scanWorkspace', arguments: [] });
      const begin = await client.waitFor('scan progress begin', () => client.progress.find((p) => (p.value as { kind: string }).kind === 'begin'));
      const ended = () => client.progress.some((p) => p.token === begin.token && (p.value as { kind: string }).kind === 'end');
      const uri = uriOf(path.join(ws, 'docker-compose.yml'));
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: COMPOSE } });
      const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionIn(COMPOSE, 'SYS_ADMIN', 2) });
      assert.match(hoverText(h), /CAP_SYS_ADMIN/);
      await client.waitFor('diagnostics for the open document', () => client.latest(uri));
      assert.equal(ended(), false, 'the hover and the diagnostics came while the scan was still running');
      assert.equal((await scan).cancelled, false);
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('reports on the token the client sent with the command and stops when the request is cancelled', async () => {
    const ws = manyFiles();
    const client = await TestClient.start({ workspace: ws, configuration: { containerPrivilegeLint: { scanOnStartup: false } } });
    try {
      const token = 'client-scan-token';
      const source = new CancellationTokenSource();
      const pending = client.connection
        .sendRequest('workspace/executeCommand', { command: 'containerPrivilegeLint.scanWorkspace', arguments: [], workDoneToken: token }, source.token)
        .then((r) => r, (e: unknown) => e);
      const kinds = () => client.progress.filter((p) => p.token === token).map((p) => p.value as { kind: string; message?: string });
      await client.waitFor('progress begin on the client token', () => kinds().some((v) => v.kind === 'begin'));
      source.cancel();
      await pending;
      await client.waitFor('progress end on the client token', () => kinds().some((v) => v.kind === 'end'));
      assert.equal(client.progressCreated.length, 0, 'no server-created progress when the client sent a token');
      const reports = kinds().filter((v) => v.kind === 'report');
      assert.notEqual(reports[reports.length - 1]?.message, '1200 of 1200 files', 'the scan stopped early');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  it('stops when the user cancels the progress', async () => {
    const ws = manyFiles();
    const client = await TestClient.start({ workspace: ws, configuration: { containerPrivilegeLint: { scanOnStartup: false } } });
    try {
      const result = client.request<{ files: number; linted: number; cancelled: boolean }>('workspace/executeCommand', { command: 'containerPrivilegeLint.scanWorkspace', arguments: [] });
      const begin = await client.waitFor('scan progress begin', () => client.progress.find((p) => (p.value as { kind: string }).kind === 'begin'));
      client.notify('window/workDoneProgress/cancel', { token: begin.token });
      const summary = await result;
      assert.equal(summary.cancelled, true);
      assert.ok(summary.linted < 1200, `linted ${summary.linted} of 1200`);
      await client.waitFor('progress end after cancel', () => client.progress.find((p) => p.token === begin.token && (p.value as { kind: string }).kind === 'end'));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('the project config file', () => {
  it('is honoured, re-read when it changes, and reported (then ignored) when invalid', async () => {
    const ws = makeWorkspace({ '.container-privilege-lint.yaml': 'rules:\n  no-privileged: off\n', 'docker-compose.yml': COMPOSE });
    const client = await TestClient.start({ workspace: ws, configuration: { containerPrivilegeLint: { scanOnStartup: false } } });
    try {
      const uri = uriOf(path.join(ws, 'docker-compose.yml'));
      const configUri = uriOf(path.join(ws, '.container-privilege-lint.yaml'));
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: COMPOSE } });
      const first = await client.waitFor('diagnostics', () => client.latest(uri));
      assert.ok(!codes(first).includes('no-privileged'), 'turned off by the config file');

      write(ws, '.container-privilege-lint.yaml', 'rules:\n  no-privileged: warning\n');
      let count = client.published(uri).length;
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
      const second = await client.waitFor('diagnostics after the config change', () => client.published(uri).slice(count).find((p) => codes(p).includes('no-privileged')));
      assert.equal(second.version, 1);
      assert.equal(second.diagnostics.find((d) => d.code === 'no-privileged')!.severity, 2);

      write(ws, '.container-privilege-lint.yaml', 'rulez:\n  no-privileged: off\n');
      count = client.published(uri).length;
      client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
      const third = await client.waitFor('diagnostics after an invalid config', () => client.published(uri).slice(count)[0]);
      assert.equal(third.diagnostics.find((d) => d.code === 'no-privileged')?.severity, 1, 'the defaults apply');
      await client.waitFor('a warning about the config file', () => client.logs.some((l) => l.startsWith('[showMessage]') && l.includes("unknown setting 'rulez'")));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});

describe('a Helm chart in the editor (#13)', () => {
  const TEMPLATE = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: {{ .Release.Name }}',
    'spec:',
    '  hostUsers: false',
    '  containers:',
    '    - name: app',
    '      image: app:1',
    '      securityContext:',
    '        {{- toYaml .Values.securityContext | nindent 8 }}',
    '',
  ].join('\n');
  const VALUES = 'securityContext:\n  allowPrivilegeEscalation: false\n  runAsNonRoot: true\n  capabilities:\n    drop: [ALL]\n';
  let client: TestClient;
  let ws: string;

  before(async () => {
    ws = makeWorkspace({ 'chart/Chart.yaml': 'name: app\nversion: 0.1.0\n', 'chart/values.yaml': VALUES, 'chart/templates/pod.yaml': TEMPLATE });
    client = await TestClient.start({ workspace: ws, initializationOptions: { containerPrivilegeLint: { scanOnStartup: false } } });
  });
  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
  });

  it('gives values.yaml and templates live diagnostics, and re-lints an open template when values.yaml changes', async () => {
    const template = uriOf(path.join(ws, 'chart/templates/pod.yaml'));
    const values = uriOf(path.join(ws, 'chart/values.yaml'));
    client.notify('textDocument/didOpen', { textDocument: { uri: template, languageId: 'yaml', version: 1, text: TEMPLATE } });
    client.notify('textDocument/didOpen', { textDocument: { uri: values, languageId: 'yaml', version: 1, text: VALUES } });
    const first = await client.waitFor('template diagnostics', () => client.latest(template));
    assert.deepEqual(codes(first), [], 'a hardened chart: no finding, and no "skipped"');
    await client.waitFor('values diagnostics', () => client.latest(values));
    const privileged = `${VALUES}  privileged: true\n`;
    client.notify('textDocument/didChange', { textDocument: { uri: values, version: 2 }, contentChanges: [{ text: privileged }] });
    const onValues = await client.waitFor('values.yaml finding', () => client.published(values).find((p) => p.version === 2 && codes(p).includes('no-privileged')));
    const d = onValues.diagnostics.find((x) => x.code === 'no-privileged')!;
    assert.deepEqual(d.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 18 } });
    assert.equal(d.relatedInformation?.[0]?.location.uri, template);
    assert.equal(d.relatedInformation?.[0]?.location.range.start.line, 10);
    // The open template was analysed again with the edited values (its finding stays in values.yaml).
    await client.waitFor('template re-linted', () => client.published(template).length >= 2);
    assert.deepEqual(codes(client.latest(template)!), []);
  });
});

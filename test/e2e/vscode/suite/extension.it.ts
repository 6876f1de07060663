/**
 * The extension in a real extension host (VS Code desktop or code-server 4.100.3): activation,
 * diagnostics for every file kind, quick fixes applied through the editor API, hover, the
 * workspace scan, settings forwarding, untitled buffers and the restart command.
 * The workspace is a copy of examples/ (test/e2e/vscode/run-exthost-tests.mjs makes it).
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'container-privilege-lint.container-privilege-lint';
const SOURCE = 'container-privilege-lint';

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

function file(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), ...rel.split('/'));
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  if (d.code === undefined) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function ours(uri: vscode.Uri, ruleId?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (!ruleId || codeOf(d) === ruleId));
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lineOf(doc: vscode.TextDocument, re: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  throw new Error(`no line matches ${re} in ${doc.uri.path}`);
}

async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `edit of "${action.title}" applied`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Undo our edits to a workspace file so the next test starts from the example again. */
async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

async function closeUntitled(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

suite('Container Privilege Lint in the extension host', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    const api = (await ext.activate()) as { activationMs?: number } | undefined;
    assert.ok(ext.isActive);
    // How long activation took (activate() → language server initialized), for the README's
    // performance table: npm run bench prints the newest figure kept here.
    const activationMs = api?.activationMs;
    assert.ok(typeof activationMs === 'number' && Number.isFinite(activationMs) && activationMs > 0, `activationMs: ${String(activationMs)}`);
    const dir = path.join(ext.extensionPath, '.cache', 'metrics');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'activation.json'), JSON.stringify({ activationMs, host: `${vscode.env.appName} ${vscode.version}`, at: new Date().toISOString() }));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['containerPrivilegeLint.scanWorkspace', 'containerPrivilegeLint.restartServer', 'containerPrivilegeLint.showOutput']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  test('the startup scan reports files that were never opened', async () => {
    const unopened = ['docker/Dockerfile', 'k8s/deployment.yaml'].map(file);
    for (const uri of unopened) {
      await waitFor(`diagnostics of ${uri.path}`, () => ours(uri).length > 0);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), `${uri.path} was not opened`);
    }
    assert.ok(ours(file('docker/Dockerfile'), 'no-root-user').length > 0);
    assert.ok(ours(file('k8s/deployment.yaml'), 'no-privileged').length > 0);
  });

  test('a compose file (language dockercompose) gets no-privileged with source, code, doc link and range', async () => {
    const doc = await open(file('compose/docker-compose.yml'));
    assert.equal(doc.languageId, 'dockercompose', 'VS Code 1.100 gives compose files their own language id');
    const line = lineOf(doc, /^\s+privileged: true/);
    const d = await waitFor('no-privileged', () => ours(doc.uri, 'no-privileged').find((x) => x.range.start.line === line));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.character, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
    assert.ok(typeof d.code === 'object' && d.code.target.toString().includes('no-privileged'), 'the code links the rule doc');
    assert.match(d.message, /privileged/);
  });

  test('hover on privileged explains the finding and links its doc', async () => {
    const doc = await open(file('compose/docker-compose.yml'));
    const line = lineOf(doc, /^\s+privileged: true/);
    const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex + 2);
    const hovers = await waitFor('a hover', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      return h && h.length > 0 ? h : undefined;
    });
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /no-privileged/);
    assert.match(text, /https?:\/\/\S*no-privileged/);
  });

  test('the quick fix "Remove privileged: true" removes the line and the finding', async () => {
    const doc = await open(file('compose/docker-compose.yml'));
    const original = doc.getText();
    const line = lineOf(doc, /^\s+privileged: true/);
    const d = await waitFor('no-privileged', () => ours(doc.uri, 'no-privileged').find((x) => x.range.start.line === line));
    const actions = await quickFixes(doc.uri, d.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Disable no-privileged for this line'), titles.join(' | '));
    assert.ok(titles.includes('Show documentation for no-privileged'), titles.join(' | '));
    assert.ok(actions.filter((a) => a.isPreferred).length <= 1, 'at most one fix is preferred (a suggestion never is, #10)');
    const remove = actions.find((a) => a.title.startsWith('Remove privileged'));
    assert.ok(remove, titles.join(' | '));
    await apply(remove);
    const lines = original.split('\n');
    assert.equal(doc.getText(), [...lines.slice(0, line), ...lines.slice(line + 1)].join('\n'));
    await waitFor('no-privileged to go', () => ours(doc.uri, 'no-privileged').every((x) => x.range.start.line !== line) || undefined);
    await revert(doc);
    assert.equal(doc.getText(), original);
  });

  test('"Disable no-root-user for this line" inserts the suppression comment and the finding goes', async () => {
    const doc = await open(file('compose/docker-compose.yml'));
    const line = lineOf(doc, /^\s+user: root\b/);
    const d = await waitFor('no-root-user', () => ours(doc.uri, 'no-root-user').find((x) => x.range.start.line === line));
    const disable = (await quickFixes(doc.uri, d.range)).find((a) => a.title === 'Disable no-root-user for this line');
    assert.ok(disable);
    await apply(disable);
    const indent = doc.lineAt(line + 1).text.slice(0, doc.lineAt(line + 1).firstNonWhitespaceCharacterIndex);
    assert.match(doc.lineAt(line).text, new RegExp(`^${indent}# container-privilege-lint-disable-next-line no-root-user -- `));
    await waitFor('no-root-user to go', () => ours(doc.uri, 'no-root-user').length === 0 || undefined);
    await revert(doc);
  });

  test('a Dockerfile is linted when opened and its USER fix applies', async () => {
    const doc = await open(file('docker/Dockerfile'));
    assert.equal(doc.languageId, 'dockerfile');
    const line = lineOf(doc, /^USER root/);
    const d = await waitFor('no-root-user', () => ours(doc.uri, 'no-root-user').find((x) => x.range.start.line === line));
    const fix = (await quickFixes(doc.uri, d.range)).find((a) => /^Replace USER root with USER \d+/.test(a.title));
    assert.ok(fix, 'a fix replaces USER root');
    await apply(fix);
    assert.match(doc.lineAt(line).text, /^USER 10001\b/);
    await waitFor('no-root-user to go', () => ours(doc.uri, 'no-root-user').length === 0 || undefined);
    await revert(doc);
  });

  test('devcontainer.json is linted when opened', async () => {
    const doc = await open(file('.devcontainer/devcontainer.json'));
    assert.ok(['jsonc', 'json'].includes(doc.languageId), doc.languageId);
    await waitFor('no-privileged in devcontainer.json', () => ours(doc.uri, 'no-privileged').length > 0);
  });

  test('an untitled compose buffer is linted from its unsaved text, change by change', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dockercompose', content: 'services:\n  app:\n    image: alpine:3.20\n' });
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.uri.scheme, 'untitled');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(3, 0), '    privileged: true\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('no-privileged in the untitled buffer', () => ours(doc.uri, 'no-privileged').length > 0);
    await closeUntitled(doc);
  });

  test('the Scan Workspace command returns a summary and the findings stay in Problems', async () => {
    const summary = await vscode.commands.executeCommand<{ files?: number; findings?: number }>('containerPrivilegeLint.scanWorkspace');
    assert.ok(summary && typeof summary.files === 'number' && summary.files >= 3, JSON.stringify(summary));
    assert.ok(typeof summary.findings === 'number' && summary.findings > 0, JSON.stringify(summary));
    assert.ok(ours(file('k8s/deployment.yaml')).length > 0);
  });

  test('settings are forwarded: a rule set to off disappears, and comes back', async () => {
    const doc = await open(file('compose/docker-compose.yml'));
    await waitFor('no-root-user', () => ours(doc.uri, 'no-root-user').length > 0);
    const config = vscode.workspace.getConfiguration('containerPrivilegeLint');
    try {
      await config.update('rules', { 'no-root-user': 'off' }, vscode.ConfigurationTarget.Workspace);
      await waitFor('no-root-user to be off', () => ours(doc.uri, 'no-root-user').length === 0 || undefined);
      await waitFor('the scanned Dockerfile to follow', () => ours(file('docker/Dockerfile'), 'no-root-user').length === 0 || undefined);
    } finally {
      await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('no-root-user to come back', () => ours(doc.uri, 'no-root-user').length > 0);
  });

  test('Restart Server brings the server back and it lints again', async () => {
    await vscode.commands.executeCommand('containerPrivilegeLint.restartServer');
    const doc = await vscode.workspace.openTextDocument({ language: 'dockercompose', content: 'services:\n  app:\n    image: alpine:3.20\n    privileged: true\n' });
    await vscode.window.showTextDocument(doc);
    await waitFor('diagnostics after the restart', () => ours(doc.uri, 'no-privileged').length > 0);
    await closeUntitled(doc);
  });
});

/**
 * The workspace scan in process, with a fake connection: config-file discovery from the
 * walk's listings (the same answers as the lookup with stat), nested .gitignore files, and
 * a file deleted between the walk and its lint.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { DocumentStore } from '../../server/src/lsp/documents';
import { ProjectConfigLoader } from '../../server/src/lsp/project-config';
import { SettingsStore } from '../../server/src/lsp/settings';
import { WorkspaceScanner } from '../../server/src/lsp/workspace-scan';
import { workspaceReadFile } from '../../server/src/lsp/read-file';

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const CONFIG = (severity: string) => `rules:\n  no-privileged: ${severity}\n`;

const roots: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-scan-'));
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

/** A connection with what the scanner uses: diagnostics and progress are recorded, logs kept. */
function fakeConnection(onReport?: (message: string | undefined) => void) {
  const published: PublishDiagnosticsParams[] = [];
  const logs: string[] = [];
  const reporter = {
    begin: () => undefined,
    report: (_percentage: number, message?: string) => onReport?.(message),
    done: () => undefined,
  };
  const connection = {
    sendDiagnostics: (p: PublishDiagnosticsParams) => {
      published.push(p);
      return Promise.resolve();
    },
    window: { createWorkDoneProgress: () => Promise.resolve(reporter) },
    console: { log: (m: string) => logs.push(m), info: (m: string) => logs.push(m), warn: (m: string) => logs.push(`warn: ${m}`), error: (m: string) => logs.push(`error: ${m}`) },
  } as unknown as Connection;
  return { connection, published, logs };
}

function scanner(root: string, connection: Connection, settings: Record<string, unknown> = {}) {
  const settingsStore = new SettingsStore(connection, () => undefined);
  settingsStore.init(false, { containerPrivilegeLint: { scanOnStartup: true, ...settings } });
  const s = new WorkspaceScanner({
    connection,
    documents: new DocumentStore(),
    settings: settingsStore,
    projectConfig: new ProjectConfigLoader(() => undefined),
    relatedInformation: () => false,
    onConfigFilesChanged: () => undefined,
  });
  s.setFolders([{ uri: pathToFileURL(root).href, name: 'ws' }]);
  return s;
}

function latest(published: PublishDiagnosticsParams[], file: string): Diagnostic[] | undefined {
  const uri = pathToFileURL(file).href;
  return published.filter((p) => p.uri === uri).at(-1)?.diagnostics;
}

describe('project config files found by the walk', () => {
  it('gives each folder the same config file as the lookup with stat (nearest wins, links followed, folders named like one skipped)', async () => {
    const outside = tree({ 'shared.yaml': CONFIG('info') });
    const root = tree({
      '.container-privilege-lint.yaml': CONFIG('off'),
      'a/x': '',
      'a/b/.container-privilege-lint.yml': CONFIG('warning'),
      'a/b/c/d/x': '',
      // A folder named like the first config file name: the next name is taken.
      'e/.container-privilege-lint.yaml/x': '',
      'e/.container-privilege-lint.json': '{"rules": {"no-privileged": "error"}}',
      'f/x': '',
      'g/.container-privilege-lint.json': '{"rules": {"no-privileged": "warning"}}',
    });
    // A symbolic link to a config file counts (stat follows it); a dangling one does not.
    symlinkSync(path.join(outside, 'shared.yaml'), path.join(root, 'f', '.container-privilege-lint.yaml'));
    symlinkSync(path.join(outside, 'missing.yaml'), path.join(root, 'g', '.container-privilege-lint.yaml'));

    const viaListings = new ProjectConfigLoader(() => undefined);
    const viaStat = new ProjectConfigLoader(() => undefined);
    const above = path.dirname(root);
    const walk = async (dir: string, parentFolder: string | undefined): Promise<number> => {
      const entries = readdirSync(dir, { withFileTypes: true });
      const folder = viaListings.configFolder(dir, entries.filter((e) => e.name.startsWith('.container-privilege-lint.')), parentFolder);
      const expected = await viaStat.forFile(path.join(dir, 'Dockerfile'));
      const actual = await viaListings.forFolder(folder);
      assert.equal(actual.file, expected.file, `config for files in ${path.relative(root, dir) || '.'}`);
      assert.deepEqual(actual.config, expected.config);
      let checked = 1;
      for (const e of entries) if (e.isDirectory() && !e.isSymbolicLink()) checked += await walk(path.join(dir, e.name), folder);
      return checked;
    };
    assert.ok((await walk(root, above)) >= 8);
    assert.equal((await viaListings.forFolder(undefined)).file, undefined);
  });
});

describe('the workspace scan', () => {
  it('applies the nearest config file and nested .gitignore files, and lints nothing else', async () => {
    const root = tree({
      '.container-privilege-lint.yaml': CONFIG('off'),
      '.gitignore': 'build/\n',
      'docker-compose.yml': COMPOSE,
      'team/.container-privilege-lint.yml': CONFIG('warning'),
      'team/.gitignore': '*.yaml\n!keep.yaml\n',
      'team/svc/compose.yaml': COMPOSE,
      'team/svc/keep.yaml': COMPOSE,
      'team/svc/docker-compose.yml': COMPOSE,
      'build/docker-compose.yml': COMPOSE,
      'node_modules/x/docker-compose.yml': COMPOSE,
      'vendor/x/docker-compose.yml': COMPOSE,
    });
    const { connection, published, logs } = fakeConnection();
    const summary = await scanner(root, connection).scanAll();
    // The three compose files and the two config files (YAML files too).
    assert.deepEqual({ files: summary.files, linted: summary.linted, cancelled: summary.cancelled }, { files: 5, linted: 5, cancelled: false }, logs.join('\n'));
    const severityOf = (rel: string) => latest(published, path.join(root, rel))?.find((d) => d.code === 'no-privileged')?.severity;
    assert.equal(severityOf('team/svc/keep.yaml'), 2, 'the nearer config file (warning) wins');
    assert.equal(severityOf('team/svc/docker-compose.yml'), 2);
    assert.equal(severityOf('docker-compose.yml'), undefined, 'the top config file turns it off');
    for (const skipped of ['team/svc/compose.yaml', 'build/docker-compose.yml', 'node_modules/x/docker-compose.yml', 'vendor/x/docker-compose.yml']) {
      assert.equal(latest(published, path.join(root, skipped)), undefined, `${skipped} is not scanned`);
    }
  });

  it('takes a file deleted after the walk as gone: no lint, no warning, its earlier diagnostics cleared', async () => {
    const root = tree({ 'a/docker-compose.yml': COMPOSE, 'b/docker-compose.yml': COMPOSE });
    const doomed = path.join(root, 'b', 'docker-compose.yml');
    let deleteOnReport = false;
    const { connection, published, logs } = fakeConnection((message) => {
      // "0 of N files": the walk is over, no file is linted yet.
      if (deleteOnReport && message?.startsWith('0 of ')) {
        deleteOnReport = false;
        unlinkSync(doomed);
      }
    });
    const s = scanner(root, connection);
    assert.equal((await s.scanAll()).linted, 2);
    assert.ok(latest(published, doomed)?.length, 'published before the deletion');

    deleteOnReport = true;
    const summary = await s.scanAll();
    assert.equal(summary.files, 2);
    assert.equal(summary.linted, 1);
    assert.deepEqual(latest(published, doomed), [], 'cleared');
    assert.ok(!logs.some((l) => l.startsWith('warn:') || l.startsWith('error:')), logs.join('\n'));
  });
});

describe('the project view during a scan', () => {
  it('reads a kustomization and a Compose file set into their models once per scan, not once per member, with the same diagnostics', async () => {
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: myorg/api:1\n';
    const patch = (image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: ${image}\n        securityContext:\n          allowPrivilegeEscalation: true\n`;
    const root = tree({
      'k8s/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
      'k8s/base/deployment.yaml': deployment,
      'k8s/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: a.yaml\n- path: b.yaml\n',
      'k8s/prod/a.yaml': patch('myorg/api:2'),
      'k8s/prod/b.yaml': patch('myorg/api:3'),
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    cap_drop: [ALL]\n',
      'compose.override.yaml': 'services:\n  web:\n    privileged: true\n',
    });
    const { connection, published, logs } = fakeConnection();
    const documents = new DocumentStore();
    const settingsStore = new SettingsStore(connection, () => undefined);
    settingsStore.init(false, { containerPrivilegeLint: { scanOnStartup: true } });
    const s = new WorkspaceScanner({
      connection,
      documents,
      settings: settingsStore,
      projectConfig: new ProjectConfigLoader(() => undefined),
      relatedInformation: () => true,
      onConfigFilesChanged: () => undefined,
      readFile: (max) => workspaceReadFile({ documents, folders: () => [root] }, max),
    });
    s.setFolders([{ uri: pathToFileURL(root).href, name: 'ws' }]);
    await s.scanAll();
    // Made once each: the two kustomizations and the base deployment; each Compose file's include: list
    // and model (read by the other file's lint). Reused: both kustomizations and the base by the second
    // patch, base/kustomization.yaml by the base's own lint, each kustomization by its own lint (its inline
    // patches, #11), both include: lists by the second Compose lint.
    assert.ok(logs.some((l) => l.endsWith('project view: 7 files read into models, 8 reused (include 2/2, compose 2/0, kustomization 2/5, kubernetes 1/1)')), logs.join('\n'));
    const codes = (rel: string) => latest(published, path.join(root, rel))?.map((d) => `${d.code}@${d.range.start.line}`);
    assert.deepEqual(codes('k8s/prod/a.yaml'), ['require-no-new-privileges@11']);
    assert.deepEqual(codes('k8s/prod/b.yaml'), ['require-no-new-privileges@11']);
    assert.deepEqual(codes('compose.override.yaml'), ['no-privileged@2']);
    assert.deepEqual(codes('compose.yaml'), ['require-no-new-privileges@1']);
  });
});

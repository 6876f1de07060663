/**
 * Quadlet units, shell scripts, Makefiles and CI workflows in the editor (#14): the extension
 * activates on them (package.json), the client hands them to the server (the document
 * selector), the workspace scan lints them unopened, and the real server over stdio publishes
 * their diagnostics when they are opened with the language ids VS Code and common extensions
 * give them, with a suppression comment honoured in each format.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PublishDiagnosticsParams, Range } from 'vscode-languageserver-protocol/node';
import { FILE_PATTERNS, LANGUAGES } from '../../client/src/selector';
import { detectByPath } from '../../server/src/engine/detect';
import { REPO, TestClient } from './lsp-client';

const SUPPRESS = '# container-privilege-lint-disable-next-line no-privileged -- reviewed';

/** Each format: a path, the language id an editor gives it, its text with one privileged setting reported and one suppressed. */
const FILES: { rel: string; languageId: string; text: string; privileged: string }[] = [
  {
    rel: 'deploy/web.container',
    languageId: 'systemd-unit-file',
    text: `[Container]\nImage=docker.io/library/nginx\nPodmanArgs=--privileged\n${SUPPRESS}\nPodmanArgs=--cap-add=ALL --privileged=true\n`,
    privileged: '--privileged',
  },
  {
    rel: 'deploy/edge.container',
    languageId: 'quadlet',
    text: `[Container]\nImage=docker.io/library/nginx\nPodmanArgs=--privileged\n`,
    privileged: '--privileged',
  },
  {
    rel: 'scripts/setup.sh',
    languageId: 'shellscript',
    text: `#!/bin/sh\nset -e\ndocker run --rm \\\n  --privileged alpine true\n${SUPPRESS}\ndocker run --privileged busybox true\n`,
    privileged: '--privileged',
  },
  {
    rel: 'Makefile',
    languageId: 'makefile',
    text: `test:\n\tdocker run --privileged alpine true\n${SUPPRESS}\n\tpodman run --privileged=true alpine true\n`,
    privileged: '--privileged',
  },
  {
    rel: '.github/workflows/ci.yml',
    languageId: 'github-actions-workflow',
    text: `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          docker run --privileged alpine true\n          ${SUPPRESS}\n          docker run --privileged busybox true\n`,
    privileged: '--privileged',
  },
  {
    rel: '.gitlab-ci.yml',
    languageId: 'yaml',
    text: `test:\n  script:\n    - docker run --privileged alpine true\n    ${SUPPRESS}\n    - docker run --privileged busybox true\n`,
    privileged: '--privileged',
  },
];

function rangeOf(text: string, needle: string): Range {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in text`);
  const doc = TextDocument.create('x', 'x', 0, text);
  return { start: doc.positionAt(at), end: doc.positionAt(at + needle.length) };
}

function privilegedRanges(p: PublishDiagnosticsParams | undefined): Range[] {
  return (p?.diagnostics ?? []).filter((d) => d.code === 'no-privileged').map((d) => d.range);
}

describe('activation and selector cover Quadlet units, scripts, Makefiles and workflows (#14)', () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { activationEvents: string[] };

  it('activates on every language id the selector hands to the server', () => {
    for (const language of LANGUAGES) assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), `onLanguage:${language} in activationEvents`);
    for (const language of ['shellscript', 'makefile', 'systemd-unit-file', 'quadlet', 'github-actions-workflow', 'yaml']) assert.ok((LANGUAGES as readonly string[]).includes(language), `${language} in the selector`);
  });

  it('activates on a workspace that holds Quadlet units or CI workflows, and selects them by file name', () => {
    const contains = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => picomatch(e.slice('workspaceContains:'.length), { dot: true }));
    const selected = FILE_PATTERNS.map((p) => picomatch(p, { dot: true }));
    for (const rel of ['deploy/web.container', 'web.pod', 'a/b/app.kube', 'img.build', '.github/workflows/ci.yml', '.github/workflows/release.yaml', '.gitlab-ci.yml']) {
      assert.ok(contains.some((m) => m(rel)), `${rel}: a workspaceContains activation event`);
    }
    for (const rel of ['deploy/web.container', 'web.pod', 'app.kube', 'img.build', 'scripts/setup.sh', 'x.bash', 'Makefile', 'GNUmakefile', 'rules.mk', '.github/workflows/ci.yml', '.gitlab-ci.yml']) {
      assert.ok(selected.some((m) => m(rel)), `${rel}: in the document selector by name`);
      assert.notEqual(detectByPath(`/w/${rel}`), undefined, `${rel}: a kind the workspace scan lints`);
    }
  });
});

describe('Quadlet units, scripts, Makefiles and workflows over LSP (#14)', () => {
  let ws: string;
  let client: TestClient;

  before(async () => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'cpl-lsp-run-'));
    for (const f of FILES) {
      mkdirSync(path.dirname(path.join(ws, f.rel)), { recursive: true });
      writeFileSync(path.join(ws, f.rel), f.text);
    }
    client = await TestClient.start({ workspace: ws, configuration: { containerPrivilegeLint: { enable: true, scanOnStartup: true } } });
  });

  after(async () => {
    if (client) assert.equal(await client.stop(), 0);
    rmSync(ws, { recursive: true, force: true });
  });

  it('the workspace scan lints each of them unopened', async () => {
    await client.waitFor('scan end', () => client.progress.find((p) => (p.value as { kind: string }).kind === 'end'));
    for (const f of FILES) {
      const uri = pathToFileURL(path.join(ws, f.rel)).href;
      const p = await client.waitFor(`scan diagnostics for ${f.rel}`, () => client.latest(uri));
      assert.equal(p.version, undefined, `${f.rel}: published by the scan`);
      assert.equal(privilegedRanges(p).length, 1, `${f.rel}: one no-privileged (the other is suppressed): ${JSON.stringify(p.diagnostics.map((d) => d.code))}`);
    }
  });

  it('publishes diagnostics when each is opened with its language id, the suppressed one left out', async () => {
    for (const f of FILES) {
      const uri = pathToFileURL(path.join(ws, f.rel)).href;
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: f.languageId, version: 7, text: f.text } });
      const p = await client.waitFor(`diagnostics for opened ${f.rel}`, () => client.published(uri).find((d) => d.version === 7));
      assert.deepEqual(privilegedRanges(p), [rangeOf(f.text, f.privileged)], `${f.rel}: the first --privileged only`);
      const codes = p.diagnostics.map((d) => String(d.code));
      assert.ok(!codes.includes('unused-suppression'), `${f.rel}: the suppression is used: ${codes.join(', ')}`);
      assert.ok(p.diagnostics.every((d) => d.source === 'container-privilege-lint'));
    }
  });
});

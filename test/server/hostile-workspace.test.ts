/**
 * A hostile workspace in the editor (#17): the files of the table in one workspace, the
 * bundled server started on it over stdio. The startup scan must finish; while it runs, a hover on
 * another (open) file is answered (see HOVER_MS); a config file linked to a file outside the
 * workspace is not read, and nothing of its content is shown; a config file with problems gives one
 * warning and diagnostics on itself; a malformed Content-Length ends the server.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { hostile } from '../robustness/hostile-inputs';
import { SERVER, TestClient } from './lsp-client';
import { tempWorkspaces } from '../workspace';

/**
 * A hover while the hostile files are scanned: within 1 s, as the issue asks. A stream of YAML
 * documents is analysed in slices with requests answered in between (lsp/slices.ts; the next test
 * holds a 2,000-document manifest to the same bound); a single document or Dockerfile is analysed
 * in one go: the 2,000-service Compose files and the 8,000-stage Dockerfile take 0.1 to 0.3 s each
 * warm, up to about 0.8 s on first use on a busy shared machine. Worst hover measured here: 616 to
 * 695 ms over three runs under load 3.3 to 4.5 (2.4 s before the slices and the two-turn yield).
 */
const HOVER_MS = 1_000;
const HAS_MKFIFO = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;
const SECRET = 'do-not-show-this-value';

const { workspace } = tempWorkspaces('cpl-hostile-lsp-');

const OK = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';

describe('a hostile workspace and the language server', { skip: !HAS_MKFIFO }, () => {
  it('scans it to the end, answers hovers on another file meanwhile, and shows nothing read through a link out', async () => {
    const outside = workspace({ 'secret.yaml': `${SECRET}: 1\nrules: {${SECRET}: error}\n` });
    const root = workspace({
      'open/compose.yaml': OK,
      'fifo/Dockerfile': 'FROM alpine\n',
      'stars/.gitignore': `${'*a'.repeat(12)}*b\n`,
      [`stars/${'a'.repeat(50)}/Dockerfile`]: 'FROM alpine\n',
      'chain/compose.yaml': hostile.mergeChain(30),
      'fan/compose.yaml': hostile.mergeFanOut(2000),
      'stages/Dockerfile': hostile.stages(8000),
      'extends/compose.yaml': hostile.extendsChain(2000),
      'pods/k8s/pods.yaml': hostile.pods(3000),
      'linked/Dockerfile': 'FROM alpine\n',
      'invalid/.container-privilege-lint.yaml': 'rules:\n  no-such-rule: error\ncolour: red\n',
      'invalid/Dockerfile': 'FROM alpine\n',
    });
    symlinkSync('/dev/zero', path.join(root, '.gitignore'));
    spawnSync('mkfifo', [path.join(root, 'fifo', '.gitignore')]);
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'linked', '.container-privilege-lint.yaml'));

    const client = await TestClient.start({ workspace: root });
    try {
      const uri = pathToFileURL(path.join(root, 'open/compose.yaml')).href;
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: OK } });
      await client.waitFor('diagnostics of the open file', () => client.latest(uri));
      const latencies: number[] = [];
      const scanned = (file: string) => client.published(pathToFileURL(path.join(root, file)).href).length > 0;
      // Hovers while the scan runs, until the last hostile file has its diagnostics.
      for (let i = 0; i < 200 && !(scanned('pods/k8s/pods.yaml') && scanned('stages/Dockerfile') && latencies.length >= 5); i++) {
        const t0 = performance.now();
        const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 5 } });
        latencies.push(performance.now() - t0);
        assert.ok(h, 'a hover on privileged');
        await new Promise((r) => setTimeout(r, 100));
      }
      const worst = Math.max(...latencies);
      console.log(`# ${latencies.length} hovers during the scan: worst ${worst.toFixed(0)} ms, median ${latencies.sort((a, b) => a - b)[latencies.length >> 1].toFixed(0)} ms`);
      assert.ok(worst <= HOVER_MS, `a hover took ${worst.toFixed(0)} ms while the scan ran`);
      for (const f of ['chain/compose.yaml', 'fan/compose.yaml', 'stages/Dockerfile', 'extends/compose.yaml', 'pods/k8s/pods.yaml', 'fifo/Dockerfile', `stars/${'a'.repeat(50)}/Dockerfile`]) {
        await client.waitFor(`diagnostics of ${f}`, () => scanned(f), 60_000);
      }
      const logs = client.logs.join('\n');
      assert.match(logs, /\.gitignore not used: it is a character device, not a regular file/);
      assert.match(logs, /fifo\/\.gitignore not used: it is a FIFO \(named pipe\), not a regular file/);
      assert.match(logs, /pattern '\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*b' not used/);
      // The linked config: not read, said so, its content never shown.
      assert.match(logs, /linked\/\.container-privilege-lint\.yaml: it is outside the workspace; using the defaults instead/);
      const everything = `${logs}\n${JSON.stringify(client.diagnostics)}`;
      assert.ok(!everything.includes(SECRET), 'a value of the config outside the workspace was shown');
      // The invalid config: one warning notification, diagnostics on the file.
      const warnings = client.logs.filter((l) => l.startsWith('[showMessage]') && l.includes('invalid/.container-privilege-lint.yaml'));
      assert.equal(warnings.length, 1, warnings.join('\n'));
      const configUri = pathToFileURL(path.join(root, 'invalid/.container-privilege-lint.yaml')).href;
      const configDiagnostics = (client.latest(configUri) as PublishDiagnosticsParams).diagnostics;
      assert.deepEqual(
        configDiagnostics.map((d) => [d.range.start.line, d.range.start.character, d.message]),
        [
          [1, 2, "unknown rule id 'no-such-rule'"],
          [2, 0, "unknown setting 'colour'; the known settings are rules, ignore, nonRootUid, maxFileSize, profile"],
        ],
      );
    } finally {
      await client.stop();
    }
  });

  it('answers a hover on another file within 1 s while a 2,000-document manifest is scanned, and while it is open', async () => {
    // The engine stops between YAML documents at a deadline and the server goes on after answering
    // what is waiting (lsp/slices.ts): in one go, this file holds the server for 1 to 3 s on this machine.
    const pods = hostile.pods(2000);
    const root = workspace({ 'open/compose.yaml': OK, 'k8s/pods.yaml': pods });
    const client = await TestClient.start({ workspace: root });
    try {
      const uri = pathToFileURL(path.join(root, 'open/compose.yaml')).href;
      const podsUri = pathToFileURL(path.join(root, 'k8s/pods.yaml')).href;
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'dockercompose', version: 1, text: OK } });
      await client.waitFor('diagnostics of the open file', () => client.latest(uri));
      const latencies: number[] = [];
      const hoverUntil = async (done: () => boolean) => {
        for (let i = 0; i < 400 && !done(); i++) {
          const t0 = performance.now();
          const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 5 } });
          latencies.push(performance.now() - t0);
          assert.ok(h, 'a hover on privileged');
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await hoverUntil(() => client.published(podsUri).length > 0);
      const scanned = client.latest(podsUri) as PublishDiagnosticsParams;
      client.notify('textDocument/didOpen', { textDocument: { uri: podsUri, languageId: 'yaml', version: 1, text: pods } });
      await hoverUntil(() => client.published(podsUri).some((p) => p.version === 1));
      const opened = client.published(podsUri).find((p) => p.version === 1) as PublishDiagnosticsParams;
      const worst = Math.max(...latencies);
      console.log(`# ${latencies.length} hovers while the manifest was scanned and opened: worst ${worst.toFixed(0)} ms`);
      assert.ok(worst <= 1000, `a hover took ${worst.toFixed(0)} ms`);
      // Analysed to the end either way: every pod's findings, and no note that the work stopped.
      for (const p of [scanned, opened]) {
        assert.equal(p.diagnostics.filter((d) => d.code === 'skipped').length, 0, JSON.stringify(p.diagnostics.filter((d) => d.code === 'skipped')));
        assert.equal(p.diagnostics.filter((d) => d.code === 'no-root-user').length, 2000);
      }
    } finally {
      await client.stop();
    }
  });

  it('a malformed Content-Length ends the server with a logged error', async () => {
    for (const length of ['-5', 'abc']) {
      const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const body = '{"jsonrpc":"2.0","id":1,"method":"shutdown"}';
      child.stdin.write(`Content-Length: ${length}\r\n\r\n${body}`);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      assert.equal(code, 1, `Content-Length ${length}: exit code ${code}\n${stderr}`);
      assert.match(stderr, /ending the connection: /);
    }
  });
});

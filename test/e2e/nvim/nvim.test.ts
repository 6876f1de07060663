/**
 * Neovim end to end: a headless Neovim (Debian's 0.7.2 works) runs the bundled server over
 * --stdio (init.lua), and test.lua waits for the no-privileged diagnostic, hovers it,
 * applies the preferred quick fix and writes the file. This test then checks the file on
 * disk. Without nvim on PATH it fails, unless CPL_SKIP_NVIM=1 says to skip it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { lint } from '../../../server/src/engine';

const REPO = path.resolve(__dirname, '../../../..');
const SERVER = path.join(REPO, 'dist', 'server.js');
const LUA = path.join(REPO, 'test', 'e2e', 'nvim');

const COMPOSE = [
  '# A service that should not be privileged.',
  'services:',
  '  cadvisor:',
  '    image: gcr.io/cadvisor/cadvisor:v0.49.1',
  '    privileged: true # "the README says so"',
  '    user: "65534:65534"',
  '    security_opt:',
  '      - no-new-privileges:true',
  '',
].join('\n');

function nvimAvailable(): boolean {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: os.tmpdir() } });
  return !r.error && r.status === 0;
}

const temp: string[] = [];
after(() => {
  for (const t of temp) rmSync(t, { recursive: true, force: true });
});

describe('Neovim (headless) over --stdio', () => {
  it('shows the no-privileged diagnostic and applies its quick fix', (t) => {
    if (!nvimAvailable()) {
      if (process.env.CPL_SKIP_NVIM === '1') {
        t.skip('nvim is not on PATH (skipped because CPL_SKIP_NVIM=1)');
        return;
      }
      assert.fail('nvim is not on PATH. Install it (Debian: apt-get install -y --no-install-recommends neovim) or set CPL_SKIP_NVIM=1 to skip the Neovim test.');
    }
    const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-nvim-'));
    temp.push(root);
    const ws = path.join(root, 'ws');
    mkdirSync(ws);
    const file = path.join(ws, 'docker-compose.yml');
    writeFileSync(file, COMPOSE);
    const env = {
      ...process.env,
      CPL_SERVER: SERVER,
      XDG_CACHE_HOME: path.join(root, 'cache'),
      XDG_STATE_HOME: path.join(root, 'state'),
      XDG_DATA_HOME: path.join(root, 'data'),
      XDG_CONFIG_HOME: path.join(root, 'config'),
    };
    const r = spawnSync('nvim', ['--headless', '-i', 'NONE', '-u', path.join(LUA, 'init.lua'), 'docker-compose.yml', '-c', `luafile ${path.join(LUA, 'test.lua')}`], {
      cwd: ws,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 90000,
    });
    const output = `exit ${r.status}${r.signal ? ` (signal ${r.signal})` : ''}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
    assert.equal(r.error, undefined, `${String(r.error)}\n${output}`);
    assert.equal(r.status, 0, output);
    assert.match(r.stdout, /diagnostic: no-privileged \[container-privilege-lint\] at 5:5/, output);
    assert.match(r.stdout, /applied: Replace privileged with devices: \[\/dev\/kmsg\]/, output);
    assert.match(r.stdout, /PASS/, output);

    const saved = readFileSync(file, 'utf8');
    assert.doesNotMatch(saved, /privileged:\s*true/, saved);
    assert.ok(saved.includes('# A service that should not be privileged.'), 'comments are kept');
    const result = lint(saved, { path: file });
    const ids = result.findings.map((f) => f.ruleId);
    assert.equal(result.kind, 'compose');
    assert.ok(!ids.includes('parse-error') && !ids.includes('no-privileged'), `findings after the fix: ${ids.join(', ')}`);
  });
});

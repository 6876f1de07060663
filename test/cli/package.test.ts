/**
 * The npm package as a user gets it: `npm pack`, then `npm install --omit=dev` of the tarball into
 * an empty folder with `--offline` and an empty npm cache (so nothing can come from the registry),
 * then both bins run from there. Also: the tarball holds only the `files` whitelist (no source
 * maps, tests, sources or screenshots) and stays within 1.5 MB, and the bundles need no package
 * beyond Node's own modules, which is why the package has no runtime dependencies.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildId, BUILD_PREFIX, WRAP_CLOSE, WRAP_OPEN } from '../../server/src/launch/code-cache';

const REPO = path.resolve(__dirname, '../../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const LIMIT = 1_500_000;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cpl-pack-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** npm with a private, empty cache and no audit/fund calls: nothing is fetched or looked up. */
function npm(args: string[], cwd: string) {
  const r = spawnSync(NPM, [...args, '--cache', path.join(tmp, 'npm-cache'), '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } });
  assert.equal(r.status, 0, `npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('the npm package', () => {
  let pack: PackResult;
  let prefix: string;
  let bin: (name: string) => string;

  before(() => {
    // --ignore-scripts: pack what `npm run build` made (the test runs after it) instead of rebuilding.
    const out = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO);
    // A lifecycle banner may precede the JSON on some npm versions.
    const parsed = JSON.parse(out.slice(out.indexOf('['))) as PackResult[];
    assert.equal(parsed.length, 1);
    pack = parsed[0];
    prefix = path.join(tmp, 'prefix');
    mkdirSync(prefix);
    writeFileSync(path.join(prefix, 'package.json'), '{"name":"consumer","private":true}\n');
    npm(['install', '--omit=dev', '--offline', path.join(tmp, pack.filename)], prefix);
    bin = (name) => path.join(prefix, 'node_modules', '.bin', name);
  });

  it(`packs to at most ${LIMIT / 1e6} MB`, () => {
    assert.ok(pack.size <= LIMIT, `packed size ${pack.size} bytes exceeds ${LIMIT}`);
  });

  it('ships the files whitelist and nothing else', () => {
    const files = pack.files.map((f) => f.path).sort();
    assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli-main.js.cache', 'dist/cli.js', 'dist/extension.js', 'dist/lib-diff.js', 'dist/lib-ignore.js', 'dist/lib-jsonc-parser.js', 'dist/lib-picomatch.js', 'dist/lib-yaml.js', 'dist/mvdan-sh.js', 'dist/server.js', 'images/icon.png', 'package.json', 'syntaxes/suppression.injection.json']);
  });

  it('installs without any other package', () => {
    const installed = readdirSync(path.join(prefix, 'node_modules')).filter((n) => !n.startsWith('.'));
    assert.deepEqual(installed, ['container-privilege-lint']);
  });

  it('the bundles require nothing but Node modules (and vscode, for the extension)', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    // The shell parser is its own file next to the bundles (scripts/bundle.mjs), shipped with them.
    for (const [file, allowed] of [['dist/cli.js', []], ['dist/cli-main.js', ['./mvdan-sh.js', './lib-yaml.js', './lib-jsonc-parser.js', './lib-diff.js', './lib-ignore.js', './lib-picomatch.js']], ['dist/server.js', ['./mvdan-sh.js']], ['dist/extension.js', ['vscode']]] as const) {
      const text = readFileSync(path.join(prefix, 'node_modules', 'container-privilege-lint', file), 'utf8');
      const required = new Set([...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
      const foreign = [...required].filter((m) => !builtins.has(m) && !(allowed as readonly string[]).includes(m));
      assert.deepEqual(foreign, [], `${file} requires ${foreign.join(', ')}`);
      assert.ok(required.size > 0, `${file}: the require scan found nothing, so it proves nothing`);
    }
  });

  it("the installed CLI's code cache is the one made for its bundle, and V8 takes it (#16)", () => {
    // The launcher's own function, run on the installed files in a child (it runs the CLI there).
    const dist = path.join(prefix, 'node_modules', 'container-privilege-lint', 'dist');
    const launch = path.join(REPO, 'out', 'server', 'src', 'launch', 'code-cache.js');
    const script = `process.argv = [process.argv[0], 'cli.js', '--version'];
      const use = require(${JSON.stringify(launch)}).runBundle(${JSON.stringify(path.join(dist, 'cli-main.js'))}, ${JSON.stringify(path.join(dist, 'cli-main.js.cache'))}, { nodeCompileCache: false });
      process.stderr.write('cache: ' + use);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    assert.equal(r.stderr, 'cache: accepted');
  });

  it('the CLI bundle is written wrapped, so that the launcher compiles its text as read (#16)', () => {
    const text = readFileSync(path.join(prefix, 'node_modules', 'container-privilege-lint', 'dist', 'cli-main.js'), 'latin1');
    const id = buildId(text);
    assert.ok(id, 'no build comment');
    assert.ok(text.startsWith(`${BUILD_PREFIX}${id}*/${WRAP_OPEN}`), text.slice(0, 200));
    assert.ok(text.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '').endsWith(WRAP_CLOSE), text.slice(-200));
  });

  it('container-privilege-lint runs from the install and reports a finding', () => {
    const version = spawnSync(bin('container-privilege-lint'), ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    const work = path.join(tmp, 'work');
    mkdirSync(work);
    writeFileSync(path.join(work, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n');
    const r = spawnSync(bin('container-privilege-lint'), ['--format', 'json', '.'], { cwd: work, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: { ruleId: string }[] }[]).flatMap((f) => f.findings.map((x) => x.ruleId));
    assert.ok(findings.includes('no-privileged'), r.stdout);
    // A shell script loads the shell parser, shipped as dist/mvdan-sh.js next to the bundle.
    writeFileSync(path.join(work, 'setup.sh'), '#!/bin/sh\ndocker run --privileged -d nginx\n');
    const sh = spawnSync(bin('container-privilege-lint'), ['--format', 'json', 'setup.sh'], { cwd: work, encoding: 'utf8' });
    assert.equal(sh.status, 1, sh.stderr);
    assert.ok((JSON.parse(sh.stdout) as { findings: { ruleId: string }[] }[]).some((f) => f.findings.some((x) => x.ruleId === 'no-privileged')), sh.stdout);
  });

  it('container-privilege-lint-server answers initialize over stdio', async () => {
    const server = spawn(bin('container-privilege-lint-server'), ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      server.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const reply = await new Promise<string>((resolve, reject) => {
        let received = '';
        const timer = setTimeout(() => reject(new Error(`no initialize reply; got: ${received}`)), 20_000);
        server.stdout.on('data', (chunk: Buffer) => {
          received += chunk.toString('utf8');
          if (/"id":1\b/.test(received) && received.includes('"capabilities"')) {
            clearTimeout(timer);
            resolve(received);
          }
        });
        server.on('exit', (code) => reject(new Error(`server exited (${code}) before replying; got: ${received}`)));
      });
      assert.match(reply, /"textDocumentSync"/);
    } finally {
      server.kill();
    }
  });
});

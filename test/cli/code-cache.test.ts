/**
 * The CLI's launcher (server/src/launch/code-cache.ts, #16): a bundle compiled with the V8 code
 * cache made for it, and compiled as usual with any other cache or none. Each run is a child
 * process, as the launcher runs the bundle as that process's program.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildId, BUILD_PREFIX, WRAP_CLOSE, WRAP_OPEN } from '../../server/src/launch/code-cache';

const LAUNCH = path.resolve(__dirname, '../../server/src/launch/code-cache.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cpl-code-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A bundle with its build comment: it prints its argument doubled, and where it runs from. */
function bundle(name: string, body = 'process.stdout.write(String(Number(process.argv[2]) * 2) + " " + path.basename(__filename) + " " + typeof require("./side.js"));', wrapped = false): string {
  const inner = `const path = require("node:path");\n${body}\n`;
  const text = wrapped ? `${WRAP_OPEN}${inner}${WRAP_CLOSE}` : inner;
  const id = createHash('sha1').update(text).digest('hex');
  const file = path.join(tmp, `${name}.js`);
  writeFileSync(file, `${BUILD_PREFIX}${id}*/${text}`);
  writeFileSync(path.join(tmp, 'side.js'), 'module.exports = {};\n');
  return file;
}

function launch(file: string, cache: string, write: boolean): { out: string; use: string } {
  const script = `process.argv = [process.argv[0], 'launcher', '21'];
    const use = require(${JSON.stringify(LAUNCH)}).runBundle(${JSON.stringify(file)}, ${JSON.stringify(cache)}, { write: ${write}, nodeCompileCache: false });
    process.stderr.write(use);`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { out: r.stdout, use: r.stderr };
}

describe('the code cache of the CLI bundle', () => {
  it('reads the build hash from the first line only when it is whole', () => {
    const id = 'a'.repeat(40);
    assert.equal(buildId(`${BUILD_PREFIX}${id}*/"use strict";`), id);
    assert.equal(buildId(`${BUILD_PREFIX}${'a'.repeat(39)}*/`), undefined);
    assert.equal(buildId(`${BUILD_PREFIX}${'A'.repeat(40)}*/`), undefined);
    assert.equal(buildId(`${BUILD_PREFIX}${id}`), undefined);
    assert.equal(buildId(`"use strict";${BUILD_PREFIX}${id}*/`), undefined);
  });

  it('writes a cache when asked, headed by the build hash, and V8 takes it on the next run', () => {
    const file = bundle('one');
    const cache = `${file}.cache`;
    assert.deepEqual(launch(file, cache, true), { out: '42 one.js object', use: 'absent' });
    const bytes = readFileSync(cache);
    assert.equal(bytes.toString('latin1', 0, 40), buildId(readFileSync(file, 'utf8')));
    assert.ok(bytes.length > 40);
    assert.deepEqual(launch(file, cache, false), { out: '42 one.js object', use: 'accepted' });
  });

  it("never hands V8 another build's cache", () => {
    const first = bundle('two');
    launch(first, `${first}.cache`, true);
    // Same length, other text: V8's own check (the length) would not tell them apart.
    const second = bundle('three', 'process.stdout.write(String(Number(process.argv[2]) * 3) + " " + path.basename(__filename) + " " + typeof require("./side.js"));');
    assert.equal(readFileSync(first).length, readFileSync(second).length);
    assert.deepEqual(launch(second, `${first}.cache`, false), { out: '63 three.js object', use: 'other-build' });
  });

  it('compiles as usual when V8 rejects the cache, or there is none', () => {
    const file = bundle('four');
    const cache = `${file}.cache`;
    launch(file, cache, true);
    const bytes = readFileSync(cache);
    // The right header and damaged V8 data.
    writeFileSync(cache, Buffer.concat([bytes.subarray(0, 40), Buffer.alloc(bytes.length - 40, 7)]));
    assert.deepEqual(launch(file, cache, false), { out: '42 four.js object', use: 'rejected' });
    rmSync(cache);
    assert.deepEqual(launch(file, cache, false), { out: '42 four.js object', use: 'absent' });
    assert.equal(existsSync(cache), false, 'a run that was not asked to write a cache wrote one');
  });

  it('reads a bundle that is not ASCII as UTF-8', () => {
    const file = bundle('five', 'process.stdout.write(String(Number(process.argv[2]) * 2) + " " + path.basename(__filename) + " " + typeof require("./side.js") + " é…");');
    assert.deepEqual(launch(file, `${file}.cache`, true), { out: '42 five.js object é…', use: 'absent' });
    assert.deepEqual(launch(file, `${file}.cache`, false), { out: '42 five.js object é…', use: 'accepted' });
  });

  it('runs a bundle written wrapped (as the build writes the CLI) as it is, cache and all', () => {
    const file = bundle('six', undefined, true);
    assert.deepEqual(launch(file, `${file}.cache`, true), { out: '42 six.js object', use: 'absent' });
    assert.deepEqual(launch(file, `${file}.cache`, false), { out: '42 six.js object', use: 'accepted' });
    // Not wrapped a second time: `arguments` is the CommonJS wrapper's own five.
    const count = bundle('seven', 'process.stdout.write(String(arguments.length) + " " + typeof module.exports + " " + path.basename(__dirname));', true);
    assert.equal(launch(count, `${count}.cache`, false).out, `5 object ${path.basename(tmp)}`);
  });

  it("runs a bundle written wrapped through Node's own loader too (Node 22's compile cache)", () => {
    const file = bundle('eight', undefined, true);
    const script = `process.argv = [process.argv[0], 'launcher', '21'];
      require(${JSON.stringify(LAUNCH)}).loadAsModule(${JSON.stringify(file)});`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '42 eight.js object');
    // Run by Node as its main module, it runs itself (once).
    const direct = spawnSync(process.execPath, [file, '21'], { encoding: 'utf8' });
    assert.equal(direct.status, 0, direct.stderr);
    assert.equal(direct.stdout, '42 eight.js object');
    // A bundle not wrapped runs once, as a module.
    const plain = bundle('nine');
    const again = spawnSync(process.execPath, ['-e', script.replace(JSON.stringify(file), JSON.stringify(plain))], { encoding: 'utf8' });
    assert.equal(again.stdout, '42 nine.js object');
  });

  it('writes no cache for a bundle without a build hash', () => {
    const file = path.join(tmp, 'plain.js');
    writeFileSync(file, 'process.stdout.write("plain");\n');
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LAUNCH)}).runBundle(${JSON.stringify(file)}, ${JSON.stringify(`${file}.cache`)}, { write: true, nodeCompileCache: false })`], { encoding: 'utf8' });
    assert.equal(r.stdout, 'plain');
    assert.equal(existsSync(`${file}.cache`), false);
  });
});

describe('libraries the CLI loads on first use (scripts/bundle.mjs)', () => {
  const CLI = path.resolve(__dirname, '../../../dist/cli.js');
  const hook = path.join(tmp, 'record-loads.js');
  writeFileSync(hook, `const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/lib-|mvdan-sh/.test(request)) process.stderr.write('loaded ' + request + '\\n');
  return load.call(this, request, ...rest);
};
`);
  const loads = (file: string, text: string) => {
    const dir = mkdtempSync(path.join(tmp, 'work-'));
    writeFileSync(path.join(dir, file), text);
    const r = spawnSync(process.execPath, ['-r', hook, CLI, '--format', 'json', file], { cwd: dir, encoding: 'utf8' });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.ok(r.stdout.includes('"ruleId"'), r.stdout);
    return r.stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice(7)).sort();
  };

  it('a Dockerfile loads none of them', () => {
    assert.deepEqual(loads('Dockerfile', 'FROM alpine:3.20\nUSER root\n'), []);
  });

  it('a .gitignore loads the ignore matcher, and a config with `ignore` globs picomatch, and both still match', () => {
    const dir = mkdtempSync(path.join(tmp, 'globs-'));
    mkdirSync(path.join(dir, 'skipped'));
    mkdirSync(path.join(dir, 'vendor'));
    mkdirSync(path.join(dir, 'kept'));
    for (const d of ['skipped', 'vendor', 'kept']) writeFileSync(path.join(dir, d, 'Dockerfile'), 'FROM alpine:3.20\nUSER root\n');
    writeFileSync(path.join(dir, '.gitignore'), 'skipped/\n');
    writeFileSync(path.join(dir, '.container-privilege-lint.yaml'), 'ignore:\n  - "vendor/**"\n');
    const r = spawnSync(process.execPath, ['-r', hook, CLI, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const files = new Set((JSON.parse(r.stdout) as { filePath: string }[]).map((f) => path.relative(dir, f.filePath)));
    assert.deepEqual([...files], [path.join('kept', 'Dockerfile')]);
    const loaded = r.stderr.split('\n').filter((l) => l.startsWith('loaded ')).map((l) => l.slice(7));
    assert.ok(loaded.includes('./lib-ignore.js') && loaded.includes('./lib-picomatch.js'), loaded.join(', '));
  });

  it('a Compose file loads the YAML parser, and a .devcontainer.json the JSONC one', () => {
    assert.deepEqual(loads('compose.yaml', 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n'), ['./lib-yaml.js']);
    assert.ok(loads('.devcontainer.json', '{ "image": "alpine", "privileged": true }\n').includes('./lib-jsonc-parser.js'));
  });
});

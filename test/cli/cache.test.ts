/**
 * --cache / --cache-location, through the bundled CLI:
 * - a hit prints exactly the bytes a miss prints, in every format (and a tampered entry shows that
 *   the hit path is really taken);
 * - a changed file, a changed config, and a changed, created or deleted dependency (a service's
 *   build Dockerfile) are linted again;
 * - a corrupt, hostile or unreadable cache is ignored with a warning, never a crash or a hang;
 * - the file is written by rename (no temporary file left), entries of files not linted this run
 *   survive, and --fix still fixes a file whose report came from the cache.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const CACHE = '.container-privilege-lint-cache';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  assert.equal(r.error, undefined, `the CLI did not finish: ${r.error?.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmpRoots: string[] = [];
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cpl-cache-'));
  tmpRoots.push(root);
  for (const [rel, content] of Object.entries(files)) write(root, rel, content);
  return root;
}
function write(root: string, rel: string, content: string): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
}
after(() => {
  for (const r of tmpRoots) rmSync(r, { recursive: true, force: true });
});

interface CacheFile {
  cache: string;
  format: number;
  tool: string;
  strings: string[];
  entries: Record<string, { key: string; deps: [string, string | null][]; report: { filePath: string; findings: { finding: { ruleId: string; message: string; severity: string } }[] } }>;
}
/** The cache with each entry's report and dependencies parsed (string-table references left as they are). */
function readCache(file: string): CacheFile {
  const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  for (const e of Object.values(data.entries) as unknown as Record<string, unknown>[]) {
    e.report = JSON.parse(e.report as string);
    e.deps = JSON.parse(e.deps as string);
  }
  return data;
}
/** readCache's view back in the stored form (reports and dependencies as JSON text). */
function storedForm(data: CacheFile, entries: Record<string, unknown> = data.entries): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(entries) as [string, Record<string, unknown>][]) out[k] = { ...e, report: JSON.stringify(e.report), deps: JSON.stringify(e.deps) };
  return { ...data, entries: out };
}
function writeCache(file: string, data: CacheFile): void {
  writeFileSync(file, JSON.stringify(storedForm(data)));
}

const BUILT = 'services:\n  web:\n    build: ./app\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n';
const NON_ROOT = 'FROM alpine:3.20\nUSER 10001\n';
const ROOT = 'FROM alpine:3.20\nUSER root\n';
const PRIVILEGED = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const MIXED = {
  'compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n    user: root\n    cap_add: [SYS_ADMIN]\n',
  'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: nginx\n',
  'Dockerfile': 'FROM node:20\nRUN npm ci\n',
  '.devcontainer/devcontainer.json': '{ "image": "mcr.microsoft.com/devcontainers/base", "runArgs": ["--cap-add=SYS_PTRACE"] }\n',
  'svc/compose.yaml': BUILT,
  'svc/app/Dockerfile': ROOT,
  'notes.yaml': 'just: data\n',
};

function ruleIds(run: Run): string[] {
  return (JSON.parse(run.stdout) as { findings: { ruleId: string }[] }[]).flatMap((f) => f.findings.map((x) => x.ruleId)).sort();
}

describe('--cache', () => {
  for (const format of ['stylish', 'json', 'sarif', 'github']) {
    it(`a hit prints the same bytes as a miss and as no cache (${format})`, () => {
      const root = workspace(MIXED);
      const args = ['--format', format, '--summary', '.'];
      const plain = cli(root, ...args);
      const miss = cli(root, '--cache', ...args);
      assert.ok(existsSync(path.join(root, CACHE)), 'the cache was written');
      const hit = cli(root, '--cache', ...args);
      assert.equal(miss.stdout, plain.stdout);
      assert.equal(hit.stdout, plain.stdout);
      assert.equal(hit.stderr, plain.stderr);
      assert.equal(hit.code, plain.code);
      assert.ok(plain.stdout.length > 0);
    });
  }

  it('a hit really comes from the cache (an edited entry shows up), and only while the file is unchanged', () => {
    const root = workspace({ 'compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n    user: root\n' });
    cli(root, '--cache', '-f', 'json', '.');
    const file = path.join(root, CACHE);
    const data = readCache(file);
    const entry = data.entries[path.join(root, 'compose.yaml')];
    assert.ok(entry.report.findings.length > 0);
    for (const f of entry.report.findings) f.finding.message = 'FROM THE CACHE';
    writeCache(file, data);
    assert.match(cli(root, '--cache', '-f', 'json', '.').stdout, /FROM THE CACHE/);
    write(root, 'compose.yaml', 'services:\n  api:\n    image: nginx:1.27\n    user: root # changed\n');
    assert.doesNotMatch(cli(root, '--cache', '-f', 'json', '.').stdout, /FROM THE CACHE/);
  });

  it('a file last modified long before it was read is trusted by size and mtime; a same-size edit is still seen', () => {
    const root = workspace({ 'compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n    user: root\n' });
    const file = path.join(root, 'compose.yaml');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(file, hourAgo, hourAgo);
    cli(root, '--cache', '-f', 'json', '.');
    const cacheFile = path.join(root, CACHE);
    const data = readCache(cacheFile);
    const entry = data.entries[file];
    for (const f of entry.report.findings) f.finding.message = 'FROM THE CACHE';
    // The stored content hash no longer matches the file: only the stat path can still hit.
    (entry as unknown as { content: string }).content = '0'.repeat(64);
    writeCache(cacheFile, data);
    assert.match(cli(root, '--cache', '-f', 'json', '.').stdout, /FROM THE CACHE/, 'unchanged size and old mtime: not read again');
    // The same number of bytes, written now: the mtime moves, so it is read and linted again.
    const same = 'services:\n  api:\n    image: nginx:1.28\n    user: root\n';
    assert.equal(Buffer.byteLength(same), readFileSync(file).length);
    writeFileSync(file, same);
    const r = cli(root, '--cache', '-f', 'json', '.');
    assert.doesNotMatch(r.stdout, /FROM THE CACHE/);
    assert.ok(ruleIds(r).includes('no-root-user'));
  });

  it('a changed rule setting or profile is linted again', () => {
    const root = workspace({ 'compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n    user: root\n' });
    assert.ok(ruleIds(cli(root, '--cache', '-f', 'json', '.')).includes('no-root-user'));
    assert.ok(!ruleIds(cli(root, '--cache', '-f', 'json', '--rule', 'no-root-user=off', '.')).includes('no-root-user'));
    write(root, '.container-privilege-lint.yaml', 'rules:\n  no-root-user: off\n');
    assert.ok(!ruleIds(cli(root, '--cache', '-f', 'json', '.')).includes('no-root-user'));
    write(root, '.container-privilege-lint.yaml', 'rules:\n  no-root-user: error\n');
    const r = cli(root, '--cache', '-f', 'json', '.');
    assert.equal(r.code, 1, 'the config file now makes it an error');
  });

  it('a change in a dependency (the build Dockerfile) is linted again, though the compose file did not change', () => {
    const root = workspace({ 'compose.yaml': BUILT, 'app/Dockerfile': NON_ROOT });
    // Only the compose file is named: the Dockerfile is read as its dependency, not linted.
    assert.deepEqual(ruleIds(cli(root, '--cache', '-f', 'json', 'compose.yaml')), []);
    const data = readCache(path.join(root, CACHE));
    // Stored relative to the file's folder, through the string table ("^N").
    const deps = Object.values(data.entries)[0].deps.map(([p, hash]) => [path.resolve(root, data.strings[Number(p.slice(1))]), hash]);
    assert.ok(deps.some(([p, hash]) => p === path.join(root, 'app', 'Dockerfile') && hash !== null), JSON.stringify(deps));
    write(root, 'app/Dockerfile', ROOT);
    assert.deepEqual(ruleIds(cli(root, '--cache', '-f', 'json', 'compose.yaml')), ['no-root-user']);
    write(root, 'app/Dockerfile', NON_ROOT);
    assert.deepEqual(ruleIds(cli(root, '--cache', '-f', 'json', 'compose.yaml')), []);
  });

  it('a dependency that appears or disappears is linted again', () => {
    const root = workspace({ 'compose.yaml': BUILT });
    // No Dockerfile: nothing is known about the image's user, so nothing is said.
    assert.deepEqual(ruleIds(cli(root, '--cache', '-f', 'json', 'compose.yaml')), []);
    write(root, 'app/Dockerfile', ROOT);
    assert.deepEqual(ruleIds(cli(root, '--cache', '-f', 'json', 'compose.yaml')), ['no-root-user']);
    rmSync(path.join(root, 'app', 'Dockerfile'));
    assert.deepEqual(ruleIds(cli(root, '--cache', '-f', 'json', 'compose.yaml')), []);
  });

  it('walking a folder, a file that appears where the walk saw none is linted again (build Dockerfile, override file)', () => {
    // Absent files in a walked folder are answered from the walk's listing: the next run's
    // listing must see them appear.
    const root = workspace({ 'compose.yaml': 'services:\n  web:\n    build: ./app\n    security_opt: [no-new-privileges:true]\n' });
    const forCompose = (run: Run) =>
      (JSON.parse(run.stdout) as { filePath: string; findings: { ruleId: string }[] }[])
        .filter((f) => f.filePath === path.join(root, 'compose.yaml'))
        .flatMap((f) => f.findings.map((x) => x.ruleId))
        .sort();
    assert.deepEqual(forCompose(cli(root, '--cache', '-f', 'json', '.')), ['require-drop-all-capabilities']);
    write(root, 'app/Dockerfile', ROOT);
    assert.deepEqual(forCompose(cli(root, '--cache', '-f', 'json', '.')), ['no-root-user', 'require-drop-all-capabilities']);
    write(root, 'compose.override.yaml', 'services:\n  web:\n    cap_drop: [ALL]\n');
    assert.deepEqual(forCompose(cli(root, '--cache', '-f', 'json', '.')), ['no-root-user']);
    assert.deepEqual(forCompose(cli(root, '-f', 'json', '.')), ['no-root-user'], 'the same without the cache');
  });

  it('--fix fixes a file even when its report is cached', () => {
    const root = workspace({ 'compose.yaml': 'services:\n  api:\n    image: nginx:1.27\n    user: "10001:10001"\n' });
    const before = cli(root, '--cache', '-f', 'json', '.');
    assert.ok(ruleIds(before).includes('require-no-new-privileges'));
    cli(root, '--cache', '--fix', '.');
    assert.match(readFileSync(path.join(root, 'compose.yaml'), 'utf8'), /no-new-privileges/);
    assert.ok(!ruleIds(cli(root, '--cache', '-f', 'json', '.')).includes('require-no-new-privileges'));
  });

  it('privileged containers: the explanation comes back from the cache as it was (stylish --explain and JSON)', () => {
    const root = workspace({ 'compose.yaml': PRIVILEGED, 'vpn/compose.yaml': 'services:\n  vpn:\n    image: linuxserver/wireguard\n    privileged: true\n' });
    for (const args of [['--explain'], ['-f', 'json']]) {
      const plain = cli(root, ...args, '.');
      rmSync(path.join(root, CACHE), { force: true });
      assert.equal(cli(root, '--cache', ...args, '.').stdout, plain.stdout);
      assert.equal(cli(root, '--cache', ...args, '.').stdout, plain.stdout);
    }
    const data = readCache(path.join(root, CACHE));
    assert.equal(Object.keys(data.entries).length, 2, 'both reports are stored');
    // The hit path is taken: an edited explanation shows up.
    for (const e of Object.values(data.entries) as unknown as { report: { privileged: { explanation: { summary: string } }[] } }[]) e.report.privileged[0].explanation.summary = 'FROM THE CACHE';
    writeCache(path.join(root, CACHE), data);
    assert.match(cli(root, '--cache', '--explain', '.').stdout, /FROM THE CACHE/);
    // An explanation of the wrong shape is a malformed entry: linted again, with a warning.
    const plain = cli(root, '--explain', '.');
    const again = readCache(path.join(root, CACHE));
    for (const e of Object.values(again.entries) as unknown as { report: { privileged: { explanation: { items: unknown } }[] } }[]) e.report.privileged[0].explanation.items = 'not a list';
    writeCache(path.join(root, CACHE), again);
    const r = cli(root, '--cache', '--explain', '.');
    assert.equal(r.stdout, plain.stdout);
    assert.match(r.stderr, /ignoring 2 malformed entries/);
  });

  describe('the cache file', () => {
    it('--cache-location names a file, or a folder that gets the default name; folders are created', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED.replace('privileged: true', 'user: root') });
      cli(root, '--cache', '--cache-location', 'build/cpl/cache.json', '.');
      assert.ok(existsSync(path.join(root, 'build/cpl/cache.json')));
      mkdirSync(path.join(root, 'cachedir'));
      cli(root, '--cache', '--cache-location', 'cachedir', '.');
      assert.ok(existsSync(path.join(root, 'cachedir', CACHE)));
      cli(root, '--cache', '--cache-location', 'newdir/', '.');
      assert.ok(existsSync(path.join(root, 'newdir', CACHE)));
      assert.equal(cli(root, '--cache-location', 'x', '.').code, 2, '--cache-location alone is a usage error');
    });

    it('is replaced by rename: no temporary file is left beside it', () => {
      const root = workspace(MIXED);
      cli(root, '--cache', '.');
      cli(root, '--cache', '.');
      assert.deepEqual(readdirSync(root).filter((n) => n.startsWith(CACHE)), [CACHE]);
    });

    it('keeps the entries of files this run did not lint, and drops those of deleted files', () => {
      const root = workspace({ 'a/compose.yaml': PRIVILEGED.replace('privileged: true', 'user: root'), 'b/compose.yaml': 'services:\n  x:\n    image: nginx\n' });
      cli(root, '--cache', 'a');
      cli(root, '--cache', 'b');
      const keys = () => Object.keys(readCache(path.join(root, CACHE)).entries).map((p) => path.relative(root, p)).sort();
      assert.deepEqual(keys(), [path.join('a', 'compose.yaml'), path.join('b', 'compose.yaml')]);
      rmSync(path.join(root, 'a'), { recursive: true });
      cli(root, '--cache', 'b');
      assert.deepEqual(keys(), [path.join('b', 'compose.yaml')]);
    });

    it('a cache that cannot be written is a warning, not a failure', () => {
      const root = workspace({ 'compose.yaml': 'services:\n  x:\n    image: nginx\n    user: "1:1"\n', blocker: 'a file, not a folder\n' });
      const r = cli(root, '--cache', '--cache-location', 'blocker/cache', '-f', 'json', '.');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /cannot write the cache/);
      JSON.parse(r.stdout);
    });
  });

  describe('a corrupt or hostile cache is ignored with a warning', () => {
    const hostile: [string, (root: string, file: string) => void, RegExp | undefined][] = [
      ['truncated JSON', (_r, f) => writeFileSync(f, '{"cache":"container-privilege-lint-cache","format":1,"entries":{"/x'), /not valid JSON/],
      ['binary garbage', (_r, f) => writeFileSync(f, Buffer.from([0, 255, 254, 1, 2, 3])), /not valid JSON/],
      ['another tool', (_r, f) => writeFileSync(f, '{"version":4,"files":[]}'), /not a container-privilege-lint cache/],
      ['deep nesting', (_r, f) => writeFileSync(f, `${'['.repeat(200_000)}${']'.repeat(200_000)}`), /./],
      ['a symlink to /dev/zero', (_r, f) => symlinkSync('/dev/zero', f), /not a regular file/],
      ['a FIFO', (_r, f) => assert.equal(spawnSync('mkfifo', [f]).status, 0), /not a regular file/],
      ['a folder', (_r, f) => mkdirSync(path.join(f, CACHE), { recursive: true }), /not a regular file|EISDIR/],
    ];
    for (const [name, make, warning] of hostile) {
      it(name, () => {
        const root = workspace(MIXED);
        const plain = cli(root, '-f', 'json', '.');
        make(root, path.join(root, CACHE));
        const r = cli(root, '--cache', '-f', 'json', '.');
        assert.equal(r.stdout, plain.stdout);
        assert.equal(r.code, plain.code, r.stderr);
        assert.doesNotMatch(r.stderr, /internal error/);
        if (warning) assert.match(r.stderr, warning);
      });
    }

    it('entries with the wrong shapes are dropped (when read, or when used), one warning, and the rest is used', () => {
      const root = workspace({ 'a/compose.yaml': 'services:\n  x:\n    image: nginx\n    user: root\n', 'b/compose.yaml': 'services:\n  y:\n    image: nginx\n    user: root\n' });
      const plain = cli(root, '-f', 'json', '--summary', '.');
      cli(root, '--cache', '.');
      const file = path.join(root, CACHE);
      const data = readCache(file);
      const [a, b] = Object.keys(data.entries).sort();
      const badA = JSON.parse(JSON.stringify(data.entries[a])) as Record<string, unknown> & { report: { findings: unknown[]; tiers?: unknown } };
      badA.report.findings = [{ finding: { ruleId: 'no-root-user', severity: 'fatal', message: 1, span: 'x', fixes: null }, region: {}, related: 5 }];
      badA.report.tiers = [{ notes: 'not a list' }];
      const entries: Record<string, unknown> = { [a]: badA, [b]: data.entries[b], '/elsewhere/compose.yaml': data.entries[b] };
      // A __proto__ key must stay data, not become the entries' prototype.
      const text = JSON.stringify(storedForm(data, entries)).replace(/}}$/, ',"__proto__":{"polluted":true}}}');
      writeFileSync(file, text);
      const r = cli(root, '--cache', '-f', 'json', '--summary', '.');
      assert.equal(r.stdout, plain.stdout);
      // badA's report, checked when used, and the "__proto__" entry, checked when read; the entry
      // of /elsewhere is never used and dropped with its missing file.
      assert.match(r.stderr, /ignoring 2 malformed entries/);
      assert.doesNotMatch(JSON.stringify(Object.keys(readCache(file).entries)), /elsewhere|__proto__/);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      // The dropped entry was linted again and stored right.
      assert.equal(readCache(file).entries[a].report.findings.length, data.entries[a].report.findings.length);
    });

    it('strings go through the string table: "^^" is a literal caret, a reference past the table is a malformed entry', () => {
      const root = workspace({ 'a/compose.yaml': 'services:\n  x:\n    image: nginx\n    user: root\n', 'b/compose.yaml': 'services:\n  y:\n    image: nginx\n    user: root\n' });
      const plain = cli(root, '-f', 'json', '.');
      cli(root, '--cache', '.');
      const file = path.join(root, CACHE);
      const data = readCache(file);
      const [a, b] = Object.keys(data.entries).sort();
      for (const f of data.entries[a].report.findings) f.finding.message = '^^caret';
      for (const f of data.entries[b].report.findings) f.finding.message = `^${data.strings.length + 5}`;
      writeCache(file, data);
      const r = cli(root, '--cache', '-f', 'json', '.');
      assert.match(r.stdout, /"\^caret"/, 'the literal came back with one caret');
      assert.match(r.stderr, /ignoring 1 malformed entry/);
      const fresh = (JSON.parse(r.stdout) as { filePath: string }[]).find((x) => x.filePath === b);
      assert.deepEqual(fresh, (JSON.parse(plain.stdout) as { filePath: string }[]).find((x) => x.filePath === b), 'the malformed entry was linted again');
    });

    it("another build's cache is started over without a warning", () => {
      const root = workspace({ 'compose.yaml': 'services:\n  x:\n    image: nginx\n    user: root\n' });
      cli(root, '--cache', '.');
      const file = path.join(root, CACHE);
      const data = readCache(file);
      for (const e of Object.values(data.entries)) for (const f of e.report.findings) f.finding.message = 'STALE';
      data.tool = '0.0.1+older';
      writeCache(file, data);
      const r = cli(root, '--cache', '.');
      assert.doesNotMatch(r.stdout, /STALE/);
      assert.equal(r.stderr, '');
    });
  });
});

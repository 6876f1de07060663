/**
 * A repository is input from strangers (#17): each row of the table, as files a git
 * repository can carry, run through the bundled CLI (dist/cli.js) with a bound on its time.
 * The CLI must finish within the bound with the stated result, or exit with a clear error;
 * never hang, never grow without limit, never print "internal error". The editor side of the
 * same inputs is in test/server/hostile-workspace.test.ts; the growth of the analysis with the
 * input (time at most about doubling when the input doubles) is in growth.test.ts.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { hostile } from './hostile-inputs';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
/** Generous: each of these finishes in seconds even on a busy machine; a regression hangs or takes many minutes. */
const BOUND_MS = 60_000;
const HAS_MKFIFO = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', CLI, ...args], { cwd, encoding: 'utf8', timeout: BOUND_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.signal, null, `the CLI did not finish within ${BOUND_MS} ms (killed by ${r.signal})\n${r.stderr?.slice(0, 2000)}`);
  assert.doesNotMatch(r.stderr, /internal error/, r.stderr.slice(0, 2000));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

const { workspace } = tempWorkspaces('cpl-hostile-');

const DOCKERFILE = 'FROM alpine:3.20\nUSER 10001\n';

describe('a hostile repository and the CLI', () => {
  it('a .gitignore that is a symbolic link to /dev/zero is not read, and says so', { skip: process.platform === 'win32' }, () => {
    const root = workspace({ Dockerfile: DOCKERFILE });
    symlinkSync('/dev/zero', path.join(root, '.gitignore'));
    const r = cli(root, '.');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\.gitignore not used: it is a character device, not a regular file/);
  });

  it('a .gitignore that is a FIFO is not opened, and says so', { skip: !HAS_MKFIFO }, () => {
    const root = workspace({ Dockerfile: DOCKERFILE });
    spawnSync('mkfifo', [path.join(root, '.gitignore')]);
    const r = cli(root, '.');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\.gitignore not used: it is a FIFO \(named pipe\), not a regular file/);
  });

  it('an explicit path that is a link to /dev/zero, or a FIFO, is a usage error naming what it is', { skip: !HAS_MKFIFO }, () => {
    const root = workspace();
    symlinkSync('/dev/zero', path.join(root, 'Dockerfile'));
    spawnSync('mkfifo', [path.join(root, 'compose.yaml')]);
    const zero = cli(root, 'Dockerfile');
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /Dockerfile is a character device: only regular files and folders can be linted/);
    const fifo = cli(root, 'compose.yaml');
    assert.equal(fifo.code, 2);
    assert.match(fifo.stderr, /compose\.yaml is a FIFO \(named pipe\): only regular files and folders can be linted/);
  });

  it('a .gitignore pattern with too many wildcards is not used, and says so; the other patterns still apply', () => {
    const root = workspace({
      '.gitignore': `${'*a'.repeat(12)}*b\nskipped/\n`,
      [`${'a'.repeat(50)}/Dockerfile`]: DOCKERFILE,
      'skipped/Dockerfile': 'FROM alpine\n',
    });
    const r = cli(root, '.', '-f', 'json');
    assert.match(r.stderr, /pattern '\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*a\*b' not used: it has 13 '\*' wildcards/);
    const files = (JSON.parse(r.stdout) as { filePath: string }[]).map((f) => path.relative(root, f.filePath));
    assert.deepEqual(files, [`${'a'.repeat(50)}/Dockerfile`]);
  });

  for (const [name, file, text] of [
    ['a 30-level merge-key chain, each level merging the one below twice', 'compose.yaml', hostile.mergeChain(30)],
    ['6,000 services each merging the same anchor', 'compose.yaml', hostile.mergeFanOut(6000)],
    ['32,000 Dockerfile stages', 'Dockerfile', hostile.stages(32_000)],
    ['an extends chain of 10,000 services', 'compose.yaml', hostile.extendsChain(10_000)],
  ] as const) {
    it(`${name} is analysed within the bound`, () => {
      const root = workspace({ [file]: text });
      const r = cli(root, file, '-f', 'json');
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.equal((JSON.parse(r.stdout) as unknown[]).length, 1);
    });
  }

  it('a merge expansion past the budget is an info finding on the anchor, the rest is analysed', () => {
    const root = workspace({ 'compose.yaml': hostile.mergeProduct(3000, 3000) });
    const r = cli(root, 'compose.yaml', '-f', 'json');
    const [report] = JSON.parse(r.stdout) as { findings: { ruleId: string; severity: string; message: string; line: number }[] }[];
    const skipped = report.findings.filter((f) => f.ruleId === 'skipped');
    assert.equal(skipped.length, 1, JSON.stringify(skipped));
    assert.equal(skipped[0].severity, 'info');
    assert.match(skipped[0].message, /^Partly analysed: the merge keys \(<<\) using this anchor expand to more entries than the document is large/);
    assert.ok(report.findings.some((f) => f.ruleId === 'no-privileged'), 'services are still analysed');
  });

  it('a config file with 40,000 unknown rule ids (0.8 MB) is a usage error listing the first 20', () => {
    const root = workspace({ Dockerfile: DOCKERFILE, '.container-privilege-lint.yaml': hostile.unknownRuleIds(40_000) });
    const r = cli(root, '.');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.container-privilege-lint\.yaml:2:3: unknown rule id 'bogus-0'/);
    assert.match(r.stderr, /39980 more problems not listed/);
    assert.equal(r.stderr.split('\n').filter((l) => l.includes('unknown rule id')).length, 20);
  });

  it('a JSON config nested 100,000 deep is a usage error, not an internal error', () => {
    const root = workspace({ Dockerfile: DOCKERFILE, '.container-privilege-lint.json': `${'['.repeat(100_000)}${']'.repeat(100_000)}` });
    const r = cli(root, '.');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\.container-privilege-lint\.json: the file is nested too deeply to read/);
  });

  it('config values of the wrong type and unknown keys are usage errors with a message', () => {
    const root = workspace({ Dockerfile: DOCKERFILE, '.container-privilege-lint.yaml': 'rules: [1, 2]\nmaxFileSize: {a: {b: {c: 1}}}\ncolour: red\n' });
    const r = cli(root, '.');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /:1:8: 'rules' must be a mapping of rule id to severity/);
    assert.match(r.stderr, /:2:14: 'maxFileSize' must be a positive integer \(characters\), got a mapping/);
    assert.match(r.stderr, /:3:1: unknown setting 'colour'/);
  });

  it('a config file cannot raise maxFileSize above the built-in 10 MB', () => {
    const big = `services:\n  web:\n    image: nginx\n${'# padding padding padding padding padding padding padding\n'.repeat(190_000)}`;
    assert.ok(big.length > 10 * 1024 * 1024);
    const root = workspace({ 'compose.yaml': big, '.container-privilege-lint.yaml': 'maxFileSize: 1000000000000000\n' });
    const r = cli(root, 'compose.yaml', '-f', 'json');
    const [report] = JSON.parse(r.stdout) as { findings: { ruleId: string; message: string }[] }[];
    assert.deepEqual(report.findings.map((f) => f.ruleId), ['skipped']);
    assert.match(report.findings[0].message, /larger than the 10485760-character limit/);
  });

  it('a config file can lower maxFileSize', () => {
    const root = workspace({ 'compose.yaml': 'services:\n  web:\n    image: nginx\n    privileged: true\n', '.container-privilege-lint.yaml': 'maxFileSize: 10\n' });
    const r = cli(root, 'compose.yaml', '-f', 'json');
    const [report] = JSON.parse(r.stdout) as { findings: { ruleId: string }[] }[];
    assert.deepEqual(report.findings.map((f) => f.ruleId), ['skipped']);
  });

  it('the config lookup stops at the repository top: a config file above it does not apply', () => {
    const root = workspace({ '.container-privilege-lint.yaml': 'rules:\n  no-privileged: off\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/compose.yaml': 'services:\n  web:\n    image: nginx\n    privileged: true\n' });
    const r = cli(path.join(root, 'repo'), 'compose.yaml', '-f', 'json');
    const [report] = JSON.parse(r.stdout) as { findings: { ruleId: string }[] }[];
    assert.ok(report.findings.some((f) => f.ruleId === 'no-privileged'), 'the config above the repository was not used');
  });

  it('the config lookup stops at the current folder: a config file above it does not apply', () => {
    const root = workspace({ '.container-privilege-lint.yaml': 'rules:\n  no-privileged: off\n', 'sub/compose.yaml': 'services:\n  web:\n    image: nginx\n    privileged: true\n' });
    const r = cli(path.join(root, 'sub'), 'compose.yaml', '-f', 'json');
    const [report] = JSON.parse(r.stdout) as { findings: { ruleId: string }[] }[];
    assert.ok(report.findings.some((f) => f.ruleId === 'no-privileged'));
    // From the folder that holds it, it applies.
    const inside = cli(root, 'sub/compose.yaml', '-f', 'json');
    assert.ok(!(JSON.parse(inside.stdout) as { findings: { ruleId: string }[] }[])[0].findings.some((f) => f.ruleId === 'no-privileged'));
  });
});

/**
 * End-to-end tests of the bundled CLI (dist/cli.js, built by `npm run build`):
 * exit codes, formats, options, config files, file walking, --fix, suppressions.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * These tests are about the CLI's mechanics on a few core findings, so the two info-level
 * advice rules (which fire on nearly every service) are off unless a test turns them on
 * (a later --rule wins). Their own behaviour is tested in test/rules.
 */
const QUIET_ADVICE = ['--rule', 'require-drop-all-capabilities=off', '--rule', 'prefer-user-namespaces=off'];

function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...QUIET_ADVICE, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const { workspace } = tempWorkspaces('cpl-cli-');

// Line 4 `privileged: true` (no-privileged, error); line 2 `web` lacks no-new-privileges (warning).
const PRIVILEGED = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
// Nothing to report.
const CLEAN = 'services:\n  app:\n    image: nginx:1.27\n    user: "10001:10001"\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n';
// One warning: user root (line 4).
const ROOT_ONLY = 'services:\n  app:\n    image: nginx:1.27\n    user: root\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n';

interface JsonFile {
  filePath: string;
  kind: string | null;
  findings: { ruleId: string; severity: string; message: string; line: number; column: number; endLine: number; endColumn: number; fixes: { title: string; preferred: boolean }[] }[];
}

function json(run: Run): JsonFile[] {
  return JSON.parse(run.stdout) as JsonFile[];
}

function ruleIds(files: JsonFile[]): string[] {
  return files.flatMap((f) => f.findings.map((x) => x.ruleId)).sort();
}

function lintedNames(files: JsonFile[], root: string): string[] {
  return files.map((f) => path.relative(root, f.filePath).split(path.sep).join('/')).sort();
}

describe('CLI', () => {
  it('has been built', () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  });

  describe('exit codes', () => {
    it('0 when nothing is at error severity', () => {
      const root = workspace({ 'compose.yaml': CLEAN });
      const r = cli(root);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
    });

    it('0 when there are only warnings', () => {
      const root = workspace({ 'compose.yaml': ROOT_ONLY });
      const r = cli(root);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /no-root-user/);
    });

    it('1 when a finding is at error severity', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED });
      const r = cli(root);
      assert.equal(r.code, 1, r.stderr);
    });

    for (const [title, args] of [
      ['an unknown option', ['--frobnicate']],
      ['an unknown format', ['--format', 'xml']],
      ['a bad --rule severity', ['--rule', 'no-privileged=fatal']],
      ['a --rule without a severity', ['--rule', 'no-privileged']],
      ['an unknown rule id in --rule', ['--rule', 'no-such-rule=off']],
      ['a bad --max-warnings', ['--max-warnings', 'many']],
      ['an option missing its value', ['--output']],
      ['a nonexistent path', ['does-not-exist']],
      ['an unreadable --config', ['--config', 'missing.yaml']],
    ] as const) {
      it(`2 on ${title}`, () => {
        const root = workspace({ 'compose.yaml': PRIVILEGED });
        const r = cli(root, ...args);
        assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
        assert.match(r.stderr, /container-privilege-lint: /);
        assert.equal(r.stdout, '');
      });
    }

    it('--help and --version exit 0', () => {
      const root = workspace({});
      const help = cli(root, '--help');
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: container-privilege-lint \[options\] \[paths\.\.\.\]/);
      const version = cli(root, '--version');
      assert.equal(version.code, 0);
      const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
      assert.equal(version.stdout.trim(), pkg.version);
    });
  });

  describe('stylish format', () => {
    it('prints a path header, aligned 1-based rows and the summary', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED });
      const r = cli(root);
      const lines = r.stdout.split('\n');
      assert.equal(lines[1], 'compose.yaml');
      assert.match(r.stdout, /^ {2}2:3 {2}warning {2}.+ {2}require-no-new-privileges$/m);
      assert.match(r.stdout, /^ {2}4:5 {2}error {4}.+ {2}no-privileged$/m);
      assert.match(r.stdout, /\u2716 2 problems \(1 error, 1 warning, 0 infos\)/);
      assert.ok(!r.stdout.includes('\u001b['), 'no colour when not a terminal');
    });

    it('--quiet reports errors only', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED });
      const r = cli(root, '--quiet');
      assert.equal(r.code, 1);
      assert.match(r.stdout, /no-privileged/);
      assert.doesNotMatch(r.stdout, /require-no-new-privileges/);
      assert.match(r.stdout, /1 problem \(1 error, 0 warnings, 0 infos\)/);
    });

    it('--output writes the report to a file', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED });
      const r = cli(root, '--output', 'reports/lint.txt');
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(readFileSync(path.join(root, 'reports/lint.txt'), 'utf8'), /no-privileged/);
    });
  });

  describe('json format', () => {
    it('gives every linted file with 1-based positions and fixes', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED, 'ok/compose.yaml': CLEAN });
      const r = cli(root, '--format', 'json');
      assert.equal(r.code, 1, r.stderr);
      const files = json(r);
      assert.deepEqual(lintedNames(files, root), ['compose.yaml', 'ok/compose.yaml']);
      const bad = files.find((f) => f.filePath === path.join(root, 'compose.yaml'))!;
      assert.ok(path.isAbsolute(bad.filePath));
      assert.equal(bad.kind, 'compose');
      const priv = bad.findings.find((f) => f.ruleId === 'no-privileged')!;
      assert.deepEqual(
        { severity: priv.severity, line: priv.line, column: priv.column, endLine: priv.endLine, endColumn: priv.endColumn },
        { severity: 'error', line: 4, column: 5, endLine: 4, endColumn: 21 },
      );
      assert.equal(typeof priv.message, 'string');
      for (const fix of priv.fixes) {
        assert.equal(typeof fix.title, 'string');
        assert.equal(typeof fix.preferred, 'boolean');
      }
      const nnp = bad.findings.find((f) => f.ruleId === 'require-no-new-privileges')!;
      assert.deepEqual({ line: nnp.line, column: nnp.column, endLine: nnp.endLine, endColumn: nnp.endColumn }, { line: 2, column: 3, endLine: 2, endColumn: 6 });
      const ok = files.find((f) => f.filePath.endsWith(`ok${path.sep}compose.yaml`))!;
      assert.deepEqual(ok.findings, []);
    });

    it('counts lines after CRLF and lone CR line breaks', () => {
      const root = workspace({ 'crlf/compose.yaml': PRIVILEGED.replace(/\n/g, '\r\n') });
      const files = json(cli(root, '-f', 'json'));
      const priv = files[0].findings.find((f) => f.ruleId === 'no-privileged')!;
      assert.deepEqual([priv.line, priv.column, priv.endColumn], [4, 5, 21]);
    });
  });

  describe('--rule and --max-warnings', () => {
    it('--rule id=off turns a rule off', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED });
      const r = cli(root, '-f', 'json', '--rule', 'no-privileged=off');
      assert.equal(r.code, 0);
      assert.deepEqual(ruleIds(json(r)), ['require-no-new-privileges']);
    });

    it('--rule changes a severity; repeated, the last one wins', () => {
      const root = workspace({ 'compose.yaml': PRIVILEGED });
      const r = cli(root, '-f', 'json', '--rule', 'no-privileged=error', '--rule=no-privileged=info', '--rule', 'require-no-new-privileges=error');
      assert.equal(r.code, 1);
      const sev = Object.fromEntries(json(r)[0].findings.map((f) => [f.ruleId, f.severity]));
      assert.deepEqual(sev, { 'no-privileged': 'info', 'require-no-new-privileges': 'error' });
    });

    it('--max-warnings N exits 1 only when there are more than N warnings', () => {
      const root = workspace({ 'compose.yaml': ROOT_ONLY });
      assert.equal(cli(root, '--max-warnings', '1').code, 0);
      const over = cli(root, '--max-warnings', '0');
      assert.equal(over.code, 1);
      assert.match(over.stderr, /too many warnings \(maximum: 0\)/);
    });
  });

  describe('config files', () => {
    it('the nearest config file wins, and --rule overrides it', () => {
      const root = workspace({
        '.container-privilege-lint.yaml': 'rules:\n  no-privileged: off\n',
        'a/compose.yaml': PRIVILEGED,
        'b/compose.yaml': PRIVILEGED,
        'b/.container-privilege-lint.json': '{\n  // strict here\n  "rules": { "no-privileged": "error", "require-no-new-privileges": "off" },\n}\n',
      });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 1, r.stderr);
      const byFile = Object.fromEntries(json(r).map((f) => [path.relative(root, f.filePath).split(path.sep).join('/'), f.findings.map((x) => x.ruleId).sort()]));
      assert.deepEqual(byFile, { 'a/compose.yaml': ['require-no-new-privileges'], 'b/compose.yaml': ['no-privileged'] });

      const overridden = cli(root, '-f', 'json', '--rule', 'no-privileged=off');
      assert.equal(overridden.code, 0);
      assert.deepEqual(ruleIds(json(overridden)), ['require-no-new-privileges']);
    });

    it('is found from the linted file upwards, not from the cwd', () => {
      const root = workspace({ 'proj/.container-privilege-lint.yml': 'rules:\n  no-privileged: warning\n', 'proj/deploy/compose.yaml': PRIVILEGED });
      const r = cli(root, '-f', 'json', 'proj/deploy/compose.yaml');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(json(r)[0].findings.find((f) => f.ruleId === 'no-privileged')?.severity, 'warning');
    });

    it('--config replaces the lookup', () => {
      const root = workspace({ '.container-privilege-lint.yaml': 'rules:\n  no-privileged: off\n', 'custom.yaml': 'rules:\n  no-privileged: info\n', 'compose.yaml': PRIVILEGED });
      const r = cli(root, '-f', 'json', '--config', 'custom.yaml', 'compose.yaml');
      assert.equal(json(r)[0].findings.find((f) => f.ruleId === 'no-privileged')?.severity, 'info');
    });

    it('ignore globs are relative to the config file folder', () => {
      const root = workspace({
        'svc/.container-privilege-lint.yaml': 'ignore:\n  - legacy/**\n  - "**/*.generated.yaml"\n  - old\n',
        'svc/legacy/compose.yaml': PRIVILEGED,
        'svc/old/deep/compose.yaml': PRIVILEGED,
        'svc/app/compose.generated.yaml': PRIVILEGED,
        'svc/app/compose.yaml': CLEAN,
        'legacy/compose.yaml': CLEAN,
      });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lintedNames(json(r), root), ['legacy/compose.yaml', 'svc/app/compose.yaml']);
    });

    it('maxFileSize skips larger files with an info finding', () => {
      const root = workspace({ '.container-privilege-lint.yaml': 'maxFileSize: 20\n', 'compose.yaml': PRIVILEGED });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0, r.stderr);
      const [file] = json(r);
      assert.equal(file.kind, null);
      assert.deepEqual(file.findings.map((f) => [f.ruleId, f.severity, f.line, f.column]), [['skipped', 'info', 1, 1]]);
    });

    for (const [title, name, text, expected] of [
      ['an unknown rule id', '.container-privilege-lint.yaml', 'rules:\n  no-privilege: off\n', /unknown rule id 'no-privilege' \(did you mean 'no-privileged'\?\)/],
      ['a bad severity', '.container-privilege-lint.yaml', 'rules:\n  no-privileged: warn\n', /invalid severity "warn" for rule 'no-privileged'/],
      ['invalid YAML', '.container-privilege-lint.yml', 'rules: [\n', /invalid YAML/],
      ['invalid JSON', '.container-privilege-lint.json', '{"rules": {', /invalid JSON/],
      ['a bad nonRootUid', '.container-privilege-lint.yaml', 'nonRootUid: 0\n', /nonRootUid/],
    ] as const) {
      it(`exits 2 naming the file on ${title}`, () => {
        const root = workspace({ [`sub/${name}`]: text, 'sub/compose.yaml': PRIVILEGED });
        const r = cli(root);
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.ok(r.stderr.includes(path.join('sub', name)), r.stderr);
        assert.match(r.stderr, expected);
      });
    }
  });

  describe('walking folders', () => {
    it('respects .gitignore files, nested ones and negations', () => {
      const root = workspace({
        '.gitignore': 'generated/\n*.local.yaml\n',
        'generated/compose.yaml': PRIVILEGED,
        'compose.local.yaml': PRIVILEGED,
        'app/.gitignore': 'tmp.yaml\n!keep.local.yaml\n',
        'app/tmp.yaml': PRIVILEGED,
        'app/keep.local.yaml': CLEAN,
        'app/compose.yaml': CLEAN,
      });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lintedNames(json(r), root), ['app/compose.yaml', 'app/keep.local.yaml']);
    });

    it('skips node_modules, vendor and .git, and files the engine does not read', () => {
      const root = workspace({
        'node_modules/pkg/compose.yaml': PRIVILEGED,
        'vendor/github.com/x/y/Makefile': 'run:\n\tdocker run --privileged x\n',
        '.git/compose.yaml': PRIVILEGED,
        'README.md': '# hi\n',
        'notes.txt': 'privileged: true\n',
        'docker/Dockerfile': 'FROM alpine:3.20\nUSER 10001\n',
        'compose.yaml': CLEAN,
      });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lintedNames(json(r), root), ['compose.yaml', 'docker/Dockerfile']);
    });

    it('lints explicitly named files even where a walk would not look', () => {
      const root = workspace({ '.gitignore': 'generated/\n', 'generated/compose.yaml': PRIVILEGED, 'node_modules/x/compose.yaml': PRIVILEGED });
      const r = cli(root, '-f', 'json', 'generated/compose.yaml', 'node_modules/x/compose.yaml');
      assert.equal(r.code, 1);
      assert.deepEqual(lintedNames(json(r), root), ['generated/compose.yaml', 'node_modules/x/compose.yaml']);
    });

    it('does not follow symbolic links out of the walked folder', (t) => {
      const outside = workspace({ 'compose.yaml': PRIVILEGED });
      const root = workspace({ 'compose.yaml': CLEAN });
      try {
        symlinkSync(outside, path.join(root, 'linked-dir'), 'dir');
        symlinkSync(path.join(outside, 'compose.yaml'), path.join(root, 'linked.compose.yaml'), 'file');
      } catch {
        t.skip('symbolic links are not available here');
        return;
      }
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lintedNames(json(r), root), ['compose.yaml']);
    });
  });

  describe('--fix', () => {
    it('--fix-dry-run prints a diff git apply takes, equal to what --fix (and --unsafe-fixes) write, and writes nothing', () => {
      const files = {
        'compose.yaml': `# the web tier\r\n${PRIVILEGED.replace(/\n/g, '\r\n')}`,
        'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app # main\n      image: quay.io/prometheus/node-exporter:v1.8.2',
        'Dockerfile': 'FROM debian\nUSER root\nRUN apt-get update\n',
      };
      for (const unsafe of [false, true]) {
        const flags = unsafe ? ['--unsafe-fixes'] : [];
        const dry = workspace(files);
        const wet = workspace(files);
        const git = (...args: string[]) => spawnSync('git', args, { cwd: dry, encoding: 'utf8' });
        assert.equal(git('init', '-q').status, 0);
        const run = cli(dry, '--fix-dry-run', ...flags);
        assert.equal(run.code, 0, run.stderr);
        for (const [rel, content] of Object.entries(files)) assert.equal(readFileSync(path.join(dry, rel), 'utf8'), content, 'the dry run writes nothing');
        assert.match(run.stdout, /^diff --git a\/compose\.yaml b\/compose\.yaml\n--- a\/compose\.yaml\n\+\+\+ b\/compose\.yaml\n@@ /m);
        assert.match(run.stderr, /would fix [1-9]\d* problems? in [1-9]\d* files?; nothing was written/);
        writeFileSync(path.join(dry, 'fix.patch'), run.stdout);
        const applied = git('apply', '--whitespace=nowarn', 'fix.patch');
        assert.equal(applied.status, 0, applied.stderr);
        cli(wet, '--fix', ...flags);
        for (const rel of Object.keys(files)) assert.equal(readFileSync(path.join(dry, rel), 'utf8'), readFileSync(path.join(wet, rel), 'utf8'), `${rel}: git apply of the dry run equals --fix${unsafe ? ' --unsafe-fixes' : ''}`);
      }
    });

    it('--unsafe-fixes needs --fix or --fix-dry-run', () => {
      const r = cli(workspace({ 'compose.yaml': PRIVILEGED }), '--unsafe-fixes');
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--unsafe-fixes needs --fix or --fix-dry-run/);
    });

    it('writes the safe fixes, reports how many, and a second run changes nothing', () => {
      const root = workspace({ 'compose.yaml': `# the web tier\n${PRIVILEGED}    user: root\n`, 'ok/compose.yaml': CLEAN });
      const file = path.join(root, 'compose.yaml');
      const before = readFileSync(file, 'utf8');
      const first = cli(root, '--fix', '-f', 'json');
      const after1 = readFileSync(file, 'utf8');
      assert.notEqual(after1, before);
      assert.match(after1, /^# the web tier\n/, 'comments are kept');
      assert.match(after1, /no-new-privileges:true/, 'the safe fix is applied');
      assert.match(after1, /privileged: true/, 'removing privileged is a suggestion: --fix keeps it');
      assert.match(first.stderr, /fixed 1 problem in 1 file\./);
      assert.equal(first.code, 1, first.stdout + first.stderr);
      assert.deepEqual(ruleIds(json(first)), ['no-privileged', 'no-root-user'], 'the report is of the fixed text');
      const fixes = json(first).flatMap((f) => f.findings).flatMap((x) => x.fixes);
      assert.ok(fixes.length > 0 && fixes.every((f) => (f as { kind?: string }).kind === 'suggestion'), 'what is left are suggestions');
      assert.equal(readFileSync(path.join(root, 'ok/compose.yaml'), 'utf8'), CLEAN, 'clean files are not rewritten');

      const second = cli(root, '--fix');
      assert.equal(readFileSync(file, 'utf8'), after1);
      assert.match(second.stderr, /fixed 0 problems in 0 files\./);
      assert.match(second.stdout, /2 more problems fixable with `--fix --unsafe-fixes`/);

      const third = cli(root, '--fix', '--unsafe-fixes');
      assert.doesNotMatch(readFileSync(file, 'utf8'), /privileged: true|user: root/);
      assert.match(third.stderr, /fixed [1-9]\d* problems? in 1 file\./);
      assert.equal(third.code, 0, third.stdout + third.stderr);
    });
  });

  describe('suppression comments', () => {
    it('are honoured, and an unused one is reported', () => {
      const text = [
        'services:',
        '  # container-privilege-lint-disable-next-line require-no-new-privileges -- build box',
        '  web:',
        '    image: nginx:1.27',
        '    # container-privilege-lint-disable-next-line no-privileged -- needs /dev/kvm',
        '    privileged: true',
        '    # container-privilege-lint-disable-next-line no-root-user',
        '    user: "10001"',
        '',
      ].join('\n');
      const root = workspace({ 'compose.yaml': text });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const findings = json(r)[0].findings;
      assert.deepEqual(findings.map((f) => [f.ruleId, f.line]), [['unused-suppression', 7]]);
    });

    it('a whole-file directive silences a rule in the file', () => {
      const root = workspace({ 'compose.yaml': `# container-privilege-lint-disable no-privileged -- lab machine\n${PRIVILEGED}` });
      const r = cli(root, '-f', 'json');
      assert.equal(r.code, 0);
      assert.deepEqual(ruleIds(json(r)), ['require-no-new-privileges']);
    });
  });

  describe('examples/', () => {
    it('finds the insecure settings and passes the hardened files', () => {
      const r = cli(REPO, '-f', 'json', 'examples');
      assert.equal(r.code, 1, r.stderr);
      const files = json(r);
      const byName = new Map(files.map((f) => [path.relative(path.join(REPO, 'examples'), f.filePath).split(path.sep).join('/'), f]));
      const ids = (name: string) => new Set(byName.get(name)?.findings.map((f) => f.ruleId));
      assert.ok(ids('compose/docker-compose.yml').has('no-privileged'));
      assert.ok(ids('compose/docker-compose.yml').has('no-root-user'));
      assert.ok(ids('k8s/deployment.yaml').has('no-privileged'));
      assert.ok(ids('docker/Dockerfile').has('no-root-user'));
      assert.deepEqual([...ids('docker/Dockerfile.hardened')], []);
      assert.ok(byName.has('.devcontainer/devcontainer.json'));
      // The hardened compose service and Deployment draw nothing.
      const compose = byName.get('compose/docker-compose.yml')!;
      assert.ok(!compose.findings.some((f) => /prometheus/.test(f.message)));
      const k8s = byName.get('k8s/deployment.yaml')!;
      assert.ok(!k8s.findings.some((f) => /Deployment\/api/.test(f.message)));
    });
  });
});

describe('--explain and the inferred replacement in JSON', () => {
  const GLUETUN = 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    privileged: true\n';
  it('stylish --explain lists each inferred item with its reason', () => {
    const ws = workspace({ 'compose.yaml': GLUETUN });
    const r = cli(ws, '--explain', '--no-color', 'compose.yaml');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /4:5 {2}privileged on service "vpn" \(qmcgaw\/gluetun:v3\): replaceable, confidence certain/);
    assert.match(r.stdout, /preferred fix: Replace privileged with cap_add: \[NET_ADMIN\] and devices: \[\/dev\/net\/tun\] \(qmcgaw\/gluetun image\)/);
    assert.match(r.stdout, /- cap NET_ADMIN \(adds\): /);
    assert.match(r.stdout, /- device \/dev\/net\/tun \(adds\): /);
  });
  it('without --explain the stylish output has no explanation block', () => {
    const ws = workspace({ 'compose.yaml': GLUETUN });
    assert.doesNotMatch(cli(ws, '--no-color', 'compose.yaml').stdout, /privileged on service/);
  });
  it('the JSON output carries the explanation where privileged is written', () => {
    const ws = workspace({ 'compose.yaml': GLUETUN });
    const files = JSON.parse(cli(ws, '--format', 'json', 'compose.yaml').stdout) as { privileged?: { line: number; column: number; explanation: { verdict: string; items: { what: string; value: string; reason: string }[] } }[] }[];
    const p = files[0].privileged?.[0];
    assert.ok(p);
    assert.deepEqual([p.line, p.column, p.explanation.verdict], [4, 5, 'replaceable']);
    assert.deepEqual(p.explanation.items.filter((i) => i.what === 'cap' || i.what === 'device').map((i) => `${i.what} ${i.value}`), ['cap NET_ADMIN', 'device /dev/net/tun']);
    assert.ok(p.explanation.items.every((i) => i.reason.length > 0));
  });
});

describe('a reader that stops early (`container-privilege-lint . | head`)', () => {
  it('ends the run quietly with its exit code, without a stack trace', async () => {
    // 300 Compose files with an error each: far more JSON than a pipe holds (64 KiB).
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`s${i}/compose.yaml`, PRIVILEGED]));
    const root = workspace(files);
    const child = spawn(process.execPath, [CLI, '--format', 'json', '.'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let first = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) => child.stdout.once('data', (d: string) => ((first = d), resolve())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    assert.ok(first.startsWith('['), first.slice(0, 80));
    assert.equal(stderr, '');
    assert.equal(code, 1);
  });
});

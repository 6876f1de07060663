/**
 * `--format github`: GitHub Actions workflow-command annotations. Each line is parsed back the
 * way the Actions runner parses `::command k=v,k=v::data` (split on the first `::` after the
 * properties, properties on `,` and the first `=`, then unescaped), so the test proves that
 * hostile messages and file names arrive intact and cannot end a property or a command.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { escapeData, escapeProperty, formatGithub } from '../../server/src/cli/format-github';
import type { FileReport } from '../../server/src/cli/report';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');

interface Command {
  name: string;
  properties: Record<string, string>;
  data: string;
}

/** The runner's unescaping: %0D, %0A (and %3A, %2C in properties) first, %25 last. */
function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** Parses one workflow-command line as the runner does, or throws. */
function parseCommand(line: string): Command {
  assert.ok(line.startsWith('::'), `not a command: ${line}`);
  const end = line.indexOf('::', 2);
  assert.ok(end > 0, `no data separator: ${line}`);
  const head = line.slice(2, end);
  const data = line.slice(end + 2);
  const space = head.indexOf(' ');
  const name = space < 0 ? head : head.slice(0, space);
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(',')) {
      const eq = pair.indexOf('=');
      assert.ok(eq > 0, `property without '=': ${pair} in ${line}`);
      properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { name, properties, data: unescapeData(data) };
}

function commands(output: string): Command[] {
  return output.split('\n').filter((l) => l !== '').map(parseCommand);
}

const { workspace } = tempWorkspaces('cpl-gh-');

function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.GITHUB_WORKSPACE;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...clean, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PRIVILEGED = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const ONLY_PRIVILEGED = ['--rule', 'require-drop-all-capabilities=off', '--rule', 'prefer-user-namespaces=off', '--rule', 'require-no-new-privileges=off', '--rule', 'no-root-user=off', '--rule', 'require-read-only-root-filesystem=off'];

describe('--format github', () => {
  describe('escaping', () => {
    it('escapes %, CR and LF in data, and also : and , in properties', () => {
      assert.equal(escapeData('50% a\r\nb'), '50%25 a%0D%0Ab');
      assert.equal(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
      // Already-escaped-looking text is escaped again, so it arrives as written.
      assert.equal(escapeData('%0A'), '%250A');
      assert.equal(unescapeData(escapeData('%0A')), '%0A');
    });

    it('a hostile message and file name arrive intact and stay one command', () => {
      const message = 'line one\r\nline two: 100% sure, ::error file=evil::injected %2C %0A';
      const filePath = path.join(os.tmpdir(), 'ws', 'a,b:c', 'line=1,x', 'compose.yaml');
      const report: FileReport = {
        filePath,
        kind: 'compose',
        findings: [{ finding: { ruleId: 'no-privileged', severity: 'error', message, span: { start: 0, end: 1 }, fixes: [] }, region: { line: 3, column: 5, endLine: 3, endColumn: 21 }, related: [] }],
      };
      const out = formatGithub([report], { root: path.join(os.tmpdir(), 'ws') });
      assert.equal(out.split('\n').length, 2, 'one line and the final newline');
      const [cmd] = commands(out);
      assert.equal(cmd.name, 'error');
      assert.deepEqual(cmd.properties, { file: 'a,b:c/line=1,x/compose.yaml', line: '3', endLine: '3', col: '5', endColumn: '20', title: 'no-privileged' });
      assert.equal(cmd.data, message);
    });

    it('gives no columns for a range over several lines', () => {
      const report: FileReport = {
        filePath: '/ws/Dockerfile',
        kind: 'dockerfile',
        findings: [{ finding: { ruleId: 'no-root-user', severity: 'warning', message: 'm', span: { start: 0, end: 1 }, fixes: [] }, region: { line: 1, column: 1, endLine: 4, endColumn: 3 }, related: [] }],
      };
      const [cmd] = commands(formatGithub([report], { root: '/ws' }));
      assert.deepEqual(cmd.properties, { file: 'Dockerfile', line: '1', endLine: '4', title: 'no-root-user' });
    });
  });

  describe('the CLI', () => {
    it('prints one ::error per error finding with file, line, columns and the rule as title; exit 1', () => {
      const root = workspace({ 'svc/docker-compose.yml': PRIVILEGED });
      const r = cli(root, ['--format', 'github', ...ONLY_PRIVILEGED]);
      assert.equal(r.code, 1, r.stderr);
      const cmds = commands(r.stdout);
      assert.equal(cmds.length, 1, r.stdout);
      assert.equal(cmds[0].name, 'error');
      assert.deepEqual(cmds[0].properties, { file: 'svc/docker-compose.yml', line: '4', endLine: '4', col: '5', endColumn: '20', title: 'no-privileged' });
      assert.match(cmds[0].data, /privileged/);
    });

    it('maps warning to ::warning and info to ::notice', () => {
      const root = workspace({ 'docker-compose.yml': PRIVILEGED });
      const warn = commands(cli(root, ['-f', 'github', ...ONLY_PRIVILEGED, '--rule', 'no-privileged=warning']).stdout);
      assert.deepEqual(warn.map((c) => c.name), ['warning']);
      const info = cli(root, ['-f', 'github', ...ONLY_PRIVILEGED, '--rule', 'no-privileged=info']);
      assert.equal(info.code, 0);
      assert.deepEqual(commands(info.stdout).map((c) => c.name), ['notice']);
    });

    it('names files relative to GITHUB_WORKSPACE when the CLI runs in a subfolder', () => {
      const root = workspace({ 'deploy/compose.yaml': PRIVILEGED });
      const r = cli(path.join(root, 'deploy'), ['-f', 'github', ...ONLY_PRIVILEGED], { GITHUB_WORKSPACE: root });
      assert.equal(commands(r.stdout)[0].properties.file, 'deploy/compose.yaml');
    });

    it('prints nothing for a clean tree', () => {
      const root = workspace({ 'compose.yaml': 'services:\n  app:\n    image: nginx:1.27\n' });
      const r = cli(root, ['-f', 'github', '--rule', 'no-privileged=error', '--quiet']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
    });
  });
});

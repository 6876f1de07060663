/**
 * Findings that read well, end to end through the CLI (#12): stylish lines are not padded to
 * the longest message and end with the rule id, a count per rule follows, --explain prints each
 * finding's detail, JSON carries `detail`, SARIF carries rule help in text and markdown (for
 * skipped and parse-error too) and each result's detail in its properties.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');

const { workspace } = tempWorkspaces('cpl-messages-');

function run(cwd: string, ...args: string[]): string {
  return spawnSync(process.execPath, [CLI, '--no-color', ...args], { cwd, encoding: 'utf8' }).stdout;
}

const COMPOSE = 'services:\n  wireguard:\n    image: lscr.io/linuxserver/wireguard\n    cap_add: [NET_ADMIN, SYS_MODULE]\n    volumes:\n      - /lib/modules:/lib/modules\n      - /usr/share/appdata/wireguard/config:/config\n';

describe('CLI messages (#12)', () => {
  it('stylish: one line per finding, the message not padded, the rule id last; a count per rule', () => {
    const root = workspace({ 'compose.yaml': COMPOSE });
    const out = run(root, 'compose.yaml');
    const rows = out.split('\n').filter((l) => /^ {2}\d+:\d+ /.test(l));
    assert.deepEqual(rows, [
      '  2:3   info     Service "wireguard" does not drop ALL capabilities  require-drop-all-capabilities',
      '  2:3   warning  Service "wireguard" does not set no-new-privileges  require-no-new-privileges',
      '  4:15  error    Service "wireguard" adds NET_ADMIN (high)  no-risky-capabilities',
      '  4:26  error    Service "wireguard" adds SYS_MODULE (critical)  no-risky-capabilities',
      '  6:9   error    Service "wireguard" mounts /lib/modules, the kernel modules the host loads  no-sensitive-host-mounts',
    ]);
    assert.ok(!rows.some((r) => / {3,}[a-z-]+$/.test(r)), 'no padding before the rule id');
    assert.match(out, /By rule\n {2}count {2}severity {2}fixable {2}rule\n {6}2 {2}error {11}0 {2}no-risky-capabilities\n {6}1 {2}error {11}0 {2}no-sensitive-host-mounts\n {6}1 {2}warning {9}1 {2}require-no-new-privileges\n {6}1 {2}info {12}0 {2}require-drop-all-capabilities\n/);
  });

  it('--explain prints the detail under its finding', () => {
    const root = workspace({ 'compose.yaml': COMPOSE });
    const out = run(root, '--explain', 'compose.yaml');
    assert.match(out, /adds SYS_MODULE \(critical\) {2}no-risky-capabilities\n {17}SYS_MODULE \(cap_add\): /);
  });

  it('JSON: a detail for every rule finding', () => {
    const root = workspace({ 'compose.yaml': COMPOSE });
    const [file] = JSON.parse(run(root, '-f', 'json', 'compose.yaml')) as { findings: { ruleId: string; message: string; detail?: string }[] }[];
    assert.ok(file.findings.length > 0);
    for (const f of file.findings) {
      assert.ok(f.message.length <= 120, f.message);
      assert.ok(f.detail && f.detail.length > f.message.length / 2, `${f.ruleId}: no detail`);
    }
    const modules = file.findings.find((f) => f.ruleId === 'no-sensitive-host-mounts');
    assert.match(modules?.detail ?? '', /^\/lib\/modules is mounted writable \(volumes\)\. Writable, a replaced module runs in the host kernel/);
  });

  it('SARIF: rule help in text and markdown, skipped and parse-error included; the detail in result properties', () => {
    const root = workspace({ 'compose.yaml': COMPOSE, 'bad.yaml': 'services:\n  a: [\n', 'k8s/chart.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n' });
    const log = JSON.parse(run(root, '-f', 'sarif', '.')) as Sarif.Log;
    const rules = log.runs[0].tool.driver.rules ?? [];
    const byId = new Map(rules.map((r) => [r.id, r]));
    const mounts = byId.get('no-sensitive-host-mounts');
    assert.ok(mounts?.fullDescription?.text && mounts.help?.text && mounts.help.markdown);
    assert.match(mounts.help.markdown, /^\*\*Containers must not mount sensitive host paths/);
    assert.match(mounts.help.markdown, /\*\*Fix:\*\*/);
    for (const id of ['skipped', 'parse-error']) {
      const r = byId.get(id);
      assert.ok(r, `${id} is a rule of the run`);
      assert.ok(r.help?.text && r.help.markdown && r.fullDescription?.text, `${id} has help`);
    }
    const result = log.runs[0].results?.find((x) => x.ruleId === 'no-risky-capabilities');
    assert.match(String(result?.properties?.detail), /^NET_ADMIN \(cap_add\): /);
  });
});

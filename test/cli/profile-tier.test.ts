/**
 * The CLI's profiles (config file `profile`, `--profile`), the cross-file Compose build →
 * Dockerfile check on a real folder, and the defence-in-depth tiers (`--summary`, JSON, SARIF).
 * Runs the bundled CLI (dist/cli.js, built by `npm run build`).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import type * as Sarif from 'sarif';
import { parseConfigFile } from '../../server/src/engine/config-file';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const SCHEMA = path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const { workspace } = tempWorkspaces('cpl-cli-pss-');

interface JsonRelated {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  filePath?: string;
}
interface JsonFile {
  filePath: string;
  findings: { ruleId: string; severity: string; message: string; detail?: string; line: number; column: number; related?: JsonRelated[] }[];
  tiers?: { line: number; column: number; workload: string; container: string; tier: number; summary: string; notes: string[]; userNamespace: string }[];
}

const json = (run: Run) => JSON.parse(run.stdout) as JsonFile[];

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 1000\n';

describe('config file: profile', () => {
  it('accepts default, baseline and restricted', () => {
    for (const profile of ['default', 'baseline', 'restricted'] as const) {
      const r = parseConfigFile(`profile: ${profile}\n`, '.container-privilege-lint.yaml');
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.config, { profile });
    }
    assert.deepEqual(parseConfigFile('{ "profile": "restricted" }', '.container-privilege-lint.json').config, { profile: 'restricted' });
  });

  it('rejects anything else, with its place', () => {
    const r = parseConfigFile('rules: {}\nprofile: strict\n', '.container-privilege-lint.yaml');
    assert.deepEqual(r.problems, [{ message: "'profile' must be one of default, baseline, restricted, got \"strict\"", line: 2, column: 10 }]);
    assert.deepEqual(r.config, {});
    const typo = parseConfigFile('profiles: baseline\n', '.container-privilege-lint.yaml');
    assert.match(typo.problems[0]?.message ?? '', /unknown setting 'profiles' \(did you mean 'profile'\?\)/);
  });
});

describe('CLI: --profile', () => {
  it('the config file\'s profile applies, and --profile overrides it', () => {
    const root = workspace({ '.container-privilege-lint.yaml': 'profile: baseline\n', 'pod.yaml': POD });
    const baseline = json(cli(root, '-f', 'json', 'pod.yaml'));
    // baseline has no runAsNonRoot control: no-root-user is off.
    assert.deepEqual(baseline[0].findings.filter((f) => f.ruleId === 'no-root-user'), []);
    const restricted = json(cli(root, '-f', 'json', '--profile', 'restricted', 'pod.yaml'));
    const nonRoot = restricted[0].findings.filter((f) => f.ruleId === 'no-root-user');
    assert.equal(nonRoot.length, 1);
    assert.match(nonRoot[0].message, /\(PSS restricted: Running as Non-root\)$/);
    assert.match(nonRoot[0].detail ?? '', /runAsUser: 1000 alone does not satisfy it\./);
    const byDefault = json(cli(root, '-f', 'json', '--profile=default', 'pod.yaml'));
    assert.ok(byDefault[0].findings.every((f) => !/\(PSS (baseline|restricted): /.test(f.message)));
  });

  it('--profile applies without a config file, and an unknown profile is a usage error', () => {
    const root = workspace({ 'compose.yaml': 'services:\n  web:\n    image: x\n    cap_add: [NET_RAW]\n' });
    const run = json(cli(root, '-f', 'json', '--profile', 'baseline'));
    // A Compose finding says which profile asked for it; Pod Security Standards control names are Kubernetes' own.
    assert.ok(run[0].findings.some((f) => f.ruleId === 'no-risky-capabilities' && f.message === 'Service "web" adds NET_RAW, not allowed (baseline profile)'));
    assert.ok(run[0].findings.every((f) => !/PSS|Pod Security Standards/.test(f.message)));
    const bad = cli(root, '--profile', 'strict');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown profile 'strict' \(expected default, baseline, restricted\)/);
  });

  it('the help lists --profile and --summary', () => {
    const help = cli(os.tmpdir(), '--help').stdout;
    assert.match(help, /--profile <name>/);
    assert.match(help, /--summary/);
  });
});

describe('CLI: a Compose build: checked against its Dockerfile', () => {
  const files = {
    'compose.yaml': 'services:\n  web:\n    build:\n      context: ./web\n    ports: ["8080:80"]\n  api:\n    build: ./api\n',
    'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCMD ["node", "."]\n',
    'api/Dockerfile': 'FROM node:20\nUSER node\n',
  };

  it('reports the root service on build:, with the Dockerfile in related (JSON)', () => {
    const root = workspace(files);
    const [file] = json(cli(root, '-f', 'json', 'compose.yaml'));
    const findings = file.findings.filter((f) => f.ruleId === 'no-root-user');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].line, 3);
    assert.equal(findings[0].column, 5);
    // Relative to the compose file, whatever the machine: nothing absolute leaks into the report.
    assert.equal(findings[0].message, 'Service "web" runs as root: its image from web/Dockerfile sets no USER');
    assert.ok(!findings[0].message.includes(root) && !(findings[0].detail ?? '').includes(root), 'no absolute path in the message or the detail');
    assert.match(findings[0].detail ?? '', /^It sets no user:, and the image it builds from web\/Dockerfile sets no USER in its final stage/);
    assert.deepEqual(findings[0].related, [{ message: 'the final stage, with no USER', line: 1, column: 1, endLine: 1, endColumn: 13, filePath: path.join(root, 'web', 'Dockerfile') }]);
  });

  it('SARIF: the related location points at the Dockerfile', () => {
    const root = workspace(files);
    const log = JSON.parse(cli(root, '-f', 'sarif', 'compose.yaml').stdout) as Sarif.Log;
    const result = log.runs[0].results?.find((r) => r.ruleId === 'no-root-user');
    assert.ok(result);
    assert.deepEqual(result.relatedLocations, [
      { id: 0, message: { text: 'the final stage, with no USER' }, physicalLocation: { artifactLocation: { uri: 'web/Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 13 } } },
    ]);
  });

  it('--fix leaves the user alone (the image user is unknown); --unsafe-fixes sets user: on the service', () => {
    const root = workspace(files);
    const before = readFileSync(path.join(root, 'compose.yaml'), 'utf8');
    cli(root, '--fix', '--rule', 'require-no-new-privileges=off', 'compose.yaml');
    assert.equal(readFileSync(path.join(root, 'compose.yaml'), 'utf8'), before);
    cli(root, '--fix', '--unsafe-fixes', '--rule', 'require-no-new-privileges=off', '--rule', 'require-drop-all-capabilities=off', 'compose.yaml');
    assert.ok(readFileSync(path.join(root, 'compose.yaml'), 'utf8').includes('  web:\n    build:\n      context: ./web\n    ports: ["8080:80"]\n    user: "10001:10001"\n'));
  });
});

describe('CLI: defence-in-depth tiers', () => {
  const files = {
    'compose.yaml': 'services:\n  web:\n    image: nginx\n  vpn:\n    image: wg\n    privileged: true\n    user: "1000"\n',
    'k8s/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n',
    'README.md': '# not linted\n',
  };

  it('--summary prints a table per file after the findings, and the Docker assumption once', () => {
    const root = workspace(files);
    const out = cli(root, '--summary').stdout;
    const at = out.indexOf('Defence-in-depth tiers');
    assert.ok(at > out.indexOf('problem'), 'the table comes after the findings');
    const table = out.slice(at);
    assert.ok(
      table.includes('compose.yaml\n  2:3  web  Tier 3 of 6: rootful (assumed), root inside unless the image sets a user — a non-root user reaches tier 4\n  4:3  vpn  Tier 2 of 6: privileged, rootful (assumed), non-root inside — dropping privileged reaches tier 4\n'),
      table,
    );
    assert.ok(table.includes(`${path.join('k8s', 'pod.yaml')}\n  8:7  Pod/p app  Tier 6 of 6: own user namespace, non-root inside — the top tier\n`), table);
    assert.match(table, /Docker formats: the daemon's mode \(rootless or userns-remap\) is not visible in these files; assuming rootful\.\n$/);
  });

  it('without --summary there is no table', () => {
    const root = workspace(files);
    assert.ok(!cli(root).stdout.includes('Defence-in-depth tiers'));
  });

  it('--summary on a clean tree still prints the table', () => {
    const root = workspace({ 'pod.yaml': files['k8s/pod.yaml'] });
    const out = cli(root, '--summary', '--rule', 'require-no-new-privileges=off');
    assert.match(out.stdout, /Defence-in-depth tiers/);
  });

  it('JSON: tiers per file', () => {
    const root = workspace(files);
    const out = json(cli(root, '-f', 'json'));
    const compose = out.find((f) => f.filePath.endsWith('compose.yaml'));
    assert.deepEqual(compose?.tiers?.map((t) => [t.line, t.column, t.container, t.tier, t.userNamespace]), [
      [2, 3, 'web', 3, 'assumed-host'],
      [4, 3, 'vpn', 2, 'assumed-host'],
    ]);
    assert.ok(compose?.tiers?.[0]?.notes.includes("the daemon's mode (rootless or userns-remap) is not visible in this file; assuming rootful"));
    const pod = out.find((f) => f.filePath.endsWith('pod.yaml'));
    assert.equal(pod?.tiers?.[0]?.summary, 'Tier 6 of 6: own user namespace, non-root inside — the top tier');
  });

  it('SARIF: tiers per file as a run property, and the log still validates', () => {
    const root = workspace(files);
    const log = JSON.parse(cli(root, '-f', 'sarif').stdout) as Sarif.Log;
    const tiers = log.runs[0].properties?.tiers as { artifactLocation: Sarif.ArtifactLocation; tiers: { tier: number; summary: string }[] }[];
    assert.deepEqual(tiers.map((t) => [t.artifactLocation.uri, t.tiers.map((x) => x.tier)]), [
      ['compose.yaml', [3, 2]],
      ['k8s/pod.yaml', [6]],
    ]);
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
    const { id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
    const validate = ajv.compile({ ...rest, $schema: 'http://json-schema.org/draft-07/schema#', $id: String(id) });
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
  });
});

/**
 * The CLI's SARIF output, validated against the SARIF 2.1.0 schema with a real
 * validator (ajv), and the validator shown able to reject a broken log.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type * as Sarif from 'sarif';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const SCHEMA = path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/**
 * The schema file declares draft-04 (`id`, `$schema` draft-04), which Ajv 8 does not load;
 * nothing in it depends on draft-04 semantics (no boolean exclusiveMinimum), so it is
 * compiled as draft-07 with `id` renamed `$id`. Formats get real checks.
 */
function compileSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  assert.match(String(schema.$schema), /draft-0[47]/);
  const { id, ...rest } = schema;
  // unicodeRegExp: false, because the schema's language pattern (`…[a-zA-Z]{2}]?$`) is invalid under the u flag.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat('uri-reference', (s: string) => !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  return ajv.compile({ ...rest, $schema: 'http://json-schema.org/draft-07/schema#', $id: String(id) });
}

const { workspace } = tempWorkspaces('cpl-sarif-');

function sarif(cwd: string, ...args: string[]): { code: number | null; log: Sarif.Log; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, '--format', 'sarif', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, log: JSON.parse(r.stdout) as Sarif.Log, stderr: r.stderr };
}

const PRIVILEGED = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';

describe('SARIF output', () => {
  let validate: ValidateFunction;
  before(() => {
    validate = compileSchema();
  });

  it('validates against the SARIF 2.1.0 schema', () => {
    const root = workspace({
      'my app/compose.yaml': PRIVILEGED,
      'broken/compose.yaml': 'services:\n  web: [\n',
      'Dockerfile': 'FROM alpine:3.20\n',
    });
    const { code, log, stderr } = sarif(root);
    assert.equal(code, 1, stderr);
    const ok = validate(log);
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  it('validates the examples/ folder too', () => {
    const { log } = sarif(REPO, 'examples');
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.ok((log.runs[0].results ?? []).length > 0);
  });

  it('the validator rejects a broken log', () => {
    const root = workspace({ 'compose.yaml': PRIVILEGED });
    const { log } = sarif(root);
    assert.ok(validate(log));
    const broken = JSON.parse(JSON.stringify(log)) as Sarif.Log;
    const result = broken.runs[0].results![0];
    (result as unknown as Record<string, unknown>).level = 'fatal';
    result.locations![0].physicalLocation!.region!.startLine = 0;
    assert.equal(validate(broken), false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    assert.ok(paths.some((p) => p.endsWith('/level')), JSON.stringify(paths));
    assert.ok(paths.some((p) => p.endsWith('/startLine')), JSON.stringify(paths));
    assert.equal(validate({ version: '2.1.0' }), false, 'runs is required');
    assert.equal(validate({ ...log, runs: [{ ...log.runs[0], tool: { driver: { ...log.runs[0].tool.driver, informationUri: 'not a uri' } } }] }), false, 'formats are checked');
  });

  it('describes the tool, the rules and each result', () => {
    const root = workspace({ 'my app/compose.yaml': PRIVILEGED });
    const { log } = sarif(root);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, 'container-privilege-lint');
    assert.equal(driver.version, pkg.version);
    assert.match(driver.informationUri ?? '', /^https:\/\//);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.match(run.originalUriBaseIds?.['%SRCROOT%']?.uri ?? '', /^file:\/\/.*\/$/);

    const rules = driver.rules ?? [];
    const priv = rules.find((r) => r.id === 'no-privileged');
    assert.ok(priv, 'no-privileged is described');
    assert.ok(priv.shortDescription?.text);
    assert.match(priv.helpUri ?? '', /\/no-privileged\.md$/);
    assert.equal(priv.defaultConfiguration?.level, 'error');
    assert.equal(rules.find((r) => r.id === 'require-no-new-privileges')?.defaultConfiguration?.level, 'warning');

    const results = run.results ?? [];
    const r = results.find((x) => x.ruleId === 'no-privileged')!;
    assert.equal(rules[r.ruleIndex!].id, 'no-privileged');
    assert.equal(r.level, 'error');
    assert.ok(r.message.text);
    const loc = r.locations![0].physicalLocation!;
    assert.deepEqual(loc.artifactLocation, { uri: 'my%20app/compose.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(loc.region, { startLine: 4, startColumn: 5, endLine: 4, endColumn: 21 });
    const w = results.find((x) => x.ruleId === 'require-no-new-privileges')!;
    assert.equal(w.level, 'warning');
    assert.equal(rules[w.ruleIndex!].id, 'require-no-new-privileges');
  });

  it('maps info to note and counts columns in UTF-16 code units', () => {
    // An astral character (two UTF-16 code units) before the finding on the same line.
    const root = workspace({ 'compose.yaml': 'services:\n  web: { image: "\u{1F600}", privileged: true, user: root }\n' });
    const { log } = sarif(root, '--rule', 'no-root-user=info');
    const results = log.runs[0].results ?? [];
    const info = results.find((x) => x.ruleId === 'no-root-user')!;
    assert.equal(info.level, 'note');
    const priv = results.find((x) => x.ruleId === 'no-privileged')!;
    assert.deepEqual(priv.locations![0].physicalLocation!.region, { startLine: 2, startColumn: 23, endLine: 2, endColumn: 39 });
  });
});

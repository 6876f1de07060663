/**
 * Unit tests of the config file parser (server/src/engine/config-file.ts): pure, no fs.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CONFIG_FILE_NAMES, configurableRuleIds, formatConfigProblems, parseConfigFile } from '../../server/src/engine/config-file';

const KNOWN = ['no-privileged', 'no-root-user', 'require-no-new-privileges', 'unused-suppression'];
const parse = (text: string, name = '.container-privilege-lint.yaml') => parseConfigFile(text, name, { knownRuleIds: KNOWN });

describe('config file', () => {
  it('knows its names, YAML first', () => {
    assert.deepEqual([...CONFIG_FILE_NAMES], ['.container-privilege-lint.yaml', '.container-privilege-lint.yml', '.container-privilege-lint.json']);
  });

  it('every engine rule and unused-suppression can be configured', () => {
    const ids = configurableRuleIds();
    assert.ok(ids.includes('unused-suppression'));
    for (const id of ['no-privileged', 'no-root-user', 'require-no-new-privileges']) assert.ok(ids.includes(id), id);
  });

  it('reads every setting from YAML', () => {
    const r = parse(['# team defaults', 'rules:', '  no-privileged: error', '  no-root-user: off', 'ignore:', '  - vendor/**', '  - "**/*.generated.yaml"', 'nonRootUid: 65532', 'maxFileSize: 1048576', ''].join('\n'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config, { rules: { 'no-privileged': 'error', 'no-root-user': 'off' }, nonRootUid: 65532, maxFileSize: 1048576 });
    assert.deepEqual(r.ignore, ['vendor/**', '**/*.generated.yaml']);
  });

  it('reads JSON with comments and trailing commas', () => {
    const r = parse('{\n  // stricter here\n  "$schema": "./schema.json",\n  "rules": { "no-root-user": "error", },\n  "ignore": ["old/**"],\n}\n', '.container-privilege-lint.json');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config, { rules: { 'no-root-user': 'error' } });
    assert.deepEqual(r.ignore, ['old/**']);
  });

  it('an empty file, or empty sections, mean the defaults', () => {
    for (const text of ['', '# nothing yet\n', 'rules:\nignore:\n']) {
      const r = parse(text);
      assert.deepEqual(r.problems, [], JSON.stringify(text));
      assert.deepEqual(r.ignore, []);
    }
    assert.deepEqual(parse('{}', 'x.json').problems, []);
  });

  it('reports an unknown rule id at its key, with a suggestion', () => {
    const r = parse('rules:\n  no-privileged: error\n  no-rooot-user: off\n');
    assert.deepEqual(r.problems, [{ message: "unknown rule id 'no-rooot-user' (did you mean 'no-root-user'?)", line: 3, column: 3 }]);
    assert.deepEqual(r.config, {}, 'an invalid file gives no config');
  });

  it('reports a bad severity at its value', () => {
    const r = parse('rules:\n  no-privileged: warn\n');
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /invalid severity "warn" for rule 'no-privileged' \(expected one of off, info, warning, error\)/);
    assert.deepEqual([r.problems[0].line, r.problems[0].column], [2, 18]);
    const json = parse('{"rules": {"no-privileged": 2}}', 'c.json');
    assert.match(json.problems[0].message, /invalid severity 2/);
    assert.deepEqual([json.problems[0].line, json.problems[0].column], [1, 29]);
  });

  it('reports unknown settings and wrong types', () => {
    const r = parse('rule:\n  no-privileged: off\nignore: vendor\nnonRootUid: 0\nmaxFileSize: -5\n');
    const messages = r.problems.map((p) => p.message);
    assert.equal(messages.length, 4);
    assert.match(messages[0], /unknown setting 'rule' \(did you mean 'rules'\?\)/);
    assert.match(messages[1], /'ignore' must be a list of globs/);
    assert.match(messages[2], /'nonRootUid' must be a positive integer uid/);
    assert.match(messages[3], /'maxFileSize' must be a positive integer/);
    assert.deepEqual(r.problems.map((p) => p.line), [1, 3, 4, 5]);
  });

  it('rejects non-mapping files, bad ignore entries, fractional numbers', () => {
    assert.match(parse('- a\n- b\n').problems[0].message, /must contain a mapping/);
    assert.match(parse('ignore: ["ok/**", 3, ""]\n').problems.map((p) => p.message).join('\n'), /entry 2 is 3[\s\S]*entry 3 is ""/);
    assert.match(parse('nonRootUid: 1000.5\n').problems[0].message, /nonRootUid/);
    assert.match(parse('rules: [no-privileged]\n').problems[0].message, /'rules' must be a mapping/);
  });

  it('reports syntax errors with their position', () => {
    const y = parse('rules:\n  no-privileged: off\n  no-privileged: error\n');
    assert.equal(y.problems.length, 1);
    assert.match(y.problems[0].message, /^invalid YAML: /);
    assert.equal(y.problems[0].line, 3);
    const j = parse('{\n  "rules": {\n}', 'c.json');
    assert.match(j.problems[0].message, /^invalid JSON: /);
    assert.ok(j.problems[0].line !== undefined);
  });

  it('formats problems as file:line:col: message', () => {
    const r = parse('rules:\n  nope: off\n');
    assert.equal(formatConfigProblems('sub/.container-privilege-lint.yaml', r.problems), "sub/.container-privilege-lint.yaml:2:3: unknown rule id 'nope'");
    assert.equal(formatConfigProblems('c.yaml', [{ message: 'x' }]), 'c.yaml: x');
  });

  it('uses the engine rules by default', () => {
    const r = parseConfigFile('rules:\n  no-privileged: off\n  unused-suppression: error\n', 'c.yaml');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.config.rules, { 'no-privileged': 'off', 'unused-suppression': 'error' });
  });
});

/**
 * Fixes never corrupt a file (#10): flow mappings with trailing commas and comments, keys with no
 * value or an alias value, flow and JSONC list elements with comments in every position. For every
 * fix (safe or suggestion): the text parses, the finding goes, every comment stays; and the fix
 * loop converges.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, fixAll, lint } from '../../server/src/engine';
import { commentsOf } from '../rule-tester';

const CASES: [string, string, string][] = [
  ['flow service mapping', 'compose.yml', 'services:\n  a: {image: x, privileged: true}\n'],
  ['flow mapping with a trailing comma', 'compose.yml', 'services:\n  a: {image: x, privileged: true, }\n'],
  ['multi-line flow mapping with comments', 'compose.yml', 'services:\n  a: {\n    image: x, # note\n    privileged: true # why\n  }\n'],
  ['Kubernetes flow securityContext', 'pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: x\n      securityContext: {privileged: true}\n'],
  ['security_opt with no value', 'compose.yml', 'services:\n  a:\n    image: x\n    security_opt:\n'],
  ['security_opt as an alias', 'compose.yml', 'x-so: &so [label=disable]\nservices:\n  a:\n    image: x\n    security_opt: *so\n'],
  ['an alias shared by two services', 'compose.yml', 'x-so: &so\n  - seccomp=unconfined\nservices:\n  a:\n    image: x\n    security_opt: *so\n  b:\n    image: y\n    security_opt: *so\n'],
  ['flow list with comments and a trailing comma', 'compose.yml', 'services:\n  a:\n    image: x\n    cap_add: [NET_ADMIN, # why\n      SYS_ADMIN, # c2\n      ]\n'],
  ['flow list with comments on every line', 'compose.yml', 'services:\n  a:\n    image: x\n    cap_add: [\n      # first\n      SYS_ADMIN, # c1\n      # between\n      NET_ADMIN # c2\n      # after\n    ]\n'],
  ['runArgs whose ] sits on the last element\'s line', '.devcontainer/devcontainer.json', '{\n  "image": "x",\n  "runArgs": [\n    "--init",\n    // debugger needs this\n    // (dlv)\n    "--security-opt", "seccomp=unconfined"]\n}\n'],
  ['runArgs with block comments inline', '.devcontainer/devcontainer.json', '{\n  "image": "x",\n  "runArgs": ["--init", /* c */ "--privileged" /* d */]\n}\n'],
  ['runArgs with a trailing comment and a trailing comma', '.devcontainer/devcontainer.json', '{\n  "image": "x",\n  "runArgs": [\n    "--privileged", // why\n  ],\n}\n'],
];

function blockComments(text: string): string[] {
  return text.match(/\/\*[\s\S]*?\*\//g) ?? [];
}

describe('fixes never corrupt a file', () => {
  for (const [name, file, text] of CASES) {
    it(`${name}: every fix parses, removes its finding and keeps every comment; fix-all converges`, () => {
      const before = lint(text, { path: file }).findings;
      let checked = 0;
      for (const f of before) {
        for (const fix of f.fixes) {
          const out = applyEdits(text, fix.edits);
          const after = lint(out, { path: file }).findings;
          assert.deepEqual(after.filter((x) => x.ruleId === 'parse-error').map((x) => x.message), [], `${fix.title}\n---\n${out}`);
          assert.ok(after.filter((x) => x.message === f.message).length < before.filter((x) => x.message === f.message).length, `${fix.title} left its finding\n---\n${out}`);
          for (const c of [...commentsOf(text), ...blockComments(text)]) assert.ok(out.includes(c.replace(/^#|^\/\//, '')), `${fix.title} dropped ${c}\n---\n${out}`);
          checked++;
        }
      }
      assert.ok(checked > 0, 'the case has fixes');
      for (const unsafe of [false, true]) {
        const r = fixAll(text, { path: file }, { unsafe });
        assert.equal(r.error, undefined, r.error);
        assert.equal(fixAll(r.text, { path: file }, { unsafe }).applied, 0);
      }
    });
  }

  it('a key with no value gets its value, never a second key', () => {
    const text = 'services:\n  a:\n    image: x\n    security_opt:\n';
    const f = lint(text, { path: 'compose.yml' }).findings.find((x) => x.ruleId === 'require-no-new-privileges')!;
    assert.equal(applyEdits(text, f.fixes[0]!.edits), 'services:\n  a:\n    image: x\n    security_opt: [no-new-privileges:true]\n');
  });

  it('an alias value is replaced on the one service, the anchor and the other service untouched, and the title says so', () => {
    const text = 'x-so: &so [label=disable]\nservices:\n  a:\n    image: x\n    security_opt: *so\n  b:\n    image: y\n    security_opt: *so\n';
    const f = lint(text, { path: 'compose.yml' }).findings.find((x) => x.ruleId === 'require-no-new-privileges')!;
    const fix = f.fixes[0]!;
    assert.match(fix.title, /on service "a" \(the shared definition stays as it is\)/);
    assert.equal(applyEdits(text, fix.edits), 'x-so: &so [label=disable]\nservices:\n  a:\n    image: x\n    security_opt: [label=disable, no-new-privileges:true]\n  b:\n    image: y\n    security_opt: *so\n');
  });

  it('flow mappings: additions go after the last pair, before a trailing comma or a comment', () => {
    const text = 'services:\n  a: {\n    image: x, # note\n    privileged: true # why\n  }\n';
    const f = lint(text, { path: 'compose.yml' }).findings.find((x) => x.ruleId === 'require-no-new-privileges')!;
    // A flow map written one pair per line gets the new pair on a line of its own.
    assert.equal(applyEdits(text, f.fixes[0]!.edits), 'services:\n  a: {\n    image: x, # note\n    privileged: true,\n    security_opt: [no-new-privileges:true] # why\n  }\n');
    const g = lint('services:\n  a: {image: x, }\n', { path: 'compose.yml' }).findings.find((x) => x.ruleId === 'require-no-new-privileges')!;
    assert.equal(applyEdits('services:\n  a: {image: x, }\n', g.fixes[0]!.edits), 'services:\n  a: {image: x, security_opt: [no-new-privileges:true], }\n');
  });
});

/**
 * Kustomize JSON 6902 patches and `target:` selectors (#11): a patch of operations is applied to
 * the resources its target selects, as kustomize applies it; what an operation writes is judged
 * in the patch, what the base lacks in the base.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import type { Document } from 'yaml';
import type { Finding } from '../../server/src/engine';
import { applyFixes, lint } from '../../server/src/engine';
import type { YNode } from '../../server/src/engine/adapters/yaml-util';
import { applyJsonPatch, parsePointer, readJsonPatch } from '../../server/src/engine/project/json-patch';
import { parseLabelSelector, resourceIdOf, targetSelects } from '../../server/src/engine/project/selector';
import { position } from '../rule-tester';

const ROOT = path.resolve('/j');
const at = (...p: string[]) => path.join(ROOT, ...p);

const BASE = [
  'apiVersion: apps/v1', //                     1
  'kind: Deployment', //                        2
  'metadata:', //                               3
  '  name: api', //                             4
  '  labels:', //                               5
  '    tier: backend', //                       6
  'spec:', //                                   7
  '  template:', //                             8
  '    spec:', //                               9
  '      containers:', //                      10
  '      - name: api', //                      11
  '        image: myorg/api:1.2', //           12
  '',
].join('\n');

const HARDENED_SC = '        securityContext:\n          runAsNonRoot: true\n          runAsUser: 1000\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [ALL]\n';

const RULES = ['no-root-user', 'require-no-new-privileges', 'require-drop-all-capabilities', 'no-privileged', 'skipped'];

type Row = [string, number, number, number, number, string];

function findings(files: Record<string, string>, file: string, rules = RULES): { rows: Row[]; raw: Finding[] } {
  const text = files[file];
  const r = lint(text, { path: file, readFile: (p) => files[p] });
  const raw = r.findings.filter((f) => rules.includes(f.ruleId));
  const rows = raw.map((f): Row => {
    const s = position(text, f.span.start);
    const e = position(text, f.span.end);
    return [f.ruleId, s.line, s.column, e.line, e.column, f.message];
  });
  return { rows, raw };
}

function project(patch: string, base = BASE, target = '  target:\n    kind: Deployment\n    name: api\n'): Record<string, string> {
  return {
    [at('base', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n',
    [at('base', 'deployment.yaml')]: base,
    [at('prod', 'kustomization.yaml')]: `resources:\n- ../base\npatches:\n- path: patch.yaml\n${target}`,
    [at('prod', 'patch.yaml')]: patch,
  };
}

const PATCH = at('prod', 'patch.yaml');
const DEPLOY = at('base', 'deployment.yaml');
const fixed = (text: string, f: Finding, title: string | RegExp) => {
  const fix = f.fixes.find((x) => (typeof title === 'string' ? x.title === title : title.test(x.title)));
  assert.ok(fix, `no fix ${String(title)} among ${f.fixes.map((x) => x.title).join(' | ')}`);
  return applyFixes(text, [f], () => fix).text;
};

describe('Kustomize JSON 6902: the patch judged on the resource it targets', () => {
  it('a value an operation writes is reported on that value, with the base as related information; its fix edits the patch', () => {
    const patch = '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    privileged: true\n    runAsNonRoot: true\n    runAsUser: 1000\n    allowPrivilegeEscalation: false\n    capabilities:\n      drop: [ALL]\n';
    const files = project(patch);
    const { rows, raw } = findings(files, PATCH);
    assert.deepEqual(rows, [['no-privileged', 4, 5, 4, 21, 'Container "api" in Deployment/api runs privileged']]);
    assert.deepEqual(raw[0].related?.map((r) => [r.path, r.range?.start.line, r.message]), [[DEPLOY, 10, 'merged onto ../base/deployment.yaml:11 (container "api")']]);
    const out = fixed(patch, raw[0], 'Remove privileged: true');
    assert.equal(out, patch.replace('    privileged: true\n', ''));
    assert.deepEqual(findings({ ...files, [PATCH]: out }, PATCH).rows, []);
  });

  it('an operation that writes the whole securityContext owns what it lacks: reported on its path, the fix adds to its value', () => {
    const patch = '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    runAsNonRoot: true\n    runAsUser: 1000\n    capabilities:\n      drop: [ALL]\n';
    const files = project(patch);
    const { rows, raw } = findings(files, PATCH);
    assert.deepEqual(rows, [['require-no-new-privileges', 2, 3, 2, 57, 'Container "api" in Deployment/api does not set allowPrivilegeEscalation: false']]);
    const out = fixed(patch, raw[0], 'Set allowPrivilegeEscalation: false');
    assert.equal(out, `${patch}    allowPrivilegeEscalation: false\n`);
    assert.deepEqual(findings({ ...files, [PATCH]: out }, PATCH).rows, []);
  });

  it('an operation that takes a setting away (remove allowPrivilegeEscalation) gets the finding, with no fix; the base, hardened, gets none', () => {
    const files = project('- op: remove\n  path: /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation\n', BASE + HARDENED_SC);
    const { rows, raw } = findings(files, PATCH);
    assert.deepEqual(rows, [['require-no-new-privileges', 1, 3, 2, 82, 'Container "api" in Deployment/api does not set allowPrivilegeEscalation: false']]);
    assert.deepEqual(raw[0].fixes, []);
    assert.deepEqual(findings(files, DEPLOY).rows, []);
  });

  it('what the base alone lacks too is left to the base: an operation that does not touch the securityContext gets no "missing" finding', () => {
    const files = project('- op: add\n  path: /spec/template/spec/containers/0/args\n  value: [--verbose]\n');
    assert.deepEqual(findings(files, PATCH).rows, []);
  });

  it('a container an operation adds is judged in the patch, what it lacks included, and fixed there', () => {
    const patch = '- op: add\n  path: /spec/template/spec/initContainers\n  value:\n  - name: init\n    image: busybox\n';
    const files = project(patch);
    const { rows, raw } = findings(files, PATCH, ['require-no-new-privileges']);
    assert.deepEqual(rows, [['require-no-new-privileges', 4, 5, 4, 15, 'Init container "init" in Deployment/api does not set allowPrivilegeEscalation: false']]);
    assert.deepEqual(raw[0].related?.map((r) => r.message), ['added to Deployment/api of ../base/deployment.yaml:4']);
    const out = fixed(patch, raw[0], 'Set allowPrivilegeEscalation: false');
    assert.equal(out, `${patch}    securityContext:\n      allowPrivilegeEscalation: false\n`);
  });

  it('an operation whose path does not exist: kustomize stops there, so an info finding on the operation and nothing judged', () => {
    const files = project('- op: replace\n  path: /spec/template/spec/containers/3/securityContext\n  value: {privileged: true}\n');
    const { rows, raw } = findings(files, PATCH);
    assert.deepEqual(rows.map((r) => r.slice(0, 5)), [['skipped', 1, 3, 3, 28]]);
    assert.equal(raw[0].message, 'Not applied: this replace fails on Deployment/api (index 3 is past the end of the list (1 items))');
    assert.match(raw[0].detail ?? '', /^replace \/spec\/template\/spec\/containers\/3\/securityContext fails on Deployment\/api of ..\/base\/deployment.yaml: /);
  });

  it('JSON text, flow style and a `~1`-escaped key are read as kustomize reads them', () => {
    const patch = '[{"op": "add", "path": "/spec/template/metadata", "value": {"annotations": {"container.apparmor.security.beta.kubernetes.io~1api": "x"}}},\n {"op": "add", "path": "/spec/template/spec/containers/0/securityContext", "value": {"privileged": true}}]\n';
    const files = project(patch);
    assert.deepEqual(findings(files, PATCH, ['no-privileged']).rows, [['no-privileged', 2, 86, 2, 104, 'Container "api" in Deployment/api runs privileged']]);
  });
});

describe('Kustomize JSON 6902: a resource judged with the patches of the kustomization that lists it', () => {
  const same = (patch: string, base = BASE) => ({
    [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\npatches:\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: api\n  path: overlays/sc.yaml\n',
    [at('app', 'deployment.yaml')]: base,
    [at('app', 'overlays', 'sc.yaml')]: patch,
  });
  const D = at('app', 'deployment.yaml');
  const P = at('app', 'overlays', 'sc.yaml');

  it('argo-cd\'s redis-ha shape: the patch adds a hardened securityContext, so the base lacks nothing (it had three findings before the patch was read)', () => {
    const files = same('- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    runAsNonRoot: true\n    runAsUser: 1000\n    allowPrivilegeEscalation: false\n    capabilities:\n      drop:\n      - ALL\n    seccompProfile:\n      type: RuntimeDefault\n');
    assert.deepEqual(findings(files, D).rows, []);
    assert.deepEqual(findings(files, P).rows, []);
    const alone = { ...files, [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n' };
    assert.deepEqual(findings(alone, D).rows.map((r) => r[0]), ['no-root-user', 'require-drop-all-capabilities', 'require-no-new-privileges']);
  });

  it('what the patch\'s securityContext lacks is the patch\'s, not the base\'s', () => {
    const files = same('- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n    runAsNonRoot: true\n    runAsUser: 1000\n    capabilities:\n      drop: [ALL]\n');
    assert.deepEqual(findings(files, D).rows, []);
    assert.deepEqual(findings(files, P).rows.map((r) => r.slice(0, 5)), [['require-no-new-privileges', 2, 3, 2, 57]]);
  });

  it('missing from both stays on the base, with the patch that changed the container as related information, and the fix edits the base', () => {
    const files = same('- op: add\n  path: /spec/template/spec/containers/0/args\n  value: [--verbose]\n');
    const { rows, raw } = findings(files, D, ['require-no-new-privileges']);
    assert.deepEqual(rows, [['require-no-new-privileges', 11, 9, 11, 18, 'Container "api" in Deployment/api does not set allowPrivilegeEscalation: false']]);
    assert.deepEqual(raw[0].related?.map((r) => [r.path, r.range?.start.line, r.message]), [[P, 0, 'patched by overlays/sc.yaml:1 (add /spec/template/spec/containers/0/args)']]);
    const out = fixed(BASE, raw[0], 'Set allowPrivilegeEscalation: false');
    assert.equal(out, `${BASE}        securityContext:\n          allowPrivilegeEscalation: false\n`);
  });

  it('a remove that takes a setting away is reported on the patch, not on the base', () => {
    const files = same('- {op: remove, path: /spec/template/spec/containers/0/securityContext/capabilities}\n', BASE + HARDENED_SC);
    assert.deepEqual(findings(files, D).rows, []);
    assert.deepEqual(findings(files, P).rows.map((r) => r.slice(0, 5)), [['require-drop-all-capabilities', 1, 3, 1, 84]]);
  });

  it('a patch that fails on the base (a missing path) is left out, as kustomize would not build: the base is judged without it', () => {
    const files = same('- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value: {allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1, capabilities: {drop: [ALL]}}\n- op: remove\n  path: /spec/nope\n');
    assert.deepEqual(findings(files, D).rows.map((r) => r[0]), ['no-root-user', 'require-drop-all-capabilities', 'require-no-new-privileges']);
  });
});

describe('Kustomize target: selectors pick the resources a patch applies to', () => {
  const doc = (name: string, labels: string, annotations = '') => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: prod\n  labels: {${labels}}\n${annotations ? `  annotations: {${annotations}}\n` : ''}spec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: nginx\n`;
  const BASES = [doc('api', 'tier: backend', 'team: core'), doc('web', 'tier: frontend'), doc('worker', 'tier: backend')].join('---\n');
  const PRIV = '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value: {privileged: true}\n';
  const run = (target: string) => {
    const files = project(PRIV, BASES, target);
    return findings(files, PATCH, ['no-privileged']).rows.map((r) => r[5].replace(/^Container "main" in (\S+) runs privileged$/, '$1'));
  };

  it('labelSelector: a patch applies to every resource it selects, each judged', () => {
    assert.deepEqual(run('  target:\n    labelSelector: tier=backend\n'), ['Deployment/api', 'Deployment/worker']);
    assert.deepEqual(run('  target:\n    labelSelector: tier in (frontend, backend),tier!=frontend\n'), ['Deployment/api', 'Deployment/worker']);
    assert.deepEqual(run('  target:\n    labelSelector: "!tier"\n'), []);
  });
  it('annotationSelector, name as an anchored regular expression, kind, group/version, namespace', () => {
    assert.deepEqual(run('  target:\n    annotationSelector: team=core\n'), ['Deployment/api']);
    assert.deepEqual(run('  target:\n    name: w.*\n'), ['Deployment/web', 'Deployment/worker']);
    assert.deepEqual(run('  target:\n    name: or\n'), []);
    assert.deepEqual(run('  target:\n    kind: StatefulSet\n'), []);
    assert.deepEqual(run('  target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: api\n'), ['Deployment/api']);
    assert.deepEqual(run('  target:\n    group: ""\n    version: v2\n    name: api\n'), []);
    assert.deepEqual(run('  target:\n    namespace: prod\n    name: web\n'), ['Deployment/web']);
    assert.deepEqual(run('  target:\n    namespace: staging\n    name: web\n'), []);
  });

  it('targetSelects and parseLabelSelector as kustomize and Kubernetes read them', () => {
    const d = parseDocument(doc('api', 'tier: backend, app.kubernetes.io/name: api', 'team: core')) as unknown as Document.Parsed;
    const id = resourceIdOf(d.contents as YNode, d);
    assert.deepEqual(id && { ...id }, { group: 'apps', version: 'v1', kind: 'Deployment', name: 'api', namespace: 'prod', labels: { tier: 'backend', 'app.kubernetes.io/name': 'api' }, annotations: { team: 'core' } });
    if (!id) return;
    assert.equal(targetSelects({ labelSelector: 'app.kubernetes.io/name=api' }, id), true);
    assert.equal(targetSelects({ labelSelector: 'tier notin (backend)' }, id), false);
    assert.equal(targetSelects({ kind: 'Deploy' }, id), false);
    assert.equal(targetSelects({ kind: 'Deploy.*' }, id), true);
    assert.equal(targetSelects({ name: '(' }, id), false);
    assert.deepEqual(parseLabelSelector('a=b, c!=d,e in (f,g), !h, i'), [
      { key: 'a', op: 'in', values: ['b'] },
      { key: 'c', op: 'notin', values: ['d'] },
      { key: 'e', op: 'in', values: ['f', 'g'] },
      { key: 'h', op: 'absent', values: [] },
      { key: 'i', op: 'exists', values: [] },
    ]);
    assert.equal(parseLabelSelector('a=(b'), undefined);
  });
});

describe('applyJsonPatch (RFC 6902 on the yaml tree)', () => {
  const run = (base: string, ops: string) => {
    const bdoc = parseDocument(base) as unknown as Document.Parsed;
    const pdoc = parseDocument(ops) as unknown as Document.Parsed;
    const patch = readJsonPatch(pdoc, ops);
    assert.ok(patch);
    const r = applyJsonPatch(bdoc.contents as YNode, patch.ops, bdoc, pdoc);
    return { out: r.failed ? undefined : (r.root as { toJSON(): unknown }).toJSON(), failed: r.failed?.reason, untouched: bdoc.toJS() as unknown };
  };

  it('pointers: ~1 is /, ~0 is ~ (in that order), "" is the whole document', () => {
    assert.deepEqual(parsePointer('/a~1b/c~0d/~01'), ['a/b', 'c~d', '~1']);
    assert.deepEqual(parsePointer(''), []);
    assert.equal(parsePointer('a/b'), undefined);
  });
  it('add (a key, "-" to append, an index to insert), replace, remove; the base is never changed', () => {
    const r = run('m: {a: 1, b: [x, y]}\n', '- {op: add, path: /m/c~1d, value: 2}\n- {op: add, path: /m/b/-, value: z}\n- {op: add, path: /m/b/0, value: w}\n- {op: replace, path: /m/a, value: 3}\n- {op: remove, path: /m/b/1}\n');
    assert.deepEqual(r.out, { m: { a: 3, b: ['w', 'y', 'z'], 'c/d': 2 } });
    assert.deepEqual(r.untouched, { m: { a: 1, b: ['x', 'y'] } });
  });
  it('test, move and copy', () => {
    assert.deepEqual(run('a: {x: 1}\nb: 2\n', '- {op: test, path: /a/x, value: 1}\n- {op: copy, from: /a, path: /c}\n- {op: move, from: /b, path: /a/y}\n').out, { a: { x: 1, y: 2 }, c: { x: 1 } });
    assert.equal(run('a: 1\n', '- {op: test, path: /a, value: 2}\n').failed, 'the value at /a is not the one the test expects');
    assert.equal(run('a: {b: 1}\n', '- {op: move, from: /a, path: /a/b/c}\n').failed, 'a value cannot be moved into itself');
  });
  it('what kustomize refuses: replace or remove of a missing path, add without a parent, an index past the end, a leading zero', () => {
    assert.equal(run('a: 1\n', '- {op: replace, path: /b, value: 1}\n').failed, '/b does not exist');
    assert.equal(run('a: 1\n', '- {op: remove, path: /b}\n').failed, '/b does not exist');
    assert.equal(run('a: 1\n', '- {op: add, path: /b/c, value: 1}\n').failed, '/b does not exist');
    assert.equal(run('a: [1]\n', '- {op: add, path: /a/2, value: 1}\n').failed, 'index 2 is past the end of the list (1 items)');
    assert.equal(run('a: [1, 2]\n', '- {op: remove, path: /a/01}\n').failed, '"01" is not a list index');
    assert.equal(run('a: 1\n', '- {op: add, path: /a/b, value: 1}\n').failed, '/a is not a map or a list');
  });
});

describe('Kustomize inline patches: judged in kustomization.yaml, at the line and column inside the block', () => {
  const K = at('prod', 'kustomization.yaml');
  const KUST = [
    'resources:', //                                                      1
    '- ../base', //                                                       2
    'patches:', //                                                        3
    '- target:', //                                                       4
    '    kind: Deployment', //                                            5
    '    name: api', //                                                   6
    '  patch: |-', //                                                     7
    '    - op: add', //                                                   8
    '      path: /spec/template/spec/containers/0/securityContext', //    9
    '      value:', //                                                   10
    '        privileged: true', //                                       11
    '        runAsUser: 1000', //                                        12
    '- patch: |-', //                                                    13
    '    apiVersion: apps/v1', //                                        14
    '    kind: Deployment', //                                           15
    '    metadata:', //                                                  16
    '      name: api', //                                                17
    '    spec:', //                                                      18
    '      template:', //                                                19
    '        spec:', //                                                  20
    '          containers:', //                                          21
    '          - name: api', //                                          22
    '            securityContext:', //                                   23
    '              allowPrivilegeEscalation: true', //                   24
    '',
  ].join('\n');
  const files = { [at('base', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n', [DEPLOY]: BASE, [K]: KUST };

  it('a JSON 6902 and a strategic-merge inline patch: each finding on the exact place in the block, the base as related information', () => {
    const { rows, raw } = findings(files, K);
    assert.deepEqual(rows, [
      ['require-drop-all-capabilities', 9, 7, 9, 61, 'Container "api" in Deployment/api does not drop ALL capabilities'],
      ['require-no-new-privileges', 9, 7, 9, 61, 'Container "api" in Deployment/api does not set allowPrivilegeEscalation: false'],
      ['no-privileged', 11, 9, 11, 25, 'Container "api" in Deployment/api runs privileged'],
      ['require-no-new-privileges', 24, 15, 24, 45, 'Container "api" in Deployment/api turns no-new-privileges off (allowPrivilegeEscalation)'],
    ]);
    for (const f of raw) assert.deepEqual(f.related?.map((r) => r.message), ['merged onto ../base/deployment.yaml:11 (container "api")']);
  });

  it('their fixes edit the block, with its indentation, and the finding goes', () => {
    const { raw } = findings(files, K);
    const drop = fixed(KUST, raw[0], 'Add capabilities.drop: [ALL]');
    assert.equal(drop, KUST.replace('        runAsUser: 1000\n', '        runAsUser: 1000\n        capabilities:\n          drop:\n          - ALL\n'));
    assert.deepEqual(findings({ ...files, [K]: drop }, K, ['require-drop-all-capabilities']).rows, []);
    const ape = fixed(KUST, raw[3], 'Set allowPrivilegeEscalation: false');
    assert.equal(ape, KUST.replace('allowPrivilegeEscalation: true', 'allowPrivilegeEscalation: false'));
    assert.deepEqual(findings({ ...files, [K]: ape }, K, ['require-no-new-privileges']).rows.map((r) => r.slice(0, 3)), [['require-no-new-privileges', 9, 7]]);
  });

  it('a resource is judged with the inline patches of the kustomization that lists it, the block line as related information', () => {
    const hardening = { [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/securityContext\n      value:\n        runAsNonRoot: true\n        runAsUser: 1000\n        allowPrivilegeEscalation: false\n        capabilities: {drop: [ALL]}\n', [at('app', 'deployment.yaml')]: BASE };
    assert.deepEqual(findings(hardening, at('app', 'deployment.yaml')).rows, []);
    assert.deepEqual(findings(hardening, at('app', 'kustomization.yaml')).rows, []);
    const args = { ...hardening, [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/args\n      value: [x]\n' };
    const r = findings(args, at('app', 'deployment.yaml'), ['require-no-new-privileges']);
    assert.deepEqual(r.rows.map((x) => x.slice(0, 3)), [['require-no-new-privileges', 11, 9]]);
    assert.deepEqual(r.raw[0].related?.map((q) => [q.path, q.range?.start, q.message]), [[at('app', 'kustomization.yaml'), { line: 6, character: 6 }, 'patched by kustomization.yaml:7 (add /spec/template/spec/containers/0/args)']]);
  });
});

describe('Kustomize: a base lists the overlays that patch it as related information', () => {
  it('the patches of overlays/prod (JSON 6902 and strategic merge) on every finding of the container; overlays/dev patches nothing; a kustomization that does not build on the base is not one', () => {
    const files: Record<string, string> = {
      [at('app', 'base', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n',
      [at('app', 'base', 'deployment.yaml')]: BASE,
      [at('app', 'overlays', 'prod', 'kustomization.yaml')]: 'resources:\n- ../../base\npatches:\n- path: sc.yaml\n  target: {kind: Deployment}\n- path: smp.yaml\n',
      [at('app', 'overlays', 'prod', 'sc.yaml')]: '- op: add\n  path: /spec/template/spec/containers/0/args\n  value: [x]\n',
      [at('app', 'overlays', 'prod', 'smp.yaml')]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: x\n',
      [at('app', 'overlays', 'dev', 'kustomization.yaml')]: 'resources:\n- ../../base\n',
      [at('other', 'kustomization.yaml')]: 'resources:\n- x.yaml\npatches:\n- path: p.yaml\n',
    };
    const listDir = (dir: string) => {
      const names = new Set<string>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(dir + path.sep)) continue;
        const rest = f.slice(dir.length + 1).split(path.sep);
        names.add(rest.length > 1 ? `${rest[0]}/` : rest[0]);
      }
      return names.size > 0 ? [...names] : undefined;
    };
    const D2 = at('app', 'base', 'deployment.yaml');
    const r = lint(files[D2], { path: D2, readFile: (p) => files[p], listDir });
    const related = [
      [at('app', 'overlays', 'prod', 'sc.yaml'), { line: 0, character: 2 }, 'patched by overlay ../overlays/prod/sc.yaml:1'],
      [at('app', 'overlays', 'prod', 'smp.yaml'), { line: 8, character: 8 }, 'patched by overlay ../overlays/prod/smp.yaml:9 (container "api")'],
    ];
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.related?.map((q) => [q.path, q.range?.start, q.message])]), ['prefer-user-namespaces', 'no-root-user', 'require-drop-all-capabilities', 'require-no-new-privileges'].map((id) => [id, related]));
    // An edit of an overlay or its patches lints the base again.
    for (const dep of [at('app', 'overlays', 'prod', 'kustomization.yaml'), at('app', 'overlays', 'prod', 'sc.yaml'), at('app', 'overlays', 'prod', 'smp.yaml')]) assert.ok(r.dependencies?.includes(dep), dep);
    // Without a folder lister (a single-file lint), no overlay is looked for.
    assert.deepEqual(lint(files[D2], { path: D2, readFile: (p) => files[p] }).findings.map((f) => f.related), [undefined, undefined, undefined, undefined]);
  });
});

describe('Kustomize JSON 6902: bad input is a clear finding or nothing, never a crash', () => {
  const cases: [string, string][] = [
    ['root replace', '- {op: replace, path: "", value: {kind: Pod}}\n'],
    ['remove the root', '- {op: remove, path: ""}\n'],
    ['no leading slash', '- {op: add, path: spec, value: 1}\n'],
    ['unknown op', '- {op: merge, path: /spec, value: 1}\n'],
    ['move from nowhere', '- {op: move, from: /nope, path: /spec/x}\n'],
    ['copy without from', '- {op: copy, path: /spec/x}\n'],
    ['add without value', '- {op: add, path: /spec/x}\n'],
    ['null value', '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value:\n'],
    ['a scalar where a container is', '- {op: replace, path: /spec/template/spec/containers/0, value: 7}\n'],
    ['an alias value', '- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value: &sc {privileged: true}\n- {op: add, path: /spec/template/spec/initContainers, value: [{name: i, securityContext: *sc}]}\n'],
    ['deep path through a scalar', '- {op: add, path: /metadata/name/x/y, value: 1}\n'],
    ['not a list', 'op: add\npath: /spec\n'],
  ];
  for (const [name, patch] of cases) {
    it(name, () => {
      const files = project(patch);
      for (const f of [PATCH, DEPLOY]) assert.doesNotThrow(() => findings(files, f));
      const same = { [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\npatches:\n- path: p.yaml\n  target: {kind: Deployment}\n', [at('app', 'deployment.yaml')]: BASE, [at('app', 'p.yaml')]: patch };
      assert.doesNotThrow(() => findings(same, at('app', 'deployment.yaml')));
    });
  }
  it('what each bad operation is told', () => {
    const told = (patch: string) => findings(project(patch), PATCH, ['skipped', 'no-privileged']).rows.map((r) => [r[0], r[5]]);
    assert.deepEqual(told('- {op: merge, path: /spec, value: 1}\n'), [['skipped', 'Not applied: unknown operation "merge"']]);
    assert.deepEqual(told('- {op: add, path: spec, value: 1}\n'), [['skipped', 'Not applied: the path "spec" is not a JSON Pointer (it must start with /)']]);
    assert.deepEqual(told('- {op: remove, path: ""}\n'), [['skipped', 'Not applied: this remove fails on Deployment/api (the whole resource cannot be removed)']]);
    assert.deepEqual(told('- op: add\n  path: /spec/template/spec/containers/0/securityContext\n  value: &sc {privileged: true}\n- {op: add, path: /spec/template/spec/initContainers, value: [{name: i, securityContext: *sc}]}\n'), [
      // Both at the anchored value, where it is written.
      ['no-privileged', 'Init container "i" in Deployment/api runs privileged'],
      ['no-privileged', 'Container "api" in Deployment/api runs privileged'],
    ]);
  });
});

describe('Kustomize JSON 6902: fixes only where the patch writes a whole map', () => {
  it('argo-cd dev-tilt shape: remove the securityContext, add ports: the finding, and no fix (a key placed from the patched map would land inside the ports value)', () => {
    const patch = '- op: remove\n  path: /spec/template/spec/containers/0/securityContext\n- op: add\n  path: /spec/template/spec/containers/0/ports\n  value:\n    - name: debug\n      containerPort: 2345\n';
    const files = project(patch, BASE + HARDENED_SC);
    const { rows, raw } = findings(files, PATCH);
    assert.deepEqual(rows.map((r) => r.slice(0, 5)), [['no-root-user', 1, 3, 2, 57], ['require-drop-all-capabilities', 1, 3, 2, 57], ['require-no-new-privileges', 1, 3, 2, 57]]);
    for (const f of raw) assert.deepEqual(f.fixes, []);
  });
});

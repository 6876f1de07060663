/**
 * Kustomize patches (#11): a file a kustomization names as a patch is judged on what it sets.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProjectMemo, applyFixes, lint } from '../../server/src/engine';
import { kustomizationPatches, renameImage } from '../../server/src/engine/project/kustomize';

const ROOT = path.resolve('/k');
const at = (...p: string[]) => path.join(ROOT, ...p);
const PATCH = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        args: [--debug]\n';

function run(files: Record<string, string>, file: string): [string, number][] {
  const text = files[file];
  const r = lint(text, { path: file, readFile: (p) => files[p] });
  return r.findings.map((f) => [f.ruleId, text.slice(0, f.span.start).split('\n').length]);
}

describe('Kustomize patches', () => {
  it('the three ways a kustomization names a patch', () => {
    const k = at('overlay', 'kustomization.yaml');
    const text = 'resources:\n  - ../base\npatches:\n  - path: patches/api.yaml\n    target: {kind: Deployment}\n  - patch: |-\n      - op: remove\n        path: /spec/x\npatchesStrategicMerge:\n  - replicas.yaml\npatchesJson6902:\n  - target: {kind: Service, name: api}\n    path: svc-patch.yaml\n';
    assert.deepEqual(kustomizationPatches(text, k), [at('overlay', 'patches', 'api.yaml'), at('overlay', 'replicas.yaml'), at('overlay', 'svc-patch.yaml')]);
  });
  it('a strategic-merge patch gets no "missing" findings (the base sets the rest)', () => {
    const files = { [at('overlay', 'kustomization.yaml')]: 'resources: [../base]\npatches:\n- path: patches/api.yaml\n', [at('overlay', 'patches', 'api.yaml')]: PATCH };
    assert.deepEqual(run(files, at('overlay', 'patches', 'api.yaml')), []);
  });
  it('what the patch itself sets is still reported, where it is written', () => {
    const files = { [at('overlay', 'kustomization.yaml')]: 'patchesStrategicMerge:\n- api.yaml\n', [at('overlay', 'api.yaml')]: `${PATCH}        securityContext:\n          privileged: true\n` };
    assert.deepEqual(run(files, at('overlay', 'api.yaml')), [['no-privileged', 12]]);
  });
  it('the same file when no kustomization names it is a workload of its own', () => {
    const files = { [at('overlay', 'kustomization.yaml')]: 'resources:\n- api.yaml\n', [at('overlay', 'api.yaml')]: PATCH };
    assert.deepEqual(run(files, at('overlay', 'api.yaml')).map(([id]) => id), ['prefer-user-namespaces', 'no-root-user', 'require-drop-all-capabilities', 'require-no-new-privileges']);
  });
});

// ---- A patch judged merged onto its base (strategic merge), and the base with its patches ----

const BASE = [
  'apiVersion: apps/v1', //                         1
  'kind: Deployment', //                            2
  'metadata:', //                                   3
  '  name: api', //                                 4
  'spec:', //                                       5
  '  template:', //                                 6
  '    spec:', //                                   7
  '      securityContext:', //                      8
  '        runAsUser: 1000', //                     9
  '      containers:', //                          10
  '      - name: api', //                          11
  '        image: myorg/api:1.2', //               12
  '        securityContext:', //                   13
  '          allowPrivilegeEscalation: false', //  14
  '          capabilities:', //                    15
  '            drop: [ALL]', //                    16
  '',
].join('\n');

/** Findings of one file: [ruleId, line, text at the span, message]. */
function detailed(files: Record<string, string>, file: string, rules?: string[]): { list: [string, number, string, string][]; raw: ReturnType<typeof lint>['findings'] } {
  const text = files[file];
  const r = lint(text, { path: file, readFile: (p) => files[p] });
  const raw = r.findings.filter((f) => !rules || rules.includes(f.ruleId));
  const line = (o: number) => text.slice(0, o).split('\n').length;
  return { list: raw.map((f) => [f.ruleId, line(f.span.start), text.slice(f.span.start, f.span.end), f.message]), raw };
}

const MISSING_RULES = ['no-root-user', 'require-no-new-privileges', 'require-drop-all-capabilities', 'no-privileged'];

describe('Kustomize: a strategic-merge patch merged onto its base', () => {
  const overlay = (patch: string, extra = '') => ({
    [at('base', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n',
    [at('base', 'deployment.yaml')]: BASE,
    [at('overlays', 'prod', 'kustomization.yaml')]: `resources:\n- ../../base\npatches:\n- path: patch.yaml\n${extra}`,
    [at('overlays', 'prod', 'patch.yaml')]: patch,
  });
  const PATCH_HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n';

  it('a value the patch sets is reported on the patch line, with the base as related information', () => {
    const files = overlay(`${PATCH_HEAD}      - name: api\n        securityContext:\n          allowPrivilegeEscalation: true\n`);
    const { list, raw } = detailed(files, at('overlays', 'prod', 'patch.yaml'), MISSING_RULES);
    assert.deepEqual(list, [['require-no-new-privileges', 11, 'allowPrivilegeEscalation: true', 'Container "api" in Deployment/api turns no-new-privileges off (allowPrivilegeEscalation)']]);
    assert.deepEqual(raw[0].related?.map((r) => [r.path, r.range?.start.line, r.range?.start.character, r.message]), [[at('base', 'deployment.yaml'), 10, 8, 'merged onto ../../base/deployment.yaml:11 (container "api")']]);
  });

  it('a setting the base sets counts for the patch: runAsNonRoot: false in the patch, with the pod\'s runAsUser: 1000 from the base, is not root', () => {
    const files = overlay(`${PATCH_HEAD}      - name: api\n        securityContext:\n          runAsNonRoot: false\n`);
    assert.deepEqual(detailed(files, at('overlays', 'prod', 'patch.yaml'), MISSING_RULES).list, []);
    // The same patch without a base in reach is judged on what it sets.
    const alone = { ...files, [at('overlays', 'prod', 'kustomization.yaml')]: 'resources:\n- https://example.com/base\npatches:\n- path: patch.yaml\n' };
    assert.deepEqual(detailed(alone, at('overlays', 'prod', 'patch.yaml'), MISSING_RULES).list.map(([id, line]) => [id, line]), [['no-root-user', 11]]);
  });

  it('a container only the patch declares is judged in the patch (what it lacks is reported there), and inherits the base pod\'s user', () => {
    const files = overlay(`${PATCH_HEAD}      - name: sidecar\n        image: busybox\n`);
    const { list, raw } = detailed(files, at('overlays', 'prod', 'patch.yaml'), MISSING_RULES);
    assert.deepEqual(list, [
      ['require-drop-all-capabilities', 9, '- name: sidecar', 'Container "sidecar" in Deployment/api does not drop ALL capabilities'],
      ['require-no-new-privileges', 9, '- name: sidecar', 'Container "sidecar" in Deployment/api does not set allowPrivilegeEscalation: false'],
    ].map(([id, line, , message]) => [id as string, line as number, 'name: sidecar', message as string]));
    assert.deepEqual(raw[0].related?.map((r) => r.message), ['added to Deployment/api of ../../base/deployment.yaml:4']);
  });

  it('a patch container marked $patch: delete is not judged', () => {
    const files = overlay(`${PATCH_HEAD}      - name: api\n        $patch: delete\n        securityContext:\n          privileged: true\n`);
    assert.deepEqual(detailed(files, at('overlays', 'prod', 'patch.yaml'), MISSING_RULES).list, []);
  });

  it('capabilities.drop in a patch replaces the base\'s [ALL] (a list without strategy): the patch took it away, so the patch gets the finding and its fix', () => {
    const patch = `${PATCH_HEAD}      - name: api\n        securityContext:\n          capabilities:\n            drop: [NET_RAW]\n`;
    const files = overlay(patch);
    const { list, raw } = detailed(files, at('overlays', 'prod', 'patch.yaml'), ['require-drop-all-capabilities']);
    assert.deepEqual(list, [['require-drop-all-capabilities', 9, 'name: api', 'Container "api" in Deployment/api drops NET_RAW but not ALL capabilities']]);
    const fixed = applyFixes(patch, raw, (f) => f.fixes[0]).text;
    assert.equal(fixed, patch.replace('drop: [NET_RAW]', 'drop: [NET_RAW, ALL]'));
    assert.deepEqual(detailed({ ...files, [at('overlays', 'prod', 'patch.yaml')]: fixed }, at('overlays', 'prod', 'patch.yaml')).list, []);
    // The same patch with a base that does not drop ALL either: reported on the base only.
    const bare = { ...files, [at('base', 'deployment.yaml')]: BASE.replace('            drop: [ALL]\n', '            drop: [NET_RAW]\n') };
    assert.deepEqual(detailed(bare, at('overlays', 'prod', 'patch.yaml'), ['require-drop-all-capabilities']).list, []);
  });

  it('the base is found through `patches` with a target, in a folder resource', () => {
    const files = {
      ...overlay('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: whatever\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        securityContext:\n          runAsNonRoot: false\n'),
      [at('overlays', 'prod', 'kustomization.yaml')]: 'resources:\n- ../../base\npatches:\n- path: patch.yaml\n  target:\n    kind: Deployment\n    name: ap.*\n',
    };
    assert.deepEqual(detailed(files, at('overlays', 'prod', 'patch.yaml'), MISSING_RULES).list, []);
    const r = lint(files[at('overlays', 'prod', 'patch.yaml')], { path: at('overlays', 'prod', 'patch.yaml'), readFile: (p) => files[p] });
    assert.ok(r.dependencies?.includes(at('base', 'deployment.yaml')));
    assert.ok(r.dependencies?.includes(at('base', 'kustomization.yaml')));
  });
});

describe('Kustomize: a resource judged with the patches of the kustomization that lists it', () => {
  const BARE = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: myorg/api:1.2\n        securityContext:\n          privileged: true\n';
  const HARDEN = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        securityContext:\n          privileged: false\n          allowPrivilegeEscalation: false\n          capabilities:\n            drop: [ALL]\n';
  const files = {
    [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\npatchesStrategicMerge:\n- harden.yaml\n',
    [at('app', 'deployment.yaml')]: BARE,
    [at('app', 'harden.yaml')]: HARDEN,
  };

  it('what the patch sets is not missing on the base, and its privileged: false wins; missing from both stays on the base with the patch as related information', () => {
    const { list, raw } = detailed(files, at('app', 'deployment.yaml'), MISSING_RULES);
    assert.deepEqual(list, [['no-root-user', 9, '- name: api', 'Container "api" in Deployment/api may run as root (no runAsNonRoot or runAsUser)']].map(([id, line, , m]) => [id as string, line as number, 'name: api', m as string]));
    assert.deepEqual(raw[0].related?.map((r) => [r.path, r.range?.start.line, r.message]), [[at('app', 'harden.yaml'), 8, 'patched by harden.yaml:9 (container "api")']]);
    // The patch itself: nothing missing (the base declares the container), nothing bad.
    assert.deepEqual(detailed(files, at('app', 'harden.yaml'), MISSING_RULES).list, []);
  });

  it('a setting the patch takes away (drop: [NET_RAW] over the base\'s [ALL]) is reported on the patch, not again on the base', () => {
    const base = BARE.replace('          privileged: true\n', '          allowPrivilegeEscalation: false\n          runAsNonRoot: true\n          runAsUser: 1000\n          capabilities:\n            drop: [ALL]\n');
    const patch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        securityContext:\n          capabilities:\n            drop: [NET_RAW]\n';
    const taken = { ...files, [at('app', 'deployment.yaml')]: base, [at('app', 'harden.yaml')]: patch };
    assert.deepEqual(detailed(taken, at('app', 'deployment.yaml'), MISSING_RULES).list, []);
    assert.deepEqual(detailed(taken, at('app', 'harden.yaml'), MISSING_RULES).list, [['require-drop-all-capabilities', 9, 'name: api', 'Container "api" in Deployment/api drops NET_RAW but not ALL capabilities']]);
  });

  it('a patch for another workload changes nothing', () => {
    const other = { ...files, [at('app', 'harden.yaml')]: HARDEN.replace('name: api\nspec', 'name: web\nspec') };
    assert.deepEqual(detailed(other, at('app', 'deployment.yaml'), MISSING_RULES).list.map(([id, line]) => [id, line]), [['no-root-user', 9], ['require-drop-all-capabilities', 9], ['require-no-new-privileges', 9], ['no-privileged', 12]]);
  });
});

describe('Kustomize: images: feeds the image knowledge', () => {
  const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: myorg/api:1.2\n';
  const fixOf = (files: Record<string, string>, file: string) => {
    const f = detailed(files, file, ['no-root-user']).raw[0];
    return f && [f.fixes[0]?.title, f.fixes[0]?.kind];
  };

  it('renames the image of a resource: the Argo CD image runs as uid 999, so setting that user is a safe fix', () => {
    const files = { [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\nimages:\n- name: myorg/api\n  newName: quay.io/argoproj/argocd\n  newTag: v2.9.0\n', [at('app', 'deployment.yaml')]: DEPLOY };
    assert.deepEqual(fixOf(files, at('app', 'deployment.yaml')), ['Set runAsNonRoot: true and runAsUser: 999', 'safe']);
    const unknown = { ...files, [at('app', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n' };
    assert.deepEqual(fixOf(unknown, at('app', 'deployment.yaml')), ['Set runAsNonRoot: true and runAsUser: 10001', 'suggestion']);
  });

  it('renames the base image a patch is merged onto, innermost kustomization first', () => {
    const files = {
      [at('base', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\nimages:\n- name: myorg/api\n  newName: myorg/api-hardened\n',
      [at('base', 'deployment.yaml')]: DEPLOY,
      [at('prod', 'kustomization.yaml')]: 'resources:\n- ../base\npatches:\n- path: patch.yaml\nimages:\n- name: myorg/api-hardened\n  newName: quay.io/argoproj/argocd\n',
      [at('prod', 'patch.yaml')]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        securityContext:\n          runAsNonRoot: false\n',
    };
    assert.deepEqual(fixOf(files, at('prod', 'patch.yaml')), ['Set runAsNonRoot: true and runAsUser: 999', 'safe']);
  });

  it('renameImage keeps the tag or digest unless the rule sets one', () => {
    assert.equal(renameImage('redis:7', [{ name: 'redis', newName: 'public.ecr.aws/docker/library/redis' }]), 'public.ecr.aws/docker/library/redis:7');
    assert.equal(renameImage('redis@sha256:abc', [{ name: 'redis', newTag: '8' }]), 'redis:8');
    assert.equal(renameImage('localhost:5000/app', [{ name: 'localhost:5000/app', digest: 'sha256:def' }]), 'localhost:5000/app@sha256:def');
    assert.equal(renameImage('nginx:1', [{ name: 'redis', newTag: '8' }]), 'nginx:1');
  });
});

describe('the project view memo (one pass over many files)', () => {
  const files = {
    [at('base', 'kustomization.yaml')]: 'resources:\n- deployment.yaml\n',
    [at('base', 'deployment.yaml')]: BASE,
    [at('prod', 'kustomization.yaml')]: 'resources:\n- ../base\npatches:\n- path: a.yaml\n- path: b.yaml\n',
    [at('prod', 'a.yaml')]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        securityContext:\n          allowPrivilegeEscalation: true\n',
    [at('prod', 'b.yaml')]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n      - name: api\n        image: myorg/api:2\n',
  };
  const lintAll = (fs: Record<string, string>, memo?: ProjectMemo) => [at('prod', 'a.yaml'), at('prod', 'b.yaml'), at('base', 'deployment.yaml')].map((f) => lint(fs[f], { path: f, readFile: (p) => fs[p], projectMemo: memo }).findings.map((x) => [x.ruleId, x.span.start, x.message, x.related?.map((r) => r.message)]));

  it('reads each kustomization and base into its models once, with the same findings as without it', () => {
    const memo = new ProjectMemo();
    assert.deepEqual(lintAll(files, memo), lintAll(files));
    // prod/ and base/ kustomizations, made once each and reused by the second patch (and base/ by the
    // base's own lint); the base deployment read once, reused by the second patch.
    assert.deepEqual([...memo.misses], [['kustomization', 2], ['kubernetes', 1]]);
    assert.deepEqual([...memo.hits], [['kustomization', 3], ['kubernetes', 1]]);
  });

  it('asks the reader once per scan for a file it does not have (the kustomization probes of every file of a folder)', () => {
    const asked = new Map<string, number>();
    const reader = (p: string) => {
      asked.set(p, (asked.get(p) ?? 0) + 1);
      return files[p];
    };
    const memo = new ProjectMemo();
    for (const f of [at('prod', 'a.yaml'), at('prod', 'b.yaml')]) lint(files[f], { path: f, readFile: reader, projectMemo: memo });
    // Present files are read again (their models are kept by content).
    assert.equal(asked.get(at('prod', 'kustomization.yaml')), 2);
    // Two manifests in a folder without a kustomization: each probe is asked once.
    const lone = { [at('lone', 'a.yaml')]: BASE, [at('lone', 'b.yaml')]: BASE.replace('name: api', 'name: web') };
    asked.clear();
    for (const f of Object.keys(lone)) lint(lone[f], { path: f, readFile: (p) => reader(p) ?? lone[p], projectMemo: memo });
    assert.deepEqual([asked.get(at('lone', 'kustomization.yaml')), asked.get(at('lone', 'Kustomization')), asked.get(at('kustomization.yml'))], [1, 1, 1]);
  });

  it('never answers for a file whose text changed', () => {
    const memo = new ProjectMemo();
    lintAll(files, memo);
    const hardened = { ...files, [at('base', 'deployment.yaml')]: BASE.replace('runAsUser: 1000', 'runAsUser: 0') };
    assert.deepEqual(lintAll(hardened, memo), lintAll(hardened));
    assert.equal(memo.misses.get('kubernetes'), 2);
  });
});

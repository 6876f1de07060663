/**
 * Kustomize patches (#11): a file a kustomization names as a patch is judged on what it sets.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { kustomizationPatches } from '../../server/src/engine/project/kustomize';

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

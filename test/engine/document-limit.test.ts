/**
 * The work per YAML file is bounded (#17) without leaving real files half analysed (#16): a stream
 * is analysed up to its MAX_DOCUMENTS-th document that can run a container, and the rest gets one
 * info finding `skipped` where it starts.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { MAX_DOCUMENTS } from '../../server/src/engine/adapters/yaml';
import { hostile } from '../robustness/hostile-inputs';

/** Pods whose every container is privileged: one `no-privileged` finding per analysed pod. */
const privilegedPods = (count: number) => hostile.pods(count).replace(/image: nginx\n/g, 'image: nginx\n    securityContext: {privileged: true}\n');

describe('documents analysed per YAML file', () => {
  it('is enough for the 7,093 workload documents of the benchmark file', () => {
    assert.ok(MAX_DOCUMENTS >= 7093, `MAX_DOCUMENTS ${MAX_DOCUMENTS}`);
  });

  it('analyses a stream of exactly the limit whole', () => {
    const r = lint(privilegedPods(MAX_DOCUMENTS), { path: '/w/k8s/pods.yaml' });
    assert.equal(r.findings.filter((f) => f.ruleId === 'no-privileged').length, MAX_DOCUMENTS);
    assert.equal(r.findings.filter((f) => f.ruleId === 'skipped').length, 0);
  });

  it('stops one past the limit with an info finding where the rest starts', () => {
    const text = privilegedPods(MAX_DOCUMENTS + 2);
    const r = lint(text, { path: '/w/k8s/pods.yaml' });
    assert.equal(r.findings.filter((f) => f.ruleId === 'no-privileged').length, MAX_DOCUMENTS);
    const skipped = r.findings.filter((f) => f.ruleId === 'skipped');
    assert.equal(skipped.length, 1);
    const [stop] = skipped;
    assert.equal(stop.severity, 'info');
    // The first unanalysed pod (the one named p<MAX_DOCUMENTS>), from its document marker.
    const start = text.indexOf(`---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p${MAX_DOCUMENTS}\n`);
    assert.deepEqual(stop.span, { start, end: start });
    assert.equal(stop.message, `Not analysed from here on: past the first ${MAX_DOCUMENTS} documents that can run a container`);
    assert.equal(
      stop.detail,
      `This file has ${MAX_DOCUMENTS + 2} YAML documents. The work per file has a limit, and the documents past the first ${MAX_DOCUMENTS} that can run a container are not analysed. Split the file to have the rest checked.`,
    );
  });

  it('does not count documents that cannot run a container', () => {
    const configMaps = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  a: b\n`).join('---\n');
    const r = lint(`${configMaps}---\n${privilegedPods(MAX_DOCUMENTS)}`, { path: '/w/k8s/pods.yaml' });
    assert.equal(r.findings.filter((f) => f.ruleId === 'no-privileged').length, MAX_DOCUMENTS);
    assert.equal(r.findings.filter((f) => f.ruleId === 'skipped').length, 0);
  });
});

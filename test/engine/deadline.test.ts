/**
 * A lint in slices (#17): with a deadline the engine stops between YAML documents and says where;
 * linting again with that result as `previous` goes on from there, and the slices end with the
 * findings of a lint in one go. The language server analyses files this way (lsp/slices.ts).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import type { LintOptions, LintResult } from '../../server/src/engine';
import { lintInSlices } from '../../server/src/lsp/slices';
import { hostile } from '../robustness/hostile-inputs';

const summary = (r: LintResult) => r.findings.map((f) => `${f.ruleId}@${f.span.start}-${f.span.end}:${f.message}`);

describe('lint with a deadline', () => {
  const pods = hostile.pods(40).replace('image: nginx', 'image: nginx\n    securityContext: {privileged: true}');

  it('stops after the first document when the deadline has passed, and says where', () => {
    const r = lint(pods, { path: '/w/k8s/pods.yaml', deadline: performance.now() - 1 });
    assert.ok(r.stoppedAt !== undefined && r.stoppedAt > 0, `stoppedAt ${r.stoppedAt}`);
    const stop = r.findings.find((f) => f.ruleId === 'skipped');
    assert.ok(stop, 'a skipped finding');
    assert.equal(stop.severity, 'info');
    assert.equal(stop.span.start, r.stoppedAt);
    assert.match(stop.message, /work budget/);
    assert.ok(r.findings.some((f) => f.ruleId === 'no-privileged'), 'the first document was analysed');
  });

  it('goes on from where it stopped, one document per call, to the one-go result', () => {
    const whole = lint(pods, { path: '/w/k8s/pods.yaml' });
    assert.equal(whole.stoppedAt, undefined);
    let r = lint(pods, { path: '/w/k8s/pods.yaml', deadline: performance.now() - 1 });
    let calls = 1;
    let last = -1;
    while (r.stoppedAt !== undefined) {
      assert.ok(r.stoppedAt > last, 'each call gets further');
      last = r.stoppedAt;
      r = lint(pods, { path: '/w/k8s/pods.yaml', previous: r, deadline: performance.now() - 1 });
      calls++;
    }
    assert.ok(calls >= 20, `${calls} calls for 40 documents`);
    assert.deepEqual(summary(r), summary(whole));
  });

  it('lintInSlices ends with the one-go result, also where results are not kept between calls (Compose) and with suppressions', async () => {
    const compose = Array.from({ length: 30 }, (_, i) => `services:\n  s${i}:\n    image: nginx\n    privileged: true\n`).join('---\n');
    const suppressed = `# container-privilege-lint-disable-next-line no-privileged\n${pods}`;
    for (const [path, text] of [['/w/compose.yaml', compose], ['/w/k8s/pods.yaml', pods], ['/w/k8s/s.yaml', suppressed]] as const) {
      let calls = 0;
      const counting = (t: string, o: LintOptions) => {
        calls++;
        return lint(t, o);
      };
      const sliced = await lintInSlices(counting, text, { path }, 0);
      assert.equal(sliced.stoppedAt, undefined);
      assert.deepEqual(summary(sliced), summary(lint(text, { path })), path);
      assert.ok(calls > 1, `${path}: analysed in ${calls} slices`);
    }
  });
});

/**
 * Large and deep input: files over maxFileSize are skipped without being parsed, deep
 * nesting and huge scalars end in a finding (never a stack overflow), and memory stays
 * bounded on the largest real manifest.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { checkLint, corpusFiles } from './support';

const PATHS = ['compose.yaml', 'k8s/deploy.yaml', 'Dockerfile', '.devcontainer/devcontainer.json'];

describe('large input', () => {
  it('a 50 MB file over maxFileSize gets one skipped info finding, in well under 50 ms, without parsing', () => {
    // A file that would take seconds to parse (and fail) if it were parsed.
    const big = `services:\n  web:\n    privileged: true\n    labels: ${'['.repeat(1000)}${'x'.repeat(50 * 1024 * 1024)}\n`;
    assert.ok(big.length > DEFAULT_CONFIG.maxFileSize);
    for (const path of PATHS) {
      const t0 = performance.now();
      const r = lint(big, { path });
      const ms = performance.now() - t0;
      assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity]), [['skipped', 'info']], path);
      assert.match(r.findings[0].message, /maxFileSize/);
      assert.ok(ms < 50, `${path}: ${ms.toFixed(1)} ms`);
    }
  });

  it('a file just under maxFileSize is analysed', () => {
    const text = `services:\n  web:\n    image: x\n    privileged: true\n    labels: {a: "${'x'.repeat(1000)}"}\n`;
    const r = lint(text, { path: 'compose.yaml', config: { maxFileSize: text.length } });
    assert.ok(r.findings.some((f) => f.ruleId === 'no-privileged'));
  });

  it('deep nesting (10,000 levels) in every format ends in a finding or nothing, never a throw', () => {
    const n = 10_000;
    const cases = [
      { path: 'compose.yaml', text: `services:\n  web:\n    image: x\n    labels: ${'['.repeat(n)}${']'.repeat(n)}\n` },
      { path: 'compose.yaml', text: `services:\n  web:\n    image: x\n    labels: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n` },
      { path: 'k8s/pod.yaml', text: `apiVersion: v1\nkind: Pod\nspec: ${'- '.repeat(n)}x\n` },
      { path: 'k8s/pod.yaml', text: `apiVersion: v1\nkind: Pod\nmetadata:\n ${'a: '.repeat(n)}x\n` },
      { path: 'k8s/pod.yaml', text: `${'  '.repeat(0)}a:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} x\n` },
      { path: '.devcontainer/devcontainer.json', text: `{"a": ${'['.repeat(n)}${']'.repeat(n)}}` },
      { path: '.devcontainer/devcontainer.json', text: `{"a": ${'{"a": '.repeat(n)}1${'}'.repeat(n)}}` },
      { path: 'Dockerfile', text: `FROM alpine\nRUN ${'\\\n'.repeat(n)}true\n` },
      { path: 'Dockerfile', text: `FROM alpine\nARG A=${'${A:-'.repeat(n)}x${'}'.repeat(n)}\nUSER $A\n` },
      { path: 'setup.sh', text: `docker run ${'$('.repeat(n)}x${')'.repeat(n)}\n` },
      { path: 'setup.sh', text: `${'if true; then '.repeat(2000)}docker run --privileged x${'; fi'.repeat(2000)}\n` },
      { path: 'Makefile', text: `a:\n\tdocker run ${'$('.repeat(n)}x${')'.repeat(n)}\n` },
      { path: 'app.container', text: `[Container]\nPodmanArgs=${'\\\n'.repeat(n)}--privileged\n` },
    ];
    for (const c of cases) checkLint(c);
  });

  it('huge scalars (1 MB) in every format', () => {
    const s = 'x'.repeat(1024 * 1024);
    checkLint({ path: 'compose.yaml', text: `services:\n  web:\n    image: ${s}\n    user: "${s}"\n` });
    checkLint({ path: 'k8s/pod.yaml', text: `apiVersion: v1\nkind: Pod\nmetadata: {name: ${s}}\nspec:\n  containers:\n  - name: a\n    image: |\n      ${s}\n` });
    checkLint({ path: 'Dockerfile', text: `FROM ${s}\nUSER ${s}\n` });
    checkLint({ path: '.devcontainer/devcontainer.json', text: `{"image": "${s}", "runArgs": ["--user=${s}"]}` });
  });

  it('the largest corpus manifest: lint stays within its time bound and heap growth stays bounded', (t) => {
    const files = corpusFiles();
    if (files.length === 0) {
      t.skip('../shared/corpus is not there');
      return;
    }
    const biggest = files.reduce((a, b) => (b.text.length > a.text.length ? b : a));
    const before = process.memoryUsage().heapUsed;
    checkLint(biggest);
    const retainedAfter = process.memoryUsage().heapUsed;
    // The result is dropped; what is retained must not be a multiple of the input.
    t.diagnostic(`${biggest.path}: ${(biggest.text.length / 1e6).toFixed(1)} MB, heap ${((retainedAfter - before) / 1e6).toFixed(0)} MB after`);
    assert.ok(retainedAfter - before < 40 * biggest.text.length, 'heap grew more than 40× the input');
  });
});

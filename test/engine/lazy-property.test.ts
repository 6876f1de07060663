/**
 * Properties computed on first read with getters shared by every object (server/src/engine/lazy-property.ts,
 * #16), and the engine's results that use them: a getter made per object gives each object a hidden
 * class of its own, which V8 keeps in the old generation with a pointer to the getter and all it holds.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { parseYaml } from '../../server/src/engine/adapters/yaml';
import { lazyProperty, viewProperty } from '../../server/src/engine/lazy-property';

describe('lazyProperty', () => {
  it('computes on first read only, keeps the value, and a written value replaces it', () => {
    let calls = 0;
    const define = lazyProperty<{ n: number; twice?: number }, number>('twice', (t) => (calls++, t.n * 2));
    const a: { n: number; twice?: number } = { n: 2 };
    const b: { n: number; twice?: number } = { n: 5 };
    define(a);
    define(b);
    assert.equal(calls, 0, 'nothing computed before it is read');
    assert.equal(a.twice, 4);
    assert.equal(a.twice, 4);
    assert.equal(calls, 1);
    assert.equal(b.twice, 10);
    assert.equal(calls, 2);
    a.twice = 7;
    assert.equal(a.twice, 7);
    assert.equal(calls, 2);
    assert.equal(Object.getOwnPropertyDescriptor(a, 'twice')?.get, Object.getOwnPropertyDescriptor(b, 'twice')?.get, 'one getter for every object');
  });

  it('shows the property to spreads and JSON, never its slot', () => {
    const define = lazyProperty<{ n: number; twice?: number }, number>('twice', (t) => t.n * 2);
    const a: { n: number; twice?: number } = { n: 3 };
    define(a);
    assert.deepEqual({ ...a }, { n: 3, twice: 6 });
    assert.equal(JSON.stringify(a), '{"n":3,"twice":6}');
    assert.deepEqual(Object.getOwnPropertySymbols({ ...a }), []);
  });

  it('a compute that reads its own property gets undefined, not a loop', () => {
    const define = lazyProperty<{ self?: unknown }, unknown>('self', (t) => ({ inner: t.self }));
    const a: { self?: unknown } = {};
    define(a);
    assert.deepEqual(a.self, { inner: undefined });
  });
});

describe('viewProperty', () => {
  it('is the same object while it is read again, and a written value is kept as written', () => {
    let calls = 0;
    const define = viewProperty<{ items: number[]; doubled?: number[] }, number[]>('doubled', (t) => (calls++, t.items.map((x) => x * 2)));
    const a: { items: number[]; doubled?: number[] } = { items: [1, 2] };
    define(a);
    const first = a.doubled;
    assert.deepEqual(first, [2, 4]);
    assert.equal(a.doubled, first);
    assert.equal(calls, 1);
    a.doubled = [9];
    assert.deepEqual(a.doubled, [9]);
  });
});

describe('the engine shares its lazy getters between versions (#16)', () => {
  const v1 = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n  db:\n    image: postgres:16\n';
  const v2 = v1.replace('nginx:1.27', 'nginx:1.28');
  const getter = (o: object, key: string) => {
    const d = Object.getOwnPropertyDescriptor(o, key);
    assert.ok(d?.get, `${key} is an accessor`);
    return d.get;
  };

  it('lint results read in parts: findings and tiers', () => {
    const first = lint(v1, { path: 'compose.yaml' });
    const second = lint(v2, { path: 'compose.yaml', previous: first });
    assert.ok(first.documents && second.documents, 'read in parts');
    for (const key of ['findings', 'tiers']) assert.equal(getter(first, key), getter(second, key), key);
    assert.ok(second.findings.some((f) => f.ruleId === 'no-privileged'));
  });

  it('parsed YAML and shell files: their workloads', () => {
    const a = parseYaml(v1, 'compose.yaml', 'compose');
    const b = parseYaml(v2, 'compose.yaml', 'compose', a);
    assert.equal(getter(a, 'workloads'), getter(b, 'workloads'));
    assert.deepEqual(b.workloads.map((w) => w.name), ['web', 'db']);
    const s1 = lint('#!/bin/sh\ndocker run --privileged alpine\n', { path: 'run.sh' });
    const s2 = lint('#!/bin/sh\ndocker run --privileged alpine:3\n', { path: 'run.sh', previous: s1 });
    assert.ok(s1.parsed && s2.parsed);
    assert.equal(getter(s1.parsed, 'workloads'), getter(s2.parsed, 'workloads'));
  });

  it('Helm findings moved into a template or values.yaml: their fixes', () => {
    const files: Record<string, string> = {
      '/c/a/Chart.yaml': 'apiVersion: v2\nname: a\nversion: 0.1.0\n',
      '/c/a/values.yaml': 'image: agent:1\n',
      '/c/a/templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n    - name: agent\n      image: {{ .Values.image }}\n      securityContext:\n        privileged: true\n',
    };
    const path = '/c/a/templates/pod.yaml';
    const findings = lint(files[path], { path, readFile: (p) => files[p], listDir: (d) => (d === '/c/a/templates' ? ['pod.yaml'] : d === '/c/a' ? ['Chart.yaml', 'values.yaml', 'templates/'] : undefined) }).findings;
    assert.ok(findings.length >= 2, findings.map((f) => f.ruleId).join());
    const first = getter(findings[0], 'fixes');
    for (const f of findings) assert.equal(getter(f, 'fixes'), first, f.ruleId);
    // Made when read, and a finding with a fix has it.
    const privileged = findings.find((f) => f.ruleId === 'no-privileged')!;
    assert.ok(privileged.fixes.length > 0);
    assert.equal(privileged.fixes, privileged.fixes);
  });
});


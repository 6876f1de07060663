/**
 * The shapes of the hostile inputs of #17, by size: each is a file a repository can carry
 * whose naive analysis is quadratic or exponential. Used by the hostile-repository tests,
 * the growth (doubling) test and `npm run fuzz`.
 */
import fc from 'fast-check';
import type { Sample } from './support';

export const hostile = {
  /** `x-aN: &aN {<<: [*aN-1, *aN-1]}`: a merge chain whose every level merges the one below twice. */
  mergeChain(levels: number): string {
    let s = 'x-a0: &a0 {image: nginx, privileged: true}\n';
    for (let i = 1; i <= levels; i++) s += `x-a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}]}\n`;
    return `${s}services:\n  web:\n    <<: *a${levels}\n`;
  },

  /** N services each with `<<: *a`. */
  mergeFanOut(services: number): string {
    let s = 'x-base: &a\n  image: nginx\n  privileged: true\nservices:\n';
    for (let i = 0; i < services; i++) s += `  s${i}:\n    <<: *a\n`;
    return s;
  },

  /** N services each merging an anchor of K keys: N×K merged entries from N+K lines. */
  mergeProduct(services: number, keys: number): string {
    let s = 'x-base: &a\n  image: nginx\n  privileged: true\n';
    for (let i = 0; i < keys; i++) s += `  x-k${i}: ${i}\n`;
    s += 'services:\n';
    for (let i = 0; i < services; i++) s += `  s${i}:\n    <<: *a\n`;
    return s;
  },

  /** A Dockerfile of N `FROM … AS sN` stages, each built on the one before. */
  stages(count: number): string {
    let s = 'FROM alpine:3.20 AS s0\n';
    for (let i = 1; i < count; i++) s += `FROM s${i - 1} AS s${i}\n`;
    return s;
  },

  /** Compose services each extending the one before. */
  extendsChain(services: number): string {
    let s = 'services:\n  s0:\n    image: nginx\n    privileged: true\n';
    for (let i = 1; i < services; i++) s += `  s${i}:\n    extends: s${i - 1}\n`;
    return s;
  },

  /** A config file with N unknown rule ids. */
  unknownRuleIds(count: number): string {
    let s = 'rules:\n';
    for (let i = 0; i < count; i++) s += `  bogus-${i}: error\n`;
    return s;
  },

  /** A multi-document manifest of N pods (about 100 bytes each). */
  pods(count: number): string {
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: c\n    image: nginx\n`);
    return parts.join('---\n');
  },
};

/**
 * Compose files whose services are built from a random graph of anchors: each anchor a map with a
 * few keys of its own that merges (`<<`) earlier anchors, sometimes the same one twice, sometimes
 * itself (a cycle); services that merge anchors, alias values, and `extends` one another (chains,
 * cycles, missing targets). The fuzz target for #17: the analysis stays linear however they nest.
 */
export const mergeGraphArb: fc.Arbitrary<Sample> = fc
  .record({
    anchors: fc.array(
      fc.record({
        own: fc.array(fc.constantFrom('image: nginx', 'privileged: true', 'user: root', 'cap_add: [SYS_ADMIN]', 'read_only: true', 'x-k: 1'), { maxLength: 3 }),
        merges: fc.array(fc.nat(), { maxLength: 4 }),
        self: fc.boolean(),
        flow: fc.boolean(),
      }),
      { minLength: 1, maxLength: 40 },
    ),
    services: fc.array(
      fc.record({ merges: fc.array(fc.nat(), { maxLength: 3 }), extendsTarget: fc.option(fc.nat(), { nil: undefined }), aliasValue: fc.option(fc.nat(), { nil: undefined }) }),
      { minLength: 1, maxLength: 40 },
    ),
  })
  .map(({ anchors, services }) => {
    const lines: string[] = [];
    anchors.forEach((a, i) => {
      const merged = a.merges.filter(() => i > 0).map((m) => `*a${m % i}`);
      if (a.self) merged.push(`*a${i}`);
      const pairs = [...a.own.filter((o, k) => a.own.indexOf(o) === k), ...(merged.length > 0 ? [`<<: [${merged.join(', ')}]`] : [])];
      if (a.flow || pairs.length === 0) lines.push(`x-a${i}: &a${i} {${pairs.join(', ')}}`);
      else lines.push(`x-a${i}: &a${i}`, ...pairs.map((p) => `  ${p}`));
    });
    lines.push('services:');
    services.forEach((s, i) => {
      lines.push(`  s${i}:`);
      const merged = s.merges.map((m) => `*a${m % anchors.length}`);
      if (merged.length > 0) lines.push(`    <<: [${merged.join(', ')}]`);
      if (s.extendsTarget !== undefined) lines.push(`    extends: s${s.extendsTarget % (services.length + 1)}`);
      if (s.aliasValue !== undefined) lines.push(`    x-alias: *a${s.aliasValue % anchors.length}`);
      if (merged.length === 0 && s.extendsTarget === undefined) lines.push('    image: nginx');
    });
    return { path: 'compose.yaml', text: `${lines.join('\n')}\n` };
  });

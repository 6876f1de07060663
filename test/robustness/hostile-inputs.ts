/**
 * The shapes of the hostile inputs of #17, by size: each is a file a repository can carry
 * whose naive analysis is quadratic or exponential. Used by the hostile-repository tests,
 * the growth (doubling) test and `npm run fuzz`.
 */
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

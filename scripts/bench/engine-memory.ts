/**
 * The engine's memory per MB of input (#17): `node --expose-gc out/scripts/bench/engine-memory.js
 * <file>` lints the file in process (its path decides the kind), reads its findings, collects
 * the garbage and prints one JSON line: the heap the result keeps alive (heap used with the result
 * held, minus heap used after an earlier lint of the same file was dropped, so the engine's own
 * code and tables do not count), per MB of input, and the lint's time.
 *
 *   node out/scripts/bench/engine-memory.js --pods N out.yaml
 *
 * writes a stream of N small pods (about 100 bytes each, one container, no securityContext).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { lint } from '../../server/src/engine/index';
import type { LintResult } from '../../server/src/engine/index';

/** A YAML stream of `count` small pods: the shape of #17's "100k pod documents". */
export function podStream(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: c\n    image: nginx\n`);
  return parts.join('---\n');
}

export interface EngineMemory {
  bytes: number;
  findings: number;
  /** Heap kept alive by the lint's result, findings read. */
  retained: number;
  /** retained / bytes: MB of heap per MB of input. */
  perByte: number;
  lintMs: number;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === '--pods') {
    writeFileSync(args[2], podStream(Number(args[1])));
    return;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const file = args[0];
  const text = readFileSync(file, 'utf8');
  const run = (): LintResult => {
    const r = lint(text, { path: file });
    void r.findings.length;
    return r;
  };
  run();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const result = run();
  const lintMs = performance.now() - t0;
  gc();
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  const out: EngineMemory = { bytes: text.length, findings: result.findings.length, retained, perByte: retained / text.length, lintMs };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (require.main === module) main();

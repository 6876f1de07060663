/**
 * The engine's memory per MB of input (#17): `node --expose-gc out/scripts/bench/engine-memory.js
 * <file>` lints the file in process (its path decides the kind), reads its findings, collects
 * the garbage and prints one JSON line: the heap the result keeps alive (heap used with the result
 * held, minus heap used after an earlier lint of the same file was dropped, so the engine's own
 * code and tables do not count), per MB of input, and the lint's time. Twice: with the findings
 * list the caller read still held (`retainedHeld`), and once it let go of it (`retained`; the flat
 * list of a file read in parts is a view the result keeps only while its reader does). Each
 * measure is taken in a job of its own, after the one that read the list.
 *
 *   node out/scripts/bench/engine-memory.js --pods N out.yaml
 *
 * writes a stream of N small pods (about 100 bytes each, one container, no securityContext).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { lint } from '../../server/src/engine/index';
import type { Finding } from '../../server/src/engine/index';

/** A YAML stream of `count` small pods: the shape of #17's "100k pod documents". */
export function podStream(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: c\n    image: nginx\n`);
  return parts.join('---\n');
}

export interface EngineMemory {
  bytes: number;
  findings: number;
  /** Heap kept alive by the lint's result, findings read (and let go of) in an earlier job. */
  retained: number;
  /** retained / bytes: MB of heap per MB of input. */
  perByte: number;
  /** Heap kept alive by the result and the findings list read from it, both held. */
  retainedHeld: number;
  heldPerByte: number;
  lintMs: number;
}

/** The end of the current job: WeakRef targets read in it (a result's flat findings, #17) may go from here. */
const nextJob = () => new Promise<void>((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--pods') {
    writeFileSync(args[2], podStream(Number(args[1])));
    return;
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const file = args[0];
  const text = readFileSync(file, 'utf8');
  const collect = async (): Promise<number> => {
    await nextJob();
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  void lint(text, { path: file }).findings.length;
  const before = await collect();
  const t0 = performance.now();
  const result = lint(text, { path: file });
  let findings: Finding[] | undefined = result.findings;
  const lintMs = performance.now() - t0;
  const count = findings.length;
  // What the caller holds: the result and the list it read.
  const retainedHeld = (await collect()) - before;
  findings = undefined;
  // What the result holds (an editor keeps each open file's last result between requests).
  const retained = (await collect()) - before;
  const out: EngineMemory = { bytes: text.length, findings: count, retained, perByte: retained / text.length, retainedHeld, heldPerByte: retainedHeld / text.length, lintMs };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  void result.kind;
  void findings;
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}

/**
 * The V8 heap while many files are linted in one go: the editor's workspace scan, and the whole
 * run of the CLI. Linting thousands of files allocates a lot of
 * short-lived objects (about 2 GB for the 10,000-file benchmark workspace, whose live heap
 * stays near 20 MB). With V8's default heuristics the young generation grows to its maximum
 * (two 16 MB semi-spaces) and the old generation, into which about 5% of it is promoted
 * (110 MB), to about three times what is live; the memory reducer gives that
 * back only seconds after the scan (measured: RSS 185 MiB when the scan ends, 83 MiB 20 s
 * later). So, only while a batch runs, the young generation does not grow and the old
 * generation grows by at most 25% over what is live (a shorter major GC now and then):
 * RSS at the end of the scan 105 MiB, the scan about 8% longer. The CLI keeps the young
 * generation's default: over the corpus copied ten times a young generation that does not grow
 * cost 30% more CPU time (about 3 s of 8 s), while the old generation's limit alone brought the
 * peak RSS from 248 to 179 MiB (#16). After a scan V8's own heuristics apply again. These flags are read by the collector each time it sizes the
 * heap, so setting them at run time takes effect; a flag the process was started with
 * (command line or NODE_OPTIONS) is left alone.
 */
import type * as V8 from 'node:v8';

/** node:v8, loaded on the first batch (loading it costs about 3 ms, a CLI run on one file never needs it). */
function setFlagsFromString(flags: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof V8).setFlagsFromString(flags);
}

interface HeapFlag {
  /** A setting of the young generation (the CLI leaves those alone). */
  young: boolean;
  /** The flag as V8 spells it, without the leading dashes. */
  name: string;
  during: number;
  /** V8's default. */
  otherwise: number;
}

const FLAGS: readonly HeapFlag[] = [
  { young: true, name: 'semi-space-growth-factor', during: 1, otherwise: 2 },
  // 0 turns the setting off: V8 computes the growing factor itself.
  { young: false, name: 'heap-growing-percent', during: 25, otherwise: 0 },
];

/** Whether the process was started with this flag (V8 accepts - and _ alike). */
function setByUser(name: string): boolean {
  const pattern = new RegExp(`^--${name.replace(/-/g, '[-_]')}(=|$)`);
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return args.some((a) => pattern.test(a));
}

const ours = FLAGS.filter((f) => !setByUser(f.name));
let batches = 0;
/** The flags the running batch set. */
let set: readonly HeapFlag[] = [];

/** A batch starts: the heap settings for it (`young: false`: the old generation's only). */
export function beginBatchHeap(options: { young: boolean } = { young: true }): void {
  if (batches++ > 0) return;
  set = ours.filter((f) => options.young || !f.young);
  for (const f of set) setFlagsFromString(`--${f.name}=${f.during}`);
}

/** The batch ended (done, cancelled or failed): V8's settings again. */
export function endBatchHeap(): void {
  if (batches === 0 || --batches > 0) return;
  for (const f of set) setFlagsFromString(`--${f.name}=${f.otherwise}`);
}

/**
 * container-privilege-lint [options] [paths…]: the command-line edge of the engine.
 * Everything but process I/O lives in ./cli/run.ts.
 */
import { run } from './cli/run';
import { beginBatchHeap } from './io/batch-heap';

// One batch of files: an old generation kept near what is live (#16).
beginBatchHeap({ young: false });

const code = run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
});
process.exitCode = code;

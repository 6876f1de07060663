/**
 * container-privilege-lint [options] [paths…]: the command-line edge of the engine.
 * Everything but process I/O lives in ./cli/run.ts.
 */
import { run } from './cli/run';
import { beginBatchHeap, endBatchHeap } from './io/batch-heap';

// A reader that stops early (`container-privilege-lint . | head`) closes the pipe: the rest of the
// report has nowhere to go, which is not an error of the run, so the process ends with the run's code.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const code = run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  // A batch of files: an old generation kept near what is live (#16). Not for one file: that
  // would only load node:v8 (about 3 ms of a start-up).
  onFiles: (count) => {
    if (count > 1) beginBatchHeap({ young: false });
  },
});
// V8's own settings again before the process ends (the code cache is made at exit, and V8
// accepts a cache only under the flags it was made with).
endBatchHeap();
process.exitCode = code;

/**
 * A lint in slices of work (#17): the server is one thread, so a file whose analysis takes
 * seconds (a stream of thousands of YAML documents) would hold up every request meanwhile. The
 * engine stops between documents at a deadline and says where (`stoppedAt`); this goes on from
 * there after letting other messages through, until the file is done. Each call keeps what the
 * one before did (parsed documents, their findings), so the result is the one-go result. A call
 * that gets no further than the one before (documents whose results are not kept) gets no
 * deadline, so the loop always ends.
 */
import type { LintOptions, LintResult } from '../engine';

/** How long one slice works before the server answers what is waiting. */
export const SLICE_MS = 100;

/**
 * Lets the messages that arrived meanwhile be handled. vscode-jsonrpc handles what it reads in a
 * setImmediate of its own, queued behind ours when it read during our work: one setImmediate
 * would resume our work first and answer the request only after the next piece of work. The
 * second turn lets jsonrpc's callback run before we go on.
 */
export function yieldToRequests(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
}

export type LintFunction = (text: string, options: LintOptions) => LintResult;

export async function lintInSlices(run: LintFunction, text: string, options: LintOptions, sliceMs = SLICE_MS): Promise<LintResult> {
  let result = run(text, { ...options, deadline: performance.now() + sliceMs });
  let last = -1;
  while (result.stoppedAt !== undefined) {
    const progressed = result.stoppedAt > last;
    last = result.stoppedAt;
    await yieldToRequests();
    const next: LintOptions = { ...options, previous: result };
    if (progressed) next.deadline = performance.now() + sliceMs;
    result = run(text, next);
  }
  return result;
}

/**
 * Minimal edits on Dockerfiles: drop a `--security=insecure` flag, replace the argument
 * of the deciding `USER`, or add a `USER` line to the final stage (before the trailing
 * CMD/ENTRYPOINT/HEALTHCHECK so it reads naturally) with the file's line ending.
 */
import type { FixResult, FormatWriter } from '../adapters/types';
import type { Container, Span } from '../model';
import type { EngineSettings, FixIntent } from '../rule';
import { lineEndOf, lineEnding, lineStartOf } from '../text';

export interface DockerfileInstructionInfo {
  /** Upper-case keyword (`FROM`, `USER`, …). */
  keyword: string;
  /** The whole instruction, continuation lines and heredocs included. */
  span: Span;
}

/** What the Dockerfile adapter leaves on the container for this writer. */
export interface DockerfileRef {
  format: 'dockerfile';
  text: string;
  /** The final stage's instructions, its FROM first. */
  finalInstructions: DockerfileInstructionInfo[];
  /** Whether a USER inside the final stage decided `container.user` (else it is unset or inherited). */
  userInFinalStage: boolean;
  /** The file ends inside its last instruction (a `\\` continuation, an unclosed heredoc): nothing can be appended. Computed when a fix asks. */
  openAtEnd: () => boolean;
}

/** A VOLUME argument, for removing it. */
export interface DockerfileVolumeRef {
  type: 'volume';
  /** The whole VOLUME instruction. */
  instruction: Span;
  /** Every argument of the instruction (JSON form: the quoted strings). */
  args: Span[];
  /** Which argument this is. */
  index: number;
  json: boolean;
}

const TRAILING = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);




/** Start of the line before the one starting at `lineStart`, or undefined at the top. */
function previousLineStart(text: string, lineStart: number): number | undefined {
  if (lineStart === 0) return undefined;
  let i = lineStart - 1;
  if (text[i] === '\n' && text[i - 1] === '\r') i--;
  return lineStartOf(text, i);
}

function setNonRootUser(ref: DockerfileRef, container: Container, uid: number): FixResult | null {
  const { text } = ref;
  const at = container.user.at;
  // Later RUN steps run as the USER before them: a root USER followed by RUN stays, and the
  // non-root USER goes after the last step instead of replacing it.
  const rootStepsAfter = at !== undefined && ref.finalInstructions.some((i) => i.keyword === 'RUN' && i.span.start > at.span.end);
  if (container.user.verdict === 'root' && ref.userInFinalStage && at && !rootStepsAfter) {
    return {
      title: `Replace USER ${at.value} with USER ${uid}`,
      edits: [{ start: at.valueSpan.start, end: at.valueSpan.end, text: String(uid) }],
    };
  }
  // A USER in the final stage that is not root (nonroot, or a variable): nothing to add.
  if (ref.userInFinalStage && !(container.user.verdict === 'root' && rootStepsAfter)) return null;
  if (container.user.verdict !== 'unset' && container.user.verdict !== 'root') return null;
  if (ref.openAtEnd()) return null;

  const eol = lineEnding(text);
  const instructions = ref.finalInstructions;
  const last = instructions[instructions.length - 1];
  if (!last) return null;
  const title = rootStepsAfter ? `Add USER ${uid} after the last RUN (USER ${at?.value ?? 'root'} stays for the build steps)` : `Add USER ${uid} to the final stage`;
  if (last.keyword === 'CMD' || last.keyword === 'ENTRYPOINT') {
    let first = instructions.length - 1;
    while (first > 1 && TRAILING.has(instructions[first - 1]?.keyword ?? '')) first--;
    const target = instructions[first];
    const before = instructions[first - 1];
    if (target && before) {
      let insertAt = lineStartOf(text, target.span.start);
      const indent = text.slice(insertAt, target.span.start);
      // Keep the comments that introduce the instruction with it.
      for (;;) {
        const prev = previousLineStart(text, insertAt);
        if (prev === undefined || prev < before.span.end) break;
        const line = text.slice(prev, lineEndOf(text, prev));
        if (!/^\s*#/.test(line)) break;
        insertAt = prev;
      }
      return { title, edits: [{ start: insertAt, end: insertAt, text: `${/^[ \t]*$/.test(indent) ? indent : ''}USER ${uid}${eol}` }] };
    }
  }
  const end = lineEndOf(text, last.span.end);
  return { title, edits: [{ start: end, end, text: `${eol}USER ${uid}` }] };
}

/** Removes one VOLUME argument (with the blank or comma before it), or the whole line when it is the only one. */
function removeVolume(ref: DockerfileRef, target: { ref?: unknown; value: unknown }): FixResult | null {
  const v = target.ref as DockerfileVolumeRef | undefined;
  if (v?.type !== 'volume') return null;
  const { text } = ref;
  const cur = v.args[v.index];
  if (!cur) return null;
  const written = text.slice(cur.start, cur.end);
  if (v.args.length === 1) {
    const start = lineStartOf(text, v.instruction.start);
    let end = lineEndOf(text, v.instruction.end);
    if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
    else if (text[end] === '\n' || text[end] === '\r') end += 1;
    return { title: `Remove VOLUME ${written}`, edits: [{ start, end, text: '' }] };
  }
  const prev = v.args[v.index - 1];
  const next = v.args[v.index + 1];
  const edit = prev ? { start: prev.end, end: cur.end, text: '' } : next ? { start: cur.start, end: next.start, text: '' } : undefined;
  return edit ? { title: `Remove ${written} from VOLUME`, edits: [edit] } : null;
}

export const dockerfileWriter: FormatWriter = {
  apply(intent: FixIntent, container: Container, _settings: EngineSettings): FixResult | null {
    const ref = container.ref as DockerfileRef | undefined;
    if (!ref || ref.format !== 'dockerfile') return null;
    switch (intent.type) {
      case 'remove-privileged': {
        const { span, field } = intent.target;
        if (field !== 'RUN --security' || !ref.text.slice(span.start, span.end).startsWith('--security')) return null;
        let end = span.end;
        if (ref.text[end] === ' ' || ref.text[end] === '\t') end++;
        return { title: 'Remove --security=insecure from this RUN', edits: [{ start: span.start, end, text: '' }] };
      }
      case 'set-non-root-user':
        return setNonRootUser(ref, container, intent.uid);
      case 'remove-setting':
        return removeVolume(ref, intent.target);
      default:
        // no-new-privileges and capabilities do not exist in a Dockerfile.
        return null;
    }
  },
};

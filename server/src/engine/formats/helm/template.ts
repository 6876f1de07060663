/**
 * Go template actions in a Helm template, read without rendering: where each `{{ … }}` is
 * (exact offsets, trim markers, comments), what it is (output, control, comment), and the
 * text the YAML parser reads instead: every action replaced by a placeholder of the same
 * length, so every offset the parser reports is an offset in the template itself.
 *
 * - Comments, control actions (`if`, `else`, `with`, `range`, `end`, `define`…) and variable
 *   assignments become spaces: the blocks they open stay in the YAML ("may be present").
 * - A line holding only actions becomes a YAML comment (`#` then spaces); when one of them is an
 *   output (`{{- toYaml .Values.x | nindent 8 }}`), the chart layer grafts what it outputs there.
 * - Any other output action becomes `_` characters: part of a scalar, whose value is unknown
 *   unless the action is the whole scalar and resolves.
 * - The content of `define` blocks (helpers declared in a template file) becomes spaces.
 */

/** `template "name" .` emits text: it is an output action, like `include`. */
export type ActionKind = 'comment' | 'if' | 'else' | 'with' | 'range' | 'end' | 'define' | 'block' | 'assign' | 'control' | 'output';

export interface Action {
  /** Offset of `{{`. */
  start: number;
  /** Offset after `}}` (the end of the text when the action is not closed). */
  end: number;
  /** The pipeline between the delimiters and trim markers, trimmed. */
  body: string;
  kind: ActionKind;
  trimLeft: boolean;
  trimRight: boolean;
  /** An output action alone on its line (other actions on the line output nothing). */
  standalone: boolean;
  /** The first action of a line that holds only actions and whitespace: its placeholder starts with `#`. */
  leadsLine?: boolean;
}

export interface TemplateScan {
  actions: Action[];
  /** The template with every action replaced by a same-length placeholder (see above). */
  placeholder: string;
  /** An action that is never closed: the rest of the text is one action. */
  unterminated?: number;
}

/** Finds every `{{ … }}`: strings, raw strings and comments inside an action never close it. Linear in the text. */
export function scanActions(text: string): TemplateScan {
  const actions: Action[] = [];
  let unterminated: number | undefined;
  let i = text.indexOf('{{');
  while (i >= 0) {
    const start = i;
    let p = i + 2;
    const trimLeft = text[p] === '-' && /[ \t\r\n]/.test(text[p + 1] ?? '');
    if (trimLeft) p += 2;
    while (p < text.length && /[ \t\r\n]/.test(text[p])) p++;
    let end = -1;
    let bodyEnd = -1;
    let kind: ActionKind | undefined;
    let commentTrim = false;
    if (text.startsWith('/*', p)) {
      const close = text.indexOf('*/', p + 2);
      if (close >= 0) {
        const after = text.indexOf('}}', close + 2);
        if (after >= 0) {
          end = after + 2;
          bodyEnd = close + 2;
          kind = 'comment';
          commentTrim = /^[ \t\r\n]+-[ \t\r\n]*$/.test(text.slice(close + 2, after));
        }
      }
    } else {
      let q = p;
      while (q < text.length) {
        const c = text[q];
        if (c === '"' || c === "'") {
          q++;
          while (q < text.length && text[q] !== c && text[q] !== '\n') q += text[q] === '\\' ? 2 : 1;
          q++;
          continue;
        }
        if (c === '`') {
          const close = text.indexOf('`', q + 1);
          q = close < 0 ? text.length : close + 1;
          continue;
        }
        if (c === '}' && text[q + 1] === '}') {
          end = q + 2;
          bodyEnd = q;
          break;
        }
        q++;
      }
    }
    if (end < 0) {
      unterminated = start;
      actions.push({ start, end: text.length, body: '', kind: 'comment', trimLeft, trimRight: false, standalone: false });
      break;
    }
    let inner = text.slice(p, bodyEnd);
    let trimRight = commentTrim;
    const tr = /[ \t\r\n]-$/.exec(inner);
    if (tr) {
      trimRight = true;
      inner = inner.slice(0, -1);
    }
    const body = inner.trim();
    actions.push({ start, end, body, kind: kind ?? classify(body), trimLeft, trimRight, standalone: false });
    i = text.indexOf('{{', end);
  }
  markStandalone(text, actions);
  return { actions, placeholder: placeholderText(text, actions), unterminated };
}

function classify(body: string): ActionKind {
  const word = /^[a-z]+/.exec(body)?.[0];
  switch (word) {
    case 'if':
    case 'else':
    case 'with':
    case 'range':
    case 'end':
    case 'define':
    case 'block':
      return word;
    case 'break':
    case 'continue':
      return 'control';
  }
  if (/^\$[A-Za-z0-9_]*\s*:?=/.test(body)) return 'assign';
  return 'output';
}

function isBreak(c: string | undefined): boolean {
  return c === '\n' || c === '\r';
}

/** An output action whose line holds nothing else but whitespace and actions that output nothing. */
function markStandalone(text: string, actions: Action[]): void {
  let k = 0;
  while (k < actions.length) {
    let ls = actions[k].start;
    while (ls > 0 && !isBreak(text[ls - 1])) ls--;
    // The actions on this line (an action may itself span lines: the line ends after the last one).
    let j = k;
    let le = actions[k].end;
    while (true) {
      while (le < text.length && !isBreak(text[le]) && !(j + 1 < actions.length && actions[j + 1].start === le)) {
        if (!/[ \t]/.test(text[le])) break;
        le++;
      }
      if (j + 1 < actions.length && actions[j + 1].start === le) {
        j++;
        le = actions[j].end;
        continue;
      }
      break;
    }
    const lineOk = /^[ \t]*$/.test(text.slice(ls, actions[k].start)) && (le >= text.length || isBreak(text[le]));
    // Between the actions only whitespace (checked by the loop: it stops at any other character).
    const group = actions.slice(k, j + 1);
    const outputs = group.filter((a) => a.kind === 'output');
    if (lineOk && outputs.length === 1) outputs[0].standalone = true;
    if (lineOk) actions[k].leadsLine = true;
    k = j + 1;
  }
}

/**
 * The placeholder text (see the top of the file). With `dropElse`, the `else` branches are
 * blanked as well: the second reading, for templates whose branches only make YAML one at a
 * time (`{{- else }} {}`).
 */
export function placeholderText(text: string, actions: Action[], dropElse = false): string {
  const parts: string[] = [];
  let at = 0;
  let defineDepth = 0;
  let elseDepth = 0;
  const stack: ActionKind[] = [];
  const elseAt: boolean[] = [];
  for (const a of actions) {
    const hidden = defineDepth > 0 || elseDepth > 0;
    parts.push(hidden ? blank(text.slice(at, a.start)) : text.slice(at, a.start));
    const len = a.end - a.start;
    // A line of actions only becomes a comment line, never a whitespace-only line: in a block
    // scalar, leading whitespace-only lines deeper than the content are an error.
    if (a.leadsLine) parts.push(`#${' '.repeat(len - 1)}`);
    else if (a.kind === 'output' && defineDepth === 0) parts.push('_'.repeat(len));
    else parts.push(' '.repeat(len));
    if (a.kind === 'if' || a.kind === 'with' || a.kind === 'range' || a.kind === 'define' || a.kind === 'block') {
      stack.push(a.kind);
      elseAt.push(false);
      if (a.kind === 'define' || a.kind === 'block') defineDepth++;
    } else if (a.kind === 'else' && dropElse && elseAt.length > 0 && !elseAt[elseAt.length - 1]) {
      elseAt[elseAt.length - 1] = true;
      elseDepth++;
    } else if (a.kind === 'end') {
      const top = stack.pop();
      if (elseAt.pop()) elseDepth--;
      if (top === 'define' || top === 'block') defineDepth--;
    }
    at = a.end;
  }
  parts.push(defineDepth > 0 || elseDepth > 0 ? blank(text.slice(at)) : text.slice(at));
  return parts.join('');
}

/** Keeps line breaks, every other character becomes a space. */
function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

// ---- Pipelines -------------------------------------------------------------------------

/** A term of a Go template pipeline. */
export type Term =
  | { t: 'field'; base: 'dot' | 'root' | `var:${string}`; path: string[] }
  | { t: 'string'; value: string }
  | { t: 'number'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'nil' }
  | { t: 'ident'; name: string }
  | { t: 'paren'; pipeline: Command[] };

/** One command of a pipeline: a function and its arguments, or a single operand. */
export type Command = Term[];

/**
 * Parses a pipeline (`toYaml .Values.x | nindent 8`, `default 1000 .Values.uid`,
 * `include "x.labels" .`) into commands. Undefined for syntax this reader does not know:
 * the action's output is then unknown.
 */
export function parsePipeline(src: string): Command[] | undefined {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(src);
  };
  const skip = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const fieldChain = (): string[] => {
    const path: string[] = [];
    while (src[i] === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      i++;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
      if (!m) fail();
      path.push(m![0]);
      i += m![0].length;
    }
    return path;
  };
  const term = (): Term => {
    const c = src[i];
    if (c === '(') {
      i++;
      const p = pipeline(')');
      if (src[i] !== ')') fail();
      i++;
      const path = fieldChain();
      if (path.length > 0) fail();
      return { t: 'paren', pipeline: p };
    }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          const n = src[j + 1];
          out += n === 'n' ? '\n' : n === 't' ? '\t' : (n ?? '');
          j += 2;
        } else out += src[j++];
      }
      if (src[j] !== '"') fail();
      i = j + 1;
      return { t: 'string', value: out };
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) fail();
      const value = src.slice(i + 1, j);
      i = j + 1;
      return { t: 'string', value };
    }
    if (c === '.') {
      if (!/[A-Za-z_]/.test(src[i + 1] ?? '')) {
        i++;
        return { t: 'field', base: 'dot', path: [] };
      }
      return { t: 'field', base: 'dot', path: fieldChain() };
    }
    if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i, i + 200))!;
      i += m[0].length;
      const name = m[0];
      const path = fieldChain();
      return { t: 'field', base: name === '$' ? 'root' : `var:${name}`, path };
    }
    const num = /^-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(src.slice(i, i + 100));
    if (num) {
      i += num[0].length;
      return { t: 'number', value: Number(num[0]) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200));
    if (id) {
      i += id[0].length;
      if (id[0] === 'true' || id[0] === 'false') return { t: 'bool', value: id[0] === 'true' };
      if (id[0] === 'nil') return { t: 'nil' };
      return { t: 'ident', name: id[0] };
    }
    return fail();
  };
  const pipeline = (close?: string): Command[] => {
    const cmds: Command[] = [];
    let cmd: Term[] = [];
    for (;;) {
      skip();
      if (i >= src.length || (close && src[i] === close)) break;
      if (src[i] === '|') {
        if (cmd.length === 0) fail();
        cmds.push(cmd);
        cmd = [];
        i++;
        continue;
      }
      cmd.push(term());
    }
    if (cmd.length === 0) fail();
    cmds.push(cmd);
    return cmds;
  };
  try {
    const p = pipeline();
    return i >= src.length ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The pipeline of a control action (`with .Values.x` → `.Values.x`; `range $i, $c := .Values.l` → its pipeline). */
export function controlPipeline(body: string): { vars: string[]; pipeline: string } {
  const rest = body.replace(/^(?:else\s+)?(?:if|with|range)\b/, '').trim();
  const m = /^(\$[A-Za-z0-9_]*)(?:\s*,\s*(\$[A-Za-z0-9_]*))?\s*:?=\s*/.exec(rest);
  if (!m) return { vars: [], pipeline: rest };
  return { vars: [m[1], m[2]].filter((v): v is string => !!v), pipeline: rest.slice(m[0].length) };
}

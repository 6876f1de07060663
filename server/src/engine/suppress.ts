/**
 * Suppression comments, the same in every format (`#` in YAML and Dockerfiles, `//` in JSONC):
 *   # container-privilege-lint-disable-next-line no-privileged, no-root-user -- why
 *   # container-privilege-lint-disable no-root-user -- why       (whole file)
 * A directive that suppresses nothing is itself reported.
 */
import type { Edit, Finding, Span } from './model';

export const DIRECTIVE = 'container-privilege-lint';
const LINE_RE = /^[ \t]*(#|\/\/)[ \t]*container-privilege-lint-(disable-next-line|disable)(?=[\s]|$)([^\r\n]*)$/;

export interface Directive {
  kind: 'next-line' | 'file';
  /** Rule ids; empty means every rule. */
  ids: string[];
  /** Span of each id, for the unused report; the whole comment when ids is empty. */
  idSpans: Span[];
  span: Span;
  /** 0-based line the directive sits on. */
  line: number;
  reason?: string;
}

export interface LineIndex {
  starts: number[];
}

export function lineIndex(text: string): LineIndex {
  const starts = [0];
  if (!text.includes('\r')) {
    // The common case, with indexOf: a character loop over a 4.5 MB manifest costs 9 ms.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return { starts };
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return { starts };
}

export function lineOf(index: LineIndex, offset: number): number {
  let lo = 0;
  let hi = index.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function parseDirectives(text: string, index: LineIndex): Directive[] {
  const out: Directive[] = [];
  if (!text.includes(`${DIRECTIVE}-disable`)) return out;
  for (let line = 0; line < index.starts.length; line++) {
    const start = index.starts[line];
    const endRaw = line + 1 < index.starts.length ? index.starts[line + 1] : text.length;
    let end = endRaw;
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    const lineText = text.slice(start, end);
    if (!lineText.includes(DIRECTIVE)) continue;
    const m = LINE_RE.exec(lineText);
    if (!m) continue;
    const rest = m[3];
    const restStart = start + lineText.length - rest.length;
    const dash = rest.indexOf('--');
    const idPart = dash >= 0 ? rest.slice(0, dash) : rest;
    const reason = dash >= 0 ? rest.slice(dash + 2).trim() : undefined;
    const ids: string[] = [];
    const idSpans: Span[] = [];
    const idRe = /[A-Za-z0-9_-]+/g;
    let im: RegExpExecArray | null;
    while ((im = idRe.exec(idPart))) {
      ids.push(im[0]);
      idSpans.push({ start: restStart + im.index, end: restStart + im.index + im[0].length });
    }
    const firstNonSpace = lineText.search(/\S/);
    const span = { start: start + Math.max(0, firstNonSpace), end };
    out.push({ kind: m[2] === 'disable' ? 'file' : 'next-line', ids, idSpans, span, line, reason });
  }
  return out;
}

/**
 * Drops suppressed findings and reports directives (or ids in them) that matched nothing.
 */
/** `index`: the text's line index, computed here when the text holds a directive and none is given. */
export function applySuppressions(text: string, findings: Finding[], index: LineIndex | undefined, unusedSeverity: Finding['severity'] | 'off'): Finding[] {
  if (!text.includes(`${DIRECTIVE}-disable`)) return findings;
  index ??= lineIndex(text);
  const directives = parseDirectives(text, index);
  if (directives.length === 0) return findings;
  const used = directives.map(() => new Set<string>());
  const kept: Finding[] = [];
  for (const f of findings) {
    if (f.ruleId === 'parse-error') {
      kept.push(f);
      continue;
    }
    const line = lineOf(index, f.span.start);
    let suppressed = false;
    directives.forEach((d, i) => {
      const applies = d.kind === 'file' || d.line + 1 === line;
      if (!applies) return;
      if (d.ids.length === 0 || d.ids.includes(f.ruleId)) {
        suppressed = true;
        used[i].add(d.ids.length === 0 ? '*' : f.ruleId);
      }
    });
    if (!suppressed) kept.push(f);
  }
  if (unusedSeverity === 'off') return kept;
  directives.forEach((d, i) => {
    if (d.ids.length === 0) {
      if (used[i].size === 0) kept.push(unused(d.span, 'this suppression comment suppresses nothing', unusedSeverity, text, d.span));
      return;
    }
    const unusedIds = d.ids.map((id, k) => ({ id, span: d.idSpans[k] })).filter((x) => !used[i].has(x.id));
    if (unusedIds.length === d.ids.length) {
      kept.push(unused(d.span, `this suppression comment suppresses nothing (${d.ids.join(', ')})`, unusedSeverity, text, d.span));
    } else {
      for (const u of unusedIds) kept.push(unused(u.span, `'${u.id}' in this suppression comment suppresses nothing`, unusedSeverity, text, undefined));
    }
  });
  return kept;
}

function unused(span: Span, message: string, severity: Finding['severity'], text: string, wholeLine: Span | undefined): Finding {
  const fixes = [];
  if (wholeLine) {
    let start = wholeLine.start;
    while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    let end = wholeLine.end;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    fixes.push({ title: 'Remove the unused suppression comment', edits: [{ start, end, text: '' }], kind: 'safe' as const, preferred: true });
  }
  return { ruleId: 'unused-suppression', severity, message, span, fixes };
}

/**
 * The edit that inserts `<prefix> container-privilege-lint-disable-next-line <id> -- reason`
 * on its own line above the finding's line, with that line's indentation and line ending.
 */
export function disableNextLineEdit(text: string, offset: number, ruleId: string, prefix: '#' | '//', index: LineIndex = lineIndex(text)): Edit {
  const line = lineOf(index, offset);
  const start = index.starts[line];
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  let indent = text.slice(start, i);
  // A finding on a `- item` line: the comment goes at the dash's column.
  if (text[i] === '-' && text[i + 1] === ' ') indent = text.slice(start, i);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { start, end: start, text: `${indent}${prefix} ${DIRECTIVE}-disable-next-line ${ruleId} -- reason${eol}` };
}

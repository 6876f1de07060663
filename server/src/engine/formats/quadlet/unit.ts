/**
 * A systemd unit file read the way systemd and Quadlet read it, keeping source offsets:
 * `[Section]` headers, `Key=Value` entries, `#` and `;` comment lines (also inside a
 * continuation, where they are skipped), values continued over lines ending in a backslash,
 * and repeated keys kept in order. Values split into words with double and single quotes and
 * C escapes, as `PodmanArgs=` and the space-separated list keys are split.
 */
import type { Span } from '../../model';
import type { Word } from '../run-model';

export interface UnitEntry {
  section: UnitSection;
  key: string;
  keySpan: Span;
  /** From the key to the end of the entry's last line (newline excluded). */
  span: Span;
  /** The entry's whole lines, newline included: what removing it removes. */
  lines: Span;
  /** The value with continuations joined (each backslash-newline read as one space), trimmed. */
  value: string;
  /** Source offset of each character of `value`. */
  offsets: number[];
  /** The value's span (empty at the `=` end when the value is empty). */
  valueSpan: Span;
}

export interface UnitSection {
  name: string;
  /** The `[Name]` header. */
  header: Span;
  /** The header's line, newline included. */
  headerLine: Span;
  entries: UnitEntry[];
}

export interface UnitProblem {
  message: string;
  span: Span;
}

export interface UnitFile {
  sections: UnitSection[];
  problems: UnitProblem[];
  /** `\r\n` when the file uses it. */
  eol: string;
}

interface Line {
  start: number;
  /** End of the content, line break excluded. */
  end: number;
  /** After the line break. */
  next: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    const contentEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    lines.push({ start, end: contentEnd, next });
    start = next;
  }
  return lines;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

export function parseUnit(text: string): UnitFile {
  const sections: UnitSection[] = [];
  const problems: UnitProblem[] = [];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  let current: UnitSection | undefined;
  let pending: { entry: UnitEntry; chars: string[] } | undefined;

  const finish = () => {
    if (!pending) return;
    const { entry, chars } = pending;
    // Trim the joined value on both sides, keeping the offsets aligned.
    let a = 0;
    let b = chars.length;
    while (a < b && /\s/.test(chars[a] ?? '')) a++;
    while (b > a && /\s/.test(chars[b - 1] ?? '')) b--;
    entry.value = chars.slice(a, b).join('');
    entry.offsets = entry.offsets.slice(a, b);
    entry.valueSpan = entry.offsets.length > 0 ? { start: entry.offsets[0] ?? 0, end: (entry.offsets[entry.offsets.length - 1] ?? 0) + 1 } : { start: entry.keySpan.end + 1, end: entry.keySpan.end + 1 };
    pending = undefined;
  };

  /** Appends the text of [from, to) to the pending value; returns whether it ended with a continuation backslash. */
  const append = (from: number, to: number, line: Line): boolean => {
    if (!pending) return false;
    let end = to;
    while (end > from && isSpace(text[end - 1])) end--;
    const continued = end > from && text[end - 1] === '\\';
    const contentEnd = continued ? end - 1 : to;
    for (let i = from; i < contentEnd; i++) {
      pending.chars.push(text[i] ?? '');
      pending.entry.offsets.push(i);
    }
    pending.entry.span.end = Math.max(pending.entry.span.end, end);
    pending.entry.lines.end = line.next;
    if (continued) {
      // systemd reads backslash-newline as one space.
      pending.chars.push(' ');
      pending.entry.offsets.push(end - 1);
    }
    return continued;
  };

  let continued = false;
  for (const line of splitLines(text)) {
    let s = line.start;
    if (s === 0 && text.charCodeAt(0) === 0xfeff) s = 1;
    while (s < line.end && isSpace(text[s])) s++;
    const first = text[s];
    if (continued && pending) {
      if (first === '#' || first === ';') continue; // a comment inside a continuation is skipped
      continued = append(s, line.end, line);
      if (!continued) finish();
      continue;
    }
    if (s >= line.end || first === '#' || first === ';') continue;
    if (first === '[') {
      let e = line.end;
      while (e > s && isSpace(text[e - 1])) e--;
      if (text[e - 1] !== ']') {
        problems.push({ message: 'A section header must end with "]".', span: { start: s, end: e } });
        current = undefined;
        continue;
      }
      current = { name: text.slice(s + 1, e - 1), header: { start: s, end: e }, headerLine: { start: line.start, end: line.next }, entries: [] };
      sections.push(current);
      continue;
    }
    const eq = text.indexOf('=', s);
    if (eq < 0 || eq >= line.end) {
      problems.push({ message: 'This line is not a Key=Value entry, a [Section] header or a comment: systemd and Quadlet reject the unit.', span: { start: s, end: line.end } });
      continue;
    }
    let keyEnd = eq;
    while (keyEnd > s && isSpace(text[keyEnd - 1])) keyEnd--;
    if (!current) {
      problems.push({ message: 'An entry before any [Section] header: systemd and Quadlet reject the unit.', span: { start: s, end: line.end } });
      continue;
    }
    const entry: UnitEntry = {
      section: current,
      key: text.slice(s, keyEnd),
      keySpan: { start: s, end: keyEnd },
      span: { start: s, end: line.end },
      lines: { start: line.start, end: line.next },
      value: '',
      offsets: [],
      valueSpan: { start: eq + 1, end: eq + 1 },
    };
    current.entries.push(entry);
    pending = { entry, chars: [] };
    let v = eq + 1;
    while (v < line.end && isSpace(text[v])) v++;
    continued = append(v, line.end, line);
    if (!continued) finish();
  }
  finish();
  return { sections, problems, eol };
}

/**
 * Splits an entry's value into words as systemd does for command-line style keys
 * (`PodmanArgs=`, `Exec=`, `Mask=`): whitespace separates, double and single quotes group,
 * and C escapes (`\n`, `\t`, `\\`, `\"`, `\ `) are decoded when `cunescape` is set (else kept,
 * as in the space-separated list keys such as `AddCapability=`).
 */
export function unitWords(entry: UnitEntry, cunescape: boolean): Word[] {
  const words: Word[] = [];
  const v = entry.value;
  const off = entry.offsets;
  let i = 0;
  while (i < v.length) {
    while (i < v.length && /\s/.test(v[i] ?? '')) i++;
    if (i >= v.length) break;
    const startIdx = i;
    let out = '';
    let quote: string | undefined;
    let escaped = false;
    let quoteCount = 0;
    for (; i < v.length; i++) {
      const c = v[i] ?? '';
      if (quote) {
        if (c === quote) {
          quote = undefined;
          quoteCount++;
        } else if (c === '\\' && cunescape && quote === '"' && i + 1 < v.length) {
          escaped = true;
          out += unescape(v[++i] ?? '');
        } else out += c;
        continue;
      }
      if (/\s/.test(c)) break;
      if (c === '"' || c === "'") {
        quote = c;
        quoteCount++;
      } else if (c === '\\' && i + 1 < v.length) {
        escaped = true;
        if (cunescape) out += unescape(v[++i] ?? '');
        else out += c + (v[++i] ?? '');
      } else out += c;
    }
    const endIdx = i;
    const span = { start: off[startIdx] ?? 0, end: (off[endIdx - 1] ?? 0) + 1 };
    const word: Word = { value: out, span };
    const first = v[startIdx];
    const wrapped = quoteCount === 2 && (first === '"' || first === "'") && v[endIdx - 1] === first;
    if (!escaped && (quoteCount === 0 || wrapped)) {
      const a = startIdx + (wrapped ? 1 : 0);
      const b = endIdx - (wrapped ? 1 : 0);
      // Verbatim only when the characters are contiguous in the source (no continuation inside).
      let contiguous = true;
      for (let k = a + 1; k < b; k++) if ((off[k] ?? 0) !== (off[k - 1] ?? 0) + 1) contiguous = false;
      if (contiguous) word.verbatimStart = a < b ? (off[a] ?? 0) : span.start + (wrapped ? 1 : 0);
    }
    words.push(word);
  }
  return words;
}

function unescape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    default:
      return c;
  }
}

/** systemd's boolean: 1, yes, true, on (any case) are true; the rest false. */
export function unitBool(value: string): boolean {
  const v = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  return ['1', 'yes', 'true', 'on'].includes(v.toLowerCase());
}

/** The value as Quadlet's Lookup reads a single-valued key: surrounding double quotes removed. */
export function unitScalar(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

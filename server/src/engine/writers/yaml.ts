/**
 * Minimal text edits on YAML that keep comments, indentation, flow/block style and
 * line endings: remove a pair or an item with its line, replace one scalar, insert a
 * pair after the last sibling with the sibling's indentation, append to a list in its
 * own style. Nothing is ever re-serialised beyond the inserted lines.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, YAMLMap, YAMLSeq } from 'yaml';
import type { ComposeRef, ItemRef } from '../adapters/compose';
import type { KubernetesRef } from '../adapters/kubernetes';
import type { FixResult, FormatWriter } from '../adapters/types';
import type { Entry } from '../adapters/yaml-util';
import { asMap, asSeq, get, trimmedSpan } from '../adapters/yaml-util';
import type { Container, Edit, Located } from '../model';
import type { EngineSettings, FixIntent } from '../rule';

/** A value to insert: a scalar already in YAML syntax, a list, or a map. */
export type YValue = string | { seq: string[] } | { map: [string, YValue][] };

export class YamlWriter implements FormatWriter {
  private readonly eol: string;
  private step = 0;
  private seqPad = -1;

  constructor(private readonly text: string) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
  }

  addDocument(_doc: Document.Parsed): void {
    /* documents are reached through container refs */
  }

  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null {
    const ref = container.ref as ComposeRef | KubernetesRef | undefined;
    if (!ref) return null;
    try {
      return ref.format === 'compose' ? this.compose(intent, container, ref, settings) : this.kubernetes(intent, container, ref, settings);
    } catch {
      return null; // never a crash for a fix we cannot compute
    }
  }

  // ---- Compose -------------------------------------------------------------------

  private compose(intent: FixIntent, c: Container, ref: ComposeRef, settings: EngineSettings): FixResult | null {
    const { doc, service } = ref;
    switch (intent.type) {
      case 'remove-privileged': {
        const entry = intent.target.ref as Entry | undefined;
        if (!entry) return null;
        if (entry.owner === service && !intent.target.via) return { title: 'Remove privileged: true', edits: this.removePair(entry) };
        return { title: `Set privileged: false on ${c.label} (the shared definition stays as it is)`, edits: [this.insertPair(service, 'privileged', 'false')] };
      }
      case 'enable-no-new-privileges': {
        const nnp = c.noNewPrivileges;
        const own = ownEntry(service, 'security_opt', doc);
        if (nnp && nnp.value === false && !nnp.via && (nnp.ref as ItemRef).list.owner === service) {
          return { title: 'Set no-new-privileges:true', edits: [this.replaceScalar((nnp.ref as ItemRef).item, 'no-new-privileges:true')] };
        }
        if (own && asSeq(own.value) && !own.via) {
          return { title: 'Add no-new-privileges:true to security_opt', edits: [this.appendItem(asSeq(own.value)!, 'no-new-privileges:true')] };
        }
        const inherited = c.securityOpt.filter((o) => o.span.start !== nnp?.span.start).map((o) => this.scalarText(o));
        return { title: 'Add security_opt: [no-new-privileges:true]', edits: [this.insertPair(service, 'security_opt', { seq: [...inherited, 'no-new-privileges:true'] })] };
      }
      case 'set-non-root-user': {
        const value = `"${settings.nonRootUid}:${settings.nonRootUid}"`;
        const own = ownEntry(service, 'user', doc);
        if (own && own.value && !own.via) return { title: `Set user: ${value}`, edits: [this.replaceScalar(own.value, value)] };
        return { title: `Set user: ${value}`, edits: [this.insertPair(service, 'user', value)] };
      }
      case 'remove-capability':
        return this.removeCapability(intent.cap, (cap) => `Remove ${cap} from ${intent.cap.field}`, service);
    }
  }

  // ---- Kubernetes ----------------------------------------------------------------

  private kubernetes(intent: FixIntent, c: Container, ref: KubernetesRef, settings: EngineSettings): FixResult | null {
    const { doc, container } = ref;
    const scEntry = ownEntry(container, 'securityContext', doc);
    const sc = scEntry && !scEntry.via ? asMap(scEntry.value) : undefined;
    if (scEntry && !sc) return null; // an aliased or non-map securityContext: no minimal safe edit
    switch (intent.type) {
      case 'remove-privileged': {
        const entry = intent.target.ref as Entry | undefined;
        if (!entry || intent.target.via || entry.owner !== sc) return null;
        return { title: 'Remove privileged: true', edits: this.removePair(entry) };
      }
      case 'enable-no-new-privileges':
        return { title: 'Set allowPrivilegeEscalation: false', edits: this.setInSecurityContext(container, sc, [['allowPrivilegeEscalation', 'false']], doc) };
      case 'set-non-root-user': {
        const pairs: [string, string][] = [['runAsNonRoot', 'true']];
        if (c.user.verdict === 'root') pairs.push(['runAsUser', String(settings.nonRootUid)]);
        const title = pairs.length > 1 ? `Set runAsNonRoot: true and runAsUser: ${settings.nonRootUid}` : 'Set runAsNonRoot: true';
        return { title, edits: this.setInSecurityContext(container, sc, pairs, doc) };
      }
      case 'remove-capability':
        return this.removeCapability(intent.cap, (cap) => `Remove ${cap} from capabilities.add`, undefined);
    }
  }

  private setInSecurityContext(container: YAMLMap, sc: YAMLMap | undefined, pairs: [string, string][], doc: Document.Parsed): Edit[] {
    if (!sc) return [this.insertPair(container, 'securityContext', { map: pairs })];
    const edits: Edit[] = [];
    const missing: [string, YValue][] = [];
    for (const [k, v] of pairs) {
      const e = ownEntry(sc, k, doc);
      if (e && e.value && !e.via) edits.push(this.replaceScalar(e.value, v));
      else missing.push([k, v]);
    }
    if (missing.length > 0) edits.push(this.insertPairs(sc, missing));
    return edits;
  }

  private removeCapability(cap: Located<string> & { name: string }, title: (cap: string) => string, service: YAMLMap | undefined): FixResult | null {
    const ref = cap.ref as ItemRef | undefined;
    if (!ref || cap.via) return null;
    if (service && ref.list.owner !== service) return null; // inherited through extends or a merge: leave it to the user
    const seq = asSeq(ref.list.value);
    if (!seq || ref.list.via) return null;
    if (seq.items.length <= 1) return { title: title(cap.value), edits: this.removePair(ref.list) };
    return { title: title(cap.value), edits: this.removeItem(seq, ref.item) };
  }

  // ---- Primitives ----------------------------------------------------------------

  private lineStart(pos: number): number {
    let i = pos;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  /** Offset of the line break ending the line that holds pos (or the text's end). */
  private lineEnd(pos: number): number {
    let i = pos;
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    return i;
  }

  private afterBreak(pos: number): number {
    if (this.text[pos] === '\r' && this.text[pos + 1] === '\n') return pos + 2;
    if (this.text[pos] === '\n' || this.text[pos] === '\r') return pos + 1;
    return pos;
  }

  /** Comments between start and end (trailing and full-line), in order. */
  private commentsIn(start: number, end: number): string[] {
    const out: string[] = [];
    let quote: string | undefined;
    for (let i = start; i < end; i++) {
      const ch = this.text[i];
      if (ch === '\n' || ch === '\r') {
        quote = undefined;
        continue;
      }
      if (quote) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '"' || ch === "'") {
        const prev = this.text[i - 1];
        if (prev === undefined || /[\s:[{,-]/.test(prev)) quote = ch;
        continue;
      }
      if (ch === '#' && (i === this.lineStart(i) || /[ \t]/.test(this.text[i - 1]))) {
        const e = this.lineEnd(i);
        out.push(this.text.slice(i, e).trimEnd());
        i = e - 1;
      }
    }
    return out;
  }

  private isFlow(node: YAMLMap | YAMLSeq): boolean {
    return !!(node as { flow?: boolean }).flow;
  }

  private indentStep(): number {
    if (this.step) return this.step;
    const lines = this.text.split(/\r\n|\r|\n/);
    let prevIndent = -1;
    let prevOpens = false;
    for (const line of lines) {
      if (!line.trim() || line.trimStart().startsWith('#')) continue;
      const indent = line.length - line.trimStart().length;
      if (prevOpens && indent > prevIndent && !line.trimStart().startsWith('- ')) {
        this.step = indent - prevIndent;
        break;
      }
      prevIndent = indent;
      prevOpens = /:\s*(#.*)?$/.test(line) && !line.trimStart().startsWith('- ');
    }
    if (!this.step || this.step > 8) this.step = 2;
    return this.step;
  }

  /** Indentation of `- ` under a `key:` relative to the key: 0 (Kubernetes style) or the step. */
  private seqIndent(): number {
    if (this.seqPad >= 0) return this.seqPad;
    const lines = this.text.split(/\r\n|\r|\n/);
    for (let i = 0; i + 1 < lines.length; i++) {
      const m = /^( *)[^\s#-][^:#]*:\s*(#.*)?$/.exec(lines[i]);
      if (!m) continue;
      const next = lines.slice(i + 1).find((l) => l.trim() && !l.trimStart().startsWith('#'));
      const d = next && /^( *)- /.exec(next);
      if (d) {
        this.seqPad = Math.max(0, d[1].length - m[1].length);
        return this.seqPad;
      }
    }
    this.seqPad = this.indentStep();
    return this.seqPad;
  }

  private column(pos: number): number {
    return pos - this.lineStart(pos);
  }

  private scalarText(loc: Located<string>): string {
    return this.text.slice(loc.valueSpan.start, loc.valueSpan.end);
  }

  replaceScalar(node: Node, value: string): Edit {
    const span = trimmedSpan(node, this.text);
    let out = value;
    if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && !/^["']/.test(value) && /^[A-Za-z0-9:_-]+$/.test(value) && !/^(true|false|\d+)$/.test(value)) {
      const q = node.type === 'QUOTE_DOUBLE' ? '"' : "'";
      out = `${q}${value}${q}`;
    }
    return { start: span.start, end: span.end, text: out };
  }

  /** Removes a pair: its line(s) in block style (keeping any comment on them), or the pair and one comma in flow style. */
  removePair(entry: Entry): Edit[] {
    const map = entry.owner;
    const keyStart = entry.keyNode.range?.[0] ?? 0;
    const valueEnd = entry.rawValue?.range ? trimmedSpan(entry.rawValue, this.text).end : (entry.keyNode.range?.[1] ?? keyStart);
    const pairs = map.items;
    const idx = pairs.findIndex((p) => p === entry.pair);
    if (this.isFlow(map)) return [this.removeFlowElement(pairs.map((p) => pairSpanOf(p as never, this.text)), idx)];
    const ls = this.lineStart(keyStart);
    const le = this.lineEnd(valueEnd);
    const prefix = this.text.slice(ls, keyStart);
    const comments = this.commentsIn(keyStart, le);
    if (/^[ \t]*$/.test(prefix)) {
      const keep = comments.map((c) => `${prefix}${c}${this.eol}`).join('');
      return [{ start: ls, end: this.afterBreak(le), text: keep }];
    }
    // First pair of a `- key: value` item: pull the next pair up onto the dash line.
    const next = pairs[idx + 1] as { key?: Node } | undefined;
    const nextStart = next?.key?.range?.[0];
    const dashIndent = prefix.replace(/[^ \t]/g, ' ').replace(/- *$/, '');
    const keep = comments.map((c) => `${dashIndent}${c}${this.eol}`).join('');
    if (nextStart !== undefined) {
      const edits: Edit[] = [{ start: keyStart, end: nextStart, text: '' }];
      if (keep) edits.push({ start: ls, end: ls, text: keep });
      return edits;
    }
    const edits: Edit[] = [{ start: keyStart, end: valueEnd, text: '{}' }];
    if (keep) edits.push({ start: ls, end: ls, text: keep });
    return edits;
  }

  private removeFlowElement(spans: { start: number; end: number }[], idx: number): Edit {
    const cur = spans[idx];
    if (idx + 1 < spans.length) return { start: cur.start, end: spans[idx + 1].start, text: '' };
    if (idx > 0) return { start: spans[idx - 1].end, end: cur.end, text: '' };
    return { start: cur.start, end: cur.end, text: '' };
  }

  removeItem(seq: YAMLSeq, item: unknown): Edit[] {
    const idx = seq.items.findIndex((i) => i === item);
    const spans = seq.items.map((i) => trimmedSpan(i as Node, this.text));
    if (idx < 0) return [];
    if (this.isFlow(seq)) return [this.removeFlowElement(spans, idx)];
    const cur = spans[idx];
    const ls = this.lineStart(cur.start);
    const le = this.lineEnd(cur.end);
    const prefix = this.text.slice(ls, cur.start);
    const comments = this.commentsIn(cur.start, le);
    const indent = prefix.replace(/- *$/, '');
    if (!/^[ \t]*- *$/.test(prefix)) return [];
    return [{ start: ls, end: this.afterBreak(le), text: comments.map((c) => `${indent}${c}${this.eol}`).join('') }];
  }

  appendItem(seq: YAMLSeq, item: string): Edit {
    if (this.isFlow(seq)) {
      const end = (seq.range?.[1] ?? 0) - 1; // the closing bracket
      const close = this.text.lastIndexOf(']', end);
      return { start: close, end: close, text: seq.items.length > 0 ? `, ${item}` : item };
    }
    const last = seq.items[seq.items.length - 1] as Node;
    const first = seq.items[0] as Node;
    const firstStart = first.range?.[0] ?? 0;
    const dash = this.text.lastIndexOf('-', firstStart);
    const pad = ' '.repeat(this.column(dash));
    const le = this.lineEnd(trimmedSpan(last, this.text).end);
    return { start: le, end: le, text: `${this.eol}${pad}- ${item}` };
  }

  insertPair(map: YAMLMap, key: string, value: YValue): Edit {
    return this.insertPairs(map, [[key, value]]);
  }

  insertPairs(map: YAMLMap, pairs: [string, YValue][]): Edit {
    if (this.isFlow(map)) {
      const end = (map.range?.[1] ?? 0) - 1;
      const close = this.text.lastIndexOf('}', end);
      const body = pairs.map(([k, v]) => `${k}: ${this.flowValue(v)}`).join(', ');
      return { start: close, end: close, text: map.items.length > 0 ? `, ${body}` : body };
    }
    const items = map.items as unknown as { key: Node; value: Node | null }[];
    const first = items[0];
    const last = items[items.length - 1];
    const col = this.column(first.key.range?.[0] ?? 0);
    const lastEnd = last.value?.range ? trimmedSpan(last.value, this.text).end : (last.key.range?.[1] ?? 0);
    const le = this.lineEnd(lastEnd);
    const body = pairs.map(([k, v]) => this.blockPair(k, v, col)).join('');
    return { start: le, end: le, text: body };
  }

  private blockPair(key: string, value: YValue, col: number): string {
    const pad = ' '.repeat(col);
    if (typeof value === 'string') return `${this.eol}${pad}${key}: ${value}`;
    if ('seq' in value) {
      const dashPad = ' '.repeat(col + this.seqIndent());
      return `${this.eol}${pad}${key}:` + value.seq.map((s) => `${this.eol}${dashPad}- ${s}`).join('');
    }
    return `${this.eol}${pad}${key}:` + value.map.map(([k, v]) => this.blockPair(k, v, col + this.indentStep())).join('');
  }

  private flowValue(value: YValue): string {
    if (typeof value === 'string') return value;
    if ('seq' in value) return `[${value.seq.join(', ')}]`;
    return `{${value.map.map(([k, v]) => `${k}: ${this.flowValue(v)}`).join(', ')}}`;
  }
}

function ownEntry(map: YAMLMap, key: string, doc: Document.Parsed): Entry | undefined {
  const e = get(map, key, doc);
  return e && e.owner === map ? e : undefined;
}

function pairSpanOf(pair: { key: Node; value: Node | null }, text: string): { start: number; end: number } {
  const start = pair.key.range?.[0] ?? 0;
  const end = pair.value?.range ? trimmedSpan(pair.value, text).end : (pair.key.range?.[1] ?? start);
  return { start, end };
}

export { isMap, isSeq };

/**
 * Minimal edits on JSON with comments (devcontainer.json): remove a property or array
 * elements with their line and the right comma, rewrite one string, append an element or
 * a property in the style around it (same line, or a new line with the sibling's
 * indentation and the file's line ending). Comments survive; nothing is re-serialised
 * beyond the inserted text.
 */
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import type { FixResult, FormatWriter } from '../adapters/types';
import type { CapabilityRef, Container, Edit, Located } from '../model';
import type { EngineSettings, FixIntent } from '../rule';

/** What the devcontainer adapter leaves on the container for this writer. */
export interface DevcontainerRef {
  format: 'devcontainer';
  text: string;
  /** The top-level object. */
  root: Node;
}

/** Where a located value was read from, for the writer. */
export type JsoncValueRef =
  /** A whole property (`"privileged": true`, `"containerUser": "root"`). */
  | { type: 'property'; property: Node }
  /** One string in a list property (`capAdd`, `securityOpt`). */
  | { type: 'item'; property: Node; item: Node }
  /**
   * A docker run flag in `runArgs`: one element (`--cap-add=X`) or two (`--cap-add`, `X`).
   * `valueNode` is the string holding the value, `prefix` what precedes the value in it
   * (`--cap-add=` or ``); for comma lists, `list` and `index` say which name this is.
   */
  | { type: 'runArg'; flag: string; property: Node; elements: Node[]; valueNode: Node; prefix: string; list?: string[]; index?: number };

interface Token {
  kind: SyntaxKind;
  offset: number;
  end: number;
}

function tokens(text: string): Token[] {
  // A byte order mark is no token (the adapter parses it as a blank too).
  const scanner = createScanner(text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text, false);
  const out: Token[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    out.push({ kind, offset: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() });
  }
  return out;
}

const isComment = (t: Token | undefined): boolean => t?.kind === SyntaxKind.LineCommentTrivia || t?.kind === SyntaxKind.BlockCommentTrivia;

function nextToken(all: Token[], offset: number): Token | undefined {
  return all.find((t) => t.offset >= offset && !isComment(t));
}

function previousToken(all: Token[], offset: number): Token | undefined {
  for (let i = all.length - 1; i >= 0; i--) {
    const t = all[i];
    if (t && t.end <= offset && !isComment(t)) return t;
  }
  return undefined;
}

export function lineEnding(text: string): string {
  if (text.includes('\r\n')) return '\r\n';
  if (text.includes('\n')) return '\n';
  return '\n';
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEndOf(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function afterLineBreak(text: string, lineEnd: number): number {
  if (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n') return lineEnd + 2;
  if (text[lineEnd] === '\r' || text[lineEnd] === '\n') return lineEnd + 1;
  return lineEnd;
}

function indentOf(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  const m = /^[ \t]*/.exec(text.slice(start, offset));
  return m ? m[0] : '';
}

/** True when only blanks, or blanks and a `//` comment, follow `offset` on its line. */
function restOfLineIsEmpty(text: string, offset: number): boolean {
  const rest = text.slice(offset, lineEndOf(text, offset));
  return /^[ \t]*(\/\/.*)?$/.test(rest);
}

function onlyBlanksBefore(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartOf(text, offset), offset));
}

/** The indentation step the file uses: a tab, or the smallest space indent of a line. */
export function detectIndent(text: string): string {
  let best: number | undefined;
  for (const m of text.matchAll(/(?:^|\n)([ \t]+)(?=\S)/g)) {
    const lead = m[1] ?? '';
    if (lead.startsWith('\t')) return '\t';
    if (best === undefined || lead.length < best) best = lead.length;
  }
  return best === undefined ? '\t' : ' '.repeat(best);
}

function end(node: Node): number {
  return node.offset + node.length;
}

/**
 * Removes the siblings first..last (consecutive children of one object or array) and the
 * comma that separated them: their whole line(s) when they stand alone on them, else
 * inline.
 */
export function removeNodes(text: string, first: Node, last: Node): Edit[] {
  const all = tokens(text);
  const start = first.offset;
  const stop = end(last);
  const after = nextToken(all, stop);
  const before = previousToken(all, start);
  const commaAfter = after?.kind === SyntaxKind.CommaToken ? after : undefined;
  const commaBefore = before?.kind === SyntaxKind.CommaToken ? before : undefined;
  const tail = commaAfter ? commaAfter.end : stop;
  const ownLines = onlyBlanksBefore(text, start) && restOfLineIsEmpty(text, tail);
  const edits: Edit[] = [];
  if (ownLines) {
    edits.push({ start: lineStartOf(text, start), end: afterLineBreak(text, lineEndOf(text, tail)), text: '' });
    if (!commaAfter && commaBefore) edits.push({ start: commaBefore.offset, end: commaBefore.end, text: '' });
    return edits;
  }
  if (commaAfter) {
    let e = commaAfter.end;
    while (text[e] === ' ' || text[e] === '\t') e++;
    let s = start;
    // Nothing left after it on the line: take the blanks before it, not after.
    if (e === lineEndOf(text, e)) {
      e = commaAfter.end;
      while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
    }
    return [{ start: s, end: e, text: '' }];
  }
  if (commaBefore) return [{ start: commaBefore.offset, end: stop, text: '' }];
  // The only child: also drop the blanks around it (`[ "x" ]` → `[]`) if no comment is there.
  const open = before;
  const close = after;
  if (open && close && !all.some((t) => isComment(t) && t.offset >= open.end && t.end <= close.offset)) {
    return [{ start: open.end, end: close.offset, text: '' }];
  }
  return [{ start, end: stop, text: '' }];
}

/**
 * Appends `item` (JSON text: a value, or `"key": value`) as the last child of an array or
 * object, in the container's style.
 */
export function appendChild(text: string, container: Node, item: string): Edit[] {
  const all = tokens(text);
  const children = container.children ?? [];
  const lastChild = children[children.length - 1];
  const openEnd = container.offset + 1;
  const closeOffset = end(container) - 1;
  if (!lastChild) {
    const inner = text.slice(openEnd, closeOffset);
    if (/^[ \t]*$/.test(inner)) return [{ start: openEnd, end: closeOffset, text: item }];
    if (/^\s*$/.test(inner) && container.type === 'object') {
      const eol = lineEnding(text);
      const indent = indentOf(text, container.offset);
      return [{ start: openEnd, end: closeOffset, text: `${eol}${indent}${detectIndent(text)}${item}${eol}${indent}` }];
    }
    return [{ start: openEnd, end: openEnd, text: item }];
  }
  const lastEnd = end(lastChild);
  const after = nextToken(all, lastEnd);
  const trailingComma = after?.kind === SyntaxKind.CommaToken ? after : undefined;
  const tail = trailingComma ? trailingComma.end : lastEnd;
  const closer = nextToken(all, tail);
  const multiLine = lineStartOf(text, lastChild.offset) !== lineStartOf(text, container.offset);
  const closerOnOwnLine = closer !== undefined && lineStartOf(text, closer.offset) !== lineStartOf(text, tail);
  if (multiLine && closerOnOwnLine && onlyBlanksBefore(text, lastChild.offset)) {
    const eol = lineEnding(text);
    const at = lineEndOf(text, tail);
    const line = `${eol}${indentOf(text, lastChild.offset)}${item}${trailingComma ? ',' : ''}`;
    // One edit when both land on the same offset: two inserts there would apply in either order.
    if (trailingComma || at === lastEnd) return [{ start: at, end: at, text: `${trailingComma ? '' : ','}${line}` }];
    return [
      { start: lastEnd, end: lastEnd, text: ',' },
      { start: at, end: at, text: line },
    ];
  }
  if (trailingComma) return [{ start: trailingComma.end, end: trailingComma.end, text: ` ${item},` }];
  return [{ start: lastEnd, end: lastEnd, text: `, ${item}` }];
}

function replaceNode(node: Node, json: string): Edit {
  return { start: node.offset, end: end(node), text: json };
}

function propertyValue(property: Node): Node | undefined {
  return property.children?.[1];
}

/** The last top-level property with this name. */
export function findProperty(root: Node, name: string): Node | undefined {
  let found: Node | undefined;
  for (const p of root.children ?? []) {
    if (p.type === 'property' && p.children?.[0]?.value === name) found = p;
  }
  return found;
}

const NNP_TRUE = 'no-new-privileges:true';

function enableNoNewPrivileges(ref: DevcontainerRef, container: Container): FixResult | null {
  const current = container.noNewPrivileges;
  if (current && current.value === false) {
    const r = current.ref as JsoncValueRef | undefined;
    if (r?.type === 'item') {
      return { title: `Change "${String(r.item.value)}" to "${NNP_TRUE}"`, edits: [replaceNode(r.item, JSON.stringify(NNP_TRUE))] };
    }
    if (r?.type === 'runArg') {
      return { title: `Change "${String(r.valueNode.value)}" to "${r.prefix}${NNP_TRUE}" in runArgs`, edits: [replaceNode(r.valueNode, JSON.stringify(r.prefix + NNP_TRUE))] };
    }
    return null;
  }
  const title = `Add "${NNP_TRUE}" to securityOpt`;
  const property = findProperty(ref.root, 'securityOpt');
  if (property) {
    const value = propertyValue(property);
    if (value?.type !== 'array') return null;
    return { title, edits: appendChild(ref.text, value, JSON.stringify(NNP_TRUE)) };
  }
  return { title, edits: appendChild(ref.text, ref.root, `"securityOpt": [${JSON.stringify(NNP_TRUE)}]`) };
}

function removePrivileged(ref: DevcontainerRef, target: Located<boolean>): FixResult | null {
  const r = target.ref as JsoncValueRef | undefined;
  if (r?.type === 'property') {
    return { title: 'Remove "privileged": true', edits: removeNodes(ref.text, r.property, r.property) };
  }
  if (r?.type === 'runArg') {
    const first = r.elements[0];
    const last = r.elements[r.elements.length - 1];
    if (!first || !last) return null;
    return { title: 'Remove --privileged from runArgs', edits: removeNodes(ref.text, first, last) };
  }
  return null;
}

function removeCapability(ref: DevcontainerRef, cap: CapabilityRef): FixResult | null {
  const r = cap.ref as JsoncValueRef | undefined;
  if (!r) return null;
  if (r.type === 'item') {
    if (r.property.children?.[0]?.value !== 'capAdd') return null;
    const list = propertyValue(r.property);
    const items = list?.children ?? [];
    const title = `Remove ${cap.value} from capAdd`;
    if (items.length <= 1) return { title, edits: removeNodes(ref.text, r.property, r.property) };
    return { title, edits: removeNodes(ref.text, r.item, r.item) };
  }
  if (r.type === 'runArg') {
    if (r.flag !== '--cap-add') return null;
    const title = `Remove ${cap.value} from runArgs`;
    const rest = r.list?.filter((_, i) => i !== r.index) ?? [];
    if (rest.some((name) => name.trim() !== '')) {
      return { title, edits: [replaceNode(r.valueNode, JSON.stringify(r.prefix + rest.join(',')))] };
    }
    const first = r.elements[0];
    const last = r.elements[r.elements.length - 1];
    if (!first || !last) return null;
    return { title, edits: removeNodes(ref.text, first, last) };
  }
  return null;
}

export const devcontainerWriter: FormatWriter = {
  apply(intent: FixIntent, container: Container, _settings: EngineSettings): FixResult | null {
    const ref = container.ref as DevcontainerRef | undefined;
    if (!ref || ref.format !== 'devcontainer') return null;
    switch (intent.type) {
      case 'remove-privileged':
        return removePrivileged(ref, intent.target);
      case 'enable-no-new-privileges':
        return enableNoNewPrivileges(ref, container);
      case 'remove-capability':
        return removeCapability(ref, intent.cap);
      case 'set-non-root-user':
        // No safe minimal edit: a devcontainer's user must exist in the image (a bare uid
        // breaks tooling that expects a home directory and a name), and remoteUser only
        // changes the tools' user, not the container's. Offer nothing rather than a guess.
        return null;
      default:
        return null;
    }
  },
};

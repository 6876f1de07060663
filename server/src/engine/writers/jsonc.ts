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
import { parseShortVolume, splitSecurityOpt } from '../adapters/boundary';
import type { CapabilityRef, Container, Edit, Located, Mount } from '../model';
import { additions, combineEdits, leastPrivilegeTitle, replacementTitle } from '../replace';
import { capStyle } from './yaml';
import type { EngineSettings, FixIntent } from '../rule';
import { afterLineBreak, lineEndOf, lineEnding, lineStartOf } from '../text';

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
    const from = lineStartOf(text, start);
    const to = lineEndOf(text, tail);
    // Comments on the removed lines stay, each on its own line at the removed element's indentation.
    const indent = indentOf(text, start);
    const kept = all.filter((t) => isComment(t) && t.offset >= from && t.end <= to).map((t) => `${indent}${text.slice(t.offset, t.end)}${lineEnding(text)}`).join('');
    edits.push({ start: from, end: afterLineBreak(text, to), text: kept });
    if (!commaAfter && commaBefore) edits.push({ start: commaBefore.offset, end: commaBefore.end, text: '' });
    return edits;
  }
  // A comment between the element and its comma stays: remove the element and the comma token only.
  const commentIn = (from: number, to: number) => all.some((t) => isComment(t) && t.offset >= from && t.end <= to);
  const separate = (comma: { offset: number; end: number }): Edit[] => [{ start, end: stop, text: '' }, { start: comma.offset, end: comma.end, text: '' }];
  if (commaAfter && commentIn(stop, commaAfter.offset)) return separate(commaAfter);
  if (!commaAfter && commaBefore && commentIn(commaBefore.end, start)) return separate(commaBefore);
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
export function appendChild(text: string, container: Node, items: string | string[]): Edit[] {
  const list = Array.isArray(items) ? items : [items];
  const all = tokens(text);
  const children = container.children ?? [];
  const lastChild = children[children.length - 1];
  const openEnd = container.offset + 1;
  const closeOffset = end(container) - 1;
  // An unterminated object or array (`{` at the end of the text): there is no closing bracket to insert before.
  const bracket = text[closeOffset];
  if (closeOffset < openEnd || (bracket !== '}' && bracket !== ']')) return [];
  const inline = list.join(', ');
  if (!lastChild) {
    const inner = text.slice(openEnd, closeOffset);
    if (/^[ \t]*$/.test(inner)) return [{ start: openEnd, end: closeOffset, text: inline }];
    if (/^\s*$/.test(inner) && container.type === 'object') {
      const eol = lineEnding(text);
      const indent = indentOf(text, container.offset);
      const pad = `${indent}${detectIndent(text)}`;
      return [{ start: openEnd, end: closeOffset, text: `${eol}${pad}${list.join(`,${eol}${pad}`)}${eol}${indent}` }];
    }
    return [{ start: openEnd, end: openEnd, text: inline }];
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
    const pad = indentOf(text, lastChild.offset);
    const line = `${eol}${pad}${list.join(`,${eol}${pad}`)}${trailingComma ? ',' : ''}`;
    // One edit when both land on the same offset: two inserts there would apply in either order.
    if (trailingComma || at === lastEnd) return [{ start: at, end: at, text: `${trailingComma ? '' : ','}${line}` }];
    return [
      { start: lastEnd, end: lastEnd, text: ',' },
      { start: at, end: at, text: line },
    ];
  }
  if (trailingComma) return [{ start: trailingComma.end, end: trailingComma.end, text: ` ${inline},` }];
  // The edit spans the last element it follows (unchanged), so it overlaps, rather than merely
  // touches, another fix that removes that element: fix-all then applies only one of them.
  return [{ start: lastChild.offset, end: lastEnd, text: `${text.slice(lastChild.offset, lastEnd)}, ${inline}` }];
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

/**
 * Replaces `"privileged": true` or a `--privileged` runArgs element with what the workload
 * needs, or with least privilege. New properties take the privileged property's place; new
 * runArgs elements take the `--privileged` element's place (or are appended to runArgs);
 * capabilities and security options are merged into capAdd / securityOpt in their style.
 */
function replacePrivileged(ref: DevcontainerRef, container: Container, intent: Extract<FixIntent, { type: 'replace-privileged' | 'least-privilege' }>): FixResult | null {
  const { text, root } = ref;
  const r = intent.target.ref as JsoncValueRef | undefined;
  if (!r || (r.type !== 'property' && r.type !== 'runArg')) return null;
  const eol = lineEnding(text);
  const edits: Edit[] = [];
  const rootProps: string[] = [];
  const runArgs: string[] = [];
  const arrayOf = (name: string): Node | undefined | null => {
    const p = findProperty(root, name);
    if (!p) return undefined;
    const v = propertyValue(p);
    return v?.type === 'array' ? v : null;
  };
  const merge = (name: string, items: string[]): boolean => {
    if (items.length === 0) return true;
    const json = items.map((i) => JSON.stringify(i));
    const arr = arrayOf(name);
    if (arr === null) return false; // not an array: leave it to the user
    if (arr) {
      const added = appendChild(text, arr, json);
      if (added.length === 0) return false;
      edits.push(...added);
    }
    else rootProps.push(`${JSON.stringify(name)}: [${json.join(', ')}]`);
    return true;
  };
  const options: string[] = [];
  if (intent.type === 'replace-privileged') {
    const add = additions(container, intent.inference);
    const style = capStyle(container.capAdd.filter((c) => c.field === 'capAdd').map((c) => c.value));
    if (!merge('capAdd', add.caps.map((c) => style(c.name)))) return null;
    options.push(...add.securityOpt.map((o) => o.value));
    runArgs.push(...add.devices.map((d) => `--device=${d.path}`), ...add.sysctls.map((s) => `--sysctl=${s.name}=${s.value}`));
  } else {
    // A Compose-based devcontainer cannot drop capabilities here (no capDrop property, runArgs ignored).
    if (!container.capDrop.some((c) => c.name === 'ALL') && !isComposeBased(root)) runArgs.push('--cap-drop=ALL');
    const nnp = container.noNewPrivileges;
    const nr = nnp?.ref as JsoncValueRef | undefined;
    if (nnp?.value === false && nr?.type === 'item') edits.push(replaceNode(nr.item, JSON.stringify(NNP_TRUE)));
    else if (nnp?.value === false && nr?.type === 'runArg') edits.push(replaceNode(nr.valueNode, JSON.stringify(nr.prefix + NNP_TRUE)));
    else if (nnp?.value !== true) options.push(NNP_TRUE);
  }
  if (!merge('securityOpt', options)) return null;
  const title =
    intent.type === 'replace-privileged'
      ? replacementTitle(container, intent.inference)
      : isComposeBased(root)
        ? 'Replace privileged with no-new-privileges (drop capabilities in the Compose service: runArgs do not apply)'
        : leastPrivilegeTitle('devcontainer');
  // Devices and sysctls only exist as runArgs: without them the replacement would break the workload.
  if (runArgs.length > 0 && isComposeBased(root)) return null;
  const json = runArgs.map((a) => JSON.stringify(a));
  if (r.type === 'runArg') {
    const first = r.elements[0];
    const last = r.elements[r.elements.length - 1];
    if (!first || !last) return null;
    if (json.length > 0) {
      const sep = onlyBlanksBefore(text, first.offset) ? `,${eol}${indentOf(text, first.offset)}` : ', ';
      edits.push({ start: first.offset, end: end(last), text: json.join(sep) });
    } else edits.push(...removeNodes(text, first, last));
    if (rootProps.length > 0) {
      const added = appendChild(text, root, rootProps);
      if (added.length === 0) return null;
      edits.push(...added);
    }
    return { title, edits: combineEdits(edits) };
  }
  if (json.length > 0) {
    const arr = arrayOf('runArgs');
    if (arr === null) return null;
    if (arr) {
      const added = appendChild(text, arr, json);
      if (added.length === 0) return null;
      edits.push(...added);
    } else rootProps.push(`"runArgs": [${json.join(', ')}]`);
  }
  if (rootProps.length > 0) {
    const sep = onlyBlanksBefore(text, r.property.offset) ? `,${eol}${indentOf(text, r.property.offset)}` : ', ';
    edits.push({ start: r.property.offset, end: end(r.property), text: rootProps.join(sep) });
  } else edits.push(...removeNodes(text, r.property, r.property));
  return { title, edits: combineEdits(edits) };
}

// ---- The container boundary ------------------------------------------------------------

/** The text of a setting for a title: `--pid=host`, `"seccomp=unconfined"` → `seccomp=unconfined`. */
function settingText(r: JsoncValueRef): string {
  if (r.type === 'runArg') return r.elements.map((e) => String(e.value)).join(' ');
  if (r.type === 'item') {
    if (r.item.type !== 'object') return String(r.item.value);
    // A mount object: name it by its source (or target).
    const field = (name: string) => r.item.children?.find((p) => p.children?.[0]?.value === name)?.children?.[1]?.value;
    const source = field('source') ?? field('target');
    return typeof source === 'string' ? `the mount of ${source}` : 'the entry';
  }
  return String(r.property.children?.[0]?.value ?? '');
}

/** Edits removing one setting: a property, an array item (the property too when it is the last), runArgs element(s). */
function removeSetting(ref: DevcontainerRef, r: JsoncValueRef): Edit[] | null {
  if (r.type === 'property') return removeNodes(ref.text, r.property, r.property);
  if (r.type === 'item') {
    const items = propertyValue(r.property)?.children ?? [];
    if (items.length <= 1) return removeNodes(ref.text, r.property, r.property);
    return removeNodes(ref.text, r.item, r.item);
  }
  if (r.list && r.list.length > 1) return null; // one name of a comma list: not this intent
  const first = r.elements[0];
  const last = r.elements[r.elements.length - 1];
  return first && last ? removeNodes(ref.text, first, last) : null;
}

function removeTitle(r: JsoncValueRef): string {
  const property = String(r.property.children?.[0]?.value ?? '');
  return r.type === 'property' ? `Remove "${property}"` : `Remove ${settingText(r)} from ${property}`;
}

/** A devcontainer whose container is a Compose service (`dockerComposeFile`): runArgs do not apply. */
export function isComposeBased(root: Node): boolean {
  return findProperty(root, 'dockerComposeFile') !== undefined;
}

/** Appends runArgs elements (creating runArgs when missing); null when runArgs is not an array. */
function appendRunArgs(ref: DevcontainerRef, args: string[]): Edit[] | null {
  if (isComposeBased(ref.root)) return null; // runArgs would be ignored: the Compose file is the place
  const json = args.map((a) => JSON.stringify(a));
  const property = findProperty(ref.root, 'runArgs');
  if (!property) {
    const e = appendChild(ref.text, ref.root, `"runArgs": [${json.join(', ')}]`);
    return e.length > 0 ? e : null;
  }
  const value = propertyValue(property);
  if (value?.type !== 'array') return null;
  const e = appendChild(ref.text, value, json);
  return e.length > 0 ? e : null;
}

function setConfinement(ref: DevcontainerRef, container: Container, which: 'seccomp' | 'apparmor'): FixResult | null {
  if (container[which]?.value !== 'unconfined') return null;
  const entries = container.securityOpt.filter((o) => {
    const { key, value } = splitSecurityOpt(o.value);
    return key === which && value?.trim() === 'unconfined';
  });
  const refs = entries.map((o) => o.ref as JsoncValueRef | undefined);
  const first = refs[0];
  if (!first) return null;
  // The items of one securityOpt array, removed together (the property when none is left).
  const byProperty = new Map<Node, Node[]>();
  const edits: Edit[] = [];
  for (const r of refs) {
    if (!r) return null;
    if (r.type === 'item') byProperty.set(r.property, [...(byProperty.get(r.property) ?? []), r.item]);
    else {
      const e = removeSetting(ref, r);
      if (!e) return null;
      edits.push(...e);
    }
  }
  for (const [property, items] of byProperty) {
    const all = propertyValue(property)?.children ?? [];
    if (all.length <= items.length) edits.push(...removeNodes(ref.text, property, property));
    else for (const item of items) edits.push(...removeNodes(ref.text, item, item));
  }
  return { title: removeTitle(first), edits: combineEdits(edits) };
}

function setMountReadOnly(mount: Mount): FixResult | null {
  const r = mount.ref as JsoncValueRef | undefined;
  if (mount.readOnly || !r || r.type === 'property') return null;
  const title = `Mount ${mount.value} read-only`;
  const node = r.type === 'item' ? r.item : r.valueNode;
  if (node.type !== 'string') return null; // the object form has no read-only field
  const prefix = r.type === 'runArg' ? r.prefix : '';
  const value = String(node.value).slice(prefix.length);
  let next: string;
  if (r.type === 'runArg' && r.flag === '--volume') {
    const parsed = parseShortVolume(value);
    if (!parsed) return null;
    if (parsed.mode === undefined) next = `${value}:ro`;
    else {
      const modes = parsed.mode.split(',').filter((m) => m.trim() !== '' && m.trim() !== 'rw');
      next = `${parsed.source}:${parsed.target}:${[...modes, 'ro'].join(',')}`;
    }
  } else {
    if (/(^|,)\s*(readonly|ro)\s*=/i.test(value)) return null; // `readonly=false`: rewrite by hand
    next = `${value},readonly`;
  }
  return { title, edits: [replaceNode(node, JSON.stringify(prefix + next))] };
}

function setReadOnlyRoot(ref: DevcontainerRef, container: Container): FixResult | null {
  const current = container.readOnlyRootFilesystem;
  if (current?.value === true) return null;
  const title = 'Add --read-only to runArgs';
  const r = current?.ref as JsoncValueRef | undefined;
  if (current && r?.type === 'runArg') return { title: 'Set --read-only in runArgs', edits: [replaceNode(r.valueNode, JSON.stringify('--read-only'))] };
  const edits = appendRunArgs(ref, ['--read-only']);
  return edits ? { title, edits } : null;
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
      case 'replace-privileged':
      case 'least-privilege':
        try {
          return replacePrivileged(ref, container, intent);
        } catch {
          return null; // never a crash for a fix we cannot compute
        }
      case 'remove-setting': {
        const r = intent.target.ref as JsoncValueRef | undefined;
        if (!r || !('property' in r)) return null;
        const edits = removeSetting(ref, r);
        return edits ? { title: removeTitle(r), edits } : null;
      }
      case 'set-confinement':
        try {
          return setConfinement(ref, container, intent.which);
        } catch {
          return null;
        }
      case 'add-drop-all': {
        if (container.capDrop.some((c) => c.name === 'ALL')) return null;
        const edits = appendRunArgs(ref, ['--cap-drop=ALL']);
        return edits ? { title: 'Add --cap-drop=ALL to runArgs', edits } : null;
      }
      case 'set-read-only-root':
        return setReadOnlyRoot(ref, container);
      case 'set-mount-read-only':
        return setMountReadOnly(intent.mount);
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

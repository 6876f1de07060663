/**
 * A resource patched with JSON 6902 operations (json-patch.ts), read by the Kubernetes adapter
 * with every value located in the file that writes it.
 *
 * The patched tree mixes nodes of several files. Each file other than the linted one is parsed
 * after as many blank lines as the text before it in one combined text (the linted file's part
 * first, at offset 0): every node's offsets are then unique in the combined text, and the adapter
 * reads the tree against it. What the adapter makes is then moved back: a value, anchor or
 * span that sits in another file's region is shifted to that file's offsets and registered as
 * written there (foreign.ts), so the engine reports it only when that file is linted.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { kubernetesWorkloads } from '../adapters/kubernetes';
import type { YNode } from '../adapters/yaml-util';
import type { FixResult, FormatWriter } from '../adapters/types';
import type { Container, Span, Workload } from '../model';
import type { EngineSettings, FixIntent } from '../rule';
import { markForeignValue } from './foreign';

/** Another file's text in the combined text: where it starts there. */
export interface Region {
  file: string;
  start: number;
  length: number;
}

/** The combined text the adapter reads: the linted part, then each other file after a line break. */
export class CombinedText {
  text: string;
  readonly regions: Region[] = [];

  constructor(own: string) {
    this.text = own;
  }

  /** Adds another file's text; its documents parsed at their place in the combined text. */
  add(file: string, text: string): { region: Region; docs: Document.Parsed[]; padded: string } {
    const start = this.text.length + 1;
    this.text = `${this.text}\n${text}`;
    const region = { file, start, length: text.length };
    this.regions.push(region);
    const padded = '\n'.repeat(start) + text;
    const docs = parseAllDocuments(padded, { uniqueKeys: false, strict: false }) as unknown as Document.Parsed[] | { empty: true };
    return { region, docs: Array.isArray(docs) ? docs : [], padded };
  }

  /** Adds another file's text without parsing it (its nodes are placed by the caller). */
  addText(file: string, text: string): Region {
    const start = this.text.length + 1;
    this.text = `${this.text}\n${text}`;
    const region = { file, start, length: text.length };
    this.regions.push(region);
    return region;
  }

  /** The region an offset is in (undefined: the linted part). */
  regionOf(offset: number): Region | undefined {
    for (const r of this.regions) if (offset >= r.start && offset <= r.start + r.length) return r;
    return undefined;
  }
}

/**
 * YAML embedded in a string of a file (a Kustomize inline patch, `patch: |-`), parsed, with every
 * node's offsets moved to where its characters are written in the file, plus `shift`.
 * `source.map[i]` is the file offset of `source.text[i]` (formats/run/read.ts scalarTextMap).
 */
export function parseEmbedded(source: { text: string; map: readonly number[] }, shift: number): Document.Parsed | undefined {
  const { text, map } = source;
  if (text.length === 0 || map.length < text.length) return undefined;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false }) as Document.Parsed;
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  const last = text.length - 1;
  const startAt = (r: number) => (r <= last ? (map[r] as number) : (map[last] as number) + 1) + shift;
  const endAt = (r: number) => (r <= 0 ? (map[0] as number) : (map[Math.min(r, text.length) - 1] as number) + 1) + shift;
  const stack: unknown[] = [doc.contents];
  let budget = 100_000;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (isPair(n)) {
      stack.push(n.key, n.value);
      continue;
    }
    if (!isScalar(n) && !isMap(n) && !isSeq(n) && !isAlias(n)) continue;
    const node = n as { range?: [number, number, number] | null };
    if (node.range) node.range = [startAt(node.range[0]), endAt(node.range[1]), endAt(node.range[2])];
    if (isMap(n) || isSeq(n)) for (const it of n.items as unknown[]) stack.push(it);
  }
  return doc;
}

const isSpan = (v: Record<string, unknown>): boolean => typeof v.start === 'number' && typeof v.end === 'number';
const SKIPPED = new Set(['ref', 'hints', 'related', 'base', 'missingReportedIn']);

/** Every span and every object with a span (Located values, mounts, capabilities) in a workload, its containers included. */
function collect(w: Workload): { spans: Set<Span>; located: { owner: object; span: Span }[] } {
  const spans = new Set<Span>();
  const located: { owner: object; span: Span }[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown, depth: number): void => {
    if (!v || typeof v !== 'object' || seen.has(v) || depth > 8) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (isSpan(o)) {
      spans.add(o as unknown as Span);
      return;
    }
    const span = o.span as Record<string, unknown> | undefined;
    if (span && typeof span === 'object' && isSpan(span)) located.push({ owner: o, span: span as unknown as Span });
    for (const [k, x] of Object.entries(o)) if (!SKIPPED.has(k)) visit(x, depth + 1);
  };
  visit(w, 0);
  return { spans, located };
}

/**
 * The workloads of a patched resource. `root` is the patched top-level map; `doc` the linted
 * part's document (or the base's), whose aliases the adapter follows.
 */
export function readPatched(root: YNode, doc: Document.Parsed, combined: CombinedText): Workload[] {
  const composite = Object.create(doc) as Document.Parsed;
  composite.contents = root;
  let workloads: Workload[];
  try {
    workloads = kubernetesWorkloads(composite, combined.text);
  } catch {
    return [];
  }
  for (const w of workloads) {
    const { spans, located } = collect(w);
    // Decided before any span moves: a span object may be shared by several values.
    for (const l of located) {
      const r = combined.regionOf(l.span.start);
      if (r) markForeignValue(l.owner, r.file);
    }
    for (const s of spans) {
      const r = combined.regionOf(s.start);
      const end = combined.regionOf(s.end);
      if (r) {
        markForeignValue(s, r.file);
        s.start -= r.start;
        s.end = end === r ? s.end - r.start : s.start;
      } else if (end) s.end = s.start; // starts in the linted part, ends in another file's: only its start is ours
    }
  }
  return workloads;
}

/**
 * A document's writer that keeps a fix for a patched container only when every edit falls inside
 * one of the container's allowed spans (the values the linted patch writes): its other nodes come
 * from other files or are made by the patch, and an edit computed from them would be wrong here.
 */
export class BoundedWriter implements FormatWriter {
  constructor(
    private readonly inner: FormatWriter,
    private readonly bounds: ReadonlyMap<Container, readonly Span[]>,
  ) {}

  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null {
    const result = this.inner.apply(intent, container, settings);
    const allowed = this.bounds.get(container);
    if (!result || !allowed) return result;
    const inside = (e: { start: number; end: number }) => allowed.some((s) => e.start >= s.start && e.end <= s.end);
    return result.edits.every(inside) ? result : null;
  }
}

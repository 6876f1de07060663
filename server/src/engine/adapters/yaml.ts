/**
 * YAML files: Compose and Kubernetes, decided per document by content (and by the
 * file name for Compose). Broken documents get one parse-error each; the others
 * are still analysed. Helm templates are skipped with an info finding.
 */
import { Composer, isMap, isScalar, Parser } from 'yaml';
import type { Document } from 'yaml';
import type { FileKind, Span, Workload } from '../model';
import { DIRECTIVE } from '../suppress';
import { YamlWriter } from '../writers/yaml';
import { composeWorkloads } from './compose';
import type { ServiceReuse } from './compose';
import { kubernetesWorkloads } from './kubernetes';
import type { AdapterProblem, FormatWriter, KeptResults, ParsedFile, PlacedDocument } from './types';
import { PlacedWriter } from './placed-writer';
import { asMap, expansionOverflow, get } from './yaml-util';
import { reparseBlock } from './yaml-reparse';
import { defineDocumentWorkloads } from '../lazy-property';

/** `{{` outside quotes and comments on any line: an unrendered Go/Helm template. */
export function looksLikeTemplate(text: string): boolean {
  if (!text.includes('{{')) return false;
  const lines = text.split(/\r\n|\r|\n/);
  for (const line of lines) {
    if (!line.includes('{{')) continue;
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
      else if (c === '{' && line[i + 1] === '{' && line[i - 1] !== '$') return true;
    }
  }
  return false;
}

/**
 * A Go template action (`{{ .Values.x }}`, `{{- if … }}`, `{{ include "x" . }}`, a `{{/*` comment,
 * `{{ $v := … }}`), as opposed to a placeholder a script substitutes (`{{PROJECT_ID}}`, `{{ VERSION }}`)
 * or a GitHub Actions expression (`${{ github.sha }}`).
 */
const GO_TEMPLATE_ACTION = /(?<!\$)\{\{-?\s*(?:[.$(]|\/\*|"|(?:if|else|end|range|with|define|template|block|include|tpl|toYaml|toJson|default|required|printf|quote|indent|nindent|not|and|or|eq|ne|lookup)\b)/;

/**
 * Whether a document is an unrendered template to skip: `{{` outside quotes and comments, and
 * either Go template actions or YAML that only parses once rendered. A document whose `{{…}}`
 * is a placeholder inside a value that still parses is analysed like any other.
 */
export function isTemplateDocument(chunk: string, parsesCleanly: () => boolean): boolean {
  if (!looksLikeTemplate(chunk)) return false;
  return GO_TEMPLATE_ACTION.test(chunk) || !parsesCleanly();
}

/**
 * Whether a file with documents that fail to parse is recognisably a container configuration, so
 * its parse errors are worth reporting: a Kubernetes object (`apiVersion:` and `kind:` at column
 * 0) or Compose (`services:` at column 0). Other YAML (tool configs, vendored test data) that does
 * not parse is none of our business.
 */
function looksLikeContainerConfig(chunk: string): boolean {
  return (/^apiVersion:/m.test(chunk) && /^kind:/m.test(chunk)) || /^services:/m.test(chunk) || /^\s*\{[\s\S]*"apiVersion"\s*:/.test(chunk);
}

function isWorkflow(map: ReturnType<typeof asMap>, doc: Document.Parsed): boolean {
  return !!(get(map, 'jobs', doc) && (get(map, 'on', doc) || get(map, 'true', doc)));
}

export function isComposeDocument(doc: Document.Parsed): boolean {
  const top = asMap(doc.contents ?? undefined);
  if (!top || isWorkflow(top, doc)) return false;
  const services = asMap(get(top, 'services', doc)?.value);
  if (!services) return false;
  return services.items.length > 0 && services.items.every((p) => isMap(p.value) || (p.value && !isScalar(p.value)));
}

export function isKubernetesDocument(doc: Document.Parsed): boolean {
  const top = asMap(doc.contents ?? undefined);
  return !!(top && get(top, 'apiVersion', doc) && get(top, 'kind', doc));
}

/**
 * One document range of a YAML stream (from its `---` line, or the text's start, to the next
 * `---` line), parsed on its own: every offset in its parse, its model, its problems and its
 * writer's edits is relative to the range's start. Nothing in it knows where the range sits in
 * the file, so a later version of the file shares it unchanged wherever the edit moved it
 * (shifting it is changing one number, `PlacedDocument.start`), and identical documents are
 * still distinct units (they are matched by position, never by text).
 */
export class YamlUnit {
  /** A Kubernetes document of a kind that never runs a container: never parsed. */
  readonly inert: boolean;
  /** `{{` somewhere in it: its documents are checked for unrendered templates. */
  readonly mayBeTemplate: boolean;
  /** It holds a suppression directive: only then does the file need its suppression pass. */
  readonly directives: boolean;
  /**
   * The parse and model per forced kind ('compose' for a Compose file name, '' otherwise), built on
   * first use and dropped by release() once the engine has kept the unit's findings (#17): a YAML
   * tree and its model take about 150 bytes of heap per byte of text, so an editor would otherwise
   * keep 150 MB per MB of an open manifest alive, and collect it again on every keystroke.
   */
  private models: Map<string, UnitModel> | undefined;
  /**
   * What every later lint reads of the unit, for the forced kind it was last parsed with: kept for
   * the unit's life (small; one slot, not a Map: a file is always read with the same forced kind).
   */
  private known: { key: string; facts: UnitFacts } | undefined;
  /** What the engine keeps for this unit between lints (its findings for one configuration). */
  private kept: KeptResults | undefined;
  /**
   * A Compose unit's parse, kept (its model is made anew for every lint, its parse need not be):
   * an unchanged unit is not parsed again.
   */
  private tree: Document.Parsed[] | undefined;
  /**
   * The newest parse without errors of a single Compose document in this unit's line of versions
   * (its own, or inherited while the document does not parse): the unit made from this one by an
   * edit re-parses only the edited block of it (yaml-reparse.ts). Typing a new key breaks the
   * document until its colon is typed; the keystrokes in between still re-parse one block.
   */
  private base: { source: string; doc: Document.Parsed; services?: ReadonlyMap<object, Workload> } | undefined;
  /** The unit this one was made from by an edit, until this one is parsed (then dropped: no chains). */
  private origin: YamlUnit | undefined;

  get cache(): KeptResults {
    return (this.kept ??= { key: undefined, value: undefined });
  }

  constructor(
    readonly source: string,
    /** Parsed whole (a stream with `%` directives): not split, so never reused by position. */
    readonly whole = false,
  ) {
    this.inert = !whole && source.includes('kind:') && isInertDocument(source, afterMarkerLine(source), source.length);
    this.mayBeTemplate = source.includes('{{');
    this.directives = source.includes(`${DIRECTIVE}-disable`);
  }

  /** Records that this unit is `unit` after an edit. */
  derivedFrom(unit: YamlUnit): void {
    if (unit.base && !this.whole) this.origin = unit;
  }

  /** The unit's parse: the kept one, the base's with the edited block parsed again, or a whole parse. */
  parse(): Document.Parsed[] {
    if (this.tree) return this.tree;
    const base = this.origin?.base;
    this.origin = undefined;
    if (base) {
      const prefix = commonPrefix(base.source, this.source);
      const suffix = commonSuffix(base.source, this.source, Math.min(base.source.length, this.source.length) - prefix);
      const edit = { start: prefix, oldEnd: base.source.length - suffix, newEnd: this.source.length - suffix };
      const doc = reparseBlock(base.doc, base.source, this.source, edit, parseAt);
      // Kept as this unit's base until its own parse says whether it replaces it (keep()).
      this.base = base;
      if (doc) return [doc];
    }
    return parseRange(this.source, 0, this.source.length);
  }

  /**
   * Keeps the parse of a Compose unit (see `tree`), and makes it the base when it is one document
   * without errors, with the services built from it for the next version to reuse.
   */
  keep(docs: Document.Parsed[], services?: ReadonlyMap<object, Workload>): void {
    this.tree = docs;
    if (docs.length === 1 && docs[0].errors.length === 0 && docs[0].warnings.length === 0) this.base = { source: this.source, doc: docs[0], services };
  }

  /** The services the base's version built (composeWorkloads), while the base is the tree this unit was made from. */
  baseServices(): ReadonlyMap<object, Workload> | undefined {
    return this.base?.services;
  }

  /** The unit's facts, if it was ever parsed for this forced kind (a later version of the file reuses them). */
  facts(forced: FileKind | undefined, json = false): UnitFacts | undefined {
    const key = `${forced ?? ''}${json ? ':json' : ''}`;
    return this.known?.key === key ? this.known.facts : undefined;
  }

  /**
   * The parse and model, built again if release() dropped them (the same text gives the same
   * model). Compose services are merged with the other files of their project (applyComposeSet)
   * in place, so a Compose unit's model is built anew on every call and never kept.
   */
  model(forced: FileKind | undefined, json = false): UnitModel {
    const key = `${forced ?? ''}${json ? ':json' : ''}`;
    let model = this.models?.get(key);
    if (!model) {
      model = buildModel(this, forced, json);
      this.known = { key, facts: factsOf(model) };
      if (!model.compose) (this.models ??= new Map()).set(key, model);
    }
    return model;
  }

  /** Drops the parse and model (their facts and the engine's cache stay); model() builds them again. */
  release(): void {
    this.models = undefined;
  }
}

/** What is kept of a unit's model when its parse is dropped. */
export interface UnitFacts {
  problems: AdapterProblem[];
  parseErrors: AdapterProblem[];
  kind: FileKind | undefined;
  compose: boolean;
  /** The kinds of its workloads, in order (the first is the first workload's). */
  kinds: readonly FileKind[];
  /** A container of it has `privileged` set to true. */
  privileged: boolean;
}

function factsOf(model: UnitModel): UnitFacts {
  const kinds: FileKind[] = [];
  let privileged = false;
  for (const w of model.workloads) {
    if (!kinds.includes(w.kind)) kinds.push(w.kind);
    privileged ||= w.containers.some((c) => c.privileged.some((p) => p.value === true));
  }
  return { problems: model.problems, parseErrors: model.parseErrors, kind: model.kind, compose: model.compose, kinds: exactKinds(kinds), privileged };
}

/** Documents of one kind, or none, share one list; a list filled by push keeps room for 17 (152 bytes per YAML document kept, #17). */
const KIND_LISTS = new Map<FileKind | undefined, readonly FileKind[]>();

function exactKinds(kinds: FileKind[]): readonly FileKind[] {
  if (kinds.length > 1) return kinds.slice();
  const kind = kinds[0];
  let shared = KIND_LISTS.get(kind);
  if (!shared) KIND_LISTS.set(kind, (shared = Object.freeze(kind === undefined ? [] : [kind])));
  return shared;
}

/** A unit's parse and model, in offsets relative to the unit's start. */
export interface UnitModel {
  docs: Document.Parsed[];
  workloads: Workload[];
  problems: AdapterProblem[];
  /** Parse errors: reported only when the file is recognisably a container configuration (parseYaml). */
  parseErrors: AdapterProblem[];
  writer: YamlWriter;
  /** The kind its first recognised document gives the file. */
  kind: FileKind | undefined;
  /** It holds Compose services (their findings may depend on other files: never reused by the engine). */
  compose: boolean;
}

function buildModel(unit: YamlUnit, forced: FileKind | undefined, json: boolean): UnitModel {
  const model: UnitModel = { docs: [], workloads: [], problems: [], parseErrors: [], writer: new YamlWriter(unit.source, json), kind: undefined, compose: false };
  if (unit.inert) return model;
  model.docs = withoutStackTraces(() => unit.parse());
  let reuse: ServiceReuse | undefined;
  for (const doc of model.docs) {
    if (unit.mayBeTemplate && isTemplateDocument(unit.source.slice(doc.range[0], doc.range[2]), () => doc.errors.length === 0)) {
      model.problems.push(templateSkipped({ start: doc.range[0], end: doc.range[0] }));
      model.kind = model.kind ?? 'kubernetes';
      continue;
    }
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const span: Span = { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0]) };
      model.parseErrors.push({ ruleId: 'parse-error', severity: 'error', message: `YAML parse error: ${firstLine(err.message)}`, detail: `YAML parse error: ${err.message.trim()}
This document was not analysed; the file's other documents were.`, span });
      continue;
    }
    if (forced === 'compose' || (!forced && isComposeDocument(doc))) {
      if (isKubernetesDocument(doc) && forced !== 'compose') continue;
      model.kind = model.kind ?? 'compose';
      model.compose = true;
      // One Compose document per unit: its services are kept for the next version (a keystroke builds only the edited one).
      reuse ??= { previous: model.docs.length === 1 ? unit.baseServices() : undefined, built: new Map() };
      model.workloads.push(...composeWorkloads(doc, unit.source, model.docs.length === 1 ? reuse : undefined));
    } else if (isKubernetesDocument(doc)) {
      model.kind = model.kind ?? 'kubernetes';
      model.workloads.push(...kubernetesWorkloads(doc, unit.source));
    }
    const overflow = expansionOverflow(doc);
    if (overflow) {
      model.problems.push({
        ruleId: 'skipped',
        severity: 'info',
        message:
          overflow.reason === 'budget'
            ? 'Partly analysed: the merge keys (<<) using this anchor expand to more entries than the document is large; what they bring in past that point is not checked.'
            : 'Partly analysed: merge keys (<<) here nest more than 64 levels deep; what the deeper levels bring in is not checked.',
        span: overflow.span,
      });
    }
  }
  // (A document that does not parse keeps the base it inherited in parse(), for the next keystroke.)
  if (model.compose) unit.keep(model.docs, reuse && reuse.built.size > 0 ? reuse.built : undefined);
  return model;
}

/** A unit where it sits in one version of the file. */
export interface PlacedUnit {
  unit: YamlUnit;
  start: number;
}

/** What a later lint of an edited version of the file reuses: the text and its units. */
export class YamlState {
  constructor(
    readonly text: string,
    readonly units: readonly PlacedUnit[],
  ) {}
}

/** The `skipped` problem of a file whose analysis stopped at the caller's deadline (the server goes on after answering requests). */
export function budgetProblem(start: number): AdapterProblem {
  return {
    ruleId: 'skipped',
    severity: 'info',
    message: 'Not analysed from here on: the analysis of this file stopped at its work budget',
    detail: 'The language server analyses a large file in slices of work so that it keeps answering the editor, and goes on with the rest of the file between slices. This part was not reached: the file changed or the server stopped before.',
    span: { start, end: start },
  };
}

export function parseYaml(text: string, path: string, forced: FileKind | undefined, previous?: ParsedFile, deadline?: number): ParsedFile {
  const json = /\.json$/i.test(path);
  const state = previous?.reusable instanceof YamlState ? previous.reusable : undefined;
  const units = placeUnits(text, state);
  if (units.length === 1 && units[0].unit.whole && looksLikeTemplate(text)) {
    // A stream with directives is parsed whole (see placeUnits): skipped whole.
    const problems = [templateSkipped({ start: 0, end: 0 })];
    return { kind: forced ?? 'kubernetes', workloads: [], problems, writer: new YamlWriter(text, json), commentPrefix: '#', documents: [], fileProblems: problems, reusable: new YamlState(text, units) };
  }
  const documents: PlacedDocument[] = [];
  const problems: AdapterProblem[] = [];
  const parseErrors: AdapterProblem[] = [];
  const at = (p: AdapterProblem, start: number): AdapterProblem => (start === 0 ? p : { ...p, span: { start: p.span.start + start, end: p.span.end + start } });
  let skipped = 0;
  let firstKind: FileKind | undefined;
  let directives = false;
  let parsedCount = 0;
  const truncated: AdapterProblem[] = [];
  let stoppedAt: number | undefined;
  let fresh = 0;
  for (const { unit, start } of units) {
    if (unit.inert) {
      skipped++;
      continue;
    }
    // After at least one new parse, so that every call gets further.
    const known = unit.facts(forced, json);
    if (deadline !== undefined && fresh > 0 && parsedCount < MAX_DOCUMENTS && !known && performance.now() > deadline) {
      // The caller's slice of work is used up: the rest is parsed on its next call (units parsed so far are kept).
      truncated.push(budgetProblem(start));
      stoppedAt = start;
      break;
    }
    if (parsedCount++ === MAX_DOCUMENTS) {
      // The work per file is bounded: the rest of the stream is left unparsed, and said so.
      truncated.push({
        ruleId: 'skipped',
        severity: 'info',
        message: `Not analysed from here on: past the first ${MAX_DOCUMENTS} documents that can run a container`,
        detail: `This file has ${units.length} YAML documents. The work per file has a limit, and the documents past the first ${MAX_DOCUMENTS} that can run a container are not analysed. Split the file to have the rest checked.`,
        span: { start, end: start },
      });
      break;
    }
    if (!known) fresh++;
    // A unit seen before is not parsed again for its facts; a Compose unit's model is made anew for each lint.
    const model = !known || known.compose ? unit.model(forced, json) : undefined;
    const facts = known ?? (unit.facts(forced, json) as UnitFacts);
    firstKind = firstKind ?? facts.kind;
    directives ||= unit.directives;
    const placed = model?.compose ? composePlaced(unit, start, model, facts) : placedUnit(unit, start, forced, json, facts);
    documents.push(placed);
    for (const p of facts.problems) problems.push(at(p, start));
    for (const p of facts.parseErrors) parseErrors.push(at(p, start));
  }
  const kind = forced ?? (skipped > 0 ? 'kubernetes' : firstKind);
  // A parse error is only news in a file that is recognisably a container configuration: a file-wide
  // judgement, so parse errors are the file's problems, not a document's.
  const fileProblems = [...truncated, ...(parseErrors.length > 0 && (forced || kind !== undefined || looksLikeContainerConfig(text)) ? parseErrors : [])];
  problems.push(...fileProblems);
  problems.sort((a, b) => a.span.start - b.span.start);
  const parsed = { kind, problems, writer: new PlacedWriter(documents), commentPrefix: '#', documents, fileProblems, mayHaveDirectives: directives, reusable: new YamlState(text, units) } as Omit<ParsedFile, 'workloads'> as ParsedFile;
  if (stoppedAt !== undefined) parsed.stoppedAt = stoppedAt;
  // Every document's workloads in one list, made when read (the engine reads them per document).
  defineDocumentWorkloads(parsed);
  return parsed;
}

/** A Compose unit where it sits: its model, made for this lint (the project view merges into it). */
function composePlaced(unit: YamlUnit, start: number, model: UnitModel, facts: UnitFacts): PlacedDocument {
  return { start, end: start + unit.source.length, workloads: model.workloads, problems: facts.problems, writer: model.writer, cache: undefined, directives: unit.directives, kinds: facts.kinds, privileged: facts.privileged };
}

/**
 * Any other unit where it sits: its workloads and writer are read through the unit, which builds
 * them again after release(). A class, so that the thousands of these a large stream makes per
 * version share their getters and hidden class.
 */
class PlacedUnitDocument implements PlacedDocument {
  readonly end: number;
  readonly problems: AdapterProblem[];
  readonly cache: KeptResults;
  readonly directives: boolean;
  readonly kinds: readonly FileKind[];
  readonly privileged: boolean;

  constructor(
    private readonly unit: YamlUnit,
    readonly start: number,
    private readonly forced: FileKind | undefined,
    private readonly json: boolean,
    facts: UnitFacts,
  ) {
    this.end = start + unit.source.length;
    this.problems = facts.problems;
    this.cache = unit.cache;
    this.directives = unit.directives;
    this.kinds = facts.kinds;
    this.privileged = facts.privileged;
  }

  get workloads(): Workload[] {
    return this.unit.model(this.forced, this.json).workloads;
  }

  get writer(): FormatWriter {
    return this.unit.model(this.forced, this.json).writer;
  }

  release(): void {
    this.unit.release();
  }
}

function placedUnit(unit: YamlUnit, start: number, forced: FileKind | undefined, json: boolean, facts: UnitFacts): PlacedDocument {
  return new PlacedUnitDocument(unit, start, forced, json, facts);
}

function templateSkipped(span: Span): AdapterProblem {
  return {
    ruleId: 'skipped',
    severity: 'info',
    message: 'Not analysed: this document looks like an unrendered template ({{ … }})',
    detail: 'Template expressions are not YAML this tool can read. Render it first (for Helm: helm template … > rendered.yaml) and lint the output.',
    span,
  };
}

function firstLine(message: string): string {
  const i = message.indexOf('\n');
  return (i >= 0 ? message.slice(0, i) : message).trim();
}

function withoutStackTraces<T>(run: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const PARSE_OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false } as const;

/**
 * Documents that can run a container parsed and analysed per file at most. Large real files must
 * fit: the benchmark's 4.5 MB file of 7,093 workload documents (the size of a `kubectl get -o yaml`
 * dump or a rendered chart; #16) is analysed whole. A stream of tiny ones must stay bounded (#17):
 * 100,000 pods (10 MB) took 85 s and 4.9 GB analysed whole, and with this limit the CLI takes
 * 4.4 s and 550 MiB (its first 8,000 analysed, the rest reported `skipped`). It was 2,000, which
 * left most of the workload file unanalysed.
 */
export const MAX_DOCUMENTS = 8000;

/**
 * The text's units, reusing the previous version's where the edit did not reach. The YAML spec
 * makes per-range parsing exact: a `---` or `...` line at column 0 always ends a document, even
 * inside a block or quoted scalar, and anchors never cross documents. Directives (`%YAML`,
 * `%TAG`) do carry over to the next document, so a stream with a `%` line at column 0 is one
 * unit, parsed whole.
 *
 * The edit is found as the part between the longest common prefix and suffix of the two
 * versions, widened by a line on each side (a `---` marker is made or broken only on the lines
 * an edit touches). The units it reaches are split and built again from the new text; those
 * before it are kept where they are, those after it are kept and moved by the length change.
 */
export function placeUnits(text: string, previous?: YamlState): PlacedUnit[] {
  const old = previous && previous.units.length > 0 && !previous.units.some((u) => u.unit.whole) ? previous : undefined;
  if (!old) return hasDirectiveLine(text) ? [{ unit: new YamlUnit(text, true), start: 0 }] : splitUnits(text, 0, text.length, true);
  if (old.text === text) return [...old.units];
  const oldText = old.text;
  const prefix = commonPrefix(oldText, text);
  const suffix = commonSuffix(oldText, text, Math.min(oldText.length, text.length) - prefix);
  // The old text had no directive line (it was split): a `%` at column 0 can only be on the lines the edit touched.
  if (hasDirectiveLine(text.slice(lineStartBefore(text, prefix), lineEndAfter(text, text.length - suffix)))) return [{ unit: new YamlUnit(text, true), start: 0 }];
  const delta = text.length - oldText.length;
  // The edit in the old text, widened to the line before and the line after it.
  const from = lineStartBefore(oldText, lineStartBefore(oldText, prefix));
  const to = lineEndAfter(oldText, lineEndAfter(oldText, oldText.length - suffix));
  const units = old.units;
  const endOf = (i: number) => (i + 1 < units.length ? units[i + 1].start : oldText.length);
  let first = 0;
  while (first < units.length - 1 && endOf(first) < from) first++;
  let last = first;
  while (last < units.length - 1 && units[last + 1].start <= to) last++;
  const out: PlacedUnit[] = units.slice(0, first);
  const made = splitUnits(text, units[first].start, endOf(last) + delta, true);
  if (first === last && made.length === 1) {
    // One unit edited in place: it may re-parse only the edited block of the old one's parse.
    made[0].unit.derivedFrom(units[first].unit);
  }
  out.push(...made);
  for (let i = last + 1; i < units.length; i++) out.push({ unit: units[i].unit, start: units[i].start + delta });
  return out;
}

/**
 * `copy`: each unit gets its own copy of its text, so that no unit keeps the whole text of the
 * version it was made from alive (measured: the CLI's peak RSS over the corpus ×10 is lower
 * with copies than with views).
 */
function splitUnits(text: string, from: number, to: number, copy: boolean): PlacedUnit[] {
  const slice = from === 0 && to === text.length ? text : text.slice(from, to);
  const whole = slice === text;
  return documentRanges(slice).map((r) => ({ unit: new YamlUnit(whole && r.start === 0 && r.end === slice.length ? slice : (copy ? ownCopy(slice.slice(r.start, r.end)) : slice.slice(r.start, r.end))), start: from + r.start }));
}

/**
 * A string that does not hold on to the text it was cut from: V8 keeps a long slice as a view
 * of its parent, so a unit reused over many versions would keep every version's whole text alive.
 */
function ownCopy(s: string): string {
  return s.length < 64 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}

/** Length of the common prefix, compared a block at a time (slices are views, comparison is native). */
export function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

/** Length of the common suffix, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= max && a.slice(a.length - i - step, a.length - i) === b.slice(b.length - i - step, b.length - i)) i += step;
  }
  return i;
}

/** Start of the line before the one holding `at` (or 0). */
function lineStartBefore(text: string, at: number): number {
  let i = Math.min(at, text.length);
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  if (i > 0) i--;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** End (after the break) of the line after the one holding `at` (or the text's end). */
function lineEndAfter(text: string, at: number): number {
  let i = at;
  for (let lines = 0; lines < 2 && i < text.length; lines++) i = afterBreak(text, nextBreak(text, i));
  return i;
}

/**
 * The documents of a text, parsed per unit (offsets relative to each unit's start, given in
 * `starts`), and how many inert documents were skipped unparsed.
 */
export function parseDocuments(text: string): { docs: Document.Parsed[]; starts: number[]; skipped: number } {
  const result = { docs: [] as Document.Parsed[], starts: [] as number[], skipped: 0 };
  for (const { unit, start } of placeUnits(text)) {
    if (unit.inert) {
      result.skipped++;
      continue;
    }
    for (const doc of unit.model(undefined).docs) {
      result.docs.push(doc);
      result.starts.push(start);
    }
  }
  return result;
}

/** The documents of text[start, end), parsed on their own with offsets from the text's start. */
export function parseRange(text: string, start: number, end: number): Document.Parsed[] {
  return parseAt(start === 0 && end === text.length ? text : text.slice(start, end), start);
}

/** The documents of `source`, with offsets as if it started at `offset`. */
export function parseAt(source: string, offset: number): Document.Parsed[] {
  const parser = new Parser();
  parser.offset = offset;
  return Array.from(new Composer(PARSE_OPTIONS).compose(parser.parse(source), false, offset + source.length));
}

/** Where a unit's body starts: after its `---` line, if it has one. */
function afterMarkerLine(source: string): number {
  return source.startsWith('---') ? afterBreak(source, nextBreak(source, 0)) : 0;
}

function hasDirectiveLine(text: string): boolean {
  return text.startsWith('%') || text.includes('\n%') || text.includes('\r%');
}

/**
 * Kubernetes kinds that never run a container. Their documents are not parsed at all (recognised
 * by their top-level `kind:` and `apiVersion:` lines): composing a 1.6 MB CustomResourceDefinition
 * only to find it holds no pod cost more than the rest of the analysis. The price: a syntax error
 * inside such a document is not reported.
 */
const INERT_KINDS = new Set([
  'CustomResourceDefinition', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Role', 'ClusterRole', 'RoleBinding',
  'ClusterRoleBinding', 'Namespace', 'Ingress', 'IngressClass', 'NetworkPolicy', 'PersistentVolume', 'PersistentVolumeClaim',
  'StorageClass', 'PriorityClass', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'LimitRange', 'ResourceQuota',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'Endpoints', 'EndpointSlice', 'Lease',
  'ServiceMonitor', 'PodMonitor', 'PrometheusRule',
]);

const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z][A-Za-z0-9]*)["']?[ \t]*(?:#[^\r\n]*)?$/m;
const API_VERSION_LINE = /^apiVersion:[ \t]*\S/m;
/** A `...` line: another document may follow in the same range, so it is parsed. */
const END_MARKER_LINE = /^\.\.\.(?:[ \t]|$)/m;

/**
 * Document starts: `---` at column 0, as the YAML spec reads it. A `...` end marker stays with the
 * document it ends (a bare document may follow it in the same range: the parser splits those).
 */
function documentRanges(text: string): { start: number; body: number; end: number }[] {
  const out: { start: number; body: number; end: number }[] = [];
  let docStart = 0;
  let body = 0;
  // Candidates by indexOf (a character loop costs 9 ms on a 4.5 MB manifest); a marker starts a line.
  for (let i = text.indexOf('---'); i >= 0; i = text.indexOf('---', i + 3)) {
    if (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') continue;
    const next = text[i + 3];
    if (next !== undefined && next !== ' ' && next !== '\t' && next !== '\n' && next !== '\r') continue;
    if (i > docStart) out.push({ start: docStart, body, end: i });
    docStart = i;
    body = afterBreak(text, nextBreak(text, i));
  }
  out.push({ start: docStart, body, end: text.length });
  return out;
}

function nextBreak(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function afterBreak(text: string, at: number): number {
  if (text[at] === '\r' && text[at + 1] === '\n') return at + 2;
  return at < text.length ? at + 1 : at;
}

/** A document (its body: after the `---` line) of a Kubernetes kind that never runs a container. */
function isInertDocument(text: string, body: number, end: number): boolean {
  const chunk = text.slice(body, end);
  const kind = KIND_LINE.exec(chunk)?.[1];
  return !!kind && INERT_KINDS.has(kind) && API_VERSION_LINE.test(chunk) && !(chunk.includes('...') && END_MARKER_LINE.test(chunk));
}

/**
 * YAML files: Compose and Kubernetes, decided per document by content (and by the
 * file name for Compose). Broken documents get one parse-error each; the others
 * are still analysed. Helm templates are skipped with an info finding.
 */
import { Alias, Composer, isAlias, isMap, isPair, isScalar, isSeq, Pair, Parser, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node, Range } from 'yaml';
import type { FileKind, Span, Workload } from '../model';
import { YamlWriter } from '../writers/yaml';
import { composeWorkloads } from './compose';
import { kubernetesWorkloads } from './kubernetes';
import type { AdapterProblem, ParsedFile } from './types';
import { asMap, expansionOverflow, get } from './yaml-util';

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

export function parseYaml(text: string, path: string, forced: FileKind | undefined, previous?: ParsedFile): ParsedFile {
  const problems: AdapterProblem[] = [];
  const workloads: Workload[] = [];
  const writer = new YamlWriter(text, /\.json$/i.test(path));
  if (hasDirectiveLine(text) && looksLikeTemplate(text)) {
    // A stream with directives is parsed whole (see parseDocuments): skipped whole, as before.
    problems.push(templateSkipped({ start: 0, end: 0 }));
    return { kind: forced ?? 'kubernetes', workloads, problems, writer, commentPrefix: '#' };
  }
  const reuse = previous?.reusable instanceof ParsedDocuments ? previous.reusable : undefined;
  const parsedDocs = parseDocuments(text, reuse);
  const { docs: list, skipped } = parsedDocs;
  if (parsedDocs.truncated) {
    problems.push({
      ruleId: 'skipped',
      severity: 'info',
      message: `Not analysed from here on: this file has ${parsedDocs.truncated.documents} YAML documents, and only the first ${MAX_DOCUMENTS} that can run a container are analysed (a limit on the work per file). Split the file to have the rest checked.`,
      span: { start: parsedDocs.truncated.at, end: parsedDocs.truncated.at },
    });
  }
  let kind: FileKind | undefined = forced ?? (skipped > 0 ? 'kubernetes' : undefined);
  const mayBeTemplate = text.includes('{{');
  const parseErrors: AdapterProblem[] = [];
  for (const doc of list) {
    if (mayBeTemplate && isTemplateDocument(text.slice(doc.range[0], doc.range[2]), () => doc.errors.length === 0)) {
      problems.push(templateSkipped({ start: doc.range[0], end: doc.range[0] }));
      kind = kind ?? 'kubernetes';
      continue;
    }
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const span: Span = { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0]) };
      parseErrors.push({ ruleId: 'parse-error', severity: 'error', message: `YAML parse error: ${firstLine(err.message)}`, span });
      continue;
    }
    writer.addDocument(doc);
    if (forced === 'compose' || (!forced && isComposeDocument(doc))) {
      if (isKubernetesDocument(doc) && forced !== 'compose') continue;
      kind = kind ?? 'compose';
      workloads.push(...composeWorkloads(doc, text));
    } else if (isKubernetesDocument(doc)) {
      kind = kind ?? 'kubernetes';
      workloads.push(...kubernetesWorkloads(doc, text));
    }
    const overflow = expansionOverflow(doc);
    if (overflow) {
      problems.push({
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
  // A parse error is only news in a file that is recognisably a container configuration.
  if (parseErrors.length > 0 && (forced || kind !== undefined || looksLikeContainerConfig(text))) problems.push(...parseErrors);
  problems.sort((a, b) => a.span.start - b.span.start);
  return { kind, workloads, problems, writer, commentPrefix: '#', reusable: parsedDocs };
}

function templateSkipped(span: Span): AdapterProblem {
  return {
    ruleId: 'skipped',
    severity: 'info',
    message: 'Not analysed: this document looks like an unrendered template ({{ … }}). Render it first (for Helm: helm template … > rendered.yaml) and lint the output.',
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
 * Documents parsed and analysed per file at most: a file of 100,000 pods (10 MB) would take a
 * minute and gigabytes; the first 2,000 take a second or two and about 100 MB.
 */
export const MAX_DOCUMENTS = 2000;

/**
 * Parses the YAML stream one document at a time, skipping documents of kinds that never run a
 * container (INERT_KINDS) without parsing them. Every node keeps its offset in the whole text:
 * the parser starts counting at the document's offset. The YAML spec makes this exact: a `---`
 * or `...` line at column 0 always ends a document, even inside a block or quoted scalar, and
 * anchors never cross documents. Directives (`%YAML`, `%TAG`) do carry over to the next
 * document, so a stream with a `%` line at column 0 is parsed whole, as before.
 */
export function parseDocuments(text: string, previous?: ParsedDocuments): ParsedDocuments {
  // yaml builds an Error (with a stack trace) per problem: on error-dense input (200 KB of quotes:
  // 100,000 errors) the traces dominate. We only read the first error's message and position.
  return withoutStackTraces(() => {
    const result = new ParsedDocuments();
    if (hasDirectiveLine(text)) {
      result.docs.push(...parseRange(text, 0, text.length));
      return result;
    }
    const mayBeInert = text.includes('kind:');
    const ranges = documentRanges(text);
    let parsed = 0;
    for (const d of ranges) {
      if (mayBeInert && isInertDocument(text, d.body, d.end)) {
        result.skipped++;
        continue;
      }
      if (parsed++ === MAX_DOCUMENTS) {
        // The work per file is bounded: the rest of the stream is left unparsed, and said so.
        result.truncated = { at: d.start, documents: ranges.length };
        break;
      }
      const source = d.start === 0 && d.end === text.length ? text : text.slice(d.start, d.end);
      const before = previous?.byText.get(source);
      const docs = before ? (before.start === d.start ? before.docs : before.docs.map((doc) => shiftedCopy(doc, d.start - before.start))) : parseRange(text, d.start, d.end);
      result.byText.set(source, { start: d.start, docs });
      result.docs.push(...docs);
    }
    return result;
  });
}

/**
 * The documents of one parse, and each document range's documents by its exact text: a re-parse
 * of the edited file (a keystroke) parses only the ranges whose text changed, and moves the others.
 */
export class ParsedDocuments {
  readonly docs: Document.Parsed[] = [];
  skipped = 0;
  /** Set when the stream has more than MAX_DOCUMENTS documents to parse: where parsing stopped. */
  truncated?: { at: number; documents: number };
  readonly byText = new Map<string, { start: number; docs: Document.Parsed[] }>();
}

function parseRange(text: string, start: number, end: number): Document.Parsed[] {
  const parser = new Parser();
  parser.offset = start;
  const source = start === 0 && end === text.length ? text : text.slice(start, end);
  return Array.from(new Composer(PARSE_OPTIONS).compose(parser.parse(source), false, end));
}

/**
 * A copy of a parsed document whose every offset is moved by `delta` (the document's text moved
 * with an edit before it). Nodes are new objects: the original, which an earlier result may still
 * read, is never changed. Ten times cheaper than parsing the text again.
 */
function shiftedCopy(doc: Document.Parsed, delta: number): Document.Parsed {
  const copy = Object.create(Object.getPrototypeOf(doc) as object, Object.getOwnPropertyDescriptors(doc)) as Document.Parsed;
  copy.range = shiftRange(doc.range, delta);
  copy.contents = doc.contents ? (shiftNode(doc.contents, delta) as typeof doc.contents) : doc.contents;
  copy.errors = doc.errors.map((e) => Object.assign(Object.create(Object.getPrototypeOf(e) as object) as typeof e, e, { pos: [e.pos[0] + delta, e.pos[1] + delta] }));
  copy.warnings = doc.warnings.map((w) => Object.assign(Object.create(Object.getPrototypeOf(w) as object) as typeof w, w, { pos: [w.pos[0] + delta, w.pos[1] + delta] }));
  return copy;
}

function shiftRange(range: Range, delta: number): Range {
  return [range[0] + delta, range[1] + delta, range[2] + delta];
}

function shiftNode(node: Node, delta: number): Node {
  let copy: Node;
  if (isScalar(node)) copy = Object.assign(new Scalar(node.value), node);
  else if (isAlias(node)) copy = Object.assign(new Alias(node.source), node);
  else if (isMap(node)) {
    const map = Object.assign(new YAMLMap(node.schema), node);
    map.items = node.items.map((p) => (isPair(p) ? new Pair(shiftMaybe(p.key, delta), shiftMaybe(p.value, delta)) : p));
    copy = map;
  } else if (isSeq(node)) {
    const seq = Object.assign(new YAMLSeq(node.schema), node);
    seq.items = node.items.map((item) => shiftMaybe(item, delta));
    copy = seq;
  } else return node;
  if (node.range) copy.range = shiftRange(node.range, delta);
  return copy;
}

function shiftMaybe<T>(value: T, delta: number): T {
  return isScalar(value) || isAlias(value) || isMap(value) || isSeq(value) ? (shiftNode(value, delta) as T) : value;
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

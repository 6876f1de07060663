/**
 * YAML files: Compose and Kubernetes, decided per document by content (and by the
 * file name for Compose). Broken documents get one parse-error each; the others
 * are still analysed. Helm templates are skipped with an info finding.
 */
import { isMap, isScalar, LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import type { FileKind, Span, Workload } from '../model';
import { YamlWriter } from '../writers/yaml';
import { composeWorkloads } from './compose';
import { kubernetesWorkloads } from './kubernetes';
import type { AdapterProblem, ParsedFile } from './types';
import { asMap, get } from './yaml-util';

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
      else if (c === '{' && line[i + 1] === '{') return true;
    }
  }
  return false;
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

export function parseYaml(text: string, _path: string, forced: FileKind | undefined): ParsedFile {
  const problems: AdapterProblem[] = [];
  const workloads: Workload[] = [];
  const writer = new YamlWriter(text);
  if (looksLikeTemplate(text)) {
    problems.push({
      ruleId: 'skipped',
      severity: 'info',
      message: 'Not analysed: this looks like an unrendered template ({{ … }}). Render it first (for Helm: helm template … > rendered.yaml) and lint the output.',
      span: { start: 0, end: 0 },
    });
    return { kind: forced ?? 'kubernetes', workloads, problems, writer, commentPrefix: '#' };
  }
  const { text: toParse, skipped } = blankInertDocuments(text);
  const lineCounter = new LineCounter();
  // yaml builds an Error (with a stack trace) per problem: on error-dense input (200 KB of quotes:
  // 100,000 errors) the traces dominate. We only read the first error's message and position.
  const docs = withoutStackTraces(() => parseAllDocuments(toParse, { keepSourceTokens: true, uniqueKeys: false, strict: false, prettyErrors: false, lineCounter }));
  const list = Array.isArray(docs) ? docs : [];
  let kind: FileKind | undefined = forced ?? (skipped > 0 ? 'kubernetes' : undefined);
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const span: Span = { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0]) };
      problems.push({ ruleId: 'parse-error', severity: 'error', message: `YAML parse error: ${firstLine(err.message)}`, span });
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
  }
  return { kind, workloads, problems, writer, commentPrefix: '#' };
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

/**
 * Kubernetes kinds that never run a container. Their documents are blanked before parsing (every
 * character but line breaks becomes a space, so offsets do not move): composing a 1.6 MB
 * CustomResourceDefinition only to find it holds no pod cost more than the rest of the analysis.
 * The price: a syntax error inside such a document is not reported.
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

/** Document boundaries: `---` / `...` at column 0, as the YAML spec reads them. */
function documentRanges(text: string): { start: number; body: number; end: number }[] {
  const out: { start: number; body: number; end: number }[] = [];
  let docStart = 0;
  let body = 0;
  let i = 0;
  while (i <= text.length) {
    const lineEnd = nextBreak(text, i);
    const isMarker = (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 === lineEnd || text[i + 3] === ' ' || text[i + 3] === '\t');
    if (isMarker) {
      if (i > docStart) out.push({ start: docStart, body, end: i });
      docStart = i;
      body = afterBreak(text, lineEnd);
    }
    if (lineEnd >= text.length) break;
    i = afterBreak(text, lineEnd);
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

export function blankInertDocuments(text: string): { text: string; skipped: number } {
  if (!text.includes('kind:')) return { text, skipped: 0 };
  const parts: string[] = [];
  let copied = 0;
  let skipped = 0;
  for (const d of documentRanges(text)) {
    const chunk = text.slice(d.body, d.end);
    const kind = KIND_LINE.exec(chunk)?.[1];
    if (!kind || !INERT_KINDS.has(kind) || !API_VERSION_LINE.test(chunk)) continue;
    parts.push(text.slice(copied, d.body), blankLines(chunk));
    copied = d.end;
    skipped++;
  }
  if (skipped === 0) return { text, skipped };
  parts.push(text.slice(copied));
  return { text: parts.join(''), skipped };
}

/** Every character but line breaks becomes a space (a loop: a per-character regex replace is 10× slower). */
function blankLines(chunk: string): string {
  const out: string[] = [];
  let i = 0;
  while (i < chunk.length) {
    const e = nextBreak(chunk, i);
    if (e > i) out.push(' '.repeat(e - i));
    let b = e;
    while (b < chunk.length && (chunk[b] === '\n' || chunk[b] === '\r')) b++;
    out.push(chunk.slice(e, b));
    i = b;
  }
  return out.join('');
}

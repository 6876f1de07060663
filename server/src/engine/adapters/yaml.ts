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
  const lineCounter = new LineCounter();
  // yaml builds an Error (with a stack trace) per problem: on error-dense input (200 KB of quotes:
  // 100,000 errors) the traces dominate. We only read the first error's message and position.
  const docs = withoutStackTraces(() => parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, strict: false, prettyErrors: false, lineCounter }));
  const list = Array.isArray(docs) ? docs : [];
  let kind: FileKind | undefined = forced;
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

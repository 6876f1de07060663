/**
 * Helm charts without rendering. A folder with `Chart.yaml` is a chart: `templates/**.yaml`
 * are its templates, `templates/_*.tpl` its helpers, `values.yaml` its defaults.
 *
 * A template is analysed as one text: values.yaml, a line break, then the template with
 * every action replaced by a same-length placeholder (template.ts), so that every node
 * keeps an exact offset in one of the two files. What an action outputs is then put where
 * it lands in the YAML tree ("grafted"): the values.yaml node itself for `toYaml .Values.x`,
 * `{{ .Values.x }}` and `with .Values.x` + `toYaml .`, a literal for `default`. The Kubernetes
 * adapter reads the result like any manifest, and every setting it finds says which file
 * it is written in. What cannot be resolved is unknown: it is never a finding, and a
 * container with an unknown part that could set a missing setting gets no "missing" finding.
 */
import * as nodePath from 'node:path';
import { Composer, isMap, isPair, isScalar, isSeq, Parser, Scalar, visit } from 'yaml';
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { AdapterProblem, ParsedFile } from '../../adapters/types';
import { kubernetesWorkloads } from '../../adapters/kubernetes';
import type { KubernetesRef } from '../../adapters/kubernetes';
import type { YNode } from '../../adapters/yaml-util';
import { trimmedSpan } from '../../adapters/yaml-util';
import type { Container, Edit, Finding, Fix, RelatedInfo, Span, Workload } from '../../model';
import { YamlWriter } from '../../writers/yaml';
import { makeLazy, THUNK_FIXES } from '../../lazy-property';
import { clipNames, MESSAGE_MAX_LENGTH, withoutContainerWord } from '../../rule';
import type { Action, TemplateScan } from './template';
import { controlPipeline, parsePipeline, placeholderText, scanActions } from './template';
import type { EvalContext, Val } from './values';
import { evaluate, isEmpty, UNKNOWN } from './values';

export type ReadFile = (path: string) => string | undefined;
/** Entries of a folder: file names, and folder names with a trailing `/`; undefined when it cannot be listed. */
export type ListDir = (dir: string) => string[] | undefined;

export interface ChartFile {
  /** The chart folder (the one with Chart.yaml), in the same form as the linted path. */
  root: string;
  role: 'template' | 'values';
}

const TEMPLATE_FILE = /\.ya?ml$/i;

/** The extra values files of a chart: a relative path is taken from the chart's folder (`helm -f` run there). */
export function extraValuesPaths(root: string, extra: string[]): string[] {
  // An absolute path belongs to the chart whose folder holds it.
  const inside = (p: string) => !nodePath.relative(root, p).startsWith('..') && !nodePath.isAbsolute(nodePath.relative(root, p));
  return extra.flatMap((p) => (nodePath.isAbsolute(p) ? (inside(p) ? [nodePath.normalize(p)] : []) : [nodePath.join(root, p)]));
}

/** Whether `path` is a template, the values.yaml or an extra values file of a chart (Chart.yaml found through readFile). */
export function chartFileOf(path: string, readFile: ReadFile, extraValues: string[] = []): ChartFile | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return undefined; // a URI that is not a file path
  const norm = path.replace(/\\/g, '/');
  const name = norm.slice(norm.lastIndexOf('/') + 1);
  const dir = nodePath.dirname(path);
  if (name === 'values.yaml' || name === 'values.yml' || (extraValues.length > 0 && extraValuesPaths(dir, extraValues).includes(nodePath.normalize(path)))) {
    return hasChartYaml(dir, readFile) ? { root: dir, role: 'values' } : undefined;
  }
  if (!TEMPLATE_FILE.test(name)) return undefined;
  // templates/ or a folder under it (Helm renders templates/ recursively).
  let d = dir;
  for (let depth = 0; depth < 8; depth++) {
    if (nodePath.basename(d) === 'templates') {
      const root = nodePath.dirname(d);
      return hasChartYaml(root, readFile) ? { root, role: 'template' } : undefined;
    }
    const up = nodePath.dirname(d);
    if (up === d) break;
    d = up;
  }
  return undefined;
}

function hasChartYaml(dir: string, readFile: ReadFile): boolean {
  return readFile(nodePath.join(dir, 'Chart.yaml')) !== undefined || readFile(nodePath.join(dir, 'Chart.yml')) !== undefined;
}

export function valuesPathOf(root: string, readFile: ReadFile): string {
  const yml = nodePath.join(root, 'values.yml');
  const yaml = nodePath.join(root, 'values.yaml');
  return readFile(yaml) === undefined && readFile(yml) !== undefined ? yml : yaml;
}

/** Every file under templates/ (subfolders included, at most 6 deep and 2,000 files): templates and helpers. */
export function chartTemplates(root: string, listDir: ListDir): { templates: string[]; helpers: string[] } {
  const templates: string[] = [];
  const helpers: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || templates.length + helpers.length > 2000) return;
    for (const entry of (listDir(dir) ?? []).sort()) {
      if (entry.endsWith('/')) walk(nodePath.join(dir, entry.slice(0, -1)), depth + 1);
      else if (entry.endsWith('.tpl')) helpers.push(nodePath.join(dir, entry));
      else if (TEMPLATE_FILE.test(entry)) templates.push(nodePath.join(dir, entry));
    }
  };
  walk(nodePath.join(root, 'templates'), 0);
  return { templates, helpers };
}

// ---- Helpers ---------------------------------------------------------------------------

/** Keys whose presence in a helper's output could change a pod's or a container's privileges. */
const SECURITY_KEYS = /(^|[\s{,-])(securityContext|privileged|capabilities|runAs(User|NonRoot|Group)|allowPrivilegeEscalation|readOnlyRootFilesystem|seccompProfile|appArmorProfile|seLinuxOptions|procMount|host(PID|IPC|Network|Users|Path|Port)|containers|initContainers|ephemeralContainers|volumes|sysctls|windowsOptions)\s*:/;

/**
 * Named templates (`define`) of the helpers, and whether each only emits labels or names:
 * no security-relevant key in its text, no `toYaml`/`tpl` except of labels or annotations,
 * and only such helpers included. Anything else included into a pod spec is unknown.
 */
export class Helpers {
  private readonly bodies = new Map<string, { text: string; start: number; end: number; actions: Action[] }>();
  private readonly inertCache = new Map<string, boolean>();

  constructor(texts: string[]) {
    for (const text of texts) this.add(text);
  }

  add(text: string): void {
    const { actions } = scanActions(text);
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i];
      if (a.kind !== 'define') continue;
      const name = /^define\s+"([^"]*)"/.exec(a.body)?.[1];
      let depth = 0;
      let j = i + 1;
      for (; j < actions.length; j++) {
        const k = actions[j].kind;
        if (k === 'if' || k === 'with' || k === 'range' || k === 'define' || k === 'block') depth++;
        else if (k === 'end') {
          if (depth === 0) break;
          depth--;
        }
      }
      const close = actions[j];
      if (name !== undefined && close) this.bodies.set(name, { text, start: a.end, end: close.start, actions: actions.slice(i + 1, j) });
      i = j;
    }
  }

  inert(name: string, seen = new Set<string>()): boolean {
    const cached = this.inertCache.get(name);
    if (cached !== undefined) return cached;
    const body = this.bodies.get(name);
    if (!body || seen.has(name) || seen.size > 64) return false;
    seen.add(name);
    let ok = true;
    let literal = '';
    let at = body.start;
    let labelsWith = false;
    for (const a of body.actions) {
      literal += body.text.slice(at, a.start);
      at = a.end;
      if (a.kind === 'comment') continue;
      const b = a.body;
      if (a.kind === 'with') labelsWith = /([Ll]abels|[Aa]nnotations)\b/.test(b);
      if (labelsWith && /^toYaml\s+\.\s*(\||$)/.test(b)) continue;
      if (/\b(tpl|fromYaml|fromJson|toJson|toPrettyJson|toRawJson)\b/.test(b)) ok = false;
      if (b.includes('toYaml') && !toYamlOfLabels(b)) ok = false;
      for (const m of b.matchAll(/\b(?:include|template)\s+"([^"]*)"/g)) if (!this.inert(m[1], seen)) ok = false;
      if (/\b(?:include|template)\s+[^"\s]/.test(b)) ok = false;
      if (!ok) break;
    }
    literal += body.text.slice(at, body.end);
    if (SECURITY_KEYS.test(literal)) ok = false;
    this.inertCache.set(name, ok);
    return ok;
  }
}

/** `toYaml .Values.podLabels`, `.Values.commonLabels | toYaml`: toYaml only of labels or annotations. */
function toYamlOfLabels(body: string): boolean {
  const tokens = body.split(/\s+/);
  const labels = (t: string | undefined) => !!t && /^[.$]/.test(t) && /(labels|annotations)$/i.test(t);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== 'toYaml') continue;
    const next = tokens[i + 1];
    const piped = tokens[i - 1] === '|' ? tokens[i - 2] : undefined;
    if (!(next !== undefined && next !== '|' ? labels(next) : labels(piped))) return false;
  }
  return true;
}

// ---- One template ------------------------------------------------------------------------

/** Where a standalone output action lands: the value of a `key:` with nothing after it, or among a collection's entries. */
type Host = { type: 'value'; pair: Pair } | { type: 'entries'; coll: YAMLMap | YAMLSeq };

/** A values.yaml node put into the template's tree by an action. */
export interface Graft {
  action: Action;
  node: YNode;
  /** The template pair whose value it became. */
  hostPair?: Pair;
  /** The values.yaml pair that holds the node (`securityContext: {}`). */
  valuesPair?: Pair;
}

interface Block {
  open: Action;
  close?: Action;
  /** Whether an `if` / `with` renders with the chart's default values; undefined when that is unknown. */
  byDefault?: boolean;
  /** The first `else` of the block. */
  elseAt?: Action;
}

export interface TemplateAnalysis {
  /** The model, in combined offsets: values.yaml at 0, the template at `base`. */
  parsed: ParsedFile;
  combined: string;
  base: number;
  /** End of the values files (values.yaml, then each extra file), which come first in `combined`. */
  valuesLength: number;
  /** Where each values file sits in `combined`. */
  layers: { start: number; end: number }[];
  scan: TemplateScan;
  grafts: Graft[];
  blocks: Block[];
  unknownHosts: Set<object>;
  unknownScalars: WeakSet<object>;
  /** The template parsed into at least one document the adapter could read. */
  analysed: boolean;
}

const PARSE_OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false } as const;

function parseAt(source: string, offset: number): Document.Parsed[] {
  const parser = new Parser();
  parser.offset = offset;
  return Array.from(new Composer(PARSE_OPTIONS).compose(parser.parse(source), false, offset + source.length));
}

/** Whether a values file has a YAML error (an empty or comment-only file has none: it sets no values). */
export function valuesDoNotParse(text: string): boolean {
  return parseAt(text, 0).some((d) => d.errors.length > 0);
}

/** Values files parsed at their offset, kept for the next template of the same chart (same text, same place). */
const valuesCache = new Map<string, Document.Parsed | null>();

export function parseValues(text: string, offset = 0): Document.Parsed | undefined {
  const key = `${offset}:${text}`;
  const cached = valuesCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const docs = parseAt(text, offset);
  const doc = docs.find((d) => d.errors.length === 0 && d.contents) ?? undefined;
  const ok = docs.every((d) => d.errors.length === 0) ? doc : undefined;
  if (valuesCache.size >= 8) valuesCache.clear();
  valuesCache.set(key, ok ?? null);
  return ok;
}

/** `valuesTexts`: values.yaml, then the extra values files merged over it in order (`helm -f`). */
export function analyseTemplate(template: string, valuesTexts: string[], helpers: Helpers): TemplateAnalysis {
  const layers: { start: number; end: number }[] = [];
  const valuesDocs: Document.Parsed[] = [];
  let values = '';
  for (const text of valuesTexts) {
    const start = values.length === 0 && layers.length === 0 ? 0 : values.length + 1;
    const doc = parseValues(text, start);
    const kept = doc ? text : '';
    values = layers.length === 0 ? kept : `${values}\n${kept}`;
    layers.push({ start, end: start + kept.length });
    if (doc) valuesDocs.push(doc);
    else valuesDocs.push(parseAt('', start)[0] ?? parseAt('{}', start)[0]!);
  }
  const base = values.length + 1;
  let scan = scanActions(template);
  let docs = scan.unterminated === undefined ? parseAt(scan.placeholder, base) : [];
  const errors = (list: Document.Parsed[]) => list.filter((d) => d.errors.length > 0).length;
  if (errors(docs) > 0) {
    // Both branches of an if/else do not always make YAML together: read the if branches alone.
    const second = placeholderText(template, scan.actions, true);
    const docs2 = parseAt(second, base);
    if (errors(docs2) < errors(docs)) {
      scan = { ...scan, placeholder: second };
      docs = docs2;
    }
  }
  const combined = `${values}\n${scan.placeholder}`;
  const problems: AdapterProblem[] = [];
  const workloads: Workload[] = [];
  const writer = new YamlWriter(combined);
  const { vals, blocks } = evaluateActions(scan.actions, valuesDocs);
  const grafts: Graft[] = [];
  const unknownHosts = new Set<object>();
  const unknownScalars = new WeakSet<object>();
  let analysed = false;
  if (scan.unterminated !== undefined) {
    problems.push({ ruleId: 'skipped', severity: 'info', message: 'Not analysed: a template action ({{) is never closed.', span: { start: base + scan.unterminated, end: base + scan.unterminated + 2 } });
  } else {
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const at = Math.max(base, err.pos[0]);
        problems.push({
          ruleId: 'skipped',
          severity: 'info',
          message: `Not analysed: this part of the template does not read as YAML once its {{ }} actions are set aside (${firstLine(err.message)}).`,
          span: { start: at, end: Math.max(at, err.pos[1]) },
        });
        continue;
      }
      const ctx = { combined, base, scan, vals, helpers, grafts, unknownHosts, unknownScalars, template };
      graftDocument(doc, ctx);
      writer.addDocument(doc);
      workloads.push(...kubernetesWorkloads(doc, combined));
      analysed = true;
    }
  }
  const parsed: ParsedFile = { kind: 'kubernetes', workloads, problems, writer, commentPrefix: '#' };
  return { parsed, combined, base, valuesLength: values.length, layers, scan, grafts, blocks, unknownHosts, unknownScalars, analysed };
}

function firstLine(message: string): string {
  const i = message.indexOf('\n');
  return (i >= 0 ? message.slice(0, i) : message).trim();
}

/** The value of every output action, with the dot each control block sets (`with`, `range`). */
function evaluateActions(actions: Action[], valuesDocs: Document.Parsed[]): { vals: Map<Action, Val>; blocks: Block[] } {
  const vals = new Map<Action, Val>();
  const blocks: Block[] = [];
  const stack: { kind: string; dot: Val; outer: Val; block: Block }[] = [];
  const vars = new Map<string, Val>([['$', { k: 'root' }]]);
  const dot = (): Val => stack[stack.length - 1]?.dot ?? { k: 'root' };
  const ev = (src: string): Val => {
    const p = parsePipeline(src);
    return p ? evaluate(p, { valuesDocs, dot: dot(), vars } as EvalContext) : UNKNOWN;
  };
  for (const a of actions) {
    switch (a.kind) {
      case 'if':
      case 'with':
      case 'range':
      case 'define':
      case 'block': {
        const block: Block = { open: a };
        blocks.push(block);
        const outer = dot();
        let inner: Val = outer;
        if (a.kind === 'if') {
          const empty = isEmpty(ev(controlPipeline(a.body).pipeline));
          if (empty !== undefined) block.byDefault = !empty;
        }
        if (a.kind === 'with' || a.kind === 'range') {
          const { vars: names, pipeline } = controlPipeline(a.body);
          const v = a.kind === 'with' ? ev(pipeline) : UNKNOWN;
          const empty = a.kind === 'with' ? isEmpty(v) : undefined;
          if (empty !== undefined) block.byDefault = !empty;
          if (names.length > 0) for (const n of names) vars.set(n, a.kind === 'with' ? v : UNKNOWN);
          inner = a.kind === 'with' && names.length === 0 ? v : a.kind === 'with' ? outer : UNKNOWN;
        } else if (a.kind === 'define' || a.kind === 'block') inner = UNKNOWN;
        stack.push({ kind: a.kind, dot: inner, outer, block });
        break;
      }
      case 'else': {
        const top = stack[stack.length - 1];
        if (top && !top.block.elseAt) top.block.elseAt = a;
        if (top?.kind === 'with') top.dot = /^else\s+with\b/.test(a.body) ? ev(controlPipeline(a.body.replace(/^else\s+/, '')).pipeline) : top.outer;
        break;
      }
      case 'end': {
        const top = stack.pop();
        if (top) top.block.close = a;
        break;
      }
      case 'assign': {
        const m = /^(\$[A-Za-z0-9_]*)\s*:?=\s*([\s\S]*)$/.exec(a.body);
        if (m) vars.set(m[1], stack.some((s) => s.kind === 'range' || s.kind === 'define') ? UNKNOWN : ev(m[2]));
        break;
      }
      case 'output':
        vals.set(a, ev(a.body));
        break;
      default:
        break;
    }
  }
  return { vals, blocks };
}

interface GraftContext {
  combined: string;
  base: number;
  scan: TemplateScan;
  vals: Map<Action, Val>;
  helpers: Helpers;
  grafts: Graft[];
  unknownHosts: Set<object>;
  unknownScalars: WeakSet<object>;
  template: string;
}

function lineStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The collections from the document's root down to the one holding `offset`, each with the pair or item chosen. */
function chainAt(doc: Document.Parsed, offset: number): { coll: YAMLMap | YAMLSeq; pair?: Pair; item?: Node }[] {
  const chain: { coll: YAMLMap | YAMLSeq; pair?: Pair; item?: Node }[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 200 && node; depth++) {
    if (isMap(node)) {
      const link: { coll: YAMLMap | YAMLSeq; pair?: Pair } = { coll: node };
      chain.push(link);
      let chosen: Pair | undefined;
      for (const p of node.items) {
        const ks = (p.key as Node | null)?.range?.[0];
        if (ks === undefined || ks > offset) break;
        chosen = p as Pair;
      }
      if (!chosen) break;
      link.pair = chosen;
      const v = chosen.value as Node | null;
      node = v && (isMap(v) || isSeq(v)) && v.range && v.range[0] <= offset && !(v as { flow?: boolean }).flow ? v : undefined;
    } else if (isSeq(node)) {
      const link: { coll: YAMLMap | YAMLSeq; item?: Node } = { coll: node };
      chain.push(link);
      let chosen: Node | undefined;
      for (const it of node.items) {
        const s = (it as Node | null)?.range?.[0];
        if (s === undefined || s > offset) break;
        chosen = it as Node;
      }
      if (!chosen) break;
      link.item = chosen;
      node = (isMap(chosen) || isSeq(chosen)) && !(chosen as { flow?: boolean }).flow ? chosen : undefined;
    } else break;
  }
  return chain;
}

function collColumn(coll: YAMLMap | YAMLSeq, text: string): number | undefined {
  const first = isMap(coll) ? ((coll.items[0]?.key as Node | null)?.range?.[0]) : isSeq(coll) ? coll.range?.[0] : undefined;
  return first === undefined ? undefined : first - lineStart(text, first);
}

/** The indentation an action's output gets: its `nindent n` / `indent n`, else its column. */
function outputIndent(a: Action, val: Val | undefined, column: number): number {
  if (val && (val.k === 'values' || val.k === 'include') && val.indent !== undefined) return val.indent;
  const m = /\b(?:n?indent)\s+(\d+)\s*$/.exec(a.body);
  return m ? Number(m[1]) : column;
}

function findHost(doc: Document.Parsed, a: Action, val: Val | undefined, ctx: GraftContext): Host | undefined {
  const text = ctx.combined;
  const start = ctx.base + a.start;
  const ls = lineStart(text, start);
  const n = outputIndent(a, val, start - ls);
  // The previous line with YAML on it.
  let p = ls;
  let prev: { start: number; end: number } | undefined;
  while (p > ctx.base) {
    const pe = p - (text[p - 1] === '\n' && text[p - 2] === '\r' ? 2 : 1);
    const ps = Math.max(ctx.base, lineStart(text, pe));
    const line = text.slice(ps, pe);
    if (line.trim() !== '' && !line.trimStart().startsWith('#')) {
      prev = { start: ps, end: pe };
      break;
    }
    p = ps;
  }
  const root = doc.contents;
  if (!prev) return root && (isMap(root) || isSeq(root)) ? { type: 'entries', coll: root } : undefined;
  const line = text.slice(prev.start, prev.end);
  // The key's column: after the indentation and any `- ` sequence markers.
  let keyCol = 0;
  while (keyCol < line.length && (line[keyCol] === ' ' || line[keyCol] === '\t' || (line[keyCol] === '-' && /[ \t]/.test(line[keyCol + 1] ?? '')))) keyCol++;
  const rest = line.slice(keyCol);
  const hash = rest.search(/[ \t]#/);
  const content = (hash >= 0 ? rest.slice(0, hash) : rest).trimEnd();
  const chain = chainAt(doc, prev.start + keyCol);
  if (/:$/.test(content) && n > keyCol) {
    // `key:` with its value on the next lines: the last pair that starts on that line.
    for (let i = chain.length - 1; i >= 0; i--) {
      const pair = chain[i].pair;
      const ks = (pair?.key as Node | null)?.range?.[0];
      if (pair && ks !== undefined && ks >= prev.start && ks <= prev.end) {
        const v = pair.value as Node | null;
        if (!v || (isScalar(v) && (v.value === null || v.value === ''))) return { type: 'value', pair };
        break;
      }
    }
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    if (collColumn(chain[i].coll, text) === n) return { type: 'entries', coll: chain[i].coll };
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = collColumn(chain[i].coll, text);
    if (c !== undefined && c < n) return { type: 'entries', coll: chain[i].coll };
  }
  return root && (isMap(root) || isSeq(root)) ? { type: 'entries', coll: root } : undefined;
}

/** Actions of the template that start inside [start, end) (combined offsets). */
function actionsIn(ctx: GraftContext, start: number, end: number): Action[] {
  const list = ctx.scan.actions;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ctx.base + list[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: Action[] = [];
  for (let i = lo; i < list.length && ctx.base + list[i].start < end; i++) out.push(list[i]);
  return out;
}

function graftDocument(doc: Document.Parsed, ctx: GraftContext): void {
  const [docStart, , docEnd] = doc.range;
  // 1. Where each standalone output lands, read on the tree as parsed (before anything moves).
  const standalone: { a: Action; host: Host | undefined; val: Val }[] = [];
  for (const a of actionsIn(ctx, docStart, docEnd)) {
    if (a.kind !== 'output' || !a.standalone) continue;
    const val = ctx.vals.get(a) ?? UNKNOWN;
    standalone.push({ a, host: findHost(doc, a, val, ctx), val });
  }
  // 2. Scalars written with actions in them.
  visit(doc, {
    Scalar(key, node, path) {
      const r = node.range;
      if (!r || r[0] < ctx.base) return undefined;
      const inside = actionsIn(ctx, r[0], Math.max(r[1], r[0] + 1)).filter((a) => ctx.base + a.start < r[1] || (r[0] === r[1] && ctx.base + a.start === r[0]));
      if (inside.length === 0) return undefined;
      const rawText = ctx.template.slice(r[0] - ctx.base, r[1] - ctx.base);
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      const unquoted = quoted ? rawText.slice(1, -1) : rawText;
      const outputs = inside.filter((a) => a.kind === 'output');
      const only = inside.length === 1 && outputs.length === 1 ? outputs[0] : undefined;
      const exact = only && ctx.template.slice(only.start, only.end) === unquoted.trim();
      const val = exact && only ? ctx.vals.get(only) : undefined;
      const parent = path[path.length - 1];
      const hostPair = key === 'value' && isPair(parent) ? (parent as Pair) : undefined;
      if (val && val.k === 'values' && val.node && only) {
        const v = val.node;
        if (isScalar(v) && !val.yaml) {
          const replacement = quoted || val.quoted ? Object.assign(new Scalar(v.value === null ? '' : String(v.value)), { range: v.range, type: 'QUOTE_DOUBLE' as const }) : v;
          ctx.grafts.push({ action: only, node: replacement as YNode, hostPair, valuesPair: val.pair });
          return replacement as Node;
        }
        if ((isMap(v) || isSeq(v)) && val.yaml && key === 'value') {
          ctx.grafts.push({ action: only, node: v, hostPair, valuesPair: val.pair });
          return v as Node;
        }
      }
      if (val && val.k === 'lit' && key === 'value') {
        node.value = quoted && val.value !== null ? String(val.value) : val.value;
        return undefined;
      }
      node.value = unquoted;
      ctx.unknownScalars.add(node);
      return undefined;
    },
  });
  // 3. Standalone outputs: graft what resolves, remember where the unknown ones land.
  for (const { a, host, val } of standalone) {
    if (!host) continue;
    if (val.k === 'include' && ctx.helpers.inert(val.name)) continue;
    const node = val.k === 'values' && val.yaml ? val.node : undefined;
    if (node && host.type === 'value' && (isMap(node) || isSeq(node) || isScalar(node))) {
      host.pair.value = node;
      ctx.grafts.push({ action: a, node, hostPair: host.pair, valuesPair: val.k === 'values' ? val.pair : undefined });
      continue;
    }
    if (node && host.type === 'entries' && isMap(host.coll) && isMap(node)) {
      host.coll.items.push(...(node.items as Pair[]));
      ctx.grafts.push({ action: a, node });
      continue;
    }
    if (node && host.type === 'entries' && isSeq(host.coll) && isSeq(node)) {
      host.coll.items.push(...node.items);
      ctx.grafts.push({ action: a, node });
      continue;
    }
    ctx.unknownHosts.add(host.type === 'value' ? host.pair : host.coll);
  }
}

// ---- From the combined model back to the two files --------------------------------------

const RELEVANT_KEYS = new Set(['securityContext', 'hostUsers', 'hostPID', 'hostIPC', 'hostNetwork']);

function containsUnknown(node: unknown, t: TemplateAnalysis, depth = 0): boolean {
  if (!node || depth > 32) return false;
  if (t.unknownHosts.has(node as object) || t.unknownScalars.has(node as object)) return true;
  if (isMap(node)) return node.items.some((p) => t.unknownHosts.has(p) || t.unknownScalars.has(p.key as object) || containsUnknown(p.value, t, depth + 1));
  if (isSeq(node)) return node.items.some((i) => containsUnknown(i, t, depth + 1));
  return false;
}

/** Whether something unknown could set a setting this container lacks (its own map, its securityContext, the pod's). */
export function uncertain(container: Container, t: TemplateAnalysis): boolean {
  const ref = container.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes') return true;
  for (const map of [ref.container, ref.pod]) {
    if (t.unknownHosts.has(map)) return true;
    for (const p of map.items) {
      if (t.unknownScalars.has(p.key as object)) return true;
      const key = isScalar(p.key) ? String(p.key.value) : '';
      if (!RELEVANT_KEYS.has(key)) continue;
      if (t.unknownHosts.has(p) || containsUnknown(p.value, t)) return true;
    }
  }
  return false;
}

/** Rules whose missing setting the pod's securityContext can also supply. */
const POD_LEVEL_RULES = new Set(['no-root-user', 'no-unconfined-seccomp']);

/** The values.yaml securityContext a container's missing setting would be written in: the container's, else (for pod-level settings) the pod's. */
function securityContextGraft(container: Container, ruleId: string, t: TemplateAnalysis): Graft | undefined {
  const ref = container.ref as KubernetesRef;
  const maps = POD_LEVEL_RULES.has(ruleId) ? [ref.container, ref.pod] : [ref.container];
  for (const map of maps) {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'securityContext');
    const graft = pair && t.grafts.find((g) => g.hostPair === pair);
    if (graft) return graft;
  }
  return undefined;
}

export interface MappedFinding {
  file: 'template' | 'values';
  /** For values findings: which values file (0 = values.yaml, then the extra files in order). */
  layer?: number;
  finding: Finding;
}

export interface MapOptions {
  templatePath: string;
  templateText: string;
  nonRootUid: number;
  /** 0-based line/character range of a template span, for related information in values.yaml findings. */
  templateRange(span: Span): RelatedInfo['range'];
}

/**
 * Places each finding of the combined model in the file that writes it: a value from
 * values.yaml on its values.yaml line (the template line as related information), a literal
 * of the template on the template line. A finding about a missing setting is dropped when
 * something unknown could set it, and moved to the values.yaml securityContext when that is
 * where the container's settings come from.
 */
export function mapFindings(t: TemplateAnalysis, findings: Finding[], opts: MapOptions): MappedFinding[] {
  const out: MappedFinding[] = [];
  const anchors = new Map<string, { container?: Container; workload: Workload }>();
  const key = (s: Span) => `${s.start}:${s.end}`;
  for (const w of t.parsed.workloads) {
    anchors.set(key(w.anchor), { workload: w });
    for (const c of w.containers) anchors.set(key(c.anchor), { container: c, workload: w });
  }
  const V = t.valuesLength;
  const B = t.base;
  const inTemplate = (s: Span) => s.start >= B && s.end >= B;
  const inValues = (s: Span) => s.start <= V && s.end <= V;
  const toTemplate = (s: Span): Span => ({ start: s.start - B, end: s.end - B });
  const pushValues = (finding: Finding) => {
    const layer = t.layers.findIndex((l) => l.start <= finding.span.start && finding.span.start <= l.end);
    if (layer < 0) return;
    out.push({ file: 'values', layer, finding: toLayer(finding, t, layer) });
  };
  for (const f of findings) {
    const at = anchors.get(key(f.span));
    if (at && f.ruleId !== 'parse-error' && f.ruleId !== 'skipped') {
      const containers = at.container ? [at.container] : at.workload.containers;
      if (containers.some((c) => uncertain(c, t))) continue;
      if (f.span.start < B) continue;
      // The anchor as written in the template (its value may come from values.yaml: `name: {{ .Values.name }}`).
      const anchor = inTemplate(f.span) ? toTemplate(f.span) : { start: f.span.start - B, end: lineEnd(t.combined, f.span.start) - B };
      const graft = at.container ? securityContextGraft(at.container, f.ruleId, t) : undefined;
      if (graft && graft.valuesPair) {
        const vp = graft.valuesPair;
        const ks = (vp.key as Node).range?.[0] ?? 0;
        const span = { start: ks, end: trimmedSpan(graft.node as Node, t.combined).end };
        const moved = relocate(f, span, t, 'values', [{ span: anchor, message: `${at.container!.label} in ${opts.templatePath}`, path: opts.templatePath, range: opts.templateRange(anchor) }]);
        addHardenedBlock(moved, graft, t, opts, at.container!);
        pushValues(moved);
        continue;
      }
      if (graft) continue;
      out.push({ file: 'template', finding: relocate(f, anchor, t, 'template', [], blockNote(t, anchor.start)) });
      continue;
    }
    if (inTemplate(f.span)) {
      const note = f.ruleId === 'skipped' || f.ruleId === 'parse-error' ? undefined : blockNote(t, f.span.start - B);
      out.push({ file: 'template', finding: relocate(f, toTemplate(f.span), t, 'template', [], note) });
    } else if (inValues(f.span)) {
      const g = graftAt(t, f.span.start);
      const related = g ? [usedBy(g, opts)] : [];
      pushValues(relocate(f, f.span, t, 'values', related, g ? blockNote(t, g.action.start, true) : undefined));
    } else if (f.span.start >= B && f.span.end <= V) {
      // A template key with a values.yaml value (`runAsUser: {{ .Values.uid }}`): the value, in values.yaml.
      const g = graftAt(t, f.span.end);
      if (!g || !g.node.range) continue;
      pushValues(relocate(f, { start: g.node.range[0], end: f.span.end }, t, 'values', [usedBy(g, opts)], blockNote(t, g.action.start, true)));
    }
  }
  return out;
}

/**
 * A values finding in its own file's offsets. Its fixes keep only edits inside that file; with
 * extra values files only removals (a merged map has no single place to add to).
 */
function toLayer(f: Finding, t: TemplateAnalysis, layer: number): Finding {
  const { start, end } = t.layers[layer];
  // Not a spread of `f`: that would read its lazy fixes now.
  const { ruleId, severity, message, detail } = f;
  const out: FindingWithoutFixes = { ruleId, severity, message, span: { start: f.span.start - start, end: f.span.end - start } };
  if (detail !== undefined) out.detail = detail;
  if (f.related) out.related = f.related.map((r) => (r.path === undefined ? { ...r, span: { start: r.span.start - start, end: r.span.end - start } } : r));
  return withLazyFixes(out, () =>
    f.fixes.flatMap((fix) => {
      if (fix.edits.some((e) => e.start < start || e.end > end || (t.layers.length > 1 && e.text !== ''))) return [];
      return [{ ...fix, edits: fix.edits.map((e) => ({ ...e, start: e.start - start, end: e.end - start })) }];
    }),
  );
}

type FindingWithoutFixes = Omit<Finding, 'fixes'>;

/**
 * The finding with fixes computed on first read (a relocated finding's edits are mapped only when
 * someone asks), through the engine's shared getter (lazy-property.ts: a getter made per finding
 * gave each its own hidden class, which kept what the closure held alive).
 */
function withLazyFixes(out: FindingWithoutFixes, compute: () => Fix[]): Finding {
  (out as unknown as Record<symbol, unknown>)[THUNK_FIXES.value] = compute;
  return makeLazy<Finding>(out, THUNK_FIXES);
}

function usedBy(g: Graft, opts: MapOptions): RelatedInfo {
  const span = { start: g.action.start, end: g.action.end };
  return { span, message: `used here: ${opts.templateText.slice(g.action.start, g.action.end)}`, path: opts.templatePath, range: opts.templateRange(span) };
}

function nodeHolds(node: object, offset: number): boolean {
  const n = isPair(node) ? ((node as Pair).key as Node | null) : (node as Node);
  const start = n?.range?.[0];
  const end = isPair(node) ? (((node as Pair).value as Node | null)?.range?.[2] ?? n?.range?.[2]) : n?.range?.[2];
  return start !== undefined && end !== undefined && start <= offset && offset <= end;
}

function mergedHolds(node: unknown, offset: number, depth: number): boolean {
  if (!isMap(node) || depth > 16) return false;
  return node.items.some((p) => {
    const k = (p.key as Node | null)?.range;
    const v = p.value as Node | null;
    if (k && k[0] <= offset && offset <= (v?.range?.[2] ?? k[2])) return true;
    return !v?.range && mergedHolds(v, offset, depth + 1);
  });
}

/** The innermost grafted node that holds a values.yaml offset. */
function graftAt(t: TemplateAnalysis, offset: number): Graft | undefined {
  let best: Graft | undefined;
  for (const g of t.grafts) {
    const r = g.node.range;
    if (!r) {
      // A map merged from several values files: it holds the offset when one of its pairs does.
      if (!best && mergedHolds(g.node, offset, 0)) best = g;
      continue;
    }
    if (r[0] > offset || offset > r[2]) continue;
    if (!best || r[2] - r[0] < best.node.range![2] - best.node.range![0]) best = g;
  }
  return best;
}

/** `(in {{ if .Values.debug }}: present only when it renders)` for a template finding inside a control block. */
/** Where a finding sits in a conditional block: a few words for the message, the whole story for the detail. */
interface BlockNote {
  short: string;
  long: string;
}

function blockNote(t: TemplateAnalysis, offset: number, skipWith = false): BlockNote | undefined {
  let inner: Block | undefined;
  for (const b of t.blocks) {
    if (b.open.kind === 'define' || b.open.kind === 'block' || (skipWith && b.open.kind === 'with')) continue;
    if (b.open.end <= offset && (!b.close || offset < b.close.start)) inner = b;
  }
  if (!inner) return undefined;
  const cond = `{{ ${inner.open.body.length > 80 ? `${inner.open.body.slice(0, 79)}…` : inner.open.body} }}`;
  let where = `inside ${cond}`;
  let byDefault = inner.byDefault;
  if (inner.elseAt && offset >= inner.elseAt.end) {
    where = `in the {{ ${inner.elseAt.body} }} branch of ${cond}`;
    byDefault = inner.elseAt.body === 'else' && byDefault !== undefined ? !byDefault : undefined;
  }
  if (byDefault === false) return { short: ' (in a block off by default)', long: `It sits ${where}, which the chart's default values leave out: it applies only when a user's values turn it on.` };
  if (byDefault === true) return { short: ' (in a block on by default)', long: `It sits ${where}, rendered with the chart's default values.` };
  return { short: ' (in a block: rendering decides)', long: `It sits ${where}: it applies only when that renders, which depends on values the tool cannot resolve.` };
}

/** A copy of the finding in one file's offsets; its fixes keep only edits wholly in that file (and, in a template, outside every action). */
function relocate(f: Finding, span: Span, t: TemplateAnalysis, file: 'template' | 'values', related: RelatedInfo[], note?: BlockNote): Finding {
  const own = (f.related ?? []).filter((r) => r.path === undefined).flatMap((r) => {
    if (file === 'template' && r.span.start >= t.base) return [{ ...r, span: { start: r.span.start - t.base, end: r.span.end - t.base } }];
    if (file === 'values' && r.span.end <= t.valuesLength) return [r];
    return [];
  });
  // The block note must not push the message past its length: the names in it give way, step by step.
  const suffix = note?.short ?? '';
  // (the short notes all read ` (in a block …)`)
  const steps = [(m: string) => clipNames(m), withoutContainerWord, (m: string) => clipNames(m, 10, 16)];
  let message = f.message;
  for (const step of steps) if (message.length + suffix.length > MESSAGE_MAX_LENGTH) message = step(message);
  // Last, the note itself keeps only its verdict: "(off by default)".
  message += message.length + suffix.length > MESSAGE_MAX_LENGTH ? suffix.replace(/^ \(in a block:? /, ' (') : suffix;
  const out: FindingWithoutFixes = { ruleId: f.ruleId, severity: f.severity, message, span };
  const detail = note ? [note.long, f.detail].filter((d) => d !== undefined).join('\n') : f.detail;
  if (detail !== undefined) out.detail = detail;
  const all = [...own, ...related, ...(f.related ?? []).filter((r) => r.path !== undefined)];
  if (all.length > 0) out.related = all;
  return withLazyFixes(out, () =>
    f.fixes.flatMap((fix) => {
      const edits = mapEdits(fix.edits, t, file);
      return edits ? [{ ...fix, edits }] : [];
    }),
  );
}

function mapEdits(edits: Edit[], t: TemplateAnalysis, file: 'template' | 'values'): Edit[] | undefined {
  const out: Edit[] = [];
  for (const e of edits) {
    if (e.start > e.end) return undefined;
    if (file === 'values') {
      if (e.start > t.valuesLength || e.end > t.valuesLength) return undefined;
      out.push(e);
      continue;
    }
    if (e.start < t.base) return undefined;
    // Text added where an unknown action also writes (`{{ include … }}` in the same map) could repeat a key it writes.
    if (e.text !== '' && [...t.unknownHosts].some((h) => nodeHolds(h, e.start))) return undefined;
    const s = e.start - t.base;
    const en = e.end - t.base;
    if (t.scan.actions.some((a) => s < a.end && a.start < en) || t.scan.actions.some((a) => s === en && a.start < s && s < a.end)) return undefined;
    out.push({ start: s, end: en, text: e.text });
  }
  return out;
}

/**
 * `securityContext: {}` in values.yaml: offer (as a suggestion, never applied by --fix) the
 * hardened block in the file's indentation, for a container's securityContext.
 */
function addHardenedBlock(f: Finding, graft: Graft, t: TemplateAnalysis, opts: MapOptions, container: Container): void {
  const node = graft.node;
  const ref = container.ref as KubernetesRef;
  const pod = graft.hostPair ? ref.pod.items.includes(graft.hostPair as never) : false;
  if (!isMap(node) || node.items.length > 0 || !(node as { flow?: boolean }).flow || !node.range || !graft.valuesPair) return;
  const text = t.combined;
  const keyStart = (graft.valuesPair.key as Node).range?.[0] ?? 0;
  const col = keyStart - lineStart(text, keyStart);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const layer = t.layers.find((l) => l.start <= keyStart && keyStart <= l.end);
  if (!layer) return;
  const step = indentStep(text.slice(layer.start, layer.end));
  const pad = (n: number) => ' '.repeat(col + n * step);
  const lines = pod
    ? [`${pad(1)}runAsNonRoot: true`, `${pad(1)}runAsUser: ${opts.nonRootUid}`, `${pad(1)}seccompProfile:`, `${pad(2)}type: RuntimeDefault`]
    : [
        `${pad(1)}allowPrivilegeEscalation: false`,
        `${pad(1)}capabilities:`,
        `${pad(2)}drop:`,
        `${pad(2)}${seqPad(text.slice(layer.start, layer.end), step)}- ALL`,
        `${pad(1)}readOnlyRootFilesystem: true`,
        `${pad(1)}runAsNonRoot: true`,
        `${pad(1)}runAsUser: ${opts.nonRootUid}`,
        `${pad(1)}seccompProfile:`,
        `${pad(2)}type: RuntimeDefault`,
      ];
  const colon = text.lastIndexOf(':', node.range[0]);
  const end = trimmedSpan(node, t.combined).end;
  if (colon < keyStart) return;
  const fix: Fix = {
    title: pod
      ? `Replace ${text.slice(keyStart, end)} in values.yaml with runAsNonRoot, runAsUser: ${opts.nonRootUid} and the RuntimeDefault seccomp profile`
      : `Replace ${text.slice(keyStart, end)} in values.yaml with a hardened securityContext (no privilege escalation, drop ALL capabilities, read-only root filesystem, non-root uid ${opts.nonRootUid}, RuntimeDefault seccomp)`,
    edits: [{ start: colon + 1, end, text: lines.map((l) => `${eol}${l}`).join('') }],
    kind: 'suggestion',
    check: 'that the container runs with every capability dropped, a read-only root filesystem and a non-root uid (a writable path needs an emptyDir volume)',
  };
  const current = f.fixes;
  f.fixes = [...current, fix];
}

function indentStep(text: string): number {
  const m = /^([A-Za-z_][^:\n#]*):[ \t]*(?:#[^\n]*)?\r?\n([ \t]+)[A-Za-z_"']/m.exec(text);
  const n = m ? m[2].length : 2;
  return n > 0 && n <= 8 ? n : 2;
}

/** `- ` under a key at the key's column (0) or indented (the step), as values.yaml writes its lists. */
function seqPad(text: string, step: number): string {
  const m = /^([ \t]*)[A-Za-z_][^:\n#]*:[ \t]*\r?\n([ \t]*)- /m.exec(text);
  if (!m) return ' '.repeat(step);
  return m[2].length > m[1].length ? ' '.repeat(step) : '';
}

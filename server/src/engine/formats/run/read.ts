/**
 * `docker run|create`, `podman run|create`, `nerdctl run|create` and `docker compose run`
 * command lines → the model, one workload per command, from:
 * - shell scripts (`*.sh`, `*.bash`, a shell shebang);
 * - Makefile recipes (make's `$(VAR)` references are unknown, `$$` is the shell's `$`);
 * - GitHub Actions workflows: the commands of `run:` steps, and the docker create flags of
 *   `jobs.*.container.options` and `jobs.*.services.*.options`;
 * - GitLab CI: the commands of `script:`, `before_script:` and `after_script:`.
 * Each piece of shell is rebuilt as text with a map back to the file, parsed by the shell
 * parser, and its flags read with the shared run-flag table. Positions are the file's own,
 * inside YAML block scalars and across line continuations.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, Scalar } from 'yaml';
import type { Container, Located, Span, UserSetting, Workload } from '../../model';
import type { Adapter, AdapterProblem, KeptResults, ParsedFile, PlacedDocument } from '../../adapters/types';
import { PlacedWriter } from '../../adapters/placed-writer';
import { defineDocumentWorkloads } from '../../lazy-property';
import { DIRECTIVE } from '../../suppress';
import { readRunFlags } from '../run-flags';
import { confinementOf, runFields, userVerdict, wordText } from '../run-model';
import type { Word } from '../run-model';
import { parseShell } from './shell';
import type { ShellParse, ShellUnit, ShellWord } from './shell';
import { runWriter } from './write';
import { trimEndChars } from '../../text';
import { assignConfinement } from '../../adapters/boundary';

export type RunSource = 'shell' | 'make' | 'github' | 'gitlab';

/** The writer's handle on one command. */
export interface RunCommandRef {
  format: 'run';
  text: string;
  /** Where new flags go: right after the subcommand word (` --cap-drop=ALL`), or before the first option word. */
  insert?: { at: number; before: boolean };
}

function baseName(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

function normalize(path: string): string {
  let p = path.replace(/\\/g, '/');
  if (/^file:\/\//i.test(p)) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      /* keep as is */
    }
  }
  return p;
}

export function runSourceOf(path: string): RunSource | undefined {
  const p = normalize(path);
  const name = baseName(p);
  if (/\.(sh|bash)$/.test(name)) return 'shell';
  if (/^(GNUmakefile|[Mm]akefile)$/.test(name) || /\.mk$/.test(name)) return 'make';
  if (/(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) return 'github';
  if (/^\.gitlab-ci\.ya?ml$/.test(name)) return 'gitlab';
  return undefined;
}

/** A shell shebang (`#!/bin/sh`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`…). */
export function hasShellShebang(text: string): boolean {
  if (!text.startsWith('#!')) return false;
  const end = text.indexOf('\n');
  const words = text.slice(2, end < 0 ? Math.min(text.length, 200) : Math.min(end, 200)).trim().split(/[ \t]+/);
  let program = baseName(words[0] ?? '');
  // `env [-flags] [VAR=value…] shell`
  for (let i = 1; program === 'env' && i < words.length; i++) {
    const w = words[i] ?? '';
    if (!w.startsWith('-') && !w.includes('=')) program = baseName(w);
  }
  return ['sh', 'bash', 'dash', 'ksh', 'zsh', 'ash', 'mksh'].includes(program);
}

/** Shell text rebuilt from pieces of the file, with each character's offset in the file. */
class ShellText {
  text = '';
  map: number[] = [];
  /** Appends text[from, to) of the file. */
  copy(file: string, from: number, to: number): void {
    this.text += file.slice(from, to);
    for (let i = from; i < to; i++) this.map.push(i);
  }
  /** Appends `s`, every character of it mapped to `at`. */
  put(s: string, at: number): void {
    this.text += s;
    for (let i = 0; i < s.length; i++) this.map.push(at);
  }
}

/** A word of the shell text → a word of the file: verbatim only when it is contiguous there. */
function fileWord(w: ShellWord, st: ShellText | undefined): Word {
  if (!st) {
    const word: Word = { value: w.value, span: { start: w.start, end: w.end } };
    if (w.verbatimStart !== undefined) word.verbatimStart = w.verbatimStart;
    return word;
  }
  const at = (i: number): number => st.map[Math.min(i, st.map.length - 1)] ?? 0;
  const span = { start: at(w.start), end: at(Math.max(w.start, w.end - 1)) + 1 };
  const word: Word = { value: w.value, span };
  if (w.verbatimStart !== undefined && w.value !== undefined) {
    const a = w.verbatimStart;
    let contiguous = true;
    for (let k = a + 1; k < a + w.value.length; k++) if (at(k) !== at(k - 1) + 1) contiguous = false;
    if (contiguous) word.verbatimStart = w.value.length > 0 ? at(a) : span.start;
  }
  return word;
}

/**
 * Commands that run the command after their own options: the options that take a value (as a
 * separate word; `-uroot` and `--user=root` are one word either way), how many operands come
 * before the command (`timeout 60 docker run …`), whether `NAME=value` words may come first
 * (`env A=1`, `sudo A=1`), and the options that make it not run the command at all
 * (`command -v docker` only prints where docker is).
 */
interface Wrapper {
  values: ReadonlySet<string>;
  operands?: number;
  assignments?: boolean;
  noRun?: ReadonlySet<string>;
  /** Runs the command as root (rootful engine). */
  root?: boolean;
}

const WRAPPERS: ReadonlyMap<string, Wrapper> = new Map<string, Wrapper>([
  ['sudo', { values: new Set(['-u', '-g', '-C', '-h', '-p', '-U', '-r', '-t', '-D', '-R', '-T', '--user', '--group', '--close-from', '--host', '--prompt', '--other-user', '--role', '--type', '--chdir', '--chroot', '--command-timeout']), assignments: true, root: true }],
  ['doas', { values: new Set(['-u', '-C']), root: true }],
  ['env', { values: new Set(['-u', '-C', '--unset', '--chdir']), assignments: true }],
  ['exec', { values: new Set(['-a']) }],
  ['command', { values: new Set(), noRun: new Set(['-v', '-V']) }],
  ['nohup', { values: new Set() }],
  ['time', { values: new Set(['-f', '-o', '--format', '--output']) }],
  ['xargs', { values: new Set(['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a', '--max-args', '--max-procs', '--replace', '--delimiter', '--arg-file', '--max-lines', '--max-chars', '--eof', '--process-slot-var']) }],
  ['timeout', { values: new Set(['-s', '-k', '--signal', '--kill-after']), operands: 1 }],
  ['nice', { values: new Set(['-n', '--adjustment']) }],
  ['ionice', { values: new Set(['-c', '-n', '--class', '--classdata']) }],
  ['stdbuf', { values: new Set(['-i', '-o', '-e']) }],
  ['setsid', { values: new Set() }],
]);
const ENGINES = new Set(['docker', 'podman', 'nerdctl', 'docker-compose', 'podman-compose']);
/** Global flags of the engines and of `compose` that take a value. */
const GLOBAL_VALUE = new Set([
  '-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--url', '--connection', '--root', '--runroot',
  '--storage-driver', '-n', '--namespace', '--address', '-a', '--cgroup-manager', '--identity', '--tlscacert', '--tlscert', '--tlskey',
  '-f', '--file', '-p', '--project-name', '--profile', '--env-file', '--project-directory', '--parallel', '--ansi', '--progress',
]);

interface RunCommand {
  engine: string;
  /** Run through sudo or doas: the engine runs as root (rootful). */
  sudo: boolean;
  /** `run`, `create`, `compose run`. */
  verb: string;
  /** The subcommand word (`run`, `create`). */
  verbWord: Word;
  /** Index of the first flag. */
  args: number;
  /** The engine word. */
  engineWord: Word;
}

/** The container command a simple command starts, if it is one. */
function recognise(words: Word[]): RunCommand | undefined {
  let i = 0;
  let sudo = false;
  for (let wrapper = WRAPPERS.get(baseName(words[i]?.value ?? '')); wrapper; wrapper = WRAPPERS.get(baseName(words[i]?.value ?? ''))) {
    if (wrapper.root) sudo = true;
    i++;
    while (i < words.length) {
      const v = words[i]?.value;
      if (v === undefined) return undefined;
      if (v === '--') {
        i++;
        break;
      }
      if (wrapper.noRun?.has(v)) return undefined;
      if (v.startsWith('-') && v.length > 1) i += wrapper.values.has(v) ? 2 : 1;
      else if (wrapper.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(v)) i++;
      else break;
    }
    i += wrapper.operands ?? 0;
  }
  const engineWord = words[i];
  const engine = baseName(engineWord?.value ?? '');
  if (!engineWord || !ENGINES.has(engine)) return undefined;
  i++;
  const skipGlobals = () => {
    while (i < words.length) {
      const v = words[i]?.value;
      if (v === undefined || !v.startsWith('-')) break;
      i += GLOBAL_VALUE.has(v) ? 2 : 1;
    }
  };
  skipGlobals();
  let verb = words[i]?.value;
  let compose = engine === 'docker-compose' || engine === 'podman-compose';
  if (!compose && verb === 'compose') {
    compose = true;
    i++;
    skipGlobals();
    verb = words[i]?.value;
  } else if (!compose && verb === 'container') {
    i++;
    verb = words[i]?.value;
  }
  const verbWord = words[i];
  if (!verbWord) return undefined;
  if (compose ? verb !== 'run' : verb !== 'run' && verb !== 'create') return undefined;
  return { engine: compose ? `${engine === 'docker-compose' ? 'docker-compose' : `${engine} compose`}` : engine, verb: verb ?? 'run', verbWord, args: i + 1, engineWord, sudo };
}

/** The 1-based line of an offset (a binary search over the line starts, made once per file). */
function lineOf(b: Builder, offset: number): number {
  if (!b.lineStarts) {
    b.lineStarts = [0];
    for (let i = b.text.indexOf('\n'); i >= 0; i = b.text.indexOf('\n', i + 1)) b.lineStarts.push(i + 1);
  }
  const starts = b.lineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

interface Builder {
  text: string;
  workloads: Workload[];
  problems: AdapterProblem[];
  lineStarts?: number[];
  /** Lines before `text` in the file (a shell script's chunk). */
  lineBase?: number;
  /** The shell parse of the file's earlier version (an editor's keystroke), and this version's. */
  previousShell?: ShellParse;
  shell?: ShellParse;
}

/** What the next version's parse may reuse: the script's (or the Makefile's recipes') shell parse. */
class RunState {
  constructor(readonly shell: ShellParse) {}
}

/** One container from run flags: a command line, or GitHub's `options:` (flags only). */
function addContainer(b: Builder, words: Word[], flagsFrom: number, opts: { field: string; label: string; name: string; anchor: Span; image?: Located<string>; stopAtPositional: boolean; insert?: RunCommandRef['insert']; sudo?: boolean }): void {
  const rest = words.slice(flagsFrom);
  const flags = readRunFlags(rest, wordText, { stopAtPositional: opts.stopAtPositional });
  const fields = runFields(flags, opts.field);
  const conf = confinementOf(fields.securityOpt);
  let image = opts.image;
  const imageWord = opts.stopAtPositional ? rest[flags.end] : undefined;
  if (!image && imageWord?.value !== undefined) image = { value: imageWord.value, span: imageWord.span, valueSpan: imageWord.span, field: 'image' };
  fields.hints.command = rest.slice(flags.end + 1).map((w) => w.value ?? '').join(' ');
  let user: UserSetting = { verdict: 'unset', how: `no --user on the command line: the image's user applies (root unless the image sets another)` };
  if (fields.user) {
    const verdict = userVerdict(fields.user.value);
    user = { verdict, at: fields.user, how: `--user ${fields.user.value}` };
  }
  const ref: RunCommandRef = { format: 'run', text: b.text };
  if (opts.insert) ref.insert = opts.insert;
  const container: Container = {
    kind: 'run',
    name: opts.name,
    label: opts.label,
    anchor: opts.anchor,
    privileged: fields.privileged,
    noNewPrivileges: fields.noNewPrivileges,
    supportsNoNewPrivileges: true,
    user,
    capAdd: fields.capAdd,
    capDrop: fields.capDrop,
    securityOpt: fields.securityOpt,
    hints: fields.hints,
    unmasked: conf.unmasked,
    mounts: fields.mounts,
    devices: fields.devices,
    deviceCgroupRules: fields.deviceCgroupRules,
    hostPorts: [],
    probeHosts: [],
    ref,
  };
  if (image) container.image = image;
  if (fields.readOnlyRootFilesystem) container.readOnlyRootFilesystem = fields.readOnlyRootFilesystem;
  assignConfinement(container, conf);
  const workload: Workload = { kind: 'run', name: opts.name, anchor: opts.anchor, containers: [container], hostNamespaces: fields.hostNamespaces, sysctls: [], volumeTypes: [], unmountedHostPaths: [], ref };
  const userns = fields.hostNamespaces.length === 0 ? rest.slice(0, flags.end).map((w) => w.value ?? '') : [];
  const k = userns.findIndex((a) => a === '--userns' || a.startsWith('--userns='));
  const mode = k < 0 ? '' : userns[k]?.includes('=') ? (userns[k] ?? '').slice(9) : (userns[k + 1] ?? '');
  if (/^auto(:|$)/.test(mode)) workload.userNamespace = { own: true, how: `--userns=${mode}: an own user namespace` };
  else if (opts.sudo) workload.userNamespace = { own: false, how: 'run with sudo: the engine runs as root' };
  b.workloads.push(workload);
}

/** Reads every run command of a piece of shell. `st`: the shell text's map to the file (none: the file itself). */
function readShell(b: Builder, shellText: string, st: ShellText | undefined, parsedAlready?: ShellParse): void {
  const parsed = parsedAlready ?? parseShell(shellText, b.previousShell);
  b.shell = parsed;
  if (parsed.error) {
    const at = st ? (st.map[Math.min(parsed.error.offset, st.map.length - 1)] ?? 0) : parsed.error.offset;
    // The shell may well accept what this parser does not (it reads POSIX sh and bash): say so, as information.
    b.problems.push({ ruleId: 'skipped', severity: 'info', message: 'Not analysed: the shell parser stops here, so this script\'s run commands are not read', detail: `The shell parser (mvdan-sh) stops here: ${parsed.error.message}. The run commands of this script are not read; a script the parser reads is.`, span: { start: at, end: Math.min(at + 1, b.text.length) } });
    return;
  }
  for (const cmd of parsed.commands) readCommand(b, cmd.map((w) => fileWord(w, st)));
}

/** One simple command's words: a workload when it runs a container. */
function readCommand(b: Builder, words: Word[]): void {
  const run = recognise(words);
  if (!run) return;
  const line = lineOf(b, run.engineWord.span.start) + (b.lineBase ?? 0);
  const what = `${run.engine} ${run.verb}`;
  const anchor = { start: run.engineWord.span.start, end: run.verbWord.span.end };
  const insert = run.verbWord.verbatimStart !== undefined ? { at: run.verbWord.span.end, before: false } : undefined;
  addContainer(b, words, run.args, { field: what, label: `the ${what} command on line ${line}`, name: `${what} (line ${line})`, anchor, stopAtPositional: true, sudo: run.sudo, ...(insert ? { insert } : {}) });
}

/**
 * What one chunk of a shell script reads as (its workloads, in offsets relative to the chunk) and
 * what the engine keeps for it (its findings), made for the line the chunk starts on: messages
 * name the command's line, so a chunk an edit moved to another line is read again.
 */
interface ChunkModel {
  line: number;
  workloads: Workload[];
  cache: KeptResults;
}

/** Kept per chunk: a later version of the script that keeps the chunk (same text) keeps the unit. */
const chunkModels = new WeakMap<ShellUnit, ChunkModel>();

/**
 * A shell script that parses, read in parts, one per chunk of top-level statements (shell.ts): an
 * edit reads again, and the engine runs the rules again on, only the chunks it touched (or moved
 * to another line), as for the documents of a YAML stream.
 */
function scriptParts(text: string, shell: ShellParse): ParsedFile | undefined {
  const chunks = shell.reuse?.chunks;
  if (!chunks) return undefined;
  const lines: Builder = { text, workloads: [], problems: [] };
  const documents: PlacedDocument[] = [];
  for (const chunk of chunks) {
    const line = lineOf(lines, chunk.start);
    let model = chunkModels.get(chunk.unit);
    if (!model || model.line !== line) {
      const b: Builder = { text: text.slice(chunk.start, chunk.end), workloads: [], problems: [], lineBase: line - 1 };
      for (const cmd of chunk.unit.commands) readCommand(b, cmd.map((w) => fileWord(w, undefined)));
      model = { line, workloads: b.workloads, cache: { key: undefined, value: undefined } };
      chunkModels.set(chunk.unit, model);
    }
    if (model.workloads.length === 0) continue;
    documents.push({ start: chunk.start, end: chunk.end, workloads: model.workloads, problems: [], writer: runWriter, cache: model.cache, directives: false });
  }
  const parsed = { kind: 'run', problems: [], writer: new PlacedWriter(documents), commentPrefix: '#', documents, fileProblems: [], mayHaveDirectives: text.includes(`${DIRECTIVE}-disable`), reusable: new RunState(shell) } as Omit<ParsedFile, 'workloads'> as ParsedFile;
  defineDocumentWorkloads(parsed);
  return parsed;
}

// ---- Makefiles ----------------------------------------------------------------------------

/**
 * The recipes of a Makefile as shell text: each recipe line (a line starting with a tab) with
 * its continuation lines, the `@`/`-`/`+` prefixes dropped, make's own `$(…)`, `${…}` and `$X`
 * references made unknown (`${__make__}`), and `$$` read as the shell's `$`.
 */
function makeRecipes(text: string): ShellText {
  const st = new ShellText();
  let i = 0;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    const lineEnd = end > i && text[end - 1] === '\r' ? end - 1 : end;
    // A recipe line starts with a tab (make's default .RECIPEPREFIX).
    if (text[i] === '\t') {
      // The first line: the tab and the prefixes go.
      let s = i + 1;
      while (s < lineEnd && (text[s] === '@' || text[s] === '-' || text[s] === '+' || text[s] === ' ' || text[s] === '\t')) s++;
      let from = s;
      let lineStop = lineEnd;
      for (;;) {
        copyMake(st, text, from, lineStop);
        // An odd number of backslashes at the end continues the line.
        let n = 0;
        while (lineStop - n - 1 >= from && text[lineStop - n - 1] === '\\') n++;
        if (n % 2 === 0 || lineStop >= text.length) break;
        st.put('\n', lineStop);
        const nextStart = (text.indexOf('\n', lineStop) < 0 ? text.length : text.indexOf('\n', lineStop)) + 1;
        if (nextStart > text.length) break;
        let nextEnd = text.indexOf('\n', nextStart);
        if (nextEnd < 0) nextEnd = text.length;
        const nextLineEnd = nextEnd > nextStart && text[nextEnd - 1] === '\r' ? nextEnd - 1 : nextEnd;
        from = text[nextStart] === '\t' ? nextStart + 1 : nextStart;
        lineStop = nextLineEnd;
        end = nextEnd;
      }
      st.put('\n', lineStop);
    }
    i = end + 1;
  }
  return st;
}

/** Copies a recipe line, turning make references into unknown shell words. */
function copyMake(st: ShellText, text: string, from: number, to: number): void {
  let k = from;
  let copied = from;
  while (k < to) {
    if (text[k] !== '$') {
      k++;
      continue;
    }
    st.copy(text, copied, k);
    const next = text[k + 1];
    if (next === '$') {
      st.copy(text, k, k + 1);
      k += 2;
    } else if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      let depth = 0;
      let e = k + 1;
      for (; e < to; e++) {
        if (text[e] === next) depth++;
        else if (text[e] === close && --depth === 0) break;
      }
      st.put('${__make__}', k);
      k = Math.min(e + 1, to);
    } else {
      st.put('${__make__}', k);
      k += next === undefined ? 1 : 2;
    }
    copied = k;
  }
  st.copy(text, copied, to);
}

// ---- YAML (GitHub Actions, GitLab CI) -----------------------------------------------------

/**
 * A YAML string scalar as shell text mapped to the file: plain and quoted one-line scalars
 * and literal block scalars (`run: |`) exactly; anything else with every character mapped to
 * the scalar's start (findings there, no fixes). GitHub's `${{ … }}` expressions become unknown.
 */
function scalarShell(text: string, node: Scalar, github: boolean): { st: ShellText; exact: boolean } | undefined {
  if (typeof node.value !== 'string' || !node.range) return undefined;
  const value = node.value;
  const [start, valueEnd] = node.range;
  const st = new ShellText();
  let exact = false;
  const raw = text.slice(start, valueEnd);
  if (node.type === 'PLAIN' && raw === value) {
    st.copy(text, start, valueEnd);
    exact = true;
  } else if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && raw.length === value.length + 2 && raw.slice(1, -1) === value) {
    st.copy(text, start + 1, valueEnd - 1);
    exact = true;
  } else if (node.type === 'BLOCK_LITERAL') {
    exact = literalBlock(text, start, valueEnd, value, st);
  }
  if (!exact) {
    const coarse = new ShellText();
    coarse.put(value, start);
    return { st: github ? replaceExpressions(coarse) : coarse, exact: false };
  }
  return { st: github ? replaceExpressions(st) : st, exact: true };
}

/**
 * A YAML string scalar's value with the file offset of each of its characters, when every
 * character maps exactly (plain, quoted as written, literal block): what a reader of text
 * embedded in YAML (a `run:` step, a Kustomize inline patch) needs to place what it finds.
 */
export function scalarTextMap(text: string, node: Scalar): { text: string; map: number[] } | undefined {
  const s = scalarShell(text, node, false);
  return s && s.exact ? { text: s.st.text, map: s.st.map } : undefined;
}

/** Maps a literal block scalar's lines (indentation stripped) to the file; false when the rebuilt text is not the value. */
function literalBlock(text: string, start: number, end: number, value: string, st: ShellText): boolean {
  let i = text.indexOf('\n', start);
  if (i < 0) return false;
  i++;
  const header = text.slice(start, i);
  const explicit = /[1-9]/.exec(header);
  let indent = -1;
  while (i < end) {
    let e = text.indexOf('\n', i);
    if (e < 0 || e > end) e = end;
    const lineEnd = e > i && text[e - 1] === '\r' ? e - 1 : e;
    let sp = 0;
    while (i + sp < lineEnd && text[i + sp] === ' ') sp++;
    if (indent < 0 && i + sp < lineEnd) indent = explicit ? sp - (sp - Number(explicit[0])) : sp;
    if (i + sp >= lineEnd && (indent < 0 || sp <= indent)) st.put('\n', lineEnd);
    else {
      st.copy(text, i + Math.max(indent, 0), lineEnd);
      st.put('\n', lineEnd);
    }
    i = e + 1;
  }
  // Chomping only changes trailing line breaks.
  return trimEndChars(st.text, '\n') === trimEndChars(value, '\n');
}

/** `${{ expr }}` → `${__expr__}` (unknown), mapped to where the expression is written. */
function replaceExpressions(st: ShellText): ShellText {
  if (!st.text.includes('${{')) return st;
  const out = new ShellText();
  let k = 0;
  while (k < st.text.length) {
    const open = st.text.indexOf('${{', k);
    if (open < 0) break;
    const close = st.text.indexOf('}}', open + 3);
    if (close < 0) break;
    for (let j = k; j < open; j++) out.put(st.text[j] ?? '', st.map[j] ?? 0);
    out.put('${__expr__}', st.map[open] ?? 0);
    k = close + 2;
  }
  for (let j = k; j < st.text.length; j++) out.put(st.text[j] ?? '', st.map[j] ?? 0);
  return out;
}

function get(node: unknown, key: string): YamlNode | undefined {
  return isMap(node) ? (node.get(key, true) as YamlNode | undefined) : undefined;
}

function readGithub(b: Builder, doc: ReturnType<typeof parseDocument>): void {
  const jobs = get(doc.contents, 'jobs');
  if (!isMap(jobs)) return;
  for (const pair of jobs.items) {
    const jobName = isScalar(pair.key) ? String(pair.key.value) : 'job';
    const job = pair.value;
    const container = get(job, 'container');
    if (isMap(container)) readOptions(b, container, `the container of job "${jobName}"`, `${jobName} container`);
    const services = get(job, 'services');
    if (isMap(services)) {
      for (const s of services.items) {
        if (isMap(s.value)) readOptions(b, s.value, `service "${isScalar(s.key) ? String(s.key.value) : ''}" of job "${jobName}"`, `${jobName} service ${isScalar(s.key) ? String(s.key.value) : ''}`);
      }
    }
    const steps = get(job, 'steps');
    if (!isSeq(steps)) continue;
    for (const step of steps.items) {
      const run = get(step, 'run');
      if (isScalar(run) && isPosixShell(get(step, 'shell') ?? get(get(get(job, 'defaults'), 'run'), 'shell') ?? get(get(get(doc.contents, 'defaults'), 'run'), 'shell'), get(job, 'runs-on'))) readScalar(b, run, true);
    }
  }
}

/** A step runs in sh or bash: its `shell:` (or the defaults') says so, or none is set and the runner is not Windows (where it is PowerShell). */
function isPosixShell(shell: YamlNode | undefined, runsOn: YamlNode | undefined): boolean {
  if (isScalar(shell)) return /^(bash|sh)(\s|$)/.test(String(shell.value).trim());
  const runner = isScalar(runsOn) ? String(runsOn.value) : isSeq(runsOn) ? runsOn.items.map((i) => (isScalar(i) ? String(i.value) : '')).join(' ') : '';
  return !/windows/i.test(runner);
}

function readScalar(b: Builder, node: Scalar, github: boolean): void {
  const s = scalarShell(b.text, node, github);
  if (!s) return;
  const before = b.workloads.length;
  readShell(b, s.st.text, s.st);
  if (!s.exact) {
    // Positions inside a folded or escaped scalar are not exact: report on the scalar, offer no edit.
    for (const w of b.workloads.slice(before)) for (const c of w.containers) (c.ref as RunCommandRef).insert = undefined;
    markCoarse(b.workloads.slice(before), { start: node.range?.[0] ?? 0, end: node.range?.[1] ?? 0 });
  }
}

/** Settings found in a scalar whose positions are not exact: spans widened to the scalar, no edits. */
function markCoarse(workloads: Workload[], span: Span): void {
  const widen = (l: Located<unknown>) => {
    l.span = span;
    l.valueSpan = span;
    l.ref = undefined;
  };
  for (const w of workloads) {
    w.hostNamespaces.forEach(widen);
    for (const c of w.containers) {
      [...c.privileged, ...c.capAdd, ...c.capDrop, ...c.securityOpt, ...c.mounts, ...c.devices, ...c.deviceCgroupRules, ...c.unmasked].forEach(widen);
      for (const x of [c.noNewPrivileges, c.readOnlyRootFilesystem, c.seccomp, c.apparmor, c.selinux, c.user.at, c.image]) if (x) widen(x);
    }
  }
}

/** GitHub `container:` / `services.<id>:` with `options:` (docker create flags, no image in them). */
function readOptions(b: Builder, map: YamlNode, label: string, name: string): void {
  const options = get(map, 'options');
  if (!isScalar(options) || typeof options.value !== 'string' || !options.range) return;
  const image = get(map, 'image');
  const s = scalarShell(b.text, options, true);
  if (!s) return;
  // Parsed as the arguments of a command, so the shell's word rules apply.
  const st = new ShellText();
  st.put('docker create ', options.range[0]);
  for (let j = 0; j < s.st.text.length; j++) st.put(s.st.text[j] ?? '', s.st.map[j] ?? 0);
  const parsed = parseShell(st.text);
  const words = (parsed.commands[0] ?? []).map((w) => fileWord(w, st));
  if (parsed.error || words.length < 2) return;
  const first = words[2];
  const imageLoc = isScalar(image) && typeof image.value === 'string' && image.range ? { value: image.value, span: { start: image.range[0], end: image.range[1] }, valueSpan: { start: image.range[0], end: image.range[1] }, field: 'image' } : undefined;
  const before = b.workloads.length;
  const anchor = { start: options.range[0], end: options.range[1] };
  addContainer(b, words, 2, { field: 'options', label, name, anchor, stopAtPositional: false, ...(imageLoc ? { image: imageLoc } : {}), ...(s.exact && first?.verbatimStart !== undefined ? { insert: { at: first.span.start, before: true } } : {}) });
  if (!s.exact) markCoarse(b.workloads.slice(before), anchor);
}

function readGitlab(b: Builder, doc: ReturnType<typeof parseDocument>): void {
  if (!isMap(doc.contents)) return;
  for (const pair of doc.contents.items) {
    const job = pair.value;
    for (const key of ['before_script', 'script', 'after_script']) {
      const v = get(job, key);
      if (isScalar(v)) readScalar(b, v, false);
      else if (isSeq(v)) for (const item of v.items) if (isScalar(item)) readScalar(b, item, false);
    }
  }
}

export const parseRunCommands: Adapter = (text, path, previous) => {
  const problems: AdapterProblem[] = [];
  const b: Builder = { text, workloads: [], problems };
  const source = runSourceOf(path) ?? 'shell';
  // One shell text per file (a script, a Makefile's recipes): the earlier version's parse helps.
  if (previous?.reusable instanceof RunState && (source === 'shell' || source === 'make')) b.previousShell = previous.reusable.shell;
  if (source === 'shell') {
    // A byte order mark is not shell: a blank of the same length keeps every offset.
    const shell = parseShell(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, b.previousShell);
    const parts = shell.error ? undefined : scriptParts(text, shell);
    if (parts) return parts;
    readShell(b, text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text, undefined, shell);
  } else if (source === 'make') {
    const st = makeRecipes(text);
    if (st.text.length > 0) readShell(b, st.text, st);
  } else {
    // A CI file is not a container configuration: its YAML errors are the CI system's to report
    // (as for other non-container YAML); the steps that parse are still read.
    const doc = parseDocument(text, { uniqueKeys: false });
    if (source === 'github') readGithub(b, doc);
    else readGitlab(b, doc);
  }
  const result: ParsedFile = { kind: 'run', workloads: b.workloads, problems, writer: runWriter, commentPrefix: '#' };
  if (b.shell?.reuse && (source === 'shell' || source === 'make')) result.reusable = new RunState(b.shell);
  return result;
};

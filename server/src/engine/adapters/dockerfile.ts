/**
 * Dockerfile → one workload with one container: the final stage, the image that runs.
 * Build-time privilege (`RUN --security=insecure`) counts in any stage; the user is the
 * one in effect at the end of the final stage (a `FROM <stage>` inherits it), so an
 * earlier stage's `USER root` is never held against the image (hadolint DL3002's
 * multi-stage false positive). Positions from dockerfile-ast (LSP line/character) are
 * turned into UTF-16 offsets of the original text, BOM and CRLF included.
 */
import { imageUser } from '../knowledge/image-users';
import { DockerfileParser } from 'dockerfile-ast';
import type { Arg, Env, Flag, From, Instruction, JSONInstruction, Run } from 'dockerfile-ast';
import type { Container, Located, Mount, Span, UserSetting, Workload } from '../model';
import { lineIndex } from '../suppress';
import type { LineIndex } from '../suppress';
import { dockerfileWriter } from '../writers/dockerfile';
import type { DockerfileInstructionInfo, DockerfileRef, DockerfileVolumeRef } from '../writers/dockerfile';
import { normalizeHostPath } from './boundary';
import type { Adapter, AdapterProblem } from './types';

interface Position {
  line: number;
  character: number;
}

interface Range {
  start: Position;
  end: Position;
}

/** The value of a variable at some point of a build: known, or why it is not. */
type VarValue = { known: true; value: string; source: string } | { known: false; why: string };

interface Stage {
  index: number;
  from: From;
  /** Lower-cased `AS` name, as BuildKit compares them. */
  name?: string;
  /** The name as written, for messages. */
  displayName?: string;
  instructions: Instruction[];
  /** The earlier stage this one is built on (`FROM <stage>`), if any. */
  parent?: Stage;
  /** The base image when it is not an earlier stage, resolved through ARGs when it can be. */
  baseImage?: string;
}

interface StageResult {
  user: UserSetting;
  /** ENV at the end of the stage, which a `FROM <stage>` child inherits (ARGs do not carry over). */
  env: Map<string, VarValue>;
  /** Whether a USER in this very stage decided the verdict. */
  own: boolean;
}

export function toOffset(index: LineIndex, text: string, pos: Position): number {
  const lineStart = index.starts[pos.line];
  if (lineStart === undefined) return text.length;
  const nextStart = index.starts[pos.line + 1] ?? text.length;
  return Math.min(lineStart + pos.character, nextStart, text.length);
}

function toSpan(index: LineIndex, text: string, range: Range): Span {
  return { start: toOffset(index, text, range.start), end: toOffset(index, text, range.end) };
}

export function isRootUser(user: string): boolean {
  const u = user.trim();
  return u === 'root' || /^0+$/.test(u) || u.startsWith('root:') || /^0+:/.test(u);
}

const EMPTY_WHY = 'empty';

/**
 * Expands `$X`, `${X}`, `${X:-word}`, `${X-word}`, `${X:+word}`, `${X+word}` with quotes
 * and the escape character handled as BuildKit's shell lexer does for USER.
 */
export function expandWord(
  word: string,
  lookup: (name: string) => VarValue | undefined,
  escape = '\\',
  missing: (name: string) => string = (name) => `${name} is not declared (ARG or ENV) in this stage`,
): VarValue {
  let out = '';
  const sources: string[] = [];
  let i = 0;
  const variable = (name: string): VarValue => lookup(name) ?? { known: false, why: missing(name) };
  const readVar = (): VarValue | undefined => {
    // at text[i] === '$'
    const next = word[i + 1];
    if (next === '{') {
      const close = word.indexOf('}', i + 2);
      if (close < 0) return { known: false, why: `unterminated \${ in ${word}` };
      const body = word.slice(i + 2, close);
      i = close + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(body);
      if (!m) return { known: false, why: `\${${body}} is a substitution this linter does not evaluate` };
      const name = m[1] ?? '';
      const op = m[2];
      const alt = m[3] ?? '';
      if (!op) return variable(name);
      const v = lookup(name);
      if (v && !v.known) return v;
      const isSet = v !== undefined;
      const isEmpty = !v || (v.known && v.value === '');
      const altValue = () => expandWord(alt, lookup, escape, missing);
      if (op === ':-') return isSet && !isEmpty ? v : altValue();
      if (op === '-') return isSet ? v : altValue();
      if (op === ':+') return isSet && !isEmpty ? altValue() : { known: true, value: '', source: `${name} is empty` };
      return isSet ? altValue() : { known: true, value: '', source: `${name} is not set` };
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i + 1));
    if (!m) {
      i++;
      out += '$';
      return undefined;
    }
    i += 1 + m[0].length;
    return variable(m[0]);
  };
  const add = (v: VarValue | undefined): VarValue | undefined => {
    if (!v) return undefined;
    if (!v.known) return v;
    out += v.value;
    if (v.source && v.source !== EMPTY_WHY) sources.push(v.source);
    return undefined;
  };
  while (i < word.length) {
    const c = word[i] ?? '';
    if (c === escape) {
      out += word[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const close = word.indexOf("'", i + 1);
      const end = close < 0 ? word.length : close;
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        const d = word[i] ?? '';
        if (d === escape) {
          out += word[i + 1] ?? '';
          i += 2;
        } else if (d === '$') {
          const failed = add(readVar());
          if (failed) return failed;
        } else {
          out += d;
          i++;
        }
      }
      i++;
    } else if (c === '$') {
      const failed = add(readVar());
      if (failed) return failed;
    } else {
      out += c;
      i++;
    }
  }
  return { known: true, value: out, source: [...new Set(sources)].join(', ') };
}

function firstContentLine(text: string): Span | undefined {
  const re = /[^\r\n]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const line = m[0];
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '\uFEFF' || trimmed.replace(/^\uFEFF/, '').startsWith('#')) continue;
    const lead = line.length - line.trimStart().length;
    return { start: m.index + lead, end: m.index + line.trimEnd().length };
  }
  return undefined;
}

/**
 * dockerfile-ast reads parser directives (`# syntax=`, `# escape=`, `# check=`) in the leading
 * comment lines in time quadratic in the number of `#` characters on such a line (50,000 took
 * 3 s; `# # # …` 8 s). A directive is a short line, so in the leading block of comment lines
 * any line longer than 256 characters keeps its first `#` and has the rest blanked to spaces:
 * offsets do not move and nothing the rules read changes.
 */
export function withShortDirectiveRuns(text: string): string {
  const LIMIT = 256;
  let i = 0;
  let out: string[] | undefined;
  let copied = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\uFEFF')) j++;
    if (text[j] !== '#' && text[j] !== '\n' && text[j] !== '\r') break;
    let end = j;
    while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
    if (text[j] === '#' && end - i > LIMIT) {
      out = out ?? [];
      out.push(text.slice(copied, j + 1), ' '.repeat(end - j - 1));
      copied = end;
    }
    i = end;
    while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}

export const parseDockerfile: Adapter = (text) => {
  const problems: AdapterProblem[] = [];
  const empty = { kind: 'dockerfile' as const, workloads: [] as Workload[], problems, writer: dockerfileWriter, commentPrefix: '#' as const };
  const dockerfile = DockerfileParser.parse(withShortDirectiveRuns(text));
  const instructions = dockerfile.getInstructions();
  if (instructions.length === 0) {
    const content = firstContentLine(text);
    if (content) problems.push({ ruleId: 'parse-error', severity: 'error', message: 'Could not parse this Dockerfile: no instructions found.', span: content });
    return empty;
  }
  const index = lineIndex(text);
  const span = (r: Range): Span => toSpan(index, text, r);
  const escape = dockerfile.getEscapeCharacter();

  // Split into the global part (before the first FROM) and stages.
  const globals: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      const displayName = from.getBuildStage() ?? undefined;
      stages.push({ index: stages.length, from, name: displayName?.toLowerCase(), displayName, instructions: [] });
    } else if (stages.length === 0) {
      globals.push(instruction);
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  const finalStage = stages[stages.length - 1];
  if (!finalStage) return empty; // no FROM: nothing is built, nothing runs

  // Global ARGs: visible to FROM lines, and to a stage only when it re-declares them.
  const globalArgs = new Map<string, VarValue>();
  for (const g of globals) {
    if (g.getKeyword() !== 'ARG') continue;
    const property = (g as Arg).getProperty();
    if (!property) continue;
    const name = property.getName();
    const raw = property.getValue();
    if (raw === null) {
      globalArgs.set(name, { known: false, why: `ARG ${name} has no default (it comes from --build-arg)` });
    } else {
      const v = expandWord(raw, (n) => globalArgs.get(n), escape);
      globalArgs.set(name, v.known ? { known: true, value: v.value, source: `global ARG ${name} default` } : v);
    }
  }

  // Which earlier stage each FROM builds on: the latest earlier stage of that name.
  const earlier = new Map<string, Stage>();
  for (const stage of stages) {
    const image = stage.from.getImage();
    const resolved = image ? expandWord(image, (n) => globalArgs.get(n), escape) : undefined;
    if (resolved?.known) stage.parent = earlier.get(resolved.value.toLowerCase());
    if (resolved?.known && !stage.parent) stage.baseImage = resolved.value;
    if (stage.name !== undefined) earlier.set(stage.name, stage);
  }

  // Build-time privilege in any stage.
  const privileged: Located<boolean>[] = [];
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'RUN') continue;
      for (const flag of (instruction as Run).getFlags()) {
        const located = insecureFlag(flag, span, stage.index);
        if (located) privileged.push(located);
      }
    }
  }

  // The user, stage by stage (a child reads its parent's result).
  const results = new Map<Stage, StageResult>();
  for (const stage of stages) results.set(stage, analyseStage(stage, results, globalArgs, span, escape, stage === finalStage));
  const finalResult = results.get(finalStage);
  const user: UserSetting = finalResult?.user ?? { verdict: 'unset' };

  const from = finalStage.from;
  const fromSpan = span(from.getRange());
  const imageText = from.getImage();
  const imageRange = from.getImageRange();
  const image: Located<string> | undefined =
    imageText !== null && imageRange ? { value: imageText, span: fromSpan, valueSpan: span(imageRange), field: 'FROM' } : undefined;
  const label = finalStage.displayName !== undefined ? `final stage "${finalStage.displayName}"` : `final stage (FROM ${imageText ?? ''})`;

  const finalInstructions: DockerfileInstructionInfo[] = [from as Instruction, ...finalStage.instructions].map((i) => ({
    keyword: i.getKeyword(),
    span: span(i.getRange()),
  }));
  const ref: DockerfileRef = { format: 'dockerfile', text, finalInstructions, userInFinalStage: finalResult?.own ?? false, openAtEnd: () => openAtEnd(text, finalStage.instructions[finalStage.instructions.length - 1] ?? (from as Instruction), escape, span) };

  const container: Container = {
    kind: 'dockerfile',
    name: finalStage.displayName ?? 'final stage',
    label,
    anchor: fromSpan,
    image,
    privileged,
    supportsNoNewPrivileges: false,
    user,
    capAdd: [],
    capDrop: [],
    securityOpt: [],
    unmasked: [],
    mounts: volumeMounts(finalStage, span),
    devices: [],
    deviceCgroupRules: [],
    hostPorts: [],
    probeHosts: [],
    ref,
  };
  const workload: Workload = { kind: 'dockerfile', name: 'Dockerfile', anchor: fromSpan, containers: [container], hostNamespaces: [], sysctls: [], volumeTypes: [], unmountedHostPaths: [], ref };
  return { ...empty, workloads: [workload] };
};

/**
 * VOLUME paths of the image that runs: the final stage's and those of the stages it is built
 * on (`FROM <stage>`), base first. JSON form: span = the quoted string, valueSpan = its content.
 */
function volumeMounts(finalStage: Stage, span: (r: Range) => Span): Mount[] {
  const seen = new Set<Stage>();
  for (let s: Stage | undefined = finalStage; s && !seen.has(s); s = s.parent) seen.add(s);
  const chain = [...seen].reverse();
  const out: Mount[] = [];
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction.getKeyword() !== 'VOLUME') continue;
      const json = (instruction as JSONInstruction).getJSONStrings();
      const args = json.length > 0 ? json : instruction.getArguments();
      const spans = args.map((a) => span(a.getRange()));
      args.forEach((a, index) => {
        const written = json.length > 0 ? (json[index]?.getJSONValue() ?? '') : a.getValue();
        if (written.trim() === '') return;
        const whole = spans[index] ?? span(a.getRange());
        const inner = json.length > 0 ? span((json[index] ?? a).getJSONRange?.() ?? a.getRange()) : whole;
        const ref: DockerfileVolumeRef = { type: 'volume', instruction: span(instruction.getRange()), args: spans, index, json: json.length > 0 };
        const { value, relative } = normalizeHostPath(written);
        const mount: Mount = { value, span: whole, valueSpan: inner, field: 'VOLUME', ref, readOnly: false, form: 'volume-instruction', target: value };
        if (relative) mount.relative = true;
        out.push(mount);
      });
    }
  }
  return out;
}

function insecureFlag(flag: Flag, span: (r: Range) => Span, stage: number): Located<boolean> | undefined {
  if (flag.getName() !== 'security' || flag.getValue() !== 'insecure') return undefined;
  const valueRange = flag.getValueRange();
  const whole = span(flag.getRange());
  return { value: true, span: whole, valueSpan: valueRange ? span(valueRange) : whole, field: 'RUN --security', ref: { stage } };
}

function analyseStage(
  stage: Stage,
  results: Map<Stage, StageResult>,
  globalArgs: Map<string, VarValue>,
  span: (r: Range) => Span,
  escape: string,
  isFinal: boolean,
): StageResult {
  const parent = stage.parent ? results.get(stage.parent) : undefined;
  const env = new Map<string, VarValue>(parent?.env ?? []);
  const args = new Map<string, VarValue>();
  const lookup = (name: string): VarValue | undefined => {
    const e = env.get(name);
    if (e) return e; // ENV always overrides an ARG of the same name
    return args.get(name);
  };
  const missing = (name: string): string =>
    globalArgs.has(name)
      ? `${name} is a global ARG (declared before the first FROM) that this stage does not re-declare with ARG ${name}, so it is empty here`
      : `${name} is not declared (ARG or ENV) in this stage`;
  let decided: UserSetting | undefined;
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'ARG') {
      const property = (instruction as Arg).getProperty();
      if (!property) continue;
      const name = property.getName();
      const raw = property.getValue();
      if (raw === null) {
        const g = globalArgs.get(name);
        args.set(name, g ?? { known: false, why: `ARG ${name} has no default (it comes from --build-arg)` });
      } else {
        const v = expandWord(raw, lookup, escape, missing);
        args.set(name, v.known ? { known: true, value: v.value, source: `ARG ${name} default` } : v);
      }
    } else if (keyword === 'ENV') {
      for (const property of (instruction as Env).getProperties()) {
        const name = property.getName();
        const raw = property.getValue() ?? '';
        const v = expandWord(raw, lookup, escape, missing);
        env.set(name, v.known ? { known: true, value: v.value, source: `ENV ${name}` } : v);
      }
    } else if (keyword === 'USER') {
      decided = userFromInstruction(instruction, (word) => expandWord(word, lookup, escape, missing), span);
    }
  }
  if (decided) return { user: decided, env, own: true };
  if (stage.parent && parent) {
    const name = stage.parent.displayName ?? stage.parent.name ?? String(stage.parent.index);
    const how = parent.user.how ? `inherited from stage "${name}": ${parent.user.how}` : `inherited from stage "${name}"`;
    return { user: { ...parent.user, how }, env, own: false };
  }
  const where = isFinal ? 'the final stage' : 'that stage';
  // A base image known to run as a non-root user (knowledge/image-users.ts, trusted rows only).
  const row = stage.baseImage ? imageUser(stage.baseImage) : undefined;
  if (row && row.nonRoot && (row.confidence === 'V' || row.confidence === 'V-doc')) {
    return { user: { verdict: 'nonroot', how: `no USER in ${where}; the base image ${stage.baseImage} runs as ${row.user}${row.uid !== undefined && String(row.uid) !== row.user ? ` (uid ${row.uid})` : ''}` }, env, own: false };
  }
  const user: UserSetting = { verdict: 'unset', how: `no USER in ${where}; the base image default applies (usually root)` };
  if (stage.baseImage) user.baseImage = stage.baseImage;
  return { user, env, own: false };
}

function userFromInstruction(instruction: Instruction, expand: (word: string) => VarValue, span: (r: Range) => Span): UserSetting {
  const args = instruction.getArguments();
  const whole = span(instruction.getRange());
  const first = args[0];
  const last = args[args.length - 1];
  const valueSpan = first && last ? { start: span(first.getRange()).start, end: span(last.getRange()).end } : whole;
  const written = args.map((a) => a.getValue()).join(' ');
  const at: Located<string> = { value: written, span: whole, valueSpan, field: 'USER' };
  if (args.length !== 1 || !first) return { verdict: 'unknown', at, how: 'USER needs exactly one argument' };
  const resolved = expand(first.getValue());
  if (!resolved.known) return { verdict: 'unknown', at, how: `USER ${written}: ${resolved.why}` };
  const value = resolved.value.trim();
  if (value === '') return { verdict: 'unknown', at, how: `USER ${written} is empty` };
  const how = value !== written ? `USER ${written} resolves to ${value}${resolved.source ? ` (${resolved.source})` : ''}` : `USER ${written}`;
  return { verdict: isRootUser(value) ? 'root' : 'nonroot', at, how };
}

/**
 * Whether the file ends inside its last instruction: a line continued with the escape character
 * (`\` or a backtick) or a heredoc with no closing delimiter. A line appended after it would
 * become part of that instruction.
 */
function openAtEnd(text: string, last: Instruction, escape: string, span: (r: Range) => Span): boolean {
  const range = span(last.getRange());
  const heredocs = (last as Instruction & { getHeredocs?: () => { getDelimiterRange(): unknown }[] }).getHeredocs?.() ?? [];
  if (heredocs.some((h) => !h.getDelimiterRange())) return true;
  if (text.slice(range.end).trim() !== '') return false;
  return text.slice(range.start).trimEnd().endsWith(escape);
}

/**
 * The config file (`.container-privilege-lint.yaml` / `.yml` / `.json`), parsed and
 * validated into the engine's Partial<EngineConfig> plus ignore globs. Pure: the edges
 * (CLI, server) find and read the file; this module only sees its text.
 *
 *   rules:            { <rule id>: off | info | warning | error }
 *   ignore:           [ globs, relative to the config file's folder ]
 *   nonRootUid:       the uid no-root-user fixes write (a positive integer)
 *   maxFileSize:      files larger than this many characters are skipped
 *   profile:          default | baseline | restricted (Pod Security Standards, exactly)
 */
import { findNodeAtLocation, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError as JsonParseError } from 'jsonc-parser';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { SEVERITIES, isSeverity } from './config';
import type { EngineConfig } from './config';
import { globRejection } from './glob-bounds';
import type { SeverityOrOff } from './model';
import { PROFILES, isProfile } from './pss';
import { rules } from './rules';
import { lineIndex, lineOf } from './suppress';

/** Looked for in this order in each folder; the first one found wins. */
export const CONFIG_FILE_NAMES = ['.container-privilege-lint.yaml', '.container-privilege-lint.yml', '.container-privilege-lint.json'] as const;

const KNOWN_KEYS = ['rules', 'ignore', 'nonRootUid', 'maxFileSize', 'profile'] as const;

/** Ids that can be given a severity: every rule, plus the unused-suppression report. */
export function configurableRuleIds(): string[] {
  return [...rules.map((r) => r.id), 'unused-suppression'];
}

export interface ConfigFileProblem {
  message: string;
  /** 1-based, when the problem has a place in the file. */
  line?: number;
  column?: number;
}

export interface ParsedConfigFile {
  config: Partial<EngineConfig>;
  /** Globs relative to the config file's folder. */
  ignore: string[];
  /** Empty when the file is valid; otherwise the config must not be used. */
  problems: ConfigFileProblem[];
}

export interface ParseConfigOptions {
  /** Defaults to configurableRuleIds(). */
  knownRuleIds?: Iterable<string>;
}

type PathSegment = string | number;
type Locator = (path: PathSegment[], part: 'key' | 'value') => number | undefined;

export function isJsonConfigName(fileName: string): boolean {
  return /\.json$/i.test(fileName);
}

/**
 * Parses and validates a config file's text. `fileName` decides the syntax
 * (`.json`: JSON with comments; anything else: YAML).
 */
export function parseConfigFile(text: string, fileName: string, options: ParseConfigOptions = {}): ParsedConfigFile {
  try {
    return parseConfigText(text, fileName, options);
  } catch (e) {
    // The parsers and the validation recurse: a file nested 100,000 deep overflows the stack.
    if (e instanceof RangeError) return { config: {}, ignore: [], problems: [{ message: 'the file is nested too deeply to read (a config file needs three levels at most)' }] };
    throw e;
  }
}

function parseConfigText(text: string, fileName: string, options: ParseConfigOptions): ParsedConfigFile {
  const index = lineIndex(text);
  const at = (offset: number | undefined): Pick<ConfigFileProblem, 'line' | 'column'> => {
    if (offset === undefined) return {};
    const line = lineOf(index, offset);
    return { line: line + 1, column: offset - index.starts[line] + 1 };
  };
  const empty: ParsedConfigFile = { config: {}, ignore: [], problems: [] };

  let value: unknown;
  let locate: Locator;
  if (isJsonConfigName(fileName)) {
    const errors: JsonParseError[] = [];
    const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0) {
      return { ...empty, problems: errors.slice(0, 5).map((e) => ({ message: `invalid JSON: ${printParseErrorCode(e.error)}`, ...at(e.offset) })) };
    }
    value = tree ? jsonValue(tree) : undefined;
    locate = (path, part) => {
      if (!tree) return undefined;
      const node = findNodeAtLocation(tree, path);
      if (!node) return undefined;
      if (part === 'key' && node.parent?.type === 'property') return node.parent.children?.[0]?.offset;
      return node.offset;
    };
  } else {
    // yaml's own duplicate-key check compares each key with every earlier one (quadratic): keys
    // are checked here, with a set per mapping.
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length === 0) {
      const duplicate = firstDuplicateKey(doc.contents);
      if (duplicate !== undefined) return { ...empty, problems: [{ message: 'invalid YAML: Map keys must be unique', ...at(duplicate) }] };
    }
    if (doc.errors.length > 0) {
      return { ...empty, problems: doc.errors.slice(0, 5).map((e) => ({ message: `invalid YAML: ${e.message.split('\n')[0]}`, ...at(e.pos[0]) })) };
    }
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return { ...empty, problems: [{ message: `invalid YAML: ${(e as Error).message}` }] };
    }
    locate = (path, part) => yamlLocate(doc, path, part);
  }

  const problems: ConfigFileProblem[] = [];
  let unreported = 0;
  // Each problem is located by a lookup from the top, so only the first MAX_PROBLEMS are (60,000
  // unknown rule ids took 57 s when each was); the rest are counted.
  const report = (message: string | (() => string), path: PathSegment[], part: 'key' | 'value' = 'value') => {
    if (problems.length >= MAX_PROBLEMS) unreported++;
    else problems.push({ message: typeof message === 'string' ? message : message(), ...at(locate(path, part)) });
  };

  if (value === undefined || value === null) return empty;
  if (!isPlainObject(value)) {
    report(`the file must contain a mapping with the keys ${KNOWN_KEYS.join(', ')}`, []);
    return { ...empty, problems };
  }

  const known = new Set(options.knownRuleIds ?? configurableRuleIds());
  const config: Partial<EngineConfig> = {};
  let ignore: string[] = [];

  for (const [key, v] of Object.entries(value)) {
    if (key === '$schema') continue;
    switch (key) {
      case 'rules': {
        if (v === null || v === undefined) break;
        if (!isPlainObject(v)) {
          report(`'rules' must be a mapping of rule id to severity (${SEVERITIES.join(', ')})`, ['rules']);
          break;
        }
        const severities: Record<string, SeverityOrOff> = {};
        for (const [id, sev] of Object.entries(v)) {
          if (!known.has(id)) {
            report(() => {
              const hint = closest(id, known);
              return `unknown rule id '${shorten(id)}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
            }, ['rules', id], 'key');
            continue;
          }
          if (!isSeverity(sev)) {
            report(`invalid severity ${shown(sev)} for rule '${id}' (expected one of ${SEVERITIES.join(', ')})`, ['rules', id]);
            continue;
          }
          severities[id] = sev;
        }
        config.rules = severities;
        break;
      }
      case 'ignore': {
        if (v === null || v === undefined) break;
        if (!Array.isArray(v)) {
          report(`'ignore' must be a list of globs`, ['ignore']);
          break;
        }
        v.forEach((g, i) => {
          const rejection = typeof g === 'string' ? globRejection(g.trim()) : undefined;
          if (typeof g !== 'string' || g.trim() === '') report(`'ignore' entries must be non-empty strings (entry ${i + 1} is ${shown(g)})`, ['ignore', i]);
          else if (rejection) report(`'ignore' entry ${i + 1}: ${rejection}`, ['ignore', i]);
          else ignore.push(g.trim());
        });
        break;
      }
      case 'nonRootUid':
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 2147483647) {
          report(`'nonRootUid' must be a positive integer uid (not 0, which is root), got ${shown(v)}`, ['nonRootUid']);
        } else {
          config.nonRootUid = v;
        }
        break;
      case 'maxFileSize':
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
          report(`'maxFileSize' must be a positive integer (characters), got ${shown(v)}`, ['maxFileSize']);
        } else {
          config.maxFileSize = v;
        }
        break;
      case 'profile':
        if (!isProfile(v)) {
          report(`'profile' must be one of ${PROFILES.join(', ')}, got ${shown(v)}`, ['profile']);
        } else {
          config.profile = v;
        }
        break;
      default: {
        report(() => {
          const hint = closest(key, KNOWN_KEYS);
          return `unknown setting '${shorten(key)}'${hint ? ` (did you mean '${hint}'?)` : ''}; the known settings are ${KNOWN_KEYS.join(', ')}`;
        }, [key], 'key');
      }
    }
  }
  if (unreported > 0) problems.push({ message: `${unreported} more ${unreported === 1 ? 'problem' : 'problems'} not listed` });
  if (problems.length > 0) {
    ignore = [];
    return { config: {}, ignore, problems };
  }
  return { config, ignore, problems };
}

/** `file:line:col: message` lines, for a usage error. */
export function formatConfigProblems(filePath: string, problems: ConfigFileProblem[]): string {
  return problems.map((p) => `${filePath}${p.line !== undefined ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}`).join('\n');
}

/** At most this many problems are listed (and located) per file. */
const MAX_PROBLEMS = 20;

function shorten(s: string): string {
  return s.length <= 60 ? s : `${s.slice(0, 59)}…`;
}

/** A value as JSON, shortened (a message never repeats a whole subtree). */
function shown(v: unknown): string {
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? 'a list' : 'a mapping';
  return shorten(JSON.stringify(v) ?? String(v));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (k && v) out[String(k.value)] = jsonValue(v);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value;
  }
}

/** The offset of the first key that repeats an earlier key of the same mapping, at any depth. */
function firstDuplicateKey(root: unknown): number | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? `s:${String(pair.key.value)}` : undefined;
        if (key !== undefined) {
          if (seen.has(key)) return (pair.key as { range?: [number, number, number] }).range?.[0] ?? 0;
          seen.add(key);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return undefined;
}

function yamlLocate(doc: Document.Parsed, path: PathSegment[], part: 'key' | 'value'): number | undefined {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
      if (!pair) return undefined;
      if (i === path.length - 1 && part === 'key') return isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return undefined;
    }
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** The known name nearest to a misspelt one, when it is close enough to be a likely typo. */
function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

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
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
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
  const report = (message: string, path: PathSegment[], part: 'key' | 'value' = 'value') => problems.push({ message, ...at(locate(path, part)) });

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
            const hint = closest(id, known);
            report(`unknown rule id '${id}'${hint ? ` (did you mean '${hint}'?)` : ''}`, ['rules', id], 'key');
            continue;
          }
          if (!isSeverity(sev)) {
            report(`invalid severity ${JSON.stringify(sev)} for rule '${id}' (expected one of ${SEVERITIES.join(', ')})`, ['rules', id]);
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
          if (typeof g !== 'string' || g.trim() === '') report(`'ignore' entries must be non-empty strings (entry ${i + 1} is ${JSON.stringify(g)})`, ['ignore', i]);
          else ignore.push(g.trim());
        });
        break;
      }
      case 'nonRootUid':
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 2147483647) {
          report(`'nonRootUid' must be a positive integer uid (not 0, which is root), got ${JSON.stringify(v)}`, ['nonRootUid']);
        } else {
          config.nonRootUid = v;
        }
        break;
      case 'maxFileSize':
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
          report(`'maxFileSize' must be a positive integer (characters), got ${JSON.stringify(v)}`, ['maxFileSize']);
        } else {
          config.maxFileSize = v;
        }
        break;
      case 'profile':
        if (!isProfile(v)) {
          report(`'profile' must be one of ${PROFILES.join(', ')}, got ${JSON.stringify(v)}`, ['profile']);
        } else {
          config.profile = v;
        }
        break;
      default: {
        const hint = closest(key, KNOWN_KEYS);
        report(`unknown setting '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; the known settings are ${KNOWN_KEYS.join(', ')}`, [key], 'key');
      }
    }
  }
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

/**
 * Finds the engine's regular expressions in its source text (with the TypeScript parser,
 * so strings and comments are not mistaken for regexes) and checks their shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './support';

export interface FoundRegex {
  where: string;
  source: string;
  flags: string;
  /** For `new RegExp(expr)` whose pattern is not a literal: the expression (not testable on its own). */
  dynamic?: string;
  /** For `new RegExp(`…${x}…`)`: the template; `source` has a word in place of each substitution. */
  templated?: string;
}

export const ENGINE = join(ROOT, 'server', 'src', 'engine');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

export function findRegexes(dir = ENGINE): FoundRegex[] {
  const found: FoundRegex[] = [];
  for (const file of tsFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const where = (n: ts.Node) => `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const lit = (node as ts.RegularExpressionLiteral).text;
        const slash = lit.lastIndexOf('/');
        found.push({ where: where(node), source: lit.slice(1, slash), flags: lit.slice(slash + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        const flagText = flags && ts.isStringLiteralLike(flags) ? flags.text : '';
        if (pattern && ts.isStringLiteralLike(pattern)) found.push({ where: where(node), source: pattern.text, flags: flagText });
        else if (pattern && ts.isTemplateExpression(pattern)) {
          // A template: each substitution stands for a word (`(^|,)\\s*${k}\\s*=` → `(^|,)\\s*key\\s*=`).
          const source = pattern.head.text + pattern.templateSpans.map((span) => `key${span.literal.text}`).join('');
          found.push({ where: where(node), source, flags: flagText, templated: pattern.getText(sf) });
        } else found.push({ where: where(node), source: '', flags: flagText, dynamic: pattern ? pattern.getText(sf) : '(none)' });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/**
 * Star height > 1: a group that contains an element repeated a variable number of times
 * (`*`, `+`, `{n,}`, `{n,m}`) and is itself repeated without bound. Returns the offending group's text, or undefined.
 */
export function nestedQuantifier(source: string): string | undefined {
  interface Frame {
    start: number;
    repeats: boolean;
  }
  const stack: Frame[] = [{ start: 0, repeats: false }];
  /** After an atom: where it started and whether it contains a repeat (groups only). */
  let last: { start: number; repeats: boolean } | undefined;
  let i = 0;
  const quantifierAt = (k: number): { min: number; max: number; length: number } | undefined => {
    const c = source[k];
    if (c === '*') return { min: 0, max: Infinity, length: 1 };
    if (c === '+') return { min: 1, max: Infinity, length: 1 };
    if (c === '?') return { min: 0, max: 1, length: 1 };
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(k));
      if (!m) return undefined;
      const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      return { min: Number(m[1]), max, length: m[0].length };
    }
    return undefined;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      last = { start: i, repeats: false };
      i += 2;
    } else if (c === '[') {
      const start = i;
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      last = { start, repeats: false };
    } else if (c === '(') {
      stack.push({ start: i, repeats: false });
      i++;
      if (source[i] === '?') {
        i++;
        if (source[i] === '<' && source[i + 1] !== '=' && source[i + 1] !== '!') while (i < source.length && source[i] !== '>') i++;
        i++;
      }
      last = undefined;
    } else if (c === ')') {
      const frame = stack.pop() ?? { start: 0, repeats: false };
      i++;
      last = { start: frame.start, repeats: frame.repeats };
      // A group that repeats inside makes its parent repeat inside, too.
      if (frame.repeats) stack[stack.length - 1].repeats = true;
    } else if (c === '|') {
      last = undefined;
      i++;
    } else {
      const q = quantifierAt(i);
      if (q && last) {
        if (q.max === Infinity && last.repeats) return source.slice(last.start, i + q.length);
        // A variable number of repetitions (not {n}) is what lets an outer repeat split the input many ways.
        if (q.max > 1 && q.max !== q.min) stack[stack.length - 1].repeats = true;
        i += q.length;
        if (source[i] === '?') i++; // lazy
        last = undefined;
      } else {
        last = { start: i, repeats: false };
        i++;
      }
    }
  }
  return undefined;
}

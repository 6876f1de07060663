/**
 * RuleTester in ESLint's shape, with markdownlint's re-lint check: valid cases must
 * produce nothing; invalid cases list every finding with its exact 1-based range and
 * message, and the exact text after each fix. Every fix is re-parsed, must make its
 * finding disappear, keep every comment and the line endings, and touch nothing
 * outside its edits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../server/src/engine';
import { applyEdits, lint, rules } from '../server/src/engine';
import type { FileKind } from '../server/src/engine/model';
import type { Profile } from '../server/src/engine/pss';
import { MESSAGE_MAX_LENGTH } from '../server/src/engine/rule';
import type { Rule } from '../server/src/engine/rule';

export interface ValidCase {
  name: string;
  /** File name: decides the kind (`docker-compose.yml`, `pod.yaml`, `Dockerfile`, `.devcontainer/devcontainer.json`). */
  path: string;
  code: string;
  nonRootUid?: number;
  /** The profile to lint with (`default` when not given). */
  profile?: Profile;
  /**
   * Other files of the project by absolute path (`path` is then absolute too): the lint reads
   * them through readFile and lists their folders through listDir, as the CLI and the editor do.
   */
  files?: Record<string, string>;
}

export interface ExpectedFix {
  title: string | RegExp;
  output: string;
  /**
   * `safe` (applied by --fix, fix-all and fix-on-save) or `suggestion` (quick-fix only; the CLI
   * applies it with --unsafe-fixes), as fix-policy.ts decides for this finding. Every case pins it,
   * so a change of policy shows in every rule's tests.
   */
  kind: 'safe' | 'suggestion';
}

export interface ExpectedError {
  message: string | RegExp;
  /** The finding's detail (the why and the how), when the case wants to pin it. */
  detail?: string | RegExp;
  /** The finding's severity, when the case wants to pin it (a lowered severity, a warning in context). */
  severity?: Finding['severity'];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Every fix offered, in order; [] asserts there is none. */
  fixes: ExpectedFix[];
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
}

export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      col = 1;
    } else if (c !== '\r') col++;
  }
  return { line, column: col };
}

function onlyThisRule(rule: Rule): Record<string, 'off'> {
  const config: Record<string, 'off'> = { 'unused-suppression': 'off' };
  for (const r of rules) if (r.id !== rule.id) config[r.id] = 'off';
  return config;
}

function lintWith(rule: Rule, c: ValidCase, text = c.code): { kind: FileKind | undefined; findings: Finding[] } {
  const config = { rules: onlyThisRule(rule), nonRootUid: c.nonRootUid, profile: c.profile };
  if (!c.files) return lint(text, { path: c.path, config });
  const files = c.files;
  const readFile = (file: string) => (Object.prototype.hasOwnProperty.call(files, file) ? files[file] : undefined);
  const listDir = (dir: string) => [c.path, ...Object.keys(files)].filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/')).map((f) => f.slice(dir.length + 1));
  return lint(text, { path: c.path, config, readFile, listDir });
}

/** Comments as written (`# …` and `// …`), in order, to prove a fix keeps them all. */
export function commentsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[ \t])(#|\/\/)[^\r\n]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[0].trim());
  return out.sort();
}

function lineEndings(text: string): { crlf: number; lf: number } {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return { crlf, lf };
}

function matches(actual: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? actual === expected : expected.test(actual);
}

/**
 * A message is one line of at most MESSAGE_MAX_LENGTH characters, with no sentence break
 * inside and no trailing full stop (ESLint's and TypeScript's style); a rule's finding has a
 * detail that says more than the message. Held for every finding the tester sees.
 */
export function checkMessageShape(finding: Finding): void {
  const m = finding.message;
  assert.ok(m.length <= MESSAGE_MAX_LENGTH, `message longer than ${MESSAGE_MAX_LENGTH} characters (${m.length}): ${m}`);
  assert.ok(!/[\r\n]/.test(m), `message on more than one line: ${JSON.stringify(m)}`);
  assert.ok(!/[.!?]\s+[A-Z]/.test(m), `message of more than one sentence: ${m}`);
  assert.ok(!/\.$/.test(m) || /\.\.\.$|…$/.test(m), `message ends with a full stop: ${m}`);
  if (finding.ruleId !== 'parse-error' && finding.ruleId !== 'skipped' && finding.ruleId !== 'unused-suppression') {
    assert.ok(finding.detail && finding.detail.length > 0, `no detail for: ${m}`);
    assert.ok(!/\{\{\s*\w+\s*\}\}/.test(finding.detail!), `unfilled placeholder in the detail: ${finding.detail}`);
  }
}

export function checkFix(rule: Rule, c: ValidCase, finding: Finding, expected: ExpectedFix, fixIndex: number): void {
  const fix = finding.fixes[fixIndex];
  assert.ok(fix, `expected a fix #${fixIndex} "${String(expected.title)}"`);
  assert.ok(matches(fix.title, expected.title), `fix title "${fix.title}" does not match ${String(expected.title)}`);
  assert.equal(fix.kind, expected.kind, `fix "${fix.title}" is a ${fix.kind}, expected a ${expected.kind}`);
  // Only a safe fix is preferred, and a suggestion says what to check.
  assert.equal(fix.preferred === true, fix.kind === 'safe' && finding.fixes.findIndex((f) => f.kind === 'safe') === fixIndex, 'the preferred fix is the first safe fix');
  if (fix.kind === 'suggestion') assert.ok(fix.check, `the suggestion "${fix.title}" says what to check`);
  const output = applyEdits(c.code, fix.edits);
  assert.notEqual(output, c.code, 'a fix must change the text');
  assert.equal(output, expected.output);
  // Nothing outside the edits changed: the text before the first and after the last edit is identical.
  const first = Math.min(...fix.edits.map((e) => e.start));
  const last = Math.max(...fix.edits.map((e) => e.end));
  assert.equal(output.slice(0, first), c.code.slice(0, first), 'the fix changed text before its edits');
  assert.equal(output.slice(output.length - (c.code.length - last)), c.code.slice(last), 'the fix changed text after its edits');
  // Re-parse: no parse errors, the finding is gone, every comment kept, line endings kept.
  const after = lintWith(rule, c, output);
  assert.deepEqual(after.findings.filter((f) => f.ruleId === 'parse-error'), [], 'the fixed text must parse');
  const before = lintWith(rule, c).findings.filter((f) => f.message === finding.message).length;
  const remaining = after.findings.filter((f) => f.message === finding.message).length;
  assert.ok(remaining < before, `the fix must make its finding disappear: "${finding.message}"`);
  const keptComments = commentsOf(output);
  for (const comment of commentsOf(c.code)) {
    const i = keptComments.indexOf(comment);
    assert.ok(i >= 0, `the fix dropped the comment ${comment}`);
    keptComments.splice(i, 1);
  }
  const le0 = lineEndings(c.code);
  const le1 = lineEndings(output);
  if (le0.crlf > 0 && le0.lf === 0) assert.equal(le1.lf, 0, 'the fix introduced LF line endings into a CRLF file');
  if (le0.lf > 0 && le0.crlf === 0) assert.equal(le1.crlf, 0, 'the fix introduced CRLF line endings into an LF file');
}

/**
 * Formats whose cases live in their own file (test/rules/formats/<kind>.test.ts), one run per
 * rule there: a rule's own test file covers its other kinds.
 */
export const SEPARATELY_TESTED_KINDS: readonly FileKind[] = ['quadlet', 'run'];

export class RuleTester {
  /** `kinds`: the file kinds this run must cover (default: the rule's kinds, less the separately tested ones). */
  run(rule: Rule, tests: { valid: ValidCase[]; invalid: InvalidCase[] }, options: { kinds?: FileKind[] } = {}): void {
    const kinds = options.kinds ?? rule.meta.kinds.filter((k) => !SEPARATELY_TESTED_KINDS.includes(k));
    const names = new Set<string>();
    for (const t of [...tests.valid, ...tests.invalid]) {
      assert.ok(!names.has(t.name), `duplicate test name "${t.name}"`);
      names.add(t.name);
    }
    describe(rule.id, () => {
      it('has valid and invalid cases for every file kind it applies to', () => {
        for (const kind of kinds) {
          assert.ok(tests.valid.some((t) => lintWith(rule, t).kind === kind), `no valid case for ${kind}`);
          assert.ok(tests.invalid.some((t) => lintWith(rule, t).kind === kind), `no invalid case for ${kind}`);
        }
      });
      describe('valid', () => {
        for (const t of tests.valid) {
          it(t.name, () => {
            const { findings } = lintWith(rule, t);
            assert.deepEqual(findings.map((f) => `${f.ruleId}: ${f.message}`), []);
          });
        }
      });
      describe('invalid', () => {
        for (const t of tests.invalid) {
          it(t.name, () => {
            const { findings } = lintWith(rule, t);
            assert.ok(t.errors.length > 0, 'an invalid case must expect at least one error');
            for (const f of findings) checkMessageShape(f);
            const actual = findings.map((f) => {
              const s = position(t.code, f.span.start);
              const e = position(t.code, f.span.end);
              return { ruleId: f.ruleId, message: f.message, line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
            });
            assert.equal(actual.length, t.errors.length, `expected ${t.errors.length} findings, got ${JSON.stringify(actual, null, 1)}`);
            t.errors.forEach((expected, i) => {
              const a = actual[i];
              assert.equal(a.ruleId, rule.id);
              assert.ok(matches(a.message, expected.message), `message ${JSON.stringify(a.message)} does not match ${String(expected.message)}`);
              if (expected.severity !== undefined) assert.equal(findings[i].severity, expected.severity, `severity of "${a.message}"`);
              if (expected.detail !== undefined) {
                const detail = findings[i].detail ?? '';
                assert.ok(matches(detail, expected.detail), `detail ${JSON.stringify(detail)} does not match ${String(expected.detail)}`);
              }
              assert.deepEqual(
                { line: a.line, column: a.column, endLine: a.endLine, endColumn: a.endColumn },
                { line: expected.line, column: expected.column, endLine: expected.endLine, endColumn: expected.endColumn },
              );
              assert.equal(findings[i].fixes.length, expected.fixes.length, `fixes offered: ${findings[i].fixes.map((f) => f.title).join(' | ')}`);
              expected.fixes.forEach((fx, k) => checkFix(rule, t, findings[i], fx, k));
            });
          });
        }
      });
    });
  }
}

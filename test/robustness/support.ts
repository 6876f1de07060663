/**
 * Shared by the robustness tests (test/robustness/*.test.ts) and `npm run fuzz`
 * (scripts/fuzz.ts): where the corpus is, the properties every lint must satisfy,
 * the fix invariants, and the regression-case format.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Edit, Finding, LintOptions } from '../../server/src/engine';
import { applyEdits, applyFixes, fixAll, lint } from '../../server/src/engine';
import { detectByPath } from '../../server/src/engine/detect';
import { commentsOf } from '../rule-tester';

/** The repository root (tests run from out/test/robustness). */
export const ROOT = join(__dirname, '..', '..', '..');
/** The shared corpus (../shared/corpus); CPL_CORPUS overrides it. */
export const CORPUS_DIR = process.env.CPL_CORPUS ?? join(ROOT, '..', 'shared', 'corpus');
/** Regression cases live in the source tree, not in out/. */
export const REGRESSIONS_DIR = join(ROOT, 'test', 'robustness', 'regressions');

/** The fixed seed CI uses; `npm run fuzz` picks a fresh one unless --seed is given. */
export const CI_SEED = 0x6370_6c21;

export interface Sample {
  /** Decides the kind, as in the editor (`compose.yaml`, `Dockerfile`, `.devcontainer/devcontainer.json`). */
  path: string;
  text: string;
}

// ---- Corpus ------------------------------------------------------------------------

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Every corpus file the engine detects by its path, sorted, with its text. */
export function corpusFiles(maxSize = Infinity): Sample[] {
  if (!existsSync(CORPUS_DIR)) return [];
  return walk(CORPUS_DIR, [])
    .filter((p) => detectByPath(p) !== undefined && statSync(p).size <= maxSize)
    .sort()
    .map((p) => ({ path: relative(CORPUS_DIR, p), text: readFileSync(p, 'utf8') }));
}

/** The examples shipped in the repository: a seed set that exists even without the corpus. */
export function exampleFiles(): Sample[] {
  const dir = join(ROOT, 'examples');
  if (!existsSync(dir)) return [];
  return walk(dir, [])
    .filter((p) => detectByPath(p) !== undefined)
    .sort()
    .map((p) => ({ path: relative(dir, p), text: readFileSync(p, 'utf8') }));
}

// ---- The lint properties -----------------------------------------------------------

/**
 * Generous: not a speed test, a hang detector. The machine may be shared with other builds, so
 * the bound is several times what a lint takes there (2 MB: 37 s); a quadratic lint of the same
 * input takes minutes. How the time grows with the input is checked by growth.test.ts (ratios).
 */
export function timeBudgetMs(text: string): number {
  return 5000 + text.length / 64;
}

function spanInside(what: string, span: { start: number; end: number }, length: number): void {
  assert.ok(
    Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length,
    `${what} [${span.start}, ${span.end}] is not inside the text (length ${length})`,
  );
}

/** Edits of one fix: inside the text, non-empty as a whole, not overlapping each other. */
export function checkEdits(edits: Edit[], length: number, what: string): void {
  assert.ok(edits.length > 0, `${what} has no edits`);
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const e of sorted) {
    spanInside(`${what}: edit`, e, length);
    assert.equal(typeof e.text, 'string', `${what}: edit text must be a string`);
  }
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    assert.ok(a.end <= b.start, `${what}: edits overlap ([${a.start}, ${a.end}] and [${b.start}, ${b.end}])`);
    assert.ok(!(a.start === a.end && b.start === b.end && a.start === b.start), `${what}: two insertions at the same offset ${a.start}`);
  }
}

/**
 * lint never throws, returns within the time budget, and every finding's span (and every
 * related span and fix edit) lies inside the text. Returns the findings.
 */
export function checkLint(sample: Sample, options: Partial<LintOptions> = {}): Finding[] {
  const t0 = performance.now();
  let findings: Finding[];
  try {
    findings = lint(sample.text, { path: sample.path, ...options }).findings;
  } catch (e) {
    assert.fail(`lint threw on ${sample.path} (${sample.text.length} chars): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  const elapsed = performance.now() - t0;
  const budget = timeBudgetMs(sample.text);
  assert.ok(elapsed < budget, `lint took ${elapsed.toFixed(0)} ms on ${sample.path} (${sample.text.length} chars); budget ${budget.toFixed(0)} ms`);
  const n = sample.text.length;
  for (const f of findings) {
    const what = `${f.ruleId} "${f.message}"`;
    spanInside(`${what}: span`, f.span, n);
    for (const r of f.related ?? []) spanInside(`${what}: related`, r.span, n);
    assert.ok(f.fixes.filter((x) => x.preferred).length <= 1, `${what}: more than one preferred fix`);
    f.fixes.forEach((fix, i) => checkEdits(fix.edits, n, `${what}: fix #${i} "${fix.title}"`));
  }
  return findings;
}

// ---- The fix invariants ------------------------------------------------------------

function lineEndings(text: string): { crlf: number; lf: number; cr: number } {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    } else if (c === 10) lf++;
  }
  return { crlf, lf, cr };
}

/** Which characters lead indented lines: tabs, spaces, both or neither. */
function indentChars(text: string): { tab: boolean; space: boolean } {
  let tab = false;
  let space = false;
  for (const m of text.matchAll(/^([ \t]+)\S/gm)) {
    if (m[1].startsWith('\t')) tab = true;
    else space = true;
  }
  return { tab, space };
}

const count = (fs: Finding[], pred: (f: Finding) => boolean): number => fs.reduce((n, f) => n + (pred(f) ? 1 : 0), 0);
const sameFinding = (a: Finding) => (b: Finding) => b.ruleId === a.ruleId && b.message === a.message;
const isParseError = (f: Finding) => f.ruleId === 'parse-error';

export interface FixStats {
  fixes: number;
  fixAllApplied: number;
}

/**
 * For every finding and each of its fixes: the fixed text parses with no new parse
 * error, the finding is gone (one fewer of the same rule and message), nothing outside
 * the edits changed, every comment is kept, line endings and indentation style are
 * kept; and fixAll twice equals fixAll once.
 */
export function checkFixInvariants(sample: Sample, findings = lint(sample.text, { path: sample.path }).findings): FixStats {
  const { text, path } = sample;
  const options = { path };
  const parseErrorsBefore = count(findings, isParseError);
  const comments = commentsOf(text);
  const le0 = lineEndings(text);
  const ind0 = indentChars(text);
  let fixes = 0;
  for (const finding of findings) {
    finding.fixes.forEach((fix, k) => {
      fixes++;
      const what = `${path}: fix #${k} "${fix.title}" of ${finding.ruleId} "${finding.message}"`;
      checkEdits(fix.edits, text.length, what);
      const output = applyEdits(text, fix.edits);
      assert.notEqual(output, text, `${what} changes nothing`);
      // Nothing outside the edits changed.
      const sorted = [...fix.edits].sort((a, b) => a.start - b.start);
      let at = 0;
      let outAt = 0;
      for (const e of sorted) {
        const keep = text.slice(at, e.start);
        assert.equal(output.slice(outAt, outAt + keep.length), keep, `${what} changed text outside its edits (at ${at})`);
        outAt += keep.length + e.text.length;
        at = e.end;
      }
      assert.equal(output.slice(outAt), text.slice(at), `${what} changed text after its last edit`);
      // Re-lint.
      const after = lint(output, options).findings;
      assert.ok(count(after, isParseError) <= parseErrorsBefore, `${what} produced text that does not parse:\n${after.filter(isParseError).map((f) => f.message).join('\n')}\n---\n${output}`);
      assert.ok(count(after, sameFinding(finding)) < count(findings, sameFinding(finding)), `${what} did not make its finding disappear\n---\n${output}`);
      const kept = commentsOf(output);
      for (const c of comments) {
        const i = kept.indexOf(c);
        assert.ok(i >= 0, `${what} dropped the comment ${JSON.stringify(c)}\n---\n${output}`);
        kept.splice(i, 1);
      }
      const le1 = lineEndings(output);
      if (le0.crlf > 0 && le0.lf === 0) assert.equal(le1.lf, 0, `${what} introduced LF line endings into a CRLF file`);
      if (le0.lf > 0 && le0.crlf === 0) assert.equal(le1.crlf, 0, `${what} introduced CRLF line endings into an LF file`);
      if (le0.cr === 0) assert.equal(le1.cr, 0, `${what} introduced lone CR line endings`);
      const ind1 = indentChars(output);
      if (ind0.space && !ind0.tab) assert.ok(!ind1.tab, `${what} indented with tabs in a file indented with spaces\n---\n${output}`);
      if (ind0.tab && !ind0.space) assert.ok(!ind1.space, `${what} indented with spaces in a file indented with tabs\n---\n${output}`);
    });
  }
  // fixAll is idempotent, for safe fixes (--fix) and with suggestions (--fix --unsafe-fixes), and
  // always converges. Without a fix it is the identity, so nothing to run.
  let fixAllApplied = 0;
  if (findings.some((f) => f.fixes.length > 0)) {
    const all = fixAll(text, options, { unsafe: true });
    assert.equal(all.error, undefined, `${path}: fixAll --unsafe-fixes did not converge: ${all.error}`);
    assert.equal(fixAll(all.text, options, { unsafe: true }).text, all.text, `${path}: fixAll --unsafe-fixes twice differs from once`);
    assert.ok(count(lint(all.text, options).findings, isParseError) <= parseErrorsBefore, `${path}: fixAll --unsafe-fixes produced text that does not parse\n---\n${all.text}`);
    const keptAll = commentsOf(all.text);
    for (const c of comments) {
      const i = keptAll.indexOf(c);
      assert.ok(i >= 0, `${path}: fixAll --unsafe-fixes dropped the comment ${JSON.stringify(c)}\n---\n${all.text}`);
      keptAll.splice(i, 1);
    }
  }
  if (findings.some((f) => f.fixes.some((x) => x.preferred))) {
    const once = fixAll(text, options);
    assert.equal(once.error, undefined, `${path}: fixAll did not converge: ${once.error}`);
    fixAllApplied = once.applied;
    const twice = fixAll(once.text, options);
    assert.equal(twice.text, once.text, `${path}: fixAll twice differs from fixAll once (second run applied ${twice.applied})`);
    const after = lint(once.text, options).findings;
    assert.ok(count(after, isParseError) <= parseErrorsBefore, `${path}: fixAll produced text that does not parse\n---\n${once.text}`);
    // applyFixes on the final text has nothing left to do.
    assert.equal(applyFixes(once.text, after).applied, 0, `${path}: fixAll stopped with preferred fixes left`);
    const kept = commentsOf(once.text);
    for (const c of comments) {
      const i = kept.indexOf(c);
      assert.ok(i >= 0, `${path}: fixAll dropped the comment ${JSON.stringify(c)}\n---\n${once.text}`);
      kept.splice(i, 1);
    }
  }
  return { fixes, fixAllApplied };
}

// ---- Regression cases --------------------------------------------------------------

export interface RegressionCase extends Sample {
  /** Which property failed: `lint` (throws, hang, span outside) or `fix` (a fix invariant). */
  property: 'lint' | 'fix';
  /** What was found, and (once fixed) by what. */
  note: string;
  /** While the engine still fails it (or is slow on it): the proposed fix (file, change). */
  open?: string;
  /** Where it was fixed. */
  fixed?: string;
}

/** Text too large to store literally is stored as a recipe: `{repeat: [unit, count]}` parts. */
type Part = string | { repeat: [string, number] };

export function loadRegressions(): (RegressionCase & { file: string })[] {
  if (!existsSync(REGRESSIONS_DIR)) return [];
  return readdirSync(REGRESSIONS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(REGRESSIONS_DIR, file), 'utf8')) as Omit<RegressionCase, 'text'> & { text: string | Part[] };
      const text = typeof raw.text === 'string' ? raw.text : raw.text.map((p) => (typeof p === 'string' ? p : p.repeat[0].repeat(p.repeat[1]))).join('');
      return { ...raw, text, file };
    });
}

/** Stores a large text compactly: runs of a repeated unit longer than 64 become recipes. */
export function compactText(text: string): string | Part[] {
  if (text.length < 4096) return text;
  const parts: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    let best: [string, number] | undefined;
    for (let u = 1; u <= 8 && i + u <= text.length; u++) {
      const unit = text.slice(i, i + u);
      let n = 1;
      while (text.startsWith(unit, i + n * u)) n++;
      if (n * u > 64 && (!best || n * u > best[0].length * best[1])) best = [unit, n];
    }
    if (best) {
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ repeat: best });
      i += best[0].length * best[1];
    } else {
      lit += text[i];
      i++;
    }
  }
  if (lit) parts.push(lit);
  return parts;
}

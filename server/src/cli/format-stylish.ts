/**
 * ESLint's "stylish" layout: a path header per file, then
 * `line:col  severity  message  rule-id` rows (location and severity aligned, the message not
 * padded), then a count per rule and a summary line.
 */
import type { Severity } from '../engine/model';
import type { PrivilegedExplanation } from '../engine/replace';
import { addCounts, count, plural } from './report';
import type { Counts, FileReport } from './report';

export interface StylishOptions {
  color: boolean;
  /** How a file's absolute path is shown (relative to the cwd, usually). */
  displayPath(filePath: string): string;
  /** Also print each finding's detail (the why and the how) and each privileged container's inferred replacement (--explain). */
  explain?: boolean;
}

const ESC = '\u001b[';
const style = (codes: string, close: string) => (s: string) => `${ESC}${codes}m${s}${ESC}${close}m`;
const COLORS = {
  red: style('31', '39'),
  yellow: style('33', '39'),
  cyan: style('36', '39'),
  green: style('32', '39'),
  dim: style('2', '22'),
  bold: style('1', '22'),
  underline: style('4', '24'),
};
const NO_COLORS: typeof COLORS = {
  red: (s) => s,
  yellow: (s) => s,
  cyan: (s) => s,
  green: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
  underline: (s) => s,
};

export function formatStylish(reports: FileReport[], options: StylishOptions): string {
  const stream = new StylishStream(options);
  let out = '';
  for (const report of reports) out += stream.file(report);
  return out + stream.end();
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

interface RuleRow {
  ruleId: string;
  severity: Severity;
  count: number;
  fixable: number;
}

/**
 * The stylish text made one file at a time (the CLI writes each file's rows and lets go of its
 * findings, #16): `file()` gives a file's rows and keeps only the counts the closing summary needs.
 */
export class StylishStream {
  private readonly c: typeof COLORS;
  private readonly counts: Counts = count([]);
  private readonly byRule = new Map<string, RuleRow>();

  constructor(private readonly options: StylishOptions) {
    this.c = options.color ? COLORS : NO_COLORS;
  }

  private severityColor(s: Severity): (text: string) => string {
    return s === 'error' ? this.c.red : s === 'warning' ? this.c.yellow : this.c.cyan;
  }

  file(report: FileReport): string {
    const { c, options } = this;
    addCounts(this.counts, count([report]));
    for (const { finding } of report.findings) {
      // Counts per rule and severity for the summary.
      const key = `${finding.severity}\u0000${finding.ruleId}`;
      let row = this.byRule.get(key);
      if (!row) this.byRule.set(key, (row = { ruleId: finding.ruleId, severity: finding.severity, count: 0, fixable: 0 }));
      row.count++;
      if (finding.fixes.some((f) => f.preferred)) row.fixable++;
    }
    if (report.findings.length === 0) return '';
    const rows = report.findings.map(({ finding, region }) => ({
      location: `${region.line}:${region.column}`,
      severity: finding.severity,
      message: oneLine(finding.message),
      detail: finding.detail,
      ruleId: finding.ruleId,
    }));
    // Location and severity are short and aligned; the message is not padded, so a long one
    // does not widen every other line: the rule id follows it, as ESLint prints it.
    const width = (key: 'location' | 'severity') => rows.reduce((w, r) => Math.max(w, r[key].length), 0);
    const wLoc = width('location');
    const wSev = width('severity');
    let out = `\n${c.underline(options.displayPath(report.filePath))}\n`;
    for (const r of rows) {
      out += `  ${c.dim(r.location.padEnd(wLoc))}  ${this.severityColor(r.severity)(r.severity.padEnd(wSev))}  ${r.message}  ${c.dim(r.ruleId)}\n`;
      if (options.explain && r.detail) out += wrap(oneLine(r.detail), ' '.repeat(wLoc + wSev + 6), 100).map((l) => `${c.dim(l)}\n`).join('');
    }
    if (options.explain) for (const p of report.privileged ?? []) out += explainBlock(p.line, p.column, p.explanation, c.bold);
    return out;
  }

  end(): string {
    const { c } = this;
    const n = this.counts;
    const total = n.errors + n.warnings + n.infos;
    if (total === 0) return '';
    let out = this.ruleSummary();
    const summaryColor = n.errors > 0 ? c.red : n.warnings > 0 ? c.yellow : c.cyan;
    out += `\n${summaryColor(c.bold(`\u2716 ${plural(total, 'problem')} (${plural(n.errors, 'error')}, ${plural(n.warnings, 'warning')}, ${plural(n.infos, 'info')})`))}\n`;
    const fixable = n.fixableErrors + n.fixableWarnings + n.fixableInfos;
    if (fixable > 0) {
      out += `${summaryColor(c.bold(`  ${plural(n.fixableErrors, 'error')}, ${plural(n.fixableWarnings, 'warning')} and ${plural(n.fixableInfos, 'info')} potentially fixable with the \`--fix\` option.`))}\n`;
    }
    if (n.unsafeFixable > 0) {
      out += `${summaryColor(c.bold(`  ${plural(n.unsafeFixable, 'more problem')} fixable with \`--fix --unsafe-fixes\` (suggestions: check each one, see --fix-dry-run).`))}\n`;
    }
    return `${out}\n`;
  }

  /**
   * Counts per rule and severity, most severe first, then the most frequent: the few errors are
   * not buried under hundreds of hardening notes. "fixable" counts findings `--fix` would fix.
   */
  private ruleSummary(): string {
    const { c } = this;
    const rows = [...this.byRule.values()].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.count - a.count || a.ruleId.localeCompare(b.ruleId));
    const wCount = Math.max(5, ...rows.map((r) => String(r.count).length));
    const wSev = Math.max(...rows.map((r) => r.severity.length), 'severity'.length);
    const wFix = Math.max('fixable'.length, ...rows.map((r) => String(r.fixable).length));
    let out = `\n${c.bold('By rule')}\n`;
    out += c.dim(`  ${'count'.padStart(wCount)}  ${'severity'.padEnd(wSev)}  ${'fixable'.padStart(wFix)}  rule`) + '\n';
    for (const r of rows) {
      out += `  ${String(r.count).padStart(wCount)}  ${this.severityColor(r.severity)(r.severity.padEnd(wSev))}  ${String(r.fixable).padStart(wFix)}  ${r.ruleId}\n`;
    }
    return out;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own), each indented. */
function wrap(text: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

function explainBlock(line: number, column: number, x: PrivilegedExplanation, bold: (s: string) => string): string {
  let out = `\n  ${bold(`${line}:${column}  privileged on ${x.container}${x.image ? ` (${x.image})` : ''}: ${x.verdict}, confidence ${x.inference.confidence}`)}\n`;
  if (x.summary) out += `    ${x.summary}\n`;
  if (x.replacement) out += `    preferred fix: ${x.replacement}\n`;
  for (const item of x.items) {
    const state = item.written ? 'adds' : item.present ? 'already set' : 'not written';
    out += `    - ${item.what} ${item.value} (${state}): ${item.reason}\n`;
  }
  for (const n of x.notes) out += `    note: ${n}\n`;
  for (const a of x.alternatives) out += `    alternative: ${a}\n`;
  return out;
}

export interface TierSummaryOptions {
  color: boolean;
  displayPath(filePath: string): string;
}

/**
 * --summary: each workload's container(s) on the six-tier ladder, per file, after the
 * findings; then, once, what the files cannot say (a Docker daemon's mode).
 */
export function formatTierSummary(reports: FileReport[], options: TierSummaryOptions): string {
  const c = options.color ? COLORS : NO_COLORS;
  const withTiers = reports.filter((r) => (r.tiers ?? []).length > 0);
  if (withTiers.length === 0) return '\nDefence-in-depth tiers: no workloads found.\n';
  const tierColor = (n: number) => (n <= 2 ? c.red : n <= 4 ? c.yellow : c.green);
  let out = `\n${c.bold('Defence-in-depth tiers')} ${c.dim('(1 privileged + root … 6 own user namespace + non-root)')}\n`;
  let assumed = false;
  for (const report of withTiers) {
    const rows = report.tiers!.map((t) => ({
      location: `${t.line}:${t.column}`,
      name: t.kind === 'kubernetes' && t.workload !== t.container ? `${t.workload} ${t.container}` : t.container,
      tier: t.tier,
      summary: t.summary,
    }));
    assumed ||= report.tiers!.some((t) => t.userNamespace === 'assumed-host');
    const wLoc = rows.reduce((w, r) => Math.max(w, r.location.length), 0);
    const wName = rows.reduce((w, r) => Math.max(w, r.name.length), 0);
    out += `\n${c.underline(options.displayPath(report.filePath))}\n`;
    for (const r of rows) out += `  ${c.dim(r.location.padEnd(wLoc))}  ${r.name.padEnd(wName)}  ${tierColor(r.tier)(r.summary)}\n`;
  }
  if (assumed) out += `\n${c.dim("Docker formats: the daemon's mode (rootless or userns-remap) is not visible in these files; assuming rootful.")}\n`;
  return out;
}

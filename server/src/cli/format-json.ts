/**
 * JSON output: one entry per linted file (findings or not), 1-based positions.
 */
import type { PrivilegedExplanation } from '../engine/replace';
import type { FileReport, PlacedTier } from './report';

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  /** The why and the how: what the setting lets a process do, what to write instead. */
  detail?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** `kind`: `safe` (applied by --fix) or `suggestion` (only with --unsafe-fixes); `check`: what to verify before applying a suggestion. */
  fixes: { title: string; kind: 'safe' | 'suggestion'; preferred: boolean; check?: string }[];
  /** Other places the finding points at; `filePath` when the place is in another file (a service's Dockerfile). */
  related?: { message: string; line: number; column: number; endLine: number; endColumn: number; filePath?: string }[];
}

export interface JsonFileResult {
  filePath: string;
  kind: string | null;
  findings: JsonFinding[];
  /** Each privileged container's inferred replacement with the reason for every item (when there is one). */
  privileged?: { line: number; column: number; explanation: PrivilegedExplanation }[];
  /** Each container's defence-in-depth tier (1 privileged + root … 6 own user namespace + non-root), at its anchor. */
  tiers?: PlacedTier[];
}

export function toJson(reports: FileReport[]): JsonFileResult[] {
  return reports.map(jsonEntry);
}

function jsonEntry(r: FileReport): JsonFileResult {
  return {
    filePath: r.filePath,
    kind: r.kind ?? null,
    findings: r.findings.map(({ finding, region, related }) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      ...(finding.detail ? { detail: finding.detail } : {}),
      line: region.line,
      column: region.column,
      endLine: region.endLine,
      endColumn: region.endColumn,
      fixes: finding.fixes.map((f) => ({ title: f.title, kind: f.kind, preferred: f.preferred === true, ...(f.check ? { check: f.check } : {}) })),
      ...(related.length > 0
        ? { related: related.map((x) => ({ message: x.message, line: x.region.line, column: x.region.column, endLine: x.region.endLine, endColumn: x.region.endColumn, ...(x.filePath ? { filePath: x.filePath } : {}) })) }
        : {}),
    })),
    ...(r.privileged ? { privileged: r.privileged } : {}),
    ...(r.tiers ? { tiers: r.tiers } : {}),
  };
}

export function formatJson(reports: FileReport[]): string {
  return `${JSON.stringify(toJson(reports), null, 2)}\n`;
}

/**
 * The same text as formatJson, made one file at a time, so the CLI can write each file's entry
 * and let go of its findings (#16): `file()` gives the entry with what goes before it, `end()`
 * what closes the array. A JSON string never holds a raw line break, so indenting every line of
 * an entry by two spaces is exactly what JSON.stringify does for an array element.
 */
export class JsonStream {
  private entries = 0;

  file(report: FileReport): string {
    const entry = JSON.stringify(jsonEntry(report), null, 2).replace(/\n/g, '\n  ');
    return `${this.entries++ === 0 ? '[\n  ' : ',\n  '}${entry}`;
  }

  end(): string {
    return this.entries === 0 ? '[]\n' : '\n]\n';
  }
}

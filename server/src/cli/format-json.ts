/**
 * JSON output: one entry per linted file (findings or not), 1-based positions.
 */
import type { PrivilegedExplanation } from '../engine/replace';
import type { FileReport } from './report';

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixes: { title: string; preferred: boolean }[];
}

export interface JsonFileResult {
  filePath: string;
  kind: string | null;
  findings: JsonFinding[];
  /** Each privileged container's inferred replacement with the reason for every item (when there is one). */
  privileged?: { line: number; column: number; explanation: PrivilegedExplanation }[];
}

export function toJson(reports: FileReport[]): JsonFileResult[] {
  return reports.map((r) => ({
    filePath: r.filePath,
    kind: r.kind ?? null,
    findings: r.findings.map(({ finding, region }) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      line: region.line,
      column: region.column,
      endLine: region.endLine,
      endColumn: region.endColumn,
      fixes: finding.fixes.map((f) => ({ title: f.title, preferred: f.preferred === true })),
    })),
    ...(r.privileged ? { privileged: r.privileged } : {}),
  }));
}

export function formatJson(reports: FileReport[]): string {
  return `${JSON.stringify(toJson(reports), null, 2)}\n`;
}

/**
 * JSON output: one entry per linted file (findings or not), 1-based positions.
 */
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
  }));
}

export function formatJson(reports: FileReport[]): string {
  return `${JSON.stringify(toJson(reports), null, 2)}\n`;
}

/**
 * What the formatters receive: each linted file with its findings already placed
 * (1-based lines and UTF-16 columns).
 */
import type { FileKind, Finding, Severity } from '../engine/model';
import type { PrivilegedExplanation } from '../engine/replace';
import type { Region } from './positions';

export interface PlacedFinding {
  finding: Finding;
  region: Region;
  related: { region: Region; message: string }[];
}

export interface FileReport {
  /** Absolute path. */
  filePath: string;
  kind: FileKind | undefined;
  findings: PlacedFinding[];
  /** Each privileged container's inferred replacement, where the setting is written. */
  privileged?: { line: number; column: number; explanation: PrivilegedExplanation }[];
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings with a preferred fix, per severity. */
  fixableErrors: number;
  fixableWarnings: number;
  fixableInfos: number;
}

export function count(reports: FileReport[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0, fixableErrors: 0, fixableWarnings: 0, fixableInfos: 0 };
  for (const r of reports) {
    for (const { finding } of r.findings) {
      const fixable = finding.fixes.some((f) => f.preferred);
      bump(c, finding.severity, fixable);
    }
  }
  return c;
}

function bump(c: Counts, severity: Severity, fixable: boolean): void {
  switch (severity) {
    case 'error':
      c.errors++;
      if (fixable) c.fixableErrors++;
      break;
    case 'warning':
      c.warnings++;
      if (fixable) c.fixableWarnings++;
      break;
    case 'info':
      c.infos++;
      if (fixable) c.fixableInfos++;
      break;
  }
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

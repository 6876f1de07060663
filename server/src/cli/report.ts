/**
 * What the formatters receive: each linted file with its findings already placed
 * (1-based lines and UTF-16 columns).
 */
import type { FileKind, Finding, Severity } from '../engine/model';
import type { PrivilegedExplanation } from '../engine/replace';
import type { TierAssessment } from '../engine/tier';
import type { Region } from './positions';

export interface PlacedRelated {
  region: Region;
  message: string;
  /** Absolute path of another file (a service's Dockerfile); absent: the finding's own file. */
  filePath?: string;
}

export interface PlacedFinding {
  finding: Finding;
  region: Region;
  related: PlacedRelated[];
}

/** A container's defence-in-depth tier, placed at its anchor (the service key, the container name, the final FROM). */
export interface PlacedTier {
  line: number;
  column: number;
  kind: FileKind;
  workload: string;
  container: string;
  tier: TierAssessment['tier'];
  privileged: boolean;
  user: TierAssessment['user'];
  userNamespace: TierAssessment['userNamespace'];
  summary: string;
  notes: string[];
}

export interface FileReport {
  /** Absolute path. */
  filePath: string;
  kind: FileKind | undefined;
  findings: PlacedFinding[];
  /** Each privileged container's inferred replacement, where the setting is written. */
  privileged?: { line: number; column: number; explanation: PrivilegedExplanation }[];
  /** Each container's tier (absent for files that were not analysed). */
  tiers?: PlacedTier[];
}

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  /** Findings with a safe fix (applied by --fix), per severity. */
  fixableErrors: number;
  fixableWarnings: number;
  fixableInfos: number;
  /** Findings with only suggestions: --fix leaves them, --fix --unsafe-fixes applies one. */
  unsafeFixable: number;
}

export function count(reports: FileReport[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0, fixableErrors: 0, fixableWarnings: 0, fixableInfos: 0, unsafeFixable: 0 };
  for (const r of reports) {
    for (const { finding } of r.findings) {
      const fixable = finding.fixes.some((f) => f.preferred);
      if (!fixable && finding.fixes.length > 0) c.unsafeFixable++;
      bump(c, finding.severity, fixable);
    }
  }
  return c;
}

/** Adds `more` into `total`. */
export function addCounts(total: Counts, more: Counts): void {
  for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += more[key];
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

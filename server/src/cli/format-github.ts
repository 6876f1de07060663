/**
 * GitHub Actions workflow commands: one annotation per finding, which the runner shows on the
 * pull request's diff and in the job summary.
 *
 *   ::error file=k8s/app.yaml,line=12,endLine=12,col=9,endColumn=24,title=no-privileged::message
 *
 * Severity: error → `::error`, warning → `::warning`, info → `::notice`. The file is relative to
 * GITHUB_WORKSPACE (the repository root the runner matches annotations against), with `/`.
 *
 * Escaping follows the runner's command parser: in the message (command data) `%`, `\r` and `\n`
 * become `%25`, `%0D` and `%0A`; property values also escape `:` and `,` (`%3A`, `%2C`), which
 * would otherwise end the value or the property list.
 */
import * as path from 'node:path';
import type { Severity } from '../engine/model';
import type { FileReport } from './report';

export interface GithubOptions {
  /** Annotations name files relative to this folder (GITHUB_WORKSPACE, else the cwd). */
  root: string;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotationCommand(severity: Severity): 'error' | 'warning' | 'notice' {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'info':
      return 'notice';
  }
}

export function formatGithub(reports: FileReport[], options: GithubOptions): string {
  let out = '';
  for (const report of reports) {
    const file = annotationPath(report.filePath, options.root);
    for (const { finding, region } of report.findings) {
      const props: [string, string][] = [
        ['file', file],
        ['line', String(region.line)],
        ['endLine', String(region.endLine)],
      ];
      // Columns mean something to the runner only on a one-line range; its end column is inclusive.
      if (region.line === region.endLine) {
        props.push(['col', String(region.column)], ['endColumn', String(Math.max(region.column, region.endColumn - 1))]);
      }
      props.push(['title', finding.ruleId]);
      const list = props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
      out += `::${annotationCommand(finding.severity)} ${list}::${escapeData(finding.message)}\n`;
    }
  }
  return out;
}

function annotationPath(file: string, root: string): string {
  const rel = path.relative(root, file);
  const shown = rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) ? file : rel;
  return shown.split(path.sep).join('/');
}

/**
 * SARIF 2.1.0: one run, the rules as reportingDescriptors with help links, results with
 * 1-based regions (columns in UTF-16 code units), URIs relative to %SRCROOT% (the cwd).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Severity, SeverityOrOff } from '../engine/model';
import { pseudoRuleById } from '../engine/pseudo-rules';
import { DOCS_BASE, ruleDocUrl } from '../engine/rule';
import type { Rule } from '../engine/rule';
import type { FileReport } from './report';
import type { Region } from './positions';

export const TOOL_NAME = 'container-privilege-lint';
/** The project's home, derived from the docs base so the two cannot disagree. */
export const INFORMATION_URI = DOCS_BASE.replace(/\/blob\/.*$/, '');

const SRCROOT = '%SRCROOT%';

export interface SarifOptions {
  version: string;
  cwd: string;
  rules: readonly Rule[];
}

export function level(severity: SeverityOrOff): Sarif.ReportingConfiguration.level {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'info':
      return 'note';
    case 'off':
      return 'none';
  }
}

export function toSarif(reports: FileReport[], options: SarifOptions): Sarif.Log {
  const descriptors: Sarif.ReportingDescriptor[] = [];
  const indexOf = new Map<string, number>();
  for (const rule of options.rules) {
    indexOf.set(rule.id, descriptors.length);
    descriptors.push({
      id: rule.id,
      shortDescription: { text: rule.meta.description },
      ...(rule.meta.risk ? { fullDescription: { text: rule.meta.risk } } : {}),
      helpUri: ruleDocUrl(rule.id),
      help: ruleHelp(rule),
      defaultConfiguration: { level: level(rule.meta.defaultSeverity), enabled: rule.meta.defaultSeverity !== 'off' },
      properties: { tags: ['security'], ...(rule.meta.standards.length > 0 ? { standards: [...rule.meta.standards] } : {}) },
    });
  }
  const descriptorFor = (ruleId: string): number => {
    let i = indexOf.get(ruleId);
    if (i === undefined) {
      const pseudo = pseudoRuleById.get(ruleId);
      i = descriptors.length;
      indexOf.set(ruleId, i);
      descriptors.push({
        id: ruleId,
        shortDescription: { text: pseudo?.description ?? ruleId },
        ...(pseudo
          ? {
              fullDescription: { text: pseudo.help },
              helpUri: ruleDocUrl(ruleId),
              help: { text: `${pseudo.help} See ${ruleDocUrl(ruleId)}`, markdown: `**${pseudo.description}**\n\n${pseudo.help}\n\n[Documentation](${ruleDocUrl(ruleId)})` },
            }
          : {}),
        defaultConfiguration: { level: level(pseudo?.severity ?? 'warning') },
      });
    }
    return i;
  };

  const results: Sarif.Result[] = [];
  for (const report of reports) {
    const artifactLocation = artifactFor(report.filePath, options.cwd);
    for (const { finding, region, related } of report.findings) {
      const result: Sarif.Result = {
        ruleId: finding.ruleId,
        ruleIndex: descriptorFor(finding.ruleId),
        level: level(finding.severity as Severity),
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation, region: sarifRegion(region) } }],
      };
      if (finding.fixes.length > 0) {
        // SARIF fixes as offset replacements (charOffset counts UTF-16 code units, as columnKind says);
        // properties.kind says which ones --fix applies (`safe`) and which are suggestions.
        result.fixes = finding.fixes.map((f) => ({
          description: { text: f.check ? `${f.title} (suggestion: ${f.check})` : f.title },
          artifactChanges: [{ artifactLocation, replacements: f.edits.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.text } })) }],
          properties: { kind: f.kind, preferred: f.preferred === true },
        }));
      }
      // The why and the how: SARIF results have no field for it, so it goes in the property bag.
      if (finding.detail) result.properties = { detail: finding.detail };
      if (related.length > 0) {
        result.relatedLocations = related.map((r, id) => ({
          id,
          message: { text: r.message },
          physicalLocation: { artifactLocation: r.filePath ? artifactFor(r.filePath, options.cwd) : artifactLocation, region: sarifRegion(r.region) },
        }));
      }
      results.push(result);
    }
  }
  // Each container's tier, per file: a run property (SARIF has no place for facts that are not results).
  const tiers = reports
    .filter((r) => (r.tiers ?? []).length > 0)
    .map((r) => ({ artifactLocation: artifactFor(r.filePath, options.cwd), tiers: r.tiers! }));

  let root = pathToFileURL(options.cwd).href;
  if (!root.endsWith('/')) root += '/';
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules: descriptors,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: root } },
        columnKind: 'utf16CodeUnits',
        results,
        ...(tiers.length > 0 ? { properties: { tiers } } : {}),
      },
    ],
  };
}

export function formatSarif(reports: FileReport[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(reports, options), null, 2)}\n`;
}

/** The rule's help, as GitHub code scanning shows it: what it catches, why, what the fix does, the standards. */
function ruleHelp(rule: Rule): Sarif.MultiformatMessageString {
  const url = ruleDocUrl(rule.id);
  const description = rule.meta.description.replace(/\.?$/, '.');
  const text = [description, rule.meta.risk, rule.meta.fixDescription ? `Fix: ${rule.meta.fixDescription}` : '', rule.meta.standards.length > 0 ? `Standards: ${rule.meta.standards.join('; ')}.` : '', `See ${url}`]
    .filter((s) => s !== '')
    .join('\n\n');
  const markdown = [
    `**${description}**`,
    rule.meta.risk,
    rule.meta.fixDescription ? `**Fix:** ${rule.meta.fixDescription}` : '',
    rule.meta.standards.length > 0 ? `**Standards:**\n\n${rule.meta.standards.map((s) => `- ${s}`).join('\n')}` : '',
    `[Documentation](${url})`,
  ]
    .filter((s) => s !== '')
    .join('\n\n');
  return { text, markdown };
}

function sarifRegion(r: Region): Sarif.Region {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

function artifactFor(filePath: string, cwd: string): Sarif.ArtifactLocation {
  const rel = path.relative(cwd, filePath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    return { uri: pathToFileURL(filePath).href };
  }
  return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/**
 * Linting a file of a Helm chart: a template gets the findings written in it (literal
 * settings, missing settings the template provably cannot set); values.yaml gets the
 * findings about the values it holds, from every template that reads them, each with the
 * template line as related information.
 */
import type { EngineConfig } from '../../config';
import { rangeOf } from '../../cross-file';
import type { Finding, RelatedInfo } from '../../model';
import type { EngineSettings } from '../../rule';
import { applySuppressions } from '../../suppress';
import type { ParsedFile } from '../../adapters/types';
import type { LintOptions, LintResult } from '../../index';
import type { ChartFile, MappedFinding } from './chart';
import { analyseTemplate, chartTemplates, extraValuesPaths, Helpers, mapFindings, valuesDoNotParse, valuesPathOf } from './chart';

type RunRules = (parsed: ParsedFile, config: EngineConfig, settings: EngineSettings) => Finding[];

/** At most this many templates are read for one values.yaml (a chart with more is cut short, and says so). */
const MAX_TEMPLATES = 500;

export function lintChartFile(text: string, options: LintOptions, chart: ChartFile, config: EngineConfig, runRules: RunRules): LintResult {
  const readFile = options.readFile!;
  const settings: EngineSettings = { nonRootUid: config.nonRootUid, profile: config.profile };
  const read = (p: string): string | undefined => {
    try {
      const t = readFile(p);
      return t !== undefined && t.length <= config.maxFileSize && !t.slice(0, 8000).includes('\u0000') ? t : undefined;
    } catch {
      return undefined;
    }
  };
  const valuesPath = valuesPathOf(chart.root, readFile);
  // Extra values files (`--values`), merged over values.yaml in order as `helm -f` does; those the chart does not have are ignored.
  const extras = extraValuesPaths(chart.root, options.helmValues ?? []).filter((p) => p === options.path || read(p) !== undefined);
  const layerPaths = [valuesPath, ...extras.filter((p) => p !== valuesPath)];
  const layerTexts = layerPaths.map((p) => (p === options.path ? text : read(p) ?? ''));
  const files = options.listDir ? chartTemplates(chart.root, options.listDir) : { templates: [], helpers: [] };
  const helpers = new Helpers(files.helpers.map((h) => read(h) ?? ''));
  const findings: Finding[] = [];
  const dependencies = [...layerPaths, ...files.helpers];
  if (chart.role === 'template') {
    for (const m of analyse(text, options.path, layerTexts, helpers, config, settings, runRules)) if (m.file === 'template') findings.push(m.finding);
  } else {
    const layer = layerPaths.indexOf(options.path);
    if (valuesDoNotParse(text)) {
      findings.push({ ruleId: 'parse-error', severity: 'error', message: 'YAML parse error: values.yaml does not parse, so the chart\'s templates are not judged against it.', span: { start: 0, end: 0 }, fixes: [] });
    } else {
      const byPlace = new Map<string, Finding>();
      for (const path of files.templates.slice(0, MAX_TEMPLATES)) {
        dependencies.push(path);
        const template = read(path);
        if (template === undefined) continue;
        for (const m of analyse(template, path, layerTexts, helpers, config, settings, runRules)) {
          if (m.file !== 'values' || m.layer !== layer || m.finding.ruleId === 'skipped') continue;
          const key = `${m.finding.ruleId}:${m.finding.span.start}:${m.finding.span.end}`;
          const seen = byPlace.get(key);
          if (!seen) {
            byPlace.set(key, m.finding);
            findings.push(m.finding);
          } else if ((seen.related?.length ?? 0) < 20) {
            seen.related = [...(seen.related ?? []), ...(m.finding.related ?? []).filter((r) => !seen.related?.some((s) => s.path === r.path && s.span.start === r.span.start))];
          }
        }
      }
    }
  }
  const unusedSeverity = config.rules['unused-suppression'] ?? 'warning';
  const result = applySuppressions(text, findings, undefined, unusedSeverity);
  // Parsers may point one past the end at EOF: keep every span inside the text.
  for (const f of result) {
    const start = Math.min(Math.max(0, f.span.start), text.length);
    f.span = { start, end: Math.min(Math.max(start, f.span.end), text.length) };
  }
  result.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.ruleId.localeCompare(b.ruleId));
  return { kind: 'kubernetes', findings: result, dependencies };
}

function analyse(template: string, templatePath: string, valuesTexts: string[], helpers: Helpers, config: EngineConfig, settings: EngineSettings, runRules: RunRules): MappedFinding[] {
  const t = analyseTemplate(template, valuesTexts, helpers);
  const raw = runRules(t.parsed, config, settings);
  return mapFindings(t, raw, {
    templatePath,
    templateText: template,
    nonRootUid: config.nonRootUid,
    templateRange: (span): RelatedInfo['range'] => rangeOf(template, span),
  });
}

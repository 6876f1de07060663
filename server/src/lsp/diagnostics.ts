/**
 * Findings → LSP diagnostics. Offsets become positions only here, through the
 * TextDocument the findings were computed from.
 */
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintResult } from '../engine';
import type { Finding, Severity, Span } from '../engine/model';
import { ruleDocUrl } from '../engine/rule';
import { ruleById } from '../engine/rules';
import { NON_RULE_IDS, SOURCE } from './protocol';
import { pathToUri } from './uri';

export interface DiagnosticOptions {
  /** The client shows relatedInformation. */
  relatedInformation: boolean;
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

export function spanToRange(doc: TextDocument, span: Span, by = 0): Range {
  return { start: doc.positionAt(span.start + by), end: doc.positionAt(span.end + by) };
}

/** The documentation URL of a rule id, or undefined for ids that are not rules. */
export function docUrlFor(ruleId: string): string | undefined {
  return !NON_RULE_IDS.has(ruleId) && ruleById.has(ruleId) ? ruleDocUrl(ruleId) : undefined;
}

/** `by`: where the finding's offsets count from (a YAML document's findings are in its own offsets). */
export function toDiagnostic(doc: TextDocument, finding: Finding, options: DiagnosticOptions, by = 0): Diagnostic {
  const diagnostic: Diagnostic = {
    range: spanToRange(doc, finding.span, by),
    severity: toSeverity(finding.severity),
    source: SOURCE,
    code: finding.ruleId,
    message: finding.message,
  };
  const href = docUrlFor(finding.ruleId);
  if (href) diagnostic.codeDescription = { href };
  if (finding.ruleId === 'unused-suppression') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (options.relatedInformation && finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r): DiagnosticRelatedInformation => {
      // A place in another file (a service's Dockerfile) comes with its own range: this document cannot place it.
      if (r.path !== undefined && r.range) return { location: { uri: toUri(r.path), range: r.range }, message: r.message };
      return { location: { uri: doc.uri, range: spanToRange(doc, r.span, by) }, message: r.message };
    });
  }
  return diagnostic;
}

function toUri(pathOrUri: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(pathOrUri) && !/^[a-z]:[\\/]/i.test(pathOrUri) ? pathOrUri : pathToUri(pathOrUri);
}

export function toDiagnostics(doc: TextDocument, findings: readonly Finding[], options: DiagnosticOptions): Diagnostic[] {
  return findings.map((f) => toDiagnostic(doc, f, options));
}

/**
 * A lint result's diagnostics, in parts: one per YAML document that has findings (then the
 * findings of no document). A document's diagnostics are kept with its findings (the same array
 * from one version to the next while the document is untouched) and the line it started on:
 * after an edit elsewhere they are reused as they are, or made again only when the document
 * moved to another line. Line and character positions do not move with an edit on another line.
 */
export class DiagnosticParts {
  private readonly kept = new WeakMap<readonly Finding[], { line: number; related: boolean; diagnostics: Diagnostic[] }>();

  build(doc: TextDocument, result: LintResult, options: DiagnosticOptions): Diagnostic[][] {
    if (!result.documents) return [toDiagnostics(doc, result.findings, options)];
    const parts: Diagnostic[][] = [];
    for (const part of result.documents) {
      if (part.findings.length === 0) continue;
      const line = doc.positionAt(part.start).line;
      const kept = this.kept.get(part.findings);
      if (kept && kept.line === line && kept.related === options.relatedInformation) {
        parts.push(kept.diagnostics);
        continue;
      }
      const diagnostics = part.findings.map((f) => toDiagnostic(doc, f, options, part.start));
      this.kept.set(part.findings, { line, related: options.relatedInformation, diagnostics });
      parts.push(diagnostics);
    }
    if (result.fileFindings && result.fileFindings.length > 0) parts.push(toDiagnostics(doc, result.fileFindings, options));
    return parts;
  }
}

/** Whether two diagnostic lists say the same (the parts of one analysis against those of the last one reported). */
export function sameParts(a: readonly Diagnostic[][], b: readonly Diagnostic[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  }
  return true;
}

const SEVERITY_ORDER = [DiagnosticSeverity.Error, DiagnosticSeverity.Warning, DiagnosticSeverity.Information, DiagnosticSeverity.Hint];

/**
 * At most `max` diagnostics (0: all), the most severe first, in document order, and then one
 * more at the top of the file saying how many are not shown and why.
 */
export function capDiagnostics(all: readonly Diagnostic[], max: number): Diagnostic[] {
  if (max <= 0 || all.length <= max) return all as Diagnostic[];
  const keep = new Set<Diagnostic>();
  for (const severity of SEVERITY_ORDER) {
    for (const d of all) {
      if (keep.size >= max) break;
      if ((d.severity ?? DiagnosticSeverity.Error) === severity) keep.add(d);
    }
  }
  const shown = all.filter((d) => keep.has(d));
  shown.unshift({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: 'capped',
    message: `Showing ${max} of ${all.length} findings in this file, the most severe first (containerPrivilegeLint.maxDiagnostics). The command line reports them all.`,
  });
  return shown;
}

/** The info diagnostic for a file the scan did not read because it is too large. */
export function tooLargeDiagnostic(size: number, limit: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: 'skipped',
    message: `Not analysed: the file is ${size} bytes, larger than the ${limit}-byte limit (containerPrivilegeLint.maxFileSize).`,
  };
}

/**
 * Findings → LSP diagnostics. Offsets become positions only here, through the
 * TextDocument the findings were computed from.
 */
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity, Span } from '../engine/model';
import { ruleDocUrl } from '../engine/rule';
import { ruleById } from '../engine/rules';
import { NON_RULE_IDS, SOURCE } from './protocol';
import { pathToUri } from './uri';
import type { DiagnosticData } from './protocol';

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

export function spanToRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(span.end) };
}

/** The documentation URL of a rule id, or undefined for ids that are not rules. */
export function docUrlFor(ruleId: string): string | undefined {
  return !NON_RULE_IDS.has(ruleId) && ruleById.has(ruleId) ? ruleDocUrl(ruleId) : undefined;
}

export function toDiagnostic(doc: TextDocument, finding: Finding, index: number, options: DiagnosticOptions): Diagnostic {
  const data: DiagnosticData = { index };
  const diagnostic: Diagnostic = {
    range: spanToRange(doc, finding.span),
    severity: toSeverity(finding.severity),
    source: SOURCE,
    code: finding.ruleId,
    message: finding.message,
    data,
  };
  const href = docUrlFor(finding.ruleId);
  if (href) diagnostic.codeDescription = { href };
  if (finding.ruleId === 'unused-suppression') diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (options.relatedInformation && finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r): DiagnosticRelatedInformation => {
      // A place in another file (a service's Dockerfile) comes with its own range: this document cannot place it.
      if (r.path !== undefined && r.range) return { location: { uri: toUri(r.path), range: r.range }, message: r.message };
      return { location: { uri: doc.uri, range: spanToRange(doc, r.span) }, message: r.message };
    });
  }
  return diagnostic;
}

function toUri(pathOrUri: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(pathOrUri) && !/^[a-z]:[\\/]/i.test(pathOrUri) ? pathOrUri : pathToUri(pathOrUri);
}

export function toDiagnostics(doc: TextDocument, findings: readonly Finding[], options: DiagnosticOptions): Diagnostic[] {
  return findings.map((f, i) => toDiagnostic(doc, f, i, options));
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

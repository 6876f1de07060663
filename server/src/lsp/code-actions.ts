/**
 * Code actions: for each of our diagnostics, one quick fix per engine fix, then
 * "Disable <id> for this line" and "Show documentation for <id>"; and the
 * `source.fixAll.container-privilege-lint` action (also used for fix-on-save), made of
 * the individual edits of the non-overlapping preferred fixes. Only safe fixes are preferred
 * (fix-policy.ts), so fix-all and fix-on-save never apply a suggestion; a finding's safe fix is
 * listed first, and a suggestion's title ends with what to check before applying it.
 */
import { CodeActionKind, TextDocumentEdit } from 'vscode-languageserver/node';
import type { CodeAction, CodeActionParams, Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { Edit, Finding, Fix } from '../engine/model';
import { disableNextLineEdit, lineIndex, lineOf, parseDirectives } from '../engine/suppress';
import type { Analysis } from './analysis';
import { docUrlFor, spanToRange, toDiagnostic } from './diagnostics';
import { findingsBetween } from '../engine';
import { Commands, FIX_ALL_KIND, NON_RULE_IDS, SOURCE } from './protocol';

export interface CodeActionOptions {
  /** The client takes WorkspaceEdit.documentChanges (versioned edits). */
  documentChanges: boolean;
}

export function codeActions(analysis: Analysis, params: CodeActionParams, options: CodeActionOptions): CodeAction[] {
  if (!analysis.active) return [];
  const only = params.context?.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const pairs = findingsInContext(analysis, params);
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const text = analysis.document.getText();
    const index = lineIndex(text);
    const disabled = new Set<string>();
    const documented = new Set<string>();
    for (const { finding, diagnostic } of pairs) {
      for (const fix of finding.fixes) {
        actions.push({
          // A suggestion says what to check: fix-all and fix-on-save never apply it.
          title: quickFixTitle(fix),
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: fix.preferred === true,
          edit: workspaceEdit(analysis, fix.edits, options),
        });
      }
      const isRule = !NON_RULE_IDS.has(finding.ruleId);
      const prefix = analysis.result.parsed?.commentPrefix;
      const lineKey = `${lineOf(index, finding.span.start)}:${finding.ruleId}`;
      if (isRule && prefix && !disabled.has(lineKey)) {
        disabled.add(lineKey);
        actions.push({
          title: `Disable ${finding.ruleId} for this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: workspaceEdit(analysis, [disableEdit(text, finding, prefix)], options),
        });
      }
      const url = docUrlFor(finding.ruleId);
      if (url && !documented.has(finding.ruleId)) {
        documented.add(finding.ruleId);
        actions.push({
          title: `Show documentation for ${finding.ruleId}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Show documentation for ${finding.ruleId}`, command: Commands.showDocumentation, arguments: [url] },
        });
      }
    }
  }

  // Fix-all: when asked for source actions, or alongside quick fixes that have something to fix.
  const explicitFixAll = only !== undefined && wants(FIX_ALL_KIND);
  if (explicitFixAll || (only === undefined && pairs.some((p) => p.finding.fixes.length > 0))) {
    const edits = fixAllEdits(analysis.result.findings);
    if (edits.length > 0) {
      actions.push({
        title: 'Fix all auto-fixable container-privilege-lint problems',
        kind: FIX_ALL_KIND,
        edit: workspaceEdit(analysis, edits, options),
      });
    }
  }
  return actions;
}

/**
 * The edits of every finding's preferred fix, skipping fixes that overlap one taken
 * before (the engine's applyFixes rule), sorted by position. One pass: a second pass
 * after applying them may find more to fix.
 */
export function fixAllEdits(findings: readonly Finding[]): Edit[] {
  const accepted: Edit[] = [];
  for (const finding of findings) {
    const fix = finding.fixes.find((x) => x.preferred);
    if (!fix || fix.edits.length === 0) continue;
    const overlaps = fix.edits.some((e) => accepted.some((a) => (e.start < a.end && a.start < e.end) || (e.start === e.end && a.start === a.end && e.start === a.start)));
    if (overlaps) continue;
    accepted.push(...fix.edits);
  }
  return accepted.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The editor's title for a fix: a suggestion's says what to check. */
export function quickFixTitle(fix: Fix): string {
  return fix.kind === 'suggestion' && fix.check ? `${fix.title} (suggestion: ${fix.check})` : fix.title;
}

export function toTextEdits(analysis: Analysis, edits: readonly Edit[]): TextEdit[] {
  return edits.map((e) => ({ range: spanToRange(analysis.document, e), newText: e.text }));
}

function workspaceEdit(analysis: Analysis, edits: readonly Edit[], options: CodeActionOptions): WorkspaceEdit {
  const textEdits = toTextEdits(analysis, edits);
  if (options.documentChanges) {
    return { documentChanges: [TextDocumentEdit.create({ uri: analysis.uri, version: analysis.version }, textEdits)] };
  }
  return { changes: { [analysis.uri]: textEdits } };
}

/**
 * The suppression comment for the finding's line; when the line above already holds a
 * disable-next-line directive, the id is added to it instead of stacking a second one.
 */
function disableEdit(text: string, finding: Finding, prefix: '#' | '//'): Edit {
  const index = lineIndex(text);
  const line = lineOf(index, finding.span.start);
  const above = parseDirectives(text, index).find((d) => d.kind === 'next-line' && d.line === line - 1 && d.ids.length > 0);
  if (above) {
    const last = above.idSpans[above.idSpans.length - 1];
    return { start: last.end, end: last.end, text: `, ${finding.ruleId}` };
  }
  return disableNextLineEdit(text, finding.span.start, finding.ruleId, prefix, index);
}

interface Pair {
  finding: Finding;
  diagnostic: Diagnostic;
}

/**
 * Our diagnostics in the request, each matched to its finding by code and range. Clients that
 * send no diagnostics get the findings that touch the requested range.
 */
function findingsInContext(analysis: Analysis, params: CodeActionParams): Pair[] {
  const doc = analysis.document;
  const length = doc.getText().length;
  // Only the findings near the request are read: in a file of thousands of documents, those of
  // the documents it touches (findingsBetween), not the whole flat list (#16).
  const near = (start: number, end: number) => findingsBetween(analysis.result, start, end, length);
  const sent = Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [];
  if (sent.length === 0) {
    if (!params.range) return [];
    const options = { relatedInformation: false };
    return near(doc.offsetAt(params.range.start), doc.offsetAt(params.range.end)).flatMap((finding) => {
      const range = spanToRange(doc, finding.span);
      return intersects(range, params.range) ? [{ finding, diagnostic: { ...toDiagnostic(doc, finding, options), range } }] : [];
    });
  }
  const pairs: Pair[] = [];
  for (const diagnostic of sent) {
    if (!diagnostic || diagnostic.source !== SOURCE || !diagnostic.range) continue;
    const code = String(diagnostic.code ?? '');
    // Only findings near the diagnostic's offsets are placed and compared.
    const start = doc.offsetAt(diagnostic.range.start);
    const finding = near(start - 2, start + 2).find((f) => f.ruleId === code && f.span.start <= start + 2 && f.span.start >= start - 2 && sameRange(spanToRange(doc, f.span), diagnostic.range));
    if (finding) pairs.push({ finding, diagnostic });
  }
  return pairs;
}

function sameRange(a: Range, b: Range | undefined): boolean {
  return !!b && a.start.line === b.start?.line && a.start.character === b.start?.character && a.end.line === b.end?.line && a.end.character === b.end?.character;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function intersects(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

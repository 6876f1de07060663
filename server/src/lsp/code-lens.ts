/**
 * Code lenses: each service / container / final stage shows its defence-in-depth tier
 * (`Tier 3 of 6: rootful, root inside — a non-root user reaches tier 4`) above its name.
 * Title-only: the command id is empty, so clients show it as text and run nothing.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { Analysis } from './analysis';
import { spanToRange } from './diagnostics';

export function codeLenses(analysis: Analysis): CodeLens[] {
  if (!analysis.active) return [];
  return (analysis.result.tiers ?? []).map((t) => ({
    range: spanToRange(analysis.document, t.anchor),
    command: { title: t.summary, command: '' },
  }));
}

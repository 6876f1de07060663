/**
 * Code lenses: each service / container / final stage shows its defence-in-depth tier, short
 * enough to read unclipped (`Tier 1 of 6 · privileged`), above its name; the hover on the name
 * gives the whole summary, what decided it and the next step. Title-only: the command id is
 * empty, so clients show it as text and run nothing.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import type { Analysis } from './analysis';
import { spanToRange } from './diagnostics';

export function codeLenses(analysis: Analysis): CodeLens[] {
  if (!analysis.active) return [];
  return (analysis.result.tiers ?? []).map((t) => ({
    range: spanToRange(analysis.document, t.anchor),
    command: { title: t.lens, command: '' },
  }));
}

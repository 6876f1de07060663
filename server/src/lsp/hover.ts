/**
 * Hover: on a finding, the rule's risk, what its fix does and the link; on a capability
 * in cap_add / capabilities.add / capAdd / --cap-add, what it grants and how risky it is;
 * on a privileged setting, what privileged turns off. Read from the cached analysis.
 */
import { MarkupKind } from 'vscode-languageserver/node';
import type { Hover, Position } from 'vscode-languageserver/node';
import type { ParsedFile } from '../engine/adapters/types';
import { capabilityInfo } from '../engine/knowledge/capabilities';
import type { CapabilityRef, Container, Finding, Located, Span } from '../engine/model';
import { pseudoRuleById } from '../engine/pseudo-rules';
import { ruleDocUrl } from '../engine/rule';
import { ruleById } from '../engine/rules';
import type { Analysis } from './analysis';
import { spanToRange } from './diagnostics';
import { findingsBetween } from '../engine';
import { privilegedReplacementMarkdown } from '../engine/replace';
import type { TierAssessment } from '../engine/tier';

export function hover(analysis: Analysis, position: Position): Hover | null {
  if (!analysis.active) return null;
  const offset = analysis.document.offsetAt(position);
  const parts: string[] = [];
  const spans: Span[] = [];
  const contains = (s: Span) => s.start <= offset && offset <= s.end && s.end > s.start;

  // The findings under the cursor: of the documents that hold it, for a file read in parts (no flat list is made).
  const result = analysis.result;
  for (const finding of findingsBetween(result, offset, offset, analysis.document.getText().length)) {
    if (!contains(finding.span)) continue;
    const text = findingHover(finding);
    if (text && !parts.includes(text)) {
      parts.push(text);
      spans.push(finding.span);
    }
  }
  const parsed = analysis.result.parsed;
  // The model of the document under the cursor (a YAML document's offsets are its own).
  for (const doc of parsed ? documentsAt(parsed, offset) : []) {
    const at = (s: Span): Span => ({ start: s.start + doc.start, end: s.end + doc.start });
    for (const container of doc.workloads.flatMap((w) => w.containers)) {
      for (const cap of container.capAdd) {
        if (contains(at(cap.valueSpan)) || contains(at(cap.span))) {
          parts.push(capabilityHover(cap));
          spans.push(at(cap.valueSpan));
        }
      }
      for (const p of container.privileged) {
        if (p.value === true && (contains(at(p.span)) || contains(at(p.valueSpan)))) {
          parts.push(privilegedHover(p, container, parsed!));
          spans.push(at(p.span));
        }
      }
    }
  }
  // A file read in parts: the tiers of the documents under the cursor, moved to where they sit (no flat list is made).
  const tiers = result.documents ? partsAt(result.documents, offset).flatMap((d) => d.tiers.map((t) => ({ ...t, anchor: { start: t.anchor.start + d.start, end: t.anchor.end + d.start } }))) : (result.tiers ?? []);
  for (const tier of tiers) {
    if (contains(tier.anchor)) {
      parts.push(tierHover(tier));
      spans.push(tier.anchor);
    }
  }
  if (parts.length === 0) return null;
  const start = Math.max(...spans.map((s) => s.start));
  const end = Math.min(...spans.map((s) => s.end));
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: start <= end ? spanToRange(analysis.document, { start, end }) : undefined,
  };
}

/** The parts of the file whose range holds the offset (the whole file for formats read in one piece). */
function documentsAt(parsed: ParsedFile, offset: number): readonly { start: number; workloads: ParsedFile['workloads'] }[] {
  return parsed.documents ? partsAt(parsed.documents, offset) : [{ start: 0, workloads: parsed.workloads }];
}

/** Of parts sorted by start, those whose range [start, end] holds the offset. */
function partsAt<T extends { start: number; end: number }>(docs: readonly T[], offset: number): T[] {
  // Binary search: the last document starting at or before the offset, and the one before it (a span may end at the boundary).
  let lo = 0;
  let hi = docs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (docs[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return docs.slice(Math.max(0, lo - 1), lo + 1).filter((d) => d.start <= offset && offset <= d.end);
}

/** The container's place on the six-tier ladder, and what decided it (including what the file cannot say). */
export function tierHover(tier: TierAssessment): string {
  return [
    `**Defence in depth: ${tier.summary}**`,
    tier.notes.map((n) => `- ${n}`).join('\n'),
    'Tiers: 1 privileged + root, 2 privileged + non-root, 3 rootful + root, 4 rootful + non-root, 5 own user namespace (rootless) + root, 6 own user namespace + non-root.',
  ].join('\n\n');
}

/**
 * `**<ruleId>**: message`, the finding's detail (the why and the how for this place), the
 * rule's risk, what the fix does, and the documentation link.
 */
export function findingHover(finding: Finding): string | undefined {
  const rule = ruleById.get(finding.ruleId);
  if (!rule) {
    const pseudo = pseudoRuleById.get(finding.ruleId);
    if (!pseudo) return undefined;
    return [`**${pseudo.id}**: ${finding.message}`, finding.detail ?? '', pseudo.help, `[Documentation](${ruleDocUrl(pseudo.id)})`].filter((s) => s !== '').join('\n\n');
  }
  const lines = [`**${rule.id}**: ${finding.message}`];
  if (finding.detail) lines.push(finding.detail);
  lines.push(`Risk: ${rule.meta.risk}`);
  if (rule.meta.fixDescription) lines.push(`Fix: ${rule.meta.fixDescription}`);
  lines.push(`[Documentation](${ruleDocUrl(rule.id)})`);
  return lines.join('\n\n');
}

export function capabilityHover(cap: CapabilityRef): string {
  if (cap.name === 'ALL') {
    return '**ALL**: adds every Linux capability. Root in the container then holds the same privileges as root on the host kernel, short of the namespaces; risk: **critical**.\n\nIn Docker\'s default set: no.';
  }
  const info = capabilityInfo(cap.name);
  if (!info) return `**${cap.name}**: not a Linux capability known to capabilities(7); the runtime will reject it or ignore it.`;
  return [
    `**CAP_${info.name}**: ${info.grants}`,
    `Risk: **${info.risk}**. ${info.why}`,
    info.dockerDefault
      ? "In Docker's default set: yes. Containers have it already unless it is dropped, so adding it changes nothing."
      : "In Docker's default set: no. Adding it grants something containers do not get by default.",
  ].join('\n\n');
}

export function privilegedHover(setting: Located<boolean>, container: Container, parsed: ParsedFile): string {
  const lines = [
    `**${setting.field}** makes ${container.label} privileged, which turns off every guard a container has:`,
    [
      '- **all capabilities**: the full set, including SYS_ADMIN, SYS_MODULE and SYS_PTRACE',
      '- **seccomp**: no syscall filter',
      '- **AppArmor / SELinux**: no confinement profile',
      '- **devices**: every host device appears in /dev (disks, /dev/mem, /dev/kmsg)',
      '- **/sys and /proc**: mounted writable, so host kernel settings can be changed',
    ].join('\n'),
  ];
  const replacement = privilegedReplacementHint(setting, container, parsed);
  if (replacement) lines.push(replacement);
  return lines.join('\n\n');
}

/**
 * The narrower settings that would replace privileged for this container (the capabilities,
 * devices, sysctls and security options it most likely needed, each with its reason), as
 * markdown, with how sure the inference is.
 */
export function privilegedReplacementHint(_setting: Located<boolean>, container: Container, _parsed: ParsedFile): string | undefined {
  return privilegedReplacementMarkdown(container);
}

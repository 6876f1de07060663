/**
 * Renders the knowledge base as Markdown (server/docs/knowledge.md). Deterministic: no dates.
 * Regenerate with `node out/scripts/gen-knowledge-docs.js`; a test checks the file is current.
 */
import { CAPABILITIES } from './capabilities';
import { HOST_PATHS } from './host-paths';
import type { ImageProfile, Requirement } from './images';
import { IMAGES } from './images';

/** Table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').trim();
}

/** Plain text outside code spans: no accidental HTML. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function requirementText(r: Requirement): string {
  const label = (() => {
    switch (r.what) {
      case 'cap': return `cap ${r.value}`;
      case 'device': return `device ${r.value}`;
      case 'sysctl': return `sysctl ${r.value}`;
      case 'security_opt': return `security_opt ${r.value}`;
      case 'mount': return `mount ${r.value}`;
      case 'network_mode': return `network_mode: ${r.value}`;
      case 'pid': return `pid: ${r.value}`;
      case 'gpu': return `gpus: ${r.value}`;
      case 'group_add': return `group_add: ${r.value}`;
    }
  })();
  const flags: string[] = [];
  if (r.optional) flags.push('optional');
  if (r.conditional) flags.push(`if ${r.conditional}`);
  const suffix = flags.length > 0 ? ` _(${flags.join('; ')})_` : '';
  return `**${esc(label)}**${esc(suffix)}: ${esc(r.when)}`;
}

function imageNeeds(p: ImageProfile): string {
  const parts = p.requirements.map(requirementText);
  if (parts.length === 0) parts.push(p.replaceable === 'no' ? '`privileged` genuinely needed' : 'nothing');
  if (p.note) parts.push(`_${esc(p.note)}_`);
  if (p.alternatives && p.alternatives.length > 0) parts.push(`Alternatives: ${esc(p.alternatives.join('; '))}`);
  return parts.join('<br>');
}

export function renderKnowledgeDocs(): string {
  const lines: string[] = [];
  lines.push('# Knowledge base: capabilities, images and host paths');
  lines.push('');
  lines.push('<!-- Generated from server/src/engine/knowledge by `node out/scripts/gen-knowledge-docs.js`. Do not edit by hand. -->');
  lines.push('');
  lines.push('_This file is generated from `server/src/engine/knowledge` by `node out/scripts/gen-knowledge-docs.js` (after `npx tsc -p .`). Do not edit it by hand; a test fails when it is out of date._');
  lines.push('');
  lines.push('## Capabilities');
  lines.push('');
  lines.push('Risk scale: **critical** = alone or with a common misconfiguration gives host root or defeats isolation; **high** = host-wide effect, large kernel attack surface, or an escape primitive with host namespaces or mounts; **medium** = privilege inside the container, DoS or info leak; **low** = benign for typical workloads.');
  lines.push('');
  lines.push('"Docker default" is the 14-capability set of moby `daemon/pkg/oci/caps/defaults.go` (containerd `defaultUnixCaps()` is the same). "Seccomp-gated syscalls" are the syscalls Docker\'s default seccomp profile allows only when the capability is held.');
  lines.push('');
  lines.push('| Bit | Capability | Risk | Docker default | Seccomp-gated syscalls | What it grants | Why (what an attacker can do) |');
  lines.push('|---:|---|---|:---:|---|---|---|');
  for (const c of CAPABILITIES) {
    const risk = c.escalatesWith && c.escalatedRisk
      ? `${c.risk} (${c.escalatedRisk} with ${c.escalatesWith})`
      : c.escalatesWith ? `${c.risk} (worse with ${c.escalatesWith})` : c.risk;
    const syscalls = c.seccompSyscalls.length > 0 ? c.seccompSyscalls.map(code).join(', ') : '–';
    const grants = c.minKernel ? `${c.grants} (kernel ${c.minKernel}+)` : c.grants;
    lines.push(`| ${c.bit} | ${code(`CAP_${c.name}`)} | ${cell(esc(risk))} | ${c.dockerDefault ? 'yes' : '–'} | ${syscalls} | ${cell(esc(grants))} | ${cell(esc(c.why))} |`);
  }
  lines.push('');
  lines.push('Sources: capabilities(7) (kernelorg-mirror/docs_man-pages_man-pages@227f4c2:man/man7/capabilities.7); moby/moby@b985e23:daemon/pkg/oci/caps/defaults.go; containerd/containerd@301026e58:pkg/oci/spec.go; moby/profiles@cd3bed8:seccomp/default.json. Per-row extra citations are in `capabilities.ts`.');
  lines.push('');
  lines.push('## Images');
  lines.push('');
  lines.push('What known images need instead of `privileged`. Patterns are globs against the image reference; the registry host, `library/` and the tag are optional. Replaceable: **yes** = the quick-fix can propose the targeted set; **partial** = part of the privilege may remain needed; **no** = privileged is genuinely required (the diagnostic names alternatives). Source tags: [V] primary source read, [V-doc] vendor docs, [C] community source, [K] background knowledge not re-verified.');
  lines.push('');
  lines.push('| # | Image patterns | Needs | Replaceable | Source |');
  lines.push('|---:|---|---|---|---|');
  for (const p of IMAGES) {
    const patterns = p.patterns.map(code).join('<br>');
    const title = `**${esc(p.title)}**<br>${patterns}`;
    lines.push(`| ${p.row === 0 ? '+' : p.row} | ${cell(title)} | ${cell(imageNeeds(p))} | ${p.replaceable} | ${cell(esc(p.source))} |`);
  }
  lines.push('');
  lines.push('`#` is the row of the image table in the domain reference (section 8.2); `+` marks rows added beyond it.');
  lines.push('');
  lines.push('## Host paths');
  lines.push('');
  lines.push('What no-sensitive-host-mounts reports, path by path. **exact**: the path only; **tree**: the path and everything under it, unless a more specific row says otherwise. Also sensitive, by pattern: a user\'s home (`/home/<user>`) and the dot-entries of a home (`/root/.ssh`, `/home/<user>/.kube`…), and raw disks (`/dev/sda1`, `/dev/nvme0n1p2`…). `/var/run` is read as `/run`. Paths not covered by a row are not sensitive. Sources: see `host-paths.ts`.');
  lines.push('');
  lines.push('| Path | Match | Verdict | What it is | Why | Read-only |');
  lines.push('|---|---|---|---|---|---|');
  for (const h of HOST_PATHS) {
    const ro = h.verdict === 'benign' ? 'not reported' : h.readOnlyHarmless ? 'not reported' : h.sockets ? 'error (sockets)' : 'warning';
    const verdict = h.verdict === 'benign' ? 'benign' : h.warningOnly ? 'sensitive (warning)' : 'sensitive';
    lines.push(`| ${code(h.path)} | ${h.match} | ${verdict} | ${cell(esc(h.what))} | ${cell(esc(h.why))} | ${ro} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Replacing `privileged` with what the workload needs: the glue between the model (a container
 * and its hints), the knowledge base (inferFromHints) and the writers. Format-agnostic: it says
 * what to add and how to name it; each writer decides where the text goes.
 *
 * Pure: no I/O. Used by the no-privileged rule (message, which fixes), the writers (what to
 * write, the fix titles), and the editor and CLI (hover, `--explain`).
 */
import { capabilityInfo } from './knowledge/capabilities';
import type { HintInput, Inference, InferredCap, InferredDevice, InferredSecurityOpt, InferredSysctl } from './knowledge/hints';
import { inferFromHints } from './knowledge/hints';
import { deviceHostPath } from './knowledge/images';
import type { Container, Edit, FileKind } from './model';

export type Runtime = HintInput['runtime'];

export function runtimeOf(container: Container): Runtime {
  return container.kind === 'kubernetes' ? 'kubernetes' : 'docker';
}

/** The knowledge base's input for this container: its image and the hints its adapter read. */
export function hintInput(container: Container): HintInput {
  const h = container.hints;
  const input: HintInput = {
    devices: [...(h?.devices ?? [])],
    volumes: [...(h?.volumes ?? [])],
    sysctls: [...(h?.sysctls ?? [])],
    ports: [...(h?.ports ?? [])],
    env: { ...(h?.env ?? {}) },
    command: h?.command ?? '',
    runtime: runtimeOf(container),
  };
  if (container.image) input.image = container.image.value;
  if (h?.networkMode !== undefined) input.networkMode = h.networkMode;
  return input;
}

export function inferPrivileged(container: Container): Inference {
  return inferFromHints(hintInput(container));
}

// ---- What to add ---------------------------------------------------------------------

/** The part of an inference that is not in the file yet. */
export interface Additions {
  caps: InferredCap[];
  devices: InferredDevice[];
  sysctls: InferredSysctl[];
  securityOpt: InferredSecurityOpt[];
}

/** `apparmor=unconfined` and `apparmor:unconfined` are the same option. */
export function securityOptKey(opt: string): string {
  const s = opt.trim();
  const i = s.search(/[:=]/);
  return i < 0 ? s : `${s.slice(0, i)}:${s.slice(i + 1)}`;
}

const DEVICE_PATH = /^\/dev\/[^\s,:]+$/;
const SYSCTL_NAME = /^[A-Za-z0-9_.\-/]+$/;
const PLAIN_OPTION = /^[A-Za-z0-9_.\-/:=]+$/;

function sysctlName(entry: string): string {
  const eq = entry.indexOf('=');
  return (eq >= 0 ? entry.slice(0, eq) : entry).trim();
}

/** What the inference names that the file does not have yet (every spelling of a name counts). */
export function additions(container: Container, inference: Inference): Additions {
  const caps = new Set(container.capAdd.map((c) => c.name));
  const devices = new Set((container.hints?.devices ?? []).map((d) => deviceHostPath(d)));
  const sysctls = new Set((container.hints?.sysctls ?? []).map(sysctlName));
  const options = new Set(container.securityOpt.map((o) => securityOptKey(o.value)));
  return {
    caps: caps.has('ALL') ? [] : inference.caps.filter((c) => !caps.has(c.name) && capabilityInfo(c.name) !== undefined),
    devices: inference.devices.filter((d) => !d.listed && DEVICE_PATH.test(d.path) && !devices.has(d.path)),
    sysctls: inference.sysctls.filter((s) => s.value !== '' && SYSCTL_NAME.test(s.name) && !sysctls.has(s.name)),
    securityOpt: inference.securityOpt.filter((o) => PLAIN_OPTION.test(o.value) && !options.has(securityOptKey(o.value))),
  };
}

/** The inference names something the workload needs (whether or not the file has it already). */
function namesSomething(inference: Inference): boolean {
  return inference.caps.length + inference.devices.length + inference.sysctls.length + inference.securityOpt.length > 0;
}

/**
 * Whether the preferred "Replace privileged with …" fix is offered: privileged can be replaced,
 * the inference is certain or likely, and it names something the workload needs or the image
 * is known to need nothing.
 */
export function offersReplacement(inference: Inference): boolean {
  if (inference.replaceable === 'no' || inference.confidence === 'unsure') return false;
  // A known image that needs nothing, or strong hints that need nothing (ping under Docker, chronyd -x).
  return namesSomething(inference) || inference.replaceable === 'yes';
}

// ---- Words ----------------------------------------------------------------------------

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The image reference without its tag or digest: `qmcgaw/gluetun:v3` → `qmcgaw/gluetun`. */
export function imageName(ref: string): string {
  let s = ref.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) s = s.slice(0, colon);
  return s;
}

/** The setup in which an image that can need more needs nothing (said when it needs nothing). */
const NOTHING_MODE: Record<string, string> = {
  tailscale: ' in userspace mode',
  pihole: ' without its DHCP server',
  rclone: ' unless it runs rclone mount',
  'icmp-monitors': ' under Docker',
  'ntp-client': ' with chronyd -x',
};

/** The hints an inference from the configuration rests on, in words: `the /dev/net/tun device`, `` `iptables` in the command ``. */
export function hintPhrases(inference: Inference): string[] {
  const out: string[] = [];
  const listed = inference.devices.filter((d) => d.listed).map((d) => d.path);
  if (listed.length === 1) out.push(`the ${listed[0]} device`);
  else if (listed.length > 1) out.push(`the ${joinAnd(listed)} devices`);
  for (const c of inference.caps) {
    let phrase: string | undefined;
    if (c.reason.includes('/lib/modules is mounted')) phrase = 'the /lib/modules mount';
    else if (c.reason.startsWith('TS_USERSPACE=false')) phrase = 'TS_USERSPACE=false';
    else {
      const m = /^runs (`[^`]+`|[^:\s]+)[:\s]/.exec(c.reason);
      if (m) phrase = `${m[1].startsWith('`') ? m[1] : `\`${m[1]}\``} in the command`;
    }
    if (phrase && !out.includes(phrase)) out.push(phrase);
  }
  // Command words that need nothing (ping under Docker, chronyd -x) are strong hints too.
  for (const n of inference.notes) {
    const m = /^(ping6?) needs nothing under Docker|^(chronyd -x) does not set/.exec(n);
    const phrase = m ? `\`${m[1] ?? m[2]}\` in the command` : undefined;
    if (phrase && !out.includes(phrase)) out.push(phrase);
  }
  for (const d of inference.devices) {
    if (!d.listed && d.reason.startsWith('TS_USERSPACE=false') && !out.includes('TS_USERSPACE=false')) out.push('TS_USERSPACE=false');
  }
  return out;
}

/** Why the replacement is what it is: `qmcgaw/gluetun image`, `from the /dev/net/tun device`. */
function because(container: Container, inference: Inference): string {
  if (inference.source === 'image' && container.image) return `${imageName(container.image.value)} image`;
  const phrases = hintPhrases(inference);
  return phrases.length > 0 ? `from ${joinAnd(phrases.slice(0, 2))}` : 'from the configuration';
}

/** ` under Docker` when what needs nothing needs nothing only there (ping, thanks to net.ipv4.ping_group_range). */
function underDocker(container: Container, inference: Inference): string {
  return runtimeOf(container) === 'docker' && inference.notes.some((n) => /needs nothing under Docker/.test(n)) ? ' under Docker' : '';
}

const likely = (inference: Inference): string => (inference.confidence === 'likely' ? 'likely, ' : '');

/** How a list of additions is written in this kind of file, for titles and messages. */
export function fieldText(kind: FileKind, what: 'caps' | 'devices' | 'sysctls' | 'securityOpt', values: string[]): string {
  const list = `[${values.join(', ')}]`;
  switch (kind) {
    case 'kubernetes':
      if (what === 'caps') return `capabilities.add: ${list}`;
      if (what === 'devices') return values.length === 1 ? `the device ${values[0]}` : `the devices ${joinAnd(values)}`;
      if (what === 'sysctls') return `the sysctl${values.length === 1 ? '' : 's'} ${joinAnd(values)}`;
      return `the security option${values.length === 1 ? '' : 's'} ${joinAnd(values)}`;
    case 'quadlet':
      if (what === 'caps') return `AddCapability=${values.join(' ')}`;
      if (what === 'devices') return values.map((v) => `AddDevice=${v}`).join(', ');
      if (what === 'sysctls') return `Sysctl=${values.join(' ')}`;
      return values.map((v) => quadletOptionText(v)).join(', ');
    case 'run':
      if (what === 'caps') return values.map((v) => `--cap-add=${v}`).join(' ');
      if (what === 'devices') return values.map((v) => `--device=${v}`).join(' ');
      if (what === 'sysctls') return values.map((v) => `--sysctl=${v}`).join(' ');
      return values.map((v) => `--security-opt=${v}`).join(' ');
    case 'devcontainer':
      if (what === 'caps') return `capAdd: ${list}`;
      if (what === 'devices') return `runArgs: [${values.map((v) => `--device=${v}`).join(', ')}]`;
      if (what === 'sysctls') return `runArgs: [${values.map((v) => `--sysctl=${v}`).join(', ')}]`;
      return `securityOpt: ${list}`;
    default:
      if (what === 'caps') return `cap_add: ${list}`;
      if (what === 'devices') return `devices: ${list}`;
      if (what === 'sysctls') return `sysctls: ${list}`;
      return `security_opt: ${list}`;
  }
}

function parts(kind: FileKind, a: Additions): string[] {
  const out: string[] = [];
  if (a.caps.length > 0) out.push(fieldText(kind, 'caps', a.caps.map((c) => c.name)));
  if (a.devices.length > 0) out.push(fieldText(kind, 'devices', a.devices.map((d) => d.path)));
  if (a.sysctls.length > 0) out.push(fieldText(kind, 'sysctls', a.sysctls.map((s) => `${s.name}=${s.value}`)));
  if (a.securityOpt.length > 0) out.push(fieldText(kind, 'securityOpt', a.securityOpt.map((o) => o.value)));
  return out;
}

/** A security option as a Quadlet unit writes it: its own key where Quadlet has one, else in PodmanArgs. */
export function quadletOptionText(opt: string): string {
  const key = securityOptKey(opt);
  if (key === 'seccomp:unconfined') return 'SeccompProfile=unconfined';
  if (key === 'apparmor:unconfined') return 'AppArmor=unconfined';
  if (key === 'label:disable') return 'SecurityLabelDisable=true';
  return `PodmanArgs=--security-opt=${opt}`;
}

/** Kubernetes has no container field for devices, sysctls or Docker security options: what the user must do instead. */
export function kubernetesNotes(a: Additions): string[] {
  const notes: string[] = [];
  if (a.devices.length > 0) {
    const d = a.devices.map((x) => x.path);
    notes.push(`${joinAnd(d)} need${d.length === 1 ? 's' : ''} a device plugin or a hostPath CharDevice volume`);
  }
  if (a.sysctls.length > 0) {
    const names = a.sysctls.map((s) => `${s.name}=${s.value}`);
    notes.push(names.length === 1 ? `sysctl ${names[0]} goes in the pod's securityContext.sysctls` : `sysctls ${joinAnd(names)} go in the pod's securityContext.sysctls`);
  }
  for (const o of a.securityOpt) {
    const key = securityOptKey(o.value);
    if (key === 'apparmor:unconfined') notes.push('apparmor:unconfined is securityContext.appArmorProfile.type: Unconfined');
    else if (key === 'seccomp:unconfined') notes.push('seccomp=unconfined is securityContext.seccompProfile.type: Unconfined');
    else if (key === 'systempaths:unconfined') notes.push('systempaths=unconfined is securityContext.procMount: Unmasked');
    else notes.push(`${o.value} has no Kubernetes field`);
  }
  return notes;
}

/** What the writer for this kind can write (Kubernetes: only capabilities). */
export function writable(kind: FileKind, a: Additions): Additions {
  return kind === 'kubernetes' ? { caps: a.caps, devices: [], sysctls: [], securityOpt: [] } : a;
}

/**
 * The preferred fix's title: `Replace privileged with cap_add: [NET_ADMIN] and devices:
 * [/dev/net/tun] (qmcgaw/gluetun image)`, or `Remove privileged (tailscale/tailscale needs no
 * extra privilege in userspace mode)` when there is nothing to add.
 */
export function replacementTitle(container: Container, inference: Inference): string {
  const all = additions(container, inference);
  const written = parts(container.kind, writable(container.kind, all));
  const notes = container.kind === 'kubernetes' ? kubernetesNotes(all) : [];
  const tail = notes.length > 0 ? `; ${notes.join('; ')}` : '';
  if (written.length > 0) return `Replace privileged with ${joinAnd(written)} (${likely(inference)}${because(container, inference)}${tail})`;
  if (!namesSomething(inference)) {
    if (inference.source === 'image' && container.image) {
      const mode = inference.image ? (NOTHING_MODE[inference.image.id] ?? '') : '';
      return `Remove privileged (${likely(inference)}${imageName(container.image.value)} needs no extra privilege${mode}${tail})`;
    }
    return `Remove privileged (${likely(inference)}${because(container, inference)}: it needs no extra privilege${underDocker(container, inference)}${tail})`;
  }
  return `Remove privileged (${likely(inference)}${because(container, inference)}: ${notes.length > 0 ? 'nothing else can be written here' : 'what it needs is already set'}${tail})`;
}

/** `cap_drop: [ALL], no-new-privileges` in this kind's words. */
export function leastPrivilegeTitle(kind: FileKind): string {
  switch (kind) {
    case 'kubernetes':
      return 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)';
    case 'devcontainer':
      return 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)';
    case 'quadlet':
      return 'Replace --privileged with least privilege (DropCapability=all, NoNewPrivileges=true)';
    case 'run':
      return 'Replace --privileged with least privilege (--cap-drop=ALL --security-opt=no-new-privileges)';
    default:
      return 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)';
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

function withStop(s: string): string {
  const t = s.trim();
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The full inferred set (what the file already has included), in this kind's words. */
function needsText(kind: FileKind, inference: Inference): string {
  const all: Additions = { caps: inference.caps, devices: inference.devices, sysctls: inference.sysctls.filter((s) => s.value !== ''), securityOpt: inference.securityOpt };
  return joinAnd(parts(kind, all));
}

export type PrivilegedVerdict =
  /** Nothing is known about the workload: the plain message. */
  | 'unknown'
  /** A replacement is offered. */
  | 'replaceable'
  /** Some hints, none strong enough: the message says the inference is unsure. */
  | 'unsure'
  /** A known image that can only partly do without privileged, and nothing to write. */
  | 'partial'
  /** Privileged cannot be replaced (Docker-in-Docker, node agents). */
  | 'not-replaceable';

export interface PrivilegedPlan {
  inference: Inference;
  verdict: PrivilegedVerdict;
  /** The sentence the diagnostic appends to its fixed text; '' when there is none. */
  sentence: string;
}

function possiblyNeeded(inference: Inference): string[] {
  return inference.notes.flatMap((n) => {
    const m = /^Possibly needed: ([A-Z_]+)/.exec(n);
    return m ? [m[1]] : [];
  });
}

/** What the no-privileged rule says and offers for this container. */
export function planPrivileged(container: Container): PrivilegedPlan {
  const inference = inferPrivileged(container);
  const kind = container.kind;
  if (inference.replaceable === 'no') {
    const why = inference.image?.note || inference.notes.find((n) => n.startsWith('Runs dockerd')) || 'This workload genuinely needs privileged.';
    const alternatives = (inference.alternatives ?? []).map((a) => a.replace(/\.$/, ''));
    const sentence = `${withStop(why)} Privileged cannot be replaced here${alternatives.length > 0 ? `; alternatives: ${alternatives.join('; ')}` : ''}.`;
    return { inference, verdict: 'not-replaceable', sentence };
  }
  if (offersReplacement(inference)) {
    let sentence: string;
    if (namesSomething(inference)) {
      const who = inference.source === 'image' && container.image ? `the ${imageName(container.image.value)} image` : because(container, inference).replace(/^from /, '');
      sentence = `${inference.confidence === 'likely' ? 'Likely, from' : 'From'} ${who}, it needs ${needsText(kind, inference)} instead.`;
      if (kind === 'kubernetes' && inference.devices.some((d) => !d.listed)) sentence += ' Devices need a device plugin or a hostPath CharDevice volume.';
    } else if (inference.source !== 'image') {
      sentence = `${inference.confidence === 'likely' ? 'Likely, from' : 'From'} ${because(container, inference).replace(/^from /, '')}, it needs no extra privilege${underDocker(container, inference)}.`;
    } else {
      const mode = inference.image ? (NOTHING_MODE[inference.image.id] ?? '') : '';
      const image = container.image ? `the ${imageName(container.image.value)} image` : 'the image';
      sentence = `${inference.confidence === 'likely' ? `Likely, ${image}` : capitalize(image)} needs no extra privilege${mode}.`;
    }
    if (inference.replaceable === 'partial' && inference.alternatives && inference.alternatives.length > 0) sentence += ` ${withStop(inference.alternatives.join(' '))}`;
    return { inference, verdict: 'replaceable', sentence };
  }
  if (inference.source === 'image' && inference.image) {
    const alternatives = inference.alternatives ?? [];
    const sentence = `${inference.image.title} can only partly do without privileged${alternatives.length > 0 ? `: ${lowerFirst(alternatives.join(' ').replace(/\.$/, ''))}` : ''}.`;
    return { inference, verdict: 'partial', sentence };
  }
  if (inference.source === 'hints') {
    const maybe = possiblyNeeded(inference);
    const weak: string[] = [];
    if ((container.hints?.ports ?? []).some((p) => p > 0 && p < 1024)) weak.push('ports below 1024');
    if ((container.hints?.sysctls ?? []).length > 0) weak.push('sysctls');
    if ((container.hints?.volumes ?? []).some((v) => /^\/(var\/)?run\/docker\.sock$/.test(v))) weak.push('a Docker socket mount');
    if (weak.length === 0) weak.push('the command');
    const sentence = `What it needs instead is unsure: the configuration shows only weak hints (${joinAnd(weak)})${maybe.length > 0 ? `, possibly ${joinAnd(maybe)}` : ''}; start from least privilege and add back only what fails.`;
    return { inference, verdict: 'unsure', sentence };
  }
  return { inference, verdict: 'unknown', sentence: '' };
}

// ---- Explanations (hover, --explain) --------------------------------------------------

export interface ExplainedItem {
  what: 'cap' | 'device' | 'sysctl' | 'security_opt' | 'mount' | 'network_mode' | 'pid' | 'gpu' | 'group_add';
  value: string;
  reason: string;
  /** Already in the file (nothing to add). */
  present: boolean;
  /** The fix writes it (false for extras, and for devices, sysctls and security options in Kubernetes). */
  written: boolean;
}

export interface PrivilegedExplanation {
  /** `service "vpn"`, `container "app" in Deployment/api`. */
  container: string;
  image?: string;
  runtime: Runtime;
  /** What the knowledge base was given. */
  input: HintInput;
  inference: Inference;
  verdict: PrivilegedVerdict;
  /** The diagnostic's added sentence ('' when nothing is known). */
  summary: string;
  /** The preferred fix's title, when the replacement is offered. */
  replacement?: string;
  /** Every inferred item with its reason: what the replacement adds, what is already there, what it cannot write. */
  items: ExplainedItem[];
  notes: string[];
  alternatives: string[];
}

/** The inferred replacement for a container's privileged, with a reason for every item. */
export function explainPrivileged(container: Container): PrivilegedExplanation {
  const plan = planPrivileged(container);
  const inference = plan.inference;
  const add = additions(container, inference);
  const out = writable(container.kind, add);
  const items: ExplainedItem[] = [];
  for (const c of inference.caps) items.push({ what: 'cap', value: c.name, reason: c.reason, present: !add.caps.includes(c), written: out.caps.includes(c) });
  for (const d of inference.devices) items.push({ what: 'device', value: d.path, reason: d.reason, present: d.listed || !add.devices.includes(d), written: out.devices.includes(d) });
  for (const s of inference.sysctls) {
    items.push({ what: 'sysctl', value: s.value === '' ? s.name : `${s.name}=${s.value}`, reason: s.reason, present: !add.sysctls.includes(s), written: out.sysctls.includes(s) });
  }
  for (const o of inference.securityOpt) items.push({ what: 'security_opt', value: o.value, reason: o.reason, present: !add.securityOpt.includes(o), written: out.securityOpt.includes(o) });
  for (const e of inference.extras) items.push({ what: e.what, value: e.value, reason: e.reason, present: false, written: false });
  const explanation: PrivilegedExplanation = {
    container: container.label,
    runtime: runtimeOf(container),
    input: hintInput(container),
    inference,
    verdict: plan.verdict,
    summary: plan.sentence,
    items,
    notes: [...inference.notes],
    alternatives: [...(inference.alternatives ?? [])],
  };
  if (container.image) explanation.image = container.image.value;
  if (plan.verdict === 'replaceable') explanation.replacement = replacementTitle(container, inference);
  return explanation;
}

function mdCode(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** Markdown for the hover on `privileged: true`: the inferred replacement and the reason for each item. */
export function privilegedReplacementMarkdown(container: Container): string | undefined {
  if (container.kind === 'dockerfile') return undefined;
  const x = explainPrivileged(container);
  const lines: string[] = [];
  const confidence = x.inference.confidence;
  const from = x.inference.source === 'image' ? `the ${x.inference.image?.title ?? 'image'} profile` : x.inference.source === 'hints' ? 'the configuration' : 'nothing';
  switch (x.verdict) {
    case 'not-replaceable':
      lines.push(`**Cannot be replaced**: ${x.summary}`);
      break;
    case 'unknown':
      lines.push('**Replacement: unsure** (an unknown image and no hint in the configuration).');
      break;
    case 'unsure':
      lines.push(`**Replacement: unsure.** ${x.summary}`);
      break;
    case 'partial':
      lines.push(`**Replacement: partial** (from ${from}). ${x.summary}`);
      break;
    default:
      lines.push(`**Replacement** (${confidence}, from ${from}): ${x.replacement ?? ''}`);
  }
  if (x.items.length > 0) {
    lines.push(
      x.items
        .map((i) => {
          const state = i.present ? ' (already set)' : i.written ? '' : ' (not written by the fix)';
          return `- ${i.what === 'cap' ? 'capability' : i.what.replace('_', ' ')} ${mdCode(i.value)}${state}: ${i.reason}`;
        })
        .join('\n'),
    );
  }
  const notes = x.notes.filter((n) => !x.summary.includes(n));
  if (notes.length > 0) lines.push(notes.map((n) => `- ${n}`).join('\n'));
  if (x.verdict !== 'not-replaceable' && x.alternatives.length > 0) lines.push(`Alternatives: ${x.alternatives.join('; ')}`);
  if (x.inference.image) lines.push(`Source: ${x.inference.image.source}`);
  return lines.join('\n\n');
}

// ---- Edits ----------------------------------------------------------------------------

/**
 * Combines edits that touch (an insertion at the same offset as another edit, or at its end)
 * into one, in the order they were made: applyEdits applies edits from the end, so two
 * insertions at one offset would otherwise come out reversed. Edits must not overlap.
 */
export function combineEdits(edits: Edit[]): Edit[] {
  const indexed = edits.map((e, i) => ({ e, i }));
  indexed.sort((a, b) => a.e.start - b.e.start || (a.e.end - a.e.start === 0 ? 0 : 1) - (b.e.end - b.e.start === 0 ? 0 : 1) || a.i - b.i);
  const out: Edit[] = [];
  for (const { e } of indexed) {
    const last = out[out.length - 1];
    if (last && e.start <= last.end) {
      if (e.start < last.end) throw new Error('overlapping edits');
      out[out.length - 1] = { start: last.start, end: e.end, text: last.text + e.text };
    } else out.push({ ...e });
  }
  return out;
}

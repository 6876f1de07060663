/**
 * Podman Quadlet units → the model. A `.container` unit is one workload with one container,
 * read from its `[Container]` section: the native keys (AddCapability=, DropCapability=,
 * NoNewPrivileges=, User=/Group=, UserNS=, SecurityLabelDisable=/SecurityLabelType=,
 * SeccompProfile=, AppArmor=, Mask=/Unmask=, Network=, Volume=, Mount=, AddDevice=,
 * ReadOnly=, Sysctl=…) and every run flag in PodmanArgs= (the shared flag table). `.pod`,
 * `.kube` and `.build` units are workloads without a container of their own: their
 * host namespaces (Network=host, UserNS=host, PodmanArgs) are reported on them, and a `.pod`'s
 * or `.build`'s Volume= (and PodmanArgs --volume) host paths are its shared mounts: Podman
 * mounts them into every container of the pod, and into every RUN step of the build.
 *
 * Semantics follow Quadlet: list keys accumulate over repeated entries and an empty entry
 * clears the list; single-valued keys take their last entry; booleans are 1/yes/true/on.
 * Quadlet appends PodmanArgs after everything it generates, so a flag there wins.
 */
import type { CapabilityRef, Container, ContainerHints, HostNamespace, HostNamespaceKind, Located, Mount, Span, UserSetting, Workload } from '../../model';
import { normalizeCap } from '../../adapters/yaml-util';
import { containerPort } from '../../adapters/compose';
import { assignConfinement, normalizeHostPath, parseMountString, parseShortVolume } from '../../adapters/boundary';
import type { Adapter, AdapterProblem, ParsedFile } from '../../adapters/types';
import { readRunFlags } from '../run-flags';
import { confinementOf, innerSpan, mountOf, runFields, userVerdict, wordText } from '../run-model';
import type { Word } from '../run-model';
import { parseUnit, unitBool, unitScalar, unitWords } from './unit';
import type { UnitEntry, UnitFile, UnitSection } from './unit';
import { quadletWriter } from './write';

export type QuadletUnitType = 'container' | 'pod' | 'kube' | 'build';

const SECTION: Record<QuadletUnitType, string> = { container: 'Container', pod: 'Pod', kube: 'Kube', build: 'Build' };

/** The writer's handle on a setting written as a unit key. */
export type QuadletValueRef =
  /** A whole entry (`Network=host`, `Volume=/:/host`, `NoNewPrivileges=false`). */
  | { type: 'entry'; entry: UnitEntry }
  /** One word of a space-separated list entry (`AddCapability=CAP_A CAP_B`). */
  | { type: 'entry-word'; entry: UnitEntry; word: Word; words: Word[] };

export interface QuadletContainerRef {
  format: 'quadlet';
  text: string;
  unit: UnitFile;
  section: UnitSection;
  /** Each PodmanArgs word, with its entry and that entry's words (to remove the entry with its last word). */
  podmanArgs: Map<Word, { entry: UnitEntry; words: Word[] }>;
}

/** What a `.pod`, `.kube` or `.build` workload keeps: its section, for the writer's pod-level edits. */
export interface QuadletUnitRef {
  format: 'quadlet-unit';
  type: Exclude<QuadletUnitType, 'container'>;
  /** A `.kube` unit's `Yaml=` (kube.ts). */
  yaml?: { value: string; span: Span };
  text: string;
  section: UnitSection;
  podmanArgs: Map<Word, { entry: UnitEntry; words: Word[] }>;
}

export function quadletUnitType(path: string): QuadletUnitType | undefined {
  const m = /\.(container|pod|kube|build)$/.exec(path.replace(/\\/g, '/'));
  return m ? (m[1] as QuadletUnitType) : undefined;
}

/** Where the unit sits decides who runs it: the rootless search paths, the rootful ones, or neither (a repository). */
export function unitScope(path: string): { own: boolean; how: string } | undefined {
  let p = path.replace(/\\/g, '/');
  if (/^file:\/\//i.test(p)) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      /* keep as is */
    }
  }
  if (/\/\.config\/containers\/systemd\/|\/(etc|usr\/share)\/containers\/systemd\/users\/|\/run\/user\/\d+\/containers\/systemd\//.test(p)) {
    return { own: true, how: 'a user unit (a rootless Podman search path such as ~/.config/containers/systemd): rootless Podman, uid 0 inside maps to the user\'s own uid' };
  }
  if (/\/(etc|usr\/share|run)\/containers\/systemd\//.test(p)) {
    return { own: false, how: 'a system unit (/etc/containers/systemd or another rootful search path): rootful Podman' };
  }
  return undefined;
}

function baseName(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Entries of a key in order, after the last empty one (an empty assignment clears a list). */
function listEntries(section: UnitSection, key: string): UnitEntry[] {
  let out: UnitEntry[] = [];
  for (const e of section.entries) {
    if (e.key !== key) continue;
    if (e.value === '') out = [];
    else out.push(e);
  }
  return out;
}

function lastEntry(section: UnitSection, key: string): UnitEntry | undefined {
  let last: UnitEntry | undefined;
  for (const e of section.entries) if (e.key === key) last = e;
  return last;
}

function entryLocated<T>(entry: UnitEntry, value: T): Located<T> {
  return { value, span: entry.span, valueSpan: entry.valueSpan, field: entry.key, ref: { type: 'entry', entry } satisfies QuadletValueRef };
}

/** The span of `value` (after quote removal) inside the entry's value, when it is written verbatim. */
function valueInside(entry: UnitEntry, skip: number, length: number): Span {
  const raw = entry.value;
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? 1 : 0;
  const a = entry.offsets[quoted + skip];
  const b = entry.offsets[quoted + skip + length - 1];
  if (a === undefined || b === undefined || b - a !== length - 1) return entry.valueSpan;
  return { start: a, end: b + 1 };
}

export const parseQuadlet: Adapter = (text, path) => {
  const problems: AdapterProblem[] = [];
  const unit = parseUnit(text);
  for (const p of unit.problems) problems.push({ ruleId: 'parse-error', severity: 'error', message: `Parse error: ${p.message}`, span: p.span });
  const result: ParsedFile = { kind: 'quadlet', workloads: [], problems, writer: quadletWriter, commentPrefix: '#' };
  const type = quadletUnitType(path) ?? 'container';
  const section = unit.sections.find((s) => s.name === SECTION[type]);
  if (!section) return result;
  const name = baseName(path) || `unit.${type}`;
  const scope = unitScope(path);
  const workload = type === 'container' ? containerWorkload(text, unit, section, name) : otherWorkload(text, type, section, name);
  const userns = ownUserNamespace(section);
  if (userns) workload.userNamespace = userns;
  else if (scope) workload.userNamespace = scope;
  result.workloads.push(workload);
  return result;
};

/** `UserNS=auto` (or its options), UIDMap= / SubUIDMap=, or the same in PodmanArgs: an own user namespace, rootful or not. */
function ownUserNamespace(section: UnitSection): { own: boolean; how: string } | undefined {
  const userns = lastEntry(section, 'UserNS');
  const mode = userns ? unitScalar(userns.value).trim() : '';
  if (/^auto(:|$)/.test(mode)) return { own: true, how: `UserNS=${mode}: an own user namespace, uid 0 inside maps to an unprivileged host uid` };
  const map = lastEntry(section, 'UIDMap') ?? lastEntry(section, 'SubUIDMap');
  if (map && map.value !== '') return { own: true, how: `${map.key}=${map.value}: an own user namespace with that mapping` };
  const args = podmanArgsOf(section).words.map((w) => w.value ?? '');
  const i = args.findIndex((a) => a === '--userns' || a.startsWith('--userns='));
  const v = i < 0 ? '' : args[i]?.includes('=') ? (args[i] ?? '').slice(9) : (args[i + 1] ?? '');
  if (/^auto(:|$)/.test(v)) return { own: true, how: `PodmanArgs --userns=${v}: an own user namespace` };
  return undefined;
}

function podmanArgsOf(section: UnitSection): { words: Word[]; entries: Map<Word, { entry: UnitEntry; words: Word[] }> } {
  const words: Word[] = [];
  const entries = new Map<Word, { entry: UnitEntry; words: Word[] }>();
  for (const entry of listEntries(section, 'PodmanArgs')) {
    const ws = unitWords(entry, true);
    for (const w of ws) entries.set(w, { entry, words: ws });
    words.push(...ws);
  }
  return { words, entries };
}

function namespaceEntries(section: UnitSection): HostNamespace[] {
  const out: HostNamespace[] = [];
  for (const e of listEntries(section, 'Network')) {
    if (unitScalar(e.value).trim() === 'host') out.push(entryLocated<HostNamespaceKind>(e, 'network'));
  }
  const userns = lastEntry(section, 'UserNS');
  if (userns && unitScalar(userns.value).trim() === 'host') out.push(entryLocated<HostNamespaceKind>(userns, 'user'));
  return out;
}

/** The host paths of the section's Volume= entries (the --volume syntax; `name.volume` and named volumes are not host paths); `sources` gets each as written. */
function volumeEntries(section: UnitSection, sources: string[]): Mount[] {
  const mounts: Mount[] = [];
  for (const entry of listEntries(section, 'Volume')) {
    const parsed = parseShortVolume(unitScalar(entry.value));
    if (!parsed) continue;
    sources.push(parsed.source);
    const loc = { ...entryLocated(entry, ''), valueSpan: valueInside(entry, 0, parsed.source.length) };
    mounts.push(mountOf(loc, parsed.source, 'bind', parsed.readOnly, parsed.target));
  }
  return mounts;
}

function otherWorkload(text: string, type: Exclude<QuadletUnitType, 'container'>, section: UnitSection, name: string): Workload {
  const hostNamespaces = namespaceEntries(section);
  // pod create, kube play and build take fewer flags, but the namespace flags read the same way.
  const args = podmanArgsOf(section);
  const fields = runFields(readRunFlags(args.words, wordText, { stopAtPositional: false }), 'PodmanArgs');
  hostNamespaces.push(...fields.hostNamespaces);
  const yaml = type === 'kube' ? lastEntry(section, 'Yaml') : undefined;
  const ref: QuadletUnitRef = { format: 'quadlet-unit', type, text, section, podmanArgs: args.entries };
  if (yaml) ref.yaml = { value: unitScalar(yaml.value), span: yaml.span };
  const workload: Workload = { kind: 'quadlet', name: `Unit ${name}`, anchor: section.header, containers: [], hostNamespaces, sysctls: [], volumeTypes: [], unmountedHostPaths: [], ref };
  // A pod's volumes are mounted into each of its containers; a build's into each RUN step (podman build --volume).
  if (type === 'pod' || type === 'build') workload.sharedMounts = [...volumeEntries(section, []), ...fields.mounts];
  return workload;
}

function containerWorkload(text: string, unit: UnitFile, section: UnitSection, name: string): Workload {
  const args = podmanArgsOf(section);
  const fields = runFields(readRunFlags(args.words, wordText, { stopAtPositional: false }), 'PodmanArgs');

  // Capabilities: the space-separated words of every AddCapability= / DropCapability= entry.
  const caps = (key: string): CapabilityRef[] => {
    const out: CapabilityRef[] = [];
    for (const entry of listEntries(section, key)) {
      const words = unitWords(entry, false);
      for (const word of words) {
        const value = unitScalar(word.value ?? '');
        if (value === '') continue;
        out.push({ value, name: normalizeCap(value), span: word.span, valueSpan: word.span, field: key, ref: { type: 'entry-word', entry, word, words } satisfies QuadletValueRef });
      }
    }
    return out;
  };
  const capAdd = [...caps('AddCapability'), ...fields.capAdd];
  const capDrop = [...caps('DropCapability'), ...fields.capDrop];

  // Security options in the order Quadlet writes them, then PodmanArgs'.
  const securityOpt: Located<string>[] = [];
  const option = (key: string, make: (v: string) => string | undefined) => {
    const e = lastEntry(section, key);
    if (!e) return;
    const opt = make(unitScalar(e.value).trim());
    if (opt !== undefined) securityOpt.push({ ...entryLocated(e, opt), valueSpan: e.valueSpan });
  };
  option('SecurityLabelDisable', (v) => (unitBool(v) ? 'label=disable' : undefined));
  option('SecurityLabelType', (v) => (v ? `label=type:${v}` : undefined));
  option('SeccompProfile', (v) => (v ? `seccomp=${v}` : undefined));
  option('AppArmor', (v) => (v ? `apparmor=${v}` : undefined));
  securityOpt.push(...fields.securityOpt);
  const conf = confinementOf(securityOpt);

  let noNewPrivileges: Located<boolean> | undefined;
  const nnpEntry = lastEntry(section, 'NoNewPrivileges');
  if (nnpEntry) noNewPrivileges = entryLocated(nnpEntry, unitBool(nnpEntry.value));
  if (fields.noNewPrivileges) noNewPrivileges = fields.noNewPrivileges;

  // Unmask= paths (colon-separated, ALL for every one) undo the runtime's masks.
  const unmasked = [...conf.unmasked];
  for (const entry of listEntries(section, 'Unmask')) {
    for (const word of unitWords(entry, true)) {
      if ((word.value ?? '') !== '') unmasked.push({ value: word.value ?? '', span: entry.span, valueSpan: word.span, field: 'Unmask', ref: { type: 'entry', entry } satisfies QuadletValueRef });
    }
  }

  // Mounts: Volume= (the --volume syntax; `name.volume` and named volumes are not host paths), Mount=, then PodmanArgs.
  const hints: ContainerHints = { ...fields.hints, devices: [], volumes: [], sysctls: [], ports: [] };
  const mounts: Mount[] = volumeEntries(section, hints.volumes);
  for (const entry of listEntries(section, 'Mount')) {
    const v = unitScalar(entry.value);
    const parsed = parseMountString(v);
    if (!parsed) continue;
    hints.volumes.push(parsed.source);
    const m = /(^|,)\s*(source|src)\s*=\s*/i.exec(v);
    const loc = { ...entryLocated(entry, ''), valueSpan: m ? valueInside(entry, m.index + m[0].length, parsed.source.length) : entry.valueSpan };
    mounts.push(mountOf(loc, parsed.source, 'mount-string', parsed.readOnly, parsed.target));
  }
  mounts.push(...fields.mounts);
  for (const v of fields.hints.volumes) if (!hints.volumes.includes(v)) hints.volumes.push(v);

  // Devices: AddDevice=[-]HOST[:CONTAINER][:PERMS] (the `-` adds it only when it exists).
  const devices: Located<string>[] = [];
  for (const entry of listEntries(section, 'AddDevice')) {
    const raw = unitScalar(entry.value).trim();
    const optional = raw.startsWith('-') ? 1 : 0;
    const spec = raw.slice(optional);
    const host = spec.includes('=') ? spec : (spec.split(':')[0] ?? '');
    if (host === '') continue;
    hints.devices.push(spec);
    devices.push({ ...entryLocated(entry, host), valueSpan: valueInside(entry, optional, host.length) });
  }
  devices.push(...fields.devices);
  for (const d of fields.hints.devices) if (!hints.devices.includes(d)) hints.devices.push(d);

  for (const entry of listEntries(section, 'Sysctl')) for (const w of unitWords(entry, false)) if (w.value) hints.sysctls.push(w.value);
  for (const s of fields.hints.sysctls) if (!hints.sysctls.includes(s)) hints.sysctls.push(s);
  for (const entry of listEntries(section, 'PublishPort')) {
    const p = containerPort(unitScalar(entry.value));
    if (p !== undefined && !hints.ports.includes(p)) hints.ports.push(p);
  }
  for (const p of fields.hints.ports) if (!hints.ports.includes(p)) hints.ports.push(p);
  for (const entry of listEntries(section, 'Environment')) {
    for (const w of unitWords(entry, true)) {
      const s = w.value ?? '';
      const eq = s.indexOf('=');
      const k = (eq >= 0 ? s.slice(0, eq) : s).trim();
      if (k && !Object.prototype.hasOwnProperty.call(hints.env, k)) hints.env[k] = eq >= 0 ? s.slice(eq + 1) : '';
    }
  }
  const exec = lastEntry(section, 'Exec');
  const entrypoint = lastEntry(section, 'Entrypoint');
  hints.command = [entrypoint?.value, exec?.value].filter((x) => x).join(' ');
  const network = lastEntry(section, 'Network');
  if (network) hints.networkMode = unitScalar(network.value).trim();
  if (fields.hints.networkMode !== undefined) hints.networkMode = fields.hints.networkMode;

  const readOnlyEntry = lastEntry(section, 'ReadOnly');
  let readOnlyRootFilesystem: Located<boolean> | undefined = readOnlyEntry ? entryLocated(readOnlyEntry, unitBool(readOnlyEntry.value)) : undefined;
  if (fields.readOnlyRootFilesystem) readOnlyRootFilesystem = fields.readOnlyRootFilesystem;

  // User= and Group= become one --user USER:GROUP; PodmanArgs --user comes after and wins.
  let user: UserSetting = { verdict: 'unset', how: 'User= is not set: the image\'s user applies (root unless the image sets another)' };
  const userEntry = lastEntry(section, 'User');
  if (fields.user) {
    const verdict = userVerdict(fields.user.value);
    user = { verdict, at: fields.user, how: `PodmanArgs --user ${fields.user.value}` };
  } else if (userEntry) {
    const value = unitScalar(userEntry.value).trim();
    const verdict = value.includes('%') ? 'unknown' : userVerdict(value);
    user = { verdict, at: entryLocated(userEntry, value), how: `User=${value}` };
  }

  const image = lastEntry(section, 'Image');
  const hostNamespaces = [...namespaceEntries(section), ...fields.hostNamespaces];
  const ref: QuadletContainerRef = { format: 'quadlet', text, unit, section, podmanArgs: args.entries };
  const container: Container = {
    kind: 'quadlet',
    name,
    label: `unit ${name}`,
    anchor: section.header,
    privileged: fields.privileged,
    noNewPrivileges,
    supportsNoNewPrivileges: true,
    user,
    capAdd,
    capDrop,
    securityOpt,
    hints,
    unmasked,
    mounts,
    devices,
    deviceCgroupRules: fields.deviceCgroupRules,
    hostPorts: [],
    probeHosts: [],
    ref,
  };
  if (image) container.image = entryLocated(image, unitScalar(image.value).trim());
  if (readOnlyRootFilesystem) container.readOnlyRootFilesystem = readOnlyRootFilesystem;
  assignConfinement(container, conf);
  return { kind: 'quadlet', name, anchor: section.header, containers: [container], hostNamespaces, sysctls: [], volumeTypes: [], unmountedHostPaths: [], ref };
}

export { innerSpan, normalizeHostPath };

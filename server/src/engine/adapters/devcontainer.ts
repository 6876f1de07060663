/**
 * devcontainer.json (JSON with comments) → one workload with one container. Reads the
 * properties the spec gives (`privileged`, `capAdd`, `securityOpt`, `containerUser`,
 * `remoteUser`, `image`) and the docker run flags hidden in `runArgs` (`--privileged`,
 * `--cap-add`/`--cap-drop`, `--security-opt`, `--user`/`-u`, in their one- and
 * two-element forms). Offsets are jsonc-parser's, UTF-16 offsets of the original text.
 */
import { createScanner, parseTree, printParseErrorCode, SyntaxKind } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import type { CapabilityRef, ConfinementSource, Container, ContainerHints, HostNamespace, Located, Mount, Span, UserSetting, Workload } from '../model';
import { assignConfinement, dockerConfinement, NAMESPACE_FLAGS, normalizeHostPath, parseMountString, parseShortVolume } from './boundary';
import { devcontainerWriter, findProperty, isComposeBased } from '../writers/jsonc';
import type { DevcontainerRef, JsoncValueRef } from '../writers/jsonc';
import { bindSource, containerPort } from './compose';
import type { Adapter, AdapterProblem } from './types';
import { normalizeCap } from './yaml-util';
import { parseGoBool, readRunFlags } from '../formats/run-flags';

function nodeSpan(node: Node): Span {
  return { start: node.offset, end: node.offset + node.length };
}

export { parseGoBool };

/** What a security option says about no-new-privileges, if anything. */
export function noNewPrivilegesOf(opt: string): boolean | undefined {
  if (opt === 'no-new-privileges') return true;
  const m = /^no-new-privileges[:=](.*)$/s.exec(opt);
  return m ? parseGoBool(m[1] ?? '') : undefined;
}

export function userVerdict(user: string): UserSetting['verdict'] {
  const u = user.trim();
  if (u === '' || u.includes('${')) return 'unknown';
  if (u === 'root' || /^0+$/.test(u) || u.startsWith('root:') || /^0+:/.test(u)) return 'root';
  return 'nonroot';
}

/** Span of `value` inside the string literal `node` after `skip` characters, when the literal has no escapes. */
function innerSpan(text: string, node: Node, skip: number, value: string): Span {
  const raw = text.slice(node.offset + 1, node.offset + node.length - 1);
  if (node.type !== 'string' || raw !== node.value) return nodeSpan(node);
  const start = node.offset + 1 + skip;
  return { start, end: start + value.length };
}

interface RunArgValue {
  flag: string;
  value: string;
  elements: Node[];
  valueNode: Node;
  prefix: string;
}

/** The docker run flags this linter reads (the shared table, formats/run-flags.ts), in order, with the elements they came from. */
function readRunArgs(items: Node[]): { privileged: { value: boolean; node: Node; flag: string }[]; values: RunArgValue[] } {
  const flags = readRunFlags(items, (n) => (n.type === 'string' ? String(n.value) : undefined), { stopAtPositional: false });
  return {
    privileged: flags.bools.map((b) => ({ value: b.value, node: b.token, flag: b.flag })),
    values: flags.values.map((v) => ({ flag: v.flag, value: v.value, elements: v.tokens, valueNode: v.valueToken, prefix: v.prefix })),
  };
}

function locatedFromRunArg(text: string, property: Node, v: RunArgValue, field: string): Located<string> {
  const first = v.elements[0] ?? v.valueNode;
  const last = v.elements[v.elements.length - 1] ?? v.valueNode;
  const ref: JsoncValueRef = { type: 'runArg', flag: v.flag, property, elements: v.elements, valueNode: v.valueNode, prefix: v.prefix };
  return {
    value: v.value,
    span: { start: first.offset, end: last.offset + last.length },
    valueSpan: innerSpan(text, v.valueNode, v.prefix.length, v.value),
    field,
    ref,
  };
}

function isBlank(text: string): boolean {
  const scanner = createScanner(text, true);
  return scanner.scan() === SyntaxKind.EOF;
}

export const parseDevcontainer: Adapter = (text) => {
  const problems: AdapterProblem[] = [];
  const result = { kind: 'devcontainer' as const, workloads: [] as Workload[], problems, writer: devcontainerWriter, commentPrefix: '//' as const };
  // jsonc-parser rejects a byte order mark; a blank of the same length keeps every offset.
  const source = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  if (isBlank(source)) return result;
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(source, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    // jsonc-parser recurses per nesting level: thousands of levels overflow the stack.
    problems.push({ ruleId: 'parse-error', severity: 'error', message: 'devcontainer.json syntax error: nested too deeply to analyse', span: { start: 0, end: 0 } });
    return result;
  }
  const firstError = errors[0];
  if (firstError) {
    problems.push({
      ruleId: 'parse-error',
      severity: 'error',
      message: `devcontainer.json syntax error: ${printParseErrorCode(firstError.error)}`,
      span: { start: firstError.offset, end: firstError.offset + firstError.length },
    });
  }
  if (!root || root.type !== 'object') return result;

  const privileged: Located<boolean>[] = [];
  const capAdd: CapabilityRef[] = [];
  const capDrop: CapabilityRef[] = [];
  const securityOpt: Located<string>[] = [];
  let noNewPrivileges: Located<boolean> | undefined;
  let user: UserSetting = { verdict: 'unknown', how: 'image default' };

  const propValue = (p: Node | undefined): Node | undefined => p?.children?.[1];
  const stringProp = (name: string): Located<string> | undefined => {
    const p = findProperty(root, name);
    const v = propValue(p);
    if (!p || v?.type !== 'string') return undefined;
    return { value: String(v.value), span: nodeSpan(p), valueSpan: nodeSpan(v), field: name, ref: { type: 'property', property: p } satisfies JsoncValueRef };
  };
  const addCaps = (into: CapabilityRef[], base: Located<string>, list: string[], node: Node, prefixLength: number, make: (index: number) => JsoncValueRef) => {
    let offset = prefixLength;
    list.forEach((raw, index) => {
      const lead = raw.length - raw.trimStart().length;
      const value = raw.trim();
      if (value !== '') {
        into.push({ ...base, value, name: normalizeCap(value), valueSpan: innerSpan(text, node, offset + lead, value), ref: make(index) });
      }
      offset += raw.length + 1;
    });
  };
  const noteSecurityOpt = (located: Located<string>) => {
    securityOpt.push(located);
    const nnp = noNewPrivilegesOf(located.value);
    if (nnp !== undefined) noNewPrivileges = { ...located, value: nnp };
  };

  const privilegedProp = findProperty(root, 'privileged');
  const privilegedValue = propValue(privilegedProp);
  if (privilegedProp && privilegedValue?.type === 'boolean') {
    privileged.push({
      value: privilegedValue.value === true,
      span: nodeSpan(privilegedProp),
      valueSpan: nodeSpan(privilegedValue),
      field: 'privileged',
      ref: { type: 'property', property: privilegedProp } satisfies JsoncValueRef,
    });
  }

  const capAddProp = findProperty(root, 'capAdd');
  for (const item of propValue(capAddProp)?.type === 'array' ? (propValue(capAddProp)?.children ?? []) : []) {
    if (!capAddProp || item.type !== 'string') continue;
    const value = String(item.value);
    capAdd.push({ value, name: normalizeCap(value), span: nodeSpan(item), valueSpan: nodeSpan(item), field: 'capAdd', ref: { type: 'item', property: capAddProp, item } satisfies JsoncValueRef });
  }

  const securityOptProp = findProperty(root, 'securityOpt');
  for (const item of propValue(securityOptProp)?.type === 'array' ? (propValue(securityOptProp)?.children ?? []) : []) {
    if (!securityOptProp || item.type !== 'string') continue;
    noteSecurityOpt({ value: String(item.value), span: nodeSpan(item), valueSpan: nodeSpan(item), field: 'securityOpt', ref: { type: 'item', property: securityOptProp, item } satisfies JsoncValueRef });
  }

  let runArgsUser: Located<string> | undefined;
  const runArgsBools: { value: boolean; node: Node; flag: string; property: Node }[] = [];
  const runArgValues: { v: RunArgValue; located: Located<string> }[] = [];
  const hints: ContainerHints = { devices: [], volumes: [], sysctls: [], ports: [], env: {}, command: '' };
  // With dockerComposeFile the container is the Compose service (linted in its own file), and the
  // devcontainer tools ignore runArgs: only the general properties (privileged, capAdd,
  // securityOpt, users, mounts) apply on top of the service.
  const runArgsProp = isComposeBased(root) ? undefined : findProperty(root, 'runArgs');
  const runArgsValue = propValue(runArgsProp);
  if (runArgsProp && runArgsValue?.type === 'array') {
    const { privileged: bools, values } = readRunArgs(runArgsValue.children ?? []);
    const flags = bools.filter((b) => b.flag === '--privileged');
    runArgsBools.push(...bools.filter((b) => b.flag !== '--privileged').map((b) => ({ ...b, property: runArgsProp })));
    runArgValues.push(...values.map((v) => ({ v, located: locatedFromRunArg(text, runArgsProp, v, 'runArgs') })));
    for (const v of values) hintFromRunArg(hints, v.flag, v.value);
    for (const p of flags) {
      privileged.push({ value: p.value, span: nodeSpan(p.node), valueSpan: nodeSpan(p.node), field: 'runArgs', ref: { type: 'runArg', flag: '--privileged', property: runArgsProp, elements: [p.node], valueNode: p.node, prefix: '' } satisfies JsoncValueRef });
    }
    for (const v of values) {
      const located = locatedFromRunArg(text, runArgsProp, v, 'runArgs');
      if (v.flag === '--cap-add' || v.flag === '--cap-drop') {
        const list = v.value.split(',');
        const base = located.ref as JsoncValueRef & { type: 'runArg' };
        addCaps(v.flag === '--cap-add' ? capAdd : capDrop, located, list, v.valueNode, v.prefix.length, (index) => ({ ...base, list, index }));
      } else if (v.flag === '--security-opt') {
        noteSecurityOpt(located);
      } else if (v.flag === '--user') {
        runArgsUser = located;
      }
    }
  }

  hintsFromProperties(root, hints);

  const containerUser = stringProp('containerUser');
  const decidingUser = containerUser ?? runArgsUser;
  if (decidingUser) {
    const verdict = userVerdict(decidingUser.value);
    const source = containerUser ? `containerUser is "${decidingUser.value}"` : `runArgs --user is "${decidingUser.value}"`;
    user = { verdict, at: decidingUser, how: verdict === 'unknown' ? `${source}, which cannot be resolved statically` : source };
  }

  const anchor: Span = { start: root.offset, end: root.offset + 1 };
  const ref: DevcontainerRef = { format: 'devcontainer', text, root };
  const container: Container = {
    kind: 'devcontainer',
    name: 'devcontainer',
    label: 'devcontainer',
    anchor,
    image: stringProp('image'),
    privileged,
    noNewPrivileges,
    supportsNoNewPrivileges: true,
    user,
    remoteUser: stringProp('remoteUser'),
    capAdd,
    capDrop,
    securityOpt,
    hints,
    ...devcontainerBoundary(text, root, securityOpt, runArgValues, runArgsBools),
    ref,
  };
  // The container is the Compose service: what it lacks is reported there (the project view
  // merges the dev container's compose files), not a second time here.
  if (isComposeBased(root)) container.missingReportedIn = 'dockerComposeFile';
  const toolchain = debugToolchain(root);
  if (toolchain) container.debugToolchain = toolchain;
  const hostNamespaces: HostNamespace[] = [];
  for (const { v, located } of runArgValues) {
    const kind = NAMESPACE_FLAGS[v.flag];
    if (kind && v.value.trim() === 'host') hostNamespaces.push({ ...located, value: kind });
  }
  result.workloads.push({ kind: 'devcontainer', name: 'devcontainer', anchor, containers: [container], hostNamespaces, sysctls: [], volumeTypes: [], unmountedHostPaths: [], ref });
  return result;
};

// ---- The debugger toolchain ---------------------------------------------------------

/** Image names, Feature ids and VS Code extension ids that set a dev container up for a compiled language's debugger. */
const TOOLCHAINS: { name: string; image: RegExp; feature: RegExp; extension: RegExp }[] = [
  { name: 'C/C++', image: /\/(?:cpp|c|cxx|gcc|clang|llvm)(?::|$)/i, feature: /\/(?:cpp|gcc|clang|llvm|gdb|lldb)(?::|$)/i, extension: /^(?:ms-vscode\.cpptools(?:-extension-pack)?|llvm-vs-code-extensions\.vscode-clangd)$/i },
  { name: 'Go', image: /\/(?:go|golang)(?::|$)/i, feature: /\/(?:go|golang)(?::|$)/i, extension: /^golang\.go$/i },
  { name: 'Rust', image: /\/rust(?::|$)/i, feature: /\/rust(?::|$)/i, extension: /^(?:rust-lang\.rust-analyzer|rust-lang\.rust)$/i },
  // CodeLLDB debugs C, C++ and Rust alike: it says "C/C++" only when no language above said more.
  { name: 'C/C++', image: /^$/, feature: /^$/, extension: /^vadimcn\.vscode-lldb$/i },
];

/** The first toolchain the image, the Features or the VS Code extensions name, with what named it. */
function debugToolchain(root: Node): { name: string; evidence: string } | undefined {
  const propValue = (p: Node | undefined): Node | undefined => p?.children?.[1];
  const image = propValue(findProperty(root, 'image'));
  const imageName = image?.type === 'string' ? String(image.value) : undefined;
  const features = propValue(findProperty(root, 'features'));
  const featureIds = features?.type === 'object' ? (features.children ?? []).map((p) => p.children?.[0]).filter((k): k is Node => k?.type === 'string').map((k) => String(k.value)) : [];
  const customizations = propValue(findProperty(root, 'customizations'));
  const vscode = customizations?.type === 'object' ? propValue(findProperty(customizations, 'vscode')) : undefined;
  const extensions = vscode?.type === 'object' ? propValue(findProperty(vscode, 'extensions')) : undefined;
  const extensionIds = extensions?.type === 'array' ? (extensions.children ?? []).filter((n) => n.type === 'string').map((n) => String(n.value)) : [];
  for (const t of TOOLCHAINS) {
    if (imageName && imageName.trim() !== '' && t.image.test(imageName.trim())) return { name: t.name, evidence: `image ${imageName.trim()}` };
    const feature = featureIds.find((f) => f.trim() !== '' && t.feature.test(f.trim()));
    if (feature) return { name: t.name, evidence: `Feature ${feature.trim()}` };
    const extension = extensionIds.find((e) => t.extension.test(e.trim()));
    if (extension) return { name: t.name, evidence: `extension ${extension.trim()}` };
  }
  return undefined;
}

// ---- Hints for the privileged replacement ------------------------------------------

function setEnv(env: Record<string, string>, assignment: string): void {
  const eq = assignment.indexOf('=');
  const name = (eq >= 0 ? assignment.slice(0, eq) : assignment).trim();
  if (name && !Object.prototype.hasOwnProperty.call(env, name)) env[name] = eq >= 0 ? assignment.slice(eq + 1) : '';
}

/** `type=bind,source=/x,target=/y` (docker --mount and devcontainer `mounts` strings) → the bind source. */
export function mountBindSource(spec: string): string | undefined {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const source = fields.get('source') ?? fields.get('src');
  return fields.get('type') === 'bind' && source ? source : undefined;
}

function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

function hintFromRunArg(hints: ContainerHints, flag: string, value: string): void {
  switch (flag) {
    case '--device':
      if (value.trim() !== '') addUnique(hints.devices, value.trim());
      break;
    case '--volume': {
      const src = bindSource(value);
      if (src !== undefined) addUnique(hints.volumes, src);
      break;
    }
    case '--mount': {
      const src = mountBindSource(value);
      if (src !== undefined) addUnique(hints.volumes, src);
      break;
    }
    case '--sysctl':
      if (value.trim() !== '') addUnique(hints.sysctls, value.trim());
      break;
    case '--env':
      setEnv(hints.env, value);
      break;
    case '--network':
    case '--net':
      hints.networkMode = value.trim();
      break;
    case '--publish': {
      const p = containerPort(value);
      if (p !== undefined) addUnique(hints.ports, p);
      break;
    }
    default:
      break;
  }
}

/** `mounts`, `containerEnv` and `appPort`. */
function hintsFromProperties(root: Node, hints: ContainerHints): void {
  const value = (name: string): Node | undefined => findProperty(root, name)?.children?.[1];
  const mounts = value('mounts');
  for (const m of mounts?.type === 'array' ? (mounts.children ?? []) : []) {
    if (m.type === 'string') {
      const src = mountBindSource(String(m.value));
      if (src !== undefined) addUnique(hints.volumes, src);
    } else if (m.type === 'object') {
      const type = findProperty(m, 'type')?.children?.[1];
      const source = findProperty(m, 'source')?.children?.[1];
      if (type?.value === 'bind' && source?.type === 'string' && String(source.value) !== '') addUnique(hints.volumes, String(source.value));
    }
  }
  const containerEnv = value('containerEnv');
  for (const p of containerEnv?.type === 'object' ? (containerEnv.children ?? []) : []) {
    const k = p.children?.[0];
    const v = p.children?.[1];
    if (k?.type === 'string' && v && (v.type === 'string' || v.type === 'number' || v.type === 'boolean')) {
      const name = String(k.value);
      if (!Object.prototype.hasOwnProperty.call(hints.env, name)) hints.env[name] = String(v.value);
    }
  }
  const appPort = value('appPort');
  for (const p of appPort?.type === 'array' ? (appPort.children ?? []) : appPort ? [appPort] : []) {
    const port = p.type === 'number' || p.type === 'string' ? containerPort(String(p.value)) : undefined;
    if (port !== undefined) addUnique(hints.ports, port);
  }
}

// ---- The container boundary ------------------------------------------------------------

type BoundaryFields = Pick<Container, 'seccomp' | 'apparmor' | 'selinux' | 'seLinuxUser' | 'seLinuxRole' | 'unmasked' | 'mounts' | 'devices' | 'deviceCgroupRules' | 'readOnlyRootFilesystem' | 'hostPorts' | 'probeHosts'>;

/** Span of the text after `key=` (first match of one of the keys) inside a mount string, when the literal has no escapes. */
function fieldSpan(text: string, node: Node, prefix: string, keys: string[], value: string): Span {
  const s = String(node.value);
  for (const k of keys) {
    const re = new RegExp(`(^|,)\\s*${k}\\s*=\\s*`, 'i');
    const m = re.exec(s.slice(prefix.length));
    if (m) return innerSpan(text, node, prefix.length + m.index + m[0].length, value);
  }
  return nodeSpan(node);
}

function devcontainerBoundary(
  text: string,
  root: Node,
  securityOpt: Located<string>[],
  runArgs: { v: RunArgValue; located: Located<string> }[],
  bools: { value: boolean; node: Node; flag: string; property: Node }[],
): BoundaryFields {
  const sourceOf = (o: Located<string>): ConfinementSource => ((o.ref as JsoncValueRef | undefined)?.type === 'runArg' ? 'runArgs' : 'security_opt');
  const conf = dockerConfinement(securityOpt, sourceOf);
  const out: BoundaryFields = { unmasked: conf.unmasked, mounts: [], devices: [], deviceCgroupRules: [], hostPorts: [], probeHosts: [] };
  assignConfinement(out, conf);

  const mount = (loc: Located<string>, source: string, form: Mount['form'], readOnly: boolean, target: string | undefined): Mount => {
    const { value, relative } = normalizeHostPath(source);
    const m: Mount = { ...loc, value, readOnly, form };
    if (target !== undefined) m.target = target;
    if (relative) m.relative = true;
    return m;
  };

  // `mounts`: strings in --mount syntax, or {type, source, target} objects.
  const mountsProp = findProperty(root, 'mounts');
  const mountsValue = mountsProp?.children?.[1];
  for (const item of mountsProp && mountsValue?.type === 'array' ? (mountsValue.children ?? []) : []) {
    const ref: JsoncValueRef = { type: 'item', property: mountsProp as Node, item };
    if (item.type === 'string') {
      const parsed = parseMountString(String(item.value));
      if (!parsed) continue;
      const loc: Located<string> = { value: '', span: nodeSpan(item), valueSpan: fieldSpan(text, item, '', ['source', 'src'], parsed.source), field: 'mounts', ref };
      out.mounts.push(mount(loc, parsed.source, 'mount-string', parsed.readOnly, parsed.target));
    } else if (item.type === 'object') {
      const type = findProperty(item, 'type')?.children?.[1];
      const source = findProperty(item, 'source')?.children?.[1];
      const target = findProperty(item, 'target')?.children?.[1];
      if (type?.value !== 'bind' || source?.type !== 'string' || String(source.value) === '') continue;
      const loc: Located<string> = { value: '', span: nodeSpan(item), valueSpan: innerSpan(text, source, 0, String(source.value)), field: 'mounts', ref };
      out.mounts.push(mount(loc, String(source.value), 'bind', false, target?.type === 'string' ? String(target.value) : undefined));
    }
  }

  for (const { v, located } of runArgs) {
    if (v.flag === '--volume') {
      const parsed = parseShortVolume(v.value);
      if (!parsed) continue;
      const loc: Located<string> = { ...located, valueSpan: innerSpan(text, v.valueNode, v.prefix.length, parsed.source) };
      out.mounts.push(mount(loc, parsed.source, 'bind', parsed.readOnly, parsed.target));
    } else if (v.flag === '--mount') {
      const parsed = parseMountString(v.value);
      if (!parsed) continue;
      const loc: Located<string> = { ...located, valueSpan: fieldSpan(text, v.valueNode, v.prefix, ['source', 'src'], parsed.source) };
      out.mounts.push(mount(loc, parsed.source, 'mount-string', parsed.readOnly, parsed.target));
    } else if (v.flag === '--device') {
      const host = v.value.includes('=') ? v.value.trim() : (v.value.trim().split(':')[0] ?? '');
      if (host === '') continue;
      out.devices.push({ ...located, value: host, valueSpan: innerSpan(text, v.valueNode, v.prefix.length, host) });
    } else if (v.flag === '--device-cgroup-rule') {
      out.deviceCgroupRules.push(located);
    }
  }

  for (const b of bools) {
    const ref: JsoncValueRef = { type: 'runArg', flag: b.flag, property: b.property, elements: [b.node], valueNode: b.node, prefix: '' };
    const loc = { span: nodeSpan(b.node), valueSpan: nodeSpan(b.node), field: 'runArgs', ref };
    if (b.flag === '--read-only') out.readOnlyRootFilesystem = { ...loc, value: b.value };
    else if (b.flag === '--use-api-socket' && b.value) out.mounts.push({ ...loc, value: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, form: 'api-socket' });
  }
  return out;
}

/**
 * Run flags written as words (a shell command line, Quadlet `PodmanArgs=`) → the model's
 * container fields. The words come from each format's own parser with their source ranges;
 * the flags are read with the shared table (run-flags.ts).
 */
import { dockerConfinement, NAMESPACE_FLAGS, normalizeHostPath, parseMountString, parseShortVolume } from '../adapters/boundary';
import { bindSource, containerPort } from '../adapters/compose';
import { mountBindSource, noNewPrivilegesOf, userVerdict } from '../adapters/devcontainer';
import { normalizeCap } from '../adapters/yaml-util';
import type { CapabilityRef, Confinement, ContainerHints, HostNamespace, Located, Mount, Span } from '../model';
import type { RunFlags, RunValue } from './run-flags';

/** One word of a command line or unit value, as its format's parser read it. */
export interface Word {
  /** The word after quote removal and escapes; undefined when it cannot be known (a variable). */
  value: string | undefined;
  /** The word as written. */
  span: Span;
  /**
   * Set when `value` is written character for character from this offset (no escapes; quotes, if
   * any, around the whole word): `value[i]` is the text at `verbatimStart + i`.
   */
  verbatimStart?: number;
}

/** The writer's handle on a setting that comes from run flags. */
export interface WordFlagRef {
  type: 'word-flag';
  flag: string;
  /** The word(s) of the flag: `--cap-add=X`, or `--cap-add` and `X`. */
  words: Word[];
  valueWord: Word;
  /** Text before the value inside valueWord. */
  prefix: string;
  /** For `--cap-add=A,B`: the list and which item. */
  list?: string[];
  index?: number;
}

export function wordText(w: Word): string | undefined {
  return w.value;
}

/** The span of `length` characters at `skip` inside a word's value, or the whole word when it is not verbatim. */
export function innerSpan(w: Word, skip: number, length: number): Span {
  if (w.verbatimStart === undefined) return w.span;
  const start = w.verbatimStart + skip;
  return { start, end: start + length };
}

/** The container fields run flags decide. */
export interface RunFields {
  privileged: Located<boolean>[];
  capAdd: CapabilityRef[];
  capDrop: CapabilityRef[];
  securityOpt: Located<string>[];
  noNewPrivileges?: Located<boolean>;
  user?: Located<string>;
  readOnlyRootFilesystem?: Located<boolean>;
  mounts: Mount[];
  devices: Located<string>[];
  deviceCgroupRules: Located<string>[];
  hostNamespaces: HostNamespace[];
  hints: ContainerHints;
}

function located(v: RunValue<Word>, field: string): Located<string> {
  const first = v.tokens[0] ?? v.valueToken;
  const last = v.tokens[v.tokens.length - 1] ?? v.valueToken;
  const ref: WordFlagRef = { type: 'word-flag', flag: v.flag, words: v.tokens, valueWord: v.valueToken, prefix: v.prefix };
  return { value: v.value, span: { start: first.span.start, end: last.span.end }, valueSpan: innerSpan(v.valueToken, v.prefix.length, v.value.length), field, ref };
}

function addUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/** Reads the flags into container fields; `field` names where they are written (`docker run`, `PodmanArgs`). */
export function runFields(flags: RunFlags<Word>, field: string): RunFields {
  const out: RunFields = { privileged: [], capAdd: [], capDrop: [], securityOpt: [], mounts: [], devices: [], deviceCgroupRules: [], hostNamespaces: [], hints: { devices: [], volumes: [], sysctls: [], ports: [], env: {}, command: '' } };
  for (const b of flags.bools) {
    const ref: WordFlagRef = { type: 'word-flag', flag: b.flag, words: [b.token], valueWord: b.token, prefix: '' };
    const loc = { value: b.value, span: b.token.span, valueSpan: b.token.span, field, ref };
    if (b.flag === '--privileged') out.privileged.push(loc);
    else if (b.flag === '--read-only') out.readOnlyRootFilesystem = loc;
    else if (b.flag === '--use-api-socket' && b.value) out.mounts.push({ ...loc, value: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false, form: 'api-socket' });
  }
  for (const v of flags.values) {
    const loc = located(v, field);
    const value = v.value.trim();
    switch (v.flag) {
      case '--cap-add':
      case '--cap-drop': {
        const list = v.value.split(',');
        let offset = v.prefix.length;
        list.forEach((raw, index) => {
          const lead = raw.length - raw.trimStart().length;
          const cap = raw.trim();
          if (cap !== '') {
            const ref: WordFlagRef = { ...(loc.ref as WordFlagRef), list, index };
            (v.flag === '--cap-add' ? out.capAdd : out.capDrop).push({ ...loc, value: cap, name: normalizeCap(cap), valueSpan: innerSpan(v.valueToken, offset + lead, cap.length), ref });
          }
          offset += raw.length + 1;
        });
        break;
      }
      case '--security-opt': {
        out.securityOpt.push(loc);
        const nnp = noNewPrivilegesOf(value);
        if (nnp !== undefined) out.noNewPrivileges = { ...loc, value: nnp };
        break;
      }
      case '--user':
        out.user = loc;
        break;
      case '--volume': {
        const src = bindSource(v.value);
        if (src !== undefined) addUnique(out.hints.volumes, src);
        const parsed = parseShortVolume(v.value);
        if (parsed) out.mounts.push(mountOf({ ...loc, valueSpan: innerSpan(v.valueToken, v.prefix.length + (v.value.length - v.value.trimStart().length), parsed.source.length) }, parsed.source, 'bind', parsed.readOnly, parsed.target));
        break;
      }
      case '--mount': {
        const src = mountBindSource(v.value);
        if (src !== undefined) addUnique(out.hints.volumes, src);
        const parsed = parseMountString(v.value);
        if (parsed) out.mounts.push(mountOf({ ...loc, valueSpan: fieldSpan(v, parsed.source) }, parsed.source, 'mount-string', parsed.readOnly, parsed.target));
        break;
      }
      case '--device': {
        if (value !== '') addUnique(out.hints.devices, value);
        const host = value.includes('=') ? value : (value.split(':')[0] ?? '');
        if (host !== '') out.devices.push({ ...loc, value: host, valueSpan: innerSpan(v.valueToken, v.prefix.length + (v.value.length - v.value.trimStart().length), host.length) });
        break;
      }
      case '--device-cgroup-rule':
        out.deviceCgroupRules.push(loc);
        break;
      case '--sysctl':
        if (value !== '') addUnique(out.hints.sysctls, value);
        break;
      case '--env': {
        const eq = v.value.indexOf('=');
        const name = (eq >= 0 ? v.value.slice(0, eq) : v.value).trim();
        if (name && !Object.prototype.hasOwnProperty.call(out.hints.env, name)) out.hints.env[name] = eq >= 0 ? v.value.slice(eq + 1) : '';
        break;
      }
      case '--publish': {
        const p = containerPort(v.value);
        if (p !== undefined) addUnique(out.hints.ports, p);
        break;
      }
      default:
        break;
    }
    if (v.flag === '--network' || v.flag === '--net') out.hints.networkMode = value;
    const ns = NAMESPACE_FLAGS[v.flag];
    if (ns && value === 'host') out.hostNamespaces.push({ ...loc, value: ns });
  }
  return out;
}

/** Span of the `source=` / `src=` value inside a --mount word. */
function fieldSpan(v: RunValue<Word>, source: string): Span {
  const m = /(^|,)\s*(source|src)\s*=\s*/i.exec(v.value);
  return m ? innerSpan(v.valueToken, v.prefix.length + m.index + m[0].length, source.length) : v.valueToken.span;
}

export function mountOf(loc: Located<string>, source: string, form: Mount['form'], readOnly: boolean, target: string | undefined): Mount {
  const { value, relative } = normalizeHostPath(source);
  const m: Mount = { ...loc, value, readOnly, form };
  if (target !== undefined) m.target = target;
  if (relative) m.relative = true;
  return m;
}

/** seccomp / AppArmor / SELinux / unmasked paths from security options written as run flags (or unit keys). */
export function confinementOf(securityOpt: Located<string>[]): { seccomp?: Confinement; apparmor?: Confinement; selinux?: Confinement; seLinuxUser?: Located<string>; seLinuxRole?: Located<string>; unmasked: Located<string>[] } {
  return dockerConfinement(securityOpt, () => 'runArgs');
}

export { userVerdict };

/**
 * Format-independent parsing for the container boundary: Docker security options
 * (seccomp, AppArmor, SELinux labels, unmasked paths), volume and `--mount` strings, and
 * host path normalisation. Adapters call these and attach spans; nothing here knows a file.
 */
import type { Confinement, ConfinementSource, HostNamespaceKind, Located } from '../model';

/**
 * Splits a security option as moby's parseSecurityOpt does: bare `no-new-privileges`,
 * `writable-cgroups` and `disable` stand alone; otherwise split on the first `=`, or else on
 * the first `:` (the deprecated form).
 */
export function splitSecurityOpt(opt: string): { key: string; value: string | undefined } {
  const s = opt.trim();
  if (s === 'disable') return { key: 'label', value: 'disable' };
  const eq = s.indexOf('=');
  if (eq >= 0) return { key: s.slice(0, eq), value: s.slice(eq + 1) };
  const colon = s.indexOf(':');
  if (colon >= 0) return { key: s.slice(0, colon), value: s.slice(colon + 1) };
  return { key: s, value: undefined };
}

/** Go strconv.ParseBool. */
function goBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** What a list of Docker security options decides about confinement. */
export interface DockerConfinement {
  seccomp?: Confinement;
  apparmor?: Confinement;
  selinux?: Confinement;
  seLinuxUser?: Located<string>;
  seLinuxRole?: Located<string>;
  unmasked: Located<string>[];
}

/** Copies the confinement settings that were written onto a container's fields (the unmasked paths stay with the caller). */
export function assignConfinement(target: Omit<DockerConfinement, 'unmasked'>, conf: DockerConfinement): void {
  if (conf.seccomp) target.seccomp = conf.seccomp;
  if (conf.apparmor) target.apparmor = conf.apparmor;
  if (conf.selinux) target.selinux = conf.selinux;
  if (conf.seLinuxUser) target.seLinuxUser = conf.seLinuxUser;
  if (conf.seLinuxRole) target.seLinuxRole = conf.seLinuxRole;
}

/**
 * Reads seccomp / apparmor / label / systempaths / writable-cgroups options in order.
 * `sourceOf` says where each option is written (`security_opt` or `runArgs`).
 */
export function dockerConfinement(options: Located<string>[], sourceOf: (o: Located<string>) => ConfinementSource): DockerConfinement {
  const out: DockerConfinement = { unmasked: [] };
  let labelType: Confinement | undefined;
  let labelOther: Confinement | undefined;
  let disabled: Confinement | undefined;
  for (const opt of options) {
    const raw = opt.value.trim();
    const { key, value } = splitSecurityOpt(raw);
    const conf = (v: string): Confinement => ({ ...opt, value: v, source: sourceOf(opt) });
    if (key === 'seccomp' && value !== undefined) out.seccomp = conf(value.trim() === 'unconfined' ? 'unconfined' : value.trim());
    else if (key === 'apparmor' && value !== undefined) out.apparmor = conf(value.trim() === 'unconfined' ? 'unconfined' : value.trim());
    else if (key === 'label' && value !== undefined) {
      const v = value.trim();
      if (v === 'disable') disabled = conf('disable');
      else if (v.startsWith('type:')) labelType = conf(v);
      else {
        labelOther = conf(v);
        if (v.startsWith('user:')) out.seLinuxUser = { ...opt, value: v.slice(5) };
        if (v.startsWith('role:')) out.seLinuxRole = { ...opt, value: v.slice(5) };
      }
    } else if (raw === 'systempaths=unconfined') out.unmasked.push(opt);
    else if (key === 'writable-cgroups' && (value === undefined || goBool(value.trim()) === true)) out.unmasked.push(opt);
  }
  const selinux = disabled ?? labelType ?? labelOther;
  if (selinux) out.selinux = selinux;
  return out;
}

/**
 * A host path as the model stores it: `//` collapsed, trailing slashes dropped (`/` stays).
 * Relative means not absolute (`./x`, `../x`, `~/x`, a variable).
 */
export function normalizeHostPath(raw: string): { value: string; relative: boolean } {
  const s = raw.trim();
  if (!s.startsWith('/')) return { value: s, relative: true };
  let v = s.replace(/\/{2,}/g, '/');
  while (v.length > 1 && v.endsWith('/')) v = v.slice(0, -1);
  return { value: v, relative: false };
}

/** Splits on `:` outside `${…}` (devcontainer `${localEnv:HOME}`, Compose `${X:-/a}`). */
function splitColons(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '$' && s[i + 1] === '{') {
      depth++;
      cur += '${';
      i++;
      continue;
    }
    if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

/**
 * A short volume `SRC:DST[:MODE]` whose SRC is a host path (absolute, `.`, `~`, or a
 * `${…}` variable); undefined for named volumes and anonymous volumes (`/data`).
 */
export function parseShortVolume(short: string): { source: string; target: string; mode?: string; readOnly: boolean } | undefined {
  const s = short.trim();
  if (!/^[/.~]|^\$\{/.test(s)) return undefined;
  const parts = splitColons(s);
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [source = '', target = '', mode] = parts;
  if (source === '' || target === '') return undefined;
  const readOnly = mode !== undefined && mode.split(',').some((m) => m.trim() === 'ro');
  return mode !== undefined ? { source, target, mode, readOnly } : { source, target, readOnly };
}

/** The fields of a `--mount` / devcontainer mount string, keys lower-cased; flags without `=` map to ''. */
export function mountFields(spec: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const k = (eq >= 0 ? part.slice(0, eq) : part).trim().toLowerCase();
    if (k) fields.set(k, eq >= 0 ? part.slice(eq + 1).trim() : '');
  }
  return fields;
}

/** A `type=bind` mount string → source, target, read-only; undefined for other types (the default is volume). */
export function parseMountString(spec: string): { source: string; target?: string; readOnly: boolean } | undefined {
  const f = mountFields(spec);
  const source = f.get('source') ?? f.get('src');
  if (f.get('type') !== 'bind' || !source) return undefined;
  const target = f.get('target') ?? f.get('dst') ?? f.get('destination');
  const ro = f.get('readonly') ?? f.get('ro');
  const readOnly = ro !== undefined && (ro === '' || goBool(ro) === true);
  return target !== undefined ? { source, target, readOnly } : { source, readOnly };
}

/** docker run flags that share a host namespace when their value is `host`. */
export const NAMESPACE_FLAGS: Record<string, HostNamespaceKind> = {
  '--pid': 'pid',
  '--ipc': 'ipc',
  '--uts': 'uts',
  '--network': 'network',
  '--net': 'network',
  '--userns': 'user',
  '--cgroupns': 'cgroup',
};

/** Kubernetes profile type → the normalised confinement value. */
export function kubernetesProfileValue(type: string, localhostProfile: string | undefined): string {
  if (type === 'Unconfined') return 'unconfined';
  if (type === 'RuntimeDefault') return 'runtime/default';
  if (type === 'Localhost') return `localhost/${localhostProfile ?? ''}`;
  return type;
}

/** Legacy annotation value → the normalised confinement value (`docker/default` is the runtime default). */
export function annotationProfileValue(v: string): string {
  const s = v.trim();
  if (s === 'docker/default') return 'runtime/default';
  return s;
}

/**
 * A Kubernetes strategic-merge patch over its base, on the model (Kustomize, kustomize.ts).
 *
 * The rules, from the Kubernetes API's patch strategies (k8s.io/api core/v1 types.go struct tags,
 * and the strategic-merge-patch document of the Kubernetes contributors' guide):
 * - maps (securityContext, capabilities, seccompProfile, seLinuxOptions…) merge key by key, a
 *   scalar in the patch replacing the base's; `$patch: replace` on a securityContext replaces it whole;
 * - `containers` / `initContainers` merge by `name` (the caller matches them); `$patch: delete` on
 *   a container removes it;
 * - lists of scalars without a strategy (`capabilities.add`, `capabilities.drop`) and
 *   `securityContext.sysctls` are replaced as a whole;
 * - `volumes` merge by `name`, `volumeMounts` by `mountPath`, `ports` by `containerPort`, `env` by
 *   `name` (approximated here by keeping the base's entries the patch does not write again).
 *
 * Every value keeps the object it was read as, so the file it is written in (project/foreign.ts)
 * still decides where it is reported. Effective settings that depend on both levels (the user, the
 * seccomp, AppArmor and SELinux profiles) are worked out again from the merged levels.
 */
import type { KubernetesRef } from '../adapters/kubernetes';
import { get, asMap, scalarString } from '../adapters/yaml-util';
import type { Confinement, Container, HostNamespace, Located, Mount, PodConfinement, UserSetting, Workload } from '../model';
import { foreignFile, markForeignValue } from './foreign';

/** Whether the container's own YAML writes the key path (`securityContext`, `capabilities`, `add`). */
function writes(c: Container | undefined, ...keys: string[]): boolean {
  const ref = c?.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes' || !ref.container) return false;
  let cur: unknown = ref.container;
  for (const k of keys) {
    const e = get(cur, k, ref.doc);
    if (!e) return false;
    cur = e.value;
  }
  return true;
}

/** Whether the pod spec of the workload writes the key path. */
function podWrites(w: Workload, ...keys: string[]): boolean {
  const ref = w.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes' || !ref.pod) return false;
  let cur: unknown = ref.pod;
  for (const k of keys) {
    const e = get(cur, k, ref.doc);
    if (!e) return false;
    cur = e.value;
  }
  return true;
}

function directive(map: unknown, ref: KubernetesRef): string | undefined {
  return scalarString(get(asMap(map), '$patch', ref.doc)?.value);
}

/** A patch container marked `$patch: delete`: the merged pod does not have it. */
export function containerDeleted(c: Container): boolean {
  const ref = c.ref as KubernetesRef | undefined;
  return !!ref && ref.format === 'kubernetes' && !!ref.container && directive(ref.container, ref) === 'delete';
}

/** The patch's securityContext replaces the base's whole (`$patch: replace`). */
function scReplaced(c: Container): boolean {
  const ref = c.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes' || !ref.container) return false;
  return directive(get(ref.container, 'securityContext', ref.doc)?.value, ref) === 'replace';
}

function podScReplaced(w: Workload): boolean {
  const ref = w.ref as KubernetesRef | undefined;
  if (!ref || ref.format !== 'kubernetes' || !ref.pod) return false;
  return directive(get(ref.pod, 'securityContext', ref.doc)?.value, ref) === 'replace';
}

/** The user a container runs as, from the runAsUser / runAsNonRoot of its two levels (the adapter's userOf, on merged values). */
function userFrom(cUid: Located<number> | undefined, cNonRoot: Located<boolean> | undefined, pUid: Located<number> | undefined, pNonRoot: Located<boolean> | undefined): UserSetting {
  const asText = <T>(l: Located<T>): Located<string> => {
    const at: Located<string> = { ...l, value: String(l.value) };
    const owner = foreignFile(l);
    if (owner !== undefined) markForeignValue(at, owner);
    return at;
  };
  const uid = cUid ?? pUid;
  if (uid) {
    if (uid.value === 0) return { verdict: 'root', at: asText(uid), how: uid === pUid ? 'runAsUser: 0 at pod level' : undefined };
    if (uid.value > 0) return { verdict: 'nonroot', at: asText(uid) };
  }
  const nonRoot = cNonRoot ?? pNonRoot;
  if (nonRoot) {
    if (nonRoot.value) return { verdict: 'nonroot', at: asText(nonRoot) };
    return { verdict: 'unset', at: asText(nonRoot), how: `${nonRoot.field}: false, and no non-zero runAsUser is set` };
  }
  return { verdict: 'unset', how: 'neither runAsNonRoot: true nor a non-zero runAsUser is set, on the container or the pod' };
}

type ProfileKey = 'seccomp' | 'apparmor';

/** A container-level confinement: the container's own over the base's, then the pod level, then the legacy annotations. */
function profile(key: ProfileKey, b: Container | undefined, o: Container, bOwn: boolean, pod: PodConfinement): Confinement | undefined {
  const at = (c: Container | undefined, source: Confinement['source']) => (c?.[key]?.source === source ? c[key] : undefined);
  return at(o, 'container') ?? (bOwn ? at(b, 'container') : undefined) ?? pod[key] ?? at(o, 'annotation') ?? at(b, 'annotation');
}

function podLevel(b: Workload, o: Workload): PodConfinement {
  const bp = podScReplaced(o) ? {} : (b.podConfinement ?? {});
  const op = o.podConfinement ?? {};
  const out: PodConfinement = {};
  for (const key of ['seccomp', 'apparmor', 'selinux', 'seLinuxUser', 'seLinuxRole'] as const) {
    const v = op[key] ?? bp[key];
    if (v) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** Over's value when its YAML writes the key (even to an empty list), else base's. */
function listOf<T>(over: T[], base: T[] | undefined, written: boolean): T[] {
  return written ? over : (base ?? []);
}

function mountsOf(b: Mount[], o: Mount[]): Mount[] {
  const targets = new Set(o.map((m) => m.target).filter((t): t is string => t !== undefined));
  return [...o, ...b.filter((m) => m.target === undefined || !targets.has(m.target))];
}

/**
 * The container `o` of a patch merged over `b`, its base (undefined: a container only the patch
 * has, which still inherits the base's pod-level settings). `keep` says whose identity (name,
 * label, anchor, writer handle) the result has: the linted file's.
 */
export function mergeKubeContainer(b: Container | undefined, o: Container, bw: Workload, ow: Workload, keep: 'base' | 'over' = 'over'): Container {
  const bOwn = !!b && !scReplaced(o);
  const bSc = bOwn ? b : undefined;
  const sc = (...keys: string[]) => writes(o, 'securityContext', ...keys);
  const pod = podLevel(bw, ow);
  const podReplaced = podScReplaced(ow);
  const podUid = ow.podRunAsUser ?? (podReplaced ? undefined : bw.podRunAsUser);
  const podNonRoot = ow.podRunAsNonRoot ?? (podReplaced ? undefined : bw.podRunAsNonRoot);
  const runAsUser = o.runAsUser ?? bSc?.runAsUser;
  const runAsNonRoot = o.runAsNonRoot ?? bSc?.runAsNonRoot;
  const identity = keep === 'base' && b ? b : o;
  // SELinux: the container's seLinuxOptions (merged key by key) replace the pod's as a whole.
  const own = (c: Container | undefined) => ({
    selinux: c?.selinux?.source === 'container' ? c.selinux : undefined,
    seLinuxUser: c?.seLinuxUser && !c.seLinuxUser.field.startsWith('spec.') ? c.seLinuxUser : undefined,
    seLinuxRole: c?.seLinuxRole && !c.seLinuxRole.field.startsWith('spec.') ? c.seLinuxRole : undefined,
  });
  const oSe = own(o);
  const bSe = own(bSc);
  const se = { selinux: oSe.selinux ?? bSe.selinux, seLinuxUser: oSe.seLinuxUser ?? bSe.seLinuxUser, seLinuxRole: oSe.seLinuxRole ?? bSe.seLinuxRole };
  const selinux = se.selinux || se.seLinuxUser || se.seLinuxRole ? se : { selinux: pod.selinux, seLinuxUser: pod.seLinuxUser, seLinuxRole: pod.seLinuxRole };
  const bh = b?.hints;
  const oh = o.hints;
  const merged: Container = {
    ...(b ?? o),
    kind: 'kubernetes',
    name: identity.name,
    label: identity.label,
    anchor: identity.anchor,
    ref: identity.ref,
    image: writes(o, 'image') ? o.image : (b?.image ?? o.image),
    privileged: sc('privileged') ? o.privileged : (bSc?.privileged ?? []),
    noNewPrivileges: o.noNewPrivileges ?? bSc?.noNewPrivileges,
    user: userFrom(runAsUser, runAsNonRoot, podUid, podNonRoot),
    runAsUser,
    runAsNonRoot,
    capAdd: listOf(o.capAdd, bSc?.capAdd, sc('capabilities', 'add')),
    capDrop: listOf(o.capDrop, bSc?.capDrop, sc('capabilities', 'drop')),
    securityOpt: [],
    seccomp: profile('seccomp', b, o, bOwn, pod),
    apparmor: profile('apparmor', b, o, bOwn, pod),
    selinux: selinux.selinux,
    seLinuxUser: selinux.seLinuxUser,
    seLinuxRole: selinux.seLinuxRole,
    unmasked: sc('procMount') ? o.unmasked : (bSc?.unmasked ?? []),
    readOnlyRootFilesystem: o.readOnlyRootFilesystem ?? bSc?.readOnlyRootFilesystem,
    windowsHostProcess: o.windowsHostProcess ?? bSc?.windowsHostProcess,
    mounts: mountsOf(b?.mounts ?? [], o.mounts),
    hostPorts: writes(o, 'ports') ? [...o.hostPorts, ...(b?.hostPorts ?? []).filter((p) => !o.hostPorts.some((x) => x.value === p.value))] : (b?.hostPorts ?? o.hostPorts),
    probeHosts: [...o.probeHosts, ...(b?.probeHosts ?? []).filter((p) => !o.probeHosts.some((x) => x.field === p.field))],
    hints: bh && oh ? {
      devices: [...new Set([...bh.devices, ...oh.devices])],
      volumes: [...new Set([...bh.volumes, ...oh.volumes])],
      sysctls: writes(o, 'securityContext', 'sysctls') ? oh.sysctls : bh.sysctls,
      ports: [...new Set([...bh.ports, ...oh.ports])],
      env: { ...bh.env, ...oh.env },
      command: oh.command !== '' ? oh.command : bh.command,
      ...(oh.networkMode ?? bh.networkMode ? { networkMode: oh.networkMode ?? bh.networkMode } : {}),
    } : (oh ?? bh),
  };
  for (const key of ['noNewPrivileges', 'runAsUser', 'runAsNonRoot', 'seccomp', 'apparmor', 'selinux', 'seLinuxUser', 'seLinuxRole', 'readOnlyRootFilesystem', 'windowsHostProcess', 'image', 'related', 'missingReportedIn', 'base'] as const) {
    if (merged[key] === undefined) delete merged[key];
  }
  delete merged.base;
  if (keep === 'over') {
    delete merged.related;
    delete merged.missingReportedIn;
  }
  return merged;
}

/** The pod-level settings of a patch's workload merged over its base's (the containers are the caller's). */
export function mergeKubeWorkload(b: Workload, o: Workload): Workload {
  const namespaces: HostNamespace[] = [];
  for (const [key, kind] of [['hostPID', 'pid'], ['hostIPC', 'ipc'], ['hostNetwork', 'network']] as const) {
    const from = podWrites(o, key) ? o : b;
    namespaces.push(...from.hostNamespaces.filter((n) => n.value === kind));
  }
  const podReplaced = podScReplaced(o);
  const merged: Workload = {
    ...b,
    hostNamespaces: namespaces,
    hostUsers: o.hostUsers ?? b.hostUsers,
    sysctls: podWrites(o, 'securityContext', 'sysctls') || podReplaced ? o.sysctls : b.sysctls,
    volumeTypes: [...o.volumeTypes, ...b.volumeTypes],
    unmountedHostPaths: [...o.unmountedHostPaths, ...b.unmountedHostPaths],
    windowsHostProcess: o.windowsHostProcess ?? (podReplaced ? undefined : b.windowsHostProcess),
    podRunAsNonRoot: o.podRunAsNonRoot ?? (podReplaced ? undefined : b.podRunAsNonRoot),
    podRunAsUser: o.podRunAsUser ?? (podReplaced ? undefined : b.podRunAsUser),
    os: o.os ?? b.os,
    podConfinement: podLevel(b, o),
  };
  for (const key of ['hostUsers', 'windowsHostProcess', 'podRunAsNonRoot', 'podRunAsUser', 'os'] as const) {
    if (merged[key] === undefined) delete merged[key];
  }
  if (merged.podConfinement && Object.keys(merged.podConfinement).length === 0) delete merged.podConfinement;
  return merged;
}

/**
 * Kubernetes documents → workloads (every kind that embeds a pod template, and the
 * items of `kind: List`) → containers (containers, initContainers, ephemeralContainers),
 * with the pod-level securityContext inherited and overridden per container.
 */
import type { Document, YAMLMap } from 'yaml';
import type { CapabilityRef, Confinement, ConfinementSource, Container, ContainerHints, HostNamespace, Located, Mount, PodConfinement, Span, UserSetting, Workload } from '../model';
import { annotationProfileValue, kubernetesProfileValue, normalizeHostPath } from './boundary';
import type { Entry, YNode } from './yaml-util';
import { asMap, entries, get, keySpan, located, normalizeCap, readBool, readInt, scalarString, seqItems, trimmedSpan, valueSpan } from './yaml-util';

export interface KubernetesRef {
  format: 'kubernetes';
  doc: Document.Parsed;
  container: YAMLMap;
  /** The pod spec map. */
  pod: YAMLMap;
}

/** A Kubernetes `seccompProfile` / `appArmorProfile` that decided a confinement: the profile pair and its `type` pair. */
export interface KubernetesProfileRef {
  format: 'kubernetes-profile';
  profile: Entry;
  type: Entry;
}

/** A legacy seccomp/AppArmor annotation that decided a confinement. */
export interface KubernetesAnnotationRef {
  format: 'kubernetes-annotation';
  entry: Entry;
}

/** A hostPath volume as a container mounts it: the `spec.volumes` item and this container's volumeMount (absent when unmounted). */
export interface KubernetesMountRef {
  format: 'kubernetes-mount';
  volume: YAMLMap;
  volumeMount?: YAMLMap;
}

/** A hostPath volume of the pod spec, read once per workload. */
interface HostPathVolume {
  name: string;
  item: YNode;
  map: YAMLMap;
  path: Entry;
  value: string;
  relative: boolean;
  type?: string;
  via?: Span;
}

/** Path from a workload's top-level map to its pod spec. */
const POD_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function path(node: unknown, keys: string[], doc: Document.Parsed): YNode | undefined {
  let cur: unknown = node;
  for (const k of keys) {
    cur = get(cur, k, doc)?.value;
    if (!cur) return undefined;
  }
  return cur as YNode | undefined;
}

/** Where the pod template's metadata (annotations) sits: next to its spec. */
function podMetadataOf(top: YAMLMap, kind: string, doc: Document.Parsed): YAMLMap | undefined {
  const known = POD_PATHS[kind] ?? ['spec', 'template', 'spec'];
  return asMap(path(top, [...known.slice(0, -1), 'metadata'], doc));
}

function podSpecOf(top: YAMLMap, kind: string, doc: Document.Parsed): YAMLMap | undefined {
  const known = POD_PATHS[kind];
  if (known) return asMap(path(top, known, doc));
  // Other kinds with a pod template (Argo Rollout, OpenShift DeploymentConfig, Knative Service…).
  const generic = asMap(path(top, ['spec', 'template', 'spec'], doc));
  if (generic && get(generic, 'containers', doc)) return generic;
  return undefined;
}

export function kubernetesWorkloads(doc: Document.Parsed, text: string): Workload[] {
  const top = asMap(doc.contents ?? undefined);
  if (!top) return [];
  const out: Workload[] = [];
  collect(top, doc, text, out, 0);
  return out;
}

function collect(top: YAMLMap, doc: Document.Parsed, text: string, out: Workload[], depth: number): void {
  if (depth > 8) return;
  const kindEntry = get(top, 'kind', doc);
  const kind = scalarString(kindEntry?.value);
  if (!kind || !kindEntry) return;
  if (kind === 'List' || kind.endsWith('List')) {
    for (const it of seqItems(get(top, 'items', doc)?.value, doc)) {
      const m = asMap(it.node);
      if (m) collect(m, doc, text, out, depth + 1);
    }
    return;
  }
  const pod = podSpecOf(top, kind, doc);
  if (!pod) return;
  const nameEntry = get(asMap(get(top, 'metadata', doc)?.value), 'name', doc);
  const name = scalarString(nameEntry?.value) ?? '(unnamed)';
  const workloadName = `${kind}/${name}`;
  const anchor = nameEntry ? trimmedSpan(nameEntry.keyNode, text) : keySpan(kindEntry);
  const podSc = asMap(get(pod, 'securityContext', doc)?.value);
  const annotations = asMap(get(podMetadataOf(top, kind, doc), 'annotations', doc)?.value);
  const volumes = hostPathVolumes(pod, doc, text);
  const mounted = new Set<string>();
  const containers: Container[] = [];
  for (const listKey of CONTAINER_LISTS) {
    for (const it of seqItems(get(pod, listKey, doc)?.value, doc)) {
      const cmap = asMap(it.node);
      if (!cmap) continue;
      const c = containerOf(cmap, listKey, workloadName, pod, podSc, doc, text);
      Object.assign(c, containerBoundary(c.name, cmap, podSc, annotations, volumes, mounted, doc, text));
      containers.push(c);
    }
  }
  const workload: Workload = {
    kind: 'kubernetes',
    name: workloadName,
    anchor,
    containers,
    hostNamespaces: podNamespaces(pod, doc, text),
    sysctls: podSysctls(podSc, doc, text),
    volumeTypes: volumeTypes(pod, doc, text),
    unmountedHostPaths: volumes.filter((v) => !mounted.has(v.name)).map((v) => hostPathMount(v, undefined, doc, text)),
    ref: { format: 'kubernetes', doc, pod },
  };
  const hostUsers = get(pod, 'hostUsers', doc);
  const hostUsersValue = hostUsers ? readBool(hostUsers.value, false) : undefined;
  if (hostUsers && hostUsersValue !== undefined) workload.hostUsers = located(hostUsersValue, hostUsers, text, 'hostUsers');
  const hostProcess = windowsHostProcess(podSc, doc, text, 'spec.securityContext');
  if (hostProcess) workload.windowsHostProcess = hostProcess;
  const podConfinement = podLevelConfinement(podSc, doc, text);
  if (Object.keys(podConfinement).length > 0) workload.podConfinement = podConfinement;
  const runAs = runAsFields(podSc, 'spec.securityContext', doc, text);
  if (runAs.runAsNonRoot) workload.podRunAsNonRoot = runAs.runAsNonRoot;
  if (runAs.runAsUser) workload.podRunAsUser = runAs.runAsUser;
  const osName = get(asMap(get(pod, 'os', doc)?.value), 'name', doc);
  const osValue = scalarString(osName?.value);
  if (osName && osValue !== undefined) workload.os = located(osValue, osName, text, 'spec.os.name');
  out.push(workload);
}

function containerOf(cmap: YAMLMap, listKey: string, workloadName: string, pod: YAMLMap, podSc: YAMLMap | undefined, doc: Document.Parsed, text: string): Container {
  const nameEntry = get(cmap, 'name', doc);
  const name = scalarString(nameEntry?.value) ?? '(unnamed)';
  const what = listKey === 'containers' ? 'container' : listKey === 'initContainers' ? 'init container' : 'ephemeral container';
  const label = `${what} "${name}" in ${workloadName}`;
  const anchor: Span = nameEntry ? { start: nameEntry.keyNode.range?.[0] ?? 0, end: trimmedSpan(nameEntry.value ?? nameEntry.keyNode, text).end } : trimmedSpan(cmap, text);
  const sc = asMap(get(cmap, 'securityContext', doc)?.value);
  const scField = (k: string) => `securityContext.${k}`;

  const privileged: Located<boolean>[] = [];
  const pe = get(sc, 'privileged', doc);
  if (pe) {
    const b = readBool(pe.value, false);
    if (b !== undefined) privileged.push(located(b, pe, text, scField('privileged')));
  }

  let noNewPrivileges: Located<boolean> | undefined;
  const ape = get(sc, 'allowPrivilegeEscalation', doc);
  if (ape) {
    const b = readBool(ape.value, false);
    if (b !== undefined) noNewPrivileges = located(!b, ape, text, scField('allowPrivilegeEscalation'));
  }

  const user = userOf(sc, podSc, doc, text);

  const caps = (key: 'add' | 'drop'): CapabilityRef[] => {
    const capsEntry = get(sc, 'capabilities', doc);
    const listEntry = get(asMap(capsEntry?.value), key, doc);
    if (!listEntry) return [];
    return seqItems(listEntry.value, doc).flatMap((it) => {
      const v = scalarString(it.node);
      if (v === undefined) return [];
      const span = trimmedSpan(it.node, text);
      const ref = { list: listEntry, item: it.raw };
      return [{ value: v, name: normalizeCap(v), span, valueSpan: span, field: `securityContext.capabilities.${key}`, ref, via: it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined }];
    });
  };

  const imageEntry = get(cmap, 'image', doc);
  const image = imageEntry ? scalarString(imageEntry.value) : undefined;
  const ref: KubernetesRef = { format: 'kubernetes', doc, container: cmap, pod };
  return {
    kind: 'kubernetes',
    name,
    label,
    anchor,
    image: imageEntry && image !== undefined ? located(image, imageEntry, text, 'image') : undefined,
    privileged,
    noNewPrivileges,
    supportsNoNewPrivileges: true,
    user,
    capAdd: caps('add'),
    capDrop: caps('drop'),
    securityOpt: [],
    hints: kubernetesHints(cmap, pod, podSc, doc),
    unmasked: [],
    mounts: [],
    devices: [],
    deviceCgroupRules: [],
    hostPorts: [],
    probeHosts: [],
    ref,
  };
}

/** Strings of a list of scalars (`command`, `args`). */
function scalarList(node: unknown, doc: Document.Parsed): string[] {
  return seqItems(node, doc).flatMap((it) => {
    const s = scalarString(it.node);
    return s === undefined ? [] : [s];
  });
}

/**
 * What the pod spec says about this container's needs: hostPath volumes it mounts (those
 * under /dev are its devices), the pod's sysctls, its ports, its literal env values, its
 * command and args, and hostNetwork.
 */
function kubernetesHints(cmap: YAMLMap, pod: YAMLMap, podSc: YAMLMap | undefined, doc: Document.Parsed): ContainerHints {
  const hostPaths = new Map<string, string>();
  for (const it of seqItems(get(pod, 'volumes', doc)?.value, doc)) {
    const v = asMap(it.node);
    const name = scalarString(get(v, 'name', doc)?.value);
    const hostPath = scalarString(get(asMap(get(v, 'hostPath', doc)?.value), 'path', doc)?.value);
    if (name !== undefined && hostPath !== undefined && hostPath.trim() !== '') hostPaths.set(name, hostPath.trim());
  }
  const volumes: string[] = [];
  const volumeSet = new Set<string>();
  const devices: string[] = [];
  for (const it of seqItems(get(cmap, 'volumeMounts', doc)?.value, doc)) {
    const name = scalarString(get(asMap(it.node), 'name', doc)?.value);
    const hostPath = name === undefined ? undefined : hostPaths.get(name);
    if (hostPath === undefined || volumeSet.has(hostPath)) continue;
    volumeSet.add(hostPath);
    volumes.push(hostPath);
    if (hostPath.startsWith('/dev/')) devices.push(hostPath);
  }

  const sysctls: string[] = [];
  for (const it of seqItems(get(podSc, 'sysctls', doc)?.value, doc)) {
    const m = asMap(it.node);
    const name = scalarString(get(m, 'name', doc)?.value);
    const value = scalarString(get(m, 'value', doc)?.value);
    if (name !== undefined && name.trim() !== '') sysctls.push(value === undefined ? name.trim() : `${name.trim()}=${value}`);
  }

  const ports: number[] = [];
  const portSet = new Set<number>();
  for (const it of seqItems(get(cmap, 'ports', doc)?.value, doc)) {
    const m = asMap(it.node);
    for (const key of ['containerPort', 'hostPort']) {
      const n = readInt(get(m, key, doc)?.value);
      if (n !== undefined && n > 0 && n < 65536 && !portSet.has(n)) {
        portSet.add(n);
        ports.push(n);
      }
    }
  }

  const env: Record<string, string> = {};
  for (const it of seqItems(get(cmap, 'env', doc)?.value, doc)) {
    const m = asMap(it.node);
    const name = scalarString(get(m, 'name', doc)?.value);
    const value = scalarString(get(m, 'value', doc)?.value);
    if (name !== undefined && value !== undefined && !Object.prototype.hasOwnProperty.call(env, name)) env[name] = value;
  }

  const command = [...scalarList(get(cmap, 'command', doc)?.value, doc), ...scalarList(get(cmap, 'args', doc)?.value, doc)].join(' ');
  const hints: ContainerHints = { devices, volumes, sysctls, ports, env, command };
  if (readBool(get(pod, 'hostNetwork', doc)?.value, false) === true) hints.networkMode = 'host';
  return hints;
}

/** `runAsNonRoot` and `runAsUser` exactly as written in one securityContext (PSS checks each level on its own). */
function runAsFields(sc: YAMLMap | undefined, prefix: string, doc: Document.Parsed, text: string): { runAsNonRoot?: Located<boolean>; runAsUser?: Located<number> } {
  const out: { runAsNonRoot?: Located<boolean>; runAsUser?: Located<number> } = {};
  const nonRoot = get(sc, 'runAsNonRoot', doc);
  const b = nonRoot ? readBool(nonRoot.value, false) : undefined;
  if (nonRoot && b !== undefined) out.runAsNonRoot = located(b, nonRoot, text, `${prefix}.runAsNonRoot`);
  const uid = get(sc, 'runAsUser', doc);
  const n = uid ? readInt(uid.value) : undefined;
  if (uid && n !== undefined) out.runAsUser = located(n, uid, text, `${prefix}.runAsUser`);
  return out;
}

/** Container settings override the pod's; runAsUser 0 is root whatever runAsNonRoot says. */
function userOf(sc: YAMLMap | undefined, podSc: YAMLMap | undefined, doc: Document.Parsed, text: string): UserSetting {
  const pick = (k: string): { entry: Entry; level: 'container' | 'pod' } | undefined => {
    const c = get(sc, k, doc);
    if (c) return { entry: c, level: 'container' };
    const p = get(podSc, k, doc);
    return p ? { entry: p, level: 'pod' } : undefined;
  };
  const runAsUser = pick('runAsUser');
  const runAsNonRoot = pick('runAsNonRoot');
  const loc = (e: Entry, field: string): Located<string> => located(scalarString(e.value) ?? '', e, text, field);
  if (runAsUser) {
    const uid = readInt(runAsUser.entry.value);
    const field = runAsUser.level === 'pod' ? 'spec.securityContext.runAsUser' : 'securityContext.runAsUser';
    if (uid === 0) return { verdict: 'root', at: loc(runAsUser.entry, field), how: runAsUser.level === 'pod' ? 'runAsUser: 0 at pod level' : undefined };
    if (uid !== undefined && uid > 0) return { verdict: 'nonroot', at: loc(runAsUser.entry, field) };
  }
  if (runAsNonRoot) {
    const b = readBool(runAsNonRoot.entry.value, false);
    const field = runAsNonRoot.level === 'pod' ? 'spec.securityContext.runAsNonRoot' : 'securityContext.runAsNonRoot';
    if (b === true) return { verdict: 'nonroot', at: loc(runAsNonRoot.entry, field) };
    if (b === false) return { verdict: 'unset', at: loc(runAsNonRoot.entry, field), how: `${field}: false, and no non-zero runAsUser is set` };
  }
  return { verdict: 'unset', how: 'neither runAsNonRoot: true nor a non-zero runAsUser is set, on the container or the pod' };
}

// ---- The container boundary ------------------------------------------------------------

const NAMESPACE_FIELDS: [string, HostNamespace['value']][] = [
  ['hostPID', 'pid'],
  ['hostIPC', 'ipc'],
  ['hostNetwork', 'network'],
];

function podNamespaces(pod: YAMLMap, doc: Document.Parsed, text: string): HostNamespace[] {
  const out: HostNamespace[] = [];
  for (const [key, kind] of NAMESPACE_FIELDS) {
    const e = get(pod, key, doc);
    if (e && readBool(e.value, false) === true) out.push(located(kind, e, text, key));
  }
  return out;
}

function podSysctls(podSc: YAMLMap | undefined, doc: Document.Parsed, text: string): Located<string>[] {
  const list = get(podSc, 'sysctls', doc);
  if (!list) return [];
  return seqItems(list.value, doc).flatMap((it) => {
    const e = get(asMap(it.node), 'name', doc);
    const name = scalarString(e?.value);
    if (!e || name === undefined) return [];
    const loc: Located<string> = { value: name, span: trimmedSpan(it.node, text), valueSpan: valueSpan(e, text), field: 'spec.securityContext.sysctls', ref: { list, item: it.raw } };
    const via = list.via ?? (it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined);
    if (via) loc.via = via;
    return [loc];
  });
}

function volumeTypes(pod: YAMLMap, doc: Document.Parsed, text: string): Located<string>[] {
  const list = get(pod, 'volumes', doc);
  if (!list) return [];
  return seqItems(list.value, doc).flatMap((it) => {
    const m = asMap(it.node);
    const typeEntry = m ? entries(m, doc).find((e) => e.key !== 'name') : undefined;
    if (!typeEntry) return [];
    const loc: Located<string> = { value: typeEntry.key, span: trimmedSpan(it.node, text), valueSpan: keySpan(typeEntry), field: 'volumes', ref: { list, item: it.raw } };
    const via = list.via ?? (it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined);
    if (via) loc.via = via;
    return [loc];
  });
}

function hostPathVolumes(pod: YAMLMap, doc: Document.Parsed, text: string): HostPathVolume[] {
  const list = get(pod, 'volumes', doc);
  const out: HostPathVolume[] = [];
  for (const it of seqItems(list?.value, doc)) {
    const map = asMap(it.node);
    const name = scalarString(get(map, 'name', doc)?.value);
    const hostPath = asMap(get(map, 'hostPath', doc)?.value);
    const pathEntry = get(hostPath, 'path', doc);
    const raw = scalarString(pathEntry?.value);
    if (!map || name === undefined || !pathEntry || raw === undefined || raw.trim() === '') continue;
    const { value, relative } = normalizeHostPath(raw);
    const v: HostPathVolume = { name, item: it.node, map, path: pathEntry, value, relative };
    const type = scalarString(get(hostPath, 'type', doc)?.value);
    if (type !== undefined && type !== '') v.type = type;
    const via = list?.via ?? (it.raw !== it.node ? trimmedSpan(it.raw, text) : undefined);
    if (via) v.via = via;
    out.push(v);
  }
  return out;
}

function hostPathMount(v: HostPathVolume, volumeMount: YAMLMap | undefined, doc: Document.Parsed, text: string): Mount {
  const ref: KubernetesMountRef = volumeMount ? { format: 'kubernetes-mount', volume: v.map, volumeMount } : { format: 'kubernetes-mount', volume: v.map };
  const mount: Mount = {
    value: v.value,
    span: trimmedSpan(v.item, text),
    valueSpan: valueSpan(v.path, text),
    field: 'volumes.hostPath',
    ref,
    readOnly: volumeMount ? readBool(get(volumeMount, 'readOnly', doc)?.value, false) === true : false,
    form: 'hostPath',
  };
  if (volumeMount) {
    const target = scalarString(get(volumeMount, 'mountPath', doc)?.value);
    if (target !== undefined) mount.target = target;
  }
  if (v.type !== undefined) mount.hostPathType = v.type;
  if (v.relative) mount.relative = true;
  if (v.via) mount.via = v.via;
  return mount;
}

function windowsHostProcess(sc: YAMLMap | undefined, doc: Document.Parsed, text: string, prefix: string): Located<boolean> | undefined {
  const e = get(asMap(get(sc, 'windowsOptions', doc)?.value), 'hostProcess', doc);
  const b = e ? readBool(e.value, false) : undefined;
  return e && b !== undefined ? located(b, e, text, `${prefix}.windowsOptions.hostProcess`) : undefined;
}

/** A `seccompProfile` / `appArmorProfile` in a securityContext, normalised; undefined without a type. */
function profileOf(sc: YAMLMap | undefined, key: string, source: ConfinementSource, prefix: string, doc: Document.Parsed, text: string): Confinement | undefined {
  const profile = get(sc, key, doc);
  const map = asMap(profile?.value);
  const typeEntry = get(map, 'type', doc);
  const type = scalarString(typeEntry?.value);
  if (!profile || !typeEntry || type === undefined) return undefined;
  const local = scalarString(get(map, 'localhostProfile', doc)?.value);
  const ref: KubernetesProfileRef = { format: 'kubernetes-profile', profile, type: typeEntry };
  const conf: Confinement = { ...located(kubernetesProfileValue(type, local), typeEntry, text, `${prefix}.${key}.type`), ref, source };
  const via = profile.via ?? typeEntry.via;
  if (via) conf.via = via;
  else delete conf.via;
  return conf;
}

function annotationOf(annotations: YAMLMap | undefined, key: string, doc: Document.Parsed, text: string): Confinement | undefined {
  const e = get(annotations, key, doc);
  const v = scalarString(e?.value);
  if (!e || v === undefined) return undefined;
  const ref: KubernetesAnnotationRef = { format: 'kubernetes-annotation', entry: e };
  return { ...located(annotationProfileValue(v), e, text, 'metadata.annotations'), ref, source: 'annotation' };
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HANDLERS = ['httpGet', 'tcpSocket'];

function probeHosts(cmap: YAMLMap, doc: Document.Parsed, text: string): Located<string>[] {
  const out: Located<string>[] = [];
  const check = (handlerOwner: unknown, prefix: string): void => {
    for (const h of HANDLERS) {
      const e = get(asMap(get(handlerOwner, h, doc)?.value), 'host', doc);
      const v = scalarString(e?.value);
      if (e && v !== undefined && v !== '') out.push(located(v, e, text, `${prefix}.${h}.host`));
    }
  };
  for (const p of PROBES) check(asMap(get(cmap, p, doc)?.value), p);
  const lifecycle = asMap(get(cmap, 'lifecycle', doc)?.value);
  for (const l of ['postStart', 'preStop']) check(asMap(get(lifecycle, l, doc)?.value), `lifecycle.${l}`);
  return out;
}

/** `seLinuxOptions` of a securityContext: type (as a Confinement), user, role. */
function seLinuxOf(sc: YAMLMap | undefined, source: 'container' | 'pod', doc: Document.Parsed, text: string): Pick<Container, 'selinux' | 'seLinuxUser' | 'seLinuxRole'> {
  const out: Pick<Container, 'selinux' | 'seLinuxUser' | 'seLinuxRole'> = {};
  const seMap = asMap(get(sc, 'seLinuxOptions', doc)?.value);
  if (!seMap) return out;
  const prefix = source === 'container' ? 'securityContext.seLinuxOptions' : 'spec.securityContext.seLinuxOptions';
  const typeEntry = get(seMap, 'type', doc);
  const type = scalarString(typeEntry?.value);
  if (typeEntry && type !== undefined && type !== '') out.selinux = { ...located(`type:${type}`, typeEntry, text, `${prefix}.type`), source };
  const user = get(seMap, 'user', doc);
  const userValue = scalarString(user?.value);
  if (user && userValue !== undefined) out.seLinuxUser = located(userValue, user, text, `${prefix}.user`);
  const role = get(seMap, 'role', doc);
  const roleValue = scalarString(role?.value);
  if (role && roleValue !== undefined) out.seLinuxRole = located(roleValue, role, text, `${prefix}.role`);
  return out;
}

function podLevelConfinement(podSc: YAMLMap | undefined, doc: Document.Parsed, text: string): PodConfinement {
  const out: PodConfinement = seLinuxOf(podSc, 'pod', doc, text);
  const seccomp = profileOf(podSc, 'seccompProfile', 'pod', 'spec.securityContext', doc, text);
  if (seccomp) out.seccomp = seccomp;
  const apparmor = profileOf(podSc, 'appArmorProfile', 'pod', 'spec.securityContext', doc, text);
  if (apparmor) out.apparmor = apparmor;
  return out;
}

type BoundaryFields = Pick<Container, 'seccomp' | 'apparmor' | 'selinux' | 'seLinuxUser' | 'seLinuxRole' | 'unmasked' | 'mounts' | 'readOnlyRootFilesystem' | 'hostPorts' | 'probeHosts' | 'windowsHostProcess' | 'runAsNonRoot' | 'runAsUser'>;

function containerBoundary(
  name: string,
  cmap: YAMLMap,
  podSc: YAMLMap | undefined,
  annotations: YAMLMap | undefined,
  volumes: HostPathVolume[],
  mounted: Set<string>,
  doc: Document.Parsed,
  text: string,
): BoundaryFields {
  const sc = asMap(get(cmap, 'securityContext', doc)?.value);
  const out: BoundaryFields = { unmasked: [], mounts: [], hostPorts: [], probeHosts: probeHosts(cmap, doc, text) };

  const seccomp =
    profileOf(sc, 'seccompProfile', 'container', 'securityContext', doc, text) ??
    profileOf(podSc, 'seccompProfile', 'pod', 'spec.securityContext', doc, text) ??
    annotationOf(annotations, `container.seccomp.security.alpha.kubernetes.io/${name}`, doc, text) ??
    annotationOf(annotations, 'seccomp.security.alpha.kubernetes.io/pod', doc, text);
  if (seccomp) out.seccomp = seccomp;
  const apparmor =
    profileOf(sc, 'appArmorProfile', 'container', 'securityContext', doc, text) ??
    profileOf(podSc, 'appArmorProfile', 'pod', 'spec.securityContext', doc, text) ??
    annotationOf(annotations, `container.apparmor.security.beta.kubernetes.io/${name}`, doc, text);
  if (apparmor) out.apparmor = apparmor;

  // seLinuxOptions: the container's map replaces the pod's as a whole (kubelet's effective security context).
  const own = get(sc, 'seLinuxOptions', doc);
  Object.assign(out, own ? seLinuxOf(sc, 'container', doc, text) : seLinuxOf(podSc, 'pod', doc, text));

  const procMount = get(sc, 'procMount', doc);
  const procValue = scalarString(procMount?.value);
  if (procMount && procValue !== undefined && procValue !== 'Default') out.unmasked.push(located(procValue, procMount, text, 'securityContext.procMount'));

  const ro = get(sc, 'readOnlyRootFilesystem', doc);
  const roValue = ro ? readBool(ro.value, false) : undefined;
  if (ro && roValue !== undefined) out.readOnlyRootFilesystem = located(roValue, ro, text, 'securityContext.readOnlyRootFilesystem');

  const hostProcess = windowsHostProcess(sc, doc, text, 'securityContext');
  if (hostProcess) out.windowsHostProcess = hostProcess;
  const runAs = runAsFields(sc, 'securityContext', doc, text);
  if (runAs.runAsNonRoot) out.runAsNonRoot = runAs.runAsNonRoot;
  if (runAs.runAsUser) out.runAsUser = runAs.runAsUser;

  for (const it of seqItems(get(cmap, 'ports', doc)?.value, doc)) {
    const e = get(asMap(it.node), 'hostPort', doc);
    const n = readInt(e?.value);
    if (e && n !== undefined && n !== 0) out.hostPorts.push(located(n, e, text, 'ports.hostPort'));
  }

  for (const it of seqItems(get(cmap, 'volumeMounts', doc)?.value, doc)) {
    const vm = asMap(it.node);
    const volumeName = scalarString(get(vm, 'name', doc)?.value);
    if (!vm || volumeName === undefined) continue;
    for (const v of volumes) {
      if (v.name !== volumeName) continue;
      mounted.add(v.name);
      out.mounts.push(hostPathMount(v, vm, doc, text));
    }
  }
  return out;
}

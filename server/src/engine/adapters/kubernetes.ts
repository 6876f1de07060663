/**
 * Kubernetes documents → workloads (every kind that embeds a pod template, and the
 * items of `kind: List`) → containers (containers, initContainers, ephemeralContainers),
 * with the pod-level securityContext inherited and overridden per container.
 */
import type { Document, YAMLMap } from 'yaml';
import type { CapabilityRef, Container, ContainerHints, Located, Span, UserSetting, Workload } from '../model';
import type { Entry, YNode } from './yaml-util';
import { asMap, get, keySpan, located, normalizeCap, readBool, readInt, scalarString, seqItems, trimmedSpan } from './yaml-util';

export interface KubernetesRef {
  format: 'kubernetes';
  doc: Document.Parsed;
  container: YAMLMap;
  /** The pod spec map. */
  pod: YAMLMap;
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
  const containers: Container[] = [];
  for (const listKey of CONTAINER_LISTS) {
    for (const it of seqItems(get(pod, listKey, doc)?.value, doc)) {
      const cmap = asMap(it.node);
      if (!cmap) continue;
      containers.push(containerOf(cmap, listKey, workloadName, pod, podSc, doc, text));
    }
  }
  out.push({ kind: 'kubernetes', name: workloadName, anchor, containers, ref: { format: 'kubernetes', doc, pod } });
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
  const devices: string[] = [];
  for (const it of seqItems(get(cmap, 'volumeMounts', doc)?.value, doc)) {
    const name = scalarString(get(asMap(it.node), 'name', doc)?.value);
    const hostPath = name === undefined ? undefined : hostPaths.get(name);
    if (hostPath === undefined || volumes.includes(hostPath)) continue;
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
  for (const it of seqItems(get(cmap, 'ports', doc)?.value, doc)) {
    const m = asMap(it.node);
    for (const key of ['containerPort', 'hostPort']) {
      const n = readInt(get(m, key, doc)?.value);
      if (n !== undefined && n > 0 && n < 65536 && !ports.includes(n)) ports.push(n);
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

/**
 * Which resources a Kustomize `target:` selects, as kustomize decides it (api/types/selector.go):
 * `group`, `version`, `kind`, `name` and `namespace` are regular expressions anchored at both
 * ends (an empty or absent field selects every value); `labelSelector` and
 * `annotationSelector` are Kubernetes label selectors (k8s.io/apimachinery labels.Parse):
 * comma-separated requirements `key`, `!key`, `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, all of which must hold.
 */
import type { Document } from 'yaml';
import { isScalar } from 'yaml';
import type { YNode } from '../adapters/yaml-util';
import { asMap, entries, get, scalarString } from '../adapters/yaml-util';

/** What a target is matched against: a resource's group, version, kind, name, namespace, labels and annotations. */
export interface ResourceId {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A `target:` as kustomize reads it: each field an anchored regular expression, the selectors Kubernetes label selectors. */
export interface TargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** The identity of a resource from its top-level map (undefined: no kind). */
export function resourceIdOf(top: YNode | undefined, doc: Document.Parsed): ResourceId | undefined {
  const map = asMap(top);
  const kind = scalarString(get(map, 'kind', doc)?.value);
  if (!map || !kind) return undefined;
  const apiVersion = scalarString(get(map, 'apiVersion', doc)?.value) ?? '';
  const slash = apiVersion.indexOf('/');
  const meta = asMap(get(map, 'metadata', doc)?.value);
  const strings = (key: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const m = asMap(get(meta, key, doc)?.value);
    if (!m) return out;
    for (const e of entries(m, doc)) if (e.value && isScalar(e.value)) out[e.key] = scalarString(e.value) ?? '';
    return out;
  };
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind,
    name: scalarString(get(meta, 'name', doc)?.value) ?? '',
    namespace: scalarString(get(meta, 'namespace', doc)?.value) ?? '',
    labels: strings('labels'),
    annotations: strings('annotations'),
  };
}

const REGEXES = new Map<string, RegExp | null>();

/** A target field: an anchored regular expression (an invalid one selects nothing, as kustomize refuses it). */
function fieldMatches(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  if (pattern === value) return true;
  let re = REGEXES.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      re = null;
    }
    if (REGEXES.size < 1000) REGEXES.set(pattern, re);
  }
  return re !== null && re.test(value);
}

type Requirement = { key: string; op: 'exists' | 'absent' | 'in' | 'notin'; values: string[] };

/** A Kubernetes label selector's requirements; undefined when it does not parse (then it selects nothing). */
export function parseLabelSelector(text: string): Requirement[] | undefined {
  const out: Requirement[] = [];
  // Split at commas outside parentheses.
  const terms: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      terms.push(text.slice(from, i));
      from = i + 1;
    }
  }
  terms.push(text.slice(from));
  const KEY = '[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?';
  const VALUE = '([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
  for (const raw of terms) {
    const term = raw.trim();
    if (term === '') {
      if (terms.length === 1) return out; // an empty selector selects everything
      return undefined;
    }
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(term))) {
      out.push({ key: m[1], op: m[3] === '!=' ? 'notin' : 'in', values: [m[4]] });
    } else if ((m = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^()]*)\\)$`).exec(term))) {
      const values = m[4].split(',').map((v) => v.trim());
      if (values.some((v) => !new RegExp(`^${VALUE}$`).test(v))) return undefined;
      out.push({ key: m[1], op: m[3] as 'in' | 'notin', values });
    } else if ((m = new RegExp(`^!\\s*(${KEY})$`).exec(term))) {
      out.push({ key: m[1], op: 'absent', values: [] });
    } else if ((m = new RegExp(`^(${KEY})$`).exec(term))) {
      out.push({ key: m[1], op: 'exists', values: [] });
    } else return undefined;
  }
  return out;
}

function selectorMatches(text: string | undefined, set: Record<string, string>): boolean {
  if (text === undefined) return true;
  const reqs = parseLabelSelector(text);
  if (!reqs) return false;
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(set, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'in':
        return has && r.values.includes(set[r.key]);
      case 'notin':
        return !has || !r.values.includes(set[r.key]);
    }
    return false;
  });
}

/** Whether a target selects the resource. */
export function targetSelects(target: TargetSelector, id: ResourceId): boolean {
  return (
    fieldMatches(target.group, id.group) &&
    fieldMatches(target.version, id.version) &&
    fieldMatches(target.kind, id.kind) &&
    fieldMatches(target.name, id.name) &&
    fieldMatches(target.namespace, id.namespace) &&
    selectorMatches(target.labelSelector, id.labels) &&
    selectorMatches(target.annotationSelector, id.annotations)
  );
}

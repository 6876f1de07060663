/**
 * Dev container Features and what their published metadata (devcontainer-feature.json) adds to
 * the container: the container-boundary properties of the Dev Container Features spec
 * (`privileged`, `capAdd`, `securityOpt`, `mounts`, `init`). A Feature's metadata is merged into
 * the dev container (devcontainers/spec docs/specs/devcontainer-features.md: privileged and init
 * are true if any source says so; capAdd and securityOpt are unions; mounts are added).
 *
 * Every row cites the devcontainer-feature.json it was read from (repository@commit:path), [V].
 * A Feature is matched by its id: the last path segment of its OCI reference without the tag
 * (`ghcr.io/devcontainers/features/go:1` → `go`), only under the publishers listed in `owners`
 * (a third-party Feature with the same id may do something else), or the legacy bare id.
 */

export interface FeatureMount {
  type: 'bind' | 'volume';
  source: string;
  target: string;
}

/** The container-boundary part of a devcontainer-feature.json. */
export interface FeatureMetadata {
  privileged?: boolean;
  capAdd?: string[];
  securityOpt?: string[];
  mounts?: FeatureMount[];
  init?: boolean;
}

export interface KnownFeature extends FeatureMetadata {
  id: string;
  /** OCI reference prefixes the id is published under. */
  owners: string[];
  /** Earlier ids of the same Feature (`legacyIds`). */
  legacyIds?: string[];
  source: string;
}

const DEVCONTAINERS = ['ghcr.io/devcontainers/features/', 'ghcr.io/devcontainers/features-legacy/'];

export const KNOWN_FEATURES: KnownFeature[] = [
  {
    id: 'docker-in-docker',
    owners: DEVCONTAINERS,
    privileged: true,
    mounts: [{ type: 'volume', source: 'dind-var-lib-docker-${devcontainerId}', target: '/var/lib/docker' }],
    source: 'devcontainers/features@f15d670:src/docker-in-docker/devcontainer-feature.json (version 2.12.0) [V]',
  },
  {
    id: 'docker-outside-of-docker',
    owners: DEVCONTAINERS,
    legacyIds: ['docker-from-docker'],
    mounts: [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker-host.sock' }],
    source: 'devcontainers/features@f5787ee:src/docker-outside-of-docker/devcontainer-feature.json (version 1.5.0; legacyIds docker-from-docker) [V]',
  },
  {
    id: 'go',
    owners: DEVCONTAINERS,
    capAdd: ['SYS_PTRACE'],
    securityOpt: ['seccomp=unconfined'],
    init: true,
    source: 'devcontainers/features@885da77:src/go/devcontainer-feature.json (version 1.3.1) [V]',
  },
  {
    id: 'rust',
    owners: DEVCONTAINERS,
    capAdd: ['SYS_PTRACE'],
    securityOpt: ['seccomp=unconfined'],
    source: 'devcontainers/features@94b0bf1:src/rust/devcontainer-feature.json (version 1.3.1) [V]',
  },
];

/** The Feature id of a reference (`ghcr.io/devcontainers/features/go:1` → go), with its publisher prefix. */
function split(reference: string): { owner: string; id: string } {
  const noTag = reference.trim().replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:]*$/, '');
  const slash = noTag.lastIndexOf('/');
  return { owner: slash >= 0 ? noTag.slice(0, slash + 1).toLowerCase() : '', id: noTag.slice(slash + 1).toLowerCase() };
}

/** The known Feature a `features` key refers to, if any. */
export function knownFeature(reference: string): KnownFeature | undefined {
  const { owner, id } = split(reference);
  for (const f of KNOWN_FEATURES) {
    const ids = [f.id, ...(f.legacyIds ?? [])];
    if (!ids.includes(id)) continue;
    if (owner === '' || f.owners.includes(owner)) return f;
  }
  return undefined;
}

/** The boundary properties of a devcontainer-feature.json text (a local Feature); undefined when it does not parse. */
export function featureMetadataOf(json: unknown): FeatureMetadata | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  const meta: FeatureMetadata = {};
  if (o.privileged === true) meta.privileged = true;
  if (o.init === true) meta.init = true;
  const capAdd = strings(o.capAdd);
  if (capAdd?.length) meta.capAdd = capAdd;
  const securityOpt = strings(o.securityOpt);
  if (securityOpt?.length) meta.securityOpt = securityOpt;
  if (Array.isArray(o.mounts)) {
    const mounts: FeatureMount[] = [];
    for (const m of o.mounts) {
      if (m && typeof m === 'object') {
        const { type, source, target } = m as Record<string, unknown>;
        if ((type === 'bind' || type === 'volume') && typeof source === 'string' && typeof target === 'string') mounts.push({ type, source, target });
      } else if (typeof m === 'string') {
        const fields = new Map(m.split(',').map((p) => { const i = p.indexOf('='); return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()] as [string, string]; }));
        const type = fields.get('type');
        const source = fields.get('source') ?? fields.get('src');
        const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
        if ((type === 'bind' || type === 'volume') && source && target) mounts.push({ type, source, target });
      }
    }
    if (mounts.length) meta.mounts = mounts;
  }
  return meta;
}

/**
 * Which user well-known images run as, with sources: the knowledge that decides whether a fix
 * may change a workload's user identity on its own (fix-policy.ts), and whether
 * `no-new-privileges` can break the image (an image whose intended user relies on sudo).
 *
 * A row says what the image's own config sets (`USER` in its Dockerfile), not what a chart
 * deploys it with. Only rows whose user is read in the image's own build files or vendor docs
 * (confidence `V` or `V-doc`) make a user change safe; `C` rows are shown, never trusted for
 * an unattended fix. Patterns are the globs of images.ts (same matcher).
 *
 * Reused by no-root-user (issue #11): `imageUser(ref)` is the one entry point.
 */
import type { SourceConfidence } from './images';
import { imageCandidates, globMatches } from './images';

export interface ImageUser {
  id: string;
  patterns: string[];
  title: string;
  /** The image's user as its config writes it (`nobody`, `65532`, `root`). */
  user: string;
  /** Its numeric uid, when the source gives it. */
  uid?: number;
  /** The image runs as a non-root user by default. */
  nonRoot: boolean;
  /**
   * The user a workload is meant to run as relies on setuid programs (sudo, su): no-new-privileges
   * breaks it. Dev container images whose `vscode` user gets root through sudo.
   */
  needsSetuid?: boolean;
  /** Why the row matters for fixes: the port it binds, the user meant for terminals… */
  note: string;
  source: string;
  confidence: SourceConfidence;
}

export const IMAGE_USERS: readonly ImageUser[] = [
  {
    id: 'distroless-nonroot',
    patterns: ['gcr.io/distroless/*:*nonroot*'],
    title: 'Distroless (nonroot tags)',
    user: 'nonroot', uid: 65532, nonRoot: true,
    note: 'The nonroot tags set the nonroot user, uid 65532; the other tags run as root.',
    source: 'GoogleContainerTools/distroless base/base.bzl (NONROOT = 65532), as cited in coredns/coredns#6416 and tektoncd/pipeline#3342', confidence: 'V-doc',
  },
  {
    id: 'nginx-unprivileged',
    patterns: ['nginxinc/nginx-unprivileged*', '*nginx/nginx-unprivileged*'],
    title: 'NGINX unprivileged',
    user: 'nginx', uid: 101, nonRoot: true,
    note: 'Runs NGINX as a non-root user and listens on 8080 instead of 80; its PID file and temp paths are under /tmp.',
    source: 'nginxinc/docker-nginx-unprivileged README.md (non-root user, port 8080) [V-doc]; uid 101 is the nginx user of the official image [C]', confidence: 'V-doc',
  },
  {
    id: 'prometheus-node-exporter',
    patterns: ['prom/node-exporter*', 'quay.io/prometheus/node-exporter*', 'prometheus/node-exporter*'],
    title: 'Prometheus node exporter',
    user: 'nobody', uid: 65534, nonRoot: true,
    note: 'USER nobody in the image; the prometheus-node-exporter chart runs it with runAsUser 65534.',
    source: 'prometheus/node_exporter Dockerfile (USER nobody) [V]; prometheus-community/helm-charts charts/prometheus-node-exporter/values.yaml (runAsUser: 65534) [V]', confidence: 'V',
  },
  {
    id: 'argocd',
    patterns: ['quay.io/argoproj/argocd*', 'argoproj/argocd*'],
    title: 'Argo CD',
    user: '999', uid: 999, nonRoot: true,
    note: 'The final stage sets USER $ARGOCD_USER_ID, 999 (the argocd user).',
    source: 'argoproj/argo-cd Dockerfile (ENV ARGOCD_USER_ID=999, USER $ARGOCD_USER_ID) [V]', confidence: 'V',
  },
  {
    id: 'nginx-official',
    patterns: ['nginx', 'nginx:*'],
    title: 'NGINX (official image)',
    user: 'root', nonRoot: false,
    note: 'The master process runs as root to bind port 80 and write /var/run/nginx.pid; only its workers drop to nginx. Use nginxinc/nginx-unprivileged to run as non-root.',
    source: 'nginxinc/docker-nginx-unprivileged README.md (the differences from the official image: port 80, PID file, temp paths) [V-doc]', confidence: 'V-doc',
  },
  {
    id: 'docker-in-docker',
    patterns: ['docker:*dind*'],
    title: 'Docker-in-Docker',
    user: 'root', nonRoot: false,
    note: 'dockerd runs as root (dind-rootless runs as the rootless user but still needs privileged).',
    source: 'docker-library/docs PR #1462 ("--privileged is required for Docker-in-Docker") [C]', confidence: 'C',
  },
  {
    id: 'devcontainers',
    patterns: ['mcr.microsoft.com/devcontainers/*', 'mcr.microsoft.com/vscode/devcontainers/*'],
    title: 'Dev container images (devcontainers/images)',
    user: 'root', nonRoot: false, needsSetuid: true,
    note: 'The container runs as root; terminals run as the non-root vscode user (remoteUser), which gets root through sudo.',
    source: 'devcontainers/images src/base-ubuntu/README.md ("a non-root vscode user with sudo access"); src/*/.devcontainer/devcontainer.json (remoteUser: vscode) [V]', confidence: 'V',
  },
];

const cache = new Map<string, ImageUser | undefined>();

/** The row for an image reference, if the table knows the image. */
export function imageUser(imageRef: string): ImageUser | undefined {
  if (cache.has(imageRef)) return cache.get(imageRef);
  const candidates = imageCandidates(imageRef);
  const row = candidates.length === 0 ? undefined : IMAGE_USERS.find((r) => r.patterns.some((p) => candidates.some((c) => globMatches(p, c))));
  if (cache.size >= 1024) cache.clear();
  cache.set(imageRef, row);
  return row;
}

/** The image's non-root uid, when a trusted row gives one: what a fix may write without asking. */
export function knownNonRootUid(imageRef: string | undefined): number | undefined {
  if (!imageRef) return undefined;
  const row = imageUser(imageRef);
  if (!row || !row.nonRoot || row.uid === undefined || row.uid === 0) return undefined;
  return row.confidence === 'V' || row.confidence === 'V-doc' ? row.uid : undefined;
}

/**
 * Generated inputs for the language-server benchmarks: a 300-line Compose file, a
 * 2,000-line multi-document Kubernetes manifest, and a 10,000-file workspace built from
 * the corpus (mixed kinds at their real sizes) with the clutter real repositories have.
 * Deterministic: the same seed gives the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['nginx:1.27', 'postgres:16-alpine', 'redis:7', 'ghcr.io/acme/api:2.3.1', 'node:20-slim', 'python:3.12-slim', 'grafana/grafana:11.0.0', 'traefik:v3.0'];

/** A Compose file of about `lines` lines: services with the settings people write, some risky. */
export function composeFile(lines = 300, seed = 1): string {
  const r = rng(seed);
  const out: string[] = ['# Generated for the benchmark', 'name: bench', '', 'services:'];
  let i = 0;
  while (out.length < lines - 8) {
    const name = `svc${i++}`;
    out.push(`  ${name}:`, `    image: ${IMAGES[Math.floor(r() * IMAGES.length)]}`, '    restart: unless-stopped');
    out.push('    environment:', `      - LOG_LEVEL=info`, `      - SERVICE_NAME=${name}`);
    out.push('    ports:', `      - "${8000 + i}:80"`);
    if (r() < 0.3) out.push('    privileged: true  # needs the host devices');
    if (r() < 0.4) out.push('    cap_add:', '      - NET_ADMIN', '      - SYS_TIME');
    if (r() < 0.5) out.push('    security_opt:', '      - no-new-privileges:true');
    if (r() < 0.3) out.push('    user: root');
    out.push('    volumes:', `      - ./data/${name}:/var/lib/${name}`);
  }
  out.push('', 'volumes:', '  data: {}', '');
  return out.join('\n');
}

/** A multi-document manifest of about `lines` lines: Deployments, Services and ConfigMaps. */
export function manifestFile(lines = 2000, seed = 2): string {
  const r = rng(seed);
  const out: string[] = [];
  let i = 0;
  while (out.length < lines - 40) {
    const name = `app${i++}`;
    const privileged = r() < 0.2;
    out.push(
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      '  labels:',
      `    app.kubernetes.io/name: ${name}`,
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      `      app.kubernetes.io/name: ${name}`,
      '  template:',
      '    metadata:',
      '      labels:',
      `        app.kubernetes.io/name: ${name}`,
      '    spec:',
      '      securityContext:',
      '        runAsNonRoot: true',
      '        runAsUser: 10001',
      '      containers:',
      `        - name: ${name}`,
      `          image: ${IMAGES[Math.floor(r() * IMAGES.length)]}`,
      '          ports:',
      '            - containerPort: 8080',
      '          env:',
      '            - name: LOG_LEVEL',
      '              value: info',
      '          resources:',
      '            limits: {cpu: 500m, memory: 256Mi}',
      '          securityContext:',
      `            privileged: ${privileged}`,
      '            allowPrivilegeEscalation: false',
      '            capabilities:',
      '              drop: [ALL]',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  selector: {app.kubernetes.io/name: ${name}}`,
      '  ports:',
      '    - port: 80',
      '      targetPort: 8080',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${name}-config`,
      'data:',
      '  app.yaml: |',
      '    server:',
      `      name: ${name}`,
      '      port: 8080',
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * Where a keystroke goes: the end of a scalar value on a `key: value` line (an image tag,
 * a name, a description), so inserting and then deleting one character keeps the file valid.
 * Returns [line, character] positions, spread over the file.
 */
export function editPoints(text: string, count: number, seed = 3): { line: number; character: number }[] {
  const lines = text.split('\n');
  const candidates: { line: number; character: number }[] = [];
  lines.forEach((l, n) => {
    const m = /^(\s*-?\s*)(image|name|description|value|LOG_LEVEL)(:\s+|=)([A-Za-z0-9][^#'"]*?)\s*$/.exec(l);
    if (m) candidates.push({ line: n, character: l.replace(/\s+$/, '').length });
  });
  if (candidates.length === 0) throw new Error('no place to type in this file');
  const r = rng(seed);
  return Array.from({ length: count }, () => candidates[Math.floor(r() * candidates.length)]);
}

export interface WorkspaceSource {
  kind: 'compose' | 'kubernetes' | 'dockerfile' | 'devcontainer' | 'yaml';
  text: string;
}

export interface WorkspaceStats {
  root: string;
  /** Files the engine looks at. */
  candidates: number;
  /** Other files (README, sources, node_modules content). */
  others: number;
  bytes: number;
  byKind: Record<string, number>;
}

/**
 * A workspace of `candidates` files the engine looks at, laid out as a monorepo of
 * services (Dockerfile, compose.yaml, k8s/*.yaml, .devcontainer/devcontainer.json, CI
 * workflows), with READMEs and sources beside them, a node_modules folder and a
 * .gitignore'd build folder the scan must skip. Contents are corpus files of each kind
 * (realistic sizes), each made unique by a comment.
 */
export function generateWorkspace(root: string, sources: WorkspaceSource[], candidates = 10_000, seed = 4, extraLarge: WorkspaceSource[] = []): WorkspaceStats {
  const r = rng(seed);
  const byKind: Record<string, WorkspaceSource[]> = {};
  for (const s of sources) (byKind[s.kind] ??= []).push(s);
  const pick = (kind: string): WorkspaceSource => {
    const list = byKind[kind] ?? byKind.kubernetes;
    return list[Math.floor(r() * list.length)];
  };
  const stats: WorkspaceStats = { root, candidates: 0, others: 0, bytes: 0, byKind: {} };
  const write = (rel: string, text: string, candidate: boolean, kind = 'other') => {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    stats.bytes += text.length;
    if (candidate) {
      stats.candidates++;
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    } else stats.others++;
  };
  const tag = (text: string, kind: string, n: number) => (kind === 'devcontainer' ? `// file ${n}\n${text}` : `# file ${n}\n${text}`);
  write('.gitignore', 'build/\n*.log\n', false);
  write('README.md', '# monorepo\n', false);
  // The kinds in the proportions a platform monorepo has them.
  const plan: [string, string, number][] = [
    ['kubernetes', 'k8s/deployment.yaml', 0.3],
    ['kubernetes', 'k8s/service.yaml', 0.12],
    ['dockerfile', 'Dockerfile', 0.22],
    ['compose', 'compose.yaml', 0.16],
    ['yaml', '.github/workflows/ci.yml', 0.1],
    ['devcontainer', '.devcontainer/devcontainer.json', 0.1],
  ];
  let n = 0;
  let svc = 0;
  for (const big of extraLarge) {
    write(`vendor/crds/big-${n}.yaml`, big.text, true, big.kind);
    n++;
  }
  while (n < candidates) {
    const dir = `services/team${svc % 25}/svc${svc}`;
    svc++;
    for (const [kind, rel, p] of plan) {
      if (n >= candidates) break;
      if (r() > p * 2.2) continue;
      write(`${dir}/${rel}`, tag(pick(kind).text, kind, n), true, kind);
      n++;
    }
    write(`${dir}/README.md`, `# svc${svc}\n\nSome text.\n`, false);
    write(`${dir}/src/index.js`, `console.log(${svc});\n`, false);
    if (svc % 10 === 0) write(`${dir}/build/out.yaml`, pick('kubernetes').text, false); // .gitignore'd
  }
  for (let i = 0; i < 300; i++) write(`node_modules/pkg${i}/.github/workflows/x.yml`, pick('yaml').text, false);
  return stats;
}

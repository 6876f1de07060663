/**
 * Which kind of file is this? By name first, then (for YAML) by content.
 */
import type { FileKind } from './model';

export type Detected = FileKind | 'yaml' | undefined;

function baseName(path: string): string {
  const norm = path.replace(/\\/g, '/');
  return norm.slice(norm.lastIndexOf('/') + 1);
}

function normalize(path: string): string {
  let p = path.replace(/\\/g, '/');
  // file:// URIs: keep the path part, decoded.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      /* keep as is */
    }
  }
  return p;
}

export function isDockerfileName(name: string): boolean {
  return (
    /^(Dockerfile|Containerfile)(\..+)?$/.test(name) ||
    /\.(Dockerfile|dockerfile)$/.test(name)
  );
}

export function isDevcontainerPath(path: string): boolean {
  const p = normalize(path);
  const name = baseName(p);
  if (name === '.devcontainer.json') return true;
  return /(^|\/)\.devcontainer\/([^/]+\/)?devcontainer\.json$/.test(p);
}

export function isComposeName(name: string): boolean {
  return /^(docker-)?compose([.-][^/]*)?\.ya?ml$/i.test(name) || /\.compose\.ya?ml$/i.test(name);
}

export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** Detection from the path alone; YAML content is examined by the YAML adapter. */
export function detectByPath(path: string): Detected {
  const p = normalize(path);
  const name = baseName(p);
  if (isDockerfileName(name)) return 'dockerfile';
  if (isDevcontainerPath(p)) return 'devcontainer';
  if (isComposeName(name)) return 'compose';
  if (isYamlName(name)) return 'yaml';
  return undefined;
}

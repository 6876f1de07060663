/**
 * Which kind of file is this? By name first, then (for YAML) by content.
 */
import type { FileKind } from './model';

/** `yaml` and `json`: decided by content (a JSON file only counts when it is a Kubernetes manifest). */
export type Detected = FileKind | 'yaml' | 'json' | undefined;

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

/**
 * YAML files that are known not to be container configurations: CI pipelines (GitHub Actions,
 * GitLab, CircleCI, Travis, Azure, Bitbucket, AppVeyor), repository metadata (`.github/`,
 * pre-commit, Dependabot, Codecov), build and packaging tools (snapcraft, goreleaser, golangci,
 * mkdocs, Read the Docs), package manager lock and workspace files, and a Helm chart's own
 * `Chart.yaml`. Their `services:` or `{{ }}` are not Compose nor templates to report on.
 */
const NON_CONTAINER_YAML_NAMES = new Set([
  '.gitlab-ci.yml', '.gitlab-ci.yaml', '.travis.yml', '.travis.yaml', 'azure-pipelines.yml', 'azure-pipelines.yaml',
  'bitbucket-pipelines.yml', 'appveyor.yml', '.appveyor.yml', '.pre-commit-config.yaml', '.pre-commit-config.yml',
  '.pre-commit-hooks.yaml', 'codecov.yml', '.codecov.yml', 'snapcraft.yaml', '.goreleaser.yml', '.goreleaser.yaml',
  '.golangci.yml', '.golangci.yaml', 'mkdocs.yml', 'mkdocs.yaml', '.readthedocs.yml', '.readthedocs.yaml',
  'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'yarn.lock', '.yarnrc.yml', 'Chart.yaml', 'Chart.lock', '.yamllint',
  '.yamllint.yml', '.yamllint.yaml', '.markdownlint.yml', '.markdownlint.yaml', 'action.yml', 'action.yaml',
  'dependabot.yml', 'dependabot.yaml', '.mergify.yml', 'renovate.yaml', 'buf.yaml', 'buf.gen.yaml', 'buf.work.yaml',
]);
const NON_CONTAINER_YAML_FOLDERS = /(^|\/)(\.github|\.gitlab|\.circleci|\.buildkite|snap)\//;

/** A YAML file known not to be a container configuration (see NON_CONTAINER_YAML_NAMES). */
export function isNonContainerYaml(path: string): boolean {
  const p = normalize(path);
  return NON_CONTAINER_YAML_NAMES.has(baseName(p)) || NON_CONTAINER_YAML_FOLDERS.test(p);
}

/** Podman Quadlet units this linter reads (`.network`, `.volume` and `.image` units run no container). */
export function isQuadletName(name: string): boolean {
  return /^[^.].*\.(container|pod|kube|build)$/.test(name);
}

/**
 * Files whose container commands are read (`docker run`, `podman run`…): shell scripts,
 * Makefiles, GitHub Actions workflows and GitLab CI files. A script without an extension is
 * recognised by its shebang (lint() looks at the content).
 */
export function isRunCommandPath(path: string): boolean {
  const p = normalize(path);
  const name = baseName(p);
  return /\.(sh|bash)$/.test(name) || /^(GNUmakefile|[Mm]akefile)$/.test(name) || /\.mk$/.test(name) || /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p) || /^\.gitlab-ci\.ya?ml$/.test(name);
}

/** Detection from the path alone; YAML content is examined by the YAML adapter. */
export function detectByPath(path: string): Detected {
  const p = normalize(path);
  const name = baseName(p);
  if (isDockerfileName(name)) return 'dockerfile';
  if (isDevcontainerPath(p)) return 'devcontainer';
  if (isComposeName(name)) return 'compose';
  if (isRunCommandPath(p)) return 'run';
  if (isQuadletName(name)) return 'quadlet';
  if (isYamlName(name)) return isNonContainerYaml(p) ? undefined : 'yaml';
  if (/\.json$/i.test(name) && !isNonContainerJson(p)) return 'json';
  return undefined;
}

/** JSON files that are never Kubernetes manifests, skipped without being read. */
function isNonContainerJson(path: string): boolean {
  const name = baseName(path);
  return /^(package(-lock)?|tsconfig(\..+)?|jsconfig|composer|\.?eslintrc|\.prettierrc|\.babelrc|lerna|renovate|devcontainer-feature|devcontainer-template|\.devcontainer-lock|devcontainer-lock|cgmanifest|launch|tasks|settings|extensions)\.json$/i.test(name) || /(^|\/)(node_modules|\.vscode|\.github)\//.test(path);
}

/**
 * A JSON file is linted only when it reads as a Kubernetes manifest: a top-level object with
 * `apiVersion` and `kind` (a `List` included). Cheap: looks at the text, parses nothing.
 */
export function looksLikeJsonManifest(text: string): boolean {
  let start = 0;
  while (start < text.length && (text[start] === ' ' || text[start] === '\t' || text[start] === '\n' || text[start] === '\r' || text.charCodeAt(start) === 0xfeff)) start++;
  if (text[start] !== '{') return false;
  return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
}

/**
 * Beyond one file: a Compose service with `build:` runs the image its Dockerfile makes, so
 * the engine reads that Dockerfile (through the caller's readFile: the engine does no I/O)
 * and records the final stage's user on the service (Container.buildImage). Rules and the
 * tier read it from there.
 *
 * The Dockerfile is `<compose file's folder>/<context>/<dockerfile>` (default `Dockerfile`,
 * then `Containerfile`). Nothing is read for remote contexts (URLs, git), contexts or file
 * names with unresolved variables, a compose file without an absolute path (an untitled
 * buffer), or a `target` that is not the Dockerfile's last stage (we only know that one's user).
 */
import * as path from 'node:path';
import { parseDockerfile } from './adapters/dockerfile';
import type { ParsedFile } from './adapters/types';
import type { BuildImage, BuildSpec, LineRange, Span, UserSetting, Workload } from './model';
import { foreignFile } from './project/foreign';
import type { ProjectMemo } from './project/memo';
import { memoized } from './project/memo';
import { lineIndex, lineOf } from './suppress';

/** Reads a file the engine needs beyond the one it lints; undefined when it cannot or must not be read. */
export type ReadFile = (absolutePath: string) => string | undefined;

/** A file through the caller's reader, never throwing: a reader may throw on a path it cannot read. */
export function readQuietly(readFile: ReadFile, file: string): string | undefined {
  try {
    return readFile(file);
  } catch {
    return undefined;
  }
}

/** Candidate Dockerfile paths for a build, or [] when nothing should be read. */
export function dockerfileCandidates(composePath: string, build: BuildSpec): string[] {
  if (!path.isAbsolute(composePath)) return [];
  const context = build.context.trim() === '' ? '.' : build.context.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') || /^github\.com\//i.test(context)) return [];
  if (context.includes('$') || build.dockerfile?.includes('$')) return [];
  const contextDir = path.resolve(path.dirname(composePath), context);
  if (build.dockerfile !== undefined && build.dockerfile.trim() !== '') return [path.resolve(contextDir, build.dockerfile.trim())];
  return [path.join(contextDir, 'Dockerfile'), path.join(contextDir, 'Containerfile')];
}

/**
 * Sets Container.buildImage on every Compose service with a readable `build:`. Each Dockerfile
 * is read and parsed once per call. Returns the paths it tried to read (found or not), so an
 * editor knows what to watch.
 */
export function resolveBuildImages(parsed: ParsedFile, composePath: string, readFile: ReadFile, maxFileSize: number, memo?: ProjectMemo): string[] {
  const attempted = new Set<string>();
  const cache = new Map<string, ReadImage | null>();
  let builds: LocalBuilds | undefined;
  for (const workload of eachWorkload(parsed)) {
    for (const container of workload.containers) {
      if (container.kind !== 'compose' || !container.build) continue;
      // A model kept from an earlier lint: what the Dockerfile said then does not count.
      delete container.buildImage;
      const build = container.build.value;
      // A build merged from another file of the project is relative to that file's folder.
      for (const candidate of dockerfileCandidates(foreignFile(container.build) ?? composePath, build)) {
        attempted.add(candidate);
        let image = cache.get(candidate);
        if (image === undefined) {
          image = readBuildImage(candidate, readFile, maxFileSize, memo);
          cache.set(candidate, image);
        }
        if (!image) continue;
        if (build.target !== undefined && build.target.toLowerCase() !== image.stageName?.toLowerCase()) break;
        const shownPath = path.relative(path.dirname(composePath), image.path).split(path.sep).join('/');
        let user = image.user;
        if (user.verdict === 'unset' && user.baseImage) {
          // FROM an image another service of the project builds: that build's user applies.
          builds ??= localBuilds(eachWorkload(parsed), composePath);
          user = followLocalBase(user, builds, readFile, maxFileSize, attempted, composePath, new Set([candidate]), 0, memo) ?? user;
        }
        container.buildImage = { path: image.path, shownPath, user, span: image.span, range: image.range };
        if (image.setuid) container.buildImage.setuid = image.setuid;
        break;
      }
    }
  }
  return [...attempted];
}

/** Local images are followed this many builds deep (a chain of project images built on each other). */
const MAX_LOCAL_DEPTH = 8;

/** An image reference compared as Docker resolves it: `docker.io/library/` and `:latest` are implied. */
export function normalizeImageRef(ref: string): string {
  let r = ref.trim().toLowerCase();
  for (const prefix of ['docker.io/', 'index.docker.io/']) if (r.startsWith(prefix)) r = r.slice(prefix.length);
  if (r.startsWith('library/')) r = r.slice('library/'.length);
  if (!r.includes('@') && r.lastIndexOf(':') <= r.lastIndexOf('/')) r += ':latest';
  return r;
}

/** A service of a Compose project that builds an image it names (`build:` with `image:`). */
export interface LocalBuild {
  /** The Compose file whose folder the build context is relative to. */
  composePath: string;
  service: string;
  build: BuildSpec;
}

/** The images a Compose project builds itself, by normalised reference. */
export type LocalBuilds = Map<string, LocalBuild>;

/** The images the Compose services build (`image:` of a service with `build:`; references with variables left out). */
export function localBuilds(workloads: Iterable<Workload>, composePath: string): LocalBuilds {
  const out: LocalBuilds = new Map();
  for (const w of workloads) {
    for (const c of w.containers) {
      if (c.kind !== 'compose' || !c.build || !c.image || c.image.value.includes('$')) continue;
      const key = normalizeImageRef(c.image.value);
      if (!out.has(key)) out.set(key, { composePath: foreignFile(c.build) ?? foreignFile(c.image) ?? composePath, service: c.name, build: c.build.value });
    }
  }
  return out;
}

/**
 * A Dockerfile user left to its base image (`unset`, with UserSetting.baseImage) when the project
 * builds that image itself: the user of that build's final stage, followed through further local
 * bases. Nonroot or unknown there decides; root (or unset) keeps the verdict, with the chain in
 * `how`. Undefined when the base is not built locally or its Dockerfile cannot be read. Every
 * Dockerfile is read through readFile within maxFileSize; a Dockerfile met twice (in `seen`) ends
 * the chain.
 */
export function followLocalBase(user: UserSetting, builds: LocalBuilds, readFile: ReadFile, maxFileSize: number, attempted: Set<string>, from: string, seen: Set<string>, depth = 0, memo?: ProjectMemo): UserSetting | undefined {
  if (user.verdict !== 'unset' || !user.baseImage || depth >= MAX_LOCAL_DEPTH) return undefined;
  const local = builds.get(normalizeImageRef(user.baseImage));
  if (!local) return undefined;
  for (const candidate of dockerfileCandidates(local.composePath, local.build)) {
    attempted.add(candidate);
    if (seen.has(candidate)) return undefined;
    const image = readBuildImage(candidate, readFile, maxFileSize, memo);
    if (!image) continue;
    if (local.build.target !== undefined && local.build.target.toLowerCase() !== image.stageName?.toLowerCase()) return undefined;
    seen.add(candidate);
    const base = image.user.verdict === 'unset' ? (followLocalBase(image.user, builds, readFile, maxFileSize, attempted, from, seen, depth + 1, memo) ?? image.user) : image.user;
    const shown = path.relative(path.dirname(from), candidate).split(path.sep).join('/') || path.basename(candidate);
    const who = `its base image ${user.baseImage} is built by service "${local.service}" from ${shown}`;
    const as = base.at ? `${base.at.field} ${base.at.value}` : (base.how ?? base.verdict);
    if (base.verdict === 'nonroot') return { verdict: 'nonroot', how: `no USER in the final stage; ${who}, which runs as a non-root user (${as})` };
    if (base.verdict === 'unknown') return { verdict: 'unknown', how: `no USER in the final stage; ${who}, whose user cannot be decided (${base.how ?? as})` };
    return { ...user, how: `no USER in the final stage; ${who}, which runs as root (${as})` };
  }
  return undefined;
}

/**
 * The file's Compose workloads (and maybe others), document by document for a file read in parts (no
 * list of them all is made, and a part known to hold no Compose service is not read: its model may
 * have been dropped).
 */
function* eachWorkload(parsed: ParsedFile): Generator<ParsedFile['workloads'][number]> {
  if (!parsed.documents) return yield* parsed.workloads;
  for (const d of parsed.documents) if (!d.kinds || d.kinds.includes('compose')) yield* d.workloads;
}

/** A Dockerfile's final stage as read, with its name for `build.target`. */
type ReadImage = BuildImage & { stageName?: string };

function readBuildImage(file: string, readFile: ReadFile, maxFileSize: number, memo?: ProjectMemo): ReadImage | null {
  let text: string | undefined;
  try {
    text = readFile(file);
  } catch {
    return null;
  }
  if (text === undefined || text.length > maxFileSize || text.slice(0, 8000).includes('\u0000')) return null;
  const read = text;
  return memoized(memo, 'dockerfile', file, read, () => buildImageOf(file, read));
}

function buildImageOf(file: string, text: string): ReadImage | null {
  let parsed: ParsedFile;
  try {
    parsed = parseDockerfile(text, file);
  } catch {
    return null;
  }
  const container = parsed.workloads[0]?.containers[0];
  if (!container) return null;
  const span: Span = container.user.at?.span ?? container.anchor;
  const image: ReadImage = { path: file, user: container.user, span, range: rangeOf(text, span) };
  if (container.name !== 'final stage') image.stageName = container.name;
  const setuid = setuidInDockerfile(text);
  if (setuid) image.setuid = setuid;
  return image;
}

/**
 * Signs in a Dockerfile's text that its image relies on gaining privilege at exec: file
 * capabilities (setcap), a setuid or setgid bit (chmod u+s, 4755), or sudo installed. Under
 * no-new-privileges the kernel ignores all three. One pass over the lines; the patterns never
 * look past a line.
 */
export function setuidInDockerfile(text: string): string | undefined {
  for (const line of text.split('\n')) {
    if (/\bsetcap\b/.test(line)) return 'runs setcap (file capabilities are not gained under no-new-privileges)';
    if (/\bchmod\b[^\n]*?(?:[ugoa]\+[rwxX]*s|\s[2467][0-7]{3}\b)/.test(line)) return 'sets a setuid or setgid bit (chmod)';
    if (/\b(?:apt-get|apt|apk|dnf|yum|microdnf|zypper)\b[^\n]*?\bsudo\b/.test(line)) return 'installs sudo';
  }
  return undefined;
}

/** 0-based line/character range of a span in a text. */
export function rangeOf(text: string, span: Span): LineRange {
  const index = lineIndex(text);
  const at = (offset: number) => {
    const o = Math.max(0, Math.min(offset, text.length));
    const line = lineOf(index, o);
    return { line, character: o - index.starts[line] };
  };
  return { start: at(span.start), end: at(Math.max(span.start, span.end)) };
}

/** What a recording reader was asked for: path → the text it returned (undefined: absent or refused). */
export type ReadLog = ReadonlyMap<string, string | undefined>;

/**
 * Wraps a reader so that it remembers every file it was asked for and what it returned. Whatever
 * the engine reads to lint a file (today a Compose service's build Dockerfile; tomorrow override
 * bases, Kustomize bases, chart values) goes through the reader it is given, so this log, together
 * with LintResult.dependencies, is the complete list of files a result depends on: the CLI's cache
 * keys each result on their contents, and a file that was absent counts too (its creation
 * invalidates the result).
 */
export function recordReads(readFile: ReadFile): { readFile: ReadFile; log: ReadLog } {
  const log = new Map<string, string | undefined>();
  return {
    log,
    readFile: (absolutePath) => {
      if (log.has(absolutePath)) return log.get(absolutePath);
      let text: string | undefined;
      try {
        text = readFile(absolutePath);
      } finally {
        if (!log.has(absolutePath)) log.set(absolutePath, text);
      }
      return text;
    },
  };
}

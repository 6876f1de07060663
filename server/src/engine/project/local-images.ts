/**
 * A Dockerfile built `FROM` an image its own Compose project builds (a service with `build:` and
 * `image: myapp-base`): the user of that image is the final USER of the Dockerfile that builds
 * it, not an unknown base image's default. The project is the Compose file (the default names and
 * their overrides) in the Dockerfile's folder or the nearest of the three folders above that has
 * one; every file is read through the caller's reader.
 */
import * as path from 'node:path';
import type { ParsedFile } from '../adapters/types';
import type { LocalBuilds, ReadFile } from '../cross-file';
import { followLocalBase, localBuilds, readQuietly } from '../cross-file';
import { DEFAULT_FILE_NAMES, DEFAULT_OVERRIDE_FILE_NAMES, parseCompose } from './compose-set';
import type { ParsedCompose } from './compose-set';
import type { ProjectMemo } from './memo';
import { memoized } from './memo';

/** Folders above the Dockerfile's own searched for its Compose project. */
const MAX_UP = 3;

/** The last path segment of an image reference, without tag or digest, lower-cased (`myapp-base`). */
function imageName(ref: string): string {
  const noDigest = ref.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return (colon >= 0 ? last.slice(0, colon) : last).toLowerCase();
}

/** Sets the final stage's user from a locally built base image, when it has one. Returns the paths read or probed. */
export function resolveLocalBaseImage(parsed: ParsedFile, file: string, readFile: ReadFile, maxFileSize: number, memo?: ProjectMemo): string[] {
  const container = parsed.workloads[0]?.containers[0];
  if (!container || container.kind !== 'dockerfile' || container.user.verdict !== 'unset' || !container.user.baseImage) return [];
  const attempted = new Set<string>();
  const builds: LocalBuilds = new Map();
  // A Compose file that does not even mention the image's name builds no such image: not parsed.
  const wanted = imageName(container.user.baseImage);
  let dir = path.dirname(file);
  for (let up = 0; up <= MAX_UP; up++) {
    let found = false;
    for (const name of [...DEFAULT_FILE_NAMES, ...DEFAULT_OVERRIDE_FILE_NAMES]) {
      const composePath = path.join(dir, name);
      attempted.add(composePath);
      const text = readQuietly(readFile, composePath);
      if (text === undefined) continue;
      found = true;
      if (!text.toLowerCase().includes(wanted)) continue;
      let compose: ParsedCompose;
      try {
        compose = memoized(memo, 'compose', composePath, text, () => parseCompose(composePath, text));
      } catch {
        continue;
      }
      for (const [image, build] of localBuilds(compose.parsed.workloads, composePath)) if (!builds.has(image)) builds.set(image, build);
    }
    const parent = path.dirname(dir);
    if (found || parent === dir) break;
    dir = parent;
  }
  if (builds.size === 0) return [...attempted];
  const user = followLocalBase(container.user, builds, readFile, maxFileSize, attempted, file, new Set([file]), 0, memo);
  if (user) container.user = user;
  attempted.delete(file);
  return [...attempted];
}

/**
 * Kustomize patches: a file that a kustomization names as a patch (`patches`,
 * `patchesStrategicMerge`, `patchesJson6902`) is not a workload of its own but a change to one
 * in the base, which sets everything the patch does not mention. It is judged on what it sets:
 * what its containers lack is not reported (the base's own file is linted for that).
 *
 * The kustomization is looked for beside the file and in the two folders above it (patches often
 * sit in a `patches/` folder), through the caller's reader.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { ParsedFile } from '../adapters/types';
import type { ReadFile } from '../cross-file';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The patch files a kustomization names, resolved against its folder. */
export function kustomizationPatches(text: string, file: string): string[] {
  if (!/^(patches|patchesStrategicMerge|patchesJson6902)\s*:/m.test(text)) return [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false });
  } catch {
    return [];
  }
  const top = doc.contents;
  if (!isMap(top)) return [];
  const out: string[] = [];
  const add = (p: unknown) => {
    if (typeof p === 'string' && p.trim() !== '' && !p.includes('\n')) out.push(path.resolve(path.dirname(file), p.trim()));
  };
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if ((key !== 'patches' && key !== 'patchesStrategicMerge' && key !== 'patchesJson6902') || !isSeq(pair.value)) continue;
    for (const item of pair.value.items) {
      if (isScalar(item)) add(item.value); // patchesStrategicMerge: a path (an inline patch has line breaks)
      else if (isMap(item)) {
        const p = item.get('path');
        add(p);
      }
    }
  }
  return out;
}

/**
 * Marks the containers of a file that a kustomization names as a patch: what they lack is
 * reported on the base, not here. Returns the kustomization files probed.
 */
export function applyKustomizePatch(parsed: ParsedFile, file: string, readFile: ReadFile): string[] {
  const tried: string[] = [];
  let dir = path.dirname(file);
  let kustomization: string | undefined;
  for (let up = 0; up < 3 && !kustomization; up++) {
    for (const name of KUSTOMIZATION_NAMES) {
      const candidate = path.join(dir, name);
      if (candidate === file) continue;
      tried.push(candidate);
      let text: string | undefined;
      try {
        text = readFile(candidate);
      } catch {
        text = undefined;
      }
      if (text !== undefined && kustomizationPatches(text, candidate).includes(file)) {
        kustomization = candidate;
        break;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (kustomization) {
    const where = path.relative(path.dirname(file), kustomization) || path.basename(kustomization);
    for (const w of parsed.workloads) {
      w.missingReportedIn = where;
      for (const c of w.containers) c.missingReportedIn = where;
    }
  }
  return tried;
}

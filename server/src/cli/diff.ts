/**
 * --fix-dry-run output: a unified diff per changed file, in the form `git apply` takes
 * (`diff --git` header, `a/` and `b/` paths relative to the working directory, 3 lines of
 * context). The line diff itself is jsdiff's.
 */
import { structuredPatch } from 'diff';

/** A path as a patch names it: relative, with forward slashes. */
export function patchPath(relative: string): string {
  return relative.split(/[\\/]+/).join('/');
}

export function unifiedDiff(relativePath: string, before: string, after: string): string {
  if (before === after) return '';
  const name = patchPath(relativePath);
  const patch = structuredPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 3 });
  let out = `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n`;
  for (const hunk of patch.hunks) {
    out += `@@ -${hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart}${hunk.oldLines === 1 ? '' : `,${hunk.oldLines}`} +${hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart}${hunk.newLines === 1 ? '' : `,${hunk.newLines}`} @@\n`;
    for (const line of hunk.lines) out += `${line}\n`;
  }
  return out;
}

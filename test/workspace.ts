/**
 * Temporary folders of files for tests that run the CLI or the server on disk: each test file
 * makes its own maker (with a prefix that names it in /tmp), and every folder it made is removed
 * when the file's tests end.
 */
import { after } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempWorkspaces {
  /** A fresh folder holding the given files (relative path → content). */
  workspace(files?: Record<string, string>): string;
  /** Removes this path too when the tests end (a file written next to a workspace). */
  track(p: string): void;
}

export function tempWorkspaces(prefix: string): TempWorkspaces {
  const roots: string[] = [];
  after(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  return {
    workspace(files = {}) {
      const root = mkdtempSync(path.join(os.tmpdir(), prefix));
      roots.push(root);
      for (const [rel, content] of Object.entries(files)) {
        const p = path.join(root, rel);
        mkdirSync(path.dirname(p), { recursive: true });
        writeFileSync(p, content);
      }
      return root;
    },
    track(p) {
      roots.push(p);
    },
  };
}

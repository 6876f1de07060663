/**
 * The version from package.json, found by walking up from this module (dist/cli.js
 * and out/server/src/cli/version.js both reach the package root).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function readVersion(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'container-privilege-lint' && pkg.version) return (cached = pkg.version);
    } catch {
      /* not here */
    }
    const parent = path.dirname(dir);
    if (parent === dir) return (cached = '0.0.0');
    dir = parent;
  }
}

#!/usr/bin/env node
// npm run package: production bundles (esbuild, minified, no source maps), then
// `vsce package --no-dependencies` into dist/container-privilege-lint.vsix. Prints the size.
// stdin is closed so vsce never waits on a y/N prompt (CI has no TTY anyway).
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join('dist', 'container-privilege-lint.vsix');

function run(cmd, args) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (${r.error ?? `exit ${r.status}`})`);
    process.exit(r.status || 1);
  }
  return Date.now() - t0;
}

// Stale development bundles (with maps) must not be mistaken for the production ones.
for (const f of ['extension.js.map', 'server.js.map']) rmSync(join(root, 'dist', f), { force: true });
const tBundle = run(process.execPath, ['scripts/bundle.mjs', '--production']);
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const tVsce = run(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-unused-files-pattern', '-o', out]);
const size = statSync(join(root, out)).size;
console.log(`${out}: ${(size / 1024).toFixed(1)} KiB (${size} bytes); bundle ${tBundle} ms, vsce ${tVsce} ms`);

#!/usr/bin/env node
// The extension-host integration suite (test/e2e/vscode/suite) through @vscode/test-electron's
// unchanged runTests():
//   --desktop      downloads VS Code 1.100.3 (needs update.code.visualstudio.com)
//   --code-server  runs it in code-server 4.100.3 through code-server-shim.mjs (works offline)
//   (default: code-server when scripts/install-code-server.sh has installed it, else desktop)
// Builds the suite (esbuild transform to out/test/e2e/vscode/suite) and the bundles if missing;
// the workspace is a fresh copy of examples/.
import { runTests } from '@vscode/test-electron';
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, cleanup, codeServerBin, log, makeWorkspace, runDir } from './lib.mjs';

const args = process.argv.slice(2);
let mode = args.includes('--desktop') ? 'desktop' : args.includes('--code-server') ? 'code-server' : undefined;
if (!mode) {
  try {
    codeServerBin();
    mode = 'code-server';
  } catch {
    mode = 'desktop';
  }
}

const suiteSrc = join(ROOT, 'test', 'e2e', 'vscode', 'suite');
const suiteOut = join(ROOT, 'out', 'test', 'e2e', 'vscode', 'suite');
await build({
  entryPoints: readdirSync(suiteSrc).filter((f) => f.endsWith('.ts')).map((f) => join(suiteSrc, f)),
  outdir: suiteOut,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
if (!existsSync(join(ROOT, 'dist', 'extension.js')) || !existsSync(join(ROOT, 'dist', 'server.js'))) {
  log('bundling (dist/extension.js, dist/server.js missing)');
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, ['scripts/bundle.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

const dir = runDir('cpl-exthost-run');
const ws = makeWorkspace(dir);
log(`extension-host tests in ${mode === 'desktop' ? 'VS Code desktop (downloaded)' : 'code-server'}; workspace ${ws}`);
const t0 = Date.now();
try {
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(suiteOut, 'index.js'),
    launchArgs: [ws, '--disable-extensions', `--user-data-dir=${join(dir, 'user-data')}`, `--extensions-dir=${join(dir, 'extensions')}`],
    ...(mode === 'desktop'
      ? { version: process.env.VSCODE_VERSION ?? '1.100.3', cachePath: join(ROOT, '.cache', 'vscode-test') }
      : { vscodeExecutablePath: join(ROOT, 'test', 'e2e', 'vscode', 'code-server-shim.mjs') }),
  });
  log(`extension-host tests passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  cleanup(dir);
} catch (e) {
  console.error(`extension-host tests failed: ${e instanceof Error ? e.message : String(e)} (kept ${dir})`);
  process.exit(1);
}

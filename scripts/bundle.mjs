// Bundles the CLI, the language server and the VS Code client with esbuild.
//
// The shell parser (mvdan-sh, 1.5 MB minified, 3 MB as esbuild prints it) is its own file,
// dist/mvdan-sh.js, required at run time from the bundle's folder by the one place that loads it
// on first use (server/src/engine/formats/run/shell.ts): a process that never meets a shell
// script, Makefile or CI workflow never reads it. Node reads and compiles a whole bundle at start,
// so keeping it out of dist/cli.js is most of the CLI's start-up on one Dockerfile.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const production = process.argv.includes('--production');
const common = { bundle: true, mainFields: ['module', 'main'], platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning' };
/**
 * The CLI and the server are read and compiled at every start: whitespace and syntax are always
 * minified (half the bytes), names kept, so a stack trace still names its functions.
 */
const lean = { ...common, minifyWhitespace: true, minifySyntax: true };

/** `require('mvdan-sh')` becomes `require('./mvdan-sh.js')`, next to the bundle. */
const separateShellParser = {
  name: 'separate-shell-parser',
  setup(b) {
    b.onResolve({ filter: /^mvdan-sh$/ }, () => ({ path: './mvdan-sh.js', external: true }));
  },
};

await Promise.all([
  build({ ...lean, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [separateShellParser] }),
  build({ ...lean, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' }, plugins: [separateShellParser] }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
]);
for (const f of ['dist/cli.js', 'dist/server.js']) chmodSync(f, 0o755);

// The package's own minified build, as published, with its licence (BSD-3-Clause asks for the notice).
const require = createRequire(import.meta.url);
const main = require.resolve('mvdan-sh');
const pkg = JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8'));
const licence = readFileSync(join(dirname(main), 'LICENSE'), 'utf8').trim().replace(/\*\//g, '* /');
writeFileSync('dist/mvdan-sh.js', `/*! ${pkg.name} ${pkg.version} (${pkg.license})\n${licence}\n*/\n${readFileSync(main, 'utf8')}`);

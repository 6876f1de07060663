// Bundles the CLI, the language server and the VS Code client with esbuild.
//
// The shell parser (mvdan-sh, 1.5 MB minified, 3 MB as esbuild prints it) is its own file,
// dist/mvdan-sh.js, required at run time from the bundle's folder by the one place that loads it
// on first use (server/src/engine/formats/run/shell.ts): a process that never meets a shell
// script, Makefile or CI workflow never reads it. Node reads and compiles a whole bundle at start,
// so keeping it out of dist/cli.js is most of the CLI's start-up on one Dockerfile.
//
// The CLI is two files: dist/cli.js, a few lines that start dist/cli-main.js (the engine and the
// CLI) with V8's code cache, dist/cli-main.js.cache, made here by running it once on the example
// Dockerfile (server/src/launch/code-cache.ts says why and how it is checked).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The bundle's build comment and wrapper, shared with server/src/launch/code-cache.ts, which reads the bundle.
const { buildPrefix: BUILD_PREFIX, wrapOpen: WRAP_OPEN, wrapClose: WRAP_CLOSE } = JSON.parse(readFileSync(new URL('../server/src/launch/bundle-wrap.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const common = { bundle: true, mainFields: ['module', 'main'], platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning' };
/**
 * The CLI and the server are read and compiled at every start: whitespace and syntax are always
 * minified (half the bytes), names kept, so a stack trace still names its functions.
 */
const lean = { ...common, minifyWhitespace: true, minifySyntax: true };
/**
 * The CLI's bundle, `conditions: []`: a `require()` gets a package's CommonJS build, as Node would give it. With
 * esbuild's default (`module` first), dockerfile-ast's twelve `require('vscode-languageserver-types')`
 * got the ES build, and each made its own copy of its exports at start (4 ms of a run on one file).
 */
const cliLean = { ...lean, conditions: [] };

/** `require('mvdan-sh')` becomes `require('./mvdan-sh.js')`, next to the bundle. */
const separateShellParser = {
  name: 'separate-shell-parser',
  setup(b) {
    b.onResolve({ filter: /^mvdan-sh$/ }, () => ({ path: './mvdan-sh.js', external: true }));
  },
};

const require = createRequire(import.meta.url);

/**
 * Libraries the CLI loads on first use: each is its own file next to the bundle
 * (dist/lib-<name>.js), and the bundle sees a stand-in whose exports are getters that require it.
 * A run on Dockerfiles never reads the YAML parser, the JSONC parser, the diff library or the glob
 * matchers (start-up, #16). The export names are the library's own, read here. A library that is
 * itself a function (`ignore`, `picomatch`) gets a stand-in function that calls it.
 */
const LAZY = ['yaml', 'jsonc-parser', 'diff', 'ignore', 'picomatch'];
/** Own properties every function has, which a stand-in function keeps as its own. */
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);
const lazyLibraries = {
  name: 'lazy-libraries',
  setup(b) {
    // Package names: letters and dashes, nothing a regular expression reads specially.
    b.onResolve({ filter: new RegExp(`^(${LAZY.join('|')})$`) }, (args) =>
      args.namespace === 'lazy-facade' ? { path: args.path, namespace: 'lazy-library' } : { path: args.path, namespace: 'lazy-facade' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-facade' }, (args) => ({ contents: `export * from '${args.path}';\nexport { default } from '${args.path}';\n`, loader: 'js', resolveDir: process.cwd() }));
    b.onResolve({ filter: /^\.\/lib-[a-z-]+\.js$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-library' }, (args) => {
      const real = require(args.path);
      const callable = typeof real === 'function';
      const names = Object.getOwnPropertyNames(real).filter((n) => n !== '__esModule' && n !== 'default' && !(callable && FUNCTION_OWN.has(n)));
      const contents = [
        'let lib;',
        `const load = () => (lib ??= require('./lib-${args.path}.js'));`,
        ...(callable ? ['module.exports = function (...args) { return new.target ? Reflect.construct(load(), args, new.target) : load().apply(this, args); };'] : []),
        // Read by esbuild's interop when the stand-in is imported: a value, so it loads nothing.
        ...(real.__esModule ? ["Object.defineProperty(module.exports, '__esModule', { value: true });"] : []),
        `for (const name of ${JSON.stringify(names)}) Object.defineProperty(module.exports, name, { enumerable: true, get: () => load()[name] });`,
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

/**
 * `import * as path from 'node:path'` in the sources: esbuild copies the module's properties into
 * a new namespace object at each such import (`__toESM`, 16 of them in the CLI, each run at start).
 * Here `node:path` is an ES module of the same names, made once, so the imports share it.
 */
const pathNames = Object.keys(require('node:path'));
const sharedNodePath = {
  name: 'shared-node-path',
  setup(b) {
    b.onResolve({ filter: /^node:path$/ }, (args) => (args.kind === 'import-statement' && args.namespace === 'file' ? { path: 'node:path', namespace: 'shared-node-path' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'shared-node-path' }, () => ({
      contents: `const p = require('node:path');\nexport const { ${pathNames.join(', ')} } = p;\nexport default p;\n`,
      loader: 'js',
    }));
  },
};

await Promise.all([
  ...LAZY.map((name) => build({ ...lean, stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd(), loader: 'js' }, outfile: `dist/lib-${name}.js` })),
  build({ ...lean, entryPoints: ['server/src/cli-launch.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, sourcemap: false }),
  build({ ...cliLean, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js', banner: { js: `${BUILD_PREFIX}${'0'.repeat(40)}*/${WRAP_OPEN}` }, footer: { js: WRAP_CLOSE }, plugins: [separateShellParser, lazyLibraries, sharedNodePath] }),
  build({ ...lean, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' }, plugins: [separateShellParser] }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
]);
for (const f of ['dist/cli.js', 'dist/server.js']) chmodSync(f, 0o755);

// The package's own minified build, as published, with its licence (BSD-3-Clause asks for the notice).
const main = require.resolve('mvdan-sh');
const pkg = JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8'));
const licence = readFileSync(join(dirname(main), 'LICENSE'), 'utf8').trim().replace(/\*\//g, '* /');
writeFileSync('dist/mvdan-sh.js', `/*! ${pkg.name} ${pkg.version} (${pkg.license})\n${licence}\n*/\n${readFileSync(main, 'utf8')}`);

// The bundle's hash goes in its first line, in place of the zeros (same length, so the source map
// still fits); the code cache is made for exactly this text.
const mainFile = 'dist/cli-main.js';
const zeros = `${BUILD_PREFIX}${'0'.repeat(40)}*/`;
const text = readFileSync(mainFile, 'utf8');
if (!text.startsWith(zeros)) throw new Error(`${mainFile} does not start with its build comment`);
const id = createHash('sha1').update(text).digest('hex');
writeFileSync(mainFile, `${BUILD_PREFIX}${id}*/${text.slice(zeros.length)}`);
rmSync(`${mainFile}.cache`, { force: true });
// Not in the production build, which is the .vsix's: the extension never runs the CLI, and a cache
// is of use only under the Node it was made with (one that differs rejects it and compiles).
const warm = production ? undefined : spawnSync(process.execPath, ['dist/cli.js', 'examples/docker/Dockerfile'], {
  env: { ...process.env, CONTAINER_PRIVILEGE_LINT_WRITE_CODE_CACHE: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
if (warm && (warm.error || ![0, 1].includes(warm.status))) throw new Error(`making the CLI's code cache failed (${warm.error ?? `exit ${warm.status}`})`);

/**
 * Start-up of the CLI on one file (#16). Node reads and compiles a whole bundle before it runs a
 * line of it, and for the CLI's bundle (about 1 MB) compiling was the largest part of a run on one
 * small Dockerfile. V8 can instead take the code it compiled in an earlier run (its code cache,
 * `vm.Script`'s `cachedData`). Node 22 offers that for every module (`module.enableCompileCache`),
 * and this uses it where it exists; Node 20 has only the `vm` API, so here the bundle is compiled
 * through it with a cache made at build time.
 *
 * The cache is made by `scripts/bundle.mjs`, which runs the CLI once on an example Dockerfile with
 * {@link WRITE_ENV} set: the functions that run compiled, as V8 holds them at exit. The bundle's
 * first line is a comment holding a hash of the bundle (`/*cpl-build:<sha1>*\/`), and the cache
 * file begins with the same hash: a cache for any other build is never handed to V8. V8 checks
 * the rest itself (its own version and flags, the source's length) and rejects a cache that does
 * not fit, which costs only the compile the cache would have saved.
 *
 * The build writes the bundle already wrapped as the function a CommonJS module is
 * ({@link WRAP_OPEN} … {@link WRAP_CLOSE}), so that V8 compiles the file's text as it is read.
 * Wrapping it here made a second copy of its 0.7 MB, young, which cost a scavenge and the copy
 * (about 3 ms of a run on one Dockerfile, measured against dockerfile-utils side by side). The
 * same text still runs when Node loads it as a module (Node 22's compile cache): there `this` is
 * the module's exports, and the wrapped function is left on them as `start`; run as Node's main
 * module (`node dist/cli-main.js`), it runs itself. (`require` and `module` are read only on that
 * path: in a script compiled here they do not exist.)
 */
import { isAscii } from 'node:buffer';
import { readFileSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import bundleWrap from './bundle-wrap.json';

/** Set (to `1`) by the build, to write the cache when the run ends. */
export const WRITE_ENV = 'CONTAINER_PRIVILEGE_LINT_WRITE_CODE_CACHE';
/** How the bundle begins (then its build id and `*\/`), and the wrapper around it: in bundle-wrap.json, which scripts/bundle.mjs reads too. */
export const BUILD_PREFIX: string = bundleWrap.buildPrefix;
const ID_LENGTH = 40;
/** What a self-wrapped bundle begins with, after its build comment, and ends with. */
export const WRAP_OPEN: string = bundleWrap.wrapOpen;
export const WRAP_CLOSE: string = bundleWrap.wrapClose;

/** What happened to the code cache. */
export type CacheUse = 'accepted' | 'rejected' | 'absent' | 'other-build' | 'node-compile-cache';

/** The bundle's build hash, from its first line; undefined when it has none. */
export function buildId(source: string): string | undefined {
  if (!source.startsWith(BUILD_PREFIX)) return undefined;
  const id = source.slice(BUILD_PREFIX.length, BUILD_PREFIX.length + ID_LENGTH);
  return /^[0-9a-f]{40}$/.test(id) && source.startsWith('*/', BUILD_PREFIX.length + ID_LENGTH) ? id : undefined;
}

/** The code cache's bytes for this build, or undefined. */
function cacheFor(cacheFile: string, id: string | undefined): { data?: Buffer; use: CacheUse } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return { use: 'absent' };
  }
  if (id === undefined || bytes.length <= ID_LENGTH || bytes.toString('latin1', 0, ID_LENGTH) !== id) return { use: 'other-build' };
  return { data: bytes.subarray(ID_LENGTH), use: 'accepted' };
}

/**
 * Runs the CommonJS bundle `file` as the main program, compiled with the code cache
 * `cacheFile` when that one was made for it. `write`: store the cache when the process exits.
 */
export function runBundle(file: string, cacheFile: string, options: { write?: boolean; nodeCompileCache?: boolean } = {}): CacheUse {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (options.nodeCompileCache !== false && typeof enable === 'function') {
    // Node 22 and later: its own cache, kept in the temporary folder, for whatever Node it is.
    enable();
    loadAsModule(file);
    return 'node-compile-cache';
  }
  const bytes = readFileSync(file);
  // esbuild writes ASCII (non-ASCII characters escaped): read as such, it is a one-byte string made
  // without UTF-8 decoding (2 ms of the 9 it took to read the bundle).
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const id = buildId(source);
  const cached = cacheFor(cacheFile, id);
  const selfWrapped = source.startsWith(WRAP_OPEN, id === undefined ? 0 : BUILD_PREFIX.length + ID_LENGTH + 2);
  const wrapped = selfWrapped ? source : `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData: cached.data });
  const use: CacheUse = cached.data && script.cachedDataRejected === true ? 'rejected' : cached.use;
  if (options.write && id !== undefined) {
    process.on('exit', () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()])));
  }
  runModuleFunction(script.runInThisContext(), file, nodeModule.createRequire(file));
  return use;
}

/** Calls a CommonJS module function (the wrapped bundle) as Node would for `file`. */
function runModuleFunction(fn: unknown, file: string, req: NodeJS.Require): void {
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  (fn as (...args: unknown[]) => void)(mod.exports, req, mod, file, dirname(file));
}

/**
 * Runs the bundle `file` through Node's own module loader (Node 22's compile cache applies there):
 * a self-wrapped bundle only leaves its function on its exports, which is then run as the program.
 */
export function loadAsModule(file: string): void {
  const req = nodeModule.createRequire(file);
  const loaded = req(file) as { start?: unknown } | undefined;
  if (typeof loaded?.start === 'function') runModuleFunction(loaded.start, file, req);
}

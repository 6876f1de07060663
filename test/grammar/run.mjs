#!/usr/bin/env node
// Scope tests of syntaxes/suppression.injection.json (vscode-tmgrammar-test).
//
// The injection is declared in package.json (contributes.grammars, injectTo), which
// vscode-tmgrammar-test reads; the host grammars are given with -g:
//   1. always: the minimal stub grammars in test/grammar/stubs (the injection in isolation);
//   2. when code-server is installed (.cache/code-server-*/ or $CODE_SERVER_PREFIX): VS Code
//      1.100's own YAML, Dockerfile, JSON and JSONC grammars, i.e. what users really get.
// Prints "N passed, N failed" and exits non-zero when a run fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const cases = 'test/grammar/cases/*';

function vscodeExtensionsDir() {
  const prefixes = [];
  if (process.env.CODE_SERVER_PREFIX) prefixes.push(process.env.CODE_SERVER_PREFIX);
  const cache = join(root, '.cache');
  if (existsSync(cache)) {
    for (const d of readdirSync(cache).sort().reverse()) if (d.startsWith('code-server-')) prefixes.push(join(cache, d));
  }
  for (const p of prefixes) {
    const ext = join(p, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');
    if (existsSync(join(ext, 'yaml', 'syntaxes'))) return ext;
  }
  return undefined;
}

const runs = [
  {
    name: 'stub host grammars',
    grammars: ['yaml', 'dockerfile', 'jsonc', 'json'].map((g) => `test/grammar/stubs/${g}.tmLanguage.json`),
  },
];
const ext = vscodeExtensionsDir();
if (ext) {
  const yaml = readdirSync(join(ext, 'yaml', 'syntaxes')).filter((f) => f.endsWith('.json')).map((f) => join(ext, 'yaml', 'syntaxes', f));
  runs.push({
    name: `VS Code's grammars (${relative(root, ext)})`,
    grammars: [
      ...yaml,
      join(ext, 'docker', 'syntaxes', 'docker.tmLanguage.json'),
      join(ext, 'json', 'syntaxes', 'JSON.tmLanguage.json'),
      join(ext, 'json', 'syntaxes', 'JSONC.tmLanguage.json'),
    ],
  });
} else {
  console.log('# VS Code grammars not found (install code-server with scripts/install-code-server.sh); stub grammars only');
}

let passed = 0;
let failed = 0;
for (const run of runs) {
  console.log(`# ${run.name}`);
  const args = [cli, '--config', 'package.json', ...run.grammars.flatMap((g) => ['-g', g]), cases];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const ok = (r.stdout.match(/run successfuly/g) ?? []).length;
  const bad = (r.stdout.match(/failed/g) ?? []).length;
  passed += ok;
  failed += bad;
  if (r.status !== 0 && bad === 0) failed++;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

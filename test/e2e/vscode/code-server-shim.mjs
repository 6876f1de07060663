#!/usr/bin/env node
// A stand-in for the VS Code executable, for @vscode/test-electron's runTests() where desktop
// VS Code cannot be downloaded (clients.md §3c). It takes the desktop CLI flags runTests()
// passes (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, a folder), runs the tests in code-server's extension host through the web
// workbench's payload parameter in headless Chromium, and exits with the tests' exit code.
//   runTests({ vscodeExecutablePath: 'test/e2e/vscode/code-server-shim.mjs', ... })
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, codeServerBin, runDir, runExtensionTestsInCodeServer } from './lib.mjs';

const flags = {};
const positional = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const m = /^--([^=]+)=(.*)$/.exec(a);
  if (m) flags[m[1]] = m[2];
  else if (['--user-data-dir', '--extensions-dir', '--extensionDevelopmentPath', '--extensionTestsPath'].includes(a)) flags[a.slice(2)] = argv[++i];
  else if (!a.startsWith('-')) positional.push(a);
  // other desktop flags (--no-sandbox, --disable-extensions, --skip-welcome, …) do not apply
}
const extensionDevelopmentPath = flags.extensionDevelopmentPath && resolve(flags.extensionDevelopmentPath);
const extensionTestsPath = flags.extensionTestsPath && resolve(flags.extensionTestsPath);
if (!extensionDevelopmentPath || !extensionTestsPath) {
  console.error('usage: code-server-shim.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--user-data-dir=DIR] [--extensions-dir=DIR] [FOLDER]');
  process.exit(2);
}
const dir = runDir('cpl-exthost');
// A fresh profile per run unless the caller gave one (the payload route needs no installed extension).
if (flags['user-data-dir']) mkdirSync(flags['user-data-dir'], { recursive: true });
const folder = resolve(positional[0] ?? process.cwd());
let code = 1;
try {
  code = await runExtensionTestsInCodeServer({
    bin: codeServerBin(),
    dir,
    folder,
    extensionDevelopmentPath,
    extensionTestsPath,
  });
} catch (e) {
  console.error(`code-server shim: ${e instanceof Error ? e.message : String(e)}`);
  console.error(`kept ${dir}`);
  process.exit(1);
}
if (code === 0) cleanup(dir);
else console.error(`kept ${dir} (code-server.log)`);
process.exit(typeof code === 'number' ? code : 1);

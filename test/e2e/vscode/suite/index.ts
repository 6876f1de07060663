/**
 * Entry point of the extension-host integration tests (`extensionTestsPath`): VS Code (desktop
 * through @vscode/test-electron, or code-server through the payload URL) loads this module in
 * the extension host and awaits run(). Mocha, tdd ui, every `*.it.js` file beside this one.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Mark the reporter's lines: in code-server they reach the page console among the
  // workbench's own log lines, and the runner forwards only these.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`[exthost-test] ${format(...args)}`);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, slow: 5_000, reporter: 'spec' });
  const grep = process.env.CPL_EXTHOST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.it.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The closing line the CI log is read for.
      console.log(`[exthost-test] ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
  });
}

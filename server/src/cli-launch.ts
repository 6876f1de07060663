/**
 * `container-privilege-lint`: the command as installed (dist/cli.js). It only starts the CLI's
 * bundle, dist/cli-main.js (built from ./cli.ts), with V8's code cache (see ./launch/code-cache.ts).
 */
import { join } from 'node:path';
import { runBundle, WRITE_ENV } from './launch/code-cache';

const main = join(__dirname, 'cli-main.js');
runBundle(main, `${main}.cache`, { write: process.env[WRITE_ENV] === '1' });

#!/usr/bin/env node
// The GitHub Action's lint step (action.yml): inputs arrive as CPL_* environment variables,
// become CLI arguments (never shell text), and the CLI's exit code becomes the step's result
// and the `exit-code` output. Runs dist/cli.js next to this script, with the workspace as cwd.
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const input = (name) => (env[`CPL_${name}`] ?? '').trim();

function fail(message) {
  console.log(`::error title=container-privilege-lint::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
  process.exit(2);
}

const format = input('FORMAT') || 'github';
const args = ['--format', format];
const profile = input('PROFILE');
if (profile) args.push('--profile', profile);
const config = input('CONFIG');
if (config) args.push('--config', config);
const maxWarnings = input('MAX_WARNINGS');
if (maxWarnings && maxWarnings !== '-1') args.push('--max-warnings', maxWarnings);
const output = input('OUTPUT') || (format === 'sarif' ? 'container-privilege-lint.sarif' : '');
if (/[\r\n]/.test(output)) fail('output must be one file name');
if (output) args.push('--output', output);
const cache = input('CACHE');
if (cache) args.push('--cache', '--cache-location', cache);
const failOn = (input('FAIL_ON_FINDINGS') || 'true').toLowerCase();
if (failOn !== 'true' && failOn !== 'false') fail(`fail-on-findings must be true or false, got '${failOn}'`);
// One path per line; a line is taken whole, so paths may contain spaces.
const paths = (env.CPL_PATHS ?? '.').split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== '');
args.push('--', ...(paths.length > 0 ? paths : ['.']));

const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { stdio: 'inherit', env: { ...env, NO_COLOR: '1' } });
const code = r.status ?? 2;
if (r.error) console.log(`::error title=container-privilege-lint::cannot run the linter: ${r.error.message}`);
if (env.GITHUB_OUTPUT) {
  appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\n`);
  if (format === 'sarif') appendFileSync(env.GITHUB_OUTPUT, `sarif-file=${output}\n`);
}
// Findings fail the step only when asked; usage and internal errors (2) always do.
process.exit(code === 1 && failOn === 'false' ? 0 : code);

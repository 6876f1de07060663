/**
 * Command-line arguments → options. Unknown options and bad values are usage errors (exit 2).
 */
import { isSeverity, SEVERITIES } from '../engine/config';
import type { SeverityOrOff } from '../engine/model';
import { isProfile, PROFILES } from '../engine/pss';
import type { Profile } from '../engine/pss';

export type OutputFormat = 'stylish' | 'json' | 'sarif' | 'github';
export const FORMATS: readonly OutputFormat[] = ['stylish', 'json', 'sarif', 'github'];

export interface CliOptions {
  paths: string[];
  format: OutputFormat;
  output?: string;
  /** --rule overrides, in the order given (later ones win). */
  rules: Record<string, SeverityOrOff>;
  /** -1: no limit. */
  maxWarnings: number;
  config?: string;
  /** --values: extra values files merged over each Helm chart's values.yaml, in order (as `helm -f`). */
  values: string[];
  /** --fix: apply the safe fixes and write the files. */
  fix: boolean;
  /** --fix-dry-run: print, as a unified diff, what --fix would write, and write nothing. */
  fixDryRun: boolean;
  /** --unsafe-fixes: --fix and --fix-dry-run apply suggestions too. */
  unsafeFixes: boolean;
  /** --cache: reuse the reports of files that (and whose dependencies) did not change. */
  cache: boolean;
  /** --cache-location: the cache file, or a folder for it (default ./.container-privilege-lint-cache). */
  cacheLocation?: string;
  /** Print, for each privileged container, the inferred replacement with its reasons. */
  explain: boolean;
  /** --profile: overrides the config file's. */
  profile?: Profile;
  /** Print each workload's defence-in-depth tier after the findings. */
  summary: boolean;
  quiet: boolean;
  color: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const HELP = `Usage: container-privilege-lint [options] [paths...]

Finds container-privilege mistakes in Dockerfiles, Compose files, Kubernetes YAML
and devcontainer.json. Folders are walked (respecting .gitignore, skipping
node_modules and .git); named files are always linted. Default path: .

Options:
  -f, --format <stylish|json|sarif|github>
                                      Output format (default: stylish); github prints
                                      GitHub Actions annotations (::error file=…::message)
  -o, --output <file>                 Write the report to a file instead of stdout
      --rule <id=severity>            Set a rule's severity: off, info, warning, error
                                      (repeatable; overrides the config file)
      --profile <name>                default, baseline or restricted: baseline and restricted
                                      reproduce the Kubernetes Pod Security Standards
                                      (overrides the config file)
      --max-warnings <n>              Exit with 1 when there are more than n warnings
  -c, --config <file>                 Use this config file instead of looking for
                                      .container-privilege-lint.{yaml,yml,json}
      --values <file>                 Helm charts: merge this values file over each chart's
                                      values.yaml, as helm -f does (repeatable; a relative
                                      path not found from here is looked for in each chart)
      --fix                           Apply the safe fixes and write the files
      --fix-dry-run                   Print what --fix would change as a unified diff
                                      (git apply accepts it) and write nothing
      --unsafe-fixes                  With --fix or --fix-dry-run, apply suggestions too:
                                      fixes that may take away something the workload
                                      needs (see README, "Safe fixes and suggestions")
      --cache                         Only lint files that changed since the last run, or whose
                                      dependencies (a service's build Dockerfile…) changed
      --cache-location <path>         The cache file, or a folder for it
                                      (default: ./.container-privilege-lint-cache)
      --explain                       Under each finding, why it matters and what to do (the
                                      JSON "detail"); for each privileged container, what would
                                      replace privileged and why (always in the JSON output)
      --summary                       After the findings, print each workload's tier on the
                                      six-tier defence-in-depth ladder (always in JSON and SARIF)
      --quiet                         Report errors only
      --no-color                      Do not colour the output
  -h, --help                          Show this help
  -v, --version                       Show the version

Exit codes: 0 no errors; 1 an error-severity finding, or too many warnings;
2 usage or internal error.`;

/**
 * @param knownRuleIds ids --rule accepts; a rule id outside it is a usage error.
 */
export function parseArgs(argv: string[], knownRuleIds: ReadonlySet<string>): CliOptions {
  const options: CliOptions = {
    paths: [],
    format: 'stylish',
    rules: {},
    values: [],
    maxWarnings: -1,
    fix: false,
    fixDryRun: false,
    unsafeFixes: false,
    cache: false,
    explain: false,
    summary: false,
    quiet: false,
    color: true,
    help: false,
    version: false,
  };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || arg === '-' || !arg.startsWith('-')) {
      if (arg === '') throw new UsageError('an empty path was given');
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`option ${name} needs a value`);
      i++;
      return next;
    };
    const flag = (): true => {
      if (inline !== undefined) throw new UsageError(`option ${name} does not take a value`);
      return true;
    };
    switch (name) {
      case '-f':
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format '${v}' (expected ${FORMATS.join(', ')})`);
        options.format = v as OutputFormat;
        break;
      }
      case '-o':
      case '--output': {
        const v = value();
        if (v === '') throw new UsageError('--output needs a file name');
        options.output = v;
        break;
      }
      case '--rule': {
        const v = value();
        const m = /^\s*([^=:\s]+)\s*[=:]\s*(\S+)\s*$/.exec(v);
        if (!m) throw new UsageError(`--rule expects id=severity, got '${v}'`);
        const [, id, sev] = m;
        if (!knownRuleIds.has(id)) throw new UsageError(`--rule: unknown rule id '${id}' (known: ${[...knownRuleIds].join(', ') || 'none'})`);
        if (!isSeverity(sev)) throw new UsageError(`--rule: invalid severity '${sev}' for '${id}' (expected one of ${SEVERITIES.join(', ')})`);
        options.rules[id] = sev;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (!/^-?\d+$/.test(v.trim()) || Number(v) < -1) throw new UsageError(`--max-warnings expects a non-negative integer, got '${v}'`);
        options.maxWarnings = Number(v);
        break;
      }
      case '-c':
      case '--config': {
        const v = value();
        if (v === '') throw new UsageError('--config needs a file name');
        options.config = v;
        break;
      }
      case '--values': {
        const v = value();
        if (v === '') throw new UsageError('--values needs a file name');
        options.values.push(v);
        break;
      }
      case '--fix':
        options.fix = flag();
        break;
      case '--fix-dry-run':
        options.fixDryRun = flag();
        break;
      case '--unsafe-fixes':
        options.unsafeFixes = flag();
        break;
      case '--cache':
        options.cache = flag();
        break;
      case '--cache-location': {
        const v = value();
        if (v === '') throw new UsageError('--cache-location needs a file or folder name');
        options.cacheLocation = v;
        break;
      }
      case '--explain':
        options.explain = flag();
        break;
      case '--profile': {
        const v = value();
        if (!isProfile(v)) throw new UsageError(`unknown profile '${v}' (expected ${PROFILES.join(', ')})`);
        options.profile = v;
        break;
      }
      case '--summary':
        options.summary = flag();
        break;
      case '--quiet':
        options.quiet = flag();
        break;
      case '--no-color':
        flag();
        options.color = false;
        break;
      case '--color':
        options.color = flag();
        break;
      case '-h':
      case '--help':
        options.help = flag();
        break;
      case '-v':
      case '--version':
        options.version = flag();
        break;
      default:
        throw new UsageError(`unknown option '${name}'`);
    }
  }
  if (options.cacheLocation !== undefined && !options.cache) throw new UsageError('--cache-location needs --cache');
  if (options.paths.length === 0) options.paths.push('.');
  if (options.unsafeFixes && !options.fix && !options.fixDryRun) throw new UsageError('--unsafe-fixes needs --fix or --fix-dry-run');
  if (options.fix && options.fixDryRun) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  return options;
}

/**
 * The one table of `docker run` / `podman run` flags this linter reads, and the one reader
 * that walks a list of arguments with it. Every format that writes run flags uses it:
 * devcontainer `runArgs` (JSON string elements), Quadlet `PodmanArgs=` (unit words), and
 * run command lines in shell scripts, Makefiles and CI workflows (shell words). The reader
 * is generic over the token type: each format keeps its own tokens (and their source
 * ranges) and only says how to read a token's text (undefined when it cannot be known, e.g.
 * a shell variable: such a token is never guessed at).
 */

/** Long flags that take no value (`--rm`); `--flag=false` is still accepted for them. */
const BOOL_LONG = new Set([
  '--privileged', '--init', '--rm', '--detach', '--interactive', '--tty', '--read-only', '--no-healthcheck',
  '--oom-kill-disable', '--publish-all', '--sig-proxy', '--help', '--disable-content-trust', '--quiet', '--use-api-socket',
  // podman
  '--replace', '--env-host', '--no-hosts', '--rootfs', '--read-only-tmpfs', '--http-proxy', '--tls-verify', '--passwd',
  '--rmi', '--no-healthcheck', '--pod-id-file-ignore',
]);
/** Short flags that take no value (`-d`, `-i`, `-t`, `-P`, `-q`). */
const BOOL_SHORT = new Set(['d', 'i', 't', 'P', 'q']);
/** Value flags this linter reads. Other value flags are skipped with their value. */
const VALUE_FLAGS = new Set([
  '--cap-add', '--cap-drop', '--security-opt', '--user',
  // Read for the privileged replacement's hints.
  '--device', '--volume', '--mount', '--sysctl', '--env', '--network', '--net', '--publish',
  // Read for the container boundary.
  '--pid', '--ipc', '--uts', '--userns', '--cgroupns', '--device-cgroup-rule',
]);
/** Boolean flags whose value this linter reads (`--read-only`, `--read-only=false`). */
const BOOL_READ = new Set(['--privileged', '--read-only', '--use-api-socket']);
/** Short flags whose value this linter reads (`-u root`, `-uroot`, `-u=root`). */
const SHORT_VALUE: Record<string, string> = { u: '--user', v: '--volume', e: '--env', p: '--publish' };

/** Go's strconv.ParseBool, which Docker uses for `--privileged=<bool>` and `no-new-privileges:<bool>`. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

export interface RunBool<T> {
  /** `--privileged`, `--read-only`, `--use-api-socket`. */
  flag: string;
  value: boolean;
  token: T;
}

export interface RunValue<T> {
  /** The long spelling (`-u` reads as `--user`). */
  flag: string;
  value: string;
  /** The token(s) the flag is written in: one (`--cap-add=X`, `-uroot`) or two (`--cap-add`, `X`). */
  tokens: T[];
  /** The token holding the value. */
  valueToken: T;
  /** Text before the value inside valueToken (`--cap-add=`, `-u`), '' when the value is its own token. */
  prefix: string;
}

export interface RunFlags<T> {
  bools: RunBool<T>[];
  values: RunValue<T>[];
  /** Index of the first token that is not a flag (the image, for a command line), or items.length. */
  end: number;
}

export interface ReadOptions {
  /**
   * Stop at the first argument that is not a flag (a command line: the image, after which
   * every word belongs to the container's command). Lists of flags only (runArgs,
   * PodmanArgs) go on to the end.
   */
  stopAtPositional: boolean;
}

/**
 * The run flags this linter reads, in order, with the tokens they came from. `str` gives a
 * token's text, or undefined when it is not known statically (a flag with an unknown value is
 * skipped, an unknown token is stepped over).
 */
export function readRunFlags<T>(items: T[], str: (t: T) => string | undefined, options: ReadOptions): RunFlags<T> {
  const bools: RunBool<T>[] = [];
  const values: RunValue<T>[] = [];
  let i = 0;
  for (; i < items.length; i++) {
    const token = items[i] as T;
    const s = str(token);
    if (s === undefined) continue;
    const nextToken = i + 1 < items.length ? (items[i + 1] as T) : undefined;
    const next = nextToken === undefined ? undefined : str(nextToken);
    if (s === '--') {
      i++;
      break;
    }
    if (s.startsWith('--')) {
      const eq = s.indexOf('=');
      const name = eq >= 0 ? s.slice(0, eq) : s;
      if (BOOL_READ.has(name)) {
        const value = eq >= 0 ? parseGoBool(s.slice(eq + 1)) : true;
        if (value !== undefined) bools.push({ flag: name, value, token });
      } else if (VALUE_FLAGS.has(name)) {
        if (eq >= 0) values.push({ flag: name, value: s.slice(eq + 1), tokens: [token], valueToken: token, prefix: s.slice(0, eq + 1) });
        else if (nextToken !== undefined) {
          if (next !== undefined) values.push({ flag: name, value: next, tokens: [token, nextToken], valueToken: nextToken, prefix: '' });
          i++;
        }
      } else if (eq < 0 && !BOOL_LONG.has(name)) {
        i++; // a flag that takes the next token as its value
      }
      continue;
    }
    if (!s.startsWith('-') || s.length < 2) {
      if (options.stopAtPositional) break;
      continue;
    }
    // A cluster of short flags: `-it`, `-u`, `-uroot`, `-u=root`, `-e`.
    const chars = s.slice(1);
    for (let j = 0; j < chars.length; j++) {
      const c = chars[j] ?? '';
      if (BOOL_SHORT.has(c)) continue;
      let rest = chars.slice(j + 1);
      let prefixLength = 2 + j;
      if (rest.startsWith('=')) {
        rest = rest.slice(1);
        prefixLength++;
      }
      const long = SHORT_VALUE[c];
      if (long) {
        if (rest !== '') values.push({ flag: long, value: rest, tokens: [token], valueToken: token, prefix: s.slice(0, prefixLength) });
        else if (nextToken !== undefined) {
          if (next !== undefined) values.push({ flag: long, value: next, tokens: [token, nextToken], valueToken: nextToken, prefix: '' });
          i++;
        }
      } else if (rest === '') {
        i++; // `-e`, `-v`, `-w`, …: the value is the next token
      }
      break;
    }
  }
  return { bools, values, end: Math.min(i, items.length) };
}

/**
 * No regular expression in the engine backtracks catastrophically.
 *  1. Static: every regex literal and `new RegExp(…)` in server/src/engine/**\/*.ts (found
 *     with the TypeScript parser, so strings and comments are not mistaken for regexes)
 *     has no nested quantifier such as (a+)+, (a*)*, (?:\s*x)+.
 *  2. Dynamic: each one is run against long adversarial strings (50,000 characters of
 *     one or two characters taken from the pattern and from YAML/JSON/Dockerfile syntax,
 *     then a character that makes the match fail) in a worker thread with a watchdog,
 *     so even an exponential one fails the test instead of hanging it.
 *  3. Through the engine: lint() of adversarial contents for each kind of file, under a
 *     time bound (the regexes that only run inside functions see these inputs there).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { lint } from '../../server/src/engine';
import type { FoundRegex } from './regex-scan';
import { findRegexes, nestedQuantifier } from './regex-scan';
import { timeBudgetMs } from './support';

const WATCHDOG_MS = 30_000;
/**
 * A probe at 10,000 characters: a linear regex takes well under 1 ms, a quadratic one ~100 ms or
 * more. The bounds leave room for a busy machine (they failed at 50/250 ms on a shared one, with
 * linear expressions); a quadratic expression takes seconds at 50,000 characters.
 */
const PROBE_N = 10_000;
const PROBE_MS = 200;
/** Then the full 50,000 characters, for the inputs that were slowest in the probe. */
const FULL_N = 50_000;
const FULL_MS = 1000;
const FULL_INPUTS = 12;

/**
 * The worker: builds the adversarial inputs for each regex and times every match, first
 * on a short probe, then at full length; the first slow input ends that regex's run.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const BASE = [' ', 'a', 'A', '0', ':', '#', '-', '\\t', '/', '{', '}', '[', ']', '$', '"', "'", '\\\\', '.', '=', ',', '_', '@', '*', '&', '\\n', '\\r', '\\r\\n', '\\uFEFF', '\\u00A0'];
const STRUCTURAL = ['a:', 'a: ', '- ', '- a: ', '# ', '\${', '\${A:-', '{{', 'no-new-privileges:', 'root:', '0:', 'CAP_', '--', '-u', 'container-privilege-lint-disable ', '// '];
function inputs(source, n) {
  const lit = [...new Set(source.replace(/\\\\./g, '').replace(/\\[[^\\]]*\\]/g, '').split('').filter((c) => !'()[]{}*+?|^$'.includes(c)))].slice(0, 12);
  const alphabet = [...new Set([...BASE, ...lit])];
  const out = [];
  for (const c of alphabet) {
    const pump = c.repeat(Math.ceil(n / c.length));
    out.push(pump + '!', pump + '\\u0000', '!' + pump + '!');
  }
  for (const c of [' ', 'a', ...lit]) {
    const pump = c.repeat(n);
    for (const s of STRUCTURAL) out.push(s + pump + '\\u0000');
  }
  for (const a of lit) for (const b of [...lit, ' ', 'a', '0']) out.push((a + b).repeat(n / 2) + '\\u0000');
  return out;
}
function run(re, s) {
  if (!re.global && !re.sticky) { re.exec(s); s.split(re); return; }
  re.lastIndex = 0;
  let m, guard = 0;
  while ((m = re.exec(s)) && guard++ < 2 * s.length + 10) if (m[0] === '') re.lastIndex++;
  s.replace(re, '');
}
const show = (s) => JSON.stringify(s.slice(0, 24)) + '… (' + s.length + ' chars)';
let worst = { ms: 0 };
for (const [k, r] of workerData.regexes.entries()) {
  const re = new RegExp(r.source, r.flags);
  // The probe: every input at the short length. A linear regex takes far less than the limit.
  const probe = [];
  let slow = false;
  for (const s of inputs(r.source, workerData.probeN)) {
    parentPort.postMessage({ k, input: show(s) });
    const t0 = performance.now();
    run(re, s);
    const ms = performance.now() - t0;
    if (ms > workerData.probeMs) { parentPort.postMessage({ slow: true, k, ms, input: show(s) }); slow = true; break; }
    probe.push([ms, s]);
  }
  if (slow) continue;
  // Full length: the inputs that were slowest in the probe (they grow fastest, if anything does).
  probe.sort((a, b) => b[0] - a[0]);
  for (const [, short] of probe.slice(0, workerData.fullInputs)) {
    const s = short.slice(0, -1).repeat(Math.ceil(workerData.fullN / short.length)) + short.slice(-1);
    parentPort.postMessage({ k, input: show(s) });
    const t0 = performance.now();
    run(re, s);
    const ms = performance.now() - t0;
    if (ms > worst.ms) worst = { ms, k };
    if (ms > workerData.fullMs) { parentPort.postMessage({ slow: true, k, ms, input: show(s) }); break; }
  }
}
parentPort.postMessage({ done: true, worst });
`;

interface WorkerReport {
  slow: { where: string; source: string; ms: number; input: string }[];
  worst: { ms: number; where?: string };
}

function runInWorker(regexes: FoundRegex[]): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const data = { regexes: regexes.map((r) => ({ source: r.source, flags: r.flags })), probeN: PROBE_N, probeMs: PROBE_MS, fullN: FULL_N, fullMs: FULL_MS, fullInputs: FULL_INPUTS };
    const worker = new Worker(WORKER, { eval: true, workerData: data });
    const slow: WorkerReport['slow'] = [];
    let current = 'starting';
    const hang = () => {
      void worker.terminate();
      reject(new Error(`a regex did not finish within ${WATCHDOG_MS} ms: ${current}`));
    };
    let timer = setTimeout(hang, WATCHDOG_MS);
    worker.on('message', (m: { k?: number; input?: string; slow?: boolean; ms?: number; done?: boolean; worst?: { ms: number; k?: number } }) => {
      clearTimeout(timer);
      timer = setTimeout(hang, WATCHDOG_MS);
      if (m.done) {
        clearTimeout(timer);
        void worker.terminate();
        const w = m.worst ?? { ms: 0 };
        resolve({ slow, worst: { ms: w.ms, where: w.k !== undefined ? `${regexes[w.k].where} /${regexes[w.k].source}/` : undefined } });
      } else if (m.slow && m.k !== undefined) {
        slow.push({ where: regexes[m.k].where, source: regexes[m.k].source, ms: m.ms ?? 0, input: m.input ?? '' });
      } else if (m.k !== undefined) {
        current = `${regexes[m.k].where} /${regexes[m.k].source}/${regexes[m.k].flags} on ${m.input}`;
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/**
 * Adversarial file contents: long runs of what each format's regexes and scanners look
 * at, alone and in the fields the adapters, rules and fix inference read (image, user,
 * capabilities, devices, volumes, command, sysctls, environment, runArgs, USER, ARG).
 */
export function adversarialFiles(n = 50_000): { path: string; text: string }[] {
  const units = ['a', ' ', ':', '#', '-', '\t', '"', "'", '\\', '/', '$', '{', '[', '{{', '${', ': ', '- ', '# ', '//', '/*', ',', '=', '\r', '\r\n', 'a:', '0:', '--', '-u', '\uFEFF'];
  const paths = ['compose.yaml', 'k8s.yaml', 'Dockerfile', '.devcontainer/devcontainer.json'];
  const out: { path: string; text: string }[] = [];
  const fields = (path: string, p: string): string => {
    if (path === 'Dockerfile') return `FROM ${p}\nARG A=${p}\nUSER ${p}\nRUN --security=insecure ${p}\n# ${p}\n`;
    if (path.endsWith('.json')) return `{"image": "${p}", "privileged": true, "runArgs": ["--device=${p}", "-u", "${p}", "--cap-add=${p}"], "containerUser": "${p}", "mounts": ["source=${p},target=/x,type=bind"]}`;
    if (path === 'compose.yaml') return `services:\n  web:\n    image: ${p}\n    privileged: true\n    user: ${p}\n    devices: ["${p}"]\n    volumes: ["${p}:/data"]\n    command: ${p}\n    sysctls: [${p}]\n    environment: [A=${p}]\n    cap_add: [${p}]\n`;
    return `apiVersion: v1\nkind: Pod\nmetadata: {name: ${p}}\nspec:\n  volumes: [{name: v, hostPath: {path: "${p}"}}]\n  containers:\n  - name: a\n    image: ${p}\n    command: [${p}]\n    securityContext: {privileged: true, runAsUser: ${p}, capabilities: {add: [${p}]}}\n`;
  };
  for (const path of paths) {
    for (const u of units) {
      out.push({ path, text: `${u.repeat(Math.ceil(n / u.length))}!` });
      out.push({ path, text: fields(path, u.repeat(Math.ceil(n / 8 / u.length))) });
    }
    // Paths and flags the fix inference scans: slashes, device paths, cap lists.
    out.push({ path, text: fields(path, `/dev/dri${'/'.repeat(n)}x`) });
    out.push({ path, text: fields(path, `/lib/modules${'/'.repeat(n)}x`) });
    // Lines the suppression parser and the writers scan.
    out.push({ path, text: `# container-privilege-lint-disable-next-line ${'a,'.repeat(n / 2)}\n` });
    out.push({ path, text: `a${' '.repeat(n)}:${' '.repeat(n)}x\n` });
  }
  // The devcontainer runArgs scanner on a long flag cluster; the Dockerfile expander on nested ${.
  out.push({ path: '.devcontainer.json', text: `{"runArgs": ["-${'i'.repeat(n)}u"]}` });
  out.push({ path: 'Dockerfile', text: `FROM alpine\nARG A=${'${A:-'.repeat(n / 5)}x\nUSER $A\n` });
  return out;
}

describe('regex safety', () => {
  const regexes = findRegexes();

  it('finds the engine\'s regular expressions', (t) => {
    assert.ok(regexes.length > 20, `only ${regexes.length} found: is the scan broken?`);
    const dynamic = regexes.filter((r) => r.dynamic);
    const templated = regexes.filter((r) => r.templated);
    t.diagnostic(
      `${regexes.length} regular expressions in server/src/engine: ${templated.length} built from a template (tested with a word in each substitution${templated.length ? `: ${templated.map((d) => d.where).join(', ')}` : ''}), ${dynamic.length} from another expression (covered only through lint()${dynamic.length ? `: ${dynamic.map((d) => `${d.where} ${d.dynamic}`).join(', ')}` : ''})`,
    );
  });

  it('no regex has a nested quantifier such as (a+)+ or (a*)*', () => {
    const bad = regexes.filter((r) => !r.dynamic).map((r) => ({ ...r, group: nestedQuantifier(r.source) })).filter((r) => r.group);
    assert.deepEqual(bad.map((r) => `${r.where} /${r.source}/ (${r.group})`), []);
  });

  it('the nested-quantifier check itself catches the classics', () => {
    for (const bad of ['(a+)+', '(a*)*', '(?:\\s*x)+', '((ab)*c)*', '(a|b+)*', '([^,]+,?)*$', '(x{2,})+']) assert.ok(nestedQuantifier(bad), bad);
    for (const ok of ['a+b+', '(ab)+', '^(?:a|b)*$', '[+*]+', '\\(a+\\)+', '(a?)+', '(a{2})+', '^\\$\\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\\}$']) assert.equal(nestedQuantifier(ok), undefined, ok);
  });

  it(`every regex stays linear on adversarial strings (${PROBE_N} chars: ≤ ${PROBE_MS} ms, then ${FULL_N} chars: ≤ ${FULL_MS} ms per match; watchdog ${WATCHDOG_MS / 1000} s)`, async (t) => {
    const report = await runInWorker(regexes.filter((r) => !r.dynamic));
    t.diagnostic(`slowest match: ${report.worst.ms.toFixed(1)} ms (${report.worst.where ?? '-'})`);
    assert.deepEqual(report.slow.map((s) => `${s.where} /${s.source}/ took ${s.ms.toFixed(0)} ms on ${s.input}`), []);
  });

  it('lint() of adversarial contents for every kind never throws and stays within the hang-detector bound (5 s + 16 ms/KB)', () => {
    const slow: string[] = [];
    for (const f of adversarialFiles()) {
      const what = `${f.path} ${JSON.stringify(f.text.slice(0, 40))}… (${f.text.length} chars)`;
      const t0 = performance.now();
      try {
        lint(f.text, { path: f.path });
      } catch (e) {
        slow.push(`${what}: threw ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const ms = performance.now() - t0;
      if (ms > timeBudgetMs(f.text)) slow.push(`${what}: ${ms.toFixed(0)} ms`);
    }
    assert.deepEqual(slow, []);
  });
});

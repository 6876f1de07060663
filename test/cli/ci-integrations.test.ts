/**
 * The places teams run checks, driven as they run them:
 * - action.yml: each step of the composite action is run the way the GitHub runner runs it
 *   (`bash --noprofile --norc -eo pipefail <script>`, the step's env with `${{ inputs.* }}` and
 *   `${{ github.* }}` substituted, GITHUB_ACTION_PATH / GITHUB_WORKSPACE / GITHUB_OUTPUT set),
 *   and its outputs are read back from the GITHUB_OUTPUT file.
 * - .pre-commit-hooks.yaml: the two hook ids, and a files pattern held to the engine's own
 *   file-name detection (it must pass exactly the files the linter would read).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_FILE_NAMES } from '../../server/src/engine/config-file';
import { detectByPath } from '../../server/src/engine/detect';
import { tempWorkspaces } from '../workspace';

const REPO = path.resolve(__dirname, '../../..');

interface ActionInput {
  default?: string;
}
interface ActionStep {
  id?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface ActionFile {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as ActionFile;

const { workspace, track } = tempWorkspaces('cpl-action-');

/** `${{ inputs.x }}`, `${{ github.action_path }}`, `${{ github.workspace }}` as the runner evaluates them. */
function evaluate(template: string, inputs: Record<string, string>, github: Record<string, string>): string {
  return template.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => {
    const m = /^(inputs|github)\.([\w-]+)$/.exec(expr);
    assert.ok(m, `the test does not know how to evaluate \${{ ${expr} }}`);
    const [, scope, name] = m;
    const value = scope === 'inputs' ? inputs[name] : github[name];
    assert.ok(value !== undefined, `unknown ${scope}.${name}`);
    return value;
  });
}

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

function runAction(root: string, given: Record<string, string>): ActionRun {
  for (const name of Object.keys(given)) assert.ok(name in action.inputs, `action.yml has no input '${name}'`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const github = { action_path: REPO, workspace: root };
  const outputFile = path.join(root, '..', `${path.basename(root)}.github-output`);
  writeFileSync(outputFile, '');
  track(outputFile);
  const base = { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_ACTION_PATH: REPO, GITHUB_WORKSPACE: root, GITHUB_OUTPUT: outputFile };
  delete (base as Record<string, string | undefined>).NO_COLOR;
  let stdout = '';
  let stderr = '';
  const stepOutputs: Record<string, Record<string, string>> = {};
  for (const step of action.runs.steps) {
    assert.equal(step.shell, 'bash');
    assert.ok(step.run, 'a composite step without run');
    const env: Record<string, string | undefined> = { ...base };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = evaluate(String(v), inputs, github);
    const script = path.join(root, '..', `${path.basename(root)}.step.sh`);
    track(script);
    writeFileSync(script, evaluate(step.run, inputs, github));
    const before = readFileSync(outputFile, 'utf8').length;
    const cwd = step['working-directory'] ? evaluate(step['working-directory'], inputs, github) : root;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8' });
    stdout += r.stdout;
    stderr += r.stderr;
    const written = readFileSync(outputFile, 'utf8').slice(before);
    if (step.id) stepOutputs[step.id] = Object.fromEntries(written.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    if (r.status !== 0) return { code: r.status, stdout, stderr, outputs: actionOutputs(stepOutputs) };
  }
  return { code: 0, stdout, stderr, outputs: actionOutputs(stepOutputs) };
}

function actionOutputs(steps: Record<string, Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.outputs)) {
    const m = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}$/.exec(spec.value);
    assert.ok(m, `output ${name}: ${spec.value}`);
    const value = steps[m[1]]?.[m[2]];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const PRIVILEGED = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n';
const HARDENED = 'services:\n  app:\n    image: nginx:1.27\n    user: "10001:10001"\n    read_only: true\n    cap_drop:\n      - ALL\n    security_opt:\n      - no-new-privileges:true\n';

describe('GitHub Action (action.yml)', () => {
  it('is a composite action with the inputs the issue lists', () => {
    assert.equal(action.runs.using, 'composite');
    for (const name of ['paths', 'profile', 'config', 'format', 'max-warnings', 'fail-on-findings']) assert.ok(name in action.inputs, name);
  });

  it('annotates by default and fails the step on an error finding', () => {
    const root = workspace({ 'deploy/compose.yaml': PRIVILEGED });
    const r = runAction(root, {});
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^::error file=deploy\/compose\.yaml,line=4,endLine=4,col=5,endColumn=20,title=no-privileged::/m);
    assert.deepEqual(r.outputs, { 'exit-code': '1' });
  });

  it('fail-on-findings: false reports and passes, keeping the exit code as an output', () => {
    const root = workspace({ 'compose.yaml': PRIVILEGED });
    const r = runAction(root, { 'fail-on-findings': 'false' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^::error /m);
    assert.equal(r.outputs['exit-code'], '1');
  });

  it('format sarif writes the file that upload-sarif takes, and names it as an output', () => {
    const root = workspace({ 'compose.yaml': PRIVILEGED });
    const r = runAction(root, { format: 'sarif', 'fail-on-findings': 'false' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.outputs['sarif-file'], 'container-privilege-lint.sarif');
    const log = JSON.parse(readFileSync(path.join(root, 'container-privilege-lint.sarif'), 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.some((x) => x.ruleId === 'no-privileged'));
  });

  it('paths: one per line, spaces kept; profile, config and max-warnings reach the CLI', () => {
    const root = workspace({
      'my app/pod.yaml': POD,
      'other/compose.yaml': PRIVILEGED,
      'ci.yaml': 'rules:\n  require-drop-all-capabilities: off\n  prefer-user-namespaces: off\n',
    });
    const findings = (r: ActionRun) => (JSON.parse(r.stdout) as { filePath: string; findings: { ruleId: string; severity: string }[] }[]).flatMap((f) => f.findings.map((x) => `${x.ruleId}:${x.severity}`)).sort();
    // baseline leaves two infos on this pod, and the config turns both off.
    const baseline = runAction(root, { paths: 'my app\n', config: 'ci.yaml', format: 'json', profile: 'baseline' });
    assert.equal(baseline.code, 0, baseline.stderr);
    assert.deepEqual((JSON.parse(baseline.stdout) as { filePath: string }[]).map((f) => path.relative(root, f.filePath)), [path.join('my app', 'pod.yaml')]);
    assert.deepEqual(findings(baseline), []);
    const withoutConfig = runAction(root, { paths: 'my app', format: 'json', profile: 'baseline' });
    assert.deepEqual(findings(withoutConfig), ['prefer-user-namespaces:info', 'require-drop-all-capabilities:info']);
    // restricted makes the missing seccomp profile an error.
    const restricted = runAction(root, { paths: 'my app', config: 'ci.yaml', format: 'json', profile: 'restricted' });
    assert.equal(restricted.code, 1, restricted.stderr);
    assert.ok(findings(restricted).includes('no-unconfined-seccomp:error'));
    // default: two warnings, so max-warnings 1 fails and 2 passes.
    assert.equal(runAction(root, { paths: 'my app', config: 'ci.yaml', 'max-warnings': '1' }).code, 1);
    assert.equal(runAction(root, { paths: 'my app', config: 'ci.yaml', 'max-warnings': '2' }).code, 0);
    const two = runAction(root, { paths: 'my app\nother', config: 'ci.yaml', format: 'json', 'fail-on-findings': 'false' });
    assert.equal((JSON.parse(two.stdout) as unknown[]).length, 2);
  });

  it('cache: a file the next run reuses, with the same annotations', () => {
    const root = workspace({ 'compose.yaml': PRIVILEGED.replace('privileged: true', 'user: root') });
    const first = runAction(root, { cache: '.cache/cpl/cache.json' });
    assert.ok(existsSync(path.join(root, '.cache/cpl/cache.json')), first.stderr);
    const second = runAction(root, { cache: '.cache/cpl/cache.json' });
    assert.equal(second.stdout, first.stdout);
    assert.match(second.stdout, /^::warning file=compose\.yaml,.*title=no-root-user::/m);
  });

  it('a usage error fails the step even with fail-on-findings: false', () => {
    const root = workspace({ 'compose.yaml': HARDENED });
    const r = runAction(root, { profile: 'strictest', 'fail-on-findings': 'false' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown profile 'strictest'/);
    assert.equal(r.outputs['exit-code'], '2');
  });

  it('inputs are data, never shell', () => {
    const root = workspace({ 'compose.yaml': HARDENED });
    const r = runAction(root, { paths: '$(touch pwned-paths)', profile: '`touch pwned-profile`', 'fail-on-findings': 'false' });
    assert.equal(r.code, 2);
    assert.ok(!existsSync(path.join(root, 'pwned-paths')) && !existsSync(path.join(root, 'pwned-profile')));
  });
});

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
}

describe('pre-commit hooks (.pre-commit-hooks.yaml)', () => {
  const hooks = parse(readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const byId = new Map(hooks.map((h) => [h.id, h]));

  it('has a check hook and a --fix hook on the installed bin', () => {
    assert.deepEqual([...byId.keys()], ['container-privilege-lint', 'container-privilege-lint-fix']);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    for (const h of hooks) {
      assert.equal(h.language, 'system');
      assert.ok(h.entry.split(' ')[0] in pkg.bin, h.entry);
    }
    assert.equal(byId.get('container-privilege-lint')?.entry, 'container-privilege-lint');
    assert.equal(byId.get('container-privilege-lint-fix')?.entry, 'container-privilege-lint --fix');
  });

  // Names in the shapes real repositories use, plus kinds the linter does not read: the hook must
  // pass a file exactly when the linter's own detection would look at it.
  const NAMES = [
    'Dockerfile', 'Containerfile', 'Dockerfile.dev', 'docker/Dockerfile.alpine', 'api.Dockerfile', 'web.dockerfile', 'Containerfile.fedora',
    'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.override.yaml', 'compose.prod.yaml', 'stack/app.compose.yml',
    'k8s/deployment.yaml', 'manifests/ha/install.yml', 'values.YAML', 'charts/app/templates/daemonset.yaml', '.github/workflows/ci.yml',
    '.devcontainer.json', '.devcontainer/devcontainer.json', '.devcontainer/python/devcontainer.json', 'sub/.devcontainer/devcontainer.json',
    'devcontainer.json', 'package.json', 'tsconfig.json', 'README.md', 'Dockerfile.md/readme.txt', 'mydockerfile', 'DockerfileHelper.java',
    'src/app.ts', 'Makefile', 'scripts/run.sh', 'app.container', 'notes.yaml.txt', '.devcontainer/a/b/devcontainer.json',
    'k8s/deploy.json', 'package-lock.json', '.vscode/settings.json', 'node_modules/x/deploy.json', '.gitlab-ci.yml', 'charts/a/Chart.yaml',
    'snap/snapcraft.yaml', '.github/dependabot.yml', '.github/workflows/nested/x.yml', 'GNUmakefile', 'build/rules.mk', 'tool.bash', 'deploy/app.kube', 'web.pod', 'img.build', '.hidden.container', 'notes.container.txt', 'action.yml', '.pre-commit-config.yaml', 'tsconfig.build.json', 'x/.container-privilege-lint.yml',
  ];

  for (const hook of hooks) {
    it(`${hook.id}: its files pattern passes exactly what the linter reads`, () => {
      const files = new RegExp(hook.files);
      const exclude = hook.exclude ? new RegExp(hook.exclude) : undefined;
      const wrong: string[] = [];
      for (const name of NAMES) {
        const passed = files.test(name) && !exclude?.test(name);
        // The folder walk also skips the linter's own config files (walk.ts).
        const read = detectByPath(`/repo/${name}`) !== undefined && !(CONFIG_FILE_NAMES as readonly string[]).includes(path.posix.basename(name));
        if (passed !== read) wrong.push(`${name}: hook ${passed ? 'passes' : 'skips'} it, linter ${read ? 'reads' : 'ignores'} it`);
      }
      assert.deepEqual(wrong, []);
      assert.ok(exclude?.test('.container-privilege-lint.yaml'), 'the config file is not a manifest');
    });
  }
});

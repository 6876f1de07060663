/**
 * Compose file sets (#11): each service is judged on the files `docker compose` merges; a value
 * is reported where it is written, a missing setting once, on the first file that declares the
 * service; fixes edit the linted file only. Files come through a fake file system.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyFixes, fileDependencies, lint } from '../../server/src/engine';
import type { Finding, LintOptions } from '../../server/src/engine';
import { composeFileFromEnv, findComposeSet } from '../../server/src/engine/project/compose-set';

const ROOT = path.resolve('/project');
const at = (...parts: string[]) => path.join(ROOT, ...parts);

function project(files: Record<string, string>): NonNullable<LintOptions['readFile']> {
  return (p) => (Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined);
}

/** Lints one file of the project: [ruleId, line (1-based), text at the span]. */
function findings(files: Record<string, string>, file: string, rules?: string[]): { list: [string, number, string][]; raw: Finding[] } {
  const text = files[file];
  const r = lint(text, { path: file, readFile: project(files) });
  const raw = r.findings.filter((f) => !rules || rules.includes(f.ruleId));
  const line = (o: number) => text.slice(0, o).split('\n').length;
  return { list: raw.map((f) => [f.ruleId, line(f.span.start), text.slice(f.span.start, f.span.end)]), raw };
}

const MISSING = ['require-no-new-privileges', 'require-drop-all-capabilities', 'no-privileged', 'no-root-user', 'no-runtime-socket'];
const HARDENED = 'services:\n  web:\n    image: nginx\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n';

describe('compose.yaml + compose.override.yaml', () => {
  it('the override alone gets no "missing" findings for what the base sets; its own privileged is reported there, with the base as related information', () => {
    const files = { [at('compose.yaml')]: HARDENED, [at('compose.override.yaml')]: 'services:\n  web:\n    ports: ["8080:80"]\n    privileged: true\n' };
    const { list, raw } = findings(files, at('compose.override.yaml'), MISSING);
    assert.deepEqual(list, [['no-privileged', 4, 'privileged: true']]);
    assert.deepEqual(raw[0].related?.map((r) => [r.path, r.range?.start.line, r.message]), [[at('compose.yaml'), 1, 'merged with compose.yaml:2 (service "web")']]);
    // The base does not report the override's privileged: it is reported where it is written.
    assert.deepEqual(findings(files, at('compose.yaml'), MISSING).list, []);
  });

  it('a setting neither file has is reported once, on the base that declares the service, and its fix edits the base', () => {
    const base = 'services:\n  web:\n    image: nginx\n';
    const files = { [at('compose.yaml')]: base, [at('docker-compose.override.yml')]: 'services:\n  web:\n    cap_drop: [ALL]\n' };
    const inBase = findings(files, at('compose.yaml'), MISSING);
    assert.deepEqual(inBase.list, [['require-no-new-privileges', 2, 'web']]);
    const fix = inBase.raw[0].fixes[0];
    assert.equal(applyFixes(base, inBase.raw, () => fix).text, 'services:\n  web:\n    image: nginx\n    security_opt:\n      - no-new-privileges:true\n');
    assert.deepEqual(findings(files, at('docker-compose.override.yml'), MISSING).list, []);
  });

  it('a service only the override declares is judged there', () => {
    const files = { [at('compose.yaml')]: HARDENED, [at('compose.override.yaml')]: 'services:\n  debug:\n    image: busybox\n' };
    assert.deepEqual(findings(files, at('compose.override.yaml'), MISSING).list, [['require-drop-all-capabilities', 2, 'debug'], ['require-no-new-privileges', 2, 'debug']]);
  });

  it('the override turning a base value off: the base value is not reported (judged on the merged result)', () => {
    const files = { [at('compose.yaml')]: 'services:\n  web:\n    image: nginx\n    privileged: true\n' + '    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n', [at('compose.override.yaml')]: 'services:\n  web:\n    privileged: false\n' };
    assert.deepEqual(findings(files, at('compose.yaml'), MISSING).list, []);
  });

  it('a file outside the default names is judged alone', () => {
    const files = { [at('compose.yaml')]: HARDENED, [at('compose.prod.yaml')]: 'services:\n  web:\n    image: nginx\n' };
    assert.deepEqual(findings(files, at('compose.prod.yaml'), MISSING).list, [['require-drop-all-capabilities', 2, 'web'], ['require-no-new-privileges', 2, 'web']]);
  });
});

describe('COMPOSE_FILE in .env', () => {
  it('is read with its separator, quotes and comments', () => {
    assert.deepEqual(composeFileFromEnv('# x\nCOMPOSE_FILE="compose.yaml:compose.prod.yaml"\n'), ['compose.yaml', 'compose.prod.yaml']);
    assert.deepEqual(composeFileFromEnv('COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=a.yml;b.yml # two\n'), ['a.yml', 'b.yml']);
    assert.equal(composeFileFromEnv('OTHER=1\n'), undefined);
  });
  it('makes its files one set', () => {
    const files = { [at('.env')]: 'COMPOSE_FILE=compose.yaml:compose.prod.yaml\n', [at('compose.yaml')]: 'services:\n  web:\n    image: nginx\n', [at('compose.prod.yaml')]: 'services:\n  web:\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n' };
    assert.deepEqual(findings(files, at('compose.yaml'), MISSING).list, []);
    assert.deepEqual(findings(files, at('compose.prod.yaml'), MISSING).list, []);
  });
});

describe('extends with file: and include:', () => {
  it('a service extending one in another file is judged with it; the other file\'s values are reported there', () => {
    const files = {
      [at('common.yaml')]: 'services:\n  base:\n    image: nginx\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n    cap_add: [SYS_ADMIN]\n',
      [at('app', 'compose.yaml')]: 'services:\n  web:\n    extends:\n      file: ../common.yaml\n      service: base\n    ports: ["80:80"]\n',
    };
    assert.deepEqual(findings(files, at('app', 'compose.yaml'), [...MISSING, 'no-risky-capabilities']).list, []);
    assert.deepEqual(findings(files, at('common.yaml'), ['no-risky-capabilities']).list.map(([id, line]) => [id, line]), [['no-risky-capabilities', 6]]);
  });
  it('an override of a service an included file declares gets no "missing" findings for it', () => {
    const files = {
      [at('compose.yaml')]: 'include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n',
      [at('db', 'compose.yaml')]: 'services:\n  db:\n    image: postgres\n',
      [at('compose.override.yaml')]: 'services:\n  db:\n    ports: ["5432:5432"]\n',
    };
    assert.deepEqual(findings(files, at('compose.override.yaml'), MISSING).list, []);
    assert.deepEqual(findBases(files), [at('db', 'compose.yaml'), at('compose.yaml'), at('compose.override.yaml')]);
  });
});

function findBases(files: Record<string, string>): string[] {
  return findComposeSet(at('compose.override.yaml'), files[at('compose.override.yaml')], project(files), new Set()).files;
}

describe('a Compose-based dev container', () => {
  const devcontainer = '{\n  "dockerComposeFile": ["../docker-compose.yml", "docker-compose.yml"],\n  "service": "app",\n  "workspaceFolder": "/workspace"\n}\n';
  const files = {
    [at('.devcontainer', 'devcontainer.json')]: devcontainer,
    [at('docker-compose.yml')]: 'services:\n  app:\n    image: node:20\n  db:\n    image: postgres\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n',
    [at('.devcontainer', 'docker-compose.yml')]: 'services:\n  app:\n    volumes:\n      - ..:/workspace:cached\n      - /var/run/docker.sock:/var/run/docker.sock\n    command: sleep infinity\n',
  };
  it('the dev container\'s layer reports what it writes (the socket), not what the project\'s file lacks', () => {
    const { list, raw } = findings(files, at('.devcontainer', 'docker-compose.yml'), MISSING);
    assert.deepEqual(list, [['no-runtime-socket', 5, '/var/run/docker.sock:/var/run/docker.sock']]);
    assert.match(raw[0].message, /^Service "app" \(the dev container of devcontainer\.json\)/);
  });
  it('what the service lacks is reported once, in the project\'s file that declares it, naming the dev container', () => {
    const { list, raw } = findings(files, at('docker-compose.yml'), MISSING);
    assert.deepEqual(list, [['require-drop-all-capabilities', 2, 'app'], ['require-no-new-privileges', 2, 'app']]);
    assert.match(raw[0].message, /service "app" \(the dev container of \.devcontainer\/devcontainer\.json\)/i);
  });
  it('devcontainer.json itself gets none of them', () => {
    assert.deepEqual(findings(files, at('.devcontainer', 'devcontainer.json'), MISSING).list, []);
  });
});

describe('fileDependencies', () => {
  it('lists every file of the set that was looked at, found or not, but not the file itself', () => {
    const files = { [at('compose.yaml')]: HARDENED, [at('compose.override.yaml')]: 'services:\n  web:\n    build: ./web\n' };
    const deps = fileDependencies(files[at('compose.override.yaml')], { path: at('compose.override.yaml'), readFile: project(files) });
    for (const p of [at('.env'), at('compose.yaml'), at('.devcontainer', 'devcontainer.json'), at('web', 'Dockerfile'), at('web', 'Containerfile')]) assert.ok(deps.includes(p), p);
    assert.ok(!deps.includes(at('compose.override.yaml')));
    assert.deepEqual(fileDependencies(HARDENED, { path: at('compose.yaml') }), []);
  });
});

/**
 * A Compose service with `build:` is checked against the Dockerfile it builds, read through
 * the caller's readFile (here a fake file system): no-root-user fires on `build:` when the
 * final stage runs as root and the service sets no non-root user, with the Dockerfile's
 * place as related information.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fixAll, lint } from '../../server/src/engine';
import type { LintOptions } from '../../server/src/engine';
import { dockerfileCandidates } from '../../server/src/engine/cross-file';

const ROOT = path.resolve('/project');
const COMPOSE = path.join(ROOT, 'compose.yaml');
const at = (...parts: string[]) => path.join(ROOT, ...parts);

function fs(files: Record<string, string>): { readFile: NonNullable<LintOptions['readFile']>; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile: (p) => {
      reads.push(p);
      return Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined;
    },
  };
}

function rootFindings(text: string, files: Record<string, string>, extra: Partial<LintOptions> = {}) {
  const { readFile } = fs(files);
  return lint(text, { path: COMPOSE, readFile, ...extra }).findings.filter((f) => f.ruleId === 'no-root-user');
}

const BUILD_DOT = 'services:\n  web:\n    build: .\n    ports: ["8080:80"]\n';

describe('cross-file: Compose build: → Dockerfile', () => {
  it('a final stage without USER: reported on build:, with the FROM as related information', () => {
    const dockerfile = 'FROM golang AS build\nUSER builder\nRUN go build\nFROM debian:bookworm-slim\nCMD ["/app"]\n';
    const findings = rootFindings(BUILD_DOT, { [at('Dockerfile')]: dockerfile });
    assert.equal(findings.length, 1);
    const f = findings[0];
    assert.equal(f.severity, 'warning');
    // The Dockerfile is named relative to the compose file: no absolute path of this machine.
    assert.equal(f.message, 'Service "web" runs as root: its image from Dockerfile sets no USER');
    assert.equal(
      f.detail,
      "It sets no user:, and the image it builds from Dockerfile sets no USER in its final stage (so the base image's user applies, usually root). So a container escape or a runtime bug such as runc CVE-2019-5736 lands as root on the host. Set a non-root user the image can run as.",
    );
    assert.equal(BUILD_DOT.slice(f.span.start, f.span.end), 'build: .');
    assert.deepEqual(f.related, [{ span: { start: 47, end: 72 }, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 25 } }, path: at('Dockerfile'), message: 'the final stage, with no USER' }]);
    assert.deepEqual(f.fixes.map((x) => x.title), ['Set user: "10001:10001"']);
  });

  it('USER root through build.context and build.dockerfile: the USER line is the related place', () => {
    const text = 'services:\n  api:\n    build:\n      context: ./api\n      dockerfile: docker/Dockerfile.prod\n';
    const findings = rootFindings(text, { [at('api', 'docker', 'Dockerfile.prod')]: 'FROM node:20\nWORKDIR /app\nUSER root\nCMD ["node", "."]\n' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].message, 'Service "api" runs as root: its image from api/docker/Dockerfile.prod sets USER root');
    assert.match(findings[0].detail ?? '', /runs as root \(USER root\)\./);
    assert.equal(findings[0].related?.[0]?.path, at('api', 'docker', 'Dockerfile.prod'));
    assert.deepEqual(findings[0].related?.[0]?.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } });
    assert.equal(text.slice(findings[0].span.start, findings[0].span.end), 'build:\n      context: ./api\n      dockerfile: docker/Dockerfile.prod');
  });

  it('a non-root USER in the Dockerfile, or a non-root user: on the service: nothing', () => {
    assert.deepEqual(rootFindings(BUILD_DOT, { [at('Dockerfile')]: 'FROM alpine\nUSER 10001\n' }), []);
    assert.deepEqual(rootFindings('services:\n  web:\n    build: .\n    user: "1000"\n', { [at('Dockerfile')]: 'FROM alpine\n' }), []);
  });

  it('a USER from an ARG without default is unknown: nothing', () => {
    assert.deepEqual(rootFindings(BUILD_DOT, { [at('Dockerfile')]: 'FROM alpine\nARG UID\nUSER ${UID}\n' }), []);
  });

  it('a service user: root is reported once, on user:, not again on build:', () => {
    const text = 'services:\n  web:\n    build: .\n    user: root\n';
    const findings = rootFindings(text, { [at('Dockerfile')]: 'FROM alpine\n' });
    assert.equal(findings.length, 1);
    assert.equal(text.slice(findings[0].span.start, findings[0].span.end), 'user: root');
  });

  it('falls back to Containerfile when no dockerfile is named and there is no Dockerfile', () => {
    const findings = rootFindings(BUILD_DOT, { [at('Containerfile')]: 'FROM alpine\nUSER 0\n' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].related?.[0]?.path, at('Containerfile'));
  });

  it('nothing is read without readFile, and nothing is reported when the Dockerfile cannot be read', () => {
    assert.deepEqual(lint(BUILD_DOT, { path: COMPOSE }).findings.filter((f) => f.ruleId === 'no-root-user'), []);
    assert.deepEqual(rootFindings(BUILD_DOT, {}), []);
  });

  it('a Dockerfile larger than maxFileSize is not used', () => {
    const big = `FROM alpine\n${'# padding\n'.repeat(100)}`;
    assert.deepEqual(rootFindings(BUILD_DOT, { [at('Dockerfile')]: big }, { config: { maxFileSize: 500 } }).length, 0);
  });

  it('a target other than the last stage is not judged (we only know the last stage\'s user)', () => {
    const dockerfile = 'FROM alpine AS dev\nFROM alpine AS prod\nUSER 10001\n';
    const text = (target: string) => `services:\n  web:\n    build:\n      context: .\n      target: ${target}\n`;
    assert.deepEqual(rootFindings(text('dev'), { [at('Dockerfile')]: dockerfile }), []);
    const rootLast = 'FROM alpine AS dev\nUSER 1000\nFROM alpine AS prod\n';
    assert.equal(rootFindings(text('prod'), { [at('Dockerfile')]: rootLast }).length, 1);
    assert.equal(rootFindings(text('dev'), { [at('Dockerfile')]: rootLast }).length, 0);
  });

  it('each Dockerfile is read once per lint, and the result lists what was read for editors to watch', () => {
    const { readFile, reads } = fs({ [at('Dockerfile')]: 'FROM alpine\n' });
    const text = 'services:\n  a:\n    build: .\n  b:\n    build: .\n  c:\n    build: ./other\n';
    const result = lint(text, { path: COMPOSE, readFile });
    assert.equal(result.findings.filter((f) => f.ruleId === 'no-root-user').length, 2);
    // (The Compose file set is looked up too: .env, the default file names, dev containers.)
    const dockerfiles = (list: readonly string[]) => list.filter((p) => /(Docker|Container)file$/.test(p));
    assert.deepEqual(dockerfiles(reads), [at('Dockerfile'), at('other', 'Dockerfile'), at('other', 'Containerfile')]);
    assert.deepEqual(dockerfiles(result.dependencies ?? []), [at('Dockerfile'), at('other', 'Dockerfile'), at('other', 'Containerfile')]);
  });

  it('a Dockerfile without USER built FROM a known non-root image is not root (#11)', () => {
    assert.deepEqual(rootFindings(BUILD_DOT, { [at('Dockerfile')]: 'FROM golang AS build\nRUN go build\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n' }), []);
  });

  it('remote contexts, unresolved variables and untitled buffers read nothing', () => {
    assert.deepEqual(dockerfileCandidates(COMPOSE, { context: 'https://github.com/docker/rootfs.git#main' }), []);
    assert.deepEqual(dockerfileCandidates(COMPOSE, { context: 'git@github.com:me/repo.git' }), []);
    assert.deepEqual(dockerfileCandidates(COMPOSE, { context: '${APP_DIR}' }), []);
    assert.deepEqual(dockerfileCandidates(COMPOSE, { context: '.', dockerfile: 'Dockerfile.${ENV}' }), []);
    assert.deepEqual(dockerfileCandidates('untitled:Untitled-1', { context: '.' }), []);
    assert.deepEqual(dockerfileCandidates(COMPOSE, { context: '.', dockerfile: at('elsewhere', 'Dockerfile') }), [at('elsewhere', 'Dockerfile')]);
  });

  it('the fix sets user: on the service, and --fix converges', () => {
    const { readFile } = fs({ [at('Dockerfile')]: 'FROM alpine\n' });
    // Changing the user of an image the engine does not know is a suggestion: only with unsafe fixes.
    const options = { path: COMPOSE, readFile, config: { rules: { 'require-no-new-privileges': 'off' as const, 'require-drop-all-capabilities': 'off' as const } } };
    assert.equal(fixAll(BUILD_DOT, options).text, BUILD_DOT);
    const fixed = fixAll(BUILD_DOT, options, { unsafe: true });
    assert.equal(fixed.text, 'services:\n  web:\n    build: .\n    ports: ["8080:80"]\n    user: "10001:10001"\n');
    assert.deepEqual(rootFindings(fixed.text, { [at('Dockerfile')]: 'FROM alpine\n' }), []);
  });

  it('under the restricted profile it names the profile (a Compose file has no PSS controls); a non-root Dockerfile satisfies it', () => {
    const findings = rootFindings(BUILD_DOT, { [at('Dockerfile')]: 'FROM alpine\n' }, { config: { profile: 'restricted' } });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].message, 'Service "web" runs as root: its image from Dockerfile sets no USER (restricted profile)');
    assert.deepEqual(rootFindings(BUILD_DOT, { [at('Dockerfile')]: 'FROM alpine\nUSER app\n' }, { config: { profile: 'restricted' } }), []);
  });

  it('the tier uses the Dockerfile\'s user', () => {
    const { readFile } = fs({ [at('Dockerfile')]: 'FROM alpine\nUSER app\n' });
    const tiers = lint(BUILD_DOT, { path: COMPOSE, readFile }).tiers ?? [];
    assert.equal(tiers[0]?.tier, 4);
    assert.equal(tiers[0]?.user, 'non-root');
  });
});

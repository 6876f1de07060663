/**
 * A Dockerfile built FROM an image its own Compose project builds (#11): no-root-user follows the
 * final USER of the Dockerfile that builds that image, from the Dockerfile itself and from a
 * Compose build: of it. Files come through a fake file system.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ProjectMemo, lint } from '../../server/src/engine';
import { normalizeImageRef } from '../../server/src/engine/cross-file';

const ROOT = path.resolve('/project');
const at = (...parts: string[]) => path.join(ROOT, ...parts);

const COMPOSE = 'services:\n  base:\n    build: ./base\n    image: myapp-base\n  app:\n    build: ./app\n    image: myapp\n    security_opt: [no-new-privileges:true]\n    cap_drop: [ALL]\n';
const APP = 'FROM myapp-base\nRUN make\n';

/** no-root-user findings of one file: [line, text at the span, message]; and what the lint read. */
function rootUser(files: Record<string, string>, file: string, maxFileSize?: number): { list: [number, string, string][]; deps: string[]; reads: string[] } {
  const reads: string[] = [];
  const text = files[file];
  const r = lint(text, {
    path: file,
    config: maxFileSize ? { maxFileSize } : undefined,
    readFile: (p) => {
      reads.push(p);
      return Object.prototype.hasOwnProperty.call(files, p) ? files[p] : undefined;
    },
  });
  const line = (o: number) => text.slice(0, o).split('\n').length;
  const list = r.findings.filter((f) => f.ruleId === 'no-root-user').map((f): [number, string, string] => [line(f.span.start), text.slice(f.span.start, f.span.end), f.message]);
  return { list, deps: r.dependencies ?? [], reads };
}

const UNSET: [number, string, string] = [1, 'FROM myapp-base', 'The final stage sets no USER: the image runs as root unless its base image sets a user'];

describe('FROM an image the Compose project builds', () => {
  it('follows the final USER of the Dockerfile that builds it: a non-root base means no finding', () => {
    const files = { [at('compose.yaml')]: COMPOSE, [at('base', 'Dockerfile')]: 'FROM debian:bookworm\nRUN useradd app\nUSER app\n', [at('app', 'Dockerfile')]: APP };
    const r = rootUser(files, at('app', 'Dockerfile'));
    assert.deepEqual(r.list, []);
    assert.ok(r.deps.includes(at('base', 'Dockerfile')));
    assert.ok(r.deps.includes(at('compose.yaml')));
  });

  it('a base that runs as root, or sets no USER, still leaves the finding on FROM', () => {
    const root = { [at('compose.yaml')]: COMPOSE, [at('base', 'Dockerfile')]: 'FROM debian:bookworm\nUSER root\n', [at('app', 'Dockerfile')]: APP };
    assert.deepEqual(rootUser(root, at('app', 'Dockerfile')).list, [UNSET]);
    const unset = { ...root, [at('base', 'Dockerfile')]: 'FROM debian:bookworm\n' };
    assert.deepEqual(rootUser(unset, at('app', 'Dockerfile')).list, [UNSET]);
  });

  it('without a Compose project that builds the image, the base is unknown (the finding stays)', () => {
    const files = { [at('compose.yaml')]: COMPOSE.replace('image: myapp-base', 'image: other-base'), [at('base', 'Dockerfile')]: 'FROM debian\nUSER 1000\n', [at('app', 'Dockerfile')]: APP };
    assert.deepEqual(rootUser(files, at('app', 'Dockerfile')).list, [UNSET]);
  });

  it('through an earlier stage, and a chain of two local images, with the tag and docker.io spelling normalised', () => {
    const compose = 'services:\n  base:\n    build: {context: base, dockerfile: Base.dockerfile}\n    image: docker.io/library/myapp-base:latest\n  mid:\n    build: ./mid\n    image: myapp-mid:1\n';
    const files = {
      [at('compose.yaml')]: compose,
      [at('base', 'Base.dockerfile')]: 'FROM alpine\nUSER 65534\n',
      [at('mid', 'Dockerfile')]: 'FROM myapp-base\nRUN apk add curl\n',
      [at('app', 'Dockerfile')]: 'FROM myapp-mid:1 AS deps\nRUN make\nFROM deps\nCMD ["app"]\n',
    };
    assert.deepEqual(rootUser(files, at('app', 'Dockerfile')).list, []);
  });

  it('a cycle of local images ends (the finding stays)', () => {
    const compose = 'services:\n  a:\n    build: ./a\n    image: img-a\n  b:\n    build: ./b\n    image: img-b\n';
    const files = { [at('compose.yaml')]: compose, [at('a', 'Dockerfile')]: 'FROM img-b\n', [at('b', 'Dockerfile')]: 'FROM img-a\n' };
    const r = rootUser(files, at('a', 'Dockerfile'));
    assert.deepEqual(r.list, [[1, 'FROM img-b', UNSET[2]]]);
    assert.equal(r.reads.filter((p) => p === at('b', 'Dockerfile')).length, 1);
  });

  it('a base Dockerfile larger than maxFileSize is not read', () => {
    const big = `FROM debian\n${'# filler\n'.repeat(200)}USER 1000\n`;
    const files = { [at('compose.yaml')]: COMPOSE, [at('base', 'Dockerfile')]: big, [at('app', 'Dockerfile')]: APP };
    assert.deepEqual(rootUser(files, at('app', 'Dockerfile'), 1000).list, [UNSET]);
  });

  it('a Compose build: of such a Dockerfile is judged on the local base\'s user too', () => {
    const files = { [at('compose.yaml')]: COMPOSE, [at('base', 'Dockerfile')]: 'FROM debian\nUSER 1000\n', [at('app', 'Dockerfile')]: APP };
    assert.deepEqual(rootUser(files, at('compose.yaml')).list, []);
    const root = { ...files, [at('base', 'Dockerfile')]: 'FROM debian\n' };
    assert.deepEqual(rootUser(root, at('compose.yaml')).list, [
      [3, 'build: ./base', 'Service "base" runs as root: its image from base/Dockerfile sets no USER'],
      [6, 'build: ./app', 'Service "app" runs as root: its image from app/Dockerfile sets no USER'],
    ]);
  });

  it('a Compose file that does not mention the base image\'s name is not parsed', () => {
    const files: Record<string, string> = { [at('compose.yaml')]: COMPOSE, [at('app', 'Dockerfile')]: 'FROM python:3.12\n' };
    const memo = new ProjectMemo();
    lint(files[at('app', 'Dockerfile')], { path: at('app', 'Dockerfile'), readFile: (p) => files[p], projectMemo: memo });
    assert.deepEqual([...memo.misses], []);
    lint(APP, { path: at('app', 'Dockerfile'), readFile: (p) => files[p], projectMemo: memo });
    assert.deepEqual([...memo.misses], [['compose', 1]]);
  });

  it('normalizeImageRef: docker.io/library and :latest are implied', () => {
    assert.equal(normalizeImageRef('docker.io/library/Redis'), 'redis:latest');
    assert.equal(normalizeImageRef('localhost:5000/app'), 'localhost:5000/app:latest');
    assert.equal(normalizeImageRef('app@sha256:abc'), 'app@sha256:abc');
  });
});

/**
 * Dev container Features (#11): what a Feature's metadata adds is reported on the Feature's key.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { knownFeature } from '../../server/src/engine/knowledge/features';

const DEV = path.resolve('/project/.devcontainer/devcontainer.json');
const ids = (text: string, readFile?: (p: string) => string | undefined) =>
  lint(text, { path: DEV, readFile, config: { rules: { 'no-root-user': 'off', 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off' } } }).findings.map((f) => [f.ruleId, text.slice(f.span.start, f.span.end), f.fixes.length]);

describe('dev container Features', () => {
  it('docker-in-docker is privileged, on its key, with no fix through the Feature', () => {
    const text = '{\n  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",\n  "features": {\n    "ghcr.io/devcontainers/features/docker-in-docker:2": {}\n  }\n}\n';
    assert.deepEqual(ids(text), [['no-privileged', '"ghcr.io/devcontainers/features/docker-in-docker:2": {}', 0]]);
  });
  it('docker-outside-of-docker (and its legacy id) mounts the host Docker socket', () => {
    for (const key of ['ghcr.io/devcontainers/features/docker-outside-of-docker:1', 'ghcr.io/devcontainers/features/docker-from-docker:1']) {
      const text = `{\n  "image": "x",\n  "features": {\n    "${key}": {"version": "latest"}\n  }\n}\n`;
      assert.deepEqual(ids(text).map(([id]) => id), ['no-runtime-socket'], key);
    }
  });
  it('go and rust add SYS_PTRACE and seccomp=unconfined', () => {
    const text = '{\n  "image": "x",\n  "features": {\n    "ghcr.io/devcontainers/features/go:1": {},\n    "ghcr.io/devcontainers/features/node:1": {}\n  }\n}\n';
    assert.deepEqual(ids(text).map(([id, at]) => [id, at]), [['no-risky-capabilities', '"ghcr.io/devcontainers/features/go:1": {}'], ['no-unconfined-seccomp', '"ghcr.io/devcontainers/features/go:1": {}']]);
  });
  it('a Feature of the same id from another publisher is not assumed to be the known one', () => {
    assert.equal(knownFeature('ghcr.io/someone/features/docker-in-docker:1'), undefined);
    assert.equal(knownFeature('ghcr.io/devcontainers/features/docker-in-docker')?.id, 'docker-in-docker');
  });
  it('a local Feature is read from its devcontainer-feature.json', () => {
    const text = '{\n  "image": "x",\n  "features": {\n    "./tools": {}\n  }\n}\n';
    const meta = path.resolve('/project/.devcontainer/tools/devcontainer-feature.json');
    const reads: string[] = [];
    const readFile = (p: string) => {
      reads.push(p);
      return p === meta ? '{ "id": "tools", "privileged": true, "capAdd": ["NET_ADMIN"] }' : undefined;
    };
    assert.deepEqual(ids(text, readFile).map(([id, at]) => [id, at]), [['no-privileged', '"./tools": {}'], ['no-risky-capabilities', '"./tools": {}']]);
    assert.ok(reads.includes(meta));
    assert.ok(lint(text, { path: DEV, readFile }).dependencies?.includes(meta));
  });
});

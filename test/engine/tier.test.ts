/**
 * The defence-in-depth tier: every rung of the six-tier ladder from what the file says,
 * with the unknowns stated (the image's user, a Docker daemon's mode).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { DOCKER_DAEMON_NOTE } from '../../server/src/engine/tier';
import type { TierAssessment } from '../../server/src/engine/tier';

function tiers(text: string, path: string): TierAssessment[] {
  return lint(text, { path }).tiers ?? [];
}

function only(text: string, path: string): TierAssessment {
  const all = tiers(text, path);
  assert.equal(all.length, 1, JSON.stringify(all.map((t) => t.summary)));
  return all[0];
}

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;

describe('tier: the six rungs', () => {
  it('1: privileged, root inside', () => {
    const t = only('services:\n  web:\n    image: nginx\n    privileged: true\n    user: root\n', 'compose.yml');
    assert.equal(t.tier, 1);
    assert.equal(t.summary, 'Tier 1 of 6: privileged, rootful (assumed), root inside — dropping privileged reaches tier 3, and a non-root user tier 4');
    assert.equal(t.lens, 'Tier 1 of 6 · privileged');
    assert.ok(t.lens.length <= 45, 'the code lens reads unclipped');
    assert.ok(t.notes.includes('privileged (privileged: true): every other guard is off'));
  });

  it('2: privileged, non-root inside', () => {
    const t = only('services:\n  web:\n    image: nginx\n    privileged: true\n    user: "1000"\n', 'compose.yml');
    assert.equal(t.tier, 2);
    assert.equal(t.summary, 'Tier 2 of 6: privileged, rootful (assumed), non-root inside — dropping privileged reaches tier 4');
    assert.equal(t.lens, 'Tier 2 of 6 · privileged, non-root');
    assert.ok(t.lens.length <= 45, 'the code lens reads unclipped');
  });

  it('3: rootful, root inside (Kubernetes runAsUser: 0)', () => {
    const t = only(pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 0\n'), 'pod.yaml');
    assert.equal(t.tier, 3);
    assert.equal(t.summary, 'Tier 3 of 6: rootful, root inside — a non-root user reaches tier 4');
    assert.equal(t.lens, 'Tier 3 of 6 · root inside');
    assert.ok(t.lens.length <= 45, 'the code lens reads unclipped');
    assert.equal(t.userNamespace, 'host');
    assert.ok(t.notes.includes("rootful: without hostUsers: false the pod shares the host's user namespace"));
  });

  it('4: rootful, non-root inside', () => {
    const t = only(pod('  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n'), 'pod.yaml');
    assert.equal(t.tier, 4);
    assert.equal(t.summary, 'Tier 4 of 6: rootful, non-root inside — hostUsers: false reaches tier 6');
    assert.equal(t.lens, 'Tier 4 of 6 · non-root');
    assert.ok(t.lens.length <= 45, 'the code lens reads unclipped');
  });

  it('5: own user namespace, root inside', () => {
    const t = only(pod('  hostUsers: false\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsUser: 0\n'), 'pod.yaml');
    assert.equal(t.tier, 5);
    assert.equal(t.summary, 'Tier 5 of 6: own user namespace, root inside — a non-root user reaches tier 6');
    assert.equal(t.lens, 'Tier 5 of 6 · own user namespace');
    assert.ok(t.lens.length <= 45, 'the code lens reads unclipped');
    assert.ok(t.notes.includes('own user namespace: hostUsers: false, so uid 0 inside is an unprivileged uid on the host'));
  });

  it('6: own user namespace, non-root inside', () => {
    const t = only(pod('  hostUsers: false\n  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: app\n      image: nginx\n'), 'pod.yaml');
    assert.equal(t.tier, 6);
    assert.equal(t.summary, 'Tier 6 of 6: own user namespace, non-root inside — the top tier');
    assert.equal(t.lens, 'Tier 6 of 6 · own user namespace, non-root');
    assert.ok(t.lens.length <= 45, 'the code lens reads unclipped');
  });
});

describe('tier: what the file cannot say', () => {
  it('no user set: root unless the image sets a user, counted as root', () => {
    const t = only('services:\n  web:\n    image: nginx\n', 'compose.yml');
    assert.equal(t.tier, 3);
    assert.equal(t.user, 'image-default');
    assert.equal(t.summary, 'Tier 3 of 6: rootful (assumed), root inside unless the image sets a user — a non-root user reaches tier 4');
    assert.ok(t.notes.some((n) => n.startsWith('root unless the image sets a user')));
  });

  it('Docker formats: the daemon\'s mode is stated as unknown, assumed rootful', () => {
    for (const [text, path] of [
      ['services:\n  web:\n    image: nginx\n', 'compose.yml'],
      ['{ "image": "x", "containerUser": "vscode" }', '.devcontainer/devcontainer.json'],
      ['FROM alpine\nUSER app\n', 'Dockerfile'],
    ]) {
      const t = only(text, path);
      assert.equal(t.userNamespace, 'assumed-host', path);
      assert.ok(t.notes.includes(DOCKER_DAEMON_NOTE), path);
    }
    assert.equal(DOCKER_DAEMON_NOTE, "the daemon's mode (rootless or userns-remap) is not visible in this file; assuming rootful");
  });

  it('a user from a variable: unknown, counted as root; userns_mode: host is known rootful', () => {
    const t = only('services:\n  web:\n    image: nginx\n    user: ${UID}\n    userns_mode: host\n', 'compose.yml');
    assert.equal(t.user, 'unknown');
    assert.equal(t.userNamespace, 'host');
    assert.equal(t.tier, 3);
    assert.equal(t.summary, 'Tier 3 of 6: rootful, user unknown, counted as root — a non-root user reaches tier 4');
  });

  it('Compose runtime: sysbox-runc always uses a user namespace', () => {
    const t = only('services:\n  web:\n    image: nginx\n    runtime: sysbox-runc\n    user: "1000"\n', 'compose.yml');
    assert.equal(t.tier, 6);
  });

  it('a Dockerfile build step with --security=insecure does not make the running container privileged', () => {
    const t = only('FROM alpine\nRUN --security=insecure make\nUSER 10001\n', 'Dockerfile');
    assert.equal(t.privileged, false);
    assert.equal(t.tier, 4);
    assert.ok(t.notes.some((n) => n.startsWith('RUN --security=insecure is privileged at build time only')));
  });

  it('privileged decides first, even in a pod with its own user namespace', () => {
    const t = only(pod('  hostUsers: false\n  containers:\n    - name: app\n      securityContext:\n        privileged: true\n        runAsUser: 1000\n'), 'pod.yaml');
    assert.equal(t.tier, 2);
  });
});

describe('tier: one per container, at its anchor', () => {
  it('every container of every workload, init containers included', () => {
    const text = pod('  initContainers:\n    - name: init\n      image: busybox\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        runAsNonRoot: true\n');
    const all = tiers(text, 'pod.yaml');
    assert.deepEqual(all.map((t) => [t.workload, t.container, t.tier]), [['Pod/p', 'init', 3], ['Pod/p', 'app', 4]]);
    assert.deepEqual(all.map((t) => text.slice(t.anchor.start, t.anchor.end)), ['name: init', 'name: app']);
  });

  it('compose: the service key', () => {
    const text = 'services:\n  web:\n    image: nginx\n  db:\n    image: postgres\n    user: postgres\n';
    const all = tiers(text, 'compose.yml');
    assert.deepEqual(all.map((t) => [text.slice(t.anchor.start, t.anchor.end), t.tier]), [['web', 3], ['db', 4]]);
  });

  it('files that are not analysed have no tiers', () => {
    assert.deepEqual(lint('not: a workload\n', { path: 'x.yaml' }).tiers ?? [], []);
  });
});

/**
 * The fix policy (#10): the README prints FIX_POLICY, and decideFix keeps to it. Every row that
 * says "never" gives a suggestion in every scenario; every conditional row gives a safe fix
 * exactly where its condition holds.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import type { Finding, Fix } from '../../server/src/engine';
import { FIX_POLICY, renderFixPolicyTable } from '../../server/src/engine/fix-policy';
import { IMAGE_USERS, imageUser, knownNonRootUid } from '../../server/src/engine/knowledge/image-users';

const ROOT = path.join(__dirname, '..', '..', '..');

function fixes(text: string, file: string, profile: 'default' | 'restricted' = 'default'): { finding: Finding; fix: Fix }[] {
  return lint(text, { path: file, config: { profile } }).findings.flatMap((finding) => finding.fixes.map((fix) => ({ finding, fix })));
}

function kindsOf(text: string, file: string, intent: string, profile: 'default' | 'restricted' = 'default'): string[] {
  return fixes(text, file, profile).filter((x) => x.fix.intent === intent).map((x) => x.fix.kind);
}

const compose = (service: string) => `services:\n  app:\n${service}`;
const pod = (container: string, spec = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}  containers:\n    - name: app\n${container}`;
const DEV = '.devcontainer/devcontainer.json';

/** Scenarios per intent: [name, text, file, expected kind of that intent's fixes, profile]. */
const SCENARIOS: [string, string, string, string, 'safe' | 'suggestion', ('default' | 'restricted')?][] = [
  ['enable-no-new-privileges', 'plain nginx service', compose('    image: nginx:1.27\n'), 'compose.yml', 'safe'],
  ['enable-no-new-privileges', 'a command that runs sudo', compose('    image: myorg/tool:1\n    command: sh -c "sudo -u app ./run"\n'), 'compose.yml', 'suggestion'],
  ['enable-no-new-privileges', 'a dev container whose remoteUser is vscode', '{\n  "image": "myorg/dev:1",\n  "remoteUser": "vscode"\n}\n', DEV, 'suggestion'],
  ['enable-no-new-privileges', 'a Compose-based dev container (.devcontainer/docker-compose.yml)', compose('    build: .\n    volumes:\n      - ..:/workspaces:cached\n'), '.devcontainer/docker-compose.yml', 'suggestion'],
  ['enable-no-new-privileges', 'a service kept alive with sleep infinity', compose('    image: myorg/dev:1\n    command: sleep infinity\n'), 'compose.yml', 'suggestion'],
  ['enable-no-new-privileges', 'a dev container image whose user relies on sudo', '{\n  "image": "mcr.microsoft.com/devcontainers/base:ubuntu"\n}\n', DEV, 'suggestion'],
  ['enable-no-new-privileges', 'turned off explicitly', compose('    image: nginx\n    security_opt:\n      - no-new-privileges:false\n'), 'compose.yml', 'suggestion'],
  ['enable-no-new-privileges', 'Kubernetes with SYS_ADMIN (the API would reject it)', pod('      image: x\n      securityContext:\n        capabilities:\n          add: [SYS_ADMIN]\n'), 'pod.yaml', 'suggestion'],
  ['enable-no-new-privileges', 'Kubernetes plain container', pod('      image: x\n'), 'pod.yaml', 'safe'],
  ['set-confinement', 'Kubernetes restricted, nothing written', pod('      image: x\n'), 'pod.yaml', 'safe', 'restricted'],
  ['set-confinement', 'seccomp=unconfined written (an opt-out)', compose('    image: x\n    security_opt:\n      - seccomp=unconfined\n'), 'compose.yml', 'suggestion'],
  ['set-confinement', 'Kubernetes Unconfined written', pod('      image: x\n      securityContext:\n        seccompProfile:\n          type: Unconfined\n'), 'pod.yaml', 'suggestion'],
  ['set-non-root-user', 'image user known (node exporter runs as nobody)', pod('      image: quay.io/prometheus/node-exporter:v1.8.2\n'), 'pod.yaml', 'safe'],
  ['set-non-root-user', 'nginx runs as root and binds port 80', pod('      image: nginx:1.27\n'), 'pod.yaml', 'suggestion'],
  ['set-non-root-user', 'unknown image', pod('      image: myorg/api:3\n'), 'pod.yaml', 'suggestion'],
  ['set-non-root-user', 'Dockerfile on an unknown base', 'FROM debian:bookworm\nRUN apt-get update\n', 'Dockerfile', 'suggestion'],
  ['replace-privileged', 'confident image row (gluetun)', compose('    image: qmcgaw/gluetun:v3\n    privileged: true\n'), 'compose.yml', 'safe'],
  ['replace-privileged', 'weak hint (/lib/modules mount)', compose('    image: myorg/fw:1\n    volumes:\n      - /lib/modules:/lib/modules:ro\n    privileged: true\n'), 'compose.yml', 'suggestion'],
  ['remove-privileged', 'unknown image', compose('    image: myorg/fw:1\n    privileged: true\n'), 'compose.yml', 'suggestion'],
  ['remove-privileged', 'Docker-in-Docker', compose('    image: docker:27-dind\n    privileged: true\n'), 'compose.yml', 'suggestion'],
  ['least-privilege', 'unknown image', compose('    image: myorg/fw:1\n    privileged: true\n'), 'compose.yml', 'suggestion'],
  ['remove-setting', 'host network on an unknown image', compose('    image: myorg/fw:1\n    network_mode: host\n'), 'compose.yml', 'suggestion'],
  ['remove-setting', 'label=disable on a socket agent', compose('    image: myorg/agent:1\n    security_opt:\n      - label=disable\n'), 'compose.yml', 'suggestion'],
  ['remove-setting', 'runAsUser: 0 at pod level', pod('      image: x\n', '  securityContext:\n    runAsUser: 0\n'), 'pod.yaml', 'suggestion', 'restricted'],
  ['remove-capability', 'SYS_ADMIN added', compose('    image: x\n    cap_add: [SYS_ADMIN]\n'), 'compose.yml', 'suggestion'],
  ['add-drop-all', 'nothing dropped', compose('    image: x\n'), 'compose.yml', 'suggestion'],
  ['set-read-only-root', 'restricted, writable root', compose('    image: x\n'), 'compose.yml', 'suggestion', 'restricted'],
  ['set-mount-read-only', 'writable /etc mount', compose('    image: x\n    volumes:\n      - /etc:/host/etc\n'), 'compose.yml', 'suggestion'],
  ['set-host-users-false', 'a pod that could have its own user namespace', pod('      image: x\n'), 'pod.yaml', 'suggestion'],
];

describe('fix policy', () => {
  it('README.md prints the policy table FIX_POLICY renders', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- fix-policy:start -->\n([\s\S]*?)\n<!-- fix-policy:end -->/.exec(readme);
    assert.ok(m, 'README.md has the fix-policy markers');
    assert.equal(m[1], renderFixPolicyTable());
  });

  it('server/docs/fix-policy.md prints the same table', () => {
    const doc = readFileSync(path.join(ROOT, 'server', 'docs', 'fix-policy.md'), 'utf8');
    assert.ok(doc.includes(renderFixPolicyTable()));
  });

  it('every intent has one row, and every row has a scenario of each kind it allows', () => {
    const intents = FIX_POLICY.map((r) => r.intent);
    assert.equal(new Set(intents).size, intents.length);
    for (const row of FIX_POLICY) {
      const kinds = new Set(SCENARIOS.filter((s) => s[0] === row.intent).map((s) => s[4]));
      assert.ok(kinds.has('suggestion'), `${row.intent}: no suggestion scenario`);
      if (row.safeWhen === 'never') assert.ok(!kinds.has('safe'), `${row.intent} is never safe`);
      else assert.ok(kinds.has('safe'), `${row.intent}: no safe scenario`);
    }
  });

  for (const [intent, name, text, file, kind, profile] of SCENARIOS) {
    it(`${intent}: ${name} → ${kind}`, () => {
      const kinds = kindsOf(text, file, intent, profile);
      assert.ok(kinds.length > 0, `no ${intent} fix offered: ${fixes(text, file, profile).map((x) => `${x.fix.intent}:${x.fix.kind}`).join(', ')}`);
      assert.deepEqual([...new Set(kinds)], [kind]);
    });
  }

  it('only a safe fix is preferred, it comes first, and every suggestion says what to check', () => {
    for (const [, , text, file, , profile] of SCENARIOS) {
      for (const finding of lint(text, { path: file, config: { profile } }).findings) {
        const firstSuggestion = finding.fixes.findIndex((f) => f.kind === 'suggestion');
        const lastSafe = finding.fixes.map((f) => f.kind).lastIndexOf('safe');
        if (firstSuggestion >= 0 && lastSafe >= 0) assert.ok(lastSafe < firstSuggestion, `${file}: a suggestion before a safe fix`);
        for (const f of finding.fixes) {
          assert.equal(f.preferred === true, f.kind === 'safe' && finding.fixes.indexOf(f) === 0);
          if (f.kind === 'suggestion') assert.ok(f.check && f.check.length > 10, `${f.title}: no check`);
        }
      }
    }
  });

  it('a known image user is written as the image\'s own uid, with runAsNonRoot', () => {
    const text = pod('      image: quay.io/prometheus/node-exporter:v1.8.2\n');
    const fix = fixes(text, 'pod.yaml').find((x) => x.fix.intent === 'set-non-root-user')!.fix;
    assert.equal(fix.title, 'Set runAsNonRoot: true and runAsUser: 65534');
  });

  it('runAsNonRoot: true is never written without a non-zero runAsUser in effect', () => {
    for (const image of ['nginx:1.27', 'myorg/api:3', 'busybox']) {
      for (const { fix } of fixes(pod(`      image: ${image}\n`), 'pod.yaml').filter((x) => x.fix.intent === 'set-non-root-user')) {
        assert.match(fix.title, /runAsUser: [1-9]/, fix.title);
      }
    }
  });
});

describe('image-user table', () => {
  it('every row names a source and a confidence; non-root rows give a non-zero uid', () => {
    for (const row of IMAGE_USERS) {
      assert.ok(row.source.length > 10, row.id);
      if (row.nonRoot) assert.ok(row.uid !== undefined && row.uid > 0, row.id);
    }
  });
  it('matches by image reference, with registry and tag', () => {
    assert.equal(imageUser('gcr.io/distroless/static-debian12:nonroot')?.uid, 65532);
    assert.equal(imageUser('gcr.io/distroless/static-debian12:latest'), undefined);
    assert.equal(knownNonRootUid('docker.io/nginxinc/nginx-unprivileged:1.27-alpine'), 101);
    assert.equal(knownNonRootUid('nginx:1.27'), undefined);
    assert.equal(imageUser('nginx:1.27')?.nonRoot, false);
    assert.equal(knownNonRootUid('quay.io/argoproj/argocd:v2.12.0'), 999);
    assert.equal(imageUser('mcr.microsoft.com/devcontainers/typescript-node:1-20')?.needsSetuid, true);
  });
});

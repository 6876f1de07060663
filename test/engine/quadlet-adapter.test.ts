/**
 * Quadlet units read as systemd and Quadlet read them: sections, comments (also inside a
 * continuation), continuation lines, quoting and escapes, repeated and cleared keys; detection
 * by name; user vs system units feeding the tier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lint } from '../../server/src/engine';
import { detectByPath } from '../../server/src/engine/detect';
import { membersText } from '../../server/src/engine/formats/quadlet/pod';
import { parseUnit, unitWords } from '../../server/src/engine/formats/quadlet/unit';

function words(text: string, key: string, cunescape = true): (string | undefined)[] {
  const unit = parseUnit(text);
  return unit.sections.flatMap((s) => s.entries.filter((e) => e.key === key).flatMap((e) => unitWords(e, cunescape).map((w) => w.value)));
}

describe('quadlet: systemd unit syntax', () => {
  it('reads sections and entries, skipping # and ; comments', () => {
    const unit = parseUnit('# head\n[Unit]\nDescription=a b\n\n; c\n[Container]\n  Image = x  \n');
    assert.deepEqual(unit.sections.map((s) => s.name), ['Unit', 'Container']);
    assert.deepEqual(unit.sections[1]?.entries.map((e) => [e.key, e.value]), [['Image', 'x']]);
    assert.deepEqual(unit.problems, []);
  });

  it('joins continuation lines and skips comment lines inside them, keeping source offsets', () => {
    const text = '[Container]\nPodmanArgs=--a \\\n# not part of it\n  --b \\\n  --c\nImage=x\n';
    const unit = parseUnit(text);
    const e = unit.sections[0]?.entries[0];
    assert.equal(e?.value, '--a  --b  --c'); // each backslash-newline is one space; a continuation line's indentation is dropped
    const ws = unitWords(e!, true);
    assert.deepEqual(ws.map((w) => w.value), ['--a', '--b', '--c']);
    assert.deepEqual(ws.map((w) => text.slice(w.span.start, w.span.end)), ['--a', '--b', '--c']);
    assert.equal(unit.sections[0]?.entries[1]?.key, 'Image');
  });

  it('splits words with double and single quotes and C escapes (PodmanArgs), keeping backslashes in list keys', () => {
    assert.deepEqual(words('[Container]\nPodmanArgs="--foo" \'a b\' --with-space yes "a\\"b" x\\ y\n', 'PodmanArgs'), ['--foo', 'a b', '--with-space', 'yes', 'a"b', 'x y']);
    assert.deepEqual(words('[Container]\nAddCapability=CAP_A\\ B\n', 'AddCapability', false), ['CAP_A\\ B']);
  });

  it('reports lines that are not entries, headers or comments, and entries before any section', () => {
    const unit = parseUnit('Image=x\n[Container]\nnot an entry\n[Broken\n');
    assert.deepEqual(unit.problems.map((p) => p.message.split(':')[0]), ['An entry before any [Section] header', 'This line is not a Key=Value entry, a [Section] header or a comment', 'A section header must end with "]".']);
    const r = lint('[Container]\nImage=x\nbroken line\n', { path: 'a.container', config: { rules: { 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off' } } });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.span]), [['parse-error', { start: 20, end: 31 }]]);
  });

  it('never crashes on odd input (empty, BOM, CR only, unterminated quotes, a lone backslash)', () => {
    for (const text of ['', '\uFEFF[Container]\nImage=x\n', '[Container]\rImage=x\r', '[Container]\nPodmanArgs="--privileged\n', '[Container]\nPodmanArgs=\\', '[Container]\nPodmanArgs=--cap-add\n']) {
      assert.doesNotThrow(() => lint(text, { path: 'a.container' }));
    }
  });
});

describe('quadlet: detection and unit types', () => {
  it('recognises .container, .pod, .kube and .build units, not .network or .volume', () => {
    assert.deepEqual(['web.container', 'p.pod', 'k.kube', 'b.build', 'n.network', 'v.volume', '.container'].map((p) => detectByPath(`/x/${p}`)), ['quadlet', 'quadlet', 'quadlet', 'quadlet', undefined, undefined, undefined]);
  });

  it('reads a .kube and a .build unit without a container of its own', () => {
    const kube = lint('[Kube]\nYaml=app.yaml\nNetwork=host\n', { path: 'k.kube' });
    assert.equal(kube.kind, 'quadlet');
    assert.deepEqual(kube.findings.map((f) => f.ruleId), ['no-host-namespaces']);
    const build = lint('[Build]\nImageTag=x\nPodmanArgs=--network=host\n', { path: 'b.build' });
    assert.deepEqual(build.findings.map((f) => f.ruleId), ['no-host-namespaces']);
  });

  it('a file without the unit type\'s section has nothing to report', () => {
    assert.deepEqual(lint('[Unit]\nDescription=x\n', { path: 'a.container' }).findings, []);
  });
});

describe('quadlet: a .kube unit lints the Kubernetes YAML it plays', () => {
  const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: nginx\n      securityContext:\n        privileged: true\n';
  const unit = '[Kube]\nYaml=app.yaml\n';
  const only = { rules: { 'no-root-user': 'off', 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off', 'no-privileged': 'error' } } as const;

  it('reports the YAML\'s findings on Yaml=, resolved next to the unit, with the place in the YAML', () => {
    const read: string[] = [];
    const r = lint(unit, { path: '/srv/units/web.kube', config: only, readFile: (p) => (read.push(p), p === '/srv/units/app.yaml' ? yaml : undefined) });
    assert.deepEqual(read, ['/srv/units/app.yaml']);
    assert.deepEqual(r.dependencies, ['/srv/units/app.yaml']);
    const f = r.findings.find((x) => x.ruleId === 'no-privileged');
    assert.ok(f, JSON.stringify(r.findings.map((x) => x.ruleId)));
    assert.equal(unit.slice(f.span.start, f.span.end), 'Yaml=app.yaml');
    assert.match(f.message, /^Through Yaml=app\.yaml: Container "app" in Pod\/web runs privileged/);
    assert.deepEqual(f.related?.[0]?.path, '/srv/units/app.yaml');
    assert.deepEqual(f.related?.[0]?.range?.start, { line: 9, character: 8 });
    assert.deepEqual(f.fixes, []);
  });

  it('reads nothing without readFile, nor a path with a systemd specifier, nor a missing file', () => {
    assert.ok(!lint(unit, { path: '/srv/units/web.kube', config: only }).findings.some((x) => x.ruleId === 'no-privileged'));
    assert.deepEqual(lint('[Kube]\nYaml=%h/app.yaml\n', { path: '/srv/units/web.kube', config: only, readFile: () => yaml }).findings, []);
    assert.deepEqual(lint(unit, { path: '/srv/units/web.kube', config: only, readFile: () => undefined }).findings, []);
  });
});

describe('quadlet: a container unit and the .pod unit its Pod= names', () => {
  const pod = '[Pod]\n# shared\nVolume=/var/run/docker.sock:/var/run/docker.sock\nNetwork=host\n';
  const app = '[Container]\nImage=x\nPod=web.pod\n';
  const files: Record<string, string> = { '/srv/units/web.pod': pod, '/srv/units/app.container': app };
  const readFile = (p: string) => files[p];
  const listDir = (d: string) => (d === '/srv/units' ? Object.keys(files).map((f) => f.slice(d.length + 1)) : undefined);

  it('the container gets the pod\'s mounts and namespaces, reported in the pod file only', () => {
    const r = lint(app, { path: '/srv/units/app.container', readFile, listDir });
    assert.deepEqual(r.dependencies, ['/srv/units/web.pod']);
    const w = r.parsed?.workloads[0];
    assert.deepEqual(w?.containers[0]?.mounts.map((m) => m.value), ['/var/run/docker.sock']);
    assert.deepEqual(w?.hostNamespaces.map((n) => n.value), ['network']);
    assert.ok(w?.containers[0]?.hints?.volumes.includes('/var/run/docker.sock'));
    assert.equal(w?.containers[0]?.hints?.networkMode, 'host');
    assert.deepEqual(r.findings.filter((f) => f.ruleId === 'no-runtime-socket' || f.ruleId === 'no-host-namespaces'), []);
    const inPod = lint(pod, { path: '/srv/units/web.pod', readFile, listDir });
    assert.deepEqual(inPod.findings.map((f) => `${f.ruleId}: ${f.message}`), [
      'no-runtime-socket: Unit web.pod (pod of app.container) mounts the Docker socket /var/run/docker.sock (root on the host)',
      'no-host-namespaces: Unit web.pod (pod of app.container) uses the host\'s network stack (Network=host)',
    ]);
    assert.deepEqual(inPod.dependencies, ['/srv/units/app.container']);
  });

  it('without readFile, or with a Pod= it cannot follow, the container stands alone', () => {
    assert.deepEqual(lint(app, { path: '/srv/units/app.container' }).parsed?.workloads[0]?.containers[0]?.mounts, []);
    for (const value of ['%N.pod', '../web.pod', 'web', '$POD.pod']) {
      const r = lint(`[Container]\nImage=x\nPod=${value}\n`, { path: '/srv/units/app.container', readFile: () => pod });
      assert.deepEqual(r.parsed?.workloads[0]?.containers[0]?.mounts, [], value);
      assert.equal(r.dependencies, undefined, value);
    }
  });

  it('UserNS=auto on the pod gives its containers an own user namespace (tier 5 as root in a system unit)', () => {
    const podFiles: Record<string, string> = { '/etc/containers/systemd/web.pod': '[Pod]\nUserNS=auto\n' };
    const t = lint('[Container]\nImage=x\nPod=web.pod\nUser=0\n', { path: '/etc/containers/systemd/app.container', readFile: (p) => podFiles[p] }).tiers?.[0];
    assert.equal(t?.tier, 5);
    assert.match(t?.notes.join('\n') ?? '', /through Pod=web\.pod: UserNS=auto/);
  });

  it('names at most what fits in a one-line message', () => {
    assert.equal(membersText(['a.container']), 'a.container');
    assert.equal(membersText(['a.container', 'b.container']), 'a.container and b.container');
    assert.equal(membersText(['a.container', 'b.container', 'c.container']), 'a.container and 2 more');
    assert.equal(membersText(['application-server.container', 'b.container']), 'application-server.container and 1 more');
    assert.equal(membersText(['a-very-long-application-name-with-more.container', 'b.container']), '2 containers');
    assert.equal(membersText(['a-very-long-application-name-with-more.container']), 'a-very-long-application-name-with-more.…');
  });
});

describe('quadlet: user vs system units in the tier', () => {
  const text = '[Container]\nImage=x\nUser=1000\n';
  it('a user unit runs under rootless Podman: tier 6 with a non-root user', () => {
    const t = lint(text, { path: '/home/me/.config/containers/systemd/web.container' }).tiers?.[0];
    assert.equal(t?.tier, 6);
    assert.equal(t?.userNamespace, 'own');
    assert.match(t?.notes.join('\n') ?? '', /a user unit/);
  });
  it('a system unit runs rootful: tier 4', () => {
    const t = lint(text, { path: '/etc/containers/systemd/web.container' }).tiers?.[0];
    assert.equal(t?.tier, 4);
    assert.equal(t?.userNamespace, 'host');
  });
  it('UserNS=auto gives its own user namespace even in a system unit: tier 5 as root', () => {
    const t = lint('[Container]\nImage=x\nUserNS=auto\nUser=0\n', { path: '/etc/containers/systemd/web.container' }).tiers?.[0];
    assert.equal(t?.tier, 5);
  });
  it('UserNS=host in a user unit shares the user\'s namespace: counted rootful', () => {
    const t = lint('[Container]\nImage=x\nUserNS=host\n', { path: '/home/me/.config/containers/systemd/web.container' }).tiers?.[0];
    assert.equal(t?.userNamespace, 'host');
  });
  it('a unit outside the search paths (a repository) is assumed rootful, and says so', () => {
    const t = lint(text, { path: 'deploy/web.container' }).tiers?.[0];
    assert.equal(t?.tier, 4);
    assert.equal(t?.userNamespace, 'assumed-host');
    assert.match(t?.notes.join('\n') ?? '', /depends on where it is installed/);
  });
});

describe('quadlet: suppression comments', () => {
  it('# container-privilege-lint-disable-next-line works in a unit', () => {
    const r = lint('[Container]\nImage=x\n# container-privilege-lint-disable-next-line no-host-namespaces -- needs mDNS\nNetwork=host\n', { path: 'a.container' });
    assert.ok(!r.findings.some((f) => f.ruleId === 'no-host-namespaces' || f.ruleId === 'unused-suppression'));
  });
});

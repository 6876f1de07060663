/**
 * Which files count (#11): JSON manifests, known non-container YAML, parse errors only for
 * container configs, and templates skipped one document at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, fixAll, lint } from '../../server/src/engine';

const at = (text: string, f: { span: { start: number; end: number } }) => text.slice(f.span.start, f.span.end);
const only = (rules: string[]) => ({ rules: Object.fromEntries(['no-root-user', 'require-no-new-privileges', 'require-drop-all-capabilities', 'prefer-user-namespaces'].filter((r) => !rules.includes(r)).map((r) => [r, 'off' as const])) });

const POD_JSON = `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": { "name": "p" },
  "spec": {
    "containers": [
      {
        "name": "app",
        "image": "nginx",
        "securityContext": { "privileged": true }
      }
    ]
  }
}
`;

describe('Kubernetes manifests written as JSON', () => {
  it('are analysed like YAML: privileged reported on the pair', () => {
    const r = lint(POD_JSON, { path: '/w/k8s/pod.json', config: only([]) });
    assert.equal(r.kind, 'kubernetes');
    assert.deepEqual(r.findings.map((f) => [f.ruleId, at(POD_JSON, f)]), [['no-privileged', '"privileged": true']]);
  });
  it('are fixed in JSON syntax: quoted keys and strings, one pair per line where the map is written so', () => {
    const r = lint(POD_JSON, { path: '/w/k8s/pod.json' });
    const drop = r.findings.find((f) => f.ruleId === 'require-drop-all-capabilities')!;
    const fixed = applyFixes(POD_JSON, [drop], (f) => f.fixes[0]).text;
    assert.equal(fixed, POD_JSON.replace('{ "privileged": true }', '{ "privileged": true, "capabilities": {"drop": ["ALL"]} }'));
    // Every fix of a privileged nginx pod takes something away (#10): --fix leaves it as it is.
    assert.equal(fixAll(POD_JSON, { path: '/w/k8s/pod.json' }).text, POD_JSON);
    const all = fixAll(POD_JSON, { path: '/w/k8s/pod.json' }, { unsafe: true }).text;
    assert.doesNotThrow(() => JSON.parse(all));
    assert.equal(
      all,
      POD_JSON.replace('{ "privileged": true }', '{ "runAsNonRoot": true, "runAsUser": 10001, "capabilities": {"drop": ["ALL"]}, "allowPrivilegeEscalation": false }').replace('    ]\n  }', '    ],\n    "hostUsers": false\n  }'),
    );
  });
  it('other JSON files are not read as manifests', () => {
    for (const [path, text] of [['/w/data.json', '{"name": "x", "privileged": true}'], ['/w/list.json', '[{"apiVersion": "v1", "kind": "Pod"}]'], ['/w/package.json', POD_JSON]]) {
      const r = lint(text, { path });
      assert.deepEqual([r.kind, r.findings], [undefined, []], path);
    }
  });
});

describe('known non-container YAML', () => {
  it('GitHub Actions workflows with ${{ }} are neither Kubernetes nor skipped', () => {
    const wf = 'name: ci\non: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n';
    for (const path of ['/w/.github/dependabot.yml', '/w/snap/snapcraft.yaml']) {
      assert.deepEqual(lint(wf, { path }), { kind: undefined, findings: [] }, path);
    }
    // CI files are read for their docker run / podman run lines only (#14): no Kubernetes, no Compose, nothing here.
    for (const path of ['/w/.github/workflows/ci.yml', '/w/.gitlab-ci.yml']) {
      const r = lint(wf, { path });
      assert.deepEqual([r.kind, r.findings], ['run', []], path);
    }
  });
});

describe('parse errors', () => {
  const broken = 'name: x\nparts:\n  a: [\n';
  it('are not reported for YAML that is not recognisably a container config', () => {
    assert.deepEqual(lint(broken, { path: '/w/vendor/testdata/bad.yaml' }).findings, []);
  });
  it('are reported for a file named as Compose', () => {
    assert.deepEqual(lint(broken, { path: '/w/compose.yaml' }).findings.map((f) => f.ruleId), ['parse-error']);
  });
  it('are reported for a Kubernetes object by content', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec: [\n';
    assert.deepEqual(lint(text, { path: '/w/pod.yaml' }).findings.map((f) => f.ruleId), ['parse-error']);
  });
});

describe('{{ … }} skips at most its own document, and only a real template', () => {
  const daemonSet = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: agent\n          securityContext:\n            privileged: true\n';
  it('a placeholder in a ConfigMap string does not hide a privileged DaemonSet', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  url: https://{{PROJECT_ID}}.example.com\n---\n${daemonSet}`;
    const r = lint(text, { path: '/w/all.yaml', config: only([]) });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, at(text, f)]), [['no-privileged', 'privileged: true']]);
  });
  it('a placeholder in a workload that still parses is analysed', () => {
    const text = daemonSet.replace('image: agent', 'image: gcr.io/{{PROJECT_ID}}/agent');
    assert.deepEqual(lint(text, { path: '/w/ds.yaml', config: only([]) }).findings.map((f) => f.ruleId), ['no-privileged']);
  });
  it('a Go template document is skipped with one info at its start; the next document is analysed', () => {
    const tpl = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n    - name: a\n      image: a\n      securityContext: {privileged: true}\n';
    const text = `${tpl}---\n${daemonSet}`;
    const r = lint(text, { path: '/w/mixed.yaml', config: only([]) });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity, f.span.start]), [['skipped', 'info', 0], ['no-privileged', 'error', text.indexOf('privileged: true', tpl.length)]]);
  });
  it('a placeholder that breaks the YAML skips that document only', () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  name: {{NAME}}-app\n---\n${daemonSet}`;
    const r = lint(text, { path: '/w/mixed.yaml', config: only([]) });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['skipped', 'no-privileged']);
  });
});

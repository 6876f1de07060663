import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, fixAll, lint } from '../../server/src/engine';
import { detectByPath } from '../../server/src/engine/detect';
import { disableNextLineEdit } from '../../server/src/engine/suppress';

const at = (text: string, f: { span: { start: number; end: number } }) => text.slice(f.span.start, f.span.end);
const ids = (text: string, path: string) => lint(text, { path }).findings.map((f) => f.ruleId);

describe('detection by path', () => {
  const cases: [string, ReturnType<typeof detectByPath>][] = [
    ['Dockerfile', 'dockerfile'],
    ['app/Dockerfile.prod', 'dockerfile'],
    ['web.Dockerfile', 'dockerfile'],
    ['x/api.dockerfile', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['Containerfile.dev', 'dockerfile'],
    ['.devcontainer.json', 'devcontainer'],
    ['/w/.devcontainer/devcontainer.json', 'devcontainer'],
    ['/w/.devcontainer/python/devcontainer.json', 'devcontainer'],
    ['C:\\w\\.devcontainer\\devcontainer.json', 'devcontainer'],
    ['file:///w/.devcontainer/devcontainer.json', 'devcontainer'],
    ['compose.yaml', 'compose'],
    ['docker-compose.prod.yml', 'compose'],
    ['compose.override.yml', 'compose'],
    ['k8s/deploy.yaml', 'yaml'],
    ['package.json', undefined],
    ['/w/devcontainer.json', 'json'],
    ['k8s/pod.json', 'json'],
    ['.github/workflows/ci.yml', 'run'], // read for its run commands, never as Kubernetes or Compose
    ['snap/snapcraft.yaml', undefined],
    ['tsconfig.json', undefined],
    ['README.md', undefined],
  ];
  for (const [path, kind] of cases) it(`${path} → ${String(kind)}`, () => assert.equal(detectByPath(path), kind));
});

describe('detection by content', () => {
  it('a YAML with a services mapping of mappings is Compose, whatever its name', () => {
    assert.equal(lint('services:\n  web:\n    image: nginx\n    privileged: true\n', { path: 'stack.yml' }).kind, 'compose');
  });
  it('a GitHub Actions workflow with services is not Compose', () => {
    const wf = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\nservices:\n  db:\n    image: postgres\n    privileged: true\n';
    assert.deepEqual(ids(wf, '.github/workflows/ci.yml'), []);
  });
  it('a YAML document with apiVersion and kind is Kubernetes', () => {
    assert.equal(lint('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n', { path: 'x.yaml' }).kind, 'kubernetes');
  });
  it('a plain YAML file is not analysed', () => {
    assert.deepEqual(lint('foo: bar\n', { path: 'x.yaml' }).findings, []);
  });
  it('an untitled buffer uses the language id as a hint', () => {
    assert.equal(lint('FROM alpine\n', { path: 'untitled:Untitled-1', languageId: 'dockerfile' }).kind, 'dockerfile');
  });
});

describe('bad input', () => {
  it('a broken YAML document gets one parse-error; the other documents are still analysed', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: a\n      securityContext: {privileged: true}\n---\nfoo: [\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n    - name: b\n      securityContext: {privileged: true}\n';
    const r = lint(text, { path: 'pods.yaml', config: { rules: { 'no-root-user': 'off', 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off' } } });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['no-privileged', 'parse-error', 'no-privileged']);
    assert.match(r.findings[1].message, /^YAML parse error: /);
  });
  it('Helm templates are skipped with an info finding', () => {
    const r = lint('apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  containers:\n  - name: a\n    securityContext: {privileged: true}\n', { path: 'chart/templates/pod.yaml' });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity]), [['skipped', 'info']]);
  });
  it('a quoted Go template in a Compose label is not mistaken for Helm', () => {
    assert.ok(ids('services:\n  web:\n    image: x\n    privileged: true\n    logging:\n      options:\n        tag: "{{.Name}}"\n', 'compose.yml').includes('no-privileged'));
  });
  it('an alias bomb does not stop the analysis of the rest', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    const text = `${bomb.join('\n')}\nservices:\n  web:\n    image: x\n    privileged: true\n`;
    assert.ok(ids(text, 'compose.yml').includes('no-privileged'));
  });
  it('a cyclic merge key does not hang', () => {
    const text = 'services:\n  web: &w\n    image: x\n    privileged: true\n    <<: *w\n';
    const r = lint(text, { path: 'compose.yml' });
    assert.ok(Array.isArray(r.findings));
  });
  it('BOM and CRLF: ranges point at the right text', () => {
    const text = '\uFEFFservices:\r\n  web:\r\n    image: x\r\n    privileged: true\r\n';
    const f = lint(text, { path: 'compose.yml' }).findings.find((x) => x.ruleId === 'no-privileged');
    assert.ok(f);
    assert.equal(at(text, f), 'privileged: true');
  });
  it('tabs in YAML indentation are a parse error, not a crash', () => {
    const r = lint('services:\n\tweb:\n\t\timage: x\n', { path: 'compose.yml' });
    assert.equal(r.findings[0].ruleId, 'parse-error');
  });
  it('empty files give nothing', () => {
    for (const p of ['compose.yml', 'Dockerfile', '.devcontainer.json', 'x.yaml']) assert.deepEqual(lint('', { path: p }).findings, [], p);
  });
  it('binary files are skipped with an info finding', () => {
    const r = lint('PK\u0003\u0004\u0000\u0000garbage', { path: 'compose.yml' });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.severity]), [['skipped', 'info']]);
  });
  it('files over the size limit are skipped with an info finding; the limit is configurable', () => {
    const text = 'services:\n  web:\n    image: x\n    privileged: true\n';
    const r = lint(text, { path: 'compose.yml', config: { maxFileSize: 10 } });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['skipped']);
    assert.match(r.findings[0].message, /10-character limit/);
  });
});

describe('suppression comments', () => {
  const base = 'services:\n  web:\n    image: x\n    security_opt: [no-new-privileges]\n    cap_drop: [ALL]\n';
  it('disable-next-line suppresses the named rule on the next line only', () => {
    const text = `${base}    # container-privilege-lint-disable-next-line no-privileged -- VPN needs it until #42\n    privileged: true\n    cap_add: [SYS_ADMIN]\n`;
    assert.deepEqual(ids(text, 'compose.yml'), ['no-risky-capabilities']);
  });
  it('a list of ids, and a whole-file directive', () => {
    const text = `# container-privilege-lint-disable no-risky-capabilities\n${base}    # container-privilege-lint-disable-next-line no-privileged, no-root-user\n    privileged: true\n    cap_add: [SYS_ADMIN]\n`;
    const r = lint(text, { path: 'compose.yml' });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['unused-suppression']);
    assert.equal(r.findings[0].message, "'no-root-user' in this suppression comment suppresses nothing");
  });
  it('an unused directive is reported, with a fix that removes it', () => {
    const text = `${base}    # container-privilege-lint-disable-next-line no-privileged\n    user: "1000"\n`;
    const r = lint(text, { path: 'compose.yml' });
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['unused-suppression']);
    assert.equal(applyFixes(text, r.findings).text, `${base}    user: "1000"\n`);
  });
  it('the disable edit inserts a valid comment that suppresses the finding', () => {
    const text = `${base}    privileged: true\n`;
    const f = lint(text, { path: 'compose.yml' }).findings.find((x) => x.ruleId === 'no-privileged')!;
    const edit = disableNextLineEdit(text, f.span.start, 'no-privileged', '#');
    const out = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    assert.equal(out, `${base}    # container-privilege-lint-disable-next-line no-privileged -- reason\n    privileged: true\n`);
    assert.deepEqual(ids(out, 'compose.yml'), []);
  });
});

describe('fixAll', () => {
  it('applies the safe fixes only and is idempotent; privileged, root and capabilities stay for --unsafe-fixes', () => {
    const text = 'services:\n  web: # front\n    image: nginx\n    privileged: true\n    user: root\n    cap_add: [SYS_ADMIN]\n';
    const once = fixAll(text, { path: 'compose.yml' });
    // No-new-privileges is safe here (nothing needs setuid); removing privileged, changing the user of
    // an image that runs as root (nginx binds port 80) and dropping capabilities are suggestions.
    assert.equal(once.text, 'services:\n  web: # front\n    image: nginx\n    privileged: true\n    user: root\n    cap_add: [SYS_ADMIN]\n    security_opt:\n      - no-new-privileges:true\n');
    assert.deepEqual(lint(once.text, { path: 'compose.yml' }).findings.map((f) => f.ruleId), ['require-drop-all-capabilities', 'no-privileged', 'no-root-user', 'no-risky-capabilities']);
    assert.equal(fixAll(once.text, { path: 'compose.yml' }).applied, 0);
    const unsafe = fixAll(text, { path: 'compose.yml' }, { unsafe: true });
    assert.equal(unsafe.error, undefined);
    assert.doesNotMatch(unsafe.text, /privileged: true|user: root|SYS_ADMIN/);
    assert.equal(fixAll(unsafe.text, { path: 'compose.yml' }, { unsafe: true }).applied, 0);
  });
});

describe('per-finding severity (ReportDescriptor.severity)', () => {
  const text = 'services:\n  web:\n    image: x\n    volumes:\n      - /etc:/etc:ro\n      - /proc:/p\n';
  const severities = (config: Parameters<typeof lint>[1]['config']) =>
    lint(text, { path: 'compose.yml', config }).findings.filter((f) => f.ruleId === 'no-sensitive-host-mounts').map((f) => [at(text, f), f.severity]);
  it('lowers a finding below the configured severity (a read-only mount is a warning where the rule is an error)', () => {
    assert.deepEqual(severities({}), [['/etc:/etc:ro', 'warning'], ['/proc:/p', 'error']]);
  });
  it('never raises it: a rule configured lower keeps its severity for every finding', () => {
    assert.deepEqual(severities({ rules: { 'no-sensitive-host-mounts': 'warning' } }), [['/etc:/etc:ro', 'warning'], ['/proc:/p', 'warning']]);
    assert.deepEqual(severities({ rules: { 'no-sensitive-host-mounts': 'info' } }), [['/etc:/etc:ro', 'info'], ['/proc:/p', 'info']]);
  });
  it('a rule that is off stays off', () => {
    assert.deepEqual(severities({ rules: { 'no-sensitive-host-mounts': 'off' } }), []);
  });
  it('a profile that forbids every host path does not lower it', () => {
    assert.deepEqual(severities({ profile: 'baseline' }), [['/etc:/etc:ro', 'error'], ['/proc:/p', 'error']]);
  });
});

describe('documents that cannot hold a container are not composed', () => {
  it('skips them unparsed, and the workloads around them keep their offsets', async () => {
    const { parseDocuments } = await import('../../server/src/engine/adapters/yaml.js');
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    securityContext: {privileged: true}\n';
    const text = `apiVersion: v1\nkind: ConfigMap\ndata:\n  containers: "not a pod"\n---\n${pod}---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\r\nspec: [\n`;
    const parsed = parseDocuments(text);
    assert.equal(parsed.skipped, 2);
    assert.equal(parsed.docs.length, 1);
    assert.deepEqual(parsed.docs[0].errors, []);
    const start = text.indexOf(pod);
    assert.equal(parsed.starts[0], start - '---\n'.length, 'the document is parsed where its range starts');
    assert.equal(parsed.docs[0].range[0], 0, 'its offsets are relative to that start');
    const kindRange = (parsed.docs[0].get('kind', true) as { range: [number, number] }).range;
    assert.equal(text.slice(kindRange[0] + parsed.starts[0], kindRange[1] + parsed.starts[0]), 'Pod');
    const r = lint(text, { path: 'all.yaml', config: { rules: { 'no-root-user': 'off', 'require-no-new-privileges': 'off', 'require-drop-all-capabilities': 'off', 'prefer-user-namespaces': 'off' } } });
    assert.equal(r.kind, 'kubernetes');
    assert.deepEqual(r.findings.map((f) => [f.ruleId, at(text, f)]), [['no-privileged', 'privileged: true']]);
  });
  it('a file of only inert documents is still a Kubernetes file with nothing to report', () => {
    const r = lint('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n', { path: 's.yaml' });
    assert.deepEqual([r.kind, r.findings], ['kubernetes', []]);
  });
});

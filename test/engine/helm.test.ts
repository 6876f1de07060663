/**
 * Helm charts analysed without rendering (#13): charts of our own in the shapes real charts
 * use (the `helm create` scaffold first), linted through an in-memory chart folder. Every
 * case states each finding's file, exact range and message, and the exact text after each
 * fix; every fix is re-linted and must make its finding disappear.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, lint } from '../../server/src/engine';
import type { Finding } from '../../server/src/engine';
import { parsePipeline, scanActions } from '../../server/src/engine/formats/helm/template';
import { position } from '../rule-tester';

type Files = Record<string, string>;

function fs(files: Files) {
  const readFile = (p: string) => files[p];
  const listDir = (dir: string) => {
    const prefix = `${dir}/`;
    const names = new Set<string>();
    for (const p of Object.keys(files)) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.add(slash < 0 ? rest : `${rest.slice(0, slash + 1)}`);
    }
    return names.size > 0 ? [...names] : undefined;
  };
  return { readFile, listDir };
}

function lintFile(files: Files, path: string, text = files[path], rules?: Record<string, 'off'>, helmValues?: string[]): Finding[] {
  return lint(text, { path, ...fs({ ...files, [path]: text }), helmValues, config: { rules: { 'unused-suppression': 'off', ...(rules ?? {}) } } }).findings;
}

interface Expect {
  ruleId: string;
  message: string | RegExp;
  detail?: RegExp;
  /** 1-based line:column-line:column */
  range: string;
  related?: string[];
  fixes?: { title: string | RegExp; output: string }[];
}

function rangeOf(text: string, f: Finding): string {
  const s = position(text, f.span.start);
  const e = position(text, f.span.end);
  return `${s.line}:${s.column}-${e.line}:${e.column}`;
}

function check(files: Files, path: string, expected: Expect[], rules?: Record<string, 'off'>, helmValues?: string[]): void {
  const text = files[path];
  const findings = lintFile(files, path, text, rules, helmValues);
  assert.deepEqual(
    findings.map((f) => `${f.ruleId} ${rangeOf(text, f)}`),
    expected.map((e) => `${e.ruleId} ${e.range}`),
    findings.map((f) => `${f.ruleId} ${rangeOf(text, f)} ${f.message}`).join('\n'),
  );
  expected.forEach((e, i) => {
    const f = findings[i];
    if (typeof e.message === 'string') assert.equal(f.message, e.message);
    else assert.match(f.message, e.message);
    if (e.detail) assert.match(f.detail ?? '', e.detail);
    if (e.related) assert.deepEqual((f.related ?? []).map((r) => `${r.path ?? ''}:${(r.range?.start.line ?? -1) + 1} ${r.message}`), e.related);
    if (!e.fixes) return;
    assert.deepEqual(f.fixes.map((x) => x.title).length, e.fixes.length, `fixes: ${f.fixes.map((x) => x.title).join(' | ')}`);
    e.fixes.forEach((fx, k) => {
      const fix = f.fixes[k];
      if (typeof fx.title === 'string') assert.equal(fix.title, fx.title);
      else assert.match(fix.title, fx.title);
      const output = applyEdits(text, fix.edits);
      assert.equal(output, fx.output);
      const after = lintFile(files, path, output, rules, helmValues);
      assert.deepEqual(after.filter((x) => x.ruleId === 'parse-error'), []);
      assert.ok(!after.some((x) => x.ruleId === f.ruleId && x.message === f.message && x.span.start === f.span.start), `the fix "${fix.title}" must make its finding disappear`);
    });
  });
}

const CHART = 'name: web\nversion: 0.1.0\n';

/** _helpers.tpl in the shape `helm create` writes: names and labels only. */
const HELPERS = `{{/*
Expand the name of the chart.
*/}}
{{- define "web.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "web.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "web.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "web.selectorLabels" -}}
app.kubernetes.io/name: {{ include "web.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "web.labels" -}}
helm.sh/chart: {{ .Chart.Name }}
{{ include "web.selectorLabels" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "web.podSecurity" -}}
runAsNonRoot: true
{{- end }}
`;

/** templates/deployment.yaml in the shape of the `helm create` scaffold. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "web.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      labels:
        {{- include "web.labels" . | nindent 8 }}
    spec:
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml .Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.service.port }}
              protocol: TCP
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
      {{- with .Values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
`;

const VALUES = `replicaCount: 1

image:
  repository: nginx
  pullPolicy: IfNotPresent
  tag: ""

imagePullSecrets: []
podAnnotations: {}

podSecurityContext: {}
  # fsGroup: 2000

securityContext: {}
  # capabilities:
  #   drop:
  #   - ALL
  # runAsNonRoot: true

service:
  port: 80

resources: {}

autoscaling:
  enabled: false

nodeSelector: {}
`;

const SCAFFOLD: Files = {
  '/c/web/Chart.yaml': CHART,
  '/c/web/values.yaml': VALUES,
  '/c/web/templates/_helpers.tpl': HELPERS,
  '/c/web/templates/deployment.yaml': DEPLOYMENT,
};

const HARDENED = `securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop:
      - ALL
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  runAsUser: 10001
  seccompProfile:
    type: RuntimeDefault
  # capabilities:`;

const WEB = 'container "{{ .Chart.Name }}" in Deployment/{{ include "web.fullname" . }}';
const USED = ['/c/web/templates/deployment.yaml:30 container "{{ .Chart.Name }}" in Deployment/{{ include "web.fullname" . }} in /c/web/templates/deployment.yaml'];

describe('Helm charts', () => {
  it('never throws on hostile templates and values: unclosed actions, stray braces, nested blocks, broken YAML', () => {
    let seed = 13;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pieces = ['{{', '}}', '{{- ', ' -}}', '{{ if .Values.a }}', '{{ end }}', '{{ else }}', '{{ with .Values.b }}', '{{ range .Values.c }}', '{{ toYaml . | nindent 4 }}',
      '{{ toYaml .Values.sc | nindent 8 }}', '{{ include "web.labels" . }}', '{{/* x */}}', '"', "'", '`', ':', '- ', '\n', '\n  ', '\n    ', 'securityContext:', 'privileged: true',
      'containers:', 'kind: Pod', 'spec:', '{}', '[', ']', '#', '$x := .Values.a', '{{ $x := .Values.a }}', '{{ define "d" }}', '---\n'];
    for (let i = 0; i < 200; i++) {
      let template = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n';
      let values = 'sc:\n  privileged: true\na: 1\n';
      for (let k = 0; k < 40; k++) template += pieces[rand(pieces.length)];
      for (let k = 0; k < 10; k++) values += pieces[rand(pieces.length)];
      const files: Files = { ...SCAFFOLD, '/c/web/values.yaml': values, '/c/web/templates/x.yaml': template };
      for (const path of ['/c/web/templates/x.yaml', '/c/web/values.yaml']) {
        const result = lint(files[path], { path, ...fs(files) });
        for (const f of result.findings) {
          assert.ok(f.span.start >= 0 && f.span.end <= files[path].length && f.span.start <= f.span.end, `span inside ${path}: ${JSON.stringify(f.span)}`);
          for (const fix of f.fixes) for (const e of fix.edits) assert.ok(e.start >= 0 && e.end <= files[path].length && e.start <= e.end);
        }
      }
    }
  });

  describe('template actions', () => {
    it('finds actions with trim markers, comments and strings holding }}, offsets exact', () => {
      const text = 'a: {{- .Values.x -}}\nb: {{ "}}" }}\n{{/* c }} */}}\n{{- /* d */ -}}\n';
      const scan = scanActions(text);
      assert.deepEqual(
        scan.actions.map((a) => [text.slice(a.start, a.end), a.kind, a.trimLeft, a.trimRight, a.body]),
        [
          ['{{- .Values.x -}}', 'output', true, true, '.Values.x'],
          ['{{ "}}" }}', 'output', false, false, '"}}"'],
          ['{{/* c }} */}}', 'comment', false, false, '/* c }} */'],
          ['{{- /* d */ -}}', 'comment', true, true, '/* d */'],
        ],
      );
      assert.equal(scan.placeholder.length, text.length);
      assert.equal(scan.placeholder, 'a: _________________\nb: __________\n#             \n#              \n');
    });

    it('reports an action that is never closed, and keeps going on the rest of the chart', () => {
      const files = { ...SCAFFOLD, '/c/web/templates/broken.yaml': 'kind: Pod\nspec: {{ .Values.x\n' };
      check(files, '/c/web/templates/broken.yaml', [{ ruleId: 'skipped', message: 'Not analysed: a template action ({{) is never closed.', range: '2:7-2:9' }]);
    });

    it('parses pipelines: functions, pipes, parentheses, variables', () => {
      assert.deepEqual(parsePipeline('toYaml .Values.x | nindent 8'), [
        [{ t: 'ident', name: 'toYaml' }, { t: 'field', base: 'dot', path: ['Values', 'x'] }],
        [{ t: 'ident', name: 'nindent' }, { t: 'number', value: 8 }],
      ]);
      assert.deepEqual(parsePipeline('default (include "a" $) $.Values.y'), [
        [{ t: 'ident', name: 'default' }, { t: 'paren', pipeline: [[{ t: 'ident', name: 'include' }, { t: 'string', value: 'a' }, { t: 'field', base: 'root', path: [] }]] }, { t: 'field', base: 'root', path: ['Values', 'y'] }],
      ]);
      assert.equal(parsePipeline('eq .a "b" |'), undefined);
    });
  });

  describe('the helm create scaffold', () => {
    it('values.yaml: the empty securityContext is reported on its line, with the template line as related information', () => {
      check(SCAFFOLD, '/c/web/values.yaml', [
        {
          ruleId: 'no-root-user',
          // Messages shorten an include in a name; the related information keeps it whole.
          message: new RegExp(`^${escape(`Container ${WEB.slice(10).replace('{{ include "web.fullname" . }}', '{{ web.fullname }}')}`)} may run as root`),
          range: '14:1-14:20',
          related: USED,
          fixes: [
            { title: 'Set runAsNonRoot: true and runAsUser: 10001', output: VALUES.replace('securityContext: {}\n  # cap', 'securityContext: {runAsNonRoot: true, runAsUser: 10001}\n  # cap') },
            { title: /^Replace securityContext: \{\} in values\.yaml with a hardened securityContext/, output: VALUES.replace('securityContext: {}\n  # capabilities:', HARDENED) },
          ],
        },
        {
          ruleId: 'require-drop-all-capabilities',
          message: /does not drop ALL capabilities/,
          range: '14:1-14:20',
          related: USED,
          fixes: [
            { title: 'Add capabilities.drop: [ALL]', output: VALUES.replace('securityContext: {}\n  # cap', 'securityContext: {capabilities: {drop: [ALL]}}\n  # cap') },
            { title: /hardened securityContext/, output: VALUES.replace('securityContext: {}\n  # capabilities:', HARDENED) },
          ],
        },
        {
          ruleId: 'require-no-new-privileges',
          message: /does not set allowPrivilegeEscalation: false/,
          range: '14:1-14:20',
          related: USED,
          fixes: [
            { title: 'Set allowPrivilegeEscalation: false', output: VALUES.replace('securityContext: {}\n  # cap', 'securityContext: {allowPrivilegeEscalation: false}\n  # cap') },
            { title: /hardened securityContext/, output: VALUES.replace('securityContext: {}\n  # capabilities:', HARDENED) },
          ],
        },
      ]);
    });

    it('the template: no "skipped", only what the template itself decides (the pod has no hostUsers and no values key feeds it)', () => {
      check(SCAFFOLD, '/c/web/templates/deployment.yaml', [
        {
          ruleId: 'prefer-user-namespaces',
          message: /^Deployment\/\{\{ web\.fullname \}\} runs in the node's user namespace \(hostUsers not set\)/,
          range: '4:3-4:7',
          fixes: [],
        },
      ]);
    });

    it('a hardened securityContext in values.yaml: nothing left to report on it', () => {
      const hardened = { ...SCAFFOLD, '/c/web/values.yaml': VALUES.replace('securityContext: {}\n  # capabilities:', HARDENED) };
      check(hardened, '/c/web/values.yaml', []);
    });

    it('an empty or comment-only values.yaml is no parse error (argo-cd\'s test charts have both); one that does not parse is', () => {
      for (const values of ['', '# Blank values.yaml\n', '\n\n']) check({ ...SCAFFOLD, '/c/web/values.yaml': values }, '/c/web/values.yaml', []);
      check({ ...SCAFFOLD, '/c/web/values.yaml': 'a: [1\n' }, '/c/web/values.yaml', [{ ruleId: 'parse-error', message: /^YAML parse error: values\.yaml does not parse/, range: '1:1-1:1' }]);
    });

    it('values.yaml is re-read: the template depends on it and on the helpers', () => {
      const result = lint(DEPLOYMENT, { path: '/c/web/templates/deployment.yaml', ...fs(SCAFFOLD) });
      assert.deepEqual(result.dependencies, ['/c/web/values.yaml', '/c/web/templates/_helpers.tpl']);
      const values = lint(VALUES, { path: '/c/web/values.yaml', ...fs(SCAFFOLD) });
      assert.deepEqual(values.dependencies, ['/c/web/values.yaml', '/c/web/templates/_helpers.tpl', '/c/web/templates/deployment.yaml']);
    });
  });

  describe('values followed into the pod spec', () => {
    const POD = (container: string) => `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostUsers: false
  containers:
    - name: agent
      image: agent:1
${container}`;
    const chart = (template: string, values: string): Files => ({
      '/c/a/Chart.yaml': CHART,
      '/c/a/values.yaml': values,
      '/c/a/templates/_helpers.tpl': HELPERS,
      '/c/a/templates/pod.yaml': template,
    });
    const hardened = '        allowPrivilegeEscalation: false\n        runAsNonRoot: true\n        capabilities:\n          drop: [ALL]\n';

    it('{{ .Values.x }} as a scalar: the offending value on its values.yaml line', () => {
      const files = chart(POD(`      securityContext:\n        privileged: {{ .Values.privileged }}\n${hardened}`), 'privileged: true # for the kernel module\n');
      check(files, '/c/a/values.yaml', [
        {
          ruleId: 'no-privileged',
          message: /^Container "agent" in Pod\/agent runs privileged/,
          range: '1:13-1:17',
          related: ['/c/a/templates/pod.yaml:11 used here: {{ .Values.privileged }}'],
          fixes: [],
        },
      ], { 'no-host-devices': 'off' });
      check(files, '/c/a/templates/pod.yaml', []);
    });

    it('with .Values.x + toYaml .: the values map is judged, a literal beside it still reported', () => {
      const files = chart(
        POD(`      {{- with .Values.agent.securityContext }}\n      securityContext:\n        {{- toYaml . | nindent 8 }}\n      {{- end }}\n`).replace('  hostUsers: false\n', '  hostUsers: false\n  {{- if .Values.debug }}\n  hostPID: true\n  {{- end }}\n'),
        'debug: false\nagent:\n  securityContext:\n    allowPrivilegeEscalation: false\n    runAsNonRoot: true\n    capabilities:\n      add: [SYS_ADMIN]\n      drop: [ALL]\n',
      );
      check(files, '/c/a/values.yaml', [
        {
          ruleId: 'no-risky-capabilities',
          message: /^Container "agent" in Pod\/agent adds SYS_ADMIN/,
          range: '7:13-7:22',
          related: ['/c/a/templates/pod.yaml:15 used here: {{- toYaml . | nindent 8 }}'],
          fixes: [{ title: 'Remove SYS_ADMIN from capabilities.add', output: 'debug: false\nagent:\n  securityContext:\n    allowPrivilegeEscalation: false\n    runAsNonRoot: true\n    capabilities:\n      drop: [ALL]\n' }],
        },
      ]);
      const template = files['/c/a/templates/pod.yaml'];
      check(files, '/c/a/templates/pod.yaml', [
        {
          ruleId: 'no-host-namespaces',
          message: /shares the host's PID namespace.* \(in a block off by default\)$/,
          detail: /^It sits inside \{\{ if \.Values\.debug \}\}, which the chart's default values leave out: it applies only when a user's values turn it on\.\n/,
          range: '8:3-8:16',
          fixes: [{ title: 'Remove hostPID: true', output: template.replace('  hostPID: true\n', '') }],
        },
      ]);
    });

    it('names made of actions read short, and a block note never pushes a message far past 120 characters', () => {
      const long = POD(`      securityContext:\n${hardened}`)
        .replace('  name: agent\n', '  name: {{ include "prometheus-pingmesh-exporter.fullname" . }}-daemonset\n')
        .replace('    - name: agent\n', '    - name: {{ include "prometheus-pingmesh-exporter.fullname" . }}-sidecar\n')
        .replace('  hostUsers: false\n', '  hostUsers: false\n  {{- if .Values.debug }}\n  hostPID: true\n  {{- end }}\n');
      const files = chart(long, 'debug: false\n');
      check(files, '/c/a/templates/pod.yaml', [
        {
          ruleId: 'no-host-namespaces',
          message: 'Pod/{{ prometheus-pingmesh-exporter.… shares the host\'s PID namespace (hostPID: true) (in a block off by default)',
          detail: /^It sits inside \{\{ if \.Values\.debug \}\}/,
          range: '8:3-8:16',
          fixes: [{ title: 'Remove hostPID: true', output: long.replace('  hostPID: true\n', '') }],
        },
      ]);
    });

    it('default: the template literal decides when values.yaml has no value', () => {
      const files = chart(POD(`      securityContext:\n        runAsUser: {{ .Values.uid | default 0 }}\n        allowPrivilegeEscalation: false\n        capabilities:\n          drop: [ALL]\n`), 'image: agent\n');
      const template = files['/c/a/templates/pod.yaml'];
      check(files, '/c/a/templates/pod.yaml', [
        { ruleId: 'no-root-user', message: /runs as root \(runAsUser: 0\)/, range: '11:9-11:49', fixes: [] },
      ]);
      assert.ok(template.includes('default 0'));
      // With a value in values.yaml, that value decides, on its line.
      const withUid = { ...files, '/c/a/values.yaml': 'uid: 1000\n' };
      check(withUid, '/c/a/templates/pod.yaml', []);
      check(withUid, '/c/a/values.yaml', []);
    });

    it('unknown never becomes a finding, and never hides a literal next to it', () => {
      // A helper that may set anything in the securityContext: nothing is missing for sure.
      const files = chart(
        POD(`      securityContext:\n        {{- include "x.securityContext" . | nindent 8 }}\n        privileged: true\n`),
        'x: 1\n',
      );
      const template = files['/c/a/templates/pod.yaml'];
      check(files, '/c/a/templates/pod.yaml', [
        { ruleId: 'no-privileged', message: /^Container "agent" in Pod\/agent runs privileged/, range: '12:9-12:25', fixes: [{ title: /privileged/, output: template.replace('        privileged: true\n', '') }] },
      ], { 'no-host-devices': 'off' });
    });

    it('include of a helper that only emits labels or names does not make the container unknown', () => {
      const files = chart(POD(`      {{- include "web.labels" . | nindent 6 }}\n`), 'x: 1\n');
      check(files, '/c/a/templates/pod.yaml', [
        { ruleId: 'no-root-user', message: /may run as root/, range: '8:7-8:18', fixes: [{ title: /runAsNonRoot/, output: files['/c/a/templates/pod.yaml'].replace('      image: agent:1\n', '      image: agent:1\n      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n') }] },
        { ruleId: 'require-drop-all-capabilities', message: /does not drop ALL capabilities/, range: '8:7-8:18' },
        { ruleId: 'require-no-new-privileges', message: /does not set allowPrivilegeEscalation: false/, range: '8:7-8:18' },
      ]);
      // The same place with a helper that may write a securityContext: nothing is reported missing.
      const podSecurity = chart(POD(`      {{- include "web.podSecurity" . | nindent 6 }}\n`), 'x: 1\n');
      check(podSecurity, '/c/a/templates/pod.yaml', []);
    });

    it('a template whose YAML cannot be read around its actions is skipped with the reason', () => {
      const files = chart('kind: Pod\nspec:\n  a: 1\n b: {{ .Values.x }}\n', 'x: 1\n');
      check(files, '/c/a/templates/pod.yaml', [{ ruleId: 'skipped', message: /^Not analysed: this part of the template does not read as YAML once its \{\{ \}\} actions are set aside/, range: '4:1-4:2' }]);
    });

    it('--values: an extra values file merged over values.yaml; each value reported in the file that sets it', () => {
      const files = chart(
        POD(`      securityContext:\n        {{- toYaml .Values.securityContext | nindent 8 }}\n`),
        'securityContext:\n  allowPrivilegeEscalation: false\n  runAsNonRoot: true\n  capabilities:\n    drop: [ALL]\n',
      );
      files['/c/a/values-prod.yaml'] = 'securityContext:\n  privileged: true\n  runAsNonRoot: false\n';
      const prod = ['values-prod.yaml'];
      check(files, '/c/a/values-prod.yaml', [
        { ruleId: 'no-privileged', message: /^Container "agent" in Pod\/agent runs privileged/, range: '2:3-2:19', related: ['/c/a/templates/pod.yaml:11 used here: {{- toYaml .Values.securityContext | nindent 8 }}'], fixes: [
          { title: 'Remove privileged: true', output: 'securityContext:\n  runAsNonRoot: false\n' },
          // values.yaml already drops every capability and turns escalation off: least privilege is the removal here.
          { title: /least privilege/, output: 'securityContext:\n  runAsNonRoot: false\n' },
        ] },
        { ruleId: 'no-root-user', message: /may run as root \(runAsNonRoot: false\) in its own user namespace/, range: '3:3-3:22', fixes: [] },
      ], { 'no-host-devices': 'off' }, prod);
      // values.yaml is overridden where values-prod.yaml says otherwise: nothing left on it.
      check(files, '/c/a/values.yaml', [], undefined, prod);
      // Without --values, the defaults alone: a hardened container.
      check(files, '/c/a/values-prod.yaml', []);
      check(files, '/c/a/templates/pod.yaml', [], undefined, prod);
    });

    it('a folder without Chart.yaml is not a chart: its templates stay skipped', () => {
      const files = chart(POD(''), 'x: 1\n');
      delete files['/c/a/Chart.yaml'];
      const template = files['/c/a/templates/pod.yaml'].replace('name: agent\n', 'name: {{ .Values.name }}\n');
      const findings = lint(template, { path: '/c/a/templates/pod.yaml', ...fs(files) }).findings;
      assert.deepEqual(findings.map((f) => f.ruleId), ['skipped']);
    });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

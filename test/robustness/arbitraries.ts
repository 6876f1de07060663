/**
 * fast-check arbitraries producing text: valid Compose files, Kubernetes manifests,
 * Dockerfiles and devcontainer.json files (in the styles people write: block and flow,
 * 2/4-space and tab indentation, both sequence indentations, comments everywhere,
 * anchors and merge keys, CRLF, BOM), mutations of real files, and random input.
 */
import fc from 'fast-check';
import type { Sample } from './support';

// ---- Vocabulary --------------------------------------------------------------------

const CAPS = ['SYS_ADMIN', 'NET_ADMIN', 'CHOWN', 'ALL', 'CAP_SYS_PTRACE', 'NET_BIND_SERVICE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'NET_RAW', 'sys_time'];
const SEC_OPTS = ['no-new-privileges:true', 'no-new-privileges:false', 'no-new-privileges', 'no-new-privileges=false', 'seccomp:unconfined', 'apparmor:unconfined', 'label:disable'];
const IMAGES = ['nginx', 'nginx:1.27', 'postgres:16-alpine', 'ghcr.io/acme/app:1.2.3', 'redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'alpine', 'mcr.microsoft.com/devcontainers/base:ubuntu'];

const ident = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
/** A comment body with a unique-ish tag, so comment bookkeeping can tell comments apart. */
const commentArb = fc.option(fc.stringMatching(/^[A-Za-z0-9 ,.:!?'"()-]{0,20}$/), { nil: undefined, freq: 2 });

let commentSerial = 0;
function comment(body: string | undefined, prefix: string): string {
  if (body === undefined) return '';
  commentSerial = (commentSerial + 1) % 1_000_000;
  return ` ${prefix} c${commentSerial} ${body}`.trimEnd();
}

export interface Style {
  eol: '\n' | '\r\n';
  bom: boolean;
}
const styleArb: fc.Arbitrary<Style> = fc.record({ eol: fc.constantFrom<('\n' | '\r\n')[]>('\n', '\n', '\r\n'), bom: fc.boolean() });

function finish(lines: string[], style: Style, finalNewline = true): string {
  return (style.bom ? '\uFEFF' : '') + lines.join(style.eol) + (finalNewline ? style.eol : '');
}

// ---- Compose -----------------------------------------------------------------------

const yamlBool = fc.constantFrom('true', 'false', 'yes', 'on', '"true"', 'True', "'false'");
const composeUser = fc.constantFrom('root', '"0"', '"1000"', '"0:0"', 'app', '"${UID:-0}"', '"${UID}"', "'1000:1000'", 'root:root');
const listArb = (items: string[]) =>
  fc.record({ flow: fc.boolean(), items: fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: 4 }), quoted: fc.boolean() });

const serviceArb = fc.record({
  image: fc.option(fc.constantFrom(...IMAGES), { nil: undefined }),
  privileged: fc.option(yamlBool, { nil: undefined }),
  user: fc.option(composeUser, { nil: undefined }),
  capAdd: fc.option(listArb(CAPS), { nil: undefined }),
  capDrop: fc.option(listArb(['ALL', 'NET_RAW', 'MKNOD']), { nil: undefined }),
  securityOpt: fc.option(listArb(SEC_OPTS), { nil: undefined }),
  merge: fc.boolean(),
  extendsPrev: fc.boolean(),
  flowService: fc.boolean(),
  comments: fc.array(commentArb, { minLength: 12, maxLength: 12 }),
  order: fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
});

export const composeArb: fc.Arbitrary<Sample> = fc
  .record({
    style: styleArb,
    indent: fc.constantFrom(2, 4),
    seqIndent: fc.boolean(),
    name: fc.constantFrom('compose.yaml', 'docker-compose.yml', 'compose.prod.yml', 'stack/docker-compose.override.yaml'),
    version: fc.boolean(),
    common: fc.option(fc.record({ privileged: fc.option(yamlBool, { nil: undefined }), capAdd: fc.option(listArb(CAPS), { nil: undefined }) }), { nil: undefined }),
    names: fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }),
    services: fc.array(serviceArb, { minLength: 4, maxLength: 4 }),
    headComment: commentArb,
  })
  .map(({ style, indent, seqIndent, name, version, common, names, services, headComment }) => {
    const pad = (n: number) => ' '.repeat(n * indent);
    const lines: string[] = [];
    if (headComment !== undefined) lines.push(comment(headComment, '#').trim());
    if (version) lines.push("version: '3.8'");
    const block = (key: string, l: { flow: boolean; items: string[]; quoted: boolean }, level: number, c: string) => {
      const items = l.items.map((s) => (l.quoted ? `"${s}"` : s));
      if (l.flow) return [`${pad(level)}${key}: [${items.join(', ')}]${c}`];
      const dash = seqIndent ? pad(level + 1) : pad(level);
      return [`${pad(level)}${key}:${c}`, ...items.map((s) => `${dash}- ${s}`)];
    };
    if (common && (common.privileged || common.capAdd)) {
      lines.push('x-common: &common');
      if (common.privileged) lines.push(`${pad(1)}privileged: ${common.privileged}`);
      if (common.capAdd) lines.push(...block('cap_add', common.capAdd, 1, ''));
    }
    lines.push('services:');
    names.forEach((svcName, i) => {
      const s = services[i];
      const cm = (k: number) => comment(s.comments[k], '#');
      if (s.flowService) {
        // A flow-style service: `web: {image: x, privileged: true, cap_add: [A, B]}`.
        const parts: string[] = [`image: ${s.image ?? 'busybox'}`];
        if (s.privileged) parts.push(`privileged: ${s.privileged}`);
        if (s.user) parts.push(`user: ${s.user}`);
        if (s.capAdd) parts.push(`cap_add: [${s.capAdd.items.join(', ')}]`);
        if (s.securityOpt) parts.push(`security_opt: [${s.securityOpt.items.join(', ')}]`);
        lines.push(`${pad(1)}${svcName}: {${parts.join(', ')}}${cm(0)}`);
        return;
      }
      lines.push(`${pad(1)}${svcName}:${cm(0)}`);
      const body: string[][] = [];
      if (s.merge && common && (common.privileged || common.capAdd)) body.push([`${pad(2)}<<: *common${cm(1)}`]);
      if (s.extendsPrev && i > 0) body.push([`${pad(2)}extends: ${names[i - 1]}${cm(2)}`]);
      body.push([`${pad(2)}image: ${s.image ?? 'busybox'}${cm(3)}`]);
      if (s.privileged) body.push([`${pad(2)}privileged: ${s.privileged}${cm(4)}`]);
      if (s.user) body.push([`${pad(2)}user: ${s.user}${cm(5)}`]);
      if (s.capAdd) body.push(block('cap_add', s.capAdd, 2, cm(6)));
      if (s.capDrop) body.push(block('cap_drop', s.capDrop, 2, cm(7)));
      if (s.securityOpt) body.push(block('security_opt', s.securityOpt, 2, cm(8)));
      if (s.comments[9] !== undefined) body.push([`${pad(2)}${comment(s.comments[9], '#').trim()}`]);
      body.push([`${pad(2)}restart: unless-stopped${cm(10)}`]);
      // Shuffle the keys (a stable permutation from `order`).
      const keyed = body.map((b, k) => ({ b, k: s.order[k % s.order.length] * 31 + k }));
      keyed.sort((a, b) => a.k - b.k);
      for (const { b } of keyed) lines.push(...b);
    });
    return { path: name, text: finish(lines, style) };
  });

// ---- Kubernetes --------------------------------------------------------------------

const k8sBool = fc.constantFrom('true', 'false');
const securityContextArb = fc.record({
  flow: fc.boolean(),
  privileged: fc.option(k8sBool, { nil: undefined }),
  allowPrivilegeEscalation: fc.option(k8sBool, { nil: undefined }),
  runAsUser: fc.option(fc.constantFrom('0', '1000', '65534'), { nil: undefined }),
  runAsNonRoot: fc.option(k8sBool, { nil: undefined }),
  add: fc.option(fc.uniqueArray(fc.constantFrom(...CAPS), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  drop: fc.option(fc.uniqueArray(fc.constantFrom('ALL', 'NET_RAW'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  addFlow: fc.boolean(),
});
type SecurityContext = typeof securityContextArb extends fc.Arbitrary<infer T> ? T : never;

const containerArb = fc.record({
  name: ident,
  image: fc.constantFrom(...IMAGES),
  sc: fc.option(securityContextArb, { nil: undefined, freq: 4 }),
  comments: fc.array(commentArb, { minLength: 4, maxLength: 4 }),
});

const WORKLOADS: [string, string, string[]][] = [
  ['Pod', 'v1', ['spec']],
  ['Deployment', 'apps/v1', ['spec', 'template', 'spec']],
  ['StatefulSet', 'apps/v1', ['spec', 'template', 'spec']],
  ['DaemonSet', 'apps/v1', ['spec', 'template', 'spec']],
  ['ReplicaSet', 'apps/v1', ['spec', 'template', 'spec']],
  ['Job', 'batch/v1', ['spec', 'template', 'spec']],
  ['CronJob', 'batch/v1', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
];

const k8sDocArb = fc.record({
  workload: fc.nat({ max: WORKLOADS.length }), // WORKLOADS.length: a ConfigMap
  name: ident,
  podSc: fc.option(fc.record({ runAsUser: fc.option(fc.constantFrom('0', '1000'), { nil: undefined }), runAsNonRoot: fc.option(k8sBool, { nil: undefined }) }), { nil: undefined }),
  containers: fc.array(containerArb, { minLength: 1, maxLength: 3 }),
  initContainers: fc.array(containerArb, { maxLength: 1 }),
  comments: fc.array(commentArb, { minLength: 3, maxLength: 3 }),
});

function securityContextLines(sc: SecurityContext, base: string, step: string, seqIndent: boolean, c: string): string[] {
  const pairs: [string, string][] = [];
  if (sc.privileged) pairs.push(['privileged', sc.privileged]);
  if (sc.allowPrivilegeEscalation) pairs.push(['allowPrivilegeEscalation', sc.allowPrivilegeEscalation]);
  if (sc.runAsUser) pairs.push(['runAsUser', sc.runAsUser]);
  if (sc.runAsNonRoot) pairs.push(['runAsNonRoot', sc.runAsNonRoot]);
  const caps: string[] = [];
  if (sc.add) caps.push(`add: [${sc.add.join(', ')}]`);
  if (sc.drop) caps.push(`drop: [${sc.drop.join(', ')}]`);
  if (sc.flow || pairs.length + caps.length === 0) {
    const body = pairs.map(([k, v]) => `${k}: ${v}`);
    if (caps.length) body.push(`capabilities: {${caps.join(', ')}}`);
    return [`${base}securityContext: {${body.join(', ')}}${c}`];
  }
  const out = [`${base}securityContext:${c}`, ...pairs.map(([k, v]) => `${base}${step}${k}: ${v}`)];
  if (caps.length) {
    out.push(`${base}${step}capabilities:`);
    if (sc.add) {
      if (sc.addFlow) out.push(`${base}${step}${step}add: [${sc.add.join(', ')}]`);
      else out.push(`${base}${step}${step}add:`, ...sc.add.map((a) => `${base}${step}${step}${seqIndent ? step : ''}- ${a}`));
    }
    if (sc.drop) out.push(`${base}${step}${step}drop: [${sc.drop.join(', ')}]`);
  }
  return out;
}

export const kubernetesArb: fc.Arbitrary<Sample> = fc
  .record({
    style: styleArb,
    indent: fc.constantFrom(2, 4),
    seqIndent: fc.boolean(),
    docs: fc.array(k8sDocArb, { minLength: 1, maxLength: 3 }),
    leadingSeparator: fc.boolean(),
    list: fc.boolean(),
  })
  .map(({ style, indent, seqIndent, docs, leadingSeparator, list }) => {
    const pad = (n: number) => ' '.repeat(n * indent);
    const seqPad = (n: number) => (seqIndent ? pad(n + 1) : pad(n));
    const docLines = (d: (typeof docs)[number], base: string): string[] => {
      const lines: string[] = [];
      const cm = (k: number) => comment(d.comments[k], '#');
      if (d.workload === WORKLOADS.length) {
        lines.push('apiVersion: v1', 'kind: ConfigMap', 'metadata:', `${pad(1)}name: ${d.name}${cm(0)}`, 'data:', `${pad(1)}key: value`);
        return lines.map((l) => base + l);
      }
      const [kind, apiVersion, path] = WORKLOADS[d.workload];
      lines.push(`apiVersion: ${apiVersion}`, `kind: ${kind}${cm(0)}`, 'metadata:', `${pad(1)}name: ${d.name}`);
      let level = 0;
      for (const key of path.slice(0, -1)) {
        lines.push(`${pad(level)}${key}:`);
        level++;
        if (key === 'template') {
          lines.push(`${pad(level)}metadata:`, `${pad(level + 1)}labels: {app: ${d.name}}`);
        }
        if (key === 'spec' && (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'ReplicaSet') && level === 1) {
          lines.push(`${pad(level)}selector:`, `${pad(level + 1)}matchLabels: {app: ${d.name}}`);
        }
        if (key === 'spec' && kind === 'CronJob' && level === 1) lines.push(`${pad(level)}schedule: "*/5 * * * *"`);
      }
      lines.push(`${pad(level)}spec:${cm(1)}`);
      level++;
      if (kind === 'Job' || kind === 'CronJob') lines.push(`${pad(level)}restartPolicy: Never`);
      if (d.podSc && (d.podSc.runAsUser || d.podSc.runAsNonRoot)) {
        lines.push(`${pad(level)}securityContext:`);
        if (d.podSc.runAsUser) lines.push(`${pad(level + 1)}runAsUser: ${d.podSc.runAsUser}`);
        if (d.podSc.runAsNonRoot) lines.push(`${pad(level + 1)}runAsNonRoot: ${d.podSc.runAsNonRoot}`);
      }
      const names = new Set<string>();
      for (const [listKey, cs] of [['initContainers', d.initContainers], ['containers', d.containers]] as const) {
        if (cs.length === 0) continue;
        lines.push(`${pad(level)}${listKey}:${cm(2)}`);
        for (const c of cs) {
          let n = c.name;
          while (names.has(n)) n += 'x';
          names.add(n);
          const ccm = (k: number) => comment(c.comments[k], '#');
          const itemPad = seqPad(level);
          const inner = itemPad + '  ';
          lines.push(`${itemPad}- name: ${n}${ccm(0)}`, `${inner}image: ${c.image}${ccm(1)}`);
          if (c.comments[2] !== undefined) lines.push(`${inner}${comment(c.comments[2], '#').trim()}`);
          if (c.sc) lines.push(...securityContextLines(c.sc, inner, pad(1), seqIndent, ccm(3)));
        }
      }
      return lines.map((l) => base + l);
    };
    const out: string[] = [];
    if (list) {
      out.push('apiVersion: v1', 'kind: List', 'items:');
      for (const d of docs) {
        // The item's keys sit two columns right of its dash.
        const dash = seqIndent ? pad(1) : '';
        const ls = docLines(d, `${dash}  `);
        out.push(`${dash}- ${ls[0].trimStart()}`, ...ls.slice(1));
      }
    } else {
      if (leadingSeparator) out.push('---');
      docs.forEach((d, i) => {
        if (i > 0) out.push('---');
        out.push(...docLines(d, ''));
      });
    }
    return { path: list ? 'list.yaml' : 'k8s/manifest.yaml', text: finish(out, style) };
  });

// ---- Dockerfile --------------------------------------------------------------------

const dockerInstruction = fc.oneof(
  fc.constantFrom('RUN apt-get update && apt-get install -y curl', 'RUN --security=insecure make install', 'RUN --mount=type=cache,target=/root/.cache --security=insecure pip install -r req.txt', 'RUN --network=none true'),
  fc.constantFrom('USER root', 'USER 0', 'USER 1000', 'USER app', 'USER app:app', 'USER $APP_USER', 'USER ${APP_USER:-root}', 'USER 0:0', 'user nobody'),
  fc.constantFrom('ARG APP_USER=root', 'ARG APP_USER=1000', 'ARG APP_USER', 'ENV APP_USER=app', 'ENV HOME=/home/app'),
  fc.constantFrom('WORKDIR /app', 'COPY . /app', 'COPY --chown=1000:1000 . /app', 'EXPOSE 8080', 'LABEL a="b"'),
  fc.constantFrom('RUN echo a \\\n    && echo b', 'RUN <<EOF\necho heredoc\nEOF'),
);

export const dockerfileArb: fc.Arbitrary<Sample> = fc
  .record({
    style: styleArb,
    name: fc.constantFrom('Dockerfile', 'Containerfile', 'build/Dockerfile.prod', 'api.dockerfile'),
    globals: fc.array(fc.constantFrom('ARG BASE=alpine:3.20', 'ARG APP_USER=root', '# syntax comment'), { maxLength: 2 }),
    stages: fc.array(
      fc.record({
        named: fc.boolean(),
        fromPrev: fc.boolean(),
        image: fc.constantFrom('alpine:3.20', 'node:20', '$BASE', 'scratch', 'gcr.io/distroless/static'),
        body: fc.array(fc.tuple(dockerInstruction, commentArb), { maxLength: 6 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    tail: fc.constantFrom('', 'CMD ["app"]', 'ENTRYPOINT ["/app"]', 'HEALTHCHECK CMD true\nCMD ["app"]', '# start\nCMD app'),
    indent: fc.constantFrom('', '', '  ', '\t'),
  })
  .map(({ style, name, globals, stages, tail, indent }) => {
    const lines: string[] = [...globals];
    stages.forEach((s, i) => {
      const image = s.fromPrev && i > 0 && stages[i - 1].named ? `stage${i - 1}` : s.image;
      lines.push(`FROM ${image}${s.named ? ` AS stage${i}` : ''}`);
      for (const [ins, c] of s.body) {
        if (c !== undefined) lines.push(comment(c, '#').trim());
        lines.push(...ins.split('\n').map((l, k) => (k === 0 ? indent + l : l)));
      }
    });
    if (tail) lines.push(...tail.split('\n'));
    return { path: name, text: finish(lines.join('\n').split('\n'), style) };
  });

// ---- devcontainer.json -------------------------------------------------------------

const RUN_ARGS = [
  ['"--privileged"'],
  ['"--privileged=false"'],
  ['"--cap-add=SYS_ADMIN"'],
  ['"--cap-add"', '"NET_ADMIN"'],
  ['"--cap-add=SYS_PTRACE,NET_RAW"'],
  ['"--cap-drop=ALL"'],
  ['"--security-opt"', '"no-new-privileges:false"'],
  ['"--security-opt=seccomp=unconfined"'],
  ['"-u"', '"root"'],
  ['"--user=0"'],
  ['"-it"'],
  ['"--init"'],
  ['"--network=host"'],
  ['"-e"', '"A=B"'],
];

export const devcontainerArb: fc.Arbitrary<Sample> = fc
  .record({
    style: styleArb,
    indent: fc.constantFrom('\t', '  ', '    '),
    inline: fc.boolean(),
    trailingCommas: fc.boolean(),
    name: fc.constantFrom('.devcontainer/devcontainer.json', '.devcontainer.json', '.devcontainer/python/devcontainer.json'),
    props: fc.record({
      image: fc.option(fc.constantFrom(...IMAGES), { nil: undefined }),
      privileged: fc.option(fc.constantFrom('true', 'false'), { nil: undefined }),
      capAdd: fc.option(fc.uniqueArray(fc.constantFrom(...CAPS), { minLength: 0, maxLength: 3 }), { nil: undefined }),
      securityOpt: fc.option(fc.uniqueArray(fc.constantFrom(...SEC_OPTS), { minLength: 0, maxLength: 2 }), { nil: undefined }),
      runArgs: fc.option(fc.array(fc.nat({ max: RUN_ARGS.length - 1 }), { maxLength: 4 }), { nil: undefined }),
      containerUser: fc.option(fc.constantFrom('root', '0', 'vscode', '${localEnv:USER}'), { nil: undefined }),
      remoteUser: fc.option(fc.constantFrom('root', 'vscode'), { nil: undefined }),
    }),
    order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    comments: fc.array(fc.oneof(commentArb, fc.constant<string | undefined>(undefined)), { minLength: 9, maxLength: 9 }),
    multilineArrays: fc.boolean(),
  })
  .map(({ style, indent, inline, trailingCommas, name, props, order, comments, multilineArrays }) => {
    const entries: { text: string[]; comment?: string }[] = [];
    const arr = (items: string[], level: string) => {
      if (!multilineArrays || inline || items.length === 0) return [`[${items.join(', ')}]`];
      return ['[', ...items.map((it, i) => `${level}${indent}${it}${i < items.length - 1 || trailingCommas ? ',' : ''}`), `${level}]`];
    };
    const prop = (key: string, value: string[]) => {
      const [first, ...rest] = value;
      return [`"${key}": ${first}`, ...rest];
    };
    entries.push({ text: prop('name', ['"dev"']) });
    if (props.image) entries.push({ text: prop('image', [JSON.stringify(props.image)]) });
    if (props.privileged) entries.push({ text: prop('privileged', [props.privileged]) });
    if (props.capAdd) entries.push({ text: prop('capAdd', arr(props.capAdd.map((c) => JSON.stringify(c)), indent)) });
    if (props.securityOpt) entries.push({ text: prop('securityOpt', arr(props.securityOpt.map((c) => JSON.stringify(c)), indent)) });
    if (props.runArgs) entries.push({ text: prop('runArgs', arr(props.runArgs.flatMap((i) => RUN_ARGS[i]), indent)) });
    if (props.containerUser) entries.push({ text: prop('containerUser', [JSON.stringify(props.containerUser)]) });
    if (props.remoteUser) entries.push({ text: prop('remoteUser', [JSON.stringify(props.remoteUser)]) });
    const keyed = entries.map((e, k) => ({ e, k: order[k % order.length] * 31 + k, c: comments[k] }));
    keyed.sort((a, b) => a.k - b.k);
    if (inline) {
      const body = keyed.map(({ e }) => e.text.join(' ')).join(', ');
      return { path: name, text: finish([`{${body}${trailingCommas ? ',' : ''}}${comment(comments[8], '//')}`], style) };
    }
    const lines: string[] = ['{'];
    if (comments[8] !== undefined) lines.push(`${indent}${comment(comments[8], '//').trim()}`);
    keyed.forEach(({ e, c }, i) => {
      const comma = i < keyed.length - 1 || trailingCommas ? ',' : '';
      const [first, ...rest] = e.text;
      if (rest.length === 0) lines.push(`${indent}${first}${comma}${comment(c, '//')}`);
      else {
        lines.push(`${indent}${first}${comment(c, '//')}`);
        rest.forEach((l, k) => lines.push(`${indent}${l}${k === rest.length - 1 ? comma : ''}`));
      }
    });
    lines.push('}');
    return { path: name, text: finish(lines, style) };
  });

export const validFileArb: fc.Arbitrary<Sample> = fc.oneof(composeArb, kubernetesArb, dockerfileArb, devcontainerArb);

// ---- Random input ------------------------------------------------------------------

export const PATHS = ['compose.yaml', 'k8s/pod.yaml', 'Dockerfile', '.devcontainer/devcontainer.json', 'chart/values.yml'];
const pathArb = fc.constantFrom(...PATHS);

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const asciiUnit = fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c));
const syntaxUnit = fc.constantFrom(...'{}[]:-#&*!|>?,"\'\\\n\r\t %@`$=/ab01'.split(''));

/** Random strings and random bytes (decoded as UTF-8 and as Latin-1), for every kind. */
export const randomInputArb: fc.Arbitrary<Sample> = fc.oneof(
  fc.record({ path: pathArb, text: fc.array(codeUnit, { maxLength: 400 }).map((a) => a.join('')) }),
  fc.record({ path: pathArb, text: fc.array(asciiUnit, { maxLength: 400 }).map((a) => a.join('')) }),
  fc.record({ path: pathArb, text: fc.array(syntaxUnit, { maxLength: 300 }).map((a) => a.join('')) }),
  fc.record({ path: pathArb, bytes: fc.uint8Array({ maxLength: 600 }), latin1: fc.boolean() }).map(({ path, bytes, latin1 }) => ({ path, text: Buffer.from(bytes).toString(latin1 ? 'latin1' : 'utf8') })),
);

// ---- Mutations ---------------------------------------------------------------------

export type Mutation =
  | { t: 'flip'; pos: number; code: number }
  | { t: 'truncate'; pos: number }
  | { t: 'indent'; line: number; delta: number; tab: boolean }
  | { t: 'swapLines'; a: number; b: number }
  | { t: 'dupLine'; line: number }
  | { t: 'deleteLine'; line: number }
  | { t: 'anchor'; line: number; name: string }
  | { t: 'alias'; line: number; name: string }
  | { t: 'merge'; line: number; name: string }
  | { t: 'huge'; pos: number; size: number; unit: string }
  | { t: 'deep'; pos: number; depth: number; open: string }
  | { t: 'eol'; to: '\r\n' | '\r' | '\n' }
  | { t: 'bom' }
  | { t: 'nul'; pos: number }
  | { t: 'insert'; pos: number; s: string }
  | { t: 'directive'; line: number; ids: string };

const INTERESTING = [0, 9, 10, 13, 32, 34, 35, 38, 39, 42, 44, 45, 47, 58, 62, 91, 92, 93, 123, 124, 125, 0xfeff, 0xd800, 0xdc00, 0x2028, 0x85];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('flip' as const), pos: fc.nat(), code: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 0xffff })) }) },
  fc.record({ t: fc.constant('truncate' as const), pos: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ t: fc.constant('indent' as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 4 }), tab: fc.boolean() }) },
  fc.record({ t: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ t: fc.constant('dupLine' as const), line: fc.nat() }),
  fc.record({ t: fc.constant('deleteLine' as const), line: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ t: fc.constant('anchor' as const), line: fc.nat(), name: fc.constantFrom('a', 'b', 'x1') }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('alias' as const), line: fc.nat(), name: fc.constantFrom('a', 'b', 'x1', 'missing') }) },
  fc.record({ t: fc.constant('merge' as const), line: fc.nat(), name: fc.constantFrom('a', 'b', 'x1') }),
  fc.record({ t: fc.constant('huge' as const), pos: fc.nat(), size: fc.integer({ min: 10_000, max: 300_000 }), unit: fc.constantFrom('x', ' ', 'a: ', '- ', '#', '\\', '"', '${', '\t') }),
  fc.record({ t: fc.constant('deep' as const), pos: fc.nat(), depth: fc.integer({ min: 100, max: 10_000 }), open: fc.constantFrom('[', '{', '{a: ', '- ', '[{"a":') }),
  fc.record({ t: fc.constant('eol' as const), to: fc.constantFrom<('\r\n' | '\r' | '\n')[]>('\r\n', '\r', '\n') }),
  fc.record({ t: fc.constant('bom' as const) }),
  fc.record({ t: fc.constant('nul' as const), pos: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ t: fc.constant('insert' as const), pos: fc.nat(), s: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(': ', '- ', '---\n', '...\n', '? ', '!!binary ', '!tag ', '<<: ', '"', "'", '{{ x }}', '\\\n', '/*', '//', ',', '%YAML 1.1\n', '# container-privilege-lint-disable\n')) }) },
  fc.record({ t: fc.constant('directive' as const), line: fc.nat(), ids: fc.constantFrom('', ' no-privileged', ' no-root-user, no-risky-capabilities -- why', ' unknown-rule') }),
);

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

export function mutate(text: string, m: Mutation): string {
  const at = (p: number) => (text.length === 0 ? 0 : p % (text.length + 1));
  const lines = splitLines(text);
  const li = (n: number) => (lines.length === 0 ? 0 : n % lines.length);
  switch (m.t) {
    case 'flip': {
      if (text.length === 0) return String.fromCharCode(m.code);
      const p = m.pos % text.length;
      return text.slice(0, p) + String.fromCharCode(m.code) + text.slice(p + 1);
    }
    case 'truncate':
      return text.slice(0, at(m.pos));
    case 'indent': {
      if (lines.length === 0) return text;
      const i = li(m.line);
      const l = lines[i];
      const lead = /^[ \t]*/.exec(l)?.[0] ?? '';
      const n = Math.max(0, lead.length + m.delta);
      lines[i] = (m.tab ? '\t'.repeat(Math.ceil(n / 2)) : ' '.repeat(n)) + l.slice(lead.length);
      return lines.join('');
    }
    case 'swapLines': {
      if (lines.length < 2) return text;
      const a = li(m.a);
      const b = li(m.b);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('');
    }
    case 'dupLine':
      if (lines.length === 0) return text;
      lines.splice(li(m.line), 0, lines[li(m.line)]);
      return lines.join('');
    case 'deleteLine':
      if (lines.length === 0) return text;
      lines.splice(li(m.line), 1);
      return lines.join('');
    case 'anchor':
    case 'alias': {
      if (lines.length === 0) return text;
      const i = li(m.line);
      const l = lines[i];
      const colon = l.indexOf(': ');
      const dash = /^[ \t]*- /.exec(l);
      const p = colon >= 0 ? colon + 2 : dash ? dash[0].length : -1;
      if (p < 0) return text;
      const eol = /\r?\n$/.exec(l)?.[0] ?? '';
      lines[i] = m.t === 'anchor' ? `${l.slice(0, p)}&${m.name} ${l.slice(p)}` : `${l.slice(0, p)}*${m.name}${eol}`;
      return lines.join('');
    }
    case 'merge': {
      if (lines.length === 0) return text;
      const i = li(m.line);
      const lead = /^[ \t]*/.exec(lines[i])?.[0] ?? '';
      lines.splice(i, 0, `${lead}<<: *${m.name}\n`);
      return lines.join('');
    }
    case 'huge': {
      const p = at(m.pos);
      return text.slice(0, p) + m.unit.repeat(Math.ceil(m.size / m.unit.length)) + text.slice(p);
    }
    case 'deep': {
      const p = at(m.pos);
      const close = m.open === '[' ? ']' : m.open === '{' ? '}' : m.open === '{a: ' ? '}' : m.open === '[{"a":' ? '}]' : '';
      const inner = m.open === '{' ? 'a: 1' : m.open === '- ' ? 'x' : '1';
      return text.slice(0, p) + m.open.repeat(m.depth) + inner + close.repeat(m.depth) + text.slice(p);
    }
    case 'eol':
      return text.replace(/\r\n|\r|\n/g, m.to);
    case 'bom':
      return `\uFEFF${text}`;
    case 'nul': {
      const p = at(m.pos);
      return `${text.slice(0, p)}\u0000${text.slice(p)}`;
    }
    case 'insert': {
      const p = at(m.pos);
      return text.slice(0, p) + m.s + text.slice(p);
    }
    case 'directive': {
      const i = li(m.line);
      const lead = /^[ \t]*/.exec(lines[i] ?? '')?.[0] ?? '';
      const prefix = text.trimStart().startsWith('{') ? '//' : '#';
      lines.splice(i, 0, `${lead}${prefix} container-privilege-lint-disable-next-line${m.ids}\n`);
      return lines.join('');
    }
  }
}

/** A seed file with 1–4 mutations applied. The mutations are data, so a failure shrinks to few. */
export function mutatedArb(seeds: Sample[]): fc.Arbitrary<Sample & { mutations: Mutation[]; seed: string }> {
  return fc.record({ seed: fc.constantFrom(...seeds), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) }).map(({ seed, mutations }) => ({
    path: seed.path,
    seed: seed.path,
    mutations,
    text: mutations.reduce((t, m) => mutate(t, m), seed.text),
  }));
}

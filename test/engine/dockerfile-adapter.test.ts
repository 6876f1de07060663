import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerfile, withShortDirectiveRuns } from '../../server/src/engine/adapters/dockerfile';
import { applyEdits } from '../../server/src/engine/index';
import type { Container, Span } from '../../server/src/engine/model';
import type { EngineSettings, FixIntent } from '../../server/src/engine/rule';

const settings: EngineSettings = { nonRootUid: 10001, profile: 'default' };

function container(text: string): Container {
  const parsed = parseDockerfile(text, 'Dockerfile');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.workloads.length, 1);
  const workload = parsed.workloads[0]!;
  assert.equal(workload.kind, 'dockerfile');
  assert.equal(workload.name, 'Dockerfile');
  assert.equal(workload.containers.length, 1);
  return workload.containers[0]!;
}

const at = (text: string, span: Span | undefined): string => {
  assert.ok(span, 'expected a span');
  return text.slice(span.start, span.end);
};

function fix(text: string, intent: (c: Container) => FixIntent): { title: string; output: string; after: Container } {
  const parsed = parseDockerfile(text, 'Dockerfile');
  const c = parsed.workloads[0]!.containers[0]!;
  const result = parsed.writer.apply(intent(c), c, settings);
  assert.ok(result, 'expected a fix');
  const output = applyEdits(text, result.edits);
  return { title: result.title, output, after: container(output) };
}

describe('Dockerfile adapter: the final stage', () => {
  it('one container for the final stage, anchored on its FROM', () => {
    const text = 'FROM golang:1.22 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /app /app\n';
    const c = container(text);
    assert.equal(c.kind, 'dockerfile');
    assert.equal(c.label, 'final stage (FROM alpine:3.20)');
    assert.equal(at(text, c.anchor), 'FROM alpine:3.20');
    assert.equal(c.image?.value, 'alpine:3.20');
    assert.equal(at(text, c.image?.valueSpan), 'alpine:3.20');
    assert.equal(at(text, c.image?.span), 'FROM alpine:3.20');
    assert.equal(c.supportsNoNewPrivileges, false);
    assert.deepEqual([c.capAdd, c.capDrop, c.securityOpt, c.privileged], [[], [], [], []]);
    assert.equal(c.noNewPrivileges, undefined);
  });

  it('a named final stage is labelled by its name', () => {
    const text = 'FROM node:20 AS runtime\n';
    const c = container(text);
    assert.equal(c.label, 'final stage "runtime"');
    assert.equal(c.name, 'runtime');
    assert.equal(at(text, c.anchor), 'FROM node:20 AS runtime');
  });

  it('an empty or comment-only file gives no workload and no problem', () => {
    for (const text of ['', '\n\n', '# just a comment\n', '\uFEFF']) {
      const parsed = parseDockerfile(text, 'Dockerfile');
      assert.deepEqual(parsed.workloads, [], JSON.stringify(text));
      assert.deepEqual(parsed.problems, [], JSON.stringify(text));
      assert.equal(parsed.commentPrefix, '#');
    }
  });

  it('no FROM: nothing is built, no workload', () => {
    assert.deepEqual(parseDockerfile('RUN echo hi\n', 'Dockerfile').workloads, []);
  });
});

describe('Dockerfile adapter: USER', () => {
  const cases: [string, string][] = [
    ['root', 'root'],
    ['0', 'root'],
    ['0:0', 'root'],
    ['root:root', 'root'],
    ['root:wheel', 'root'],
    ['app', 'nonroot'],
    ['1000:1000', 'nonroot'],
    ['10001', 'nonroot'],
    ['rooty', 'nonroot'],
  ];
  for (const [arg, verdict] of cases) {
    it(`USER ${arg} → ${verdict}`, () => {
      const text = `FROM alpine\nUSER ${arg}\nCMD ["sh"]\n`;
      const c = container(text);
      assert.equal(c.user.verdict, verdict);
      assert.equal(at(text, c.user.at?.span), `USER ${arg}`);
      assert.equal(at(text, c.user.at?.valueSpan), arg);
      assert.equal(c.user.at?.value, arg);
      assert.equal(c.user.at?.field, 'USER');
      assert.equal(c.user.how, `USER ${arg}`);
    });
  }

  it('the last USER of the final stage decides', () => {
    const text = 'FROM alpine\nUSER root\nRUN apk add curl\nUSER app\n';
    assert.equal(container(text).user.verdict, 'nonroot');
    const back = 'FROM alpine\nUSER app\nRUN id\nUSER root\nRUN id\n';
    const c = container(back);
    assert.equal(c.user.verdict, 'root');
    assert.equal(c.user.at?.span.start, back.lastIndexOf('USER root'));
  });

  it('no USER in the final stage is unset', () => {
    const c = container('FROM nginx\nCOPY . /usr/share/nginx/html\n');
    assert.equal(c.user.verdict, 'unset');
    assert.equal(c.user.at, undefined);
    assert.equal(c.user.how, 'no USER in the final stage; the base image default applies (usually root)');
  });

  it('multi-stage: an earlier stage that is not the base does not count', () => {
    const unset = container('FROM golang AS build\nUSER root\nRUN make\nFROM alpine\nCOPY --from=build /a /a\n');
    assert.equal(unset.user.verdict, 'unset');
    const nonroot = container('FROM golang AS build\nUSER root\nFROM gcr.io/distroless/static\nUSER 65532\n');
    assert.equal(nonroot.user.verdict, 'nonroot');
    const root = container('FROM golang AS build\nUSER app\nFROM alpine\nUSER root\n');
    assert.equal(root.user.verdict, 'root');
  });

  it('USER ${APP_UID} with nothing declaring it is unknown', () => {
    const text = 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER ${APP_UID}\n';
    const c = container(text);
    assert.equal(c.user.verdict, 'unknown');
    assert.equal(at(text, c.user.at?.valueSpan), '${APP_UID}');
    assert.match(c.user.how ?? '', /APP_UID is not declared/);
  });

  it('an ARG without a default is unknown (it comes from --build-arg)', () => {
    const c = container('FROM alpine\nARG APP_UID\nUSER ${APP_UID}\n');
    assert.equal(c.user.verdict, 'unknown');
    assert.match(c.user.how ?? '', /no default/);
  });

  it('ARG defaults in the stage resolve USER', () => {
    const root = container('FROM alpine\nARG U=0\nUSER $U\n');
    assert.equal(root.user.verdict, 'root');
    assert.equal(root.user.how, 'USER $U resolves to 0 (ARG U default)');
    assert.equal(container('FROM alpine\nARG U=app\nUSER ${U}:${U}\n').user.verdict, 'nonroot');
    assert.equal(container('FROM alpine\nARG U="root"\nUSER "$U"\n').user.verdict, 'root');
  });

  it('a global ARG is visible in a stage only when re-declared there', () => {
    const hidden = container('ARG U=0\nFROM alpine\nUSER $U\n');
    assert.equal(hidden.user.verdict, 'unknown');
    assert.match(hidden.user.how ?? '', /global ARG .* does not re-declare with ARG U/);
    const redeclared = container('ARG U=0\nFROM alpine\nARG U\nUSER $U\n');
    assert.equal(redeclared.user.verdict, 'root');
    assert.match(redeclared.user.how ?? '', /global ARG U default/);
    const overridden = container('ARG U=0\nFROM alpine\nARG U=app\nUSER $U\n');
    assert.equal(overridden.user.verdict, 'nonroot');
  });

  it('substitution defaults: ${X:-word}, ${X-word}, ${X:+word}', () => {
    assert.equal(container('FROM alpine\nUSER ${U:-root}\n').user.verdict, 'root');
    assert.equal(container('FROM alpine\nARG U=app\nUSER ${U:-root}\n').user.verdict, 'nonroot');
    assert.equal(container('FROM alpine\nARG U=\nUSER ${U:-0}\n').user.verdict, 'root');
    assert.equal(container('FROM alpine\nARG U=\nUSER ${U-0}\n').user.verdict, 'unknown'); // set but empty: USER ""
    assert.equal(container('FROM alpine\nARG U=x\nUSER ${U:+root}\n').user.verdict, 'root');
    // A global ARG that is not re-declared is empty in the stage, so the default applies.
    assert.equal(container('ARG U=app\nFROM alpine\nUSER ${U:-root}\n').user.verdict, 'root');
  });

  it('ENV resolves USER and overrides an ARG of the same name', () => {
    assert.equal(container('FROM alpine\nENV APP_USER=root\nUSER $APP_USER\n').user.verdict, 'root');
    assert.equal(container('FROM alpine\nARG U=app\nENV U=0\nUSER $U\n').user.verdict, 'root');
    assert.equal(container('FROM alpine\nENV U=0\nARG U=app\nUSER $U\n').user.verdict, 'root');
    assert.equal(container('FROM alpine\nARG BASE=10\nENV U=${BASE}01\nUSER $U\n').user.verdict, 'nonroot');
    assert.equal(container('FROM alpine\nENV U=$UNDECLARED\nUSER $U\n').user.verdict, 'unknown');
  });

  it('FROM <stage> inherits the verdict of that stage', () => {
    const text = 'FROM alpine AS base\nUSER root\nFROM base\nRUN id\n';
    const c = container(text);
    assert.equal(c.user.verdict, 'root');
    assert.equal(c.user.how, 'inherited from stage "base": USER root');
    assert.equal(at(text, c.user.at?.span), 'USER root');
    assert.equal(c.label, 'final stage (FROM base)');
  });

  it('inheritance is recursive, case-insensitive, and carries ENV but not ARG', () => {
    const deep = container('FROM alpine AS Base\nUSER 0:0\nFROM base AS mid\nRUN id\nFROM MID\nCMD ["x"]\n');
    assert.equal(deep.user.verdict, 'root');
    assert.equal(deep.user.how, 'inherited from stage "mid": inherited from stage "Base": USER 0:0');
    const unset = container('FROM alpine AS base\nRUN id\nFROM base\n');
    assert.equal(unset.user.verdict, 'unset');
    assert.equal(unset.user.how, 'inherited from stage "base": no USER in that stage; the base image default applies (usually root)');
    assert.equal(container('FROM alpine AS base\nUSER app\nFROM base\n').user.verdict, 'nonroot');
    assert.equal(container('FROM alpine AS base\nENV U=0\nFROM base\nUSER $U\n').user.verdict, 'root');
    assert.equal(container('FROM alpine AS base\nARG U=0\nFROM base\nUSER $U\n').user.verdict, 'unknown');
    // The final stage's own USER wins over the inherited one.
    assert.equal(container('FROM alpine AS base\nUSER root\nFROM base\nUSER app\n').user.verdict, 'nonroot');
  });

  it('FROM ${VAR} naming a stage through a global ARG inherits too', () => {
    assert.equal(container('ARG BASE=base\nFROM alpine AS base\nUSER root\nFROM ${BASE}\n').user.verdict, 'root');
  });
});

describe('Dockerfile adapter: RUN --security=insecure', () => {
  it('is privileged in any stage, with the flag and its value located', () => {
    const text = 'FROM alpine AS build\nRUN --security=insecure --mount=type=cache,target=/c make\nFROM alpine\nRUN --network=host --security=insecure true\nRUN --security=sandbox true\n';
    const c = container(text);
    assert.equal(c.privileged.length, 2);
    for (const p of c.privileged) {
      assert.equal(p.value, true);
      assert.equal(p.field, 'RUN --security');
      assert.equal(at(text, p.span), '--security=insecure');
      assert.equal(at(text, p.valueSpan), 'insecure');
    }
    assert.ok(c.privileged[0]!.span.start < text.indexOf('FROM alpine\n'));
  });

  it('ONBUILD RUN and lookalikes are not build steps of this image', () => {
    const c = container('FROM alpine\nONBUILD RUN --security=insecure true\nRUN echo --security=insecure\n');
    assert.deepEqual(c.privileged, []);
  });
});

describe('Dockerfile adapter: offsets', () => {
  it('CRLF line endings', () => {
    const text = 'FROM alpine AS build\r\nRUN --security=insecure make\r\nFROM alpine\r\nUSER root\r\nCMD ["sh"]\r\n';
    const c = container(text);
    assert.equal(at(text, c.anchor), 'FROM alpine');
    assert.equal(at(text, c.user.at?.span), 'USER root');
    assert.equal(at(text, c.user.at?.valueSpan), 'root');
    assert.equal(at(text, c.privileged[0]?.span), '--security=insecure');
  });

  it('a byte order mark', () => {
    const text = '\uFEFFFROM alpine\nUSER 0:0\n';
    const c = container(text);
    assert.equal(at(text, c.anchor), 'FROM alpine');
    assert.equal(at(text, c.user.at?.span), 'USER 0:0');
  });

  it('BOM and CRLF together, with continuation lines and non-ASCII text', () => {
    const text = '\uFEFF# Ünïcode 🐳 comment\r\nFROM alpine\r\nRUN --security=insecure echo "🐳" \\\r\n  && true\r\nUSER \\\r\n  root\r\n';
    const c = container(text);
    assert.equal(at(text, c.anchor), 'FROM alpine');
    assert.equal(at(text, c.privileged[0]?.span), '--security=insecure');
    assert.equal(at(text, c.user.at?.span), 'USER \\\r\n  root');
    assert.equal(at(text, c.user.at?.valueSpan), 'root');
    assert.equal(c.user.verdict, 'root');
  });

  it('old Mac CR-only line endings', () => {
    const text = 'FROM alpine\rUSER root\r';
    assert.equal(at(text, container(text).user.at?.span), 'USER root');
  });
});

describe('Dockerfile writer', () => {
  it('remove-privileged drops the flag and one blank after it', () => {
    const text = 'FROM alpine\nRUN --security=insecure --mount=type=cache,target=/c make\n';
    const r = fix(text, (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(r.title, 'Remove --security=insecure from this RUN');
    assert.equal(r.output, 'FROM alpine\nRUN --mount=type=cache,target=/c make\n');
    assert.deepEqual(r.after.privileged, []);
  });

  it('remove-privileged in an earlier stage, CRLF and BOM', () => {
    const text = '\uFEFFFROM alpine AS b\r\nRUN --security=insecure make\r\nFROM alpine\r\nUSER app\r\n';
    const r = fix(text, (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(r.output, '\uFEFFFROM alpine AS b\r\nRUN make\r\nFROM alpine\r\nUSER app\r\n');
    assert.deepEqual(r.after.privileged, []);
  });

  it('set-non-root-user replaces a root USER in the final stage', () => {
    const text = 'FROM alpine\nUSER root\nCMD ["sh"]\n';
    const r = fix(text, () => ({ type: 'set-non-root-user', uid: 10001 }));
    assert.equal(r.title, 'Replace USER root with USER 10001');
    assert.equal(r.output, 'FROM alpine\nUSER 10001\nCMD ["sh"]\n');
    assert.equal(r.after.user.verdict, 'nonroot');
  });

  it('set-non-root-user replaces USER 0:0 and a variable that resolves to root', () => {
    const a = fix('FROM alpine\nUSER 0:0\n', () => ({ type: 'set-non-root-user', uid: 2000 }));
    assert.equal(a.title, 'Replace USER 0:0 with USER 2000');
    assert.equal(a.output, 'FROM alpine\nUSER 2000\n');
    const b = fix('FROM alpine\nARG U=root\nUSER ${U}\n', () => ({ type: 'set-non-root-user', uid: 2000 }));
    assert.equal(b.output, 'FROM alpine\nARG U=root\nUSER 2000\n');
    assert.equal(b.after.user.verdict, 'nonroot');
  });

  it('set-non-root-user appends USER at the end of the final stage when unset', () => {
    const r = fix('FROM golang AS build\nRUN make\nFROM alpine\nCOPY --from=build /a /a\n', () => ({ type: 'set-non-root-user', uid: 10001 }));
    assert.equal(r.title, 'Add USER 10001 to the final stage');
    assert.equal(r.output, 'FROM golang AS build\nRUN make\nFROM alpine\nCOPY --from=build /a /a\nUSER 10001\n');
    assert.equal(r.after.user.verdict, 'nonroot');
  });

  it('appending works without a final newline and after a heredoc', () => {
    assert.equal(fix('FROM alpine\nRUN id', () => ({ type: 'set-non-root-user', uid: 1 })).output, 'FROM alpine\nRUN id\nUSER 1');
    assert.equal(fix('FROM alpine', () => ({ type: 'set-non-root-user', uid: 1 })).output, 'FROM alpine\nUSER 1');
    const heredoc = fix('FROM alpine\nRUN <<EOF\napk add curl\nEOF\n', () => ({ type: 'set-non-root-user', uid: 1 }));
    assert.equal(heredoc.output, 'FROM alpine\nRUN <<EOF\napk add curl\nEOF\nUSER 1\n');
    assert.equal(heredoc.after.user.verdict, 'nonroot');
  });

  it('USER goes before the trailing CMD/ENTRYPOINT/HEALTHCHECK block, above their comments', () => {
    const text = 'FROM alpine\nRUN apk add curl\n\n# health and start\nHEALTHCHECK CMD curl -f localhost\nENTRYPOINT ["/app"]\nCMD ["--serve"]\n';
    const r = fix(text, () => ({ type: 'set-non-root-user', uid: 10001 }));
    assert.equal(r.output, 'FROM alpine\nRUN apk add curl\n\nUSER 10001\n# health and start\nHEALTHCHECK CMD curl -f localhost\nENTRYPOINT ["/app"]\nCMD ["--serve"]\n');
    assert.equal(r.after.user.verdict, 'nonroot');
  });

  it('a trailing HEALTHCHECK alone does not move the insertion point', () => {
    const r = fix('FROM alpine\nCMD ["x"]\nHEALTHCHECK CMD true\n', () => ({ type: 'set-non-root-user', uid: 5 }));
    assert.equal(r.output, 'FROM alpine\nCMD ["x"]\nHEALTHCHECK CMD true\nUSER 5\n');
  });

  it('keeps CRLF when inserting', () => {
    const r = fix('\uFEFFFROM alpine\r\nRUN id\r\nCMD ["sh"]\r\n', () => ({ type: 'set-non-root-user', uid: 10001 }));
    assert.equal(r.output, '\uFEFFFROM alpine\r\nRUN id\r\nUSER 10001\r\nCMD ["sh"]\r\n');
    assert.equal(r.after.user.verdict, 'nonroot');
  });

  it('an inherited root USER is overridden in the final stage, not edited in the other stage', () => {
    const text = 'FROM alpine AS base\nUSER root\nRUN apk add curl\nFROM base\nCMD ["sh"]\n';
    const r = fix(text, () => ({ type: 'set-non-root-user', uid: 10001 }));
    assert.equal(r.title, 'Add USER 10001 to the final stage');
    assert.equal(r.output, 'FROM alpine AS base\nUSER root\nRUN apk add curl\nFROM base\nUSER 10001\nCMD ["sh"]\n');
    assert.equal(r.after.user.verdict, 'nonroot');
  });

  it('offers nothing for a non-root or unresolvable USER, nor for intents a Dockerfile cannot express', () => {
    for (const text of ['FROM alpine\nUSER app\n', 'FROM alpine\nUSER ${APP_UID}\n']) {
      const parsed = parseDockerfile(text, 'Dockerfile');
      const c = parsed.workloads[0]!.containers[0]!;
      assert.equal(parsed.writer.apply({ type: 'set-non-root-user', uid: 1 }, c, settings), null);
    }
    const parsed = parseDockerfile('FROM alpine\n', 'Dockerfile');
    const c = parsed.workloads[0]!.containers[0]!;
    assert.equal(parsed.writer.apply({ type: 'enable-no-new-privileges' }, c, settings), null);
    const cap = { value: 'SYS_ADMIN', name: 'SYS_ADMIN', span: { start: 0, end: 0 }, valueSpan: { start: 0, end: 0 }, field: 'x' };
    assert.equal(parsed.writer.apply({ type: 'remove-capability', cap }, c, settings), null);
  });
});

describe('long # runs in the leading comments (dockerfile-ast directive parsing is quadratic in them)', () => {
  it('are blanked in the leading comment block only, keeping every offset', () => {
    const text = `# syntax=docker/dockerfile:1\n#${'# '.repeat(200)}\nFROM x # ${'#'.repeat(300)}\n`;
    const out = withShortDirectiveRuns(text);
    assert.equal(out.length, text.length);
    assert.equal(out, `# syntax=docker/dockerfile:1\n#${' '.repeat(400)}\nFROM x # ${'#'.repeat(300)}\n`);
    assert.equal(withShortDirectiveRuns('FROM x\n'), 'FROM x\n');
  });
});

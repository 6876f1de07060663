import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDevcontainer } from '../../server/src/engine/adapters/devcontainer';
import { applyEdits } from '../../server/src/engine/index';
import type { Container, Span } from '../../server/src/engine/model';
import type { EngineSettings, FixIntent } from '../../server/src/engine/rule';

const settings: EngineSettings = { nonRootUid: 10001, profile: 'default' };
const PATH = '.devcontainer/devcontainer.json';

function container(text: string): Container {
  const parsed = parseDevcontainer(text, PATH);
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.workloads.length, 1);
  const workload = parsed.workloads[0]!;
  assert.equal(workload.kind, 'devcontainer');
  assert.equal(workload.name, 'devcontainer');
  assert.equal(workload.containers.length, 1);
  return workload.containers[0]!;
}

const at = (text: string, span: Span | undefined): string => {
  assert.ok(span, 'expected a span');
  return text.slice(span.start, span.end);
};

function fix(text: string, intent: (c: Container) => FixIntent): { title: string; output: string; after: Container; edits: number } {
  const parsed = parseDevcontainer(text, PATH);
  const c = parsed.workloads[0]!.containers[0]!;
  const result = parsed.writer.apply(intent(c), c, settings);
  assert.ok(result, 'expected a fix');
  const output = applyEdits(text, result.edits);
  return { title: result.title, output, after: container(output), edits: result.edits.length };
}

describe('devcontainer adapter: properties', () => {
  const text = [
    '{',
    '  // Docker in Docker needs this',
    '  "name": "dev",',
    '  "image": "mcr.microsoft.com/devcontainers/base:${templateOption:imageVariant}",',
    '  "privileged": true,',
    '  "capAdd": ["CAP_SYS_PTRACE", "net_admin"],',
    '  "securityOpt": ["seccomp=unconfined", "no-new-privileges"],',
    '  "containerUser": "root",',
    '  "remoteUser": "vscode", /* tools */',
    '}',
    '',
  ].join('\n');
  const c = container(text);

  it('one container anchored on the opening brace', () => {
    assert.equal(c.kind, 'devcontainer');
    assert.equal(c.name, 'devcontainer');
    assert.equal(c.label, 'devcontainer');
    assert.deepEqual(c.anchor, { start: 0, end: 1 });
    assert.equal(c.supportsNoNewPrivileges, true);
    assert.equal(parseDevcontainer(text, PATH).commentPrefix, '//');
  });

  it('image, template strings are just strings', () => {
    assert.equal(c.image?.value, 'mcr.microsoft.com/devcontainers/base:${templateOption:imageVariant}');
    assert.equal(at(text, c.image?.valueSpan), '"mcr.microsoft.com/devcontainers/base:${templateOption:imageVariant}"');
    assert.equal(c.image?.field, 'image');
  });

  it('privileged: the whole property and its value', () => {
    assert.equal(c.privileged.length, 1);
    const p = c.privileged[0]!;
    assert.equal(p.value, true);
    assert.equal(p.field, 'privileged');
    assert.equal(at(text, p.span), '"privileged": true');
    assert.equal(at(text, p.valueSpan), 'true');
  });

  it('capAdd items, normalized', () => {
    assert.deepEqual(c.capAdd.map((x) => [x.name, x.value, x.field, at(text, x.span)]), [
      ['SYS_PTRACE', 'CAP_SYS_PTRACE', 'capAdd', '"CAP_SYS_PTRACE"'],
      ['NET_ADMIN', 'net_admin', 'capAdd', '"net_admin"'],
    ]);
    assert.deepEqual(c.capDrop, []);
  });

  it('securityOpt items and no-new-privileges', () => {
    assert.deepEqual(c.securityOpt.map((x) => [x.value, at(text, x.span), x.field]), [
      ['seccomp=unconfined', '"seccomp=unconfined"', 'securityOpt'],
      ['no-new-privileges', '"no-new-privileges"', 'securityOpt'],
    ]);
    assert.equal(c.noNewPrivileges?.value, true);
    assert.equal(at(text, c.noNewPrivileges?.span), '"no-new-privileges"');
  });

  it('containerUser decides the user; remoteUser is kept apart', () => {
    assert.equal(c.user.verdict, 'root');
    assert.equal(at(text, c.user.at?.span), '"containerUser": "root"');
    assert.equal(at(text, c.user.at?.valueSpan), '"root"');
    assert.equal(c.remoteUser?.value, 'vscode');
    assert.equal(at(text, c.remoteUser?.span), '"remoteUser": "vscode"');
    assert.equal(c.remoteUser?.field, 'remoteUser');
  });
});

describe('devcontainer adapter: users', () => {
  const cases: [string, string][] = [
    ['root', 'root'],
    ['0', 'root'],
    ['0:0', 'root'],
    ['root:root', 'root'],
    ['vscode', 'nonroot'],
    ['1000:1000', 'nonroot'],
    ['${localEnv:USER}', 'unknown'],
  ];
  for (const [user, verdict] of cases) {
    it(`containerUser ${user} → ${verdict}`, () => {
      assert.equal(container(`{ "containerUser": ${JSON.stringify(user)} }`).user.verdict, verdict);
    });
  }

  it('no containerUser: unknown, the image default', () => {
    const c = container('{ "image": "x", "remoteUser": "root" }');
    assert.equal(c.user.verdict, 'unknown');
    assert.equal(c.user.how, 'image default');
    assert.equal(c.user.at, undefined);
    assert.equal(c.remoteUser?.value, 'root');
  });

  it('runArgs --user / -u when containerUser is absent', () => {
    const a = '{ "runArgs": ["--user=0:0"] }';
    const ca = container(a);
    assert.equal(ca.user.verdict, 'root');
    assert.equal(at(a, ca.user.at?.span), '"--user=0:0"');
    assert.equal(at(a, ca.user.at?.valueSpan), '0:0');
    const b = '{ "runArgs": ["-u", "root", "--init"] }';
    const cb = container(b);
    assert.equal(cb.user.verdict, 'root');
    assert.equal(at(b, cb.user.at?.span), '"-u", "root"');
    assert.equal(at(b, cb.user.at?.valueSpan), 'root');
    assert.equal(container('{ "runArgs": ["-uroot"] }').user.verdict, 'root');
    assert.equal(container('{ "runArgs": ["--user", "vscode"] }').user.verdict, 'nonroot');
    assert.equal(container('{ "containerUser": "vscode", "runArgs": ["--user=root"] }').user.verdict, 'nonroot');
  });
});

describe('devcontainer adapter: runArgs', () => {
  it('--privileged, one element', () => {
    const text = '{\n  "runArgs": ["--init", "--privileged"]\n}';
    const c = container(text);
    assert.equal(c.privileged.length, 1);
    assert.equal(c.privileged[0]!.value, true);
    assert.equal(c.privileged[0]!.field, 'runArgs');
    assert.equal(at(text, c.privileged[0]!.span), '"--privileged"');
    assert.equal(container('{ "runArgs": ["--privileged=false"] }').privileged[0]?.value, false);
  });

  it('--cap-add and --cap-drop, one- and two-element forms and comma lists', () => {
    const text = '{ "runArgs": ["--cap-add=SYS_ADMIN", "--cap-add", "NET_ADMIN", "--cap-add=cap_sys_ptrace, SYS_TIME", "--cap-drop", "ALL"] }';
    const c = container(text);
    assert.deepEqual(c.capAdd.map((x) => [x.name, x.value, at(text, x.span), at(text, x.valueSpan), x.field]), [
      ['SYS_ADMIN', 'SYS_ADMIN', '"--cap-add=SYS_ADMIN"', 'SYS_ADMIN', 'runArgs'],
      ['NET_ADMIN', 'NET_ADMIN', '"--cap-add", "NET_ADMIN"', 'NET_ADMIN', 'runArgs'],
      ['SYS_PTRACE', 'cap_sys_ptrace', '"--cap-add=cap_sys_ptrace, SYS_TIME"', 'cap_sys_ptrace', 'runArgs'],
      ['SYS_TIME', 'SYS_TIME', '"--cap-add=cap_sys_ptrace, SYS_TIME"', 'SYS_TIME', 'runArgs'],
    ]);
    assert.deepEqual(c.capDrop.map((x) => [x.name, at(text, x.span)]), [['ALL', '"--cap-drop", "ALL"']]);
  });

  it('capAdd property first, then runArgs', () => {
    const c = container('{ "runArgs": ["--cap-add=SYS_ADMIN"], "capAdd": ["SYS_PTRACE"] }');
    assert.deepEqual(c.capAdd.map((x) => x.name), ['SYS_PTRACE', 'SYS_ADMIN']);
  });

  it('--security-opt, one- and two-element, feeding no-new-privileges', () => {
    const text = '{ "runArgs": ["--security-opt=seccomp=unconfined", "--security-opt", "no-new-privileges:false"] }';
    const c = container(text);
    assert.deepEqual(c.securityOpt.map((x) => [x.value, at(text, x.span), at(text, x.valueSpan)]), [
      ['seccomp=unconfined', '"--security-opt=seccomp=unconfined"', 'seccomp=unconfined'],
      ['no-new-privileges:false', '"--security-opt", "no-new-privileges:false"', 'no-new-privileges:false'],
    ]);
    assert.equal(c.noNewPrivileges?.value, false);
    assert.equal(at(text, c.noNewPrivileges?.span), '"--security-opt", "no-new-privileges:false"');
  });

  it('values of other flags are not read as flags; short clusters are understood', () => {
    const c = container('{ "runArgs": ["-e", "--privileged", "--name", "--cap-add=SYS_ADMIN", "-it", "--rm", "--cap-add=NET_RAW"] }');
    assert.deepEqual(c.privileged, []);
    assert.deepEqual(c.capAdd.map((x) => x.name), ['NET_RAW']);
  });
});

describe('devcontainer adapter: no-new-privileges spellings (Go ParseBool), the last one wins', () => {
  const cases: [string[], boolean | undefined][] = [
    [['no-new-privileges'], true],
    [['no-new-privileges:true'], true],
    [['no-new-privileges=true'], true],
    [['no-new-privileges:1'], true],
    [['no-new-privileges:t'], true],
    [['no-new-privileges:T'], true],
    [['no-new-privileges:TRUE'], true],
    [['no-new-privileges:True'], true],
    [['no-new-privileges:false'], false],
    [['no-new-privileges=0'], false],
    [['no-new-privileges:f'], false],
    [['no-new-privileges:F'], false],
    [['no-new-privileges:FALSE'], false],
    [['no-new-privileges:False'], false],
    [['no-new-privileges:yes'], undefined],
    [['seccomp=unconfined'], undefined],
    [['no-new-privileges', 'no-new-privileges:false'], false],
    [['no-new-privileges:false', 'no-new-privileges'], true],
  ];
  for (const [opts, expected] of cases) {
    it(`${opts.join(', ')} → ${String(expected)}`, () => {
      assert.equal(container(`{ "securityOpt": ${JSON.stringify(opts)} }`).noNewPrivileges?.value, expected);
    });
  }

  it('runArgs come after securityOpt', () => {
    assert.equal(container('{ "runArgs": ["--security-opt=no-new-privileges:false"], "securityOpt": ["no-new-privileges"] }').noNewPrivileges?.value, false);
  });
});

describe('devcontainer adapter: JSONC, offsets, errors', () => {
  it('comments and trailing commas parse without problems', () => {
    const text = '// top\n{\n  /* block */ "privileged": true, // why\n  "capAdd": [\n    "SYS_PTRACE", // debugger\n  ],\n}\n';
    const c = container(text);
    assert.equal(at(text, c.privileged[0]?.span), '"privileged": true');
    assert.equal(at(text, c.capAdd[0]?.span), '"SYS_PTRACE"');
    assert.equal(at(text, c.anchor), '{');
  });

  it('BOM and CRLF: spans still point at the text', () => {
    const text = '\uFEFF{\r\n\t// 🐳 dev\r\n\t"privileged": true,\r\n\t"runArgs": ["--cap-add", "SYS_ADMIN"]\r\n}\r\n';
    const c = container(text);
    assert.equal(at(text, c.anchor), '{');
    assert.equal(at(text, c.privileged[0]?.span), '"privileged": true');
    assert.equal(at(text, c.capAdd[0]?.span), '"--cap-add", "SYS_ADMIN"');
  });

  it('a syntax error is one parse-error problem; a usable tree is still analysed', () => {
    const text = '{ "privileged": true,, "capAdd": ["SYS_ADMIN" "NET_ADMIN"] }';
    const parsed = parseDevcontainer(text, PATH);
    assert.equal(parsed.problems.length, 1);
    const p = parsed.problems[0]!;
    assert.equal(p.ruleId, 'parse-error');
    assert.equal(p.severity, 'error');
    assert.equal(p.message, 'devcontainer.json syntax error: PropertyNameExpected');
    assert.equal(at(text, p.span), ',');
    assert.equal(parsed.workloads[0]?.containers[0]?.privileged[0]?.value, true);
  });

  it('an empty file is nothing; a non-object is a parse-free nothing', () => {
    for (const text of ['', '  \n', '\uFEFF', '// only a comment\n']) {
      const parsed = parseDevcontainer(text, PATH);
      assert.deepEqual([parsed.workloads, parsed.problems], [[], []], JSON.stringify(text));
    }
    const array = parseDevcontainer('[1]', PATH);
    assert.deepEqual([array.workloads, array.problems], [[], []]);
  });

  it('an unterminated object reports where it ends', () => {
    const parsed = parseDevcontainer('{ "privileged": true', PATH);
    assert.equal(parsed.problems[0]?.message, 'devcontainer.json syntax error: CloseBraceExpected');
    assert.equal(parsed.workloads[0]?.containers[0]?.privileged.length, 1);
  });
});

describe('jsonc writer: remove-privileged', () => {
  it('removes the property line, keeping the comments (above it and on it) and the comma right', () => {
    const text = '{\n  "image": "x",\n  // dind\n  "privileged": true, // needed?\n  "remoteUser": "vscode"\n}\n';
    const r = fix(text, (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(r.title, 'Remove "privileged": true');
    assert.equal(r.output, '{\n  "image": "x",\n  // dind\n  // needed?\n  "remoteUser": "vscode"\n}\n');
    assert.deepEqual(r.after.privileged, []);
  });

  it('the last property: the comma before it goes too', () => {
    const text = '{\n\t"image": "x", // base\n\t"privileged": true\n}\n';
    const r = fix(text, (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(r.output, '{\n\t"image": "x" // base\n}\n');
  });

  it('the only property, and one-line objects', () => {
    assert.equal(fix('{\n  "privileged": true\n}', (c) => ({ type: 'remove-privileged', target: c.privileged[0]! })).output, '{\n}');
    assert.equal(fix('{ "privileged": true }', (c) => ({ type: 'remove-privileged', target: c.privileged[0]! })).output, '{}');
    assert.equal(fix('{ "image": "x", "privileged": true }', (c) => ({ type: 'remove-privileged', target: c.privileged[0]! })).output, '{ "image": "x" }');
    assert.equal(fix('{ "privileged": true, "image": "x" }', (c) => ({ type: 'remove-privileged', target: c.privileged[0]! })).output, '{ "image": "x" }');
  });

  it('a runArgs element, inline and on its own line, CRLF kept', () => {
    const inline = fix('{ "runArgs": ["--privileged", "--init"] }', (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(inline.title, 'Remove --privileged from runArgs');
    assert.equal(inline.output, '{ "runArgs": ["--init"] }');
    const own = fix('{\r\n  "runArgs": [\r\n    "--init",\r\n    "--privileged"\r\n  ]\r\n}\r\n', (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(own.output, '{\r\n  "runArgs": [\r\n    "--init"\r\n  ]\r\n}\r\n');
    assert.deepEqual(own.after.privileged, []);
  });

  it('an element sharing its line with others leaves no trailing blanks', () => {
    const text = '{\n  "runArgs": [\n    "--init", "--privileged",\n    "--rm"\n  ]\n}\n';
    const r = fix(text, (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(r.output, '{\n  "runArgs": [\n    "--init",\n    "--rm"\n  ]\n}\n');
  });

  it('a two-element flag spread over two lines goes with both lines', () => {
    const text = '{\n  "runArgs": [\n    "--cap-add",\n    "SYS_ADMIN",\n    "--init"\n  ]\n}\n';
    const r = fix(text, (c) => ({ type: 'remove-capability', cap: c.capAdd[0]! }));
    assert.equal(r.output, '{\n  "runArgs": [\n    "--init"\n  ]\n}\n');
  });

  it('a multi-line property value goes with all its lines; BOM kept', () => {
    const text = '\uFEFF{\n  "capAdd": [\n    "SYS_ADMIN"\n  ],\n  "privileged": true,\n  "image": "x"\n}\n';
    const r = fix(text, (c) => ({ type: 'remove-capability', cap: c.capAdd[0]! }));
    assert.equal(r.output, '\uFEFF{\n  "privileged": true,\n  "image": "x"\n}\n');
    const p = fix(text, (c) => ({ type: 'remove-privileged', target: c.privileged[0]! }));
    assert.equal(p.output, '\uFEFF{\n  "capAdd": [\n    "SYS_ADMIN"\n  ],\n  "image": "x"\n}\n');
  });
});

describe('jsonc writer: enable-no-new-privileges', () => {
  const enable = (): FixIntent => ({ type: 'enable-no-new-privileges' });

  it('creates securityOpt after the last property, with its indentation', () => {
    const text = '{\n    "image": "x",\n    "remoteUser": "vscode" // who\n}\n';
    const r = fix(text, enable);
    assert.equal(r.title, 'Add "no-new-privileges:true" to securityOpt');
    assert.equal(r.output, '{\n    "image": "x",\n    "remoteUser": "vscode", // who\n    "securityOpt": ["no-new-privileges:true"]\n}\n');
    assert.equal(r.after.noNewPrivileges?.value, true);
  });

  it('the usual case: the last property ends its line', () => {
    const r = fix('{\n  "image": "x",\n  "containerUser": "root"\n}\n', enable);
    assert.equal(r.output, '{\n  "image": "x",\n  "containerUser": "root",\n  "securityOpt": ["no-new-privileges:true"]\n}\n');
    assert.equal(r.edits, 1);
    const list = fix('{\n  "securityOpt": [\n    "label=disable"\n  ]\n}', enable);
    assert.equal(list.output, '{\n  "securityOpt": [\n    "label=disable",\n    "no-new-privileges:true"\n  ]\n}');
  });

  it('keeps a trailing-comma style, tabs and CRLF', () => {
    const r = fix('\uFEFF{\r\n\t"image": "x",\r\n}\r\n', enable);
    assert.equal(r.output, '\uFEFF{\r\n\t"image": "x",\r\n\t"securityOpt": ["no-new-privileges:true"],\r\n}\r\n');
    assert.equal(r.after.noNewPrivileges?.value, true);
  });

  it('one-line and empty objects', () => {
    assert.equal(fix('{ "image": "x" }', enable).output, '{ "image": "x", "securityOpt": ["no-new-privileges:true"] }');
    assert.equal(fix('{}', enable).output, '{"securityOpt": ["no-new-privileges:true"]}');
    assert.equal(fix('{\n}\n', enable).output, '{\n\t"securityOpt": ["no-new-privileges:true"]\n}\n');
  });

  it('appends to an existing securityOpt in its style', () => {
    assert.equal(fix('{ "securityOpt": ["seccomp=unconfined"] }', enable).output, '{ "securityOpt": ["seccomp=unconfined", "no-new-privileges:true"] }');
    assert.equal(fix('{ "securityOpt": [] }', enable).output, '{ "securityOpt": ["no-new-privileges:true"] }');
    const multi = '{\n  "securityOpt": [\n    "seccomp=unconfined" // go\n  ]\n}\n';
    const r = fix(multi, enable);
    assert.equal(r.output, '{\n  "securityOpt": [\n    "seccomp=unconfined", // go\n    "no-new-privileges:true"\n  ]\n}\n');
    assert.equal(r.after.noNewPrivileges?.value, true);
  });

  it('rewrites an explicit false entry instead of adding one', () => {
    const r = fix('{ "securityOpt": ["no-new-privileges:false", "label=disable"] }', enable);
    assert.equal(r.output, '{ "securityOpt": ["no-new-privileges:true", "label=disable"] }');
    assert.equal(r.after.noNewPrivileges?.value, true);
    const one = fix('{ "runArgs": ["--security-opt=no-new-privileges=0"] }', enable);
    assert.equal(one.output, '{ "runArgs": ["--security-opt=no-new-privileges:true"] }');
    assert.equal(one.after.noNewPrivileges?.value, true);
    const two = fix('{ "runArgs": ["--security-opt", "no-new-privileges:false"] }', enable);
    assert.equal(two.output, '{ "runArgs": ["--security-opt", "no-new-privileges:true"] }');
    assert.equal(two.after.noNewPrivileges?.value, true);
  });
});

describe('jsonc writer: remove-capability', () => {
  const remove = (name: string) => (c: Container): FixIntent => ({ type: 'remove-capability', cap: c.capAdd.find((x) => x.name === name)! });

  it('one capAdd item among others', () => {
    const r = fix('{\n  "capAdd": [\n    "SYS_PTRACE",\n    "SYS_ADMIN" // why\n  ]\n}\n', remove('SYS_ADMIN'));
    assert.equal(r.title, 'Remove SYS_ADMIN from capAdd');
    assert.equal(r.output, '{\n  "capAdd": [\n    "SYS_PTRACE"\n    // why\n  ]\n}\n');
    assert.deepEqual(r.after.capAdd.map((x) => x.name), ['SYS_PTRACE']);
    assert.equal(fix('{ "capAdd": ["SYS_ADMIN", "SYS_PTRACE"] }', remove('SYS_ADMIN')).output, '{ "capAdd": ["SYS_PTRACE"] }');
  });

  it('the last capAdd item removes the property', () => {
    const r = fix('{\n  "image": "x",\n  "capAdd": ["CAP_SYS_ADMIN"]\n}\n', remove('SYS_ADMIN'));
    assert.equal(r.output, '{\n  "image": "x"\n}\n');
    assert.deepEqual(r.after.capAdd, []);
  });

  it('runArgs: one element, two elements, a name in a comma list', () => {
    assert.equal(fix('{ "runArgs": ["--init", "--cap-add=SYS_ADMIN"] }', remove('SYS_ADMIN')).output, '{ "runArgs": ["--init"] }');
    const two = fix('{\n  "runArgs": [\n    "--cap-add", "SYS_ADMIN",\n    "--init"\n  ]\n}', remove('SYS_ADMIN'));
    assert.equal(two.title, 'Remove SYS_ADMIN from runArgs');
    assert.equal(two.output, '{\n  "runArgs": [\n    "--init"\n  ]\n}');
    assert.deepEqual(two.after.capAdd, []);
    const list = fix('{ "runArgs": ["--cap-add=SYS_PTRACE,SYS_ADMIN"] }', remove('SYS_ADMIN'));
    assert.equal(list.output, '{ "runArgs": ["--cap-add=SYS_PTRACE"] }');
    assert.deepEqual(list.after.capAdd.map((x) => x.name), ['SYS_PTRACE']);
    const listTwo = fix('{ "runArgs": ["--cap-add", "SYS_ADMIN,NET_ADMIN"] }', remove('SYS_ADMIN'));
    assert.equal(listTwo.output, '{ "runArgs": ["--cap-add", "NET_ADMIN"] }');
  });

  it('capDrop entries are not removed', () => {
    const parsed = parseDevcontainer('{ "runArgs": ["--cap-drop=ALL"] }', PATH);
    const c = parsed.workloads[0]!.containers[0]!;
    assert.equal(parsed.writer.apply({ type: 'remove-capability', cap: c.capDrop[0]! }, c, settings), null);
  });
});

describe('jsonc writer: set-non-root-user', () => {
  it('offers no edit: there is no safe minimal one for a devcontainer', () => {
    const parsed = parseDevcontainer('{ "containerUser": "root" }', PATH);
    const c = parsed.workloads[0]!.containers[0]!;
    assert.equal(parsed.writer.apply({ type: 'set-non-root-user', uid: 1000 }, c, settings), null);
  });
});

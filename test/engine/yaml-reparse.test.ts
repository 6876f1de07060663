/**
 * A Compose document parsed again after an edit (#16): only the edited entry's block is parsed,
 * and the tree must be the one a whole parse gives, whatever the edit does (breaks the document,
 * changes an indent, adds an anchor, an alias, a merge key, a block scalar, a flow collection, a
 * new entry, a comment, a CRLF).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap } from 'yaml';
import { lint } from '../../server/src/engine';
import { ruleById } from '../../server/src/engine/rules';
import type { LintResult } from '../../server/src/engine';
import { commonPrefix, commonSuffix, parseAt, parseRange } from '../../server/src/engine/adapters/yaml';
import { reparseBlock } from '../../server/src/engine/adapters/yaml-reparse';
import { aliasTable } from '../../server/src/engine/adapters/yaml-util';
import { corpusFiles, exampleFiles } from '../robustness/support';

const BASE = [
  '# the app',
  'name: shop',
  'x-common: &common',
  '  restart: always',
  '  security_opt: [no-new-privileges:true]',
  '',
  'services:',
  '  web:',
  '    <<: *common',
  '    image: nginx:1.27',
  '    privileged: true  # for the host devices',
  '    ports:',
  '    - "80:80"',
  '    command: |',
  '      nginx -g',
  '      "daemon off;"',
  '',
  '  db:',
  '    image: postgres:16',
  '    cap_add:',
  '      - NET_ADMIN',
  '      - SYS_PTRACE',
  '    # user: "999"',
  '    environment: {POSTGRES_PASSWORD: x, PGDATA: /data}',
  '  worker:',
  '    extends: web',
  '    user: root',
  '    devices: ["/dev/kmsg:/dev/kmsg"]',
  '# trailing',
  'volumes:',
  '  data: {}',
  '',
].join('\n');

const PIECES = ['\n', ' ', '  ', 'x', ':', ': ', '- ', '#', '&a ', '*common', '<<: *common\n', '[', ']', '{', '}', '"', "'", '|\n', '\t', '\r\n', 'privileged: true\n', '    cap_add: [NET_ADMIN]\n', '  svc9:\n    image: x\n', '---\n', '? ', '!reset '];

const parse = (text: string) => parseRange(text, 0, text.length);

/** A tree as plain data: every node's kind, value, style, anchor, tag and offsets (comments left out: no finding reads them). */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isPair(node)) return { k: shape(node.key), v: shape(node.value) };
  if (isAlias(node)) return { alias: node.source, r: node.range };
  if (isScalar(node)) return { s: node.value, t: node.type, src: (node as { source?: string }).source, a: node.anchor, tag: node.tag, r: node.range };
  if (isMap(node) || isSeq(node)) return { c: isMap(node) ? 'map' : 'seq', flow: !!node.flow, a: node.anchor, tag: node.tag, r: node.range, items: node.items.map(shape) };
  return { unknown: String(node) };
}

const docShape = (d: Document.Parsed) => ({ contents: shape(d.contents), range: d.range, errors: d.errors.length });

/** What a user sees of a result: each finding with its place, message and fixes' edits. */
const seen = (r: LintResult) => r.findings.map((f) => ({ ruleId: f.ruleId, span: f.span, message: f.message, detail: f.detail, fixes: f.fixes.map((x) => ({ title: x.title, kind: x.kind, edits: x.edits })) }));

function edited(text: string, e: { at: number; remove: number; insert: string }): { text: string; edit: { start: number; oldEnd: number; newEnd: number } } {
  const at = e.at % (text.length + 1);
  const end = Math.min(text.length, at + e.remove);
  return { text: text.slice(0, at) + e.insert + text.slice(end), edit: { start: at, oldEnd: end, newEnd: at + e.insert.length } };
}

const EDITS = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.constantFrom(...PIECES) }), { minLength: 1, maxLength: 8 });

describe('YAML document parsed again after an edit', () => {
  for (const [name, base] of [
    ['a Compose file', BASE],
    ['the same with CRLF line ends', BASE.replace(/\n/g, '\r\n')],
  ] as const) {
    it(`gives the tree of a whole parse for any chain of edits (${name})`, () => {
      // Edits after which the document parses: how many took the block path.
      const parsing = { block: 0, whole: 0 };
      fc.assert(
        fc.property(EDITS, (edits) => {
          let text = base;
          let good = { text, doc: parse(text)[0] };
          for (const e of edits) {
            const next = edited(text, e);
            const whole = parse(next.text);
            // The edit as the engine sees it: from the last version that parsed.
            const prefix = commonPrefix(good.text, next.text);
            const suffix = commonSuffix(good.text, next.text, Math.min(good.text.length, next.text.length) - prefix);
            const doc = reparseBlock(good.doc, good.text, next.text, { start: prefix, oldEnd: good.text.length - suffix, newEnd: next.text.length - suffix }, parseAt);
            if (doc) {
              assert.equal(whole.length, 1, `a block re-parse where a whole parse gives ${whole.length} documents:\n${next.text}`);
              assert.deepEqual(docShape(doc), docShape(whole[0]), `after an edit at ${e.at % (text.length + 1)}:\n${next.text}`);
            }
            text = next.text;
            const now = doc ?? whole[0];
            if (whole.length === 1 && now.errors.length === 0 && now.warnings.length === 0) {
              good = { text, doc: now };
              parsing[doc ? 'block' : 'whole']++;
            }
          }
        }),
        { numRuns: 400, seed: 16 },
      );
      // The property is about the block path: it must have been taken, and for most edits that leave a document that parses.
      assert.ok(parsing.block > 150 && parsing.block > 2 * parsing.whole, `block re-parses ${parsing.block}, whole ${parsing.whole}`);
    });
  }

  it('keeps the previous alias table (none) without walking the tree, and walks again once an alias is typed', () => {
    // No alias and no merge key: the re-parse shares what comes before the block and inherits the empty alias table.
    const plain = BASE.replace(/x-common: &common\n(?: {2}.*\n)+/, '').replace('    <<: *common\n', '');
    assert.ok(!plain.includes('*') && !plain.includes('<<'));
    const kinds = { inherited: 0, walked: 0 };
    fc.assert(
      fc.property(EDITS, (edits) => {
        let good = { text: plain, doc: parse(plain)[0] };
        assert.equal(aliasTable(good.doc).aliases, 0);
        for (const e of edits) {
          const next = edited(good.text, e);
          const whole = parse(next.text);
          const prefix = commonPrefix(good.text, next.text);
          const suffix = commonSuffix(good.text, next.text, Math.min(good.text.length, next.text.length) - prefix);
          const doc = reparseBlock(good.doc, good.text, next.text, { start: prefix, oldEnd: good.text.length - suffix, newEnd: next.text.length - suffix }, parseAt);
          if (!doc) continue;
          // Before aliasTable() reads it: a table is on the new document only if the re-parse put it there.
          const inherited = Object.getOwnPropertySymbols(doc).some((k) => k.description === 'container-privilege-lint.document-state');
          kinds[inherited ? 'inherited' : 'walked']++;
          // The table the document has (inherited or walked now) is the one a whole parse's walk makes.
          assert.deepEqual(aliasTable(doc), aliasTable(whole[0]), `after an edit at ${e.at % (good.text.length + 1)}:\n${next.text}`);
          if (doc.errors.length === 0 && doc.warnings.length === 0) good = { text: next.text, doc };
        }
      }),
      { numRuns: 300, seed: 17 },
    );
    assert.ok(kinds.inherited > 100, JSON.stringify(kinds));
    // A service that gains an anchor and an alias: the table is walked again, and finds the alias.
    const at = plain.indexOf('    cap_add:');
    const insert = '    user: &u "999"\n    group_add: [*u]\n';
    const text = `${plain.slice(0, at)}${insert}${plain.slice(at)}`;
    const doc = reparseBlock(parse(plain)[0], plain, text, { start: at, oldEnd: at, newEnd: at + insert.length }, parseAt);
    assert.ok(doc);
    assert.ok(!Object.getOwnPropertySymbols(doc).some((k) => k.description === 'container-privilege-lint.document-state'));
    assert.deepEqual(aliasTable(doc), aliasTable(parse(text)[0]));
    assert.equal(aliasTable(doc).aliases, 1);
  });

  it('moves the nodes after the block in place: the new tree has them, and the old tree is no base again', () => {
    const plain = BASE.replace(/x-common: &common\n(?: {2}.*\n)+/, '').replace('    <<: *common\n', '');
    const first = parse(plain)[0];
    const services = (d: Document.Parsed) => (d.contents as YAMLMap).items.find((p) => (p.key as { value?: unknown }).value === 'services')!.value as YAMLMap;
    const pairOf = (d: Document.Parsed, name: string) => services(d).items.find((p) => (p.key as { value?: unknown }).value === name)!;
    const web = pairOf(first, 'web');
    const worker = pairOf(first, 'worker');
    const at = plain.indexOf('SYS_PTRACE');
    const text = `${plain.slice(0, at)}SYS_ADMIN${plain.slice(at + 10)}`;
    const edit = { start: at, oldEnd: at + 10, newEnd: at + 9 };
    const doc = reparseBlock(first, plain, text, edit, parseAt);
    assert.ok(doc);
    assert.deepEqual(docShape(doc), docShape(parse(text)[0]));
    // Before the edit, shared; after it, the same objects moved one character back; db's map is new.
    assert.equal(pairOf(doc, 'web'), web);
    assert.equal(pairOf(doc, 'worker'), worker);
    assert.equal((worker.key as Scalar).range![0], text.indexOf('  worker:') + 2);
    assert.notEqual(pairOf(doc, 'db'), pairOf(first, 'db'));
    // The old tree's offsets after the edit are the new text's now: it must not be re-parsed from again.
    assert.equal(reparseBlock(first, plain, text, edit, parseAt), undefined);
    assert.ok(reparseBlock(doc, text, plain, { start: at, oldEnd: at + 9, newEnd: at + 10 }, parseAt));
  });

  it('parses only the edited service: the rest of the tree is taken over, not parsed', () => {
    const first = parse(BASE)[0];
    const at = BASE.indexOf('SYS_PTRACE') + 'SYS_PTRACE'.length;
    const text = `${BASE.slice(0, at)}\n      - SYS_ADMIN${BASE.slice(at)}`;
    let parsedFrom = -1;
    const doc = reparseBlock(first, BASE, text, { start: at, oldEnd: at, newEnd: at + 18 }, (source, offset) => {
      parsedFrom = offset;
      return parseAt(source, offset);
    });
    assert.ok(doc);
    // The block parsed is the `cap_add:` entry of db.
    assert.equal(parsedFrom, BASE.indexOf('    cap_add:'));
    assert.deepEqual(docShape(doc), docShape(parse(text)[0]));
  });

  it('parses the whole document when the previous one did not parse, or the block no longer stands alone', () => {
    const broken = BASE.replace('  db:', '  db: [');
    assert.ok(parse(broken)[0].errors.length > 0);
    const at = broken.indexOf('postgres');
    assert.equal(reparseBlock(parse(broken)[0], broken, `${broken.slice(0, at)}x${broken.slice(at)}`, { start: at, oldEnd: at, newEnd: at + 1 }, parseAt), undefined);
    // `    - "80:80"` sits at its key's indent: an edit on the `ports:` line is parsed with the whole service.
    const ports = BASE.indexOf('    ports:') + 10;
    let parsedFrom = -1;
    const text = `${BASE.slice(0, ports)} ${BASE.slice(ports)}`;
    const doc = reparseBlock(parse(BASE)[0], BASE, text, { start: ports, oldEnd: ports, newEnd: ports + 1 }, (source, offset) => {
      parsedFrom = offset;
      return parseAt(source, offset);
    });
    assert.equal(parsedFrom, BASE.indexOf('  web:'));
    assert.ok(doc);
    assert.deepEqual(docShape(doc), docShape(parse(text)[0]));
  });
});

describe('real Compose files parsed again after typing', () => {
  /** Keystrokes: a character typed or deleted, a new line, a comment, a new key or list item. */
  const TYPED = ['x', '1', ' ', '\n', ':', '# c', '      - y\n', '    z: 1\n', '"', '-'];
  it('gives the tree of a whole parse, and the findings of a whole lint, on the examples and the corpus', (t) => {
    const files = [...exampleFiles(), ...corpusFiles(256 * 1024)].filter((f) => /(^|\/)(docker-)?compose[^/]*\.ya?ml$/i.test(f.path));
    assert.ok(files.length > 0, 'examples/ has a Compose file');
    let seed = 16;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const parsing = { block: 0, whole: 0 };
    for (const file of files) {
      let text = file.text;
      let good = { text, doc: parse(text)[0] };
      if (parse(text).length !== 1 || !good.doc || good.doc.errors.length > 0) continue;
      let previous = lint(text, { path: `/p/${file.path}` });
      for (let k = 0; k < Math.max(40, Math.ceil(1200 / files.length)); k++) {
        // Mostly from the last version that parsed (a typo fixed), sometimes on top of a broken one.
        if (random(4) !== 0) text = good.text;
        const at = random(text.length + 1);
        const e = random(3) === 0 ? { at, remove: 1, insert: '' } : { at, remove: 0, insert: TYPED[random(TYPED.length)] };
        const next = edited(text, e);
        const whole = parse(next.text);
        const prefix = commonPrefix(good.text, next.text);
        const suffix = commonSuffix(good.text, next.text, Math.min(good.text.length, next.text.length) - prefix);
        const doc = reparseBlock(good.doc, good.text, next.text, { start: prefix, oldEnd: good.text.length - suffix, newEnd: next.text.length - suffix }, parseAt);
        if (doc) assert.deepEqual(docShape(doc), docShape(whole[0]), `${file.path}, after an edit at ${e.at}:\n${next.text}`);
        text = next.text;
        if (whole.length === 1 && whole[0].errors.length === 0 && whole[0].warnings.length === 0) {
          good = { text, doc: doc ?? whole[0] };
          parsing[doc ? 'block' : 'whole']++;
        }
        if (k % 4 === 0) {
          const again = lint(text, { path: `/p/${file.path}`, previous });
          assert.deepEqual(seen(again), seen(lint(text, { path: `/p/${file.path}` })), `${file.path}, after an edit at ${e.at}`);
          previous = again;
        }
      }
    }
    t.diagnostic(`${files.length} files; edits leaving a document that parses: ${parsing.block} parsed by block, ${parsing.whole} whole`);
    assert.ok(parsing.block > 2 * parsing.whole, `block re-parses ${parsing.block}, whole ${parsing.whole}`);
  });
});

describe('a Compose file linted again after an edit', () => {
  const path = '/p/compose.yaml';
  // No alias, merge key or extends: each service's workload and findings are kept from one version to the next.
  const PLAIN = [
    'name: shop',
    'services:',
    '  web:',
    '    image: nginx:1.27',
    '    privileged: true  # for the host devices',
    '    volumes:',
    '      - /var/run/docker.sock:/var/run/docker.sock',
    '  db:',
    '    image: postgres:16',
    '    cap_add:',
    '      - NET_ADMIN',
    '      - SYS_PTRACE',
    '    user: root',
    '  api:',
    '    build: ./api',
    '    security_opt: [no-new-privileges:true]',
    '  worker:',
    '    image: busybox',
    '    pid: host',
    '    devices: ["/dev/kmsg:/dev/kmsg"]',
    'volumes:',
    '  data: {}',
    '',
  ].join('\n');
  const PLAIN_PIECES = ['\n', ' ', 'x', ':', ': ', '- ', '#', '[', ']', '"', 'privileged: true\n', '    cap_add: [NET_ADMIN]\n', '    user: "1000"\n', '  svc9:\n    image: x\n', '    build: ./api\n', '    extends: db\n'];
  const PLAIN_EDITS = fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.constantFrom(...PLAIN_PIECES) }), { minLength: 1, maxLength: 8 });

  /** A project around the file: an override file and the build's Dockerfile, whose texts `files` may change between lints. */
  const files: Record<string, string> = {};
  const readFile = (file: string) => files[file];

  it('finds what a lint of the whole new text finds, for any chain of edits', () => {
    fc.assert(
      fc.property(EDITS, (edits) => {
        let text = BASE;
        let previous = lint(text, { path });
        for (const e of edits) {
          text = edited(text, e).text;
          const again = lint(text, { path, previous });
          assert.deepEqual(seen(again), seen(lint(text, { path })), `after an edit:\n${text}`);
          previous = again;
        }
      }),
      { numRuns: 150, seed: 16 },
    );
  });

  it('finds what a whole lint finds when services are kept between versions, with other files of the project changing too', () => {
    fc.assert(
      fc.property(PLAIN_EDITS, fc.array(fc.constantFrom('none', 'override', 'dockerfile'), { minLength: 8, maxLength: 8 }), (edits, changes) => {
        files['/p/compose.override.yaml'] = 'services:\n  db:\n    cap_drop: [ALL]\n';
        files['/p/api/Dockerfile'] = 'FROM node:20\nUSER node\n';
        let text = PLAIN;
        let previous = lint(text, { path, readFile });
        for (const [i, e] of edits.entries()) {
          text = edited(text, e).text;
          // Another file of the project changes with the keystroke: a service it touches is judged again.
          if (changes[i] === 'override') files['/p/compose.override.yaml'] = files['/p/compose.override.yaml'].includes('worker') ? 'services:\n  db:\n    cap_drop: [ALL]\n' : 'services:\n  worker:\n    privileged: true\n';
          if (changes[i] === 'dockerfile') files['/p/api/Dockerfile'] = files['/p/api/Dockerfile'].includes('USER node') ? 'FROM node:20\n' : 'FROM node:20\nUSER node\n';
          const again = lint(text, { path, readFile, previous });
          assert.deepEqual(seen(again), seen(lint(text, { path, readFile })), `after an edit:\n${text}\n${JSON.stringify(files)}`);
          assert.deepEqual(again.tiers, lint(text, { path, readFile }).tiers);
          previous = again;
        }
      }),
      { numRuns: 150, seed: 16 },
    );
  });

  it('runs the rules again only on the edited service', () => {
    const rule = ruleById.get('no-privileged')!;
    const checked: string[] = [];
    const check = rule.checkContainer!;
    rule.checkContainer = (container, context) => {
      checked.push(container.name);
      check.call(rule, container, context);
    };
    try {
      const first = lint(PLAIN, { path });
      assert.deepEqual(checked, ['web', 'db', 'api', 'worker']);
      checked.length = 0;
      const at = PLAIN.indexOf('SYS_PTRACE');
      const text = `${PLAIN.slice(0, at)}SYS_ADMIN${PLAIN.slice(at + 'SYS_PTRACE'.length)}`;
      const again = lint(text, { path, previous: first });
      // web comes before the edit: its tree is shared, and so is what was found on it. worker comes
      // after it, one character earlier with the same text: what was found on it is moved. api has
      // a build, whose Dockerfile is read anew each time: it is always checked again.
      assert.deepEqual(checked, ['db', 'api']);
      assert.deepEqual(seen(again), seen(lint(text, { path })));
      const moved = again.findings.find((f) => f.ruleId === 'no-host-namespaces')!;
      assert.equal(moved.span.start, text.indexOf('pid: host'));
      assert.equal(moved.span.start, first.findings.find((f) => f.ruleId === 'no-host-namespaces')!.span.start - 1);
      // worker's workload was not built again: the kept one moved with its nodes (its device list is the same array).
      const workerOf = (r: typeof first) => r.parsed!.workloads.find((w) => w.name === 'worker')!.containers[0];
      const device = workerOf(again).devices[0];
      assert.equal(workerOf(again).devices, workerOf(first).devices);
      assert.equal(device.span.start, text.indexOf('"/dev/kmsg'));
      assert.equal(device.valueSpan.start, text.indexOf('/dev/kmsg'));
      // Its findings are new objects, with fixes made on this version's text.
      const fix = again.findings.find((f) => f.ruleId === 'no-privileged')!;
      assert.ok(!first.findings.includes(fix));
      assert.ok(fix.fixes.length > 0);
    } finally {
      rule.checkContainer = check;
    }
  });
});

/**
 * A shell script parsed again after an edit (the editor's keystroke, #14): only the chunks of
 * top-level statements the edit touched are parsed again, and the commands must be exactly
 * those of a parse of the whole new text, whatever the edit does (opens a quote, a heredoc, an
 * `if`, a continuation, removes a newline, joins two statements).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { lint } from '../../server/src/engine';
import type { LintResult } from '../../server/src/engine';
import { parseShell } from '../../server/src/engine/formats/run/shell';
import type { ShellParse } from '../../server/src/engine/formats/run/shell';

const BASE = [
  '#!/bin/sh',
  'set -e',
  'docker run --privileged alpine true',
  'start() {',
  '  podman run -d --cap-add=NET_ADMIN \\',
  '    -v /srv:/srv "$IMAGE"',
  '}',
  'cat <<EOF >/tmp/x',
  'docker run --privileged ignored',
  'EOF',
  'if [ -n "$X" ]; then docker run -u 0 x; fi; docker run --pid=host y',
  "echo 'docker run --privileged no'",
  'a=1; docker run --net host z',
  'case "$1" in',
  '  up) docker compose run --privileged web ;;',
  'esac',
  'docker run --device /dev/kmsg k # café',
  '',
].join('\n');

const PIECES = ['\n', '\\', '\\\n', "'", '"', '{', '}', '(', ')', '$(', '&&', '|', ';', '<<EOF\n', 'EOF\n', '#', 'fi', 'if true; then ', 'docker run --privileged q\n', ' ', 'x', 'é', '\r\n'];

const commandsOf = (p: ShellParse) => ({ commands: p.commands.map((c) => c.map((w) => ({ ...w }))), error: p.error !== undefined });

describe('shell parse after an edit', () => {
  // The long text is several blocks of the unchanged-head-and-tail comparison (shell.ts BLOCK).
  for (const [name, base, runs] of [['a short script', BASE, 300], ['a script of several 512-character blocks', BASE.repeat(6), 100]] as const) {
    it(`gives the commands of a whole parse for any chain of edits (${name})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.constantFrom(...PIECES) }), { minLength: 1, maxLength: 8 }),
          (edits) => {
            let text = base;
            let previous = parseShell(text);
            for (const e of edits) {
              const at = e.at % (text.length + 1);
              text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
              const again = parseShell(text, previous);
              const whole = parseShell(text);
              assert.deepEqual(commandsOf(again), commandsOf(whole), `after editing at ${at}:\n${text}`);
              previous = again;
            }
          },
        ),
        { numRuns: runs, seed: 14 },
      );
    });
  }

  it('parses only the edited statement again (the others are the same objects)', () => {
    const first = parseShell(BASE);
    const at = BASE.indexOf('--net host');
    const edited = `${BASE.slice(0, at)}--net=host${BASE.slice(at + '--net host'.length)}`;
    const second = parseShell(edited, first);
    assert.equal(second.commands.length, first.commands.length);
    // A command before the edit is the very same object; the edited one is new.
    assert.equal(second.commands[0], first.commands[0]);
    const i = first.commands.findIndex((c) => c.some((w) => w.value === '--net'));
    assert.notEqual(second.commands[i], first.commands[i]);
    assert.deepEqual(second.commands.map((c) => c.map((w) => w.value)), parseShell(edited).commands.map((c) => c.map((w) => w.value)));
    // Every chunk but the edited one is the same unit, wherever it now sits.
    const units = new Set(first.reuse?.chunks.map((c) => c.unit));
    assert.equal(second.reuse?.chunks.filter((c) => !units.has(c.unit)).length, 1);
  });
});

describe('a shell script linted again after an edit', () => {
  const path = '/p/setup.sh';
  /** What a user sees of a result: each finding with its place, message and fixes' edits. */
  const seen = (r: LintResult) => r.findings.map((f) => ({ ruleId: f.ruleId, span: f.span, message: f.message, detail: f.detail, fixes: f.fixes.map((x) => ({ title: x.title, kind: x.kind, edits: x.edits })) }));

  it('finds what a lint of the whole new text finds, for any chain of edits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.constantFrom(...PIECES) }), { minLength: 1, maxLength: 6 }),
        (edits) => {
          let text = BASE;
          let previous = lint(text, { path });
          for (const e of edits) {
            const at = e.at % (text.length + 1);
            text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
            const again = lint(text, { path, previous });
            assert.deepEqual(seen(again), seen(lint(text, { path })), `after editing at ${at}:\n${text}`);
            previous = again;
          }
        },
      ),
      { numRuns: 150, seed: 14 },
    );
  });

  it('keeps the findings of the chunks an edit did not touch, and reads a chunk again when a new line moves it', () => {
    const first = lint(BASE, { path });
    assert.ok(first.documents && first.documents.length > 3, 'read in parts, one per chunk with a run command');
    const at = BASE.indexOf('--net host');
    const edited = `${BASE.slice(0, at)}--net=host${BASE.slice(at + '--net host'.length)}`;
    const second = lint(edited, { path, previous: first });
    const kept = second.documents?.filter((d) => first.documents?.some((x) => x.findings === d.findings)).length;
    assert.equal(kept, (first.documents?.length ?? 0) - 1);
    // A new first line moves every command one line down: the messages say so.
    const moved = lint(`# setup\n${edited}`, { path, previous: second });
    assert.ok(moved.findings.some((f) => /on line 4 /.test(f.message)), moved.findings.map((f) => f.message).join('\n'));
    assert.deepEqual(seen(moved), seen(lint(`# setup\n${edited}`, { path })));
  });
});

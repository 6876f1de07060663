/**
 * A shell script parsed again after an edit (the editor's keystroke, #14): only the chunks of
 * top-level statements the edit touched are parsed again, and the commands must be exactly
 * those of a parse of the whole new text, whatever the edit does (opens a quote, a heredoc, an
 * `if`, a continuation, removes a newline, joins two statements).
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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
  it('gives the commands of a whole parse for any chain of edits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.constantFrom(...PIECES) }), { minLength: 1, maxLength: 8 }),
        (edits) => {
          let text = BASE;
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
      { numRuns: 300, seed: 14 },
    );
  });

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
  });
});

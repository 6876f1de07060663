/**
 * The CLI makes its JSON, stylish and GitHub text one file at a time and lets go of each file's
 * findings (#16): the text is the same as the whole-run formatters give, and stdout is written
 * per file.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Finding } from '../../server/src/engine/model';
import { formatJson, JsonStream } from '../../server/src/cli/format-json';
import type { FileReport } from '../../server/src/cli/report';
import { run } from '../../server/src/cli/run';
import { tempWorkspaces } from '../workspace';

function finding(ruleId: string, severity: Finding['severity'], message: string, preferred: boolean): Finding {
  return { ruleId, severity, message, detail: `why ${message}\nline two "quoted"`, span: { start: 0, end: 1 }, fixes: [{ title: 'fix it', edits: [{ start: 0, end: 1, text: 'x' }], kind: preferred ? 'safe' : 'suggestion', ...(preferred ? { preferred: true } : {}) }] };
}

const REPORTS: FileReport[] = [
  { filePath: '/w/a.yaml', kind: 'compose', findings: [{ finding: finding('no-privileged', 'error', 'a runs privileged', true), region: { line: 4, column: 5, endLine: 4, endColumn: 21 }, related: [] }] },
  { filePath: '/w/b.yaml', kind: undefined, findings: [] },
  {
    filePath: '/w/c.yaml',
    kind: 'kubernetes',
    findings: [
      { finding: finding('no-root-user', 'warning', 'c runs as root', false), region: { line: 7, column: 3, endLine: 7, endColumn: 9 }, related: [{ region: { line: 1, column: 1, endLine: 1, endColumn: 2 }, message: 'here' }] },
      { finding: finding('no-privileged', 'error', 'c runs privileged', true), region: { line: 9, column: 3, endLine: 9, endColumn: 9 }, related: [] },
    ],
  },
];

const { workspace } = tempWorkspaces('cpl-stream-');

describe('output made one file at a time', () => {
  for (const n of [0, 1, 2, 3]) {
    it(`JsonStream over ${n} file(s) is formatJson's text`, () => {
      const stream = new JsonStream();
      const text = REPORTS.slice(0, n).map((r) => stream.file(r)).join('') + stream.end();
      assert.equal(text, formatJson(REPORTS.slice(0, n)));
      JSON.parse(text);
    });
  }

  it('writes stdout per file, and the parts make the same JSON and stylish text as one write', () => {
    const dir = workspace({
      'a/compose.yml': 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n',
      'b/compose.yml': 'services:\n  app:\n    image: nginx:1.27\n    user: root\n',
      'c/compose.yml': 'services:\n  ok:\n    image: nginx:1.27\n',
    });
    for (const format of ['json', 'stylish']) {
      const parts: string[] = [];
      const code = run(['--format', format, '--no-color', '.'], { cwd: dir, stdout: (t) => parts.push(t), stderr: () => {}, isTTY: false, env: {} });
      assert.equal(code, 1);
      assert.ok(parts.length >= 3, `${format}: ${parts.length} writes`);
      const whole: string[] = [];
      run(['--format', format, '--no-color', '--output', 'out.txt', '.'], { cwd: dir, stdout: (t) => whole.push(t), stderr: () => {}, isTTY: false, env: {} });
      assert.deepEqual(whole, []);
      const written = readFileSync(`${dir}/out.txt`, 'utf8');
      assert.equal(parts.join(''), written);
      if (format === 'json') assert.equal((JSON.parse(written) as unknown[]).length, 3);
      else assert.match(written, /By rule/);
    }
  });
});

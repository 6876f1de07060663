/**
 * Writes server/docs/knowledge.md from the typed knowledge base.
 *   npx tsc -p . && node out/scripts/gen-knowledge-docs.js          (write)
 *   node out/scripts/gen-knowledge-docs.js --check                    (exit 1 when out of date)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderKnowledgeDocs } from '../server/src/engine/knowledge/docs';

/** The repository root: the nearest parent directory holding package.json (works from out/ too). */
export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'server'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
}

export function knowledgeDocPath(root: string = repoRoot()): string {
  return path.join(root, 'server', 'docs', 'knowledge.md');
}

function main(argv: string[]): number {
  const target = knowledgeDocPath();
  const text = renderKnowledgeDocs();
  if (argv.includes('--check')) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${path.relative(process.cwd(), target)} is out of date: run node out/scripts/gen-knowledge-docs.js\n`);
      return 1;
    }
    return 0;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

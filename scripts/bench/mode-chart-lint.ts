/** The engine on Helm charts: lint() with the file's path and the chart's files readable, as the CLI runs it. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { lint } from '../../server/src/engine';
import type { Work } from './modes';

const readFile = (p: string): string | undefined => {
  try {
    return statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
};

const listDir = (dir: string): string[] | undefined => {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${e.name}/`] : e.isFile() ? [e.name] : []));
  } catch {
    return undefined;
  }
};

export const work: Work = (f, text) => lint(text, { path: f.path, readFile, listDir }).findings.length;

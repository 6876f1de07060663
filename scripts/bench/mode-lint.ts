/** The engine: lint() with the file's path, every rule on. */
import { lint } from '../../server/src/engine';
import type { Work } from './modes';

export const work: Work = (f, text) => lint(text, { path: f.path }).findings.length;

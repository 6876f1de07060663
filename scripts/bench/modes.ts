/**
 * The work each benchmark mode does per file, one module per side so a bundle of a mode
 * contains only what that side loads (see runner.ts).
 */
import type { RunnerFile } from './runner';

export type Work = (file: RunnerFile, text: string) => number;

/** Dockerfiles: dockerfile-utils validate() with its default settings (what its language server runs per keystroke). */
import { validate } from 'dockerfile-utils';
import type { Work } from './modes';

export const work: Work = (_f, text) => validate(text).length;

/** Dockerfiles: dockerfile-ast parse only. */
import { DockerfileParser } from 'dockerfile-ast';
import type { Work } from './modes';

export const work: Work = (_f, text) => DockerfileParser.parse(text).getInstructions().length;

/** The parse floor with the parsers' default options (yaml checks unique keys and builds pretty errors by default). */
import { DockerfileParser } from 'dockerfile-ast';
import { parseTree } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { parseAllDocuments } from 'yaml';
import type { Work } from './modes';

export const work: Work = (f, text) => {
  if (f.kind === 'dockerfile') return DockerfileParser.parse(text).getInstructions().length;
  if (f.kind === 'devcontainer') {
    const errors: ParseError[] = [];
    parseTree(text, errors);
    return errors.length;
  }
  return parseAllDocuments(text).length;
};

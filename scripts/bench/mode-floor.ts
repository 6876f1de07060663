/** The parse floor: each file parsed with the parser lint uses for it, and nothing else. */
import { DockerfileParser } from 'dockerfile-ast';
import { parseTree } from 'jsonc-parser';
import type { ParseError } from 'jsonc-parser';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Work } from './modes';

/** The options the engine's YAML adapter parses with (server/src/engine/adapters/yaml.ts). */
export const work: Work = (f, text) => {
  if (f.kind === 'dockerfile') return DockerfileParser.parse(text).getInstructions().length;
  if (f.kind === 'devcontainer') {
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    return errors.length;
  }
  return parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, strict: false, prettyErrors: false, lineCounter: new LineCounter() }).length;
};

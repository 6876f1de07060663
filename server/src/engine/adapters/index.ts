import type { Detected } from '../detect';
import { parseDevcontainer } from './devcontainer';
import { parseDockerfile } from './dockerfile';
import type { Adapter } from './types';
import { parseYaml } from './yaml';
import { parseQuadlet } from '../formats/quadlet/read';
import { parseRunCommands } from '../formats/run/read';

export function adapterFor(kind: Exclude<Detected, undefined>): Adapter {
  switch (kind) {
    case 'dockerfile':
      return parseDockerfile;
    case 'devcontainer':
      return parseDevcontainer;
    case 'quadlet':
      return parseQuadlet;
    case 'run':
      return parseRunCommands;
    case 'compose':
      return (text, path, previous, deadline) => parseYaml(text, path, 'compose', previous, deadline);
    case 'kubernetes':
    case 'yaml':
    case 'json': // JSON is YAML: a JSON manifest is read, and fixed, by the YAML adapter
      return (text, path, previous, deadline) => parseYaml(text, path, undefined, previous, deadline);
  }
}

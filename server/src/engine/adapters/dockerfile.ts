// STUB: replaced by the Dockerfile adapter work.
import type { Adapter } from './types';

export const parseDockerfile: Adapter = () => ({ kind: 'dockerfile', workloads: [], problems: [], writer: { apply: () => null }, commentPrefix: '#' });

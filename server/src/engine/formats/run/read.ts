import type { Adapter } from '../../adapters/types';
import { quadletWriter } from '../quadlet/write';
export const parseRunCommands: Adapter = () => ({ kind: 'run', workloads: [], problems: [], writer: quadletWriter, commentPrefix: '#' });

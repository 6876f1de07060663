// STUB: replaced by the devcontainer adapter work.
import type { Adapter } from './types';

export const parseDevcontainer: Adapter = () => ({ kind: 'devcontainer', workloads: [], problems: [], writer: { apply: () => null }, commentPrefix: '//' });

/**
 * Linux capabilities: what each grants, how risky it is in a container and why.
 * Source: shared/reference/domain.md §1–3 (capabilities(7), moby defaults, moby/profiles seccomp).
 * (Provisional subset: the full table replaces this file.)
 */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

export interface CapabilityInfo {
  name: string;
  bit: number;
  grants: string;
  risk: Risk;
  why: string;
  dockerDefault: boolean;
  seccompSyscalls: string[];
  source: string;
}

const SRC = 'capabilities(7); domain.md §1';

export const CAPABILITIES: readonly CapabilityInfo[] = [
  { name: 'SYS_ADMIN', bit: 21, grants: 'mount, namespaces, BPF, and much more', risk: 'critical', why: 'mount cgroupfs and abuse release_agent, or setns into host namespaces: a known escape to host root', dockerDefault: false, seccompSyscalls: ['mount', 'unshare', 'setns'], source: SRC },
  { name: 'NET_ADMIN', bit: 12, grants: 'configure interfaces, firewall and routing', risk: 'high', why: 'rewrite firewall and routing rules; a large netfilter attack surface', dockerDefault: false, seccompSyscalls: [], source: SRC },
  { name: 'NET_BIND_SERVICE', bit: 10, grants: 'bind ports below 1024', risk: 'low', why: 'benign', dockerDefault: true, seccompSyscalls: [], source: SRC },
];

const BY_NAME = new Map(CAPABILITIES.map((c) => [c.name, c]));

export function capabilityInfo(name: string): CapabilityInfo | undefined {
  return BY_NAME.get(name);
}

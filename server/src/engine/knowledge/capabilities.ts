/**
 * Linux capabilities: what each grants, how risky it is in a container and why, whether the
 * runtimes grant it by default, and which syscalls it unlocks in Docker's default seccomp profile.
 *
 * Sources (see shared/reference/domain.md §1, §2.1, §2.2, §3.1, §5.5):
 * - meanings: capabilities(7), kernelorg-mirror/docs_man-pages_man-pages@227f4c2:man/man7/capabilities.7 [V]
 * - Docker default set: moby/moby@b985e23:daemon/pkg/oci/caps/defaults.go [V]
 * - containerd default set: containerd/containerd@301026e58:pkg/oci/spec.go defaultUnixCaps() [V]
 * - seccomp gates: moby/profiles@cd3bed8:seccomp/default.json (`includes.caps`) [V]
 * - PSS baseline allow-list: kubernetes/pod-security-admission@8f84a87 policy/check_capabilities_baseline.go [V]
 */
export type Risk = 'low' | 'medium' | 'high' | 'critical';

/** Numeric order of risk levels, for comparisons (`RISK_ORDER[a] >= RISK_ORDER[b]`). */
export const RISK_ORDER: Readonly<Record<Risk, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface CapabilityInfo {
  /** Upper case, without the `CAP_` prefix. */
  name: string;
  /** Kernel bit number (0–40). */
  bit: number;
  /** What it grants (capabilities(7), condensed). */
  grants: string;
  risk: Risk;
  /** What an attacker who controls the container can do with it (for diagnostics). */
  why: string;
  /** Settings that make this capability more dangerous, in words (Compose / Kubernetes spelling). */
  escalatesWith?: string;
  /** The risk when combined with `escalatesWith`. */
  escalatedRisk?: Risk;
  /** In Docker/moby's default capability set (14 caps). */
  dockerDefault: boolean;
  /** In containerd's default capability set (the same 14 caps). */
  containerdDefault: boolean;
  /** Kubernetes Pod Security Standards *baseline* allows adding it. */
  pssBaselineAllowed: boolean;
  /** Syscalls Docker's default seccomp profile allows only when this capability is held. */
  seccompSyscalls: string[];
  /** Kernel version that introduced it, when newer than the container era. */
  minKernel?: string;
  /** Where the facts come from. */
  source: string;
}

const MAN = 'capabilities(7) (man-pages@227f4c2:man/man7/capabilities.7)';
const DEFAULTS = 'moby@b985e23:daemon/pkg/oci/caps/defaults.go; containerd@301026e58:pkg/oci/spec.go';
const SECCOMP = 'moby/profiles@cd3bed8:seccomp/default.json';
const SRC = `${MAN}; ${DEFAULTS}; ${SECCOMP}`;

/** Docker's default capability set, moby daemon/pkg/oci/caps/defaults.go (domain.md §2.1). */
const DOCKER_DEFAULT_LIST = [
  'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP',
  'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
] as const;

/** PSS baseline `capabilities.add` allow-list: the Docker default set minus NET_RAW (domain.md §5.5). */
const PSS_BASELINE_LIST = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
] as const;

export const DOCKER_DEFAULT_CAPS: ReadonlySet<string> = new Set<string>(DOCKER_DEFAULT_LIST);
/** containerd `defaultUnixCaps()`: the same 14 caps as Docker (domain.md §2.2). */
export const CONTAINERD_DEFAULT_CAPS: ReadonlySet<string> = new Set<string>(DOCKER_DEFAULT_LIST);
export const PSS_BASELINE_ALLOWED_ADD: ReadonlySet<string> = new Set<string>(PSS_BASELINE_LIST);

type Row = Omit<CapabilityInfo, 'dockerDefault' | 'containerdDefault' | 'pssBaselineAllowed' | 'source'> & {
  /** Extra citation for this row, appended to the common sources. */
  cite?: string;
};

const ROWS: Row[] = [
  {
    name: 'CHOWN', bit: 0, risk: 'low', seccompSyscalls: [],
    grants: 'Make arbitrary changes to file UIDs and GIDs.',
    why: 'Lets root in the container take ownership of any file it can reach; the effect stays inside the container and its volumes.',
  },
  {
    name: 'DAC_OVERRIDE', bit: 1, risk: 'medium', seccompSyscalls: [],
    grants: 'Bypass file read, write and execute permission checks.',
    why: 'Reads and writes any file regardless of its permissions; with a host bind mount, that is every host file in the mount.',
    escalatesWith: 'writable host bind mounts (volumes / hostPath)',
  },
  {
    name: 'DAC_READ_SEARCH', bit: 2, risk: 'critical', seccompSyscalls: ['open_by_handle_at'],
    grants: 'Bypass file read and directory search checks; open_by_handle_at(2); linkat(2) with AT_EMPTY_PATH.',
    why: 'open_by_handle_at lets a process open host files by handle from inside the container: the "Shocker" breakout (2014) read host files this way.',
    cite: 'Docker seccomp docs ("Cause of an old container breakout") [V-doc]',
  },
  {
    name: 'FOWNER', bit: 3, risk: 'low', seccompSyscalls: [],
    grants: 'Bypass checks that require the file owner (chmod, utime), set inode flags and ACLs, ignore the sticky bit.',
    why: 'Lets root in the container change modes and ACLs of files it does not own; the effect stays inside the container and its volumes.',
  },
  {
    name: 'FSETID', bit: 4, risk: 'low', seccompSyscalls: [],
    grants: 'Keep setuid/setgid bits when a file is modified; set the setgid bit for a group the caller is not in.',
    why: 'Keeps setuid/setgid bits on files it modifies; only matters inside the container.',
  },
  {
    name: 'KILL', bit: 5, risk: 'low', seccompSyscalls: [],
    grants: 'Bypass permission checks for sending signals.',
    why: 'Signals any process in its PID namespace; with the host PID namespace it can kill host processes.',
    escalatesWith: 'pid: host / hostPID: true', escalatedRisk: 'high',
  },
  {
    name: 'SETGID', bit: 6, risk: 'medium', seccompSyscalls: [],
    grants: 'Arbitrary GID manipulation; forge GIDs over UNIX sockets; write gid_map.',
    why: 'Lets root in the container become any group, including groups that own host files in mounted volumes.',
  },
  {
    name: 'SETUID', bit: 7, risk: 'medium', seccompSyscalls: [],
    grants: 'Arbitrary UID manipulation; forge UIDs over UNIX sockets; write uid_map.',
    why: 'Lets root in the container become any user (su, sudo and gosu-style entrypoints rely on it).',
  },
  {
    name: 'SETPCAP', bit: 8, risk: 'medium', seccompSyscalls: [],
    grants: 'Add bounding-set capabilities to the inheritable set; drop from the bounding set; change securebits.',
    why: 'Lets a process rearrange its own capability sets and securebits, undoing hardening applied inside the container.',
  },
  {
    name: 'LINUX_IMMUTABLE', bit: 9, risk: 'low', seccompSyscalls: [],
    grants: 'Set the FS_APPEND_FL and FS_IMMUTABLE_FL inode flags.',
    why: 'Can make files on mounted volumes immutable or append-only: persistence and anti-forensics.',
  },
  {
    name: 'NET_BIND_SERVICE', bit: 10, risk: 'low', seccompSyscalls: [],
    grants: 'Bind sockets to ports below 1024.',
    why: 'Benign: binds privileged ports. The only capability Pod Security "restricted" lets you add.',
  },
  {
    name: 'NET_BROADCAST', bit: 11, risk: 'low', seccompSyscalls: [],
    grants: '(Unused by the kernel) make socket broadcasts and listen to multicasts.',
    why: 'Benign: the kernel does not check it.',
  },
  {
    name: 'NET_ADMIN', bit: 12, risk: 'high', seccompSyscalls: [],
    grants: 'Network administration: interfaces, firewall, routing, transparent proxy, promiscuous mode, SO_MARK and more.',
    why: 'Rewrites the firewall and routing of its network namespace, and exposes the large netfilter/nf_tables attack surface (many kernel privilege-escalation CVEs need CAP_NET_ADMIN); with the host network namespace it controls the host network.',
    escalatesWith: 'network_mode: host / hostNetwork: true', escalatedRisk: 'critical',
    cite: 'netfilter CVE remark [K]',
  },
  {
    name: 'NET_RAW', bit: 13, risk: 'medium', seccompSyscalls: [],
    grants: 'Use RAW and PACKET sockets; bind to any address for transparent proxying.',
    why: 'Crafts arbitrary packets: ARP and DNS spoofing of neighbours on the same bridge; AF_PACKET kernel bugs (CVE-2020-14386) need it.',
    escalatesWith: 'network_mode: host / hostNetwork: true', escalatedRisk: 'high',
    cite: 'CVE-2020-14386 [K]; PSS baseline forbids adding it; CIS Kubernetes 5.2.8',
  },
  {
    name: 'IPC_LOCK', bit: 14, risk: 'medium', seccompSyscalls: [],
    grants: 'Lock memory (mlock, mlockall, mmap MAP_LOCKED, shmctl SHM_LOCK); allocate huge pages.',
    why: 'Pins memory so it cannot be swapped: a memory-exhaustion DoS against the host.',
  },
  {
    name: 'IPC_OWNER', bit: 15, risk: 'medium', seccompSyscalls: [],
    grants: 'Bypass permission checks on System V IPC objects.',
    why: 'Reads and writes any System V shared memory, semaphore or message queue in its IPC namespace; with the host IPC namespace, those of host processes.',
    escalatesWith: 'ipc: host / hostIPC: true', escalatedRisk: 'high',
  },
  {
    name: 'SYS_MODULE', bit: 16, risk: 'critical', seccompSyscalls: ['init_module', 'finit_module', 'delete_module'],
    grants: 'Load and unload kernel modules.',
    why: 'Loading a kernel module is running code in the host kernel: full host root.',
  },
  {
    name: 'SYS_RAWIO', bit: 17, risk: 'critical', seccompSyscalls: ['iopl', 'ioperm'],
    grants: 'I/O port access (iopl, ioperm), /proc/kcore, /dev/mem, /dev/kmem, MSRs, FIBMAP, raw SCSI commands.',
    why: 'Raw access to host memory and hardware through the device nodes it can reach (/dev/mem, /dev/sd*): reads or corrupts the host.',
  },
  {
    name: 'SYS_CHROOT', bit: 18, risk: 'low', seccompSyscalls: ['chroot'],
    grants: 'Use chroot(2); change mount namespace with setns(2).',
    why: 'Changes its own root directory; no effect outside the container on its own.',
  },
  {
    name: 'SYS_PTRACE', bit: 19, risk: 'high',
    seccompSyscalls: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'],
    grants: 'Trace any process (ptrace), read /proc/<pid>/mem, maps and fds, process_vm_readv/writev, kcmp.',
    why: 'Reads the memory and secrets of, and injects code into, any process it can see; with the host PID namespace that includes host processes (before kernel 4.8 ptrace could also bypass seccomp).',
    escalatesWith: 'pid: host / hostPID: true', escalatedRisk: 'critical',
  },
  {
    name: 'SYS_PACCT', bit: 20, risk: 'low', seccompSyscalls: ['acct'],
    grants: 'Switch process accounting on or off with acct(2).',
    why: 'Turns host-wide process accounting on or off; little else.',
  },
  {
    name: 'SYS_ADMIN', bit: 21, risk: 'critical',
    seccompSyscalls: [
      'bpf', 'clone', 'clone3', 'fanotify_init', 'fsconfig', 'fsmount', 'fsopen', 'fspick', 'lookup_dcookie',
      'lsm_get_self_attr', 'lsm_list_modules', 'lsm_set_self_attr', 'mount', 'mount_setattr', 'move_mount',
      'open_tree', 'perf_event_open', 'quotactl', 'quotactl_fd', 'setdomainname', 'sethostname', 'setns',
      'syslog', 'umount', 'umount2', 'unshare',
    ],
    grants: '"The new root": mount, umount, pivot_root, swapon, sethostname, setns, unshare/clone with new namespaces, BPF and perf fallback, quotactl, fanotify, keyctl, TIOCSTI, seccomp without no-new-privileges and much more.',
    why: 'Mounts filesystems: mounting cgroupfs and setting release_agent makes the host run a script as root (cgroup v1 escape); it can also mount host block devices, or setns into host namespaces when it shares the host PID namespace.',
    escalatesWith: 'writable host mounts, apparmor:unconfined or seccomp:unconfined, pid: host / hostPID: true',
    cite: 'release_agent escape: HackTricks docker-release_agent-cgroups-escape.md [C]',
  },
  {
    name: 'SYS_BOOT', bit: 22, risk: 'high', seccompSyscalls: ['reboot'],
    grants: 'Use reboot(2) and kexec_load(2).',
    why: 'Reboots the host (kexec_load and kexec_file_load stay blocked by the default seccomp profile).',
  },
  {
    name: 'SYS_NICE', bit: 23, risk: 'medium', seccompSyscalls: ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'],
    grants: 'Raise priority, set real-time scheduling and CPU affinity for any process; migrate_pages; mbind with MPOL_MF_MOVE_ALL.',
    why: 'Real-time scheduling and priority changes can starve the host of CPU: a denial of service.',
  },
  {
    name: 'SYS_RESOURCE', bit: 24, risk: 'medium', seccompSyscalls: [],
    grants: 'Override resource limits, disk quotas, reserved ext2/3/4 space and mqueue limits; PR_SET_MM; oom_score_adj.',
    why: 'Escapes resource limits and quotas: resource-exhaustion denial of service against the host.',
  },
  {
    name: 'SYS_TIME', bit: 25, risk: 'high', seccompSyscalls: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'],
    grants: 'Set the system clock (settimeofday, stime, adjtimex) and the real-time clock.',
    why: 'The clock is not namespaced: it changes the host\'s time, breaking TLS validation, Kerberos and log integrity for every workload on the host.',
  },
  {
    name: 'SYS_TTY_CONFIG', bit: 26, risk: 'low', seccompSyscalls: ['vhangup'],
    grants: 'Use vhangup(2) and privileged ioctls on virtual terminals.',
    why: 'Hangs up terminals; little impact in a container.',
  },
  {
    name: 'MKNOD', bit: 27, risk: 'medium', seccompSyscalls: [],
    grants: 'Create special files with mknod(2).',
    why: 'Creates device nodes; only usable for devices the device cgroup allows, so it is dangerous with privileged or a permissive device_cgroup_rules entry (e.g. "a *:* rwm").',
    escalatesWith: 'privileged or permissive device_cgroup_rules', escalatedRisk: 'high',
  },
  {
    name: 'LEASE', bit: 28, risk: 'low', seccompSyscalls: [],
    grants: 'Establish leases on arbitrary files (fcntl F_SETLEASE).',
    why: 'Can delay other processes opening shared files; minor.',
  },
  {
    name: 'AUDIT_WRITE', bit: 29, risk: 'low', seccompSyscalls: [],
    grants: 'Write records to the kernel audit log.',
    why: 'Can add misleading records to the host audit log.',
  },
  {
    name: 'AUDIT_CONTROL', bit: 30, risk: 'high', seccompSyscalls: [],
    grants: 'Enable and disable kernel auditing; change audit filter rules; read audit status.',
    why: 'Switches off or rewrites host auditing: blinds the host\'s intrusion detection.',
  },
  {
    name: 'SETFCAP', bit: 31, risk: 'medium', seccompSyscalls: [],
    grants: 'Set file capabilities; map UID 0 in a new user namespace (kernel 5.12+).',
    why: 'Gives files capabilities that any process executing them receives.',
  },
  {
    name: 'MAC_OVERRIDE', bit: 32, risk: 'high', seccompSyscalls: [],
    grants: 'Override Mandatory Access Control (Smack).',
    why: 'Bypasses the LSM confinement that is meant to contain the container.',
  },
  {
    name: 'MAC_ADMIN', bit: 33, risk: 'high', seccompSyscalls: [],
    grants: 'Change MAC configuration (Smack); set undefined SELinux contexts; load or replace AppArmor policy.',
    why: 'Rewrites the security policy (AppArmor, SELinux, Smack) that confines containers.',
    cite: 'AppArmor policy load gated by CAP_MAC_ADMIN [K]',
  },
  {
    name: 'SYSLOG', bit: 34, risk: 'high', seccompSyscalls: ['syslog'],
    grants: 'Privileged syslog(2) operations; see kernel addresses in /proc when kptr_restrict=1.',
    why: 'Reads the kernel log and kernel addresses: an info leak that defeats KASLR for kernel exploits.',
  },
  {
    name: 'WAKE_ALARM', bit: 35, risk: 'low', seccompSyscalls: [],
    grants: 'Set CLOCK_REALTIME_ALARM and CLOCK_BOOTTIME_ALARM timers that wake the system.',
    why: 'Can wake a suspended host; minor.',
  },
  {
    name: 'BLOCK_SUSPEND', bit: 36, risk: 'low', seccompSyscalls: [],
    grants: 'Block system suspend (EPOLLWAKEUP, /proc/sys/wake_lock).',
    why: 'Can keep the host from suspending; minor.',
  },
  {
    name: 'AUDIT_READ', bit: 37, risk: 'medium', seccompSyscalls: [],
    grants: 'Read the audit log through a multicast netlink socket.',
    why: 'Reads the host audit stream: an information leak about other workloads.',
  },
  {
    name: 'PERFMON', bit: 38, risk: 'high', seccompSyscalls: ['perf_event_open'], minKernel: '5.8',
    grants: 'perf_event_open, perf-related BPF operations, read /proc/<pid>/maps of all processes.',
    why: 'Opens kernel performance monitoring: kernel attack surface and side channels (the targeted replacement for SYS_ADMIN in profilers).',
  },
  {
    name: 'BPF', bit: 39, risk: 'critical', seccompSyscalls: ['bpf'], minKernel: '5.8',
    grants: 'Privileged BPF operations: load programs, create maps.',
    why: 'Loads BPF programs into the kernel: the verifier has a history of privilege-escalation bugs, and with PERFMON tracing programs can read kernel memory.',
    escalatesWith: 'PERFMON (tracing programs read kernel memory)',
    cite: 'eBPF verifier LPE CVEs [K]',
  },
  {
    name: 'CHECKPOINT_RESTORE', bit: 40, risk: 'medium', seccompSyscalls: [], minKernel: '5.9',
    grants: 'Checkpoint/restore operations: set ns_last_pid, clone3 with set_tid, read /proc/<pid>/map_files.',
    why: 'Chooses PIDs and reads other processes\' mapped files: helps attacks on processes in the same namespace.',
  },
];

export const CAPABILITIES: readonly CapabilityInfo[] = ROWS.map(({ cite, ...row }) => ({
  ...row,
  dockerDefault: DOCKER_DEFAULT_CAPS.has(row.name),
  containerdDefault: CONTAINERD_DEFAULT_CAPS.has(row.name),
  pssBaselineAllowed: PSS_BASELINE_ALLOWED_ADD.has(row.name),
  source: cite ? `${SRC}; ${cite}` : SRC,
}));

/** All 41 capability names, in bit order. */
export const CAPABILITY_NAMES: readonly string[] = CAPABILITIES.map((c) => c.name);

const BY_NAME = new Map(CAPABILITIES.map((c) => [c.name, c]));

/** `cap_net_admin`, ` CAP_NET_ADMIN `, `net_admin` → `NET_ADMIN`. `all` → `ALL`. */
export function normalizeCapability(raw: string): string {
  const upper = String(raw).trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** Looks a capability up by any spelling (with or without `CAP_`, any case). */
export function capabilityInfo(name: string): CapabilityInfo | undefined {
  return BY_NAME.get(normalizeCapability(name));
}

export function isKnownCapability(name: string): boolean {
  return BY_NAME.has(normalizeCapability(name));
}

/** The risk of `name`, raised to `escalatedRisk` when `escalated` is true. */
export function capabilityRisk(name: string, escalated = false): Risk | undefined {
  const info = capabilityInfo(name);
  if (!info) return undefined;
  return escalated && info.escalatedRisk ? info.escalatedRisk : info.risk;
}

/**
 * Host paths, one by one: which ones are sensitive to mount into a container, what each one is,
 * and what a process can do with it. no-sensitive-host-mounts reads this table; the rule doc
 * prints it (with the differences from KICS, Checkov and Trivy).
 *
 * Precision over prefixes: `/etc` itself and the sensitive entries under it are listed, an
 * application's own directory under `/etc` (`/etc/pihole`, `/etc/nginx`) is not; `/usr`'s
 * program and library directories are listed, application data under `/usr/share` or `/opt` is
 * not; known benign files (`/run/xtables.lock`, `/etc/localtime`) are listed as benign so that a
 * sensitive parent does not catch them.
 *
 * Sources: hier(7) and the Filesystem Hierarchy Standard 3.0 (what each directory holds);
 * shadow(5), passwd(5), group(5), sudoers(5), crontab(5), systemd.unit(5), pam(8), ld.so(8),
 * modprobe.d(5), sysctl.d(5), udev(7) (what a write there runs, and as whom); proc(5) and the
 * kernel's Documentation/admin-guide/sysrq.rst and sysctl/kernel.rst (core_pattern); sysfs(5),
 * cgroups(7) (release_agent, cgroup v1); Kubernetes "Static Pods" and "PKI certificates and
 * requirements" (/etc/kubernetes/manifests, /etc/kubernetes/pki), "Volumes: hostPath" (the
 * /var/log symlink risk); iptables(8) `-w` / `--wait` (the xtables lock); the CNI specification
 * (/etc/cni/net.d, /opt/cni/bin); dkms(8) (/usr/src); shared/reference/domain.md §4.3.
 */

export interface HostPathFact {
  /** Normalised absolute path (no trailing `/`; `/var/run` is read as `/run`). */
  path: string;
  /** `exact`: this path only. `tree`: this path and everything under it, unless a more specific entry says otherwise. */
  match: 'exact' | 'tree';
  /** `sensitive`: reported. `benign`: never reported (it shields itself from a sensitive parent). */
  verdict: 'sensitive' | 'benign';
  /** What it is, for the message: `the host's password hashes`. */
  what: string;
  /** What a process can do with it, for the detail: one or two sentences. */
  why: string;
  /** Reading it is harmless (world-readable facts, public certificates, programs): a read-only mount is not reported. */
  readOnlyHarmless?: boolean;
  /** It holds sockets: a read-only mount does not stop a process from connecting to them. */
  sockets?: boolean;
  /** Even a writable mount is a warning (the harm is delayed and needs something else to happen). */
  warningOnly?: boolean;
}

const PROGRAMS = 'the host\'s programs and libraries';
const PROGRAMS_WHY = 'Writable, a replaced program or library runs as root the next time the host runs it. Reading it is harmless: these are the distribution\'s packages.';
const programDir = (path: string): HostPathFact => ({ path, match: 'tree', verdict: 'sensitive', what: PROGRAMS, why: PROGRAMS_WHY, readOnlyHarmless: true });

const CRON_WHY = 'Writable, a job added there runs as root on the host.';
const cron = (path: string): HostPathFact => ({ path, match: 'tree', verdict: 'sensitive', what: 'the host\'s cron jobs', why: CRON_WHY });

const SHELL_WHY = 'Writable, a command added there runs in every login shell on the host, root\'s included.';
const RUNTIME_STATE_WHY = 'The container runtime\'s sockets and per-container state are there: connecting to them is root on the host, read-only or not.';

/** The table, in the order the rule doc gives it. */
export const HOST_PATHS: readonly HostPathFact[] = [
  { path: '/', match: 'exact', verdict: 'sensitive', what: 'the host\'s whole filesystem', why: 'Every host file is there, the container runtime\'s socket, /etc/shadow and root\'s SSH keys included: writable, it is the host.', sockets: true },

  // /etc: the directory itself, and the entries under it that run code as root, grant logins or hold secrets.
  { path: '/etc', match: 'exact', verdict: 'sensitive', what: 'the host\'s whole configuration', why: 'It holds passwd, shadow, sudoers, cron, systemd units and kubelet credentials: a write to any of them runs code or logs in as root on the host.' },
  { path: '/etc/shadow', match: 'exact', verdict: 'sensitive', what: 'the host\'s password hashes', why: 'Readable, the hashes can be cracked offline; writable, any account\'s password can be set, root\'s included.' },
  { path: '/etc/gshadow', match: 'exact', verdict: 'sensitive', what: 'the host\'s group password hashes', why: 'Readable, the hashes can be cracked offline; writable, group passwords and administrators can be set.' },
  { path: '/etc/passwd', match: 'exact', verdict: 'sensitive', what: 'the host\'s user accounts', why: 'Writable, an account with uid 0 can be added, which logs in as root. Reading it is harmless: it is world-readable on the host.', readOnlyHarmless: true },
  { path: '/etc/group', match: 'exact', verdict: 'sensitive', what: 'the host\'s groups', why: 'Writable, any user can be put in the sudo, wheel or docker group, each root on the host. Reading it is harmless: it is world-readable on the host.', readOnlyHarmless: true },
  { path: '/etc/sudoers', match: 'exact', verdict: 'sensitive', what: 'the host\'s sudo rules', why: 'Writable, any user can be given root without a password.' },
  { path: '/etc/sudoers.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s sudo rules', why: 'Writable, any user can be given root without a password.' },
  { path: '/etc/ssh', match: 'tree', verdict: 'sensitive', what: 'the host\'s SSH server keys and configuration', why: 'The private host keys let anyone impersonate the host; writable, the configuration can let anyone log in as root.' },
  { path: '/etc/kubernetes', match: 'tree', verdict: 'sensitive', what: 'the node\'s Kubernetes credentials and static pod manifests', why: 'The kubelet\'s credentials and, on control-plane nodes, the cluster\'s CA keys and admin kubeconfig; writable, a manifest in manifests/ runs a static pod, privileged if it asks.' },
  { path: '/etc/kubernetes/pki', match: 'tree', verdict: 'sensitive', what: 'the cluster\'s certificates and CA keys', why: 'On a control-plane node the CA keys sign any identity, cluster-admin included: reading them is owning the cluster.' },
  { path: '/etc/kubernetes/manifests', match: 'tree', verdict: 'sensitive', what: 'the node\'s static pod manifests', why: 'Writable, a manifest added there runs as a static pod on the node, privileged if it asks, past admission control.' },
  { path: '/etc/rancher', match: 'tree', verdict: 'sensitive', what: 'the node\'s k3s or RKE2 configuration and kubeconfig', why: 'It holds the cluster\'s admin kubeconfig and the node\'s join configuration.' },
  { path: '/etc/ssl/private', match: 'tree', verdict: 'sensitive', what: 'the host\'s TLS private keys', why: 'Readable, the host\'s services can be impersonated and their recorded traffic decrypted.' },
  { path: '/etc/ssl/certs', match: 'tree', verdict: 'sensitive', what: 'the host\'s trusted CA certificates', why: 'Writable, a CA certificate added there is trusted by the host\'s programs, which lets their TLS traffic be intercepted. Reading is harmless: the certificates are public.', readOnlyHarmless: true },
  { path: '/etc/pki', match: 'tree', verdict: 'sensitive', what: 'the host\'s certificates and keys (RHEL, Fedora)', why: 'It holds the trusted CA bundle and, under tls/private, private keys: writable, a CA added there is trusted by the host\'s programs.' },
  { path: '/etc/ca-certificates', match: 'tree', verdict: 'sensitive', what: 'the host\'s trusted CA certificates', why: 'Writable, a CA certificate added there is trusted by the host\'s programs, which lets their TLS traffic be intercepted. Reading is harmless: the certificates are public.', readOnlyHarmless: true },
  cron('/etc/crontab'),
  cron('/etc/cron.d'),
  cron('/etc/cron.hourly'),
  cron('/etc/cron.daily'),
  cron('/etc/cron.weekly'),
  cron('/etc/cron.monthly'),
  { path: '/etc/systemd', match: 'tree', verdict: 'sensitive', what: 'the host\'s systemd units and configuration', why: 'Writable, a unit added or changed there runs as root on the host at the next boot or reload.' },
  { path: '/etc/init.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s init scripts', why: 'Writable, a changed script runs as root on the host when the service starts.' },
  { path: '/etc/rc.local', match: 'exact', verdict: 'sensitive', what: 'the host\'s boot script', why: 'Writable, a command added there runs as root at the next boot.' },
  { path: '/etc/pam.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s login authentication (PAM)', why: 'Writable, one line of PAM configuration lets any password, or none, log in as root.' },
  { path: '/etc/security', match: 'tree', verdict: 'sensitive', what: 'the host\'s PAM security settings', why: 'Writable, login limits and access rules for every account on the host can be changed.' },
  { path: '/etc/ld.so.preload', match: 'exact', verdict: 'sensitive', what: 'the host\'s preloaded libraries', why: 'Writable, a library named there is loaded into every program the host runs, as root for root\'s programs.' },
  { path: '/etc/ld.so.conf', match: 'exact', verdict: 'sensitive', what: 'the host\'s library search path', why: 'Writable, a directory added there can supply the libraries the host\'s programs load, as root for root\'s programs.' },
  { path: '/etc/ld.so.conf.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s library search path', why: 'Writable, a directory added there can supply the libraries the host\'s programs load, as root for root\'s programs.' },
  { path: '/etc/profile', match: 'exact', verdict: 'sensitive', what: 'the host\'s login shell startup file', why: SHELL_WHY },
  { path: '/etc/profile.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s login shell startup files', why: SHELL_WHY },
  { path: '/etc/bash.bashrc', match: 'exact', verdict: 'sensitive', what: 'the host\'s shell startup file', why: SHELL_WHY },
  { path: '/etc/environment', match: 'exact', verdict: 'sensitive', what: 'the host\'s login environment', why: 'Writable, variables such as LD_PRELOAD set there apply to every login session on the host.' },
  { path: '/etc/docker', match: 'tree', verdict: 'sensitive', what: 'the Docker daemon\'s configuration and TLS keys', why: 'Writable, daemon.json can expose the API or add a runtime of the writer\'s choice; the TLS keys give access to a daemon exposed over TCP.' },
  { path: '/etc/containerd', match: 'tree', verdict: 'sensitive', what: 'containerd\'s configuration', why: 'Writable, it can name another runtime binary, run as root for every container.' },
  { path: '/etc/crio', match: 'tree', verdict: 'sensitive', what: 'CRI-O\'s configuration', why: 'Writable, it can name another runtime binary or hooks, run as root for every container.' },
  { path: '/etc/containers', match: 'tree', verdict: 'sensitive', what: 'the host\'s Podman and CRI-O configuration', why: 'Writable, it can add OCI hooks or registries that every container on the host then runs with or pulls from.' },
  { path: '/etc/modprobe.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel module loading rules', why: 'Writable, an install line runs a command as root on the host when the module loads.' },
  { path: '/etc/modules-load.d', match: 'tree', verdict: 'sensitive', what: 'the kernel modules the host loads at boot', why: 'Writable, any module on the host can be loaded at the next boot.' },
  { path: '/etc/modules', match: 'exact', verdict: 'sensitive', what: 'the kernel modules the host loads at boot', why: 'Writable, any module on the host can be loaded at the next boot.' },
  { path: '/etc/sysctl.conf', match: 'exact', verdict: 'sensitive', what: 'the host\'s kernel settings applied at boot', why: 'Writable, kernel.core_pattern set there runs a program as root on the host at the next crash after boot.' },
  { path: '/etc/sysctl.d', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel settings applied at boot', why: 'Writable, kernel.core_pattern set there runs a program as root on the host at the next crash after boot.' },
  { path: '/etc/udev', match: 'tree', verdict: 'sensitive', what: 'the host\'s udev rules', why: 'Writable, a RUN+= rule runs a program as root on the host when a device appears.' },
  { path: '/etc/cni', match: 'tree', verdict: 'sensitive', what: 'the node\'s CNI network configuration', why: 'Writable, it decides which plugin sets up every pod\'s network on the node. CNI agents (Calico, Cilium, flannel, kube-router) write it by design; other workloads should not.' },
  { path: '/etc/localtime', match: 'exact', verdict: 'benign', what: 'the host\'s time zone', why: 'What containers mount to show local time: the time zone, nothing secret.' },
  { path: '/etc/timezone', match: 'exact', verdict: 'benign', what: 'the host\'s time zone name', why: 'What containers mount to show local time: the time zone, nothing secret.' },
  { path: '/etc/os-release', match: 'exact', verdict: 'benign', what: 'the host\'s OS name and version', why: 'Monitoring agents read it to report the host\'s OS; nothing secret.', readOnlyHarmless: true },

  // Kernel interfaces.
  { path: '/proc', match: 'tree', verdict: 'sensitive', what: 'the host\'s processes and kernel settings', why: '/proc/sys, core_pattern and sysrq-trigger change the host kernel; every host process\'s command line and, with ptrace rights, its memory and environment are there.' },
  { path: '/proc/sys', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel settings', why: 'Writable, kernel.core_pattern runs a program as root on the host at the next crash, and every other kernel setting can be changed.' },
  { path: '/proc/sysrq-trigger', match: 'exact', verdict: 'sensitive', what: 'the host\'s SysRq trigger', why: 'A write reboots, crashes or freezes the host.' },
  { path: '/proc/kcore', match: 'exact', verdict: 'sensitive', what: 'the host\'s physical memory', why: 'With CAP_SYS_RAWIO, every secret in the host\'s memory can be read.' },
  { path: '/sys', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel and device settings', why: 'Writable, uevent_helper, firmware loading and device settings change the host; read-only it still tells an attacker the host\'s hardware and kernel.' },
  { path: '/sys/fs/cgroup', match: 'tree', verdict: 'sensitive', what: 'the host\'s cgroup tree', why: 'Writable, every container\'s limits can be changed and, on cgroup v1, release_agent runs a program as root on the host. Read-only is how monitoring agents (cAdvisor, Metricbeat) read usage: a warning.' },
  { path: '/sys/fs/bpf', match: 'tree', verdict: 'sensitive', what: 'the host\'s pinned BPF programs and maps', why: 'Writable, the BPF programs that filter and route every pod\'s traffic can be replaced. CNI agents (Cilium, Calico eBPF) use it by design.' },
  { path: '/sys/kernel', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel interfaces (uevent_helper, LSM policy)', why: 'Writable, uevent_helper runs a program as root on the host at the next device event, and the LSM policy can be changed.' },
  { path: '/sys/firmware', match: 'tree', verdict: 'sensitive', what: 'the host\'s firmware tables and EFI variables', why: 'Writable EFI variables can make the machine unbootable or persist below the operating system.' },
  { path: '/boot', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel and boot loader', why: 'Writable, a changed kernel, initramfs or boot entry runs at the next boot, below every protection.' },
  { path: '/lib/modules', match: 'tree', verdict: 'sensitive', what: 'the kernel modules the host loads', why: 'Writable, a replaced module runs in the host kernel the next time it loads. Read-only is how VPN and storage agents find a module to load (loading needs SYS_MODULE, which no-risky-capabilities reports).', readOnlyHarmless: true },
  { path: '/usr/lib/modules', match: 'tree', verdict: 'sensitive', what: 'the kernel modules the host loads', why: 'Writable, a replaced module runs in the host kernel the next time it loads. Read-only is how VPN and storage agents find a module to load (loading needs SYS_MODULE, which no-risky-capabilities reports).', readOnlyHarmless: true },
  { path: '/usr/src', match: 'tree', verdict: 'sensitive', what: 'the host\'s kernel headers and module sources', why: 'DKMS builds the host\'s out-of-tree kernel modules from the sources here: writable, a changed source is built and loaded into the host kernel at the next kernel update. Read-only is what module builds need (WireGuard, NVIDIA).', readOnlyHarmless: true, warningOnly: true },

  // Programs and libraries: the directories host root runs code from (not /usr/share, /usr/src or /opt application data).
  { path: '/usr', match: 'exact', verdict: 'sensitive', what: 'the host\'s programs, libraries and shared data', why: PROGRAMS_WHY, readOnlyHarmless: true },
  programDir('/bin'),
  programDir('/sbin'),
  programDir('/lib'),
  programDir('/lib32'),
  programDir('/lib64'),
  programDir('/usr/bin'),
  programDir('/usr/sbin'),
  programDir('/usr/lib'),
  programDir('/usr/lib32'),
  programDir('/usr/lib64'),
  programDir('/usr/libexec'),
  programDir('/usr/local/bin'),
  programDir('/usr/local/sbin'),
  programDir('/usr/local/lib'),
  { path: '/usr/libexec/kubernetes', match: 'tree', verdict: 'sensitive', what: 'the kubelet\'s FlexVolume drivers', why: 'The kubelet runs the drivers there as root on the node: writable, a replaced driver runs as root at the next volume mount. FlexVolume installers write it by design.' },
  { path: '/opt/cni/bin', match: 'tree', verdict: 'sensitive', what: 'the CNI plugin programs the node runs as root', why: 'Writable, a replaced plugin runs as root on the node when the next pod starts. CNI installers write it by design; other workloads should not.' },

  // Homes (the home itself and its dot-entries: see homePath below).
  { path: '/root', match: 'exact', verdict: 'sensitive', what: 'root\'s home on the host', why: 'It holds root\'s SSH keys, shell startup files and cloud credentials: writable, .ssh/authorized_keys or .bashrc logs in or runs code as root.' },
  { path: '/home', match: 'exact', verdict: 'sensitive', what: 'every user\'s home on the host', why: 'It holds the users\' SSH keys, shell startup files and credentials: writable, .ssh/authorized_keys or .bashrc logs in or runs code as any of them.' },

  // Runtime state and sockets (`/var/run` is read as `/run`).
  { path: '/run', match: 'exact', verdict: 'sensitive', what: 'the host\'s runtime state and sockets', why: 'The container runtime\'s, D-Bus\'s and systemd\'s sockets are there: connecting to them is root on the host, read-only or not.', sockets: true },
  { path: '/run/dbus', match: 'tree', verdict: 'sensitive', what: 'the host\'s D-Bus system bus', why: 'systemd and other root services take requests over the system bus: with root in the container, units can be started on the host, read-only or not.', sockets: true },
  { path: '/run/systemd', match: 'tree', verdict: 'sensitive', what: 'systemd\'s sockets and state', why: 'systemd\'s private socket and the journal\'s are there: root in the container can manage the host\'s services, read-only or not.', sockets: true },
  { path: '/run/containerd', match: 'tree', verdict: 'sensitive', what: 'containerd\'s sockets and state', why: RUNTIME_STATE_WHY, sockets: true },
  { path: '/run/docker', match: 'tree', verdict: 'sensitive', what: 'Docker\'s sockets and state', why: RUNTIME_STATE_WHY, sockets: true },
  { path: '/run/crio', match: 'tree', verdict: 'sensitive', what: 'CRI-O\'s sockets and state', why: RUNTIME_STATE_WHY, sockets: true },
  { path: '/run/podman', match: 'tree', verdict: 'sensitive', what: 'Podman\'s sockets and state', why: RUNTIME_STATE_WHY, sockets: true },
  { path: '/run/k3s', match: 'tree', verdict: 'sensitive', what: 'k3s\'s containerd sockets and state', why: RUNTIME_STATE_WHY, sockets: true },
  { path: '/run/netns', match: 'tree', verdict: 'sensitive', what: 'every pod\'s network namespace', why: 'Entering them (setns, which needs SYS_ADMIN) reaches every pod\'s network on the node. CNI agents use it by design.' },
  { path: '/run/user', match: 'tree', verdict: 'sensitive', what: 'the host users\' runtime directories', why: 'Each user\'s session bus, ssh-agent and rootless container sockets are there: connecting to them acts as that user, read-only or not.', sockets: true },
  { path: '/run/xtables.lock', match: 'exact', verdict: 'benign', what: 'the iptables lock file', why: 'iptables takes this lock so that concurrent rule changes do not collide; kube-proxy and CNI agents share it with the host by design. Holding it can only delay other iptables changes.' },

  // State under /var.
  { path: '/var/lib/docker', match: 'tree', verdict: 'sensitive', what: 'Docker\'s state', why: 'Every container\'s filesystem, volumes, logs and configuration (environment variables included) are there; writable, another container\'s files can be changed.' },
  { path: '/var/lib/docker/containers', match: 'tree', verdict: 'sensitive', what: 'Docker\'s container files', why: 'Each container\'s config.v2.json holds its environment variables (secrets included) and its logs may hold more; writable, another container\'s configuration can be changed. Log shippers (Filebeat, Fluent Bit) read it by design.' },
  { path: '/var/lib/containerd', match: 'tree', verdict: 'sensitive', what: 'containerd\'s state', why: 'Every container\'s image layers and snapshots are there; writable, another container\'s files can be changed.' },
  { path: '/var/lib/containers', match: 'tree', verdict: 'sensitive', what: 'Podman\'s and CRI-O\'s storage', why: 'Every container\'s filesystem is there; writable, another container\'s files can be changed.' },
  { path: '/var/lib/kubelet', match: 'tree', verdict: 'sensitive', what: 'the kubelet\'s state', why: 'Every pod\'s Secrets, service account tokens and volumes are there, and the kubelet\'s own credentials.' },
  { path: '/var/lib/etcd', match: 'tree', verdict: 'sensitive', what: 'the cluster\'s etcd data', why: 'Every object of the cluster is there, every Secret included: reading it is reading all of them.' },
  { path: '/var/lib/rancher', match: 'tree', verdict: 'sensitive', what: 'k3s\'s or RKE2\'s server state', why: 'The cluster\'s tokens, its CA keys and its datastore are there.' },
  { path: '/var/log', match: 'tree', verdict: 'sensitive', what: 'the host\'s logs', why: 'Logs can hold secrets; writable, a pod can plant symlinks there that the kubelet follows when it serves logs, which reads any host file. Log shippers read it by design.' },
  { path: '/var/spool/cron', match: 'tree', verdict: 'sensitive', what: 'the host users\' crontabs', why: CRON_WHY },

  // Devices: the ones that are the host's memory, disks or kernel log (the whole /dev is no-host-devices').
  { path: '/dev/mem', match: 'exact', verdict: 'sensitive', what: 'the host\'s physical memory', why: 'Where the device cgroup allows it (privileged, or a devices entry), every byte of host memory can be read and written.' },
  { path: '/dev/kmem', match: 'exact', verdict: 'sensitive', what: 'the host kernel\'s memory', why: 'Where the device cgroup allows it, kernel memory can be read and written: root on the host.' },
  { path: '/dev/port', match: 'exact', verdict: 'sensitive', what: 'the host\'s I/O ports', why: 'Where the device cgroup allows it, hardware can be driven directly.' },
  { path: '/dev/kmsg', match: 'exact', verdict: 'sensitive', what: 'the host\'s kernel log', why: 'Readable, kernel messages tell an attacker kernel addresses and other containers\' events; writable, kernel log lines can be forged.' },
  { path: '/dev/shm', match: 'tree', verdict: 'sensitive', what: 'the host\'s shared memory', why: 'The shared memory segments of host processes (databases, browsers, X11) can be read and written.' },
  { path: '/dev/disk', match: 'tree', verdict: 'sensitive', what: 'the host\'s disks', why: 'Where the device cgroup allows it (privileged, or a devices entry), a raw write under the host\'s filesystem takes over the host.' },
  { path: '/dev/mapper', match: 'tree', verdict: 'sensitive', what: 'the host\'s disk volumes', why: 'Where the device cgroup allows it (privileged, or a devices entry), a raw write under the host\'s filesystem takes over the host.' },
];

/** Dot-entries of a home that hold credentials or run code at login (`.ssh`, `.bashrc`…): every dot-entry, in practice. */
const DOT_ENTRY = /^\.[^/]+/;

/** A raw disk device: sda, sda1, nvme0n1p2, vda, xvdb, mmcblk0p1, dm-0, md0, loop3. */
const DISK_DEVICE = /^\/dev\/(?:(?:sd|hd|vd|xvd)[a-z]+\d*|nvme\d+n\d+(?:p\d+)?|mmcblk\d+(?:p\d+)?|dm-\d+|md\d+|loop\d+)$/;

/** `/var/run/x` is `/run/x` on every current distribution (a symbolic link). */
function canonical(path: string): string {
  return path === '/var/run' || path.startsWith('/var/run/') ? path.slice('/var'.length) : path;
}

function covers(fact: HostPathFact, path: string): boolean {
  if (fact.match === 'exact' || fact.path === '/') return path === fact.path;
  return path === fact.path || path.startsWith(`${fact.path}/`);
}

/** What the table says of a home directory or a dot-entry in it (`/home/ana`, `/home/ana/.ssh/id_ed25519`, `/root/.kube`). */
function homePath(path: string): HostPathFact | undefined {
  const m = /^(\/root|\/home\/[^/]+)(?:\/(.*))?$/.exec(path);
  if (!m) return undefined;
  const [, home = '', rest] = m;
  const owner = home === '/root' ? 'root' : `host user ${home.slice('/home/'.length)}`;
  if (rest === undefined) {
    if (home === '/root') return undefined; // the table's own entry
    return { path: home, match: 'exact', verdict: 'sensitive', what: `the home of ${owner}`, why: 'It holds the user\'s SSH keys, shell startup files and credentials: writable, .ssh/authorized_keys or .bashrc logs in or runs code as that user.' };
  }
  const entry = DOT_ENTRY.exec(rest)?.[0];
  if (!entry) return undefined; // a project or data directory in the home: the application's own files
  return {
    path: `${home}/${entry}`,
    match: 'tree',
    verdict: 'sensitive',
    what: `${owner === 'root' ? 'root\'s' : `${owner}'s`} ${entry}`,
    why: 'A home\'s dot-files hold credentials (.ssh, .kube, .aws, .docker) and code that runs at login (.bashrc, .profile): readable, the credentials leak; writable, the next login runs what is written there.',
  };
}

/**
 * The fact that decides a normalised absolute host path: the most specific table entry that
 * covers it, a home or one of its dot-entries, a raw disk device; undefined when the path is
 * not sensitive (an application's own directory under /etc, data under /usr/share or /opt…).
 */
export function hostPathFact(path: string): HostPathFact | undefined {
  const p = canonical(path);
  const home = homePath(p);
  if (home) return home;
  if (DISK_DEVICE.test(p)) return { path: p, match: 'exact', verdict: 'sensitive', what: `the host disk ${p}`, why: 'Where the device cgroup allows it (privileged, or a devices entry), a raw write under the host\'s filesystem takes over the host.' };
  let best: HostPathFact | undefined;
  for (const fact of HOST_PATHS) {
    if (covers(fact, p) && (!best || fact.path.length > best.path.length)) best = fact;
  }
  return best;
}

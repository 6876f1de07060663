/**
 * What a `privileged` workload really needs: from a known image profile first, then from hints in
 * its configuration (devices, mounts, sysctls, ports, environment switches and command words).
 *
 * Pure: no I/O. Facts: shared/reference/domain.md §2.2–2.3 (Docker/containerd default sysctls),
 * §3 (AppArmor docker-default `deny mount`), §8.1 (generic need → replacement), §8.2 (images).
 */
import { normalizeCapability } from './capabilities';
import type { ConditionContext, ImageProfile, Replaceable, Requirement, RequirementKind } from './images';
import { commandWords, deviceHostPath, evaluateCondition, imageProfile, matchImage } from './images';
import { trimEndChars } from '../text';

export interface HintInput {
  image?: string;
  /** Device entries as listed: `/dev/net/tun`, `/dev/net/tun:/dev/net/tun`, `/dev/ttyUSB0`. */
  devices: string[];
  /** Host paths of bind mounts / hostPath volumes. */
  volumes: string[];
  /** Sysctl names, or `name=value`. */
  sysctls: string[];
  /** Container (listening) ports. */
  ports: number[];
  env: Record<string, string>;
  /** Command and entrypoint joined. */
  command: string;
  runtime: 'docker' | 'kubernetes';
  /** `network_mode` (Compose) or `host` for `hostNetwork: true`; optional. */
  networkMode?: string;
}

export type Confidence = 'certain' | 'likely' | 'unsure';

export interface InferredCap {
  name: string;
  reason: string;
}

export interface InferredDevice {
  /** Host path. */
  path: string;
  reason: string;
  /** Already in the configuration (nothing to add). */
  listed: boolean;
}

export interface InferredSysctl {
  name: string;
  value: string;
  reason: string;
}

export interface InferredSecurityOpt {
  value: string;
  reason: string;
}

/** Requirements the fix does not write (mounts, network/pid mode, GPUs, groups): for explanations. */
export interface InferredExtra {
  what: RequirementKind;
  value: string;
  reason: string;
}

export interface Inference {
  source: 'image' | 'hints' | 'none';
  image?: ImageProfile;
  replaceable: Replaceable;
  confidence: Confidence;
  caps: InferredCap[];
  devices: InferredDevice[];
  sysctls: InferredSysctl[];
  securityOpt: InferredSecurityOpt[];
  notes: string[];
  alternatives?: string[];
  extras: InferredExtra[];
}

export const LISTED_DEVICE_REASON = 'already listed; without privileged it becomes necessary';

class Accumulator {
  readonly caps = new Map<string, InferredCap>();
  readonly devices = new Map<string, InferredDevice>();
  readonly sysctls = new Map<string, InferredSysctl>();
  readonly securityOpt = new Map<string, InferredSecurityOpt>();
  readonly extras = new Map<string, InferredExtra>();
  readonly notes: string[] = [];

  cap(raw: string, reason: string): void {
    const name = normalizeCapability(raw);
    if (!this.caps.has(name)) this.caps.set(name, { name, reason });
  }

  device(path: string, reason: string, listed: boolean): void {
    const existing = this.devices.get(path);
    if (!existing) this.devices.set(path, { path, reason, listed });
    else if (listed) existing.listed = true;
  }

  sysctl(name: string, value: string, reason: string): void {
    if (!this.sysctls.has(name)) this.sysctls.set(name, { name, value, reason });
  }

  securityOption(value: string, reason: string): void {
    if (!this.securityOpt.has(value)) this.securityOpt.set(value, { value, reason });
  }

  extra(what: RequirementKind, value: string, reason: string): void {
    const key = `${what}\u0000${value}`;
    if (!this.extras.has(key)) this.extras.set(key, { what, value, reason });
  }

  note(text: string): void {
    if (text && !this.notes.includes(text)) this.notes.push(text);
  }

  apply(req: Requirement, reason: string): void {
    switch (req.what) {
      case 'cap':
        this.cap(req.value, reason);
        break;
      case 'device':
        this.device(req.value, reason, false);
        break;
      case 'sysctl': {
        const eq = req.value.indexOf('=');
        this.sysctl(eq >= 0 ? req.value.slice(0, eq) : req.value, eq >= 0 ? req.value.slice(eq + 1) : '', reason);
        break;
      }
      case 'security_opt':
        this.securityOption(req.value, reason);
        break;
      default:
        this.extra(req.what, req.value, reason);
        this.note(`Also needs ${describe(req)} (${req.when}).`);
    }
  }
}

function describe(req: Requirement): string {
  switch (req.what) {
    case 'cap': return `capability ${req.value}`;
    case 'device': return `device ${req.value}`;
    case 'sysctl': return `sysctl ${req.value}`;
    case 'security_opt': return `security option ${req.value}`;
    case 'mount': return `mount ${req.value}`;
    case 'network_mode': return `network_mode: ${req.value}`;
    case 'pid': return `pid: ${req.value}`;
    case 'gpu': return `GPU access (gpus: ${req.value})`;
    case 'group_add': return `group_add: ${req.value}`;
  }
}

const BIN_DIRS = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

/** `/usr/sbin/iptables` → `iptables`; paths outside the usual bin directories are not commands. */
function commandName(word: string): string {
  const slash = word.lastIndexOf('/');
  if (slash < 0) return word;
  return BIN_DIRS.has(word.slice(0, slash)) ? word.slice(slash + 1) : '';
}

const NET_ADMIN_TOOLS = new Set(['iptables', 'ip6tables', 'nft', 'wg-quick', 'openvpn']);
const IP_OBJECTS = new Set(['route', 'r', 'ro', 'link', 'l', 'rule', 'ru', 'addr', 'address', 'a', 'tuntap', 'tunnel', 'neigh']);
const IP_VERBS = new Set(['add', 'del', 'delete', 'set', 'change', 'replace', 'flush', 'append', 'prepend']);
const CAPTURE_TOOLS = new Set(['tcpdump', 'tshark', 'dumpcap']);
const FUSE_TOOLS = new Set(['sshfs', 's3fs', 'gocryptfs', 'mergerfs']);
const MODULE_TOOLS = new Set(['modprobe', 'insmod', 'rmmod']);
const CLOCK_TOOLS = new Set(['ntpd', 'openntpd', 'ntpdate']);
const DEBUG_TOOLS = new Set(['strace', 'ltrace', 'gdb', 'gdbserver', 'dlv', 'lldb']);
const SERIAL_PREFIXES = ['/dev/ttyusb', '/dev/ttyacm', '/dev/ttyama', '/dev/ttys', '/dev/serial/', '/dev/bus/usb', '/dev/usb'];

function isNetAdminTool(name: string): boolean {
  if (NET_ADMIN_TOOLS.has(name)) return true;
  return name.startsWith('iptables-') || name.startsWith('ip6tables-');
}

/** `ip [-4|-6|-n ns …] route|link|… add|del|set|…` */
function isIpChange(names: string[], i: number): boolean {
  let j = i + 1;
  while (j < names.length && names[j].startsWith('-')) j++;
  if (j >= names.length || !IP_OBJECTS.has(names[j])) return false;
  return j + 1 < names.length && IP_VERBS.has(names[j + 1]);
}

/** `-x`, `-dx`, `-xd`: chronyd's "do not set the clock" flag. */
function hasChronyNoClockFlag(names: string[], from: number): boolean {
  for (let j = from; j < names.length; j++) {
    const w = names[j];
    if (w.length >= 2 && w[0] === '-' && w[1] !== '-' && w.includes('x') && /^-[a-z]+$/.test(w)) return true;
  }
  return false;
}

function hostPathOf(volume: string): string {
  const v = String(volume).trim();
  if (!v.startsWith('/')) return v;
  const colon = v.indexOf(':');
  return colon >= 0 ? v.slice(0, colon) : v;
}

function underPath(path: string, prefix: string): boolean {
  const p = trimEndChars(path, '/');
  return p === prefix || p.startsWith(`${prefix}/`);
}

const FALSE_WORDS = new Set(['0', 'f', 'false', 'no', 'n', 'off']);

function envValue(env: Record<string, string>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(env, name)) return env[name];
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

/** Kernel-namespaced sysctls that `sysctls:` can set per container (domain.md §8.1). */
export function isNamespacedSysctl(name: string, networkMode?: string): boolean {
  const n = name.trim().toLowerCase();
  if (n.startsWith('net.')) return (networkMode ?? '').toLowerCase() !== 'host';
  return n.startsWith('kernel.shm') || n.startsWith('kernel.msg') || n === 'kernel.sem' || n.startsWith('fs.mqueue.');
}

interface HintOutcome {
  strong: boolean;
  any: boolean;
  dind: boolean;
}

function applyHints(input: HintInput, acc: Accumulator): HintOutcome {
  const out: HintOutcome = { strong: false, any: false, dind: false };
  const hit = (strong: boolean): void => {
    out.any = true;
    if (strong) out.strong = true;
  };

  // Devices already listed: privileged made them redundant, without it they are needed.
  for (const entry of input.devices) {
    const path = deviceHostPath(entry);
    if (!path) continue;
    hit(true);
    acc.device(path, LISTED_DEVICE_REASON, true);
    const lower = path.toLowerCase();
    if (lower === '/dev/net/tun') {
      acc.cap('NET_ADMIN', 'a TUN device (/dev/net/tun) is listed: creating and configuring the tunnel interface needs NET_ADMIN');
    } else if (lower === '/dev/fuse') {
      acc.cap('SYS_ADMIN', 'FUSE (/dev/fuse) is listed: mounting a FUSE filesystem needs SYS_ADMIN');
      acc.note('On AppArmor hosts (Ubuntu/Debian) FUSE mounts also need security_opt apparmor:unconfined: the docker-default profile denies mount.');
    } else if (underPath(lower, '/dev/dri')) {
      acc.note(`${path} (GPU) needs no capability; if the process is not root, add group_add with the host's render and video group IDs.`);
    } else if (SERIAL_PREFIXES.some((p) => lower.startsWith(p))) {
      acc.note(`${path} (serial/USB) needs no capability, only the device; for hot-plug use device_cgroup_rules (e.g. "c 188:* rmw" for ttyUSB, "c 166:* rmw" for ttyACM) with a /dev bind.`);
    }
  }

  // Mounts.
  for (const volume of input.volumes) {
    const host = hostPathOf(volume);
    if (underPath(host, '/lib/modules')) {
      hit(true);
      acc.cap('SYS_MODULE', "the host's /lib/modules is mounted: loading kernel modules from the container needs SYS_MODULE");
      acc.note('Better: load the kernel module on the host (modprobe <module>, or /etc/modules-load.d) and drop SYS_MODULE and the /lib/modules mount.');
    } else if (host === '/var/run/docker.sock' || host === '/run/docker.sock') {
      hit(false);
      acc.note('The Docker socket is mounted: that needs no capability but is root-equivalent on the host (CIS Docker 5.31/5.32).');
    }
  }

  // Environment switches.
  const tsUserspace = envValue(input.env, 'TS_USERSPACE');
  if (tsUserspace !== undefined && FALSE_WORDS.has(tsUserspace.trim().toLowerCase())) {
    hit(true);
    acc.cap('NET_ADMIN', 'TS_USERSPACE=false: Tailscale kernel networking mode creates a TUN interface and routes');
    acc.device('/dev/net/tun', 'TS_USERSPACE=false: Tailscale kernel networking mode needs the TUN device', false);
  }

  // Command words.
  const names = commandWords(input.command).map(commandName);
  for (let i = 0; i < names.length; i++) {
    const w = names[i];
    if (!w) continue;
    if (isNetAdminTool(w)) {
      hit(true);
      acc.cap('NET_ADMIN', `runs ${w}: changing firewall rules, tunnels or routes needs NET_ADMIN`);
    } else if (w === 'ip' && isIpChange(names, i)) {
      hit(true);
      acc.cap('NET_ADMIN', 'runs `ip … add/del/set`: changing interfaces, addresses or routes needs NET_ADMIN');
    } else if (CAPTURE_TOOLS.has(w)) {
      hit(true);
      acc.cap('NET_RAW', `runs ${w}: packet capture opens raw packet sockets (NET_RAW)`);
      acc.cap('NET_ADMIN', `runs ${w}: promiscuous mode needs NET_ADMIN`);
    } else if (w === 'mount' || w === 'umount' || w.startsWith('mount.')) {
      hit(true);
      acc.cap('SYS_ADMIN', `runs ${w}: mount(2) needs SYS_ADMIN`);
      acc.note('Mounting inside a container needs SYS_ADMIN and, on AppArmor hosts, security_opt apparmor:unconfined (docker-default denies mount). Still high risk, far less than privileged.');
      if (w === 'mount' && i > 0 && names[i - 1] === 'rclone') {
        acc.device('/dev/fuse', 'runs `rclone mount`: FUSE needs the /dev/fuse device', false);
      }
    } else if (FUSE_TOOLS.has(w)) {
      hit(true);
      acc.cap('SYS_ADMIN', `runs ${w}: mounting a FUSE filesystem needs SYS_ADMIN`);
      acc.device('/dev/fuse', `runs ${w}: FUSE needs the /dev/fuse device`, false);
      acc.note('On AppArmor hosts (Ubuntu/Debian) FUSE mounts also need security_opt apparmor:unconfined: the docker-default profile denies mount.');
    } else if (MODULE_TOOLS.has(w)) {
      hit(true);
      acc.cap('SYS_MODULE', `runs ${w}: loading kernel modules needs SYS_MODULE`);
      acc.note(`Better: run ${w === 'rmmod' ? 'rmmod' : 'modprobe'} on the host (or /etc/modules-load.d) and drop SYS_MODULE: a module loaded from a container is code in the host kernel.`);
    } else if (w === 'ping' || w === 'ping6') {
      hit(true);
      if (input.runtime === 'docker' && (input.networkMode ?? '').toLowerCase() !== 'host') {
        acc.note(`${w} needs nothing under Docker: it sets net.ipv4.ping_group_range="0 2147483647" for containers with their own network namespace.`);
      } else {
        acc.cap('NET_RAW', `runs ${w}: ICMP echo needs NET_RAW unless net.ipv4.ping_group_range allows unprivileged ICMP sockets`);
        acc.note('containerd 2.0 (CRI) sets net.ipv4.ping_group_range for pods without host network, so ping may need nothing; the sysctl is also allowed by Pod Security baseline.');
      }
    } else if (w === 'chronyd') {
      hit(true);
      if (hasChronyNoClockFlag(names, i + 1)) {
        acc.note('chronyd -x does not set the system clock: it needs no capability.');
      } else {
        acc.cap('SYS_TIME', 'runs chronyd without -x: disciplining the clock needs SYS_TIME, and the clock is the host\'s (not namespaced)');
      }
    } else if (CLOCK_TOOLS.has(w)) {
      hit(true);
      acc.cap('SYS_TIME', `runs ${w}: setting the clock needs SYS_TIME, and the clock is the host's (not namespaced)`);
    } else if (DEBUG_TOOLS.has(w)) {
      hit(true);
      acc.cap('SYS_PTRACE', `runs ${w}: tracing processes needs SYS_PTRACE`);
      if (w === 'gdb' || w === 'dlv' || w === 'lldb') {
        acc.note(`${w} disables ASLR with personality(ADDR_NO_RANDOMIZE), which Docker's default seccomp profile denies: prefer a custom seccomp profile allowing personality, or turn ASLR disabling off in the debugger, over seccomp=unconfined.`);
      }
    } else if (w === 'perf') {
      hit(true);
      acc.cap('PERFMON', 'runs perf: perf_event_open needs PERFMON (kernel 5.8+; older kernels need SYS_ADMIN)');
    } else if (w === 'dockerd') {
      hit(true);
      out.dind = true;
      acc.note('Runs dockerd: Docker-in-Docker genuinely needs privileged.');
    }
  }

  // Workload class: an iptables/netfilter manager needs NET_ADMIN (change rules) and NET_RAW
  // (iptables and nft talk to the kernel over raw sockets), whatever single hint was seen first.
  const hostNet = (input.networkMode ?? '').toLowerCase() === 'host';
  const firewallTool = names.find((w) => isNetAdminTool(w) && w !== 'wg-quick' && w !== 'openvpn');
  const xtablesLock = input.volumes.some((v) => underPath(hostPathOf(v), '/run/xtables.lock') || underPath(hostPathOf(v), '/var/run/xtables.lock'));
  const modulesOnHostNet = hostNet && input.volumes.some((v) => underPath(hostPathOf(v), '/lib/modules'));
  if (firewallTool || xtablesLock || modulesOnHostNet) {
    hit(true);
    const why = firewallTool ? `runs ${firewallTool}` : xtablesLock ? 'mounts the host\'s xtables lock (/run/xtables.lock)' : 'uses the host network and mounts /lib/modules, as netfilter managers do';
    acc.cap('NET_ADMIN', `${why}: managing iptables/nftables rules needs NET_ADMIN`);
    acc.cap('NET_RAW', `${why}: iptables and nft open raw netlink/IP sockets, which need NET_RAW`);
  }

  // Ports below 1024.
  const low = [...new Set(input.ports.filter((p) => Number.isInteger(p) && p > 0 && p < 1024))].sort((a, b) => a - b);
  if (low.length > 0) {
    hit(false);
    const list = low.join(', ');
    if (input.runtime === 'docker' && !hostNet) {
      acc.note(`Port ${list} (< 1024) needs nothing under Docker: it sets net.ipv4.ip_unprivileged_port_start=0 for containers with their own network namespace.`);
    } else {
      acc.cap('NET_BIND_SERVICE', `listens on port ${list} (< 1024): binding privileged ports needs NET_BIND_SERVICE (the only capability Pod Security restricted allows adding)`);
      if (input.runtime === 'kubernetes' && !hostNet) {
        acc.note('containerd 2.0 (CRI) also sets net.ipv4.ip_unprivileged_port_start=0 for pods without host network, so NET_BIND_SERVICE may not be needed there.');
      }
    }
  }

  // Sysctls: namespaced ones keep working without privileged.
  for (const raw of input.sysctls) {
    const s = String(raw).trim();
    if (!s) continue;
    hit(false);
    const eq = s.indexOf('=');
    const name = (eq >= 0 ? s.slice(0, eq) : s).trim();
    const value = eq >= 0 ? s.slice(eq + 1).trim() : '';
    if (isNamespacedSysctl(name, input.networkMode)) {
      acc.sysctl(name, value, 'namespaced sysctl: keeps working without privileged');
    } else {
      acc.note(`sysctl ${name} is not namespaced: a container cannot set it (privileged only let it write the host's /proc/sys); set it on the host (/etc/sysctl.d).`);
    }
  }

  return out;
}

function envDefaultNotes(profile: ImageProfile, env: Record<string, string>, acc: Accumulator): void {
  const defaults = profile.envDefaults ?? {};
  for (const [name, value] of Object.entries(defaults)) {
    const used = profile.requirements.some((r) => r.conditional?.includes(`env:${name}=`));
    if (used && envValue(env, name) === undefined) {
      acc.note(`${name} is not set: assumed the image default ${name}=${value}.`);
    }
  }
}

export function inferFromHints(input: HintInput): Inference {
  const acc = new Accumulator();
  const ctx: ConditionContext = {
    env: input.env,
    volumes: input.volumes.map(hostPathOf),
    devices: input.devices,
    runtime: input.runtime,
    networkMode: input.networkMode,
    command: input.command,
  };
  const profile = input.image ? matchImage(input.image) : undefined;
  let decidedByDefault = false;

  if (profile) {
    for (const req of profile.requirements) {
      const cond = evaluateCondition(req.conditional, ctx, profile.envDefaults);
      if (cond.byDefault) decidedByDefault = true;
      if (!cond.met) continue;
      if (req.optional) {
        acc.note(`Optional: ${describe(req)}: ${req.when}.`);
        continue;
      }
      acc.apply(req, `${profile.title}: ${req.when}`);
    }
    envDefaultNotes(profile, input.env, acc);
    if (profile.note) acc.note(profile.note);
  }

  const hints = applyHints(input, acc);

  let caps = [...acc.caps.values()];
  let confidence: Confidence;
  let replaceable: Replaceable;
  let alternatives = profile?.alternatives;
  let source: Inference['source'];

  if (profile) {
    source = 'image';
    replaceable = profile.replaceable;
    if (replaceable === 'no') confidence = 'certain';
    else if (replaceable === 'partial') confidence = 'likely';
    else {
      const hardwareDependent = profile.requirements.some((r) => r.optional && (r.what === 'device' || r.what === 'gpu'));
      confidence = decidedByDefault || (hardwareDependent && input.devices.length === 0) ? 'likely' : 'certain';
    }
  } else {
    source = hints.any ? 'hints' : 'none';
    replaceable = 'yes';
    if (hints.strong) {
      confidence = 'likely';
      acc.note('Inferred from the configuration, not from a known image: check it before relying on it.');
    } else {
      confidence = 'unsure';
      for (const c of caps) acc.note(`Possibly needed: ${c.name} (${c.reason}).`);
      caps = [];
      acc.note('Unknown image and no strong hint: nothing shows what privileged was needed for. Start from least privilege (cap_drop: [ALL], no-new-privileges) and add back only what errors demand.');
    }
  }

  if (hints.dind && replaceable !== 'no') {
    replaceable = 'no';
    confidence = profile ? confidence : 'likely';
    alternatives = imageProfile('docker-in-docker')?.alternatives;
  }

  const result: Inference = {
    source,
    replaceable,
    confidence,
    caps,
    devices: [...acc.devices.values()],
    sysctls: [...acc.sysctls.values()],
    securityOpt: [...acc.securityOpt.values()],
    notes: acc.notes,
    extras: [...acc.extras.values()],
  };
  if (profile) result.image = profile;
  if (alternatives && alternatives.length > 0) result.alternatives = [...alternatives];
  return result;
}

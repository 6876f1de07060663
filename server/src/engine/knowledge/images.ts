/**
 * Known images and what they really need instead of `privileged`.
 *
 * Rows follow shared/reference/domain.md §8.2 (row numbers kept in `row`); every row names its
 * source and the source's confidence tag: [V] read in the primary source, [V-doc] vendor docs,
 * [C] community source, [K] background knowledge not re-verified.
 *
 * Patterns are globs matched against the image reference (case-insensitive, digest ignored) and
 * against the same reference without its registry host and without `library/`, with and without
 * its tag: `*` matches any run of characters (including `/`), `?` one character. A pattern that
 * starts with `*` must continue at the start of a name part (after `/`, `.`, `_`, `-`, `:`), so
 * `*emby*` matches `linuxserver/emby` but not `foo/assembly`.
 */
import { trimEndChars } from '../text';

export type Replaceable = 'yes' | 'partial' | 'no';

export type RequirementKind =
  | 'cap'
  | 'device'
  | 'sysctl'
  | 'security_opt'
  | 'mount'
  | 'network_mode'
  | 'pid'
  | 'gpu'
  | 'group_add';

export interface Requirement {
  what: RequirementKind;
  /** cap: name without CAP_; device: host path; sysctl: `name=value`; mount: `host:container[:opts]`. */
  value: string;
  /** When it is needed, in words. */
  when: string;
  /**
   * Machine-readable condition; undefined = always. Alternatives are separated by ` || `; each is
   * one of `env:NAME=value`, `env:NAME` (set and non-empty), `mount:/host/path`, `device:/dev/x`,
   * `runtime:docker|kubernetes`, `network:host`, `cmd:word [word…]`, optionally negated with `!`.
   */
  conditional?: string;
  /** Only for some setups: mentioned, never added automatically. */
  optional?: boolean;
}

export type SourceConfidence = 'V' | 'V-doc' | 'C' | 'K';

export interface ImageProfile {
  id: string;
  /** Row of domain.md §8.2 this comes from (0 = added beyond the table). */
  row: number;
  patterns: string[];
  title: string;
  requirements: Requirement[];
  replaceable: Replaceable;
  alternatives?: string[];
  note: string;
  /** Image defaults for environment switches used by `conditional` (e.g. TS_USERSPACE=true). */
  envDefaults?: Record<string, string>;
  source: string;
  confidence: SourceConfidence;
}

const TUN_NOTE = 'The TUN device node must be passed in: without privileged the container sees no host devices.';
const SOCKET_NOTE =
  'Mounting /var/run/docker.sock needs no capability but is root-equivalent on the host (CIS Docker 5.31/5.32); prefer a socket proxy with a read-only API (e.g. tecnativa/docker-socket-proxy). `:ro` does not restrict the API.';
const FUSE_ALWAYS: Requirement[] = [
  { what: 'cap', value: 'SYS_ADMIN', when: 'FUSE mount(2) needs SYS_ADMIN (still high risk, far less than privileged)' },
  { what: 'device', value: '/dev/fuse', when: 'the FUSE device; Docker\'s default device cgroup explicitly denies it' },
  { what: 'security_opt', value: 'apparmor:unconfined', when: 'on AppArmor hosts (Ubuntu/Debian): docker-default has `deny mount`' },
  { what: 'mount', value: '<host dir>:<container dir>:rshared', when: 'only to make the FUSE mount visible on the host (bind propagation rshared)', optional: true },
];

export const IMAGES: readonly ImageProfile[] = [
  {
    id: 'linuxserver-wireguard', row: 1,
    patterns: ['*linuxserver/wireguard*', 'lscr.io/linuxserver/wireguard*'],
    title: 'WireGuard (linuxserver)',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: creates the wg0 interface, its routes and iptables rules' },
      { what: 'cap', value: 'SYS_MODULE', when: 'only to install the wireguard kernel module from the container (the /lib/modules mount); better: `modprobe wireguard` on the host and drop SYS_MODULE', conditional: 'mount:/lib/modules' },
      { what: 'mount', value: '/lib/modules:/lib/modules', when: 'only when the container must install the kernel module', optional: true },
      { what: 'sysctl', value: 'net.ipv4.conf.all.src_valid_mark=1', when: 'client mode (PEERS not set)', conditional: '!env:PEERS' },
    ],
    replaceable: 'yes',
    note: 'Kernels 5.6+ have WireGuard built in; load it on the host and the container needs only NET_ADMIN (plus the sysctl in client mode).',
    source: 'linuxserver/docker-wireguard@0101801:readme-vars.yml [V]', confidence: 'V',
  },
  {
    id: 'wg-easy', row: 2,
    patterns: ['*wg-easy/wg-easy*', '*weejewel/wg-easy*'],
    title: 'wg-easy',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: creates the WireGuard interface and NAT rules' },
      { what: 'cap', value: 'SYS_MODULE', when: 'upstream compose lists it; it only helps when the container can load the module from a mounted /lib/modules; better: `modprobe wireguard` on the host', conditional: 'mount:/lib/modules' },
      { what: 'cap', value: 'NET_RAW', when: 'on Podman (upstream comment)', optional: true },
      { what: 'sysctl', value: 'net.ipv4.ip_forward=1', when: 'always: routes peer traffic' },
      { what: 'sysctl', value: 'net.ipv4.conf.all.src_valid_mark=1', when: 'always (upstream compose)' },
      { what: 'device', value: '/dev/net/tun', when: 'host-network variant (docs routed.md)', conditional: 'network:host' },
      { what: 'mount', value: '/lib/modules:/lib/modules:ro', when: 'host-network variant', optional: true },
    ],
    replaceable: 'yes',
    note: 'Upstream compose also sets IPv6 forwarding sysctls when IPv6 is enabled.',
    source: 'wg-easy/wg-easy@bc05e0e:docker-compose.yml, docs/…/routed.md [V]', confidence: 'V',
  },
  {
    id: 'tailscale', row: 3,
    patterns: ['tailscale/tailscale*', 'ghcr.io/tailscale/tailscale*'],
    title: 'Tailscale',
    envDefaults: { TS_USERSPACE: 'true' },
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'kernel networking mode (TS_USERSPACE=false): creates the tailscale0 TUN interface and its routes', conditional: 'env:TS_USERSPACE=false' },
      { what: 'device', value: '/dev/net/tun', when: 'kernel networking mode (TS_USERSPACE=false)', conditional: 'env:TS_USERSPACE=false' },
      { what: 'cap', value: 'NET_RAW', when: 'kernel mode, for ICMP (tailscale/codespace README); not needed for ping under Docker', conditional: 'env:TS_USERSPACE=false', optional: true },
      { what: 'cap', value: 'SYS_MODULE', when: 'kernel mode, in some examples, to load the tun module; better: load it on the host', conditional: 'env:TS_USERSPACE=false', optional: true },
    ],
    replaceable: 'yes',
    note: 'The default userspace networking mode (TS_USERSPACE unset or true) needs no capabilities or devices; kernel mode (TS_USERSPACE=false) needs NET_ADMIN and /dev/net/tun.',
    source: 'tailscale/tailscale@de9ec7e:cmd/containerboot/settings.go (default UserspaceMode: true) [V]; docs/k8s/userspace-sidecar.yaml [V]; tailscale/codespace README [C]', confidence: 'V',
  },
  {
    id: 'gluetun', row: 4,
    patterns: ['qmcgaw/gluetun*'],
    title: 'Gluetun VPN client',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: creates the tunnel, routes and firewall' },
      { what: 'device', value: '/dev/net/tun', when: 'always: the VPN tunnel device' },
    ],
    replaceable: 'yes', note: TUN_NOTE,
    source: 'qdm12/gluetun@b1193252:README.md [V]', confidence: 'V',
  },
  {
    id: 'kylemanna-openvpn', row: 5,
    patterns: ['kylemanna/openvpn*'],
    title: 'OpenVPN server (kylemanna)',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: creates the tun interface and NAT rules' },
    ],
    replaceable: 'yes', note: 'Publish 1194/udp; the upstream instructions run it with only --cap-add=NET_ADMIN.',
    source: 'kylemanna/docker-openvpn@1228577:README.md, docs/docker-compose.md [V]', confidence: 'V',
  },
  {
    id: 'keepalived', row: 6,
    patterns: ['osixia/keepalived*'],
    title: 'keepalived (osixia)',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: moves the virtual IP' },
      { what: 'cap', value: 'NET_BROADCAST', when: 'always (upstream README)' },
      { what: 'cap', value: 'NET_RAW', when: 'always: VRRP uses raw sockets' },
      { what: 'network_mode', value: 'host', when: 'always: the virtual IP lives on the host interface' },
    ],
    replaceable: 'yes', note: 'The host must load the ip_vs module (`modprobe ip_vs`).',
    source: 'osixia/docker-keepalived@0eb9a3f:README.md [V]', confidence: 'V',
  },
  {
    id: 'pihole', row: 7,
    patterns: ['pihole/pihole*'],
    title: 'Pi-hole',
    envDefaults: { FTLCONF_dhcp_active: 'false', DHCP_ACTIVE: 'false' },
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'only when Pi-hole is the DHCP server (or sends IPv6 router advertisements)', conditional: 'env:FTLCONF_dhcp_active=true || env:DHCP_ACTIVE=true' },
      { what: 'network_mode', value: 'host', when: 'recommended for DHCP', conditional: 'env:FTLCONF_dhcp_active=true || env:DHCP_ACTIVE=true', optional: true },
      { what: 'cap', value: 'SYS_TIME', when: 'only if Pi-hole\'s NTP client should set the clock; this changes the host clock', optional: true },
      { what: 'cap', value: 'SYS_NICE', when: 'optional: lets FTL raise its own priority', optional: true },
    ],
    replaceable: 'yes', note: 'DHCP can also be switched on in the web interface; if it is, add NET_ADMIN.',
    source: 'pi-hole/docker-pi-hole@dd91b48:README.md ("Note On Capabilities") [V]', confidence: 'V',
  },
  {
    id: 'fail2ban', row: 8,
    patterns: ['crazymax/fail2ban*'],
    title: 'fail2ban (crazymax)',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: inserts iptables ban rules' },
      { what: 'cap', value: 'NET_RAW', when: 'always (upstream compose)' },
      { what: 'network_mode', value: 'host', when: 'always: bans apply to the host firewall' },
    ],
    replaceable: 'yes', note: 'With network_mode: host, NET_ADMIN controls the host firewall: that is the purpose here.',
    source: 'crazy-max/docker-fail2ban@a3343d5:README.md, examples/compose/compose.yml [V]', confidence: 'V',
  },
  {
    id: 'suricata', row: 9,
    patterns: ['jasonish/suricata*'],
    title: 'Suricata IDS (jasonish)',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: promiscuous mode on the capture interface' },
      { what: 'cap', value: 'NET_RAW', when: 'always: packet capture' },
      { what: 'cap', value: 'SYS_NICE', when: 'always (upstream README): worker thread priorities' },
      { what: 'network_mode', value: 'host', when: 'always: capture on host interfaces' },
    ],
    replaceable: 'yes', note: '',
    source: 'github.com/jasonish/docker-suricata README [V-doc]', confidence: 'V-doc',
  },
  {
    id: 'netdata', row: 10,
    patterns: ['netdata/netdata*'],
    title: 'Netdata agent',
    requirements: [
      { what: 'cap', value: 'SYS_PTRACE', when: 'always: per-process metrics (apps.plugin)' },
      { what: 'cap', value: 'SYS_ADMIN', when: 'always (upstream docs): cgroup and network namespace metrics' },
      { what: 'security_opt', value: 'apparmor:unconfined', when: 'always (upstream docs)' },
      { what: 'pid', value: 'host', when: 'always: sees host processes' },
      { what: 'network_mode', value: 'host', when: 'always: host network metrics' },
      { what: 'mount', value: '/proc:/host/proc:ro', when: 'always' },
      { what: 'mount', value: '/sys:/host/sys:ro', when: 'always' },
      { what: 'mount', value: '/etc/os-release:/host/etc/os-release:ro', when: 'always' },
      { what: 'mount', value: '/etc/passwd:/host/etc/passwd:ro', when: 'user names in metrics', optional: true },
      { what: 'mount', value: '/etc/group:/host/etc/group:ro', when: 'group names in metrics', optional: true },
      { what: 'mount', value: '/var/run/docker.sock:/var/run/docker.sock:ro', when: 'container names (root-equivalent)', optional: true },
    ],
    replaceable: 'yes', note: 'SYS_PTRACE with pid: host is still a strong privilege; it is what the upstream docs require.',
    source: 'learn.netdata.cloud/docs/installing/docker; netdata.cloud integrations deploy/docker [V-doc]', confidence: 'V-doc',
  },
  {
    id: 'cadvisor', row: 11,
    patterns: ['gcr.io/cadvisor/cadvisor*', 'cadvisor/cadvisor*', 'google/cadvisor*'],
    title: 'cAdvisor',
    requirements: [
      { what: 'device', value: '/dev/kmsg', when: 'always: OOM event detection' },
      { what: 'mount', value: '/:/rootfs:ro', when: 'always' },
      { what: 'mount', value: '/var/run:/var/run:ro', when: 'always' },
      { what: 'mount', value: '/sys:/sys:ro', when: 'always' },
      { what: 'mount', value: '/var/lib/docker/:/var/lib/docker:ro', when: 'always' },
      { what: 'mount', value: '/dev/disk/:/dev/disk:ro', when: 'always' },
      { what: 'security_opt', value: 'seccomp=<profile allowing perf_event_open>', when: 'only for perf event metrics', optional: true },
      { what: 'pid', value: 'host', when: 'only for process metrics, which also need privileged', optional: true },
    ],
    replaceable: 'partial',
    alternatives: ['Keep privileged (with pid: host) only if you need per-process metrics; everything else works with the device and read-only mounts.'],
    note: 'The README runs it with --privileged --device=/dev/kmsg; privileged is only needed for process metrics.',
    source: 'google/cadvisor@6a0c4f25:README.md, docs/running.md [V]', confidence: 'V',
  },
  {
    id: 'node-exporter', row: 12,
    patterns: ['prom/node-exporter*', 'quay.io/prometheus/node-exporter*', 'prometheus/node-exporter*'],
    title: 'Prometheus node exporter',
    requirements: [
      { what: 'network_mode', value: 'host', when: 'always: host network statistics' },
      { what: 'pid', value: 'host', when: 'always: host process statistics' },
      { what: 'mount', value: '/:/host:ro,rslave', when: 'always, with --path.rootfs=/host' },
      { what: 'cap', value: 'SYS_TIME', when: 'timex collector, on some systems', optional: true },
    ],
    replaceable: 'yes', note: 'Never needs privileged.',
    source: 'prometheus/node_exporter@a7dcc3a0:README.md [V]', confidence: 'V',
  },
  {
    id: 'home-assistant', row: 13,
    patterns: ['*home-assistant/home-assistant*', 'homeassistant/home-assistant*'],
    title: 'Home Assistant',
    requirements: [
      { what: 'network_mode', value: 'host', when: 'device discovery (official compose)' },
      { what: 'mount', value: '/run/dbus:/run/dbus:ro', when: 'Bluetooth and other host services over D-Bus (official compose)' },
      { what: 'cap', value: 'NET_ADMIN', when: 'Bluetooth integration', optional: true },
      { what: 'cap', value: 'NET_RAW', when: 'Bluetooth integration', optional: true },
      { what: 'device', value: '/dev/ttyUSB0 or /dev/ttyACM0 or /dev/serial/by-id/…', when: 'Zigbee / Z-Wave sticks: list each one', optional: true },
    ],
    replaceable: 'partial',
    alternatives: ['List the radio sticks under devices and add NET_ADMIN + NET_RAW for Bluetooth; keep privileged only for hardware you cannot enumerate.'],
    note: 'The official compose uses privileged: true; setups with cap_drop: all and no-new-privileges are reported to work.',
    source: 'home-assistant/home-assistant.io source/_includes/installation/container/compose.md [V-doc]; gist brccabral [C]; fphammerle/docker-home-assistant [C]', confidence: 'C',
  },
  {
    id: 'frigate', row: 14,
    patterns: ['ghcr.io/blakeblackshear/frigate*', 'blakeblackshear/frigate*'],
    title: 'Frigate NVR',
    requirements: [
      { what: 'cap', value: 'SYS_PTRACE', when: 'only when running as non-root, for Intel GPU statistics', optional: true },
      { what: 'device', value: '/dev/bus/usb', when: 'USB Coral', optional: true },
      { what: 'device', value: '/dev/apex_0', when: 'PCIe Coral', optional: true },
      { what: 'device', value: '/dev/dri/renderD128', when: 'Intel/AMD hardware decoding', optional: true },
      { what: 'device', value: '/dev/kfd', when: 'AMD ROCm', optional: true },
      { what: 'device', value: '/dev/accel', when: 'NPU', optional: true },
      { what: 'device', value: '/dev/video11', when: 'Raspberry Pi 4 decoding', optional: true },
      { what: 'security_opt', value: 'apparmor=unconfined', when: 'Rockchip hardware only', optional: true },
      { what: 'security_opt', value: 'systempaths=unconfined', when: 'Rockchip hardware only', optional: true },
      { what: 'gpu', value: 'all', when: 'NVIDIA GPUs: gpus: all or deploy.resources.reservations.devices', optional: true },
    ],
    replaceable: 'yes',
    note: 'Running as root needs no capability; list only the accelerator devices you have (devices already listed are kept). The docs say privileged "may not be necessary for all setups".',
    source: 'blakeblackshear/frigate@e3fa701:docs/docs/frigate/installation.md, hardware_acceleration_video.md [V]', confidence: 'V',
  },
  {
    id: 'media-servers', row: 15,
    patterns: ['jellyfin/jellyfin*', '*linuxserver/jellyfin*', 'plexinc/pms-docker*', '*linuxserver/plex*', '*emby*'],
    title: 'Media server (Jellyfin / Plex / Emby)',
    requirements: [
      { what: 'device', value: '/dev/dri/renderD128', when: 'Intel/AMD hardware transcoding (VAAPI/QSV)', optional: true },
      { what: 'device', value: '/dev/dri/card0', when: 'Intel/AMD hardware transcoding on some systems', optional: true },
      { what: 'group_add', value: '<render gid>, <video gid>', when: 'with /dev/dri, when the app does not run as root', optional: true },
      { what: 'gpu', value: 'all', when: 'NVIDIA transcoding: gpus: all or the nvidia runtime', optional: true },
    ],
    replaceable: 'yes',
    note: 'No capability is needed; hardware transcoding needs only the GPU device (devices already listed are kept).',
    source: 'community compose files; linuxserver docker-jellyfin#305, docker-plex#211 [C]; Jellyfin HW-accel docs not fetched [K]', confidence: 'C',
  },
  {
    id: 'gpu-compute', row: 16,
    patterns: ['ollama/ollama*', '*open-webui*', 'nvidia/cuda*', 'pytorch/*', 'tensorflow/*:*gpu*', 'vllm/*'],
    title: 'GPU compute (Ollama, CUDA, PyTorch, TensorFlow, vLLM)',
    requirements: [
      { what: 'gpu', value: 'all', when: 'NVIDIA GPUs: `gpus: all` or deploy.resources.reservations.devices [{driver: nvidia, count: all, capabilities: [gpu]}]; Kubernetes: resources.limits["nvidia.com/gpu"]' },
      { what: 'device', value: '/dev/kfd', when: 'AMD ROCm images', optional: true },
      { what: 'device', value: '/dev/dri', when: 'AMD ROCm images', optional: true },
    ],
    replaceable: 'yes', note: 'GPU access never needs privileged.',
    source: 'docs.docker.com/compose/gpu-support [V-doc]; compose-spec gpus/devices definitions [V]', confidence: 'V-doc',
  },
  {
    id: 'scrutiny', row: 17,
    patterns: ['ghcr.io/analogj/scrutiny*', 'analogj/scrutiny*'],
    title: 'Scrutiny (SMART monitoring)',
    requirements: [
      { what: 'cap', value: 'SYS_RAWIO', when: 'always: smartctl sends raw ATA/SCSI commands' },
      { what: 'cap', value: 'SYS_ADMIN', when: 'NVMe drives', conditional: 'device:/dev/nvme' },
      { what: 'device', value: '/dev/sda, /dev/sdb, …', when: 'each disk to monitor: list them (devices already listed are kept)', optional: true },
      { what: 'mount', value: '/run/udev:/run/udev:ro', when: 'always: device metadata' },
    ],
    replaceable: 'yes', note: '',
    source: 'AnalogJ/scrutiny@89588a4:README.md [V]', confidence: 'V',
  },
  {
    id: 'rclone', row: 18,
    patterns: ['rclone/rclone*'],
    title: 'rclone',
    requirements: FUSE_ALWAYS.map((r) => (r.optional ? r : { ...r, when: `rclone mount: ${r.when}`, conditional: 'cmd:mount' })),
    replaceable: 'yes',
    note: 'Only `rclone mount` needs privileges; sync/copy/serve need none.',
    source: 'RealOrangeOne/docker-rclone-mount compose; coanghel/rclone-docker-automount [C]; moby/moby#9448 [C]', confidence: 'C',
  },
  {
    id: 'fuse-filesystems', row: 18,
    patterns: ['*sshfs*', '*s3fs*', '*mergerfs*', '*gocryptfs*'],
    title: 'FUSE filesystem (sshfs, s3fs, mergerfs, gocryptfs)',
    requirements: FUSE_ALWAYS,
    replaceable: 'yes', note: 'Still high risk (SYS_ADMIN), but far less than privileged.',
    source: 'moby/moby#9448 [C]; rclone mount examples [C]; /dev/fuse denied in moby default device cgroup [V]', confidence: 'C',
  },
  {
    id: 'docker-in-docker', row: 19,
    patterns: ['docker:*dind*', 'docker:dind-rootless'],
    title: 'Docker-in-Docker',
    requirements: [],
    replaceable: 'no',
    alternatives: [
      'Sysbox runtime: `runtime: sysbox-runc` runs Docker inside the container without privileged',
      'Rootless Docker-in-Docker: `docker:dind-rootless` (in practice still often run privileged or with seccomp/AppArmor unconfined)',
      'For image builds only: BuildKit rootless (moby/buildkit:rootless) or Kaniko',
      'Mounting the host /var/run/docker.sock instead: no privileged, but root-equivalent on the host (CIS Docker 5.31/5.32)',
    ],
    note: 'docker:dind genuinely needs privileged: the inner daemon creates namespaces, cgroups, mounts and iptables rules.',
    source: 'docker-library/docs PR #1462 ("--privileged is required for Docker-in-Docker") [C]; devcontainers/features@765e8eb src/docker-in-docker [V]', confidence: 'C',
  },
  {
    id: 'falco-driver-loader', row: 0,
    patterns: ['falcosecurity/falco-driver-loader*'],
    title: 'Falco driver loader',
    requirements: [],
    replaceable: 'no',
    alternatives: ['Use the modern_ebpf driver, which needs no driver loader and runs the Falco container with BPF, PERFMON, SYS_RESOURCE and SYS_PTRACE instead of privileged.'],
    note: 'The driver loader builds and loads a kernel module or probe on the host.',
    source: 'falcosecurity/falco@1307474:chart/falco/README.md [V] for modern_ebpf; driver loader behaviour [K]', confidence: 'K',
  },
  {
    id: 'falco', row: 20,
    patterns: ['falcosecurity/falco', 'falcosecurity/falco-no-driver', 'falcosecurity/falco-distroless'],
    title: 'Falco (modern_ebpf, least privileged)',
    requirements: [
      { what: 'cap', value: 'BPF', when: 'always with the modern_ebpf driver (kernel 5.8+)' },
      { what: 'cap', value: 'PERFMON', when: 'always with the modern_ebpf driver (kernel 5.8+)' },
      { what: 'cap', value: 'SYS_RESOURCE', when: 'always: raises the locked-memory limit for BPF maps' },
      { what: 'cap', value: 'SYS_PTRACE', when: 'always: reads process information of host processes' },
      { what: 'pid', value: 'host', when: 'always: sees host processes' },
      { what: 'mount', value: '/proc:/host/proc:ro', when: 'always' },
      { what: 'mount', value: '/etc:/host/etc:ro', when: 'always' },
    ],
    replaceable: 'yes', note: 'Least-privileged mode needs kernel 5.8+ and the modern_ebpf driver; the kmod driver still needs privileged.',
    source: 'falcosecurity/falco@1307474:chart/falco/README.md (driver.modernEbpf.leastPrivileged) [V]; pattern narrowed from `falcosecurity/falco*` so falcosidekick and the driver loader do not match [K]', confidence: 'V',
  },
  {
    id: 'cturra-ntp', row: 21,
    patterns: ['cturra/ntp*'],
    title: 'NTP server (cturra/ntp, chrony -x)',
    requirements: [],
    replaceable: 'yes',
    note: 'Runs chronyd -x, which does not set the system clock: needs no capability. Upstream recommends read_only: true with tmpfs for /etc/chrony, /run/chrony and /var/lib/chrony.',
    source: 'cturra/docker-ntp@9144789:README.md [V]', confidence: 'V',
  },
  {
    id: 'ntp-client', row: 22,
    patterns: ['*chrony*', '*ntpd*', '*openntpd*', '*timesyncd*'],
    title: 'NTP client that sets the clock',
    requirements: [
      { what: 'cap', value: 'SYS_TIME', when: 'when the daemon disciplines the clock (not `chronyd -x`); this changes the host clock for every container', conditional: '!cmd:-x' },
    ],
    replaceable: 'yes', note: 'The clock is not namespaced: SYS_TIME sets the host\'s time. An NTP server that only serves time (`chronyd -x`) needs nothing.',
    source: 'capabilities(7) [V]; Pi-hole SYS_TIME comment [V]', confidence: 'V',
  },
  {
    id: 'docker-socket-tools', row: 23,
    patterns: ['*portainer/portainer*', '*containrrr/watchtower*', 'traefik', 'traefik:*', '*docker-socket-proxy*', '*dozzle*'],
    title: 'Docker socket tools (Portainer, Watchtower, Traefik, Dozzle)',
    requirements: [
      { what: 'mount', value: '/var/run/docker.sock:/var/run/docker.sock', when: 'always: talks to the Docker API' },
    ],
    replaceable: 'yes', note: `Needs no privilege at all. ${SOCKET_NOTE}`,
    source: 'docker-bench-security@ff26d67 check 5.32 [V]; images [K]', confidence: 'K',
  },
  {
    id: 'zerotier', row: 24,
    patterns: ['zerotier/zerotier*'],
    title: 'ZeroTier',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: configures the ZeroTier TAP interface' },
      { what: 'device', value: '/dev/net/tun', when: 'always: the virtual network device' },
    ],
    replaceable: 'yes', note: `${TUN_NOTE} The upstream docker README needs only NET_ADMIN and /dev/net/tun (some third-party examples also add SYS_ADMIN).`,
    source: 'zerotier/ZeroTierOne@1c58978:README.docker.md [V]', confidence: 'V',
  },
  {
    id: 'netbird', row: 25,
    patterns: ['netbirdio/netbird*'],
    title: 'NetBird client',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: WireGuard interface and routes' },
      { what: 'cap', value: 'SYS_ADMIN', when: 'always (upstream docker run example)' },
      { what: 'cap', value: 'SYS_RESOURCE', when: 'always (upstream docker run example): eBPF/locked-memory limits' },
      { what: 'network_mode', value: 'host', when: 'routing peers', optional: true },
    ],
    replaceable: 'yes', note: '',
    source: 'netbird README docker run example (--cap-add NET_ADMIN, SYS_ADMIN, SYS_RESOURCE) [C]; netbird docs not fetched [K]', confidence: 'C',
  },
  {
    id: 'icmp-monitors', row: 26,
    patterns: ['*uptime-kuma*', '*smokeping*', '*gatus*'],
    title: 'Uptime / latency monitor (ICMP checks)',
    requirements: [
      { what: 'cap', value: 'NET_RAW', when: 'ICMP checks outside Docker: Docker (and containerd 2.0 CRI) set net.ipv4.ping_group_range so ping needs nothing; elsewhere NET_RAW, or that sysctl', conditional: 'runtime:kubernetes' },
    ],
    replaceable: 'yes', note: 'Under Docker, ping works without any capability (net.ipv4.ping_group_range is set for private-netns containers).',
    source: 'moby daemon/oci_linux.go default sysctls [V]; containerd docs/containerd-2.0.md [V]; images [K]', confidence: 'V',
  },
  {
    id: 'serial-devices', row: 27,
    patterns: ['koenkk/zigbee2mqtt*', '*zwave-js-ui*', 'esphome/esphome*', '*nut-upsd*', '*rtl_433*'],
    title: 'Serial / USB device bridge (Zigbee2MQTT, Z-Wave JS UI, ESPHome, NUT, rtl_433)',
    requirements: [
      { what: 'device', value: '/dev/ttyUSB0 or /dev/ttyACM0 or /dev/serial/by-id/…', when: 'the radio or serial device: list it (devices already listed are kept)', optional: true },
      { what: 'device', value: '/dev/bus/usb', when: 'raw USB devices (SDR, some UPS)', optional: true },
    ],
    replaceable: 'yes',
    note: 'No capability is needed, only the device. For hot-plug, use device_cgroup_rules (e.g. "c 188:* rmw" for ttyUSB) with a /dev bind.',
    source: 'compose-spec devices example [V]; images [K]', confidence: 'K',
  },
  {
    id: 'qemu-kvm', row: 28,
    patterns: ['*qemux/qemu*', '*dockur/windows*', 'dockurr/windows*', '*libvirt*'],
    title: 'QEMU/KVM virtual machine',
    requirements: [
      { what: 'cap', value: 'NET_ADMIN', when: 'always: tap/bridge networking for the VM' },
      { what: 'device', value: '/dev/kvm', when: 'always: hardware virtualisation' },
      { what: 'device', value: '/dev/net/tun', when: 'always: the VM network tap' },
      { what: 'device', value: '/dev/vhost-net', when: 'faster virtio networking', optional: true },
    ],
    replaceable: 'yes', note: '',
    source: 'dockur/windows@0324435:compose.yml (devices /dev/kvm, /dev/net/tun; cap_add NET_ADMIN) [V]; qemux/qemu, libvirt [K]', confidence: 'V',
  },
  {
    id: 'packet-capture', row: 29,
    patterns: ['*tcpdump*', 'nicolaka/netshoot*', '*ntopng*', '*wireshark*', '*zeek*'],
    title: 'Packet capture (tcpdump, netshoot, ntopng, Wireshark, Zeek)',
    requirements: [
      { what: 'cap', value: 'NET_RAW', when: 'always: packet sockets' },
      { what: 'cap', value: 'NET_ADMIN', when: 'always: promiscuous mode' },
      { what: 'network_mode', value: 'host', when: 'to capture host traffic (or container:<target> for one container)', optional: true },
    ],
    replaceable: 'yes', note: '',
    source: 'capabilities(7) [V]; images [K]', confidence: 'K',
  },
  {
    id: 'devcontainer-debug', row: 30,
    patterns: ['*devcontainers/go*', '*devcontainers/rust*', '*devcontainers/cpp*'],
    title: 'Dev container for Go / Rust / C++ debugging',
    requirements: [
      { what: 'cap', value: 'SYS_PTRACE', when: 'debuggers (gdb, dlv, lldb) attach with ptrace' },
      { what: 'security_opt', value: 'seccomp=unconfined', when: 'only for debuggers that disable ASLR (personality(ADDR_NO_RANDOMIZE)); the official features set it, a custom seccomp profile allowing personality is better', optional: true },
    ],
    replaceable: 'yes', note: 'The official Go and Rust features add SYS_PTRACE and seccomp=unconfined, never privileged.',
    source: 'devcontainers/features@765e8eb src/go, src/rust devcontainer-feature.json [V]; image patterns [K]', confidence: 'V',
  },
  {
    id: 'k8s-node-agents', row: 31,
    patterns: ['*calico/node*', '*cilium/cilium*', '*flannel*', '*kube-proxy*', '*csi-driver*', '*csi-plugin*', '*cephcsi*'],
    title: 'Kubernetes node agent (CNI, kube-proxy, CSI node plugin)',
    requirements: [],
    replaceable: 'no',
    alternatives: [
      'Keep privileged for the node agent and suppress the finding for this workload (inline suppression or an allowlist)',
      'Cilium can run with an explicit capability list (NET_ADMIN, SYS_MODULE, SYS_ADMIN, SYS_RESOURCE, BPF, PERFMON, NET_RAW, IPC_LOCK, CHOWN, KILL, DAC_OVERRIDE, FOWNER, SETGID, SETUID) instead of privileged',
    ],
    note: 'Node agents manage host networking, BPF and mounts (hostNetwork, hostPath /sys/fs/bpf, /run/xtables.lock, mountPropagation: Bidirectional): privileged is usually genuine.',
    source: '[K]', confidence: 'K',
  },
];

// ---------------------------------------------------------------------------------------------
// Matching

const MAX_REF = 256; // Docker limits repository names to 255 characters

/** The reference variants a pattern is matched against (lower case, digest removed). */
export function imageCandidates(imageRef: string): string[] {
  let ref = String(imageRef).trim().toLowerCase();
  if (!ref || ref.length > MAX_REF) return [];
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  let parts = ref.split('/').filter((p) => p !== '');
  if (parts.length === 0) return [];
  const out = new Set<string>();
  const add = (ps: string[]): void => {
    if (ps.length === 0) return;
    const full = ps.join('/');
    out.add(full);
    const last = ps[ps.length - 1];
    const colon = last.indexOf(':');
    if (colon >= 0) out.add([...ps.slice(0, -1), last.slice(0, colon)].join('/'));
  };
  add(parts);
  const first = parts[0];
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('$'))) {
    parts = parts.slice(1);
  }
  if (parts.length > 1 && parts[0] === 'library') parts = parts.slice(1);
  // Every suffix of at least two components (mirrors such as harbor.local/proxy/tailscale/tailscale),
  // plus the single-component form when nothing was in front of it but a registry or library/.
  // Only the last few components matter for the patterns; this also bounds the work.
  for (let i = Math.max(0, parts.length - 4); i < parts.length; i++) {
    if (parts.length - i >= 2) add(parts.slice(i));
  }
  add(parts);
  return [...out];
}

/** Classic wildcard match (`*` any run, `?` one char), linear backtracking, no regex. */
function wildcard(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

const BOUNDARY = new Set(['/', '.', '_', '-', ':']);

/** Matches one glob against one candidate; a leading `*` must resume at a name-part boundary. */
export function globMatches(pattern: string, candidate: string): boolean {
  const pat = pattern.toLowerCase();
  if (!pat.startsWith('*') || pat.length < 2 || pat[1] === '*' || pat[1] === '?') return wildcard(pat, candidate);
  const rest = pat.slice(1);
  for (let i = 0; i <= candidate.length; i++) {
    if (i > 0 && !BOUNDARY.has(candidate[i - 1])) continue;
    if (wildcard(rest, candidate.slice(i))) return true;
  }
  return false;
}

export function imageMatchesProfile(imageRef: string, profile: ImageProfile): boolean {
  const candidates = imageCandidates(imageRef);
  return profile.patterns.some((pat) => candidates.some((c) => globMatches(pat, c)));
}

/** The first known image profile matching `imageRef` (table order decides ties). */
export function matchImage(imageRef: string): ImageProfile | undefined {
  if (matchCache.has(imageRef)) return matchCache.get(imageRef);
  const candidates = imageCandidates(imageRef);
  const profile = candidates.length === 0 ? undefined : IMAGES.find((p) => p.patterns.some((pat) => candidates.some((c) => globMatches(pat, c))));
  // A file names few images and re-lints on every keystroke: remember the answer (bounded).
  if (matchCache.size >= MATCH_CACHE_SIZE) matchCache.clear();
  matchCache.set(imageRef, profile);
  return profile;
}

const MATCH_CACHE_SIZE = 1024;
const matchCache = new Map<string, ImageProfile | undefined>();

export function imageProfile(id: string): ImageProfile | undefined {
  return IMAGES.find((p) => p.id === id);
}

// ---------------------------------------------------------------------------------------------
// Conditions

export interface ConditionContext {
  env: Record<string, string>;
  /** Host paths of volumes / hostPath mounts. */
  volumes: string[];
  /** Device entries as listed (`/dev/x` or `/dev/x:/dev/y[:perm]`). */
  devices: string[];
  runtime: 'docker' | 'kubernetes';
  networkMode?: string;
  command: string;
}

export interface ConditionResult {
  met: boolean;
  /** The outcome relied on an image default for an unset environment variable. */
  byDefault: boolean;
}

const TRUE_WORDS = new Set(['1', 't', 'true', 'yes', 'y', 'on']);
const FALSE_WORDS = new Set(['0', 'f', 'false', 'no', 'n', 'off']);

function sameValue(actual: string, expected: string): boolean {
  const a = actual.trim().toLowerCase();
  const e = expected.trim().toLowerCase();
  if (e === 'true') return TRUE_WORDS.has(a);
  if (e === 'false') return FALSE_WORDS.has(a);
  return a === e;
}

/** Host path of a device entry: `/dev/net/tun:/dev/net/tun:rwm` → `/dev/net/tun`. */
export function deviceHostPath(entry: string): string {
  const s = String(entry).trim();
  const colon = s.indexOf(':');
  return colon >= 0 ? s.slice(0, colon) : s;
}

function underPath(path: string, prefix: string): boolean {
  const p = trimEndChars(path, '/');
  const q = trimEndChars(prefix, '/');
  return p === q || p.startsWith(`${q}/`);
}

/** Splits a command line into lower-case words (shell punctuation and quotes are separators). */
export function commandWords(command: string): string[] {
  return String(command)
    .toLowerCase()
    .split(/[\s;&|()`'"<>]+/)
    .filter((w) => w !== '');
}

function hasWordSequence(words: string[], seq: string[]): boolean {
  for (let i = 0; i + seq.length <= words.length; i++) {
    if (seq.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

function envLookup(env: Record<string, string>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(env, name)) return env[name];
  const lower = name.toLowerCase();
  const key = Object.keys(env).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : env[key];
}

function evalAtom(atom: string, ctx: ConditionContext, defaults: Record<string, string>): ConditionResult {
  let negate = false;
  let a = atom.trim();
  if (a.startsWith('!')) {
    negate = true;
    a = a.slice(1).trim();
  }
  const colon = a.indexOf(':');
  const kind = colon >= 0 ? a.slice(0, colon) : a;
  const arg = colon >= 0 ? a.slice(colon + 1).trim() : '';
  let met = false;
  let byDefault = false;
  switch (kind) {
    case 'env': {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      let value = envLookup(ctx.env, name);
      if (value === undefined && eq >= 0) {
        const d = envLookup(defaults, name);
        if (d !== undefined) {
          value = d;
          byDefault = true;
        }
      }
      met = eq >= 0 ? value !== undefined && sameValue(value, arg.slice(eq + 1)) : value !== undefined && value.trim() !== '';
      break;
    }
    case 'mount':
      met = ctx.volumes.some((v) => underPath(v, arg));
      break;
    case 'device':
      met = ctx.devices.some((d) => deviceHostPath(d).startsWith(arg));
      break;
    case 'runtime':
      met = ctx.runtime === arg;
      break;
    case 'network':
      met = (ctx.networkMode ?? '').toLowerCase() === arg.toLowerCase();
      break;
    case 'cmd':
      met = hasWordSequence(commandWords(ctx.command), commandWords(arg));
      break;
    default:
      met = false;
  }
  return { met: negate ? !met : met, byDefault };
}

/** Evaluates a `Requirement.conditional`; undefined means "always". */
export function evaluateCondition(
  conditional: string | undefined,
  ctx: ConditionContext,
  defaults: Record<string, string> = {},
): ConditionResult {
  if (conditional === undefined || conditional.trim() === '') return { met: true, byDefault: false };
  let byDefault = false;
  for (const alt of conditional.split('||')) {
    const r = evalAtom(alt, ctx, defaults);
    if (r.met) return r;
    byDefault = byDefault || r.byDefault;
  }
  return { met: false, byDefault };
}

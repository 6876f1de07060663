import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CAPABILITIES,
  CAPABILITY_NAMES,
  CONTAINERD_DEFAULT_CAPS,
  DOCKER_DEFAULT_CAPS,
  IMAGES,
  LISTED_DEVICE_REASON,
  PSS_BASELINE_ALLOWED_ADD,
  capabilityInfo,
  capabilityRisk,
  imageCandidates,
  inferFromHints,
  matchImage,
  normalizeCapability,
  renderKnowledgeDocs,
} from '../../server/src/engine/knowledge';
import type { HintInput, Inference } from '../../server/src/engine/knowledge';
import { knowledgeDocPath, repoRoot } from '../../scripts/gen-knowledge-docs';

function input(over: Partial<HintInput> = {}): HintInput {
  return { devices: [], volumes: [], sysctls: [], ports: [], env: {}, command: '', runtime: 'docker', ...over };
}

const capNames = (inf: Inference): string[] => inf.caps.map((c) => c.name);
const devicePaths = (inf: Inference): string[] => inf.devices.map((d) => d.path);

describe('capabilities', () => {
  it('lists all 41 capabilities with unique bits 0..40 in order', () => {
    assert.equal(CAPABILITIES.length, 41);
    assert.deepEqual(CAPABILITIES.map((c) => c.bit), Array.from({ length: 41 }, (_, i) => i));
    assert.equal(new Set(CAPABILITY_NAMES).size, 41);
    for (const c of CAPABILITIES) {
      assert.match(c.name, /^[A-Z_]+$/, c.name);
      assert.ok(!c.name.startsWith('CAP_'), c.name);
      assert.ok(c.grants.length > 10, `${c.name} grants`);
      assert.ok(c.why.length > 10, `${c.name} why`);
      assert.ok(c.source.includes('capabilities(7)'), `${c.name} source`);
      assert.ok(['low', 'medium', 'high', 'critical'].includes(c.risk), c.name);
    }
  });

  it('has exactly the 14 Docker defaults of moby daemon/pkg/oci/caps/defaults.go', () => {
    const expected = [
      'CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP',
      'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE',
    ].sort();
    assert.deepEqual(CAPABILITIES.filter((c) => c.dockerDefault).map((c) => c.name).sort(), expected);
    assert.deepEqual([...DOCKER_DEFAULT_CAPS].sort(), expected);
    assert.deepEqual([...CONTAINERD_DEFAULT_CAPS].sort(), expected);
    assert.deepEqual(CAPABILITIES.filter((c) => c.containerdDefault).map((c) => c.name).sort(), expected);
  });

  it('PSS baseline allows adding the Docker defaults minus NET_RAW', () => {
    assert.equal(PSS_BASELINE_ALLOWED_ADD.size, 13);
    assert.deepEqual([...PSS_BASELINE_ALLOWED_ADD].sort(), [...DOCKER_DEFAULT_CAPS].filter((c) => c !== 'NET_RAW').sort());
    assert.equal(capabilityInfo('NET_RAW')?.pssBaselineAllowed, false);
    assert.equal(capabilityInfo('CHOWN')?.pssBaselineAllowed, true);
  });

  it('rates risks as the domain table does', () => {
    for (const name of ['SYS_ADMIN', 'SYS_MODULE', 'DAC_READ_SEARCH', 'SYS_RAWIO', 'BPF']) {
      assert.equal(capabilityInfo(name)?.risk, 'critical', name);
    }
    assert.equal(capabilityInfo('NET_ADMIN')?.risk, 'high');
    assert.equal(capabilityInfo('SYSLOG')?.risk, 'high'); // "medium-high"
    assert.equal(capabilityInfo('NET_BIND_SERVICE')?.risk, 'low');
    assert.equal(capabilityInfo('KILL')?.risk, 'low');
    assert.match(capabilityInfo('KILL')?.escalatesWith ?? '', /pid: host/);
    assert.equal(capabilityRisk('KILL', true), 'high');
    assert.equal(capabilityRisk('NET_ADMIN', true), 'critical');
    assert.equal(capabilityRisk('SYS_PTRACE', true), 'critical');
    assert.equal(capabilityRisk('SYS_PTRACE'), 'high');
    assert.equal(capabilityRisk('NOPE'), undefined);
  });

  it('records the seccomp gates of moby/profiles includes.caps', () => {
    const gates: Record<string, string[]> = {
      DAC_READ_SEARCH: ['open_by_handle_at'],
      SYS_BOOT: ['reboot'],
      SYS_CHROOT: ['chroot'],
      SYS_MODULE: ['delete_module', 'finit_module', 'init_module'],
      SYS_PACCT: ['acct'],
      SYS_PTRACE: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'],
      SYS_RAWIO: ['ioperm', 'iopl'],
      SYS_TIME: ['clock_settime', 'clock_settime64', 'settimeofday', 'stime'],
      SYS_TTY_CONFIG: ['vhangup'],
      SYS_NICE: ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'],
      SYSLOG: ['syslog'],
      BPF: ['bpf'],
      PERFMON: ['perf_event_open'],
    };
    for (const c of CAPABILITIES) {
      if (c.name === 'SYS_ADMIN') continue;
      assert.deepEqual([...c.seccompSyscalls].sort(), (gates[c.name] ?? []).sort(), c.name);
    }
    const admin = capabilityInfo('SYS_ADMIN')?.seccompSyscalls ?? [];
    assert.equal(admin.length, 26);
    for (const s of ['mount', 'unshare', 'setns', 'bpf', 'clone3', 'fsopen', 'lsm_list_modules']) assert.ok(admin.includes(s), s);
  });

  it('normalizes spellings', () => {
    assert.equal(normalizeCapability('cap_net_admin'), 'NET_ADMIN');
    assert.equal(normalizeCapability('  CAP_SYS_ADMIN '), 'SYS_ADMIN');
    assert.equal(normalizeCapability('net_bind_service'), 'NET_BIND_SERVICE');
    assert.equal(normalizeCapability('all'), 'ALL');
    assert.equal(capabilityInfo('cap_sys_admin')?.bit, 21);
    assert.equal(capabilityInfo('Net_Admin')?.name, 'NET_ADMIN');
    assert.equal(capabilityInfo('CAP_CHECKPOINT_RESTORE')?.bit, 40);
    assert.equal(capabilityInfo('NOT_A_CAP'), undefined);
  });
});

const EXAMPLES: Record<string, string> = {
  'linuxserver-wireguard': 'lscr.io/linuxserver/wireguard:latest',
  'wg-easy': 'ghcr.io/wg-easy/wg-easy:15',
  tailscale: 'tailscale/tailscale:v1.70',
  gluetun: 'qmcgaw/gluetun:v3',
  'kylemanna-openvpn': 'kylemanna/openvpn',
  keepalived: 'osixia/keepalived:2.0.20',
  pihole: 'pihole/pihole:latest',
  fail2ban: 'crazymax/fail2ban:latest',
  suricata: 'jasonish/suricata:7.0',
  netdata: 'netdata/netdata:stable',
  cadvisor: 'gcr.io/cadvisor/cadvisor:v0.49.1',
  'node-exporter': 'quay.io/prometheus/node-exporter:v1.8.2',
  'home-assistant': 'ghcr.io/home-assistant/home-assistant:stable',
  frigate: 'ghcr.io/blakeblackshear/frigate:stable',
  'media-servers': 'jellyfin/jellyfin:10.9',
  'gpu-compute': 'ollama/ollama:latest',
  scrutiny: 'ghcr.io/analogj/scrutiny:master-omnibus',
  rclone: 'rclone/rclone:1.68',
  'fuse-filesystems': 'efrecon/s3fs:1.94',
  'docker-in-docker': 'docker:dind',
  'falco-driver-loader': 'falcosecurity/falco-driver-loader:0.38.0',
  falco: 'falcosecurity/falco:0.38.0',
  'cturra-ntp': 'cturra/ntp:latest',
  'ntp-client': 'dockurr/chrony',
  'docker-socket-tools': 'portainer/portainer-ce:2.21.0',
  zerotier: 'zerotier/zerotier:latest',
  netbird: 'netbirdio/netbird:latest',
  'icmp-monitors': 'louislam/uptime-kuma:1',
  'serial-devices': 'koenkk/zigbee2mqtt:1.40.0',
  'qemu-kvm': 'dockurr/windows',
  'packet-capture': 'nicolaka/netshoot:v0.13',
  'devcontainer-debug': 'mcr.microsoft.com/devcontainers/go:1-1.22-bookworm',
  'k8s-node-agents': 'quay.io/cilium/cilium:v1.16.1',
};

describe('images', () => {
  it('covers at least the 31 rows of the domain table, each with a source', () => {
    const rows = new Set(IMAGES.map((p) => p.row).filter((r) => r > 0));
    for (let r = 1; r <= 31; r++) assert.ok(rows.has(r), `row ${r}`);
    assert.equal(new Set(IMAGES.map((p) => p.id)).size, IMAGES.length);
    for (const p of IMAGES) {
      assert.ok(p.source.length > 2, p.id);
      assert.ok(p.patterns.length > 0, p.id);
      assert.ok(p.source.includes(`[${p.confidence}]`), `${p.id} cites its confidence tag`);
    }
  });

  for (const profile of IMAGES) {
    it(`matches a realistic reference for ${profile.id}`, () => {
      const ref = EXAMPLES[profile.id];
      assert.ok(ref, `add an example reference for ${profile.id}`);
      assert.equal(matchImage(ref)?.id, profile.id, ref);
    });
  }

  it('ignores registry, library/, tag and digest', () => {
    assert.equal(matchImage('docker.io/library/docker:27-dind')?.id, 'docker-in-docker');
    assert.equal(matchImage('docker:dind-rootless')?.id, 'docker-in-docker');
    assert.equal(matchImage('docker:27.3-dind-alpine3.20')?.id, 'docker-in-docker');
    assert.equal(matchImage('ghcr.io/tailscale/tailscale:stable')?.id, 'tailscale');
    assert.equal(matchImage('docker.io/tailscale/tailscale@sha256:0123456789abcdef')?.id, 'tailscale');
    assert.equal(matchImage('registry.example.com:5000/proxy/tailscale/tailscale:latest')?.id, 'tailscale');
    assert.equal(matchImage('LSCR.IO/LinuxServer/WireGuard:Latest')?.id, 'linuxserver-wireguard');
    assert.equal(matchImage('lscr.io/linuxserver/emby:latest')?.id, 'media-servers');
    assert.equal(matchImage('tensorflow/tensorflow:2.15.0-gpu')?.id, 'gpu-compute');
    assert.equal(matchImage('traefik:v3.1')?.id, 'docker-socket-tools');
    assert.ok(imageCandidates('docker.io/library/docker:27-dind').includes('docker:27-dind'));
  });

  it('does not match unrelated images', () => {
    for (const ref of ['nginx:1.27', 'docker:27-cli', 'traefik/whoami', 'falcosecurity/falcosidekick:2.29', 'foo/assembly:1', 'postgres:16', '', 'tensorflow/tensorflow:2.15.0']) {
      assert.equal(matchImage(ref)?.id, undefined, ref);
    }
  });

  it('DinD cannot be replaced and names the alternatives', () => {
    const dind = matchImage('docker:27-dind');
    assert.equal(dind?.replaceable, 'no');
    const alts = (dind?.alternatives ?? []).join('\n');
    assert.match(alts, /sysbox-runc/);
    assert.match(alts, /dind-rootless/);
    assert.match(alts, /Kaniko/);
    assert.match(alts, /BuildKit/);
    const inf = inferFromHints(input({ image: 'docker:dind' }));
    assert.equal(inf.source, 'image');
    assert.equal(inf.replaceable, 'no');
    assert.equal(inf.confidence, 'certain');
    assert.ok((inf.alternatives ?? []).some((a) => a.includes('sysbox-runc')));
  });
});

describe('inference from an image', () => {
  it('tailscale default userspace mode needs nothing', () => {
    const inf = inferFromHints(input({ image: 'tailscale/tailscale:v1.70', env: { TS_AUTHKEY: 'tskey-x' } }));
    assert.equal(inf.source, 'image');
    assert.equal(inf.image?.id, 'tailscale');
    assert.equal(inf.replaceable, 'yes');
    assert.deepEqual(inf.caps, []);
    assert.deepEqual(inf.devices, []);
    assert.equal(inf.confidence, 'likely'); // decided by the image default
    assert.ok(inf.notes.some((n) => n.includes('TS_USERSPACE is not set')));
  });

  it('tailscale kernel mode needs NET_ADMIN and /dev/net/tun', () => {
    for (const value of ['false', '0', 'FALSE']) {
      const inf = inferFromHints(input({ image: 'tailscale/tailscale:v1.70', env: { TS_USERSPACE: value } }));
      assert.deepEqual(capNames(inf), ['NET_ADMIN'], value);
      assert.deepEqual(devicePaths(inf), ['/dev/net/tun']);
      assert.equal(inf.devices[0].listed, false);
      assert.equal(inf.confidence, 'certain');
      assert.match(inf.caps[0].reason, /TS_USERSPACE=false/);
    }
    const explicit = inferFromHints(input({ image: 'tailscale/tailscale', env: { TS_USERSPACE: 'true' } }));
    assert.deepEqual(explicit.caps, []);
    assert.equal(explicit.confidence, 'certain');
  });

  it('linuxserver wireguard: NET_ADMIN, SYS_MODULE only with /lib/modules, sysctl in client mode', () => {
    const client = inferFromHints(input({ image: 'lscr.io/linuxserver/wireguard:latest' }));
    assert.deepEqual(capNames(client), ['NET_ADMIN']);
    assert.deepEqual(client.sysctls.map((s) => `${s.name}=${s.value}`), ['net.ipv4.conf.all.src_valid_mark=1']);
    const server = inferFromHints(input({ image: 'lscr.io/linuxserver/wireguard', env: { PEERS: '3' }, volumes: ['/lib/modules'] }));
    assert.deepEqual(capNames(server), ['NET_ADMIN', 'SYS_MODULE']);
    assert.deepEqual(server.sysctls, []);
    assert.equal(server.confidence, 'certain');
  });

  it('pihole needs NET_ADMIN only as DHCP server', () => {
    const dns = inferFromHints(input({ image: 'pihole/pihole:2024.07.0', ports: [53, 80] }));
    assert.deepEqual(dns.caps, []);
    assert.equal(dns.confidence, 'likely');
    const dhcp = inferFromHints(input({ image: 'pihole/pihole', env: { FTLCONF_dhcp_active: 'true' } }));
    assert.deepEqual(capNames(dhcp), ['NET_ADMIN']);
    assert.equal(dhcp.confidence, 'certain');
    assert.ok(dhcp.notes.some((n) => n.startsWith('Optional: capability SYS_TIME')));
  });

  it('gluetun keeps a listed TUN device as listed', () => {
    const inf = inferFromHints(input({ image: 'qmcgaw/gluetun', devices: ['/dev/net/tun:/dev/net/tun'] }));
    assert.deepEqual(capNames(inf), ['NET_ADMIN']);
    assert.deepEqual(inf.devices, [{ path: '/dev/net/tun', reason: 'Gluetun VPN client: always: the VPN tunnel device', listed: true }]);
  });

  it('rclone needs FUSE only for rclone mount', () => {
    const mount = inferFromHints(input({ image: 'rclone/rclone:1.68', command: 'mount remote: /data --allow-other' }));
    assert.deepEqual(capNames(mount), ['SYS_ADMIN']);
    assert.deepEqual(devicePaths(mount), ['/dev/fuse']);
    assert.deepEqual(mount.securityOpt.map((s) => s.value), ['apparmor:unconfined']);
    const sync = inferFromHints(input({ image: 'rclone/rclone:1.68', command: 'sync remote: /data' }));
    assert.deepEqual(sync.caps, []);
  });

  it('NTP: cturra/ntp needs nothing, a clock-setting chronyd needs SYS_TIME, chronyd -x does not', () => {
    assert.deepEqual(inferFromHints(input({ image: 'cturra/ntp' })).caps, []);
    assert.deepEqual(capNames(inferFromHints(input({ image: 'dockurr/chrony' }))), ['SYS_TIME']);
    assert.deepEqual(inferFromHints(input({ image: 'dockurr/chrony', command: 'chronyd -d -x' })).caps, []);
  });

  it('partial rows are only likely; node agents are not replaceable', () => {
    const ha = inferFromHints(input({ image: 'ghcr.io/home-assistant/home-assistant:stable' }));
    assert.equal(ha.replaceable, 'partial');
    assert.equal(ha.confidence, 'likely');
    assert.ok(ha.extras.some((e) => e.what === 'network_mode' && e.value === 'host'));
    const cilium = inferFromHints(input({ image: 'quay.io/cilium/cilium:v1.16.1', runtime: 'kubernetes' }));
    assert.equal(cilium.replaceable, 'no');
    assert.ok((cilium.alternatives ?? []).length > 0);
  });

  it('hardware-dependent images are likely until devices are listed', () => {
    assert.equal(inferFromHints(input({ image: 'ghcr.io/blakeblackshear/frigate:stable' })).confidence, 'likely');
    const listed = inferFromHints(input({ image: 'ghcr.io/blakeblackshear/frigate:stable', devices: ['/dev/bus/usb:/dev/bus/usb'] }));
    assert.equal(listed.confidence, 'certain');
    assert.deepEqual(listed.devices, [{ path: '/dev/bus/usb', reason: LISTED_DEVICE_REASON, listed: true }]);
  });
});

describe('inference from hints', () => {
  it('nothing known: source none, unsure, no caps', () => {
    const inf = inferFromHints(input({ image: 'example.com/team/app:1.0' }));
    assert.equal(inf.source, 'none');
    assert.equal(inf.confidence, 'unsure');
    assert.equal(inf.replaceable, 'yes');
    assert.deepEqual(inf.caps, []);
    assert.ok(inf.notes.some((n) => n.includes('least privilege')));
  });

  it('keeps listed devices', () => {
    const inf = inferFromHints(input({ devices: ['/dev/ttyUSB0:/dev/ttyUSB0', '/dev/kvm'] }));
    assert.equal(inf.source, 'hints');
    assert.equal(inf.confidence, 'likely');
    assert.deepEqual(inf.devices, [
      { path: '/dev/ttyUSB0', reason: LISTED_DEVICE_REASON, listed: true },
      { path: '/dev/kvm', reason: LISTED_DEVICE_REASON, listed: true },
    ]);
    assert.deepEqual(inf.caps, []);
    assert.ok(inf.notes.some((n) => n.includes('device_cgroup_rules')));
  });

  it('/dev/net/tun → NET_ADMIN', () => {
    const inf = inferFromHints(input({ devices: ['/dev/net/tun'] }));
    assert.deepEqual(capNames(inf), ['NET_ADMIN']);
    assert.deepEqual(devicePaths(inf), ['/dev/net/tun']);
  });

  it('/dev/fuse → SYS_ADMIN with an AppArmor note', () => {
    const inf = inferFromHints(input({ devices: ['/dev/fuse:/dev/fuse:rwm'] }));
    assert.deepEqual(capNames(inf), ['SYS_ADMIN']);
    assert.ok(inf.notes.some((n) => n.includes('apparmor:unconfined')));
  });

  it('/dev/dri → device only', () => {
    const inf = inferFromHints(input({ devices: ['/dev/dri/renderD128'] }));
    assert.deepEqual(inf.caps, []);
    assert.deepEqual(devicePaths(inf), ['/dev/dri/renderD128']);
    assert.ok(inf.notes.some((n) => n.includes('group_add')));
  });

  it('/lib/modules mount → SYS_MODULE, better modprobe on the host', () => {
    const inf = inferFromHints(input({ volumes: ['/lib/modules'] }));
    assert.deepEqual(capNames(inf), ['SYS_MODULE']);
    assert.ok(inf.notes.some((n) => n.includes('modprobe')));
    assert.equal(inf.confidence, 'likely');
    assert.deepEqual(capNames(inferFromHints(input({ volumes: ['/lib/modules:/lib/modules:ro'] }))), ['SYS_MODULE']);
  });

  it('namespaced sysctls are kept, others explained; sysctls alone are unsure', () => {
    const inf = inferFromHints(input({ sysctls: ['net.ipv4.ip_forward=1', 'kernel.shmmax', 'kernel.panic=10'] }));
    assert.deepEqual(inf.sysctls.map((s) => [s.name, s.value]), [['net.ipv4.ip_forward', '1'], ['kernel.shmmax', '']]);
    assert.ok(inf.notes.some((n) => n.includes('kernel.panic is not namespaced')));
    assert.equal(inf.source, 'hints');
    assert.equal(inf.confidence, 'unsure');
    assert.deepEqual(inf.caps, []);
  });

  it('ports below 1024: nothing under Docker, NET_BIND_SERVICE under Kubernetes', () => {
    const docker = inferFromHints(input({ ports: [80, 8080], devices: ['/dev/net/tun'] }));
    assert.deepEqual(capNames(docker), ['NET_ADMIN']);
    assert.ok(docker.notes.some((n) => n.includes('ip_unprivileged_port_start=0')));
    const k8s = inferFromHints(input({ runtime: 'kubernetes', ports: [443], command: 'iptables -L' }));
    assert.deepEqual(capNames(k8s), ['NET_ADMIN', 'NET_RAW', 'NET_BIND_SERVICE']);
    assert.ok(k8s.notes.some((n) => n.includes('containerd 2.0')));
    // Ports alone are a weak hint: unsure, and the cap is only suggested.
    const weak = inferFromHints(input({ runtime: 'kubernetes', ports: [443] }));
    assert.equal(weak.confidence, 'unsure');
    assert.deepEqual(weak.caps, []);
    assert.ok(weak.notes.some((n) => n.startsWith('Possibly needed: NET_BIND_SERVICE')));
  });

  it('TS_USERSPACE=false on an unknown image → NET_ADMIN and /dev/net/tun', () => {
    const inf = inferFromHints(input({ image: 'myorg/vpn-sidecar:1', env: { TS_USERSPACE: 'false' } }));
    assert.deepEqual(capNames(inf), ['NET_ADMIN']);
    assert.deepEqual(devicePaths(inf), ['/dev/net/tun']);
    assert.equal(inf.confidence, 'likely');
  });

  // iptables/nft managers need NET_RAW as well as NET_ADMIN (#10): the whole class, not the first hint.
  const commandCases: Array<[string, string[], HintInput['runtime']?]> = [
    ['iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE', ['NET_ADMIN', 'NET_RAW']],
    ['IPTABLES -L', ['NET_ADMIN', 'NET_RAW']],
    ['/usr/sbin/iptables-restore < /etc/rules', ['NET_ADMIN', 'NET_RAW']],
    ['nft -f /etc/nftables.conf', ['NET_ADMIN', 'NET_RAW']],
    ['sh -c "ip route add default via 10.0.0.1 && exec app"', ['NET_ADMIN']],
    ['ip link set dev eth0 up', ['NET_ADMIN']],
    ['ip -6 route add ::/0 dev wg0', ['NET_ADMIN']],
    ['ip route show', []],
    ['wg-quick up wg0', ['NET_ADMIN']],
    ['openvpn --config /etc/openvpn/client.conf', ['NET_ADMIN']],
    ['tcpdump -i eth0 -w /pcap/out.pcap', ['NET_RAW', 'NET_ADMIN']],
    ['mount -t nfs server:/export /mnt', ['SYS_ADMIN']],
    ['modprobe wireguard', ['SYS_MODULE']],
    ['insmod /modules/foo.ko', ['SYS_MODULE']],
    ['ping -c 1 8.8.8.8', []],
    ['ping -c 1 8.8.8.8', ['NET_RAW'], 'kubernetes'],
    ['chronyd -d', ['SYS_TIME']],
    ['chronyd -d -x', []],
    ['ntpd -n -p pool.ntp.org', ['SYS_TIME']],
    ['strace -f /app/server', ['SYS_PTRACE']],
    ['gdb --args ./app', ['SYS_PTRACE']],
    ['dlv debug --headless', ['SYS_PTRACE']],
    ['perf record -g -- ./bench', ['PERFMON']],
    ['./mountain.sh --pingpong', []],
    ['echo stripes mounted', []],
  ];
  for (const [command, caps, runtime] of commandCases) {
    it(`command "${command}"${runtime ? ` (${runtime})` : ''} → ${caps.join(', ') || 'nothing'}`, () => {
      const inf = inferFromHints(input({ command, runtime: runtime ?? 'docker' }));
      assert.deepEqual(capNames(inf), caps);
      if (caps.length > 0) {
        assert.equal(inf.source, 'hints');
        assert.equal(inf.confidence, 'likely');
      }
    });
  }

  it('ping under Docker says why nothing is needed', () => {
    const inf = inferFromHints(input({ command: 'ping -c 1 db' }));
    assert.ok(inf.notes.some((n) => n.includes('ping_group_range')));
  });

  it('dockerd in the command means privileged cannot be replaced', () => {
    const inf = inferFromHints(input({ image: 'myorg/ci-runner:3', command: 'dockerd --host=unix:///var/run/docker.sock' }));
    assert.equal(inf.replaceable, 'no');
    assert.ok((inf.alternatives ?? []).some((a) => a.includes('sysbox-runc')));
  });

  it('dedupes capabilities, keeping the first reason, in a stable order', () => {
    const inf = inferFromHints(input({
      devices: ['/dev/net/tun'],
      volumes: ['/lib/modules'],
      command: 'modprobe wireguard && wg-quick up wg0 && iptables -A FORWARD -j ACCEPT',
    }));
    assert.deepEqual(capNames(inf), ['NET_ADMIN', 'SYS_MODULE', 'NET_RAW']);
    assert.match(inf.caps[0].reason, /TUN device/);
    assert.match(inf.caps[1].reason, /lib\/modules/);
    assert.deepEqual(inferFromHints(input({
      devices: ['/dev/net/tun'],
      volumes: ['/lib/modules'],
      command: 'modprobe wireguard && wg-quick up wg0 && iptables -A FORWARD -j ACCEPT',
    })), inf);
  });

  it('image requirements come first, hints add to them', () => {
    const inf = inferFromHints(input({ image: 'zerotier/zerotier:1.14', command: 'tcpdump -i zt0' }));
    assert.deepEqual(capNames(inf), ['NET_ADMIN', 'NET_RAW']);
    assert.match(inf.caps[0].reason, /^ZeroTier:/);
  });
});

describe('generated docs', () => {
  it('server/docs/knowledge.md is up to date (node out/scripts/gen-knowledge-docs.js)', () => {
    const file = knowledgeDocPath(repoRoot(__dirname));
    assert.equal(path.relative(repoRoot(__dirname), file), path.join('server', 'docs', 'knowledge.md'));
    assert.ok(fs.existsSync(file), 'run node out/scripts/gen-knowledge-docs.js');
    assert.equal(fs.readFileSync(file, 'utf8'), renderKnowledgeDocs());
  });

  it('lists every capability and image', () => {
    const doc = renderKnowledgeDocs();
    for (const c of CAPABILITIES) assert.ok(doc.includes(`\`CAP_${c.name}\``), c.name);
    for (const p of IMAGES) assert.ok(doc.includes(p.title), p.id);
    assert.match(doc, /generated/i);
  });
});

/**
 * The targeted replacement of `privileged` (issue 4): the real no-privileged fix, through
 * Compose, Kubernetes and devcontainer.json, for every knowledge-base image row and every
 * workload hint. Each case asserts the diagnostic's sentence, every fix title in order (the
 * first is the preferred one), the exact text after the preferred fix, and, after linting
 * the fixed text with every rule, exactly the findings that are new: a capability the
 * replacement adds on purpose may be reported by no-risky-capabilities, at the risk the
 * knowledge base gives it. checkFix (test/rule-tester.ts) also proves every fix re-parses,
 * makes its finding disappear, keeps every comment and the line endings, and touches
 * nothing outside its edits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, lint } from '../../server/src/engine';
import type { Finding } from '../../server/src/engine';
import { parseYaml } from '../../server/src/engine/adapters/yaml';
import { parseDevcontainer } from '../../server/src/engine/adapters/devcontainer';
import { IMAGES, capabilityInfo } from '../../server/src/engine/knowledge';
import { nodeAgent } from '../../server/src/engine/knowledge/node-agents';
import type { Container } from '../../server/src/engine/model';
import { combineEdits, explainPrivileged, imageName, privilegedReplacementMarkdown, securityOptKey } from '../../server/src/engine/replace';
import { formatMessage } from '../../server/src/engine/rule';
import noPrivileged from '../../server/src/engine/rules/no-privileged';
import noRiskyCapabilities from '../../server/src/engine/rules/no-risky-capabilities';
import noUnconfinedApparmor from '../../server/src/engine/rules/no-unconfined-apparmor';
import preferUserNamespaces from '../../server/src/engine/rules/prefer-user-namespaces';
import { checkFix } from '../rule-tester';

const TRIVIAL = 'escaping to the host is trivial.';
const LEAST = 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)';
const REMOVE = 'Remove privileged: true';

/** The no-risky-capabilities finding for a capability, at the risk the knowledge base gives it. */
function risky(label: string, cap: string): string {
  const info = capabilityInfo(cap);
  assert.ok(info, cap);
  const why = info.why.replace(/[.\s]+$/, '');
  return `no-risky-capabilities: ${formatMessage(noRiskyCapabilities.meta.messages.risky, { label, cap: info.name, risk: info.risk, why: /^[A-Z][a-z]/.test(why) ? why.charAt(0).toLowerCase() + why.slice(1) : why })}`;
}

/** The no-unconfined-apparmor finding on the apparmor:unconfined a FUSE replacement needs. */
function unconfinedAppArmor(label: string, setting: string): string {
  return `no-unconfined-apparmor: ${formatMessage(noUnconfinedApparmor.meta.messages.unconfined, { label, setting, pss: '' })}`;
}

/** The prefer-user-namespaces suggestion a pod gets once no privileged container rules user namespaces out. */
function userns(workload: string): string {
  return `prefer-user-namespaces: ${formatMessage(preferUserNamespaces.meta.messages.unset, { label: workload, setting: 'hostUsers not set' })}`;
}

const key = (f: Finding): string => `${f.ruleId}: ${f.message}`;

/** Every rule on, as a user runs it. */
function findings(path: string, code: string): Finding[] {
  return lint(code, { path }).findings;
}

interface ReplaceCase {
  name: string;
  path: string;
  code: string;
  /** Which no-privileged finding of the file, in order (default the first). */
  index?: number;
  /** What the message says after its fixed text ('' for the plain message). */
  sentence: string;
  /** Every fix title, the preferred one first. */
  titles: string[];
  /** The text after the preferred fix. */
  output: string;
  /** Findings the preferred fix brings that were not there before (`ruleId: message`). */
  added?: string[];
  /** The text after the least-privilege fix, when the case checks it. */
  least?: string;
  /**
   * The first fix is a safe fix, applied by --fix (fix-policy.ts): only a replacement from a
   * confident image-table row. Otherwise (hints, unknown, not replaceable) every fix is a
   * suggestion and --fix leaves privileged alone.
   */
  safe?: boolean;
}

function check(c: ReplaceCase): void {
  const before = findings(c.path, c.code);
  assert.deepEqual(before.filter((f) => f.ruleId === 'parse-error'), [], 'the case must parse');
  const finding = before.filter((f) => f.ruleId === 'no-privileged')[c.index ?? 0];
  assert.ok(finding, 'expected a no-privileged finding');
  assert.match(finding.message, / runs privileged$/);
  const [fixed, tail = ''] = (finding.detail ?? '').split(TRIVIAL);
  assert.equal(fixed, 'Privileged gives every capability, no seccomp or AppArmor, every host device and a writable /sys: ', finding.detail);
  assert.equal(tail.trim(), c.sentence);
  assert.deepEqual(finding.fixes.map((f) => f.title), c.titles);
  if (c.titles.length === 0) return; // a node agent that needs privileged: no fix takes it away
  assert.deepEqual(finding.fixes.map((f) => f.preferred === true), c.titles.map((_, i) => i === 0 && c.safe === true), c.safe ? 'only the first fix is preferred' : 'no fix is preferred');
  assert.deepEqual(finding.fixes.map((f) => f.kind), c.titles.map((_, i) => (i === 0 && c.safe ? 'safe' : 'suggestion')));
  checkFix(noPrivileged, c, finding, { title: c.titles[0], output: c.output, kind: c.safe ? 'safe' : 'suggestion' }, 0);
  // Every other fix keeps the same guarantees.
  finding.fixes.forEach((fix, i) => {
    if (i > 0) checkFix(noPrivileged, c, finding, { title: fix.title, output: c.least !== undefined && fix.title.startsWith('Replace privileged with least privilege') ? c.least : applyEdits(c.code, fix.edits), kind: 'suggestion' }, i);
  });
  // Only the expected new findings, with every rule on.
  const after = findings(c.path, c.output);
  assert.deepEqual(after.filter((f) => f.ruleId === 'parse-error'), []);
  const left = before.map(key);
  const added: string[] = [];
  for (const k of after.map(key)) {
    const i = left.indexOf(k);
    if (i >= 0) left.splice(i, 1);
    else added.push(k);
  }
  assert.deepEqual(added.sort(), [...(c.added ?? [])].sort());
  assert.ok(left.includes(key(finding)), 'the no-privileged finding is among those gone');
}

// ---- Every knowledge-base image row, through Compose --------------------------------

interface RowCase {
  id: string;
  ref: string;
  /** Settings written before `privileged: true` (an environment switch, a device, a command). */
  extra?: string;
  /** What the case shows when a row has more than one. */
  variant?: string;
  sentence: string;
  /** The preferred title; null when privileged cannot be replaced (plain removal comes first). */
  title: string | null;
  /** What replaces the `    privileged: true` line. */
  block: string;
  /** Capabilities no-risky-capabilities then reports. */
  risky: string[];
}

const ROWS: RowCase[] = [
  { id: 'linuxserver-wireguard', ref: 'lscr.io/linuxserver/wireguard:latest',
    sentence: 'From the lscr.io/linuxserver/wireguard image, it needs cap_add: [NET_ADMIN] and sysctls: [net.ipv4.conf.all.src_valid_mark=1] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] and sysctls: [net.ipv4.conf.all.src_valid_mark=1] (lscr.io/linuxserver/wireguard image)',
    block: '    cap_add:\n      - NET_ADMIN\n    sysctls:\n      net.ipv4.conf.all.src_valid_mark: 1\n',
    risky: ['NET_ADMIN'] },
  { id: 'linuxserver-wireguard', ref: 'lscr.io/linuxserver/wireguard:latest', extra: '    environment:\n      - PEERS=3\n    volumes:\n      - /lib/modules:/lib/modules:ro\n', variant: 'server that installs the module',
    sentence: 'From the lscr.io/linuxserver/wireguard image, it needs cap_add: [NET_ADMIN, SYS_MODULE] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN, SYS_MODULE] (lscr.io/linuxserver/wireguard image)',
    block: '    cap_add:\n      - NET_ADMIN\n      - SYS_MODULE\n',
    risky: ['NET_ADMIN', 'SYS_MODULE'] },
  { id: 'wg-easy', ref: 'ghcr.io/wg-easy/wg-easy:15',
    sentence: 'From the ghcr.io/wg-easy/wg-easy image, it needs cap_add: [NET_ADMIN] and sysctls: [net.ipv4.ip_forward=1, net.ipv4.conf.all.src_valid_mark=1] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] and sysctls: [net.ipv4.ip_forward=1, net.ipv4.conf.all.src_valid_mark=1] (ghcr.io/wg-easy/wg-easy image)',
    block: '    cap_add:\n      - NET_ADMIN\n    sysctls:\n      net.ipv4.ip_forward: 1\n      net.ipv4.conf.all.src_valid_mark: 1\n',
    risky: ['NET_ADMIN'] },
  { id: 'tailscale', ref: 'tailscale/tailscale:v1.70',
    sentence: 'Likely, the tailscale/tailscale image needs no extra privilege in userspace mode.',
    title: 'Remove privileged (likely, tailscale/tailscale needs no extra privilege in userspace mode)',
    block: '',
    risky: [] },
  { id: 'tailscale', ref: 'tailscale/tailscale:v1.70', extra: '    environment:\n      TS_USERSPACE: "false"\n', variant: 'kernel networking mode',
    sentence: 'From the tailscale/tailscale image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (tailscale/tailscale image)',
    block: '    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    risky: ['NET_ADMIN'] },
  { id: 'gluetun', ref: 'qmcgaw/gluetun:v3',
    sentence: 'From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (qmcgaw/gluetun image)',
    block: '    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    risky: ['NET_ADMIN'] },
  { id: 'kylemanna-openvpn', ref: 'kylemanna/openvpn',
    sentence: 'From the kylemanna/openvpn image, it needs cap_add: [NET_ADMIN] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] (kylemanna/openvpn image)',
    block: '    cap_add:\n      - NET_ADMIN\n',
    risky: ['NET_ADMIN'] },
  { id: 'keepalived', ref: 'osixia/keepalived:2.0.20', extra: '    network_mode: host\n',
    sentence: 'From the osixia/keepalived image, it needs cap_add: [NET_ADMIN, NET_BROADCAST, NET_RAW] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN, NET_BROADCAST, NET_RAW] (osixia/keepalived image)',
    block: '    cap_add:\n      - NET_ADMIN\n      - NET_BROADCAST\n      - NET_RAW\n',
    risky: ['NET_ADMIN'] },
  { id: 'pihole', ref: 'pihole/pihole:latest',
    sentence: 'Likely, the pihole/pihole image needs no extra privilege without its DHCP server.',
    title: 'Remove privileged (likely, pihole/pihole needs no extra privilege without its DHCP server)',
    block: '',
    risky: [] },
  { id: 'pihole', ref: 'pihole/pihole:latest', extra: '    environment:\n      FTLCONF_dhcp_active: "true"\n', variant: 'DHCP server',
    sentence: 'From the pihole/pihole image, it needs cap_add: [NET_ADMIN] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] (pihole/pihole image)',
    block: '    cap_add:\n      - NET_ADMIN\n',
    risky: ['NET_ADMIN'] },
  { id: 'fail2ban', ref: 'crazymax/fail2ban:latest', extra: '    network_mode: host\n',
    sentence: 'From the crazymax/fail2ban image, it needs cap_add: [NET_ADMIN, NET_RAW] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN, NET_RAW] (crazymax/fail2ban image)',
    block: '    cap_add:\n      - NET_ADMIN\n      - NET_RAW\n',
    risky: ['NET_ADMIN'] },
  { id: 'suricata', ref: 'jasonish/suricata:7.0', extra: '    network_mode: host\n',
    sentence: 'From the jasonish/suricata image, it needs cap_add: [NET_ADMIN, NET_RAW, SYS_NICE] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN, NET_RAW, SYS_NICE] (jasonish/suricata image)',
    block: '    cap_add:\n      - NET_ADMIN\n      - NET_RAW\n      - SYS_NICE\n',
    risky: ['NET_ADMIN'] },
  { id: 'netdata', ref: 'netdata/netdata:stable',
    sentence: 'From the netdata/netdata image, it needs cap_add: [SYS_PTRACE, SYS_ADMIN] and security_opt: [apparmor:unconfined] instead.',
    title: 'Replace privileged with cap_add: [SYS_PTRACE, SYS_ADMIN] and security_opt: [apparmor:unconfined] (netdata/netdata image)',
    block: '    cap_add:\n      - SYS_PTRACE\n      - SYS_ADMIN\n    security_opt:\n      - apparmor:unconfined\n',
    risky: ['SYS_PTRACE', 'SYS_ADMIN'] },
  { id: 'cadvisor', ref: 'gcr.io/cadvisor/cadvisor:v0.49.1',
    sentence: 'Likely, from the gcr.io/cadvisor/cadvisor image, it needs devices: [/dev/kmsg] instead. Keep privileged (with pid: host) only if you need per-process metrics; everything else works with the device and read-only mounts.',
    title: 'Replace privileged with devices: [/dev/kmsg] (likely, gcr.io/cadvisor/cadvisor image)',
    block: '    devices:\n      - /dev/kmsg\n',
    risky: [] },
  { id: 'node-exporter', ref: 'quay.io/prometheus/node-exporter:v1.8.2',
    sentence: 'The quay.io/prometheus/node-exporter image needs no extra privilege.',
    title: 'Remove privileged (quay.io/prometheus/node-exporter needs no extra privilege)',
    block: '',
    risky: [] },
  { id: 'home-assistant', ref: 'ghcr.io/home-assistant/home-assistant:stable',
    sentence: 'Home Assistant can only partly do without privileged: list the radio sticks under devices and add NET_ADMIN + NET_RAW for Bluetooth; keep privileged only for hardware you cannot enumerate.',
    title: null,
    block: '',
    risky: [] },
  { id: 'frigate', ref: 'ghcr.io/blakeblackshear/frigate:stable',
    sentence: 'Likely, the ghcr.io/blakeblackshear/frigate image needs no extra privilege.',
    title: 'Remove privileged (likely, ghcr.io/blakeblackshear/frigate needs no extra privilege)',
    block: '',
    risky: [] },
  { id: 'frigate', ref: 'ghcr.io/blakeblackshear/frigate:stable', extra: '    devices:\n      - /dev/bus/usb:/dev/bus/usb\n', variant: 'USB Coral listed',
    sentence: 'From the ghcr.io/blakeblackshear/frigate image, it needs devices: [/dev/bus/usb] instead.',
    title: 'Remove privileged (ghcr.io/blakeblackshear/frigate image: what it needs is already set)',
    block: '',
    risky: [] },
  { id: 'media-servers', ref: 'jellyfin/jellyfin:10.9',
    sentence: 'Likely, the jellyfin/jellyfin image needs no extra privilege.',
    title: 'Remove privileged (likely, jellyfin/jellyfin needs no extra privilege)',
    block: '',
    risky: [] },
  { id: 'gpu-compute', ref: 'ollama/ollama:latest',
    sentence: 'Likely, the ollama/ollama image needs no extra privilege.',
    title: 'Remove privileged (likely, ollama/ollama needs no extra privilege)',
    block: '',
    risky: [] },
  { id: 'scrutiny', ref: 'ghcr.io/analogj/scrutiny:master-omnibus',
    sentence: 'Likely, from the ghcr.io/analogj/scrutiny image, it needs cap_add: [SYS_RAWIO] instead.',
    title: 'Replace privileged with cap_add: [SYS_RAWIO] (likely, ghcr.io/analogj/scrutiny image)',
    block: '    cap_add:\n      - SYS_RAWIO\n',
    risky: ['SYS_RAWIO'] },
  { id: 'scrutiny', ref: 'ghcr.io/analogj/scrutiny:master-omnibus', extra: '    devices:\n      - /dev/nvme0\n', variant: 'NVMe drive listed',
    sentence: 'From the ghcr.io/analogj/scrutiny image, it needs cap_add: [SYS_RAWIO, SYS_ADMIN] and devices: [/dev/nvme0] instead.',
    title: 'Replace privileged with cap_add: [SYS_RAWIO, SYS_ADMIN] (ghcr.io/analogj/scrutiny image)',
    block: '    cap_add:\n      - SYS_RAWIO\n      - SYS_ADMIN\n',
    risky: ['SYS_RAWIO', 'SYS_ADMIN'] },
  { id: 'rclone', ref: 'rclone/rclone:1.68',
    sentence: 'The rclone/rclone image needs no extra privilege unless it runs rclone mount.',
    title: 'Remove privileged (rclone/rclone needs no extra privilege unless it runs rclone mount)',
    block: '',
    risky: [] },
  { id: 'rclone', ref: 'rclone/rclone:1.68', extra: '    command: "mount remote: /data --allow-other"\n', variant: 'rclone mount',
    sentence: 'From the rclone/rclone image, it needs cap_add: [SYS_ADMIN], devices: [/dev/fuse] and security_opt: [apparmor:unconfined] instead.',
    title: 'Replace privileged with cap_add: [SYS_ADMIN], devices: [/dev/fuse] and security_opt: [apparmor:unconfined] (rclone/rclone image)',
    block: '    cap_add:\n      - SYS_ADMIN\n    devices:\n      - /dev/fuse\n    security_opt:\n      - apparmor:unconfined\n',
    risky: ['SYS_ADMIN'] },
  { id: 'fuse-filesystems', ref: 'efrecon/s3fs:1.94',
    sentence: 'From the efrecon/s3fs image, it needs cap_add: [SYS_ADMIN], devices: [/dev/fuse] and security_opt: [apparmor:unconfined] instead.',
    title: 'Replace privileged with cap_add: [SYS_ADMIN], devices: [/dev/fuse] and security_opt: [apparmor:unconfined] (efrecon/s3fs image)',
    block: '    cap_add:\n      - SYS_ADMIN\n    devices:\n      - /dev/fuse\n    security_opt:\n      - apparmor:unconfined\n',
    risky: ['SYS_ADMIN'] },
  { id: 'docker-in-docker', ref: 'docker:27-dind',
    sentence: 'docker:dind genuinely needs privileged: the inner daemon creates namespaces, cgroups, mounts and iptables rules. Privileged cannot be replaced here; alternatives: Sysbox runtime: `runtime: sysbox-runc` runs Docker inside the container without privileged; Rootless Docker-in-Docker: `docker:dind-rootless` (in practice still often run privileged or with seccomp/AppArmor unconfined); For image builds only: BuildKit rootless (moby/buildkit:rootless) or Kaniko; Mounting the host /var/run/docker.sock instead: no privileged, but root-equivalent on the host (CIS Docker 5.31/5.32).',
    title: null,
    block: '',
    risky: [] },
  { id: 'falco-driver-loader', ref: 'falcosecurity/falco-driver-loader:0.38.0',
    sentence: 'The driver loader builds and loads a kernel module or probe on the host. Privileged cannot be replaced here; alternatives: Use the modern_ebpf driver, which needs no driver loader and runs the Falco container with BPF, PERFMON, SYS_RESOURCE and SYS_PTRACE instead of privileged. This access is expected for a runtime security agent (Falco): contain it instead of removing it: run it in its own namespace exempted from Pod Security Admission; prefer its least-privileged (modern eBPF) mode where it has one, and mount host paths read-only.',
    title: null,
    block: '',
    risky: [] },
  { id: 'falco', ref: 'falcosecurity/falco:0.38.0',
    sentence: 'From the falcosecurity/falco image, it needs cap_add: [BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE] instead.',
    title: 'Replace privileged with cap_add: [BPF, PERFMON, SYS_RESOURCE, SYS_PTRACE] (falcosecurity/falco image)',
    block: '    cap_add:\n      - BPF\n      - PERFMON\n      - SYS_RESOURCE\n      - SYS_PTRACE\n',
    risky: ['BPF', 'PERFMON', 'SYS_PTRACE'] },
  { id: 'cturra-ntp', ref: 'cturra/ntp:latest',
    sentence: 'The cturra/ntp image needs no extra privilege.',
    title: 'Remove privileged (cturra/ntp needs no extra privilege)',
    block: '',
    risky: [] },
  { id: 'ntp-client', ref: 'dockurr/chrony',
    sentence: 'From the dockurr/chrony image, it needs cap_add: [SYS_TIME] instead.',
    title: 'Replace privileged with cap_add: [SYS_TIME] (dockurr/chrony image)',
    block: '    cap_add:\n      - SYS_TIME\n',
    risky: ['SYS_TIME'] },
  { id: 'ntp-client', ref: 'dockurr/chrony', extra: '    command: ["chronyd", "-d", "-x"]\n', variant: 'chronyd -x serves time only',
    sentence: 'The dockurr/chrony image needs no extra privilege with chronyd -x.',
    title: 'Remove privileged (dockurr/chrony needs no extra privilege with chronyd -x)',
    block: '',
    risky: [] },
  { id: 'docker-socket-tools', ref: 'portainer/portainer-ce:2.21.0', extra: '    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n',
    sentence: 'The portainer/portainer-ce image needs no extra privilege.',
    title: 'Remove privileged (portainer/portainer-ce needs no extra privilege)',
    block: '',
    risky: [] },
  { id: 'zerotier', ref: 'zerotier/zerotier:latest',
    sentence: 'From the zerotier/zerotier image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (zerotier/zerotier image)',
    block: '    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    risky: ['NET_ADMIN'] },
  { id: 'netbird', ref: 'netbirdio/netbird:latest',
    sentence: 'From the netbirdio/netbird image, it needs cap_add: [NET_ADMIN, SYS_ADMIN, SYS_RESOURCE] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN, SYS_ADMIN, SYS_RESOURCE] (netbirdio/netbird image)',
    block: '    cap_add:\n      - NET_ADMIN\n      - SYS_ADMIN\n      - SYS_RESOURCE\n',
    risky: ['NET_ADMIN', 'SYS_ADMIN'] },
  { id: 'icmp-monitors', ref: 'louislam/uptime-kuma:1',
    sentence: 'The louislam/uptime-kuma image needs no extra privilege under Docker.',
    title: 'Remove privileged (louislam/uptime-kuma needs no extra privilege under Docker)',
    block: '',
    risky: [] },
  { id: 'serial-devices', ref: 'koenkk/zigbee2mqtt:1.40.0', extra: '    devices:\n      - /dev/ttyACM0:/dev/ttyACM0\n',
    sentence: 'From the koenkk/zigbee2mqtt image, it needs devices: [/dev/ttyACM0] instead.',
    title: 'Remove privileged (koenkk/zigbee2mqtt image: what it needs is already set)',
    block: '',
    risky: [] },
  { id: 'qemu-kvm', ref: 'dockurr/windows',
    sentence: 'Likely, from the dockurr/windows image, it needs cap_add: [NET_ADMIN] and devices: [/dev/kvm, /dev/net/tun] instead.',
    title: 'Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/kvm, /dev/net/tun] (likely, dockurr/windows image)',
    block: '    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/kvm\n      - /dev/net/tun\n',
    risky: ['NET_ADMIN'] },
  { id: 'packet-capture', ref: 'nicolaka/netshoot:v0.13',
    sentence: 'From the nicolaka/netshoot image, it needs cap_add: [NET_RAW, NET_ADMIN] instead.',
    title: 'Replace privileged with cap_add: [NET_RAW, NET_ADMIN] (nicolaka/netshoot image)',
    block: '    cap_add:\n      - NET_RAW\n      - NET_ADMIN\n',
    risky: ['NET_ADMIN'] },
  { id: 'devcontainer-debug', ref: 'mcr.microsoft.com/devcontainers/go:1-1.22-bookworm',
    sentence: 'From the mcr.microsoft.com/devcontainers/go image, it needs cap_add: [SYS_PTRACE] instead.',
    title: 'Replace privileged with cap_add: [SYS_PTRACE] (mcr.microsoft.com/devcontainers/go image)',
    block: '    cap_add:\n      - SYS_PTRACE\n',
    risky: ['SYS_PTRACE'] },
  { id: 'k8s-node-agents', ref: 'quay.io/cilium/cilium:v1.16.1',
    sentence: 'Node agents manage host networking, BPF and mounts (hostNetwork, hostPath /sys/fs/bpf, /run/xtables.lock, mountPropagation: Bidirectional): privileged is usually genuine. Privileged cannot be replaced here; alternatives: Keep privileged for the node agent and suppress the finding for this workload (inline suppression or an allowlist); Cilium can run with an explicit capability list (NET_ADMIN, SYS_MODULE, SYS_ADMIN, SYS_RESOURCE, BPF, PERFMON, NET_RAW, IPC_LOCK, CHOWN, KILL, DAC_OVERRIDE, FOWNER, SETGID, SETUID) instead of privileged. This access is expected for a CNI plugin (Cilium agent): contain it instead of removing it: run it in a dedicated namespace (kube-system or its own) labelled pod-security.kubernetes.io/enforce: privileged, so the rest of the cluster stays under baseline or restricted; keep its service account to what the plugin needs.',
    title: null,
    block: '',
    risky: [] },
];

/**
 * The policy's row for replace-privileged (fix-policy.ts): safe only for a row read in a primary
 * or vendor source that says "replaceable: yes", when the inference is certain (the sentence
 * does not start with "Likely"), and not for a node agent.
 */
function confident(profile: (typeof IMAGES)[number] | undefined, row: RowCase): boolean {
  return !!profile && profile.replaceable === 'yes' && (profile.confidence === 'V' || profile.confidence === 'V-doc') && !row.sentence.startsWith('Likely') && nodeAgent(row.ref) === undefined;
}

describe('replace privileged: every image row of the knowledge base (Compose)', () => {
  it('every row has a case', () => {
    const covered = new Set(ROWS.map((r) => r.id));
    for (const p of IMAGES) assert.ok(covered.has(p.id), `add a case for ${p.id}`);
  });
  for (const row of ROWS) {
    it(`${row.id}${row.variant ? ` (${row.variant})` : ''}: ${row.ref}`, () => {
      const code = `services:\n  app:\n    image: ${row.ref}\n${row.extra ?? ''}    privileged: true\n`;
      const profile = IMAGES.find((p) => p.id === row.id);
      assert.ok(profile);
      assert.equal(explainPrivileged(lint(code, { path: 'compose.yaml' }).parsed!.workloads[0].containers[0]).inference.image?.id, row.id, 'the reference matches its row');
      check({
        name: row.id,
        path: 'compose.yaml',
        code,
        sentence: row.sentence,
        // A node agent that needs privileged (Cilium, Falco's driver loader, Falco): no fix removes it; a replacement stays a suggestion.
        titles: (row.title === null ? [] : [row.title]).concat(nodeAgent(row.ref)?.needs.privileged ? [] : row.title === null ? [REMOVE, LEAST] : [LEAST, REMOVE]),
        output: code.replace('    privileged: true\n', row.block),
        added: [
          // A node agent's capabilities are expected access: the finding says how to contain it.
          ...row.risky.map((cap) => risky('Service "app"', cap)),
          ...(row.block.includes('apparmor:unconfined') ? [unconfinedAppArmor('Service "app"', 'apparmor:unconfined in security_opt')] : []),
        ],
        safe: row.title !== null && confident(profile, row),
      });
      if (profile.replaceable === 'no') assert.equal(row.title, null, 'no replacement for a row that cannot be replaced');
    });
  }
});

// ---- Every hint, through Compose, Kubernetes (Deployment, CronJob) and devcontainer.json --

const HINTS: ReplaceCase[] = [
  {
    name: 'listed device (/dev/kvm): Compose devices',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/kvm\n    privileged: true\n',
    sentence: 'Likely, from the /dev/kvm device, it needs devices: [/dev/kvm] instead.',
    titles: ['Remove privileged (likely, from the /dev/kvm device: what it needs is already set)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/kvm\n',
  },
  {
    name: 'listed device (/dev/kvm): Kubernetes Deployment hostPath volume',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/kvm\n          securityContext:\n            privileged: true\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/kvm\n            type: CharDevice\n',
    sentence: 'Likely, from the /dev/kvm device, it needs the device /dev/kvm instead.',
    titles: ['Remove privileged (likely, from the /dev/kvm device: what it needs is already set)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/kvm\n          securityContext:\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/kvm\n            type: CharDevice\n',
  },
  {
    name: 'listed device (/dev/kvm): Kubernetes CronJob hostPath volume',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/kvm\n            securityContext:\n              privileged: true\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/kvm\n              type: CharDevice\n',
    sentence: 'Likely, from the /dev/kvm device, it needs the device /dev/kvm instead.',
    titles: ['Remove privileged (likely, from the /dev/kvm device: what it needs is already set)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/kvm\n            securityContext:\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/kvm\n              type: CharDevice\n',
  },
  {
    name: 'listed device (/dev/kvm): devcontainer "privileged" with runArgs --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/kvm"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /dev/kvm device, it needs runArgs: [--device=/dev/kvm] instead.',
    titles: ['Remove privileged (likely, from the /dev/kvm device: what it needs is already set)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/kvm"]\n}\n',
  },
  {
    name: 'listed device (/dev/kvm): devcontainer runArgs --privileged and --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"--device",\n\t\t"/dev/kvm"\n\t]\n}\n',
    sentence: 'Likely, from the /dev/kvm device, it needs runArgs: [--device=/dev/kvm] instead.',
    titles: ['Remove privileged (likely, from the /dev/kvm device: what it needs is already set)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--device",\n\t\t"/dev/kvm"\n\t]\n}\n',
  },
  {
    name: '/dev/net/tun: Compose devices',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/net/tun:/dev/net/tun\n    privileged: true\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/net/tun:/dev/net/tun\n    cap_add:\n      - NET_ADMIN\n',
    added: [risky('Service "app"', 'NET_ADMIN')],
  },
  {
    name: '/dev/net/tun: Kubernetes Deployment hostPath volume',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/net/tun\n          securityContext:\n            privileged: true\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/net/tun\n            type: CharDevice\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capabilities.add: [NET_ADMIN] and the device /dev/net/tun instead.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/net/tun\n          securityContext:\n            capabilities:\n              add:\n                - NET_ADMIN\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/net/tun\n            type: CharDevice\n',
    added: [risky('Container "app" in Deployment/web', 'NET_ADMIN')],
  },
  {
    name: '/dev/net/tun: Kubernetes CronJob hostPath volume',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/net/tun\n            securityContext:\n              privileged: true\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/net/tun\n              type: CharDevice\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capabilities.add: [NET_ADMIN] and the device /dev/net/tun instead.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/net/tun\n            securityContext:\n              capabilities:\n                add:\n                - NET_ADMIN\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/net/tun\n              type: CharDevice\n',
    added: [risky('Container "app" in CronJob/nightly', 'NET_ADMIN')],
  },
  {
    name: '/dev/net/tun: devcontainer "privileged" with runArgs --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/net/tun"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/net/tun"],\n  "capAdd": ["NET_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: '/dev/net/tun: devcontainer runArgs --privileged and --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"--device",\n\t\t"/dev/net/tun"\n\t]\n}\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--device",\n\t\t"/dev/net/tun"\n\t],\n\t"capAdd": ["NET_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: '/dev/fuse: Compose devices',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/fuse:/dev/fuse:rwm\n    privileged: true\n',
    sentence: 'Likely, from the /dev/fuse device, it needs cap_add: [SYS_ADMIN] and devices: [/dev/fuse] instead.',
    titles: ['Replace privileged with cap_add: [SYS_ADMIN] (likely, from the /dev/fuse device)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/fuse:/dev/fuse:rwm\n    cap_add:\n      - SYS_ADMIN\n',
    added: [risky('Service "app"', 'SYS_ADMIN')],
  },
  {
    name: '/dev/fuse: Kubernetes Deployment hostPath volume',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/fuse\n          securityContext:\n            privileged: true\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/fuse\n            type: CharDevice\n',
    sentence: 'Likely, from the /dev/fuse device, it needs capabilities.add: [SYS_ADMIN] and the device /dev/fuse instead.',
    titles: ['Replace privileged with capabilities.add: [SYS_ADMIN] (likely, from the /dev/fuse device)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/fuse\n          securityContext:\n            capabilities:\n              add:\n                - SYS_ADMIN\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/fuse\n            type: CharDevice\n',
    added: [risky('Container "app" in Deployment/web', 'SYS_ADMIN')],
  },
  {
    name: '/dev/fuse: Kubernetes CronJob hostPath volume',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/fuse\n            securityContext:\n              privileged: true\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/fuse\n              type: CharDevice\n',
    sentence: 'Likely, from the /dev/fuse device, it needs capabilities.add: [SYS_ADMIN] and the device /dev/fuse instead.',
    titles: ['Replace privileged with capabilities.add: [SYS_ADMIN] (likely, from the /dev/fuse device)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/fuse\n            securityContext:\n              capabilities:\n                add:\n                - SYS_ADMIN\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/fuse\n              type: CharDevice\n',
    added: [risky('Container "app" in CronJob/nightly', 'SYS_ADMIN')],
  },
  {
    name: '/dev/fuse: devcontainer "privileged" with runArgs --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/fuse"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /dev/fuse device, it needs capAdd: [SYS_ADMIN] and runArgs: [--device=/dev/fuse] instead.',
    titles: ['Replace privileged with capAdd: [SYS_ADMIN] (likely, from the /dev/fuse device)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/fuse"],\n  "capAdd": ["SYS_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'SYS_ADMIN')],
  },
  {
    name: '/dev/fuse: devcontainer runArgs --privileged and --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"--device",\n\t\t"/dev/fuse"\n\t]\n}\n',
    sentence: 'Likely, from the /dev/fuse device, it needs capAdd: [SYS_ADMIN] and runArgs: [--device=/dev/fuse] instead.',
    titles: ['Replace privileged with capAdd: [SYS_ADMIN] (likely, from the /dev/fuse device)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--device",\n\t\t"/dev/fuse"\n\t],\n\t"capAdd": ["SYS_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'SYS_ADMIN')],
  },
  {
    name: '/dev/dri: Compose devices',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/dri/renderD128:/dev/dri/renderD128\n    privileged: true\n',
    sentence: 'Likely, from the /dev/dri/renderD128 device, it needs devices: [/dev/dri/renderD128] instead.',
    titles: ['Remove privileged (likely, from the /dev/dri/renderD128 device: what it needs is already set)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/dri/renderD128:/dev/dri/renderD128\n',
  },
  {
    name: '/dev/dri: Kubernetes Deployment hostPath volume',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/dri/renderD128\n          securityContext:\n            privileged: true\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/dri/renderD128\n            type: CharDevice\n',
    sentence: 'Likely, from the /dev/dri/renderD128 device, it needs the device /dev/dri/renderD128 instead.',
    titles: ['Remove privileged (likely, from the /dev/dri/renderD128 device: what it needs is already set)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/dri/renderD128\n          securityContext:\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/dri/renderD128\n            type: CharDevice\n',
  },
  {
    name: '/dev/dri: Kubernetes CronJob hostPath volume',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/dri/renderD128\n            securityContext:\n              privileged: true\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/dri/renderD128\n              type: CharDevice\n',
    sentence: 'Likely, from the /dev/dri/renderD128 device, it needs the device /dev/dri/renderD128 instead.',
    titles: ['Remove privileged (likely, from the /dev/dri/renderD128 device: what it needs is already set)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/dri/renderD128\n            securityContext:\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/dri/renderD128\n              type: CharDevice\n',
  },
  {
    name: '/dev/dri: devcontainer "privileged" with runArgs --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/dri/renderD128"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /dev/dri/renderD128 device, it needs runArgs: [--device=/dev/dri/renderD128] instead.',
    titles: ['Remove privileged (likely, from the /dev/dri/renderD128 device: what it needs is already set)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/dri/renderD128"]\n}\n',
  },
  {
    name: '/dev/dri: devcontainer runArgs --privileged and --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"--device",\n\t\t"/dev/dri/renderD128"\n\t]\n}\n',
    sentence: 'Likely, from the /dev/dri/renderD128 device, it needs runArgs: [--device=/dev/dri/renderD128] instead.',
    titles: ['Remove privileged (likely, from the /dev/dri/renderD128 device: what it needs is already set)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--device",\n\t\t"/dev/dri/renderD128"\n\t]\n}\n',
  },
  {
    name: 'serial device: Compose devices',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/ttyUSB0\n    privileged: true\n',
    sentence: 'Likely, from the /dev/ttyUSB0 device, it needs devices: [/dev/ttyUSB0] instead.',
    titles: ['Remove privileged (likely, from the /dev/ttyUSB0 device: what it needs is already set)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    devices:\n      - /dev/ttyUSB0\n',
  },
  {
    name: 'serial device: Kubernetes Deployment hostPath volume',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/ttyUSB0\n          securityContext:\n            privileged: true\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/ttyUSB0\n            type: CharDevice\n',
    sentence: 'Likely, from the /dev/ttyUSB0 device, it needs the device /dev/ttyUSB0 instead.',
    titles: ['Remove privileged (likely, from the /dev/ttyUSB0 device: what it needs is already set)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: dev\n              mountPath: /dev/ttyUSB0\n          securityContext:\n      volumes:\n        - name: dev\n          hostPath:\n            path: /dev/ttyUSB0\n            type: CharDevice\n',
  },
  {
    name: 'serial device: Kubernetes CronJob hostPath volume',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/ttyUSB0\n            securityContext:\n              privileged: true\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/ttyUSB0\n              type: CharDevice\n',
    sentence: 'Likely, from the /dev/ttyUSB0 device, it needs the device /dev/ttyUSB0 instead.',
    titles: ['Remove privileged (likely, from the /dev/ttyUSB0 device: what it needs is already set)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: dev\n              mountPath: /dev/ttyUSB0\n            securityContext:\n          volumes:\n          - name: dev\n            hostPath:\n              path: /dev/ttyUSB0\n              type: CharDevice\n',
  },
  {
    name: 'serial device: devcontainer "privileged" with runArgs --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/ttyUSB0"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /dev/ttyUSB0 device, it needs runArgs: [--device=/dev/ttyUSB0] instead.',
    titles: ['Remove privileged (likely, from the /dev/ttyUSB0 device: what it needs is already set)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--device=/dev/ttyUSB0"]\n}\n',
  },
  {
    name: 'serial device: devcontainer runArgs --privileged and --device',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"--device",\n\t\t"/dev/ttyUSB0"\n\t]\n}\n',
    sentence: 'Likely, from the /dev/ttyUSB0 device, it needs runArgs: [--device=/dev/ttyUSB0] instead.',
    titles: ['Remove privileged (likely, from the /dev/ttyUSB0 device: what it needs is already set)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--device",\n\t\t"/dev/ttyUSB0"\n\t]\n}\n',
  },
  {
    name: '/lib/modules: Compose bind mount',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    privileged: true\n    volumes:\n      - /lib/modules:/lib/modules:ro # for wireguard\n',
    sentence: 'Likely, from the /lib/modules mount, it needs cap_add: [SYS_MODULE] instead.',
    titles: ['Replace privileged with cap_add: [SYS_MODULE] (likely, from the /lib/modules mount)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    cap_add:\n      - SYS_MODULE\n    volumes:\n      - /lib/modules:/lib/modules:ro # for wireguard\n',
    added: [risky('Service "app"', 'SYS_MODULE')],
  },
  {
    name: '/lib/modules: Compose long-syntax bind mount',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    volumes:\n      - type: bind\n        source: /lib/modules\n        target: /lib/modules\n        read_only: true\n    privileged: true\n',
    sentence: 'Likely, from the /lib/modules mount, it needs cap_add: [SYS_MODULE] instead.',
    titles: ['Replace privileged with cap_add: [SYS_MODULE] (likely, from the /lib/modules mount)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    volumes:\n      - type: bind\n        source: /lib/modules\n        target: /lib/modules\n        read_only: true\n    cap_add:\n      - SYS_MODULE\n',
    added: [risky('Service "app"', 'SYS_MODULE')],
  },
  {
    name: '/lib/modules: Kubernetes Deployment hostPath volume',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: modules\n              mountPath: /lib/modules\n          securityContext:\n            privileged: true\n      volumes:\n        - name: modules\n          hostPath:\n            path: /lib/modules\n',
    sentence: 'Likely, from the /lib/modules mount, it needs capabilities.add: [SYS_MODULE] instead.',
    titles: ['Replace privileged with capabilities.add: [SYS_MODULE] (likely, from the /lib/modules mount)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          volumeMounts:\n            - name: modules\n              mountPath: /lib/modules\n          securityContext:\n            capabilities:\n              add:\n                - SYS_MODULE\n      volumes:\n        - name: modules\n          hostPath:\n            path: /lib/modules\n',
    added: [risky('Container "app" in Deployment/web', 'SYS_MODULE')],
  },
  {
    name: '/lib/modules: Kubernetes CronJob hostPath volume',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: modules\n              mountPath: /lib/modules\n            securityContext:\n              privileged: true\n          volumes:\n          - name: modules\n            hostPath:\n              path: /lib/modules\n',
    sentence: 'Likely, from the /lib/modules mount, it needs capabilities.add: [SYS_MODULE] instead.',
    titles: ['Replace privileged with capabilities.add: [SYS_MODULE] (likely, from the /lib/modules mount)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            volumeMounts:\n            - name: modules\n              mountPath: /lib/modules\n            securityContext:\n              capabilities:\n                add:\n                - SYS_MODULE\n          volumes:\n          - name: modules\n            hostPath:\n              path: /lib/modules\n',
    added: [risky('Container "app" in CronJob/nightly', 'SYS_MODULE')],
  },
  {
    name: '/lib/modules: devcontainer "privileged" with a mounts entry',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "mounts": ["source=/lib/modules,target=/lib/modules,type=bind,readonly"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /lib/modules mount, it needs capAdd: [SYS_MODULE] instead.',
    titles: ['Replace privileged with capAdd: [SYS_MODULE] (likely, from the /lib/modules mount)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "mounts": ["source=/lib/modules,target=/lib/modules,type=bind,readonly"],\n  "capAdd": ["SYS_MODULE"]\n}\n',
    added: [risky('Devcontainer', 'SYS_MODULE')],
  },
  {
    name: '/lib/modules: devcontainer runArgs -v',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"-v", "/lib/modules:/lib/modules:ro"\n\t]\n}\n',
    sentence: 'Likely, from the /lib/modules mount, it needs capAdd: [SYS_MODULE] instead.',
    titles: ['Replace privileged with capAdd: [SYS_MODULE] (likely, from the /lib/modules mount)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"-v", "/lib/modules:/lib/modules:ro"\n\t],\n\t"capAdd": ["SYS_MODULE"]\n}\n',
    added: [risky('Devcontainer', 'SYS_MODULE')],
  },
  {
    name: 'sysctls: Compose map, unsure',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    sysctls:\n      net.core.somaxconn: 1024\n    privileged: true\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (sysctls); start from least privilege and add back only what fails.',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    sysctls:\n      net.core.somaxconn: 1024\n',
  },
  {
    name: 'sysctls: Kubernetes pod sysctls, unsure',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          securityContext:\n            privileged: true\n      securityContext:\n        sysctls:\n          - name: net.core.somaxconn\n            value: "1024"\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (sysctls); start from least privilege and add back only what fails.',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          securityContext:\n      securityContext:\n        sysctls:\n          - name: net.core.somaxconn\n            value: "1024"\n',
    added: [userns('Deployment/web')],
  },
  {
    name: 'sysctls: Kubernetes CronJob pod sysctls, unsure',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            securityContext:\n              privileged: true\n          securityContext:\n            sysctls:\n            - name: kernel.shm_rmid_forced\n              value: "1"\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (sysctls); start from least privilege and add back only what fails.',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            securityContext:\n          securityContext:\n            sysctls:\n            - name: kernel.shm_rmid_forced\n              value: "1"\n',
    added: [userns('CronJob/nightly')],
  },
  {
    name: 'sysctls: devcontainer "privileged" with runArgs --sysctl, unsure',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--sysctl", "net.core.somaxconn=1024"],\n  "privileged": true\n}\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (sysctls); start from least privilege and add back only what fails.',
    titles: ['Remove "privileged": true', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "runArgs": ["--sysctl", "net.core.somaxconn=1024"]\n}\n',
  },
  {
    name: 'sysctls: devcontainer runArgs --sysctl, unsure',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"--sysctl=net.core.somaxconn=1024"\n\t]\n}\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (sysctls); start from least privilege and add back only what fails.',
    titles: ['Remove --privileged from runArgs', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--sysctl=net.core.somaxconn=1024"\n\t]\n}\n',
  },
  {
    name: 'ports < 1024 alone: Compose, unsure',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    ports:\n      - "80:8080"\n      - 443:443\n    privileged: true\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (ports below 1024); start from least privilege and add back only what fails.',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    ports:\n      - "80:8080"\n      - 443:443\n',
  },
  {
    name: 'ports < 1024 alone: Kubernetes, unsure, possibly NET_BIND_SERVICE',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          ports:\n            - containerPort: 443\n          securityContext:\n            privileged: true\n',
    sentence: 'What it needs instead is unsure: the configuration shows only weak hints (ports below 1024), possibly NET_BIND_SERVICE; start from least privilege and add back only what fails.',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          ports:\n            - containerPort: 443\n          securityContext:\n',
    added: [userns('Deployment/web')],
  },
  {
    name: 'ports < 1024 with a TUN device: Docker adds nothing for the port',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    ports:\n      - target: 53\n        published: 53\n        protocol: udp\n    devices:\n      - /dev/net/tun\n    privileged: true\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    ports:\n      - target: 53\n        published: 53\n        protocol: udp\n    devices:\n      - /dev/net/tun\n    cap_add:\n      - NET_ADMIN\n',
    added: [risky('Service "app"', 'NET_ADMIN')],
  },
  {
    name: 'ports < 1024 with a TUN device: Kubernetes Deployment adds NET_BIND_SERVICE',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          ports:\n            - containerPort: 53\n              protocol: UDP\n          volumeMounts:\n            - name: tun\n              mountPath: /dev/net/tun\n          securityContext:\n            privileged: true\n      volumes:\n        - name: tun\n          hostPath:\n            path: /dev/net/tun\n            type: CharDevice\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capabilities.add: [NET_ADMIN, NET_BIND_SERVICE] and the device /dev/net/tun instead.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN, NET_BIND_SERVICE] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          ports:\n            - containerPort: 53\n              protocol: UDP\n          volumeMounts:\n            - name: tun\n              mountPath: /dev/net/tun\n          securityContext:\n            capabilities:\n              add:\n                - NET_ADMIN\n                - NET_BIND_SERVICE\n      volumes:\n        - name: tun\n          hostPath:\n            path: /dev/net/tun\n            type: CharDevice\n',
    added: [risky('Container "app" in Deployment/web', 'NET_ADMIN')],
  },
  {
    name: 'ports < 1024 with a TUN device: Kubernetes CronJob adds NET_BIND_SERVICE',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            ports:\n            - containerPort: 80\n            volumeMounts:\n            - name: tun\n              mountPath: /dev/net/tun\n            securityContext:\n              privileged: true\n          volumes:\n          - name: tun\n            hostPath:\n              path: /dev/net/tun\n              type: CharDevice\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capabilities.add: [NET_ADMIN, NET_BIND_SERVICE] and the device /dev/net/tun instead.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN, NET_BIND_SERVICE] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            ports:\n            - containerPort: 80\n            volumeMounts:\n            - name: tun\n              mountPath: /dev/net/tun\n            securityContext:\n              capabilities:\n                add:\n                - NET_ADMIN\n                - NET_BIND_SERVICE\n          volumes:\n          - name: tun\n            hostPath:\n              path: /dev/net/tun\n              type: CharDevice\n',
    added: [risky('Container "app" in CronJob/nightly', 'NET_ADMIN')],
  },
  {
    name: 'ports < 1024 with a TUN device: devcontainer "privileged" (Docker)',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "appPort": [80],\n  "runArgs": ["--device=/dev/net/tun"],\n  "privileged": true\n}\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "appPort": [80],\n  "runArgs": ["--device=/dev/net/tun"],\n  "capAdd": ["NET_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: 'ports < 1024 with a TUN device: devcontainer runArgs -p (Docker)',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"-p", "80:80",\n\t\t"--device=/dev/net/tun"\n\t]\n}\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] (likely, from the /dev/net/tun device)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"-p", "80:80",\n\t\t"--device=/dev/net/tun"\n\t],\n\t"capAdd": ["NET_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: 'TS_USERSPACE=false: Compose environment list, unknown image',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    environment:\n      - TS_AUTHKEY=${TS_AUTHKEY}\n      - TS_USERSPACE=false\n    privileged: true\n',
    sentence: 'Likely, from TS_USERSPACE=false, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (likely, from TS_USERSPACE=false)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    environment:\n      - TS_AUTHKEY=${TS_AUTHKEY}\n      - TS_USERSPACE=false\n    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    added: [risky('Service "app"', 'NET_ADMIN')],
  },
  {
    name: 'TS_USERSPACE=false: Compose environment map, tailscale image',
    safe: true,
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: ghcr.io/tailscale/tailscale:stable\n    environment:\n      TS_USERSPACE: ${TS_USERSPACE:-false}\n    privileged: true\n',
    sentence: 'From the ghcr.io/tailscale/tailscale image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (ghcr.io/tailscale/tailscale image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: ghcr.io/tailscale/tailscale:stable\n    environment:\n      TS_USERSPACE: ${TS_USERSPACE:-false}\n    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    added: [risky('Service "app"', 'NET_ADMIN')],
  },
  {
    name: 'TS_USERSPACE=false: Kubernetes Deployment env, tailscale image',
    safe: true,
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/tailscale/tailscale:stable\n          env:\n            - name: TS_USERSPACE\n              value: "false"\n          securityContext:\n            privileged: true\n',
    sentence: 'From the ghcr.io/tailscale/tailscale image, it needs capabilities.add: [NET_ADMIN] and the device /dev/net/tun instead. Devices need a device plugin or a hostPath CharDevice volume.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN] (ghcr.io/tailscale/tailscale image; /dev/net/tun needs a device plugin or a hostPath CharDevice volume)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/tailscale/tailscale:stable\n          env:\n            - name: TS_USERSPACE\n              value: "false"\n          securityContext:\n            capabilities:\n              add:\n                - NET_ADMIN\n',
    added: [risky('Container "app" in Deployment/web', 'NET_ADMIN'), userns('Deployment/web')],
  },
  {
    name: 'TS_USERSPACE=false: Kubernetes CronJob env, unknown image',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            env:\n            - name: TS_USERSPACE\n              value: "0"\n            securityContext:\n              privileged: true\n',
    sentence: 'Likely, from TS_USERSPACE=false, it needs capabilities.add: [NET_ADMIN] and the device /dev/net/tun instead. Devices need a device plugin or a hostPath CharDevice volume.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN] (likely, from TS_USERSPACE=false; /dev/net/tun needs a device plugin or a hostPath CharDevice volume)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            env:\n            - name: TS_USERSPACE\n              value: "0"\n            securityContext:\n              capabilities:\n                add:\n                - NET_ADMIN\n',
    added: [risky('Container "app" in CronJob/nightly', 'NET_ADMIN'), userns('CronJob/nightly')],
  },
  {
    name: 'TS_USERSPACE=false: devcontainer "privileged" with containerEnv',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "containerEnv": { "TS_USERSPACE": "false" },\n  "privileged": true\n}\n',
    sentence: 'Likely, from TS_USERSPACE=false, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] (likely, from TS_USERSPACE=false)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  // dev container\n  "name": "dev",\n  "image": "registry.example.com/team/app:1.4",\n  "containerEnv": { "TS_USERSPACE": "false" },\n  "capAdd": ["NET_ADMIN"],\n  "runArgs": ["--device=/dev/net/tun"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: 'TS_USERSPACE=false: devcontainer runArgs -e',
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--privileged",\n\t\t"-e", "TS_USERSPACE=false"\n\t]\n}\n',
    sentence: 'Likely, from TS_USERSPACE=false, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] (likely, from TS_USERSPACE=false)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "registry.example.com/team/app:1.4",\n\t"runArgs": [\n\t\t"--device=/dev/net/tun",\n\t\t"-e", "TS_USERSPACE=false"\n\t],\n\t"capAdd": ["NET_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: 'command words: Compose iptables in a shell command',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    command: ["sh", "-c", "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE && exec app"]\n    privileged: true\n',
    // An iptables manager needs NET_RAW as well as NET_ADMIN (#10): the suggestion includes both.
    sentence: 'Likely, from `iptables` in the command, it needs cap_add: [NET_ADMIN, NET_RAW] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN, NET_RAW] (likely, from `iptables` in the command)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    command: ["sh", "-c", "iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE && exec app"]\n    cap_add:\n      - NET_ADMIN\n      - NET_RAW\n',
    added: [risky('Service "app"', 'NET_ADMIN')],
  },
  {
    name: 'command words: Compose entrypoint wg-quick',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    entrypoint: /usr/bin/wg-quick\n    command: up wg0\n    privileged: true\n',
    sentence: 'Likely, from `wg-quick` in the command, it needs cap_add: [NET_ADMIN] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] (likely, from `wg-quick` in the command)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    entrypoint: /usr/bin/wg-quick\n    command: up wg0\n    cap_add:\n      - NET_ADMIN\n',
    added: [risky('Service "app"', 'NET_ADMIN')],
  },
  {
    name: 'command words: Compose modprobe',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    command: sh -c "modprobe wireguard && exec app"\n    privileged: true\n',
    sentence: 'Likely, from `modprobe` in the command, it needs cap_add: [SYS_MODULE] instead.',
    titles: ['Replace privileged with cap_add: [SYS_MODULE] (likely, from `modprobe` in the command)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    command: sh -c "modprobe wireguard && exec app"\n    cap_add:\n      - SYS_MODULE\n',
    added: [risky('Service "app"', 'SYS_MODULE')],
  },
  {
    name: 'command words: Compose ping needs nothing under Docker (no strong hint: unsure)',
    path: 'docker-compose.yml',
    code: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    command: ping -c 1 db\n    privileged: true\n',
    sentence: 'Likely, from `ping` in the command, it needs no extra privilege under Docker.',
    titles: ['Remove privileged (likely, from `ping` in the command: it needs no extra privilege under Docker)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  app:\n    image: registry.example.com/team/app:1.4\n    command: ping -c 1 db\n',
  },
  {
    name: 'command words: Kubernetes Deployment tcpdump in args',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          command: ["/bin/sh", "-c"]\n          args: ["tcpdump -i eth0 -w /pcap/out.pcap"]\n          securityContext:\n            privileged: true\n',
    sentence: 'Likely, from `tcpdump` in the command, it needs capabilities.add: [NET_RAW, NET_ADMIN] instead.',
    titles: ['Replace privileged with capabilities.add: [NET_RAW, NET_ADMIN] (likely, from `tcpdump` in the command)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          command: ["/bin/sh", "-c"]\n          args: ["tcpdump -i eth0 -w /pcap/out.pcap"]\n          securityContext:\n            capabilities:\n              add:\n                - NET_RAW\n                - NET_ADMIN\n',
    added: [risky('Container "app" in Deployment/web', 'NET_ADMIN'), userns('Deployment/web')],
  },
  {
    name: 'command words: Kubernetes Deployment ping needs NET_RAW',
    path: 'k8s/web.yaml',
    code: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          command: ["ping", "-c", "1", "db"]\n          securityContext:\n            privileged: true\n',
    sentence: 'Likely, from `ping` in the command, it needs capabilities.add: [NET_RAW] instead.',
    titles: ['Replace privileged with capabilities.add: [NET_RAW] (likely, from `ping` in the command)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/team/app:1.4\n          command: ["ping", "-c", "1", "db"]\n          securityContext:\n            capabilities:\n              add:\n                - NET_RAW\n',
    added: [userns('Deployment/web')],
  },
  {
    name: 'command words: Kubernetes CronJob chronyd sets the clock',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            command: ["chronyd", "-d"]\n            securityContext:\n              privileged: true\n',
    sentence: 'Likely, from `chronyd` in the command, it needs capabilities.add: [SYS_TIME] instead.',
    titles: ['Replace privileged with capabilities.add: [SYS_TIME] (likely, from `chronyd` in the command)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            command: ["chronyd", "-d"]\n            securityContext:\n              capabilities:\n                add:\n                - SYS_TIME\n',
    added: [risky('Container "app" in CronJob/nightly', 'SYS_TIME')],
  },
  {
    name: 'command words: Kubernetes CronJob strace',
    path: 'k8s/nightly.yaml',
    code: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            args:\n            - strace\n            - -f\n            - /app/server\n            securityContext:\n              privileged: true\n',
    sentence: 'Likely, from `strace` in the command, it needs capabilities.add: [SYS_PTRACE] instead.',
    titles: ['Replace privileged with capabilities.add: [SYS_PTRACE] (likely, from `strace` in the command)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: app\n            image: registry.example.com/team/app:1.4\n            args:\n            - strace\n            - -f\n            - /app/server\n            securityContext:\n              capabilities:\n                add:\n                - SYS_PTRACE\n',
    added: [risky('Container "app" in CronJob/nightly', 'SYS_PTRACE'), userns('CronJob/nightly')],
  },
];

describe('replace privileged: every workload hint', () => {
  for (const c of HINTS) it(c.name, () => check(c));
});

// ---- Merging, style, anchors, what cannot be replaced ---------------------------------

const SPECIAL: ReplaceCase[] = [
  {
    name: 'merge: cap_add flow list gets the new cap, a capability already there in another spelling is not repeated',
    safe: true,
    path: 'compose.yaml',
    code: 'services:\n  vpn:\n    image: osixia/keepalived:2.0.20\n    network_mode: host\n    cap_add: [cap_net_admin, SYS_NICE] # tuned\n    privileged: true\n',
    sentence: 'From the osixia/keepalived image, it needs cap_add: [NET_ADMIN, NET_BROADCAST, NET_RAW] instead.',
    titles: ['Replace privileged with cap_add: [NET_BROADCAST, NET_RAW] (osixia/keepalived image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  vpn:\n    image: osixia/keepalived:2.0.20\n    network_mode: host\n    cap_add: [cap_net_admin, SYS_NICE, NET_BROADCAST, NET_RAW] # tuned\n',
  },
  {
    name: 'merge: block devices list gets the device, in its indentation',
    safe: true,
    path: 'compose.yaml',
    code: 'services:\n  vm:\n    image: dockurr/windows\n    privileged: true\n    devices:\n    - /dev/kvm # KVM\n    cap_add:\n    - NET_ADMIN\n',
    sentence: 'From the dockurr/windows image, it needs cap_add: [NET_ADMIN] and devices: [/dev/kvm, /dev/net/tun] instead.',
    titles: ['Replace privileged with devices: [/dev/net/tun] (dockurr/windows image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  vm:\n    image: dockurr/windows\n    devices:\n    - /dev/kvm # KVM\n    - /dev/net/tun\n    cap_add:\n    - NET_ADMIN\n',
  },
  {
    name: 'merge: security_opt list gets the option, a flow devices list already has the device',
    path: 'compose.yaml',
    code: 'services:\n  fs:\n    image: efrecon/s3fs:1.94\n    security_opt:\n      - label:disable\n    privileged: true\n    devices: [/dev/fuse]\n',
    sentence: 'From the efrecon/s3fs image, it needs cap_add: [SYS_ADMIN], devices: [/dev/fuse] and security_opt: [apparmor:unconfined] instead.',
    titles: ['Replace privileged with cap_add: [SYS_ADMIN] and security_opt: [apparmor:unconfined] (efrecon/s3fs image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  fs:\n    image: efrecon/s3fs:1.94\n    security_opt:\n      - label:disable\n      - apparmor:unconfined\n    cap_add:\n      - SYS_ADMIN\n    devices: [/dev/fuse]\n',
    added: [risky('Service "fs"', 'SYS_ADMIN'), unconfinedAppArmor('Service "fs"', 'apparmor:unconfined in security_opt')],
  },
  {
    name: 'merge: sysctls list style gets name=value items',
    safe: true,
    path: 'compose.yaml',
    code: 'services:\n  wg:\n    image: lscr.io/linuxserver/wireguard:latest\n    privileged: true\n    sysctls:\n      - net.ipv4.ip_forward=1\n',
    sentence: 'From the lscr.io/linuxserver/wireguard image, it needs cap_add: [NET_ADMIN] and sysctls: [net.ipv4.conf.all.src_valid_mark=1, net.ipv4.ip_forward=1] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and sysctls: [net.ipv4.conf.all.src_valid_mark=1] (lscr.io/linuxserver/wireguard image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  wg:\n    image: lscr.io/linuxserver/wireguard:latest\n    cap_add:\n      - NET_ADMIN\n    sysctls:\n      - net.ipv4.ip_forward=1\n      - net.ipv4.conf.all.src_valid_mark=1\n',
    added: [risky('Service "wg"', 'NET_ADMIN')],
  },
  {
    name: 'merge: everything present already: privileged just goes',
    safe: true,
    path: 'compose.yaml',
    code: 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    privileged: true\n    cap_add:\n      - CAP_NET_ADMIN\n    devices:\n      - /dev/net/tun:/dev/net/tun\n',
    sentence: 'From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Remove privileged (qmcgaw/gluetun image: what it needs is already set)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    cap_add:\n      - CAP_NET_ADMIN\n    devices:\n      - /dev/net/tun:/dev/net/tun\n',
  },
  {
    name: 'style: CRLF kept, comments kept',
    safe: true,
    path: 'compose.yaml',
    code: '# VPN\r\nservices:\r\n  vpn:\r\n    image: qmcgaw/gluetun:v3 # pinned\r\n    privileged: true # TODO: narrow\r\n    ports:\r\n      - 8888:8888/tcp\r\n',
    sentence: 'From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (qmcgaw/gluetun image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: '# VPN\r\nservices:\r\n  vpn:\r\n    image: qmcgaw/gluetun:v3 # pinned\r\n    # TODO: narrow\r\n    cap_add:\r\n      - NET_ADMIN\r\n    devices:\r\n      - /dev/net/tun\r\n    ports:\r\n      - 8888:8888/tcp\r\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'style: flow service mapping stays flow',
    safe: true,
    path: 'compose.yaml',
    code: 'services:\n  vpn: {image: qmcgaw/gluetun, privileged: true, cap_add: [SYS_TIME]}\n',
    sentence: 'From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (qmcgaw/gluetun image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n  vpn: {image: qmcgaw/gluetun, devices: [/dev/net/tun], cap_add: [SYS_TIME, NET_ADMIN]}\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'style: four-space indentation',
    safe: true,
    path: 'compose.yaml',
    code: 'services:\n    vpn:\n        image: kylemanna/openvpn\n        privileged: true\n',
    sentence: 'From the kylemanna/openvpn image, it needs cap_add: [NET_ADMIN] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] (kylemanna/openvpn image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'services:\n    vpn:\n        image: kylemanna/openvpn\n        cap_add:\n            - NET_ADMIN\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'anchor shared by two services, only one has the hint: override on that service, anchor and the other service untouched',
    path: 'compose.yaml',
    code: 'x-common: &common\n  restart: unless-stopped\n  privileged: true # shared\nservices:\n  vpn:\n    <<: *common\n    image: registry.example.com/vpn:2\n    devices:\n      - /dev/net/tun\n  web:\n    <<: *common\n    image: nginx:1.27\n',
    sentence: 'Likely, from the /dev/net/tun device, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] (likely, from the /dev/net/tun device); sets privileged: false on service "vpn", the shared definition stays as it is', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges); sets privileged: false on service "vpn", the shared definition stays as it is', 'Set privileged: false on service "vpn" (the shared definition stays as it is)'],
    output: 'x-common: &common\n  restart: unless-stopped\n  privileged: true # shared\nservices:\n  vpn:\n    <<: *common\n    image: registry.example.com/vpn:2\n    devices:\n      - /dev/net/tun\n    privileged: false\n    cap_add:\n      - NET_ADMIN\n  web:\n    <<: *common\n    image: nginx:1.27\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'anchor shared by two services: the other service gets only the plain override',
    path: 'compose.yaml',
    code: 'x-common: &common\n  restart: unless-stopped\n  privileged: true # shared\nservices:\n  vpn:\n    <<: *common\n    image: registry.example.com/vpn:2\n    devices:\n      - /dev/net/tun\n  web:\n    <<: *common\n    image: nginx:1.27\n',
    index: 1,
    sentence: '',
    titles: ['Set privileged: false on service "web" (the shared definition stays as it is)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges); sets privileged: false on service "web", the shared definition stays as it is'],
    output: 'x-common: &common\n  restart: unless-stopped\n  privileged: true # shared\nservices:\n  vpn:\n    <<: *common\n    image: registry.example.com/vpn:2\n    devices:\n      - /dev/net/tun\n  web:\n    <<: *common\n    image: nginx:1.27\n    privileged: false\n',
  },
  {
    name: 'merge key brings cap_add too: the new own list keeps the merged items',
    safe: true,
    path: 'compose.yaml',
    code: 'x-base: &base\n  privileged: true\n  cap_add: [CHOWN]\nservices:\n  vpn:\n    <<: *base\n    image: qmcgaw/gluetun:v3\n',
    sentence: 'From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (qmcgaw/gluetun image); sets privileged: false on service "vpn", the shared definition stays as it is', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges); sets privileged: false on service "vpn", the shared definition stays as it is', 'Set privileged: false on service "vpn" (the shared definition stays as it is)'],
    output: 'x-base: &base\n  privileged: true\n  cap_add: [CHOWN]\nservices:\n  vpn:\n    <<: *base\n    image: qmcgaw/gluetun:v3\n    privileged: false\n    cap_add:\n      - CHOWN\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'cap_add written as an alias: replaced by a flow copy, the anchor untouched',
    safe: true,
    path: 'compose.yaml',
    code: 'x-caps: &caps [SYS_NICE]\nservices:\n  ids:\n    image: jasonish/suricata:7.0\n    network_mode: host\n    cap_add: *caps\n    privileged: true\n',
    sentence: 'From the jasonish/suricata image, it needs cap_add: [NET_ADMIN, NET_RAW, SYS_NICE] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN, NET_RAW] (jasonish/suricata image)', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)', 'Remove privileged: true'],
    output: 'x-caps: &caps [SYS_NICE]\nservices:\n  ids:\n    image: jasonish/suricata:7.0\n    network_mode: host\n    cap_add: [SYS_NICE, NET_ADMIN, NET_RAW]\n',
    added: [risky('Service "ids"', 'NET_ADMIN')],
  },
  {
    name: 'extends: the base is privileged, the child with the TUN device overrides',
    path: 'compose.yaml',
    code: 'services:\n  base:\n    image: registry.example.com/app:1\n    privileged: true\n  vpn:\n    extends: base\n    devices:\n      - /dev/net/tun\n',
    index: 1,
    sentence: 'Likely, from the /dev/net/tun device, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] (likely, from the /dev/net/tun device); sets privileged: false on service "vpn", the shared definition stays as it is', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges); sets privileged: false on service "vpn", the shared definition stays as it is', 'Set privileged: false on service "vpn" (the shared definition stays as it is)'],
    output: 'services:\n  base:\n    image: registry.example.com/app:1\n    privileged: true\n  vpn:\n    extends: base\n    devices:\n      - /dev/net/tun\n    privileged: false\n    cap_add:\n      - NET_ADMIN\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'privileged: *alias on the service: the alias is replaced, no second key',
    safe: true,
    path: 'compose.yaml',
    code: 'x-yes: &yes true\nservices:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    privileged: *yes\n',
    sentence: 'From the qmcgaw/gluetun image, it needs cap_add: [NET_ADMIN] and devices: [/dev/net/tun] instead.',
    titles: ['Replace privileged with cap_add: [NET_ADMIN] and devices: [/dev/net/tun] (qmcgaw/gluetun image); sets privileged: false on service "vpn", the shared definition stays as it is', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges); sets privileged: false on service "vpn", the shared definition stays as it is', 'Set privileged: false on service "vpn" (the shared definition stays as it is)'],
    output: 'x-yes: &yes true\nservices:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    privileged: false\n    cap_add:\n      - NET_ADMIN\n    devices:\n      - /dev/net/tun\n',
    added: [risky('Service "vpn"', 'NET_ADMIN')],
  },
  {
    name: 'DinD in Kubernetes: no replacement, the alternatives named',
    path: 'k8s/vpn.yaml',
    code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ci\nspec:\n  containers:\n    - name: dind\n      image: docker:27-dind\n      securityContext:\n        privileged: true\n',
    sentence: 'docker:dind genuinely needs privileged: the inner daemon creates namespaces, cgroups, mounts and iptables rules. Privileged cannot be replaced here; alternatives: Sysbox runtime: `runtime: sysbox-runc` runs Docker inside the container without privileged; Rootless Docker-in-Docker: `docker:dind-rootless` (in practice still often run privileged or with seccomp/AppArmor unconfined); For image builds only: BuildKit rootless (moby/buildkit:rootless) or Kaniko; Mounting the host /var/run/docker.sock instead: no privileged, but root-equivalent on the host (CIS Docker 5.31/5.32).',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)'],
    output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ci\nspec:\n  containers:\n    - name: dind\n      image: docker:27-dind\n      securityContext:\n',
    added: [userns('Pod/ci')],
  },
  {
    name: 'DinD in a devcontainer: no replacement',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  "image": "docker:dind",\n  "runArgs": ["--privileged"]\n}\n',
    sentence: 'docker:dind genuinely needs privileged: the inner daemon creates namespaces, cgroups, mounts and iptables rules. Privileged cannot be replaced here; alternatives: Sysbox runtime: `runtime: sysbox-runc` runs Docker inside the container without privileged; Rootless Docker-in-Docker: `docker:dind-rootless` (in practice still often run privileged or with seccomp/AppArmor unconfined); For image builds only: BuildKit rootless (moby/buildkit:rootless) or Kaniko; Mounting the host /var/run/docker.sock instead: no privileged, but root-equivalent on the host (CIS Docker 5.31/5.32).',
    titles: ['Remove --privileged from runArgs', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)'],
    output: '{\n  "image": "docker:dind",\n  "runArgs": []\n}\n',
  },
  {
    name: 'dockerd in the command of an unknown image: not replaceable',
    path: 'compose.yaml',
    code: 'services:\n  runner:\n    image: registry.example.com/ci-runner:3\n    command: dockerd --host=unix:///var/run/docker.sock\n    privileged: true\n',
    sentence: 'Runs dockerd: Docker-in-Docker genuinely needs privileged. Privileged cannot be replaced here; alternatives: Sysbox runtime: `runtime: sysbox-runc` runs Docker inside the container without privileged; Rootless Docker-in-Docker: `docker:dind-rootless` (in practice still often run privileged or with seccomp/AppArmor unconfined); For image builds only: BuildKit rootless (moby/buildkit:rootless) or Kaniko; Mounting the host /var/run/docker.sock instead: no privileged, but root-equivalent on the host (CIS Docker 5.31/5.32).',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)'],
    output: 'services:\n  runner:\n    image: registry.example.com/ci-runner:3\n    command: dockerd --host=unix:///var/run/docker.sock\n',
  },
  {
    name: 'Kubernetes: capabilities.add appended to, drop kept, flow securityContext stays flow',
    safe: true,
    path: 'k8s/vpn.yaml',
    code: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fw\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: fw\n        image: crazymax/fail2ban:latest\n        securityContext: {privileged: true, capabilities: {drop: [ALL], add: [NET_RAW]}}\n',
    sentence: 'From the crazymax/fail2ban image, it needs capabilities.add: [NET_ADMIN, NET_RAW] instead.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN] (crazymax/fail2ban image)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fw\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: fw\n        image: crazymax/fail2ban:latest\n        securityContext: {capabilities: {drop: [ALL], add: [NET_RAW, NET_ADMIN]}}\n',
    added: [risky('Container "fw" in DaemonSet/fw', 'NET_ADMIN')],
  },
  {
    name: 'Kubernetes: devices, sysctls and security options are named, never written',
    safe: true,
    path: 'k8s/vpn.yaml',
    code: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: wg\nspec:\n  template:\n    spec:\n      containers:\n        - name: wg\n          image: ghcr.io/wg-easy/wg-easy:15\n          securityContext:\n            privileged: true\n            runAsUser: 0\n',
    sentence: 'From the ghcr.io/wg-easy/wg-easy image, it needs capabilities.add: [NET_ADMIN] and the sysctls net.ipv4.ip_forward=1 and net.ipv4.conf.all.src_valid_mark=1 instead.',
    titles: ['Replace privileged with capabilities.add: [NET_ADMIN] (ghcr.io/wg-easy/wg-easy image; sysctls net.ipv4.ip_forward=1 and net.ipv4.conf.all.src_valid_mark=1 go in the pod\'s securityContext.sysctls)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: wg\nspec:\n  template:\n    spec:\n      containers:\n        - name: wg\n          image: ghcr.io/wg-easy/wg-easy:15\n          securityContext:\n            capabilities:\n              add:\n                - NET_ADMIN\n            runAsUser: 0\n',
    added: [risky('Container "wg" in StatefulSet/wg', 'NET_ADMIN'), userns('StatefulSet/wg')],
  },
  {
    name: 'Kubernetes: FUSE image, security option named',
    path: 'k8s/vpn.yaml',
    code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fs\nspec:\n  containers:\n    - name: s3\n      image: efrecon/s3fs:1.94\n      securityContext:\n        capabilities:\n          add:\n            - CHOWN\n        privileged: true\n',
    sentence: 'From the efrecon/s3fs image, it needs capabilities.add: [SYS_ADMIN], the device /dev/fuse and the security option apparmor:unconfined instead. Devices need a device plugin or a hostPath CharDevice volume.',
    titles: ['Replace privileged with capabilities.add: [SYS_ADMIN] (efrecon/s3fs image; /dev/fuse needs a device plugin or a hostPath CharDevice volume; apparmor:unconfined is securityContext.appArmorProfile.type: Unconfined)', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)', 'Remove privileged: true'],
    output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fs\nspec:\n  containers:\n    - name: s3\n      image: efrecon/s3fs:1.94\n      securityContext:\n        capabilities:\n          add:\n            - CHOWN\n            - SYS_ADMIN\n',
    added: [risky('Container "s3" in Pod/fs', 'SYS_ADMIN'), userns('Pod/fs')],
  },
  {
    name: 'devcontainer: capAdd and securityOpt appended in their style, runArgs created',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  "image": "efrecon/s3fs:1.94",\n  "capAdd": [\n    "CHOWN"\n  ],\n  "securityOpt": ["label=disable"],\n  "privileged": true, // FUSE\n  "remoteUser": "vscode"\n}\n',
    sentence: 'From the efrecon/s3fs image, it needs capAdd: [SYS_ADMIN], runArgs: [--device=/dev/fuse] and securityOpt: [apparmor:unconfined] instead.',
    titles: ['Replace privileged with capAdd: [SYS_ADMIN], runArgs: [--device=/dev/fuse] and securityOpt: [apparmor:unconfined] (efrecon/s3fs image)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{\n  "image": "efrecon/s3fs:1.94",\n  "capAdd": [\n    "CHOWN",\n    "SYS_ADMIN"\n  ],\n  "securityOpt": ["label=disable", "apparmor:unconfined"],\n  "runArgs": ["--device=/dev/fuse"], // FUSE\n  "remoteUser": "vscode"\n}\n',
    added: [risky('Devcontainer', 'SYS_ADMIN'), unconfinedAppArmor('Devcontainer', 'apparmor:unconfined in securityOpt')],
  },
  {
    name: 'devcontainer: CRLF, one-line object',
    safe: true,
    path: '.devcontainer/devcontainer.json',
    code: '{ "image": "qmcgaw/gluetun", "privileged": true }\r\n',
    sentence: 'From the qmcgaw/gluetun image, it needs capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] and runArgs: [--device=/dev/net/tun] (qmcgaw/gluetun image)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove "privileged": true'],
    output: '{ "image": "qmcgaw/gluetun", "capAdd": ["NET_ADMIN"], "runArgs": ["--device=/dev/net/tun"] }\r\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
  {
    name: 'devcontainer: image profile with a sysctl goes to runArgs --sysctl',
    safe: true,
    path: '.devcontainer/devcontainer.json',
    code: '{\n\t"image": "lscr.io/linuxserver/wireguard:latest",\n\t"runArgs": ["--privileged", "--init"]\n}\n',
    sentence: 'From the lscr.io/linuxserver/wireguard image, it needs capAdd: [NET_ADMIN] and runArgs: [--sysctl=net.ipv4.conf.all.src_valid_mark=1] instead.',
    titles: ['Replace privileged with capAdd: [NET_ADMIN] and runArgs: [--sysctl=net.ipv4.conf.all.src_valid_mark=1] (lscr.io/linuxserver/wireguard image)', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)', 'Remove --privileged from runArgs'],
    output: '{\n\t"image": "lscr.io/linuxserver/wireguard:latest",\n\t"runArgs": ["--sysctl=net.ipv4.conf.all.src_valid_mark=1", "--init"],\n\t"capAdd": ["NET_ADMIN"]\n}\n',
    added: [risky('Devcontainer', 'NET_ADMIN')],
  },
];

describe('replace privileged: merging in the file\'s style, anchors, extends, not replaceable', () => {
  for (const c of SPECIAL) it(c.name, () => check(c));

  it('the anchor and the other service are left exactly as written', () => {
    const c = SPECIAL.find((x) => x.name.startsWith('anchor shared by two services, only one'))!;
    const web = c.code.slice(c.code.indexOf('  web:'));
    assert.ok(c.output.endsWith(web), 'service "web" is unchanged');
    assert.ok(c.output.startsWith('x-common: &common\n  restart: unless-stopped\n  privileged: true # shared\n'), 'the anchor is unchanged');
    // And after the fix, "web" is still reported (privileged through the anchor), "vpn" is not.
    const after = findings(c.path, c.output).filter((f) => f.ruleId === 'no-privileged');
    assert.deepEqual(after.map((f) => f.message.slice(0, f.message.indexOf(' runs'))), ['Service "web"']);
  });

  it('Docker-in-Docker: no replacement, and the message names Sysbox, rootless Docker, BuildKit and Kaniko', () => {
    for (const c of SPECIAL.filter((x) => /DinD|dockerd/.test(x.name))) {
      assert.ok(!c.titles.some((t) => t.startsWith('Replace privileged with ') && !t.includes('least privilege')), c.name);
      for (const word of ['sysbox-runc', 'dind-rootless', 'BuildKit', 'Kaniko']) assert.ok(c.sentence.includes(word), `${c.name}: ${word}`);
      assert.match(c.sentence, /cannot be replaced/);
    }
  });
});

const LEAST_CASES: ReplaceCase[] = [
  {
    name: 'least privilege, Compose: ALL appended to an own cap_drop, no-new-privileges:false rewritten',
    path: 'compose.yaml',
    code: 'services:\n  app:\n    image: registry.example.com/app:1\n    cap_drop: [NET_RAW]\n    security_opt:\n      - no-new-privileges:false\n    privileged: true\n',
    sentence: '',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)'],
    output: 'services:\n  app:\n    image: registry.example.com/app:1\n    cap_drop: [NET_RAW]\n    security_opt:\n      - no-new-privileges:false\n',
    least: 'services:\n  app:\n    image: registry.example.com/app:1\n    cap_drop: [NET_RAW, ALL]\n    security_opt:\n      - no-new-privileges:true\n',
  },
  {
    name: 'least privilege, Compose: already least privilege apart from privileged',
    path: 'compose.yaml',
    code: 'services:\n  app:\n    image: registry.example.com/app:1\n    privileged: true\n    cap_drop:\n      - all\n    security_opt:\n      - no-new-privileges\n',
    sentence: '',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (cap_drop: [ALL], no-new-privileges)'],
    output: 'services:\n  app:\n    image: registry.example.com/app:1\n    cap_drop:\n      - all\n    security_opt:\n      - no-new-privileges\n',
    least: 'services:\n  app:\n    image: registry.example.com/app:1\n    cap_drop:\n      - all\n    security_opt:\n      - no-new-privileges\n',
  },
  {
    name: 'least privilege, Kubernetes: drop gets ALL, allowPrivilegeEscalation true becomes false',
    path: 'k8s/app.yaml',
    code: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1\n      securityContext:\n        allowPrivilegeEscalation: true\n        privileged: true\n        capabilities:\n          drop:\n            - NET_RAW\n',
    sentence: '',
    titles: ['Remove privileged: true', 'Replace privileged with least privilege (capabilities.drop: [ALL], allowPrivilegeEscalation: false)'],
    output: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1\n      securityContext:\n        allowPrivilegeEscalation: true\n        capabilities:\n          drop:\n            - NET_RAW\n',
    least: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/app:1\n      securityContext:\n        allowPrivilegeEscalation: false\n        capabilities:\n          drop:\n            - NET_RAW\n            - ALL\n',
    added: [userns('Pod/app')],
  },
  {
    name: 'least privilege, devcontainer: --cap-drop=ALL takes --privileged\'s place, no-new-privileges=false rewritten',
    path: '.devcontainer/devcontainer.json',
    code: '{\n  "image": "registry.example.com/app:1",\n  "securityOpt": ["no-new-privileges=false"],\n  "runArgs": [\n    "--privileged",\n    "--cap-drop=NET_RAW"\n  ]\n}\n',
    sentence: '',
    titles: ['Remove --privileged from runArgs', 'Replace privileged with least privilege (--cap-drop=ALL, no-new-privileges)'],
    output: '{\n  "image": "registry.example.com/app:1",\n  "securityOpt": ["no-new-privileges=false"],\n  "runArgs": [\n    "--cap-drop=NET_RAW"\n  ]\n}\n',
    least: '{\n  "image": "registry.example.com/app:1",\n  "securityOpt": ["no-new-privileges:true"],\n  "runArgs": [\n    "--cap-drop=ALL",\n    "--cap-drop=NET_RAW"\n  ]\n}\n',
  },
];

describe('replace privileged: least privilege, merged into what is there', () => {
  for (const c of LEAST_CASES) it(c.name, () => check(c));
});

// ---- The hints the adapters read --------------------------------------------------------

function only(containers: Container[]): Container {
  assert.equal(containers.length, 1);
  return containers[0];
}

describe('replace privileged: hints read by the adapters', () => {
  it('Compose: devices (short and long), binds (short and long), sysctls (map and list), ports, environment, entrypoint and command, network_mode, through extends', () => {
    const text = [
      'services:',
      '  base:',
      '    image: x',
      '    devices:',
      '      - /dev/ttyUSB0:/dev/ttyUSB0',
      '    environment:',
      '      - TS_USERSPACE=true',
      '      - ONLY_BASE=1',
      '  app:',
      '    extends: base',
      '    image: registry.example.com/app:1',
      '    devices:',
      '      - source: /dev/net/tun',
      '        target: /dev/net/tun',
      '        permissions: rwm',
      '    volumes:',
      '      - /lib/modules:/lib/modules:ro',
      '      - ./data:/data',
      '      - named:/var/lib/app',
      '      - type: bind',
      '        source: /var/run/docker.sock',
      '        target: /var/run/docker.sock',
      '      - type: volume',
      '        source: other',
      '        target: /other',
      '    sysctls:',
      '      net.ipv4.ip_forward: 1',
      '      net.core.somaxconn: "1024"',
      '    ports:',
      '      - "127.0.0.1:8080:80/tcp"',
      '      - 443',
      '      - 5000-5010:6000-6010',
      '      - target: 53',
      '        published: 5353',
      '    environment:',
      '      TS_USERSPACE: ${TS_USERSPACE:-false}',
      '    entrypoint: ["/bin/sh", "-c"]',
      '    command: iptables -L && exec app',
      '    network_mode: host',
      '',
    ].join('\n');
    const app = parseYaml(text, 'compose.yaml', 'compose').workloads.find((w) => w.name === 'app')!.containers[0];
    assert.deepEqual(app.hints, {
      devices: ['/dev/net/tun', '/dev/ttyUSB0:/dev/ttyUSB0'],
      volumes: ['/lib/modules', './data', '/var/run/docker.sock'],
      sysctls: ['net.ipv4.ip_forward=1', 'net.core.somaxconn=1024'],
      ports: [80, 443, 6000, 53],
      env: { TS_USERSPACE: 'false', ONLY_BASE: '1' },
      command: '/bin/sh -c iptables -L && exec app',
      networkMode: 'host',
    });
    const list = parseYaml('services:\n  a:\n    image: x\n    sysctls:\n      - net.ipv4.ip_forward=1\n      - kernel.shmmax\n', 'compose.yaml', 'compose').workloads[0].containers[0];
    assert.deepEqual(list.hints?.sysctls, ['net.ipv4.ip_forward=1', 'kernel.shmmax']);
  });

  it('Kubernetes: hostPath volumes this container mounts (those under /dev are devices), pod sysctls, ports, literal env, command and args, hostNetwork', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  hostNetwork: true',
      '  securityContext:',
      '    sysctls:',
      '      - name: net.ipv4.ip_forward',
      '        value: "1"',
      '  containers:',
      '    - name: app',
      '      image: x',
      '      command: ["sh", "-c"]',
      '      args: ["wg-quick up wg0"]',
      '      ports:',
      '        - containerPort: 51820',
      '          hostPort: 443',
      '      env:',
      '        - name: TS_USERSPACE',
      '          value: "false"',
      '        - name: FROM_SECRET',
      '          valueFrom: {secretKeyRef: {name: s, key: k}}',
      '      volumeMounts:',
      '        - {name: tun, mountPath: /dev/net/tun}',
      '        - {name: modules, mountPath: /lib/modules}',
      '        - {name: cache, mountPath: /cache}',
      '    - name: other',
      '      image: y',
      '      volumeMounts:',
      '        - {name: kmsg, mountPath: /dev/kmsg}',
      '  volumes:',
      '    - {name: tun, hostPath: {path: /dev/net/tun, type: CharDevice}}',
      '    - {name: modules, hostPath: {path: /lib/modules}}',
      '    - {name: cache, emptyDir: {}}',
      '    - {name: kmsg, hostPath: {path: /dev/kmsg}}',
      '',
    ].join('\n');
    const [app, other] = parseYaml(text, 'pod.yaml', undefined).workloads[0].containers;
    assert.deepEqual(app.hints, {
      devices: ['/dev/net/tun'],
      volumes: ['/dev/net/tun', '/lib/modules'],
      sysctls: ['net.ipv4.ip_forward=1'],
      ports: [51820, 443],
      env: { TS_USERSPACE: 'false' },
      command: 'sh -c wg-quick up wg0',
      networkMode: 'host',
    });
    assert.deepEqual(other.hints?.devices, ['/dev/kmsg']);
  });

  it('devcontainer.json: runArgs --device, -v, --mount, --sysctl, -e, --network, -p; mounts, containerEnv, appPort', () => {
    const text = [
      '{',
      '  "image": "x",',
      '  "runArgs": ["--device=/dev/fuse", "--device", "/dev/kvm", "-v", "/lib/modules:/lib/modules:ro", "--mount=type=bind,source=/srv,target=/srv",',
      '    "--sysctl", "net.ipv4.ip_forward=1", "-e", "A=1", "--env=B=2", "--network=host", "-p", "8080:80", "-it"],',
      '  "mounts": ["source=/var/run/docker.sock,target=/var/run/docker.sock,type=bind", {"source": "/opt", "target": "/opt", "type": "bind"}, "source=vol,target=/v,type=volume"],',
      '  "containerEnv": {"TS_USERSPACE": "false", "A": "from containerEnv"},',
      '  "appPort": [3000, "443:443"]',
      '}',
      '',
    ].join('\n');
    const parsed = parseDevcontainer(text, '.devcontainer/devcontainer.json');
    assert.deepEqual(parsed.problems, []);
    const c = only(parsed.workloads[0].containers);
    assert.deepEqual(c.hints, {
      devices: ['/dev/fuse', '/dev/kvm'],
      volumes: ['/lib/modules', '/srv', '/var/run/docker.sock', '/opt'],
      sysctls: ['net.ipv4.ip_forward=1'],
      ports: [80, 3000, 443],
      env: { A: '1', B: '2', TS_USERSPACE: 'false' },
      command: '',
      networkMode: 'host',
    });
  });
});

// ---- Explanations (hover, --explain) and edit plumbing ----------------------------------

function composeContainer(text: string): Container {
  return only(lint(text, { path: 'compose.yaml' }).parsed!.workloads.flatMap((w) => w.containers));
}

describe('replace privileged: explanations', () => {
  it('explainPrivileged gives every inferred item with its reason, what is already set and what the fix writes', () => {
    const x = explainPrivileged(composeContainer('services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    devices: [/dev/net/tun]\n    privileged: true\n'));
    assert.equal(x.container, 'service "vpn"');
    assert.equal(x.image, 'qmcgaw/gluetun:v3');
    assert.equal(x.runtime, 'docker');
    assert.equal(x.verdict, 'replaceable');
    assert.equal(x.inference.confidence, 'certain');
    assert.equal(x.replacement, 'Replace privileged with cap_add: [NET_ADMIN] (qmcgaw/gluetun image)');
    assert.deepEqual(x.items.map((i) => [i.what, i.value, i.present, i.written]), [['cap', 'NET_ADMIN', false, true], ['device', '/dev/net/tun', true, false]]);
    assert.ok(x.items.every((i) => i.reason.startsWith('Gluetun VPN client: ')));
    assert.deepEqual(x.input.devices, ['/dev/net/tun']);
  });

  it('Kubernetes: devices are explained but not written', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: vpn\n      image: qmcgaw/gluetun\n      securityContext:\n        privileged: true\n';
    const c = lint(text, { path: 'pod.yaml' }).parsed!.workloads[0].containers[0];
    const x = explainPrivileged(c);
    assert.equal(x.runtime, 'kubernetes');
    assert.deepEqual(x.items.map((i) => [i.what, i.value, i.present, i.written]), [['cap', 'NET_ADMIN', false, true], ['device', '/dev/net/tun', false, false]]);
    assert.match(privilegedReplacementMarkdown(c) ?? '', /`\/dev\/net\/tun` \(not written by the fix\)/);
  });

  it('DinD: not replaceable, with the alternatives', () => {
    const x = explainPrivileged(composeContainer('services:\n  d:\n    image: docker:dind\n    privileged: true\n'));
    assert.equal(x.verdict, 'not-replaceable');
    assert.equal(x.replacement, undefined);
    assert.ok(x.alternatives.some((a) => a.includes('sysbox-runc')));
    assert.match(privilegedReplacementMarkdown(composeContainer('services:\n  d:\n    image: docker:dind\n    privileged: true\n')) ?? '', /^\*\*Cannot be replaced\*\*: /);
  });

  it('unknown image, no hint: unsure, said so, never a guess', () => {
    const c = composeContainer('services:\n  app:\n    image: nginx:1.27\n    privileged: true\n');
    const x = explainPrivileged(c);
    assert.equal(x.verdict, 'unknown');
    assert.equal(x.inference.confidence, 'unsure');
    assert.equal(x.summary, '');
    assert.deepEqual(x.items, []);
    assert.match(privilegedReplacementMarkdown(c) ?? '', /^\*\*Replacement: unsure\*\*/);
  });

  it('hover markdown lists each item with its reason and the source', () => {
    const md = privilegedReplacementMarkdown(composeContainer('services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n    privileged: true\n')) ?? '';
    assert.match(md, /^\*\*Replacement\*\* \(certain, from the Gluetun VPN client profile\): Replace privileged with cap_add: \[NET_ADMIN\] and devices: \[\/dev\/net\/tun\] \(qmcgaw\/gluetun image\)/);
    assert.match(md, /- capability `NET_ADMIN`: Gluetun VPN client: always: creates the tunnel, routes and firewall/);
    assert.match(md, /- device `\/dev\/net\/tun`: /);
    assert.match(md, /Source: qdm12\/gluetun@/);
  });
});

describe('replace privileged: helpers', () => {
  it('combineEdits joins edits at one offset in the order they were made', () => {
    const text = 'abc';
    const edits = [{ start: 1, end: 1, text: 'X' }, { start: 1, end: 1, text: 'Y' }, { start: 2, end: 3, text: 'Z' }, { start: 3, end: 3, text: '!' }];
    assert.equal(applyEdits(text, combineEdits(edits)), 'aXYbZ!');
    assert.deepEqual(combineEdits(edits), [{ start: 1, end: 1, text: 'XY' }, { start: 2, end: 3, text: 'Z!' }]);
    assert.throws(() => combineEdits([{ start: 0, end: 2, text: '' }, { start: 1, end: 3, text: '' }]));
  });

  it('imageName drops the tag and digest, not a registry port', () => {
    assert.equal(imageName('qmcgaw/gluetun:v3'), 'qmcgaw/gluetun');
    assert.equal(imageName('registry.local:5000/team/app@sha256:abc'), 'registry.local:5000/team/app');
    assert.equal(imageName('nginx'), 'nginx');
  });

  it('security options compare with either separator', () => {
    assert.equal(securityOptKey('apparmor=unconfined'), securityOptKey('apparmor:unconfined'));
  });
});

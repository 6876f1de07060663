/**
 * @fileoverview Containers must not get the host's devices wholesale: the whole /dev mounted or
 * passed as a device, or a device cgroup rule that allows every device.
 */
import type { Mount } from '../model';
import { pssSuffix } from '../pss';
import { defineRule } from '../rule';
import { trimEndChars } from '../text';

/** A device cgroup rule that allows every device, every character device or every block device; undefined otherwise. */
export function wildcardDeviceRule(rule: string): string | undefined {
  // Kernel device-cgroup syntax: `type major:minor access` (`a` alone means everything).
  const parts = rule.trim().split(/\s+/);
  const [type = '', numbers = '*:*', access = 'rwm'] = parts;
  if (parts.length > 3 || !/^[abc]$/.test(type)) return undefined;
  // Only mknod (`m`) creates nodes it cannot open: Docker allows `c *:* m` and `b *:* m` by default.
  if (access !== '*' && !/[rw]/.test(access)) return undefined;
  if (type === 'a') return 'every device';
  const major = numbers.split(':')[0];
  if (major !== '*') return undefined;
  return type === 'c' ? 'every character device' : 'every block device';
}

/** A host path that is the whole /dev (`/dev`, `/dev/`, `//dev`). */
export function isWholeDev(path: string): boolean {
  return trimEndChars(path.trim().replace(/\/{2,}/g, '/'), '/') === '/dev';
}

const EXAMPLES: Record<string, string> = {
  'every device': 'raw host disks and physical memory (/dev/mem)',
  'every character device': 'physical memory (/dev/mem), I/O ports (/dev/port) and the host\'s terminals',
  'every block device': 'the host\'s raw disks',
};

export default defineRule({
  id: 'no-host-devices',
  meta: {
    description: 'Containers must not get the host\'s devices wholesale (all of /dev, or a device cgroup rule that allows every device)',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.18 (v1.6.0; 5.17 in v1.2.0)', 'CIS Kubernetes 5.2.12 (HostPath volumes; 5.2.11 in v1.12)', 'PSS baseline: HostPath Volumes', 'KICS: workload_mounting_with_sensitive_os_directory', 'Trivy KSV-0023', 'kube-linter sensitive-host-mounts', 'Polaris hostPathSet'],
    messages: {
      mount: '{{label}} mounts the host\'s whole /dev{{ro}} ({{field}}){{pss}}',
      unmounted: '{{label}} has an unmounted hostPath volume for the host\'s whole /dev{{pss}}',
      device: '{{label}} passes the host\'s whole /dev as a device ({{field}})',
      rule: '{{label}} allows {{which}} in the device cgroup ({{rule}})',
    },
    details: {
      mount: 'Every host device node, the host\'s terminals and its shared memory appear in the container, and any device the device cgroup allows (every one, when privileged or with a wildcard device rule) can be read and written: a raw disk write takes over the host{{roNote}}. Pass the devices the workload needs instead.',
      unmounted: 'No container mounts it today, but any container added later, or an ephemeral debug container, can mount it and reach every host device node.',
      device: 'Every host device is added and allowed in the device cgroup, raw disks and /dev/mem included, which is root on the host. Pass the one device the workload needs (/dev/ttyUSB0, /dev/dri/renderD128).',
      rule: 'Any such device node the container can reach or create with mknod can be read and written ({{field}}), {{examples}} included, which is root on the host. Allow only the device class the workload needs (c 188:* rwm for USB serial adapters).',
    },
    risk: 'All of /dev, or a device cgroup rule that allows every device, gives a container the host\'s raw disks, /dev/mem and the kernel log: writing to the disk under the host\'s filesystem is root on the host. A single named device (a serial adapter, a GPU render node) is fine.',
    fixDescription: 'A quick-fix removes a wildcard device cgroup rule or the whole-/dev device (never applied by --fix: the workload may rely on it). Mounts of /dev get no fix: replace them with the devices the workload needs.',
  },
  checkWorkload(workload, context) {
    const pss = pssSuffix(context.settings.profile, 'hostPathVolumes', workload.kind);
    const mount = (m: Mount, label: string, unmounted: boolean) => {
      if (m.form === 'api-socket' || m.form === 'volume-instruction' || m.relative || !isWholeDev(m.value)) return;
      if (unmounted) {
        context.report({ at: m, messageId: 'unmounted', data: { label, pss } });
        return;
      }
      // A read-only bind does not stop writes to a device node: they go to the device, not the filesystem.
      const ro = m.readOnly ? ' read-only' : '';
      const roNote = m.readOnly ? ' (read-only does not help: a write to a device node goes to the device, not to the mounted filesystem)' : '';
      context.report({ at: m, messageId: 'mount', data: { label, ro, roNote, field: m.field, pss } });
    };
    for (const container of workload.containers) {
      const label = capitalize(container.label);
      for (const m of container.mounts) mount(m, label, false);
      for (const d of container.devices) {
        if (isWholeDev(d.value)) context.report({ at: d, messageId: 'device', data: { label, field: d.field }, fixes: [{ type: 'remove-setting', target: d }], noPreferredFix: true });
      }
      for (const r of container.deviceCgroupRules) {
        const which = wildcardDeviceRule(r.value);
        if (which) context.report({ at: r, messageId: 'rule', data: { label, which, examples: EXAMPLES[which] ?? '', rule: r.value.trim(), field: r.field }, fixes: [{ type: 'remove-setting', target: r }], noPreferredFix: true });
      }
    }
    for (const m of workload.sharedMounts ?? []) mount(m, capitalize(workload.name), false);
    for (const m of workload.unmountedHostPaths) mount(m, capitalize(workload.name), true);
  },
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

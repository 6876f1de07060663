/**
 * @fileoverview Containers must not mount sensitive host paths (/, /etc and what is sensitive
 * under it, /proc, /sys, /var/lib/kubelet…); under the Pod Security Standards profiles, no host
 * path at all. Which paths are sensitive, and why, is the knowledge base's (host-paths.ts): exact
 * paths, never a prefix alone, so an application's own directory under /etc is not reported.
 */
import { hostPathFact } from '../knowledge/host-paths';
import type { Mount } from '../model';
import { PSS_RESTRICTED_VOLUME_TYPES, enforces, pssSuffix } from '../pss';
import { defineRule } from '../rule';
import type { FixIntent } from '../rule';
import { isWholeDev } from './no-host-devices';
import { runtimeSocket } from './no-runtime-socket';

const LATER = 'a container added later, or an ephemeral debug container, can mount it';

export default defineRule({
  id: 'no-sensitive-host-mounts',
  meta: {
    description: 'Containers must not mount sensitive host paths (/, /etc and its sensitive entries, /proc, /sys, /var/lib/kubelet…)',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.6 (v1.6.0; 5.5 in v1.2.0)', 'CIS Kubernetes 5.2.12 (HostPath volumes; 5.2.11 in v1.12)', 'PSS baseline: HostPath Volumes', 'PSS restricted: Volume Types', 'KICS: volume_has_sensitive_host_directory / workload_mounting_with_sensitive_os_directory / non_kube_system_pod_with_host_mount', 'Trivy KSV-0023 / KSV-0121', 'kube-linter sensitive-host-mounts', 'kubeaudit mounts', 'Polaris hostPathSet'],
    messages: {
      writable: '{{label}} mounts {{path}}, {{what}}{{pss}}',
      readOnly: '{{label}} mounts {{path}} read-only, {{what}}{{pss}}',
      socketsReadOnly: '{{label}} mounts {{path}} read-only, {{what}}{{pss}}',
      readOnlyProfile: '{{label}} mounts {{path}} read-only, {{what}}{{pss}}',
      unmounted: '{{label}} has an unmounted hostPath volume for {{path}}, {{what}}{{pss}}',
      hostPath: '{{label}} mounts the host path {{path}}{{pss}}',
      hostPathUnmounted: '{{label}} has a hostPath volume for {{path}}{{pss}}',
      volumeType: '{{label}} uses a volume of type {{type}}{{pss}}',
    },
    details: {
      writable: '{{path}} is mounted writable ({{field}}). {{why}}',
      readOnly: '{{path}} is mounted read-only ({{field}}), which lowers the severity but does not remove the finding. {{why}}',
      socketsReadOnly: 'Read-only ({{field}}) does not help here: it does not stop connecting to the sockets there. {{why}}',
      readOnlyProfile: 'It is mounted read-only ({{field}}); the profile allows no host path mounts, read-only or not. {{why}}',
      unmounted: 'No container mounts it today, but ' + LATER + '. {{why}}',
      hostPath: 'The profile allows no host path mounts ({{field}}), read-only or not. Use a volume, a ConfigMap or a Secret instead.',
      hostPathUnmounted: 'The profile allows no hostPath volumes, mounted or not.',
      volumeType: `The profile allows only ${PSS_RESTRICTED_VOLUME_TYPES.slice(0, -1).join(', ')} and ${PSS_RESTRICTED_VOLUME_TYPES[PSS_RESTRICTED_VOLUME_TYPES.length - 1]} volumes.`,
    },
    risk: 'A host directory such as /etc, /proc, /sys, /var/lib/kubelet or / mounted writable is a direct way out: a write to cron, a kernel setting or another pod\'s secrets takes over the host. Read-only lowers the risk (reading secrets and keys remains), and does not stop connecting to sockets.',
    fixDescription: 'A quick-fix mounts the path read-only (never applied by --fix: a workload that writes there would break). Better: mount only the file or directory the workload needs, or use a volume.',
  },
  checkWorkload(workload, context) {
    const profile = context.settings.profile;
    const pssHostPath = enforces(profile, 'hostPathVolumes');
    const pss = pssSuffix(profile, 'hostPathVolumes', workload.kind);
    const check = (mount: Mount, label: string, unmounted: boolean) => {
      if (mount.form === 'api-socket' || mount.form === 'volume-instruction') return;
      // The runtime's sockets and the whole /dev have their own rules (no double report).
      if (!mount.relative && (runtimeSocket(mount.value) || isWholeDev(mount.value))) return;
      const fact = mount.relative ? undefined : hostPathFact(mount.value);
      const sensitive = fact?.verdict === 'sensitive' && !(mount.readOnly && fact.readOnlyHarmless && !unmounted) ? fact : undefined;
      if (!sensitive) {
        if (pssHostPath) context.report({ at: mount, messageId: unmounted ? 'hostPathUnmounted' : 'hostPath', data: { label, path: mount.value, field: mount.field, pss } });
        return;
      }
      // The message describes the path mounted: the entry itself, or a part of the entry that covers it.
      const what = sensitive.path === canonicalPath(mount.value) ? sensitive.what : `part of ${sensitive.what}`;
      const data = { label, path: mount.value, field: mount.field, what, why: sensitive.why, pss };
      const lowered = pssHostPath ? undefined : 'warning';
      if (unmounted) {
        // Declared but not mounted: nothing reaches it yet (under a profile, the volume alone is the violation).
        context.report({ at: mount, messageId: 'unmounted', data, severity: lowered });
        return;
      }
      if (mount.readOnly) {
        const messageId = sensitive.sockets ? 'socketsReadOnly' : pssHostPath ? 'readOnlyProfile' : 'readOnly';
        context.report({ at: mount, messageId, data, severity: sensitive.sockets ? undefined : lowered });
        return;
      }
      const fixes: FixIntent[] = [{ type: 'set-mount-read-only', mount }];
      context.report({ at: mount, messageId: 'writable', data, fixes, noPreferredFix: true, severity: sensitive.warningOnly ? lowered : undefined });
    };
    for (const container of workload.containers) {
      for (const mount of container.mounts) check(mount, capitalize(container.label), false);
    }
    const workloadLabel = capitalize(workload.name);
    for (const mount of workload.sharedMounts ?? []) check(mount, workloadLabel, false);
    for (const mount of workload.unmountedHostPaths) check(mount, workloadLabel, true);
    if (enforces(profile, 'restrictedVolumes')) {
      // hostPath volumes are reported above, under hostPathVolumes (restrictedVolumes forbids them too).
      for (const v of workload.volumeTypes) {
        if (v.value === 'hostPath' || PSS_RESTRICTED_VOLUME_TYPES.includes(v.value)) continue;
        context.report({ at: v, messageId: 'volumeType', data: { label: workloadLabel, type: v.value, pss: pssSuffix(profile, 'restrictedVolumes', workload.kind) } });
      }
    }
  },
});

function canonicalPath(path: string): string {
  return path === '/var/run' || path.startsWith('/var/run/') ? path.slice('/var'.length) : path;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

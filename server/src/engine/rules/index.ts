/** Every rule, by id (sorted). */
import type { Rule } from '../rule';
import noDisabledSelinux from './no-disabled-selinux';
import noHostDevices from './no-host-devices';
import noHostNamespaces from './no-host-namespaces';
import noPrivileged from './no-privileged';
import noRiskyCapabilities from './no-risky-capabilities';
import noRootUser from './no-root-user';
import noRuntimeSocket from './no-runtime-socket';
import noSensitiveHostMounts from './no-sensitive-host-mounts';
import noUnconfinedApparmor from './no-unconfined-apparmor';
import noUnconfinedSeccomp from './no-unconfined-seccomp';
import noUnmaskedPaths from './no-unmasked-paths';
import podSecurityStandards from './pod-security-standards';
import preferUserNamespaces from './prefer-user-namespaces';
import requireDropAllCapabilities from './require-drop-all-capabilities';
import requireNoNewPrivileges from './require-no-new-privileges';
import requireReadOnlyRootFilesystem from './require-read-only-root-filesystem';

export const rules: readonly Rule[] = [
  noDisabledSelinux,
  noHostDevices,
  noHostNamespaces,
  noPrivileged,
  noRiskyCapabilities,
  noRootUser,
  noRuntimeSocket,
  noSensitiveHostMounts,
  noUnconfinedApparmor,
  noUnconfinedSeccomp,
  noUnmaskedPaths,
  podSecurityStandards,
  preferUserNamespaces,
  requireDropAllCapabilities,
  requireNoNewPrivileges,
  requireReadOnlyRootFilesystem,
];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.id, r]));

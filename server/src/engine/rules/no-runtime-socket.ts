/**
 * @fileoverview Containers must not get the container runtime's API socket (Docker, containerd,
 * CRI-O, Podman, dockershim): whoever can talk to it is root on the host.
 */
import type { Mount } from '../model';
import { pssSuffix } from '../pss';
import { defineRule } from '../rule';

/** A runtime API endpoint as a host path: a socket, or the directory that holds one. */
export interface RuntimeSocket {
  /** `Docker`, `containerd`, `CRI-O`, `Podman`, `dockershim`, `cri-dockerd`. */
  runtime: string;
  /** A rootless daemon's socket under /run/user/<uid>: the user's account, not root. */
  rootless: boolean;
  /** The path is the directory that holds the socket, not the socket. */
  directory: boolean;
}

/** Rootful sockets, by normalised host path. */
const SOCKETS: ReadonlyMap<string, string> = new Map([
  ['/var/run/docker.sock', 'Docker'],
  ['/run/docker.sock', 'Docker'],
  ['/var/run/containerd/containerd.sock', 'containerd'],
  ['/run/containerd/containerd.sock', 'containerd'],
  ['/run/k3s/containerd/containerd.sock', 'containerd'],
  ['/var/run/crio/crio.sock', 'CRI-O'],
  ['/run/crio/crio.sock', 'CRI-O'],
  ['/var/run/podman/podman.sock', 'Podman'],
  ['/run/podman/podman.sock', 'Podman'],
  ['/var/run/dockershim.sock', 'dockershim'],
  ['/run/dockershim.sock', 'dockershim'],
  ['/var/run/cri-dockerd.sock', 'cri-dockerd'],
  ['/run/cri-dockerd.sock', 'cri-dockerd'],
]);

/** Directories that exist to hold a runtime's sockets: mounting one mounts the socket. */
const SOCKET_DIRECTORIES: ReadonlyMap<string, string> = new Map([
  ['/var/run/containerd', 'containerd'],
  ['/run/containerd', 'containerd'],
  ['/var/run/crio', 'CRI-O'],
  ['/run/crio', 'CRI-O'],
  ['/var/run/podman', 'Podman'],
  ['/run/podman', 'Podman'],
]);

/** The runtime socket a normalised absolute host path is, if any. */
export function runtimeSocket(path: string): RuntimeSocket | undefined {
  const rootful = SOCKETS.get(path);
  if (rootful) return { runtime: rootful, rootless: false, directory: false };
  const dir = SOCKET_DIRECTORIES.get(path);
  if (dir) return { runtime: dir, rootless: false, directory: true };
  if (/^\/run\/user\/\d+\/podman\/podman\.sock$/.test(path)) return { runtime: 'Podman', rootless: true, directory: false };
  if (/^\/run\/user\/\d+\/docker\.sock$/.test(path)) return { runtime: 'Docker', rootless: true, directory: false };
  return undefined;
}

const ROOT = 'anyone who can talk to the socket can start a privileged container with the host\'s / mounted';

export default defineRule({
  id: 'no-runtime-socket',
  meta: {
    description: 'Containers must not mount the container runtime\'s socket (Docker, containerd, CRI-O, Podman)',
    defaultSeverity: 'error',
    kinds: ['compose', 'kubernetes', 'devcontainer', 'dockerfile', 'quadlet', 'run'],
    fixable: true,
    standards: ['CIS Docker 5.32 (v1.6.0; 5.31 in v1.2.0)', 'CIS Kubernetes 5.2.12 (HostPath volumes; 5.2.11 in v1.12)', 'PSS baseline: HostPath Volumes', 'KICS: docker_socket_mounted_in_container / docker_daemon_socket_is_exposed_to_containers', 'Checkov CKV_K8S_27', 'Trivy KSV-0006', 'kube-linter docker-sock', 'kubeaudit mounts', 'Semgrep exposing-docker-socket-volume / exposing-docker-socket-hostpath / dockerfile-dockerd-socket-mount'],
    messages: {
      socket: '{{label}} mounts {{what}} (root on the host){{pss}}',
      socketReadOnly: '{{label}} mounts {{what}} read-only: still root on the host{{pss}}',
      rootless: '{{label}} mounts {{what}}: control of that user\'s containers{{pss}}',
      apiSocket: '{{label}} sets {{setting}}: the Docker socket and your registry credentials',
      volume: '{{label}} declares VOLUME {{path}}, {{what}}',
      unmounted: '{{label}} has an unmounted hostPath volume for {{what}}{{pss}}',
    },
    details: {
      socket: `It is mounted through {{field}}, and ${ROOT}. Use a socket proxy that allows only the API calls the workload needs, or a rootless runtime.`,
      socketReadOnly: `Read-only ({{field}}) stops writes to the socket file, not requests over it: the API stays writable, and ${ROOT}.`,
      rootless: 'Anyone who can talk to it ({{field}}) controls that user\'s containers and, through them, everything the user can reach on the host; read-only does not help, since the API stays writable.',
      apiSocket: `It mounts the Docker socket and passes your registry credentials into the container. That is root on the host, since ${ROOT}.`,
      volume: `The image expects the socket mounted there, and running it that way is root on the host (${ROOT}).`,
      unmounted: 'No container mounts it today, but any container added later, or an ephemeral debug container, that mounts it is root on the host.',
    },
    risk: 'The runtime\'s API socket is root on the host: anyone who can talk to it can start a privileged container with the host\'s / mounted. Mounting it read-only does not help, because the API is still writable over the socket.',
    fixDescription: 'A quick-fix removes the mount (never applied by --fix: the workload presumably uses the API). Prefer a socket proxy that allows only the API calls the workload needs, or a rootless runtime.',
  },
  checkWorkload(workload, context) {
    const profile = context.settings.profile;
    const check = (mount: Mount, label: string, unmounted: boolean) => {
      if (mount.form === 'api-socket') {
        const setting = mount.field === 'use_api_socket' ? 'use_api_socket: true' : '--use-api-socket in runArgs';
        context.report({ at: mount, messageId: 'apiSocket', data: { label, setting }, fixes: [{ type: 'remove-setting', target: mount }], noPreferredFix: true });
        return;
      }
      if (mount.relative) return;
      const socket = runtimeSocket(mount.value);
      if (!socket) return;
      const what = socket.directory ? `the ${socket.runtime} socket directory ${mount.value}` : `the ${socket.rootless ? 'rootless ' : ''}${socket.runtime} socket ${mount.value}`;
      if (mount.form === 'volume-instruction') {
        const short = `the ${socket.runtime} ${socket.directory ? 'socket directory' : 'socket'}`;
        // The VOLUME mounts nothing from the host by itself: the run that binds the socket does.
        context.report({ at: mount, messageId: 'volume', data: { label, path: mount.value, what: short }, fixes: [{ type: 'remove-setting', target: mount }], noPreferredFix: true, severity: 'warning' });
        return;
      }
      const pss = pssSuffix(profile, 'hostPathVolumes', workload.kind);
      const messageId = unmounted ? 'unmounted' : socket.rootless ? 'rootless' : mount.readOnly ? 'socketReadOnly' : 'socket';
      // No removal for a devcontainer `mounts` object: the JSONC writer cannot title one yet.
      const removable = !unmounted && !(mount.field === 'mounts' && mount.form === 'bind');
      context.report({ at: mount, messageId, data: { label, what, field: mount.field, pss }, fixes: removable ? [{ type: 'remove-setting', target: mount }] : [], noPreferredFix: true });
    };
    for (const container of workload.containers) {
      for (const mount of container.mounts) check(mount, capitalize(container.label), false);
    }
    for (const mount of workload.sharedMounts ?? []) check(mount, capitalize(workload.name), false);
    for (const mount of workload.unmountedHostPaths) check(mount, capitalize(workload.name), true);
  },
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The one model every adapter produces and every rule reads: workloads and their
 * containers, each setting kept with the span of text it came from.
 * Spans are UTF-16 offsets into the original text (the same offsets LSP's
 * TextDocument uses), converted to lines and columns only at the edge.
 */

/**
 * `quadlet`: a Podman Quadlet unit (`.container`, `.pod`, `.kube`, `.build`). `run`: the
 * `docker run` / `podman run` command lines of a shell script, a Makefile or a CI workflow.
 */
export type FileKind = 'dockerfile' | 'compose' | 'kubernetes' | 'devcontainer' | 'quadlet' | 'run';
export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';

export interface Span {
  start: number;
  end: number;
}

/** A value read from the file, with where it is written. */
export interface Located<T> {
  value: T;
  /** The whole setting as written (`privileged: true`, a list item, a runArgs element). */
  span: Span;
  /** The value alone (`true`). Equals span when the setting has no separate key. */
  valueSpan: Span;
  /** Set when the value reaches this container through an alias or merge key: the use site. */
  via?: Span;
  /** The field name as the format spells it, for messages (`cap_add`, `capabilities.add`, `runArgs`). */
  field: string;
  /** Adapter-private handle used by the writer to edit this setting. */
  ref?: unknown;
}

/** A capability reference, normalized to upper case without the CAP_ prefix. */
export interface CapabilityRef extends Located<string> {
  /** Normalized name: `SYS_ADMIN`, `ALL`. */
  name: string;
}

export type UserVerdict =
  /** Explicitly root (`root`, `0`, `0:0`, `runAsUser: 0`). */
  | 'root'
  /** Not set, and the runtime then runs as root unless the image says otherwise. */
  | 'unset'
  /** A non-root user, or runAsNonRoot: true. */
  | 'nonroot'
  /** Cannot be decided statically (a variable, an image we cannot see). */
  | 'unknown';

export interface UserSetting {
  verdict: UserVerdict;
  /** The setting that decided it, when one did. */
  at?: Located<string>;
  /** Human explanation of how the verdict was reached (ARG default, inherited stage, pod level). */
  how?: string;
  /**
   * Dockerfile, verdict `unset`: the base image whose default user applies (the `FROM` of the
   * stage the chain starts from), so that an image the project builds itself can be followed.
   */
  baseImage?: string;
}

/**
 * What the configuration says about the workload beyond privilege settings: the inputs for
 * inferring what a `privileged` container really needs (knowledge/hints.ts).
 */
export interface ContainerHints {
  /** Device entries as written (`/dev/net/tun`, `/dev/ttyUSB0:/dev/ttyUSB0:rwm`); Kubernetes: hostPath volumes under /dev. */
  devices: string[];
  /** Host paths of bind mounts (Compose, devcontainer) and hostPath volumes the container mounts (Kubernetes). */
  volumes: string[];
  /** Sysctls as `name=value` (or `name` when no value is written). */
  sysctls: string[];
  /** Ports the container listens on (container side of a mapping; Kubernetes containerPort/hostPort). */
  ports: number[];
  env: Record<string, string>;
  /** Entrypoint and command (Kubernetes: command and args), joined with spaces. */
  command: string;
  /** `network_mode` / `--network`; `host` for Kubernetes `hostNetwork: true`. */
  networkMode?: string;
}

/** A host namespace a workload shares instead of getting its own. */
export type HostNamespaceKind = 'pid' | 'ipc' | 'uts' | 'cgroup' | 'network' | 'user';

/**
 * A setting that puts the workload in one of the host's namespaces. `value` says which one;
 * `field` is the setting as the format spells it (`pid`, `network_mode`, `userns_mode`,
 * `hostPID`, `hostNetwork`, `runArgs`); `span` is the whole setting (`pid: host`,
 * `hostPID: true`, the runArgs element(s) `"--pid=host"` or `"--pid", "host"`) and
 * `valueSpan` its value (`host`, `true`, `host` inside the string when it has no escapes).
 * Only settings that really share the host namespace are listed (`pid: host`, not
 * `pid: service:db`; `hostPID: true`, not `false`).
 */
export type HostNamespace = Located<HostNamespaceKind>;

/** Where an effective confinement setting comes from. */
export type ConfinementSource =
  /** Kubernetes container `securityContext` (`seccompProfile`, `appArmorProfile`, `seLinuxOptions`). */
  | 'container'
  /** Kubernetes pod `spec.securityContext`, inherited because the container sets none. */
  | 'pod'
  /** A legacy Kubernetes annotation (container-specific or, for seccomp, pod-wide), used because no field is set. */
  | 'annotation'
  /** Compose `security_opt`, devcontainer `securityOpt`. */
  | 'security_opt'
  /** devcontainer `runArgs` `--security-opt`. */
  | 'runArgs';

/**
 * The effective seccomp / AppArmor / SELinux setting of a container, normalised:
 * - seccomp: `unconfined`, `runtime/default` (Kubernetes RuntimeDefault, annotation
 *   `runtime/default` or `docker/default`), `localhost/<profile>` (Kubernetes Localhost and
 *   its localhostProfile, or the annotation), else the Docker value as written (a profile path,
 *   `builtin`, `default`).
 * - apparmor: `unconfined`, `runtime/default`, `localhost/<profile>`, else the Docker profile name.
 * - selinux: `disable` (Docker `label=disable`, `label:disable`, bare `disable`), `type:<t>`
 *   (Docker `label=type:<t>`, Kubernetes `seLinuxOptions.type`), else the Docker label value as
 *   written after `label=` (`user:U`, `role:R`, `level:L`).
 *
 * `span` is the setting that decided it (the `security_opt` item, the runArgs element(s), the
 * Kubernetes `type: Unconfined` pair, the annotation pair; a Kubernetes profile without a
 * `type` is ignored); `valueSpan` the value as written (`Unconfined`, `unconfined`, the whole
 * option for Docker items, the option inside a runArgs string). `field` names it (`security_opt`, `securityContext.seccompProfile.type`,
 * `spec.securityContext.appArmorProfile.type`, `metadata.annotations`, `runArgs`).
 * Kubernetes: a container field wins over the pod field, and any field wins over an annotation
 * (the container's annotation before the pod-wide seccomp one). Docker: the last option of a
 * kind wins; for SELinux `disable` wins over a label, and a `type:` label over other labels.
 */
export interface Confinement extends Located<string> {
  source: ConfinementSource;
}

/** How a host path reaches the container. */
export type MountForm =
  /** Compose short (`/src:/dst:ro`) or long (`type: bind`) volume syntax; devcontainer `mounts` object or runArgs `-v`/`--volume`. */
  | 'bind'
  /** A Kubernetes hostPath volume. */
  | 'hostPath'
  /** A Dockerfile `VOLUME` argument: a path inside the image, not a host path. */
  | 'volume-instruction'
  /** Compose `use_api_socket: true` (devcontainer runArgs `--use-api-socket`): the Docker socket and the user's credentials. */
  | 'api-socket'
  /** A `--mount` style string: devcontainer `mounts` strings, runArgs `--mount`. */
  | 'mount-string';

/**
 * A host path mounted into the container (or, for `volume-instruction`, a path inside the image).
 * `value` is the host source path normalised: `//` collapsed to `/` and trailing slashes
 * dropped (`/` stays `/`); relative paths (`./data`, `../x`, `~/x`) stay as written with
 * `relative: true`; a Compose `${VAR:-default}` is replaced by its default.
 * `span`: Compose the whole volume list item (short string or long map) or the
 * `use_api_socket: true` pair; Kubernetes the hostPath volume (the `spec.volumes` item);
 * devcontainer the `mounts` item or the runArgs element(s); Dockerfile the VOLUME argument.
 * `valueSpan`: the source path as written (inside the string when it has no escapes), the
 * hostPath `path` value, or `true` for `use_api_socket`.
 * Only bind mounts of host paths are listed: named volumes, tmpfs and `type=volume` are not.
 */
export interface Mount extends Located<string> {
  /** The path inside the container, when written (Compose/devcontainer target, Kubernetes mountPath). */
  target?: string;
  /** `ro` / `read_only: true` / `readOnly: true` / `readonly`; Kubernetes: from this container's volumeMount. */
  readOnly: boolean;
  /** How the mount is written (not `via`: Located.via is the alias use site). */
  form: MountForm;
  /** Kubernetes `hostPath.type` as written (`Socket`, `CharDevice`, `DirectoryOrCreate`…). */
  hostPathType?: string;
  /** The source is relative (`./data`, `../x`, `~/x`): resolved against the project directory, not checked here. */
  relative?: boolean;
}

/** What the engine learnt from the Dockerfile a Compose `build:` names (cross-file check). */
export interface BuildImage {
  /** The Dockerfile's path as it was read (the compose file's folder + context + dockerfile). */
  path: string;
  /**
   * The same, relative to the compose file's folder with `/` separators (`logstash/Dockerfile`,
   * `../app/Dockerfile`): what messages show, so they do not carry the machine's absolute paths.
   */
  shownPath?: string;
  /** The final stage's user verdict in that Dockerfile. */
  user: UserSetting;
  /** Where in the Dockerfile the verdict comes from: the USER instruction, else the final stage's FROM. */
  span: Span;
  range: LineRange;
  /**
   * What in the Dockerfile shows that a process gains privilege on exec (`runs setcap`, `sets a
   * setuid bit`, `installs sudo`): no-new-privileges would stop it, so adding it is not a safe fix.
   */
  setuid?: string;
}

/** A Compose `build:` as written: nothing is resolved on disk. */
export interface BuildSpec {
  /** `build: ./dir` or `build.context`; `.` when a build map has no context. */
  context: string;
  /** `build.dockerfile` when written (relative to the context). */
  dockerfile?: string;
  /** `build.target` when written: the stage built, instead of the last one. */
  target?: string;
}

export interface Container {
  kind: FileKind;
  /** Short name: service name, container name, stage name, `devcontainer`. */
  name: string;
  /** Name for messages: `service "web"`, `container "app" in Deployment/api`, `final stage`. */
  label: string;
  /** Where findings about something missing are reported. */
  anchor: Span;
  image?: Located<string>;
  /** Every setting that makes the container (or a build step) privileged, with its value. */
  privileged: Located<boolean>[];
  /** `no-new-privileges` (Docker) or `!allowPrivilegeEscalation` (Kubernetes); undefined when not set. */
  noNewPrivileges?: Located<boolean>;
  /** Whether no-new-privileges exists for this kind of file at all (not for Dockerfiles). */
  supportsNoNewPrivileges: boolean;
  user: UserSetting;
  /** devcontainer `remoteUser`: the user tools and terminals run as. */
  remoteUser?: Located<string>;
  capAdd: CapabilityRef[];
  capDrop: CapabilityRef[];
  securityOpt: Located<string>[];
  /** Workload hints for the privileged replacement; absent where the format has none (Dockerfile). */
  hints?: ContainerHints;
  /**
   * Effective seccomp profile; undefined when nothing is written (Docker then applies its default
   * profile unless privileged; Kubernetes runs Unconfined unless the kubelet's seccompDefault is on).
   */
  seccomp?: Confinement;
  /** Effective AppArmor profile; undefined when nothing is written. */
  apparmor?: Confinement;
  /** Effective SELinux setting (see Confinement); undefined when nothing is written. */
  selinux?: Confinement;
  /** SELinux user: Kubernetes `seLinuxOptions.user` (effective: container map, else pod map), Docker `label=user:<u>`. */
  seLinuxUser?: Located<string>;
  /** SELinux role: Kubernetes `seLinuxOptions.role` (effective like seLinuxUser), Docker `label=role:<r>`. */
  seLinuxRole?: Located<string>;
  /**
   * Settings that unmask /proc and /sys or make cgroupfs writable, value as written:
   * `systempaths=unconfined`, `writable-cgroups=true` / `writable-cgroups:true` / bare
   * `writable-cgroups` (security_opt, securityOpt, runArgs --security-opt), Kubernetes
   * `procMount` with any value but `Default` (`Unmasked`; field `securityContext.procMount`).
   */
  unmasked: Located<string>[];
  /** Host paths mounted in (and Dockerfile VOLUME paths), in file order. Kubernetes hostPath volumes under /dev are here, not in devices. */
  mounts: Mount[];
  /**
   * Host devices, value = the host path (`/dev/ttyUSB0`, `/dev`; a CDI name such as
   * `nvidia.com/gpu=all` as written). Compose `devices` (short `HOST[:CONT[:perm]]`, long
   * `source`), devcontainer runArgs `--device`. span = the item / element(s), valueSpan = the host part.
   */
  devices: Located<string>[];
  /** Device cgroup rules as written (`c 189:* rmw`, `a *:* rwm`): Compose `device_cgroup_rules`, runArgs `--device-cgroup-rule`. */
  deviceCgroupRules: Located<string>[];
  /** Compose `read_only`, Kubernetes `securityContext.readOnlyRootFilesystem`, runArgs `--read-only[=bool]`; undefined when not written. */
  readOnlyRootFilesystem?: Located<boolean>;
  /** Kubernetes `ports[*].hostPort` values that are not 0 (span = the `hostPort: n` pair). Empty for other formats. */
  hostPorts: Located<number>[];
  /** Compose `build:` (span = the pair, valueSpan = its value); undefined elsewhere. */
  build?: Located<BuildSpec>;
  /** Compose `runtime` (`runsc`, `sysbox-runc`, `nvidia`). */
  runtime?: Located<string>;
  /**
   * Kubernetes non-empty `host` of `livenessProbe` / `readinessProbe` / `startupProbe`
   * `httpGet`/`tcpSocket` and `lifecycle.postStart`/`preStop` `httpGet`/`tcpSocket`
   * (PSS hostProbesAndHostLifecycle); field e.g. `livenessProbe.httpGet.host`, span = the `host:` pair.
   */
  probeHosts: Located<string>[];
  /** Kubernetes container `securityContext.windowsOptions.hostProcess` as written on the container (the pod-level one is on Workload). */
  windowsHostProcess?: Located<boolean>;
  /** Kubernetes `securityContext.runAsNonRoot` as written on the container itself (the pod's is on Workload); for the PSS runAsNonRoot control. */
  runAsNonRoot?: Located<boolean>;
  /** Kubernetes `securityContext.runAsUser` as written on the container itself; for the PSS runAsUser control. */
  runAsUser?: Located<number>;
  /**
   * The user of the image a Compose `build:` produces, read by the engine from that
   * Dockerfile (LintOptions.readFile) — never by an adapter. Undefined when there is no
   * build, no readFile, or the Dockerfile could not be read.
   */
  buildImage?: BuildImage;
  /**
   * The other files this container's settings were merged from (a Compose file set, an `extends`
   * with `file:`): shown as related information with every finding on it. Set by the project view.
   */
  related?: RelatedInfo[];
  /**
   * Set when what is missing from this container is reported in another file (a dev container
   * using `dockerComposeFile`: its service in the Compose file): findings on `anchor` are dropped here.
   */
  missingReportedIn?: string;
  /**
   * A container judged merged with a Kustomize patch: the base container as the base's own file
   * has it, and which of the two files is linted. A missing setting the base alone lacks too is
   * reported on the base; one only the merge lacks (the patch takes it away, e.g. a
   * `capabilities.drop` list that replaces `[ALL]`) on the patch.
   */
  base?: { container: Container; workload: Workload; linted: 'patch' | 'base' };
  /**
   * devcontainer.json only: the compiled-language toolchain whose debugger the dev container is
   * set up for (`C/C++`, `Go`, `Rust`), and what says so (`image mcr.microsoft.com/devcontainers/go`,
   * `Feature ghcr.io/devcontainers/features/rust`, `extension golang.go`). Debuggers (gdb, lldb,
   * delve) need ptrace and a seccomp profile that allows personality(ADDR_NO_RANDOMIZE).
   */
  debugToolchain?: { name: string; evidence: string };
  /** Adapter-private handle for the writer (the service map, the container map…). */
  ref?: unknown;
}

/** Kubernetes `spec.securityContext` confinement settings, as written at pod level. */
export interface PodConfinement {
  /** `seccompProfile` (normalised as in Confinement). */
  seccomp?: Confinement;
  /** `appArmorProfile`. */
  apparmor?: Confinement;
  /** `seLinuxOptions.type` as `type:<t>`. */
  selinux?: Confinement;
  /** `seLinuxOptions.user`. */
  seLinuxUser?: Located<string>;
  /** `seLinuxOptions.role`. */
  seLinuxRole?: Located<string>;
}

export interface Workload {
  kind: FileKind;
  /** `web`, `Deployment/api`, `Dockerfile`, `devcontainer`. */
  name: string;
  anchor: Span;
  containers: Container[];
  /** Host namespaces the workload shares (Compose/devcontainer: the one container's; Kubernetes: the pod's). */
  hostNamespaces: HostNamespace[];
  /** Kubernetes `spec.hostUsers` (false = the pod gets its own user namespace); undefined when not written. */
  hostUsers?: Located<boolean>;
  /**
   * Sysctl names: Kubernetes `spec.securityContext.sysctls[*].name` (span = the list item,
   * valueSpan = the name), Compose `sysctls` (map key or `name=value` item; span = the pair or item,
   * valueSpan = the name). Compose lists them across extends, nearest first, each name once.
   */
  sysctls: Located<string>[];
  /** Kubernetes `spec.volumes[*]` source types (`hostPath`, `configMap`, `emptyDir`…): span = the volume item, valueSpan = the type key. */
  volumeTypes: Located<string>[];
  /** Kubernetes hostPath volumes no container mounts (form `hostPath`, readOnly false, no target), so a rule can still report them once. */
  unmountedHostPaths: Mount[];
  /**
   * Host paths the workload mounts into every container it runs, written once at the workload
   * level: a Quadlet `.pod` unit's `Volume=` (and `--volume` in its PodmanArgs), which Podman
   * mounts into each container of the pod; a `.build` unit's `Volume=`, mounted into each RUN
   * step. Rules report each once, where it is written, as a mount of the workload. Undefined where
   * the format has none.
   */
  sharedMounts?: Mount[];
  /** Kubernetes pod `spec.securityContext.windowsOptions.hostProcess`; undefined when not written. */
  windowsHostProcess?: Located<boolean>;
  /** Kubernetes pod `spec.securityContext.runAsNonRoot` as written (PSS checks the pod level on its own). */
  podRunAsNonRoot?: Located<boolean>;
  /** Kubernetes pod `spec.securityContext.runAsUser` as written. */
  podRunAsUser?: Located<number>;
  /** Set when what the workload lacks is reported elsewhere (a Kustomize patch: on its base): findings on `anchor` are dropped here. */
  missingReportedIn?: string;
  /** Kubernetes `spec.os.name` (`linux`, `windows`): Windows pods are exempt from some restricted controls. */
  os?: Located<string>;
  /**
   * Kubernetes pod-level confinement as written in `spec.securityContext` (source `pod`),
   * whatever the containers override: PSS checks the pod level on its own. The containers'
   * effective settings are on Container.
   */
  podConfinement?: PodConfinement;
  /**
   * Whether the workload gets its own user namespace, where the file says so beyond
   * hostNamespaces: a Quadlet user unit (`~/.config/containers/systemd/…`) runs under rootless
   * Podman (own: true), a system unit under rootful Podman (own: false); `UserNS=auto` or
   * `--userns=auto` give an own namespace either way. Undefined when the file cannot say.
   */
  userNamespace?: { own: boolean; how: string };
  ref?: unknown;
}

/** A plain text edit on the original text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
  /**
   * `safe`: `--fix`, fix-all and fix-on-save may apply it unattended. `suggestion`: offered as a
   * quick-fix, applied by the CLI only with `--unsafe-fixes` (fix-policy.ts decides, per finding).
   */
  kind: 'safe' | 'suggestion';
  /** For a suggestion: what to check before applying it. */
  check?: string;
  /** The fix intent it was written from (`remove-setting`, `enable-no-new-privileges`…): the row of the fix policy that decided its kind. */
  intent?: string;
  /** The first safe fix: the one `--fix` and fix-all apply. At most one per finding, never a suggestion. */
  preferred?: boolean;
}

/** A 0-based line/character range (UTF-16), for places in another file than the finding's. */
export interface LineRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface RelatedInfo {
  /** In the finding's own file; in `path`'s file when that is set. */
  span: Span;
  message: string;
  /**
   * Another file (a Compose service's Dockerfile): its path as the engine was given it
   * (absolute, or a URI), with `range` for the edges, which do not have its text.
   */
  path?: string;
  /** The place in `path`'s file. */
  range?: LineRange;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** One sentence, at most about 120 characters: what is wrong and where (the service, the container, the capability). */
  message: string;
  /** The why and the how (what an attacker gets, what to write instead), for hover, --explain, JSON and SARIF. */
  detail?: string;
  span: Span;
  fixes: Fix[];
  related?: RelatedInfo[];
}

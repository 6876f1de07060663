/**
 * The one model every adapter produces and every rule reads: workloads and their
 * containers, each setting kept with the span of text it came from.
 * Spans are UTF-16 offsets into the original text (the same offsets LSP's
 * TextDocument uses), converted to lines and columns only at the edge.
 */

export type FileKind = 'dockerfile' | 'compose' | 'kubernetes' | 'devcontainer';
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
  /** Adapter-private handle for the writer (the service map, the container map…). */
  ref?: unknown;
}

export interface Workload {
  kind: FileKind;
  /** `web`, `Deployment/api`, `Dockerfile`, `devcontainer`. */
  name: string;
  anchor: Span;
  containers: Container[];
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
  /** The fix `--fix` and fix-all apply. At most one per finding. */
  preferred?: boolean;
}

export interface RelatedInfo {
  span: Span;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  fixes: Fix[];
  related?: RelatedInfo[];
}

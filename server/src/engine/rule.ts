/**
 * The rule contract (ESLint's shape, format-agnostic): a rule reads the model and
 * reports findings with fix intents; writers turn intents into text edits per format.
 */
import type { Inference } from './knowledge/hints';
import type { CapabilityRef, Container, FileKind, Located, Mount, RelatedInfo, Severity, SeverityOrOff, Span, Workload } from './model';
import type { Profile } from './pss';

/** What a fix should achieve, said in the model's terms; each format's writer knows how. */
export type FixIntent =
  /** Remove a privileged setting (or override it to false when it comes from a shared anchor). */
  | { type: 'remove-privileged'; target: Located<boolean> }
  /** Turn no-new-privileges on (Docker) / allowPrivilegeEscalation off (Kubernetes). */
  | { type: 'enable-no-new-privileges' }
  /** Make the container run as a non-root uid. */
  | { type: 'set-non-root-user'; uid: number }
  /** Remove one capability from an add list (the list too, if it empties). */
  | { type: 'remove-capability'; cap: CapabilityRef }
  /**
   * Remove a privileged setting and add what the inference says the workload needs
   * (capabilities, devices, sysctls, security options), merged into the lists already there.
   */
  | { type: 'replace-privileged'; target: Located<boolean>; inference: Inference }
  /** Remove a privileged setting, drop every capability and turn no-new-privileges on. */
  | { type: 'least-privilege'; target: Located<boolean> }
  /**
   * Remove one setting where it is written: a pair (`pid: host`, `hostPID: true`,
   * `use_api_socket: true`), a list item (a volume, a device, a `security_opt` entry, a
   * sysctl), the runArgs element(s) of a flag, a Dockerfile VOLUME argument. No fix (null)
   * when the setting is not written in this service's / pod's own map (it comes through an
   * anchor, a merge key or `extends`), or when removing it is not a minimal edit
   * (a Kubernetes hostPath volume and its mounts).
   */
  | { type: 'remove-setting'; target: Located<unknown> }
  /**
   * Confine the container with the runtime's default profile: Docker formats drop the
   * `seccomp=unconfined` / `apparmor:unconfined` entries (the default then applies);
   * Kubernetes sets `type: RuntimeDefault` on the deciding profile (or the annotation to
   * `runtime/default`), or adds it to the container's securityContext when none is set.
   */
  | { type: 'set-confinement'; which: 'seccomp' | 'apparmor'; value: 'runtime/default' }
  /** Drop every capability, keeping the explicit adds: Compose `cap_drop: [ALL]`, Kubernetes `capabilities.drop: [ALL]`, runArgs `--cap-drop=ALL`. */
  | { type: 'add-drop-all' }
  /** Read-only root filesystem: Compose `read_only: true`, Kubernetes `readOnlyRootFilesystem: true`, runArgs `--read-only`. */
  | { type: 'set-read-only-root' }
  /** Make one host mount read-only (`:ro`, `read_only: true`, volumeMount `readOnly: true`, `,readonly`). */
  | { type: 'set-mount-read-only'; mount: Mount }
  /** Kubernetes: give the pod its own user namespace (`hostUsers: false`). */
  | { type: 'set-host-users-false' };

export interface EngineSettings {
  /** The uid a `no-root-user` fix writes. */
  nonRootUid: number;
  /** `default`, or a Pod Security Standards level reproduced exactly (see pss.ts). */
  profile: Profile;
}

export interface ReportDescriptor<M extends string> {
  at: Span | Located<unknown>;
  messageId: M;
  data?: Record<string, string | number>;
  fixes?: FixIntent[];
  /**
   * No fix is safe enough for `--fix` and fix-all: offer them as quick-fixes only.
   * (Default: the first fix that materialises is the preferred one.)
   */
  noPreferredFix?: boolean;
  related?: RelatedInfo[];
  /**
   * Lowers this finding's severity below the configured one (a read-only mount: `warning`
   * where the rule is an `error`). Never raises it: the finding gets the less severe of the
   * two, and a rule that is `off` stays off.
   */
  severity?: Severity;
}

export interface RuleContext<M extends string> {
  settings: EngineSettings;
  /** The workload being checked (for checkContainer: the one the container belongs to, with pod-level settings such as hostUsers). */
  workload: Workload;
  report(descriptor: ReportDescriptor<M>): void;
}

export interface RuleMeta<M extends string> {
  /** One line, for docs and listings. */
  description: string;
  defaultSeverity: SeverityOrOff;
  /** Severity under a profile, where it differs from defaultSeverity (e.g. on only in `restricted`). */
  profileSeverity?: Partial<Record<Profile, SeverityOrOff>>;
  /**
   * Message templates with `{{name}}` placeholders: one sentence of at most about 120
   * characters (MESSAGE_MAX_LENGTH) saying what is wrong and where, no explanation.
   */
  messages: Record<M, string>;
  /**
   * For each message, the why and the how (what it lets a process do, what to write
   * instead), formatted with the same data: shown in the hover, --explain, JSON and SARIF.
   */
  details: Record<M, string>;
  /** The file kinds the rule has something to say about. */
  kinds: FileKind[];
  fixable: boolean;
  /** Standards and peer ids the rule maps to, for docs and SARIF. */
  standards: string[];
  /** Two sentences on the risk, for hover. */
  risk: string;
  /** What the fix does, for hover. */
  fixDescription?: string;
}

export interface Rule<M extends string = string> {
  id: string;
  meta: RuleMeta<M>;
  checkContainer?(container: Container, context: RuleContext<M>): void;
  checkWorkload?(workload: Workload, context: RuleContext<M>): void;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

/** The length a message should stay within (the Problems panel shows about this much on one line). */
export const MESSAGE_MAX_LENGTH = 120;

/** `Container "app" in Deployment/api` → `"app" in Deployment/api`: a quoted name in a workload already says it is a container. */
export function withoutContainerWord(text: string): string {
  return text.replace(/^(?:Init |Ephemeral )?[Cc]ontainer (?=")/, '');
}

/**
 * Long names in a message end in an ellipsis: a quoted container name or a `Kind/name` workload
 * longer than keepPlain + 1 characters keeps keepPlain (keepAction when it holds a Helm action,
 * which reads badly cut short).
 */
export function clipNames(text: string, keepPlain = 15, keepAction = 32): string {
  const cut = (name: string) => {
    const keep = name.includes('{{') ? keepAction : keepPlain;
    return name.length > keep + 1 ? `${name.slice(0, keep)}…` : name;
  };
  const quoted = text.replace(/"([^"]+)"/g, (_, name: string) => `"${cut(name)}"`);
  // `Kind/name`: the name runs to a blank, a quote or a slash, except inside a `{{ … }}` action.
  let out = '';
  let last = 0;
  for (const m of quoted.matchAll(/\b[A-Z]\w+\//g)) {
    const start = (m.index ?? 0) + m[0].length;
    if (start <= last) continue;
    let end = start;
    while (end < quoted.length) {
      if (quoted.startsWith('{{', end)) {
        const close = quoted.indexOf('}}', end + 2);
        if (close < 0) break;
        end = close + 2;
      } else if (/[\s"/]/.test(quoted.charAt(end))) break;
      else end++;
    }
    out += quoted.slice(last, start) + cut(quoted.slice(start, end));
    last = end;
  }
  return out + quoted.slice(last);
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}

export const DOCS_BASE = 'https://github.com/container-privilege-lint/container-privilege-lint/blob/main/server/docs/rules/';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}

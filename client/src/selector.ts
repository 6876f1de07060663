/**
 * What the client hands to the server. The server decides the kind of each file (Dockerfile,
 * Compose, Kubernetes, devcontainer.json) from its name and content, so the selector is broad:
 * every language id these files get in VS Code 1.100 (compose files are `dockercompose`,
 * devcontainer.json is `jsonc`), plus file-name patterns for files another extension claimed.
 */
import type { DocumentFilter } from 'vscode-languageclient';

/** The id of the client: `trace.server` is read from `containerPrivilegeLint.trace.server`. */
export const CLIENT_ID = 'containerPrivilegeLint';
export const CLIENT_NAME = 'Container Privilege Lint';
/** The settings section the server pulls with workspace/configuration. */
export const SETTINGS_SECTION = 'containerPrivilegeLint';

export const COMMANDS = {
  scanWorkspace: 'containerPrivilegeLint.scanWorkspace',
  restartServer: 'containerPrivilegeLint.restartServer',
  showOutput: 'containerPrivilegeLint.showOutput',
} as const;

/** Commands the client registers itself; the server may advertise the same id for executeCommand. */
export const CLIENT_COMMANDS: ReadonlySet<string> = new Set(Object.values(COMMANDS));

/**
 * `systemd-unit-file` and `quadlet`: the ids the systemd and Quadlet extensions give Quadlet
 * units; `shellscript` and `makefile` (built in) and `github-actions-workflow` (the GitHub
 * Actions extension) for files with run commands.
 */
export const LANGUAGES = ['dockerfile', 'dockercompose', 'yaml', 'json', 'jsonc', 'systemd-unit-file', 'quadlet', 'shellscript', 'makefile', 'github-actions-workflow'] as const;

export const FILE_PATTERNS = [
  '**/Dockerfile*',
  '**/Containerfile*',
  '**/*.dockerfile',
  '**/devcontainer.json',
  '**/.devcontainer.json',
  // Podman Quadlet units (plain text unless a systemd or Quadlet extension is installed).
  '**/*.container',
  '**/*.pod',
  '**/*.kube',
  '**/*.build',
  // Run commands: shell scripts, Makefiles, CI files.
  '**/*.sh',
  '**/*.bash',
  '**/{Makefile,makefile,GNUmakefile,*.mk}',
  '**/.github/workflows/*.{yml,yaml}',
  '**/.gitlab-ci.{yml,yaml}',
] as const;

export function documentSelector(): DocumentFilter[] {
  const selector: DocumentFilter[] = [];
  for (const scheme of ['file', 'untitled']) {
    for (const language of LANGUAGES) selector.push({ scheme, language });
  }
  for (const pattern of FILE_PATTERNS) selector.push({ scheme: 'file', pattern });
  return selector;
}

/**
 * The names this server shares with its clients: command ids, the settings section,
 * the diagnostic source and the fix-all code action kind.
 */
export const SOURCE = 'container-privilege-lint';
export const SETTINGS_SECTION = 'containerPrivilegeLint';
export const FIX_ALL_KIND = 'source.fixAll.container-privilege-lint';

export const Commands = {
  showDocumentation: 'containerPrivilegeLint.showDocumentation',
  scanWorkspace: 'containerPrivilegeLint.scanWorkspace',
} as const;

/** Finding ids that are not rules: they have no documentation page and cannot be disabled per line. */
export const NON_RULE_IDS: ReadonlySet<string> = new Set(['parse-error', 'skipped', 'unused-suppression', 'capped']);


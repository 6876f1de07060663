/** Every rule, by id (sorted). */
import type { Rule } from '../rule';
import noPrivileged from './no-privileged';
import noRiskyCapabilities from './no-risky-capabilities';
import noRootUser from './no-root-user';
import requireNoNewPrivileges from './require-no-new-privileges';

export const rules: readonly Rule[] = [noPrivileged, noRiskyCapabilities, noRootUser, requireNoNewPrivileges];

export const ruleById: ReadonlyMap<string, Rule> = new Map(rules.map((r) => [r.id, r]));

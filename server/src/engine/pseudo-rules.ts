/**
 * Findings that do not come from a rule: the engine's own reports. They have help like the
 * rules do (SARIF rule help, hover, docs), so a reader of `skipped` or `parse-error` learns
 * what happened and what to do about it.
 */
import type { Severity } from './model';

export interface PseudoRule {
  id: 'parse-error' | 'skipped' | 'unused-suppression';
  /** One line. */
  description: string;
  /** What it means and what to do, as plain text. */
  help: string;
  severity: Severity;
}

export const PSEUDO_RULES: readonly PseudoRule[] = [
  {
    id: 'parse-error',
    description: 'The file could not be parsed, so it was analysed only in part or not at all.',
    help: 'The parser rejected the text at the reported place. In a YAML file with several documents, only the broken document is skipped; the others are analysed. A devcontainer.json syntax error or a Dockerfile with no instructions stops the whole file. Fix the syntax (the message quotes the parser), then lint again: until then, no finding in the skipped part can be trusted to be complete.',
    severity: 'error',
  },
  {
    id: 'skipped',
    description: 'The file was deliberately not analysed (too large, binary, or an unrendered template).',
    help: 'Nothing in the file was checked. Too large: raise maxFileSize (setting containerPrivilegeLint.maxFileSize or the config file\'s maxFileSize) or exclude the file. Binary: exclude it if its name matched by mistake. Unrendered template ({{ … }}): render it first (helm template … > rendered.yaml) and lint the output.',
    severity: 'info',
  },
  {
    id: 'unused-suppression',
    description: 'A container-privilege-lint suppression comment that suppresses nothing.',
    help: 'The comment names a rule that reports nothing on the line it covers (the finding was fixed, or the rule id is misspelt). Remove the comment, or correct the rule id, so a later finding there is not hidden by accident.',
    severity: 'warning',
  },
];

export const pseudoRuleById: ReadonlyMap<string, PseudoRule> = new Map(PSEUDO_RULES.map((r) => [r.id, r]));

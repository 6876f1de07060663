/**
 * Engine configuration: rule severities and the few settings fixes need.
 * The config file (`.container-privilege-lint.yaml` / `.json`) is read by the edges
 * (CLI, server); the engine receives the resolved object.
 */
import type { SeverityOrOff } from './model';
import type { Profile } from './pss';

export interface EngineConfig {
  /** Severity per rule id; rules not listed keep their default. */
  rules: Record<string, SeverityOrOff>;
  /** The uid the no-root-user fixes write. */
  nonRootUid: number;
  /** Files larger than this (in characters) are skipped with an info finding. */
  maxFileSize: number;
  /** `default`, `baseline` or `restricted` (Pod Security Standards, exactly). */
  profile: Profile;
}

export const DEFAULT_CONFIG: EngineConfig = {
  rules: {},
  nonRootUid: 10001,
  maxFileSize: 10 * 1024 * 1024,
  profile: 'default',
};

export function resolveConfig(partial?: Partial<EngineConfig>): EngineConfig {
  return {
    rules: { ...DEFAULT_CONFIG.rules, ...(partial?.rules ?? {}) },
    nonRootUid: partial?.nonRootUid ?? DEFAULT_CONFIG.nonRootUid,
    maxFileSize: partial?.maxFileSize ?? DEFAULT_CONFIG.maxFileSize,
    profile: partial?.profile ?? DEFAULT_CONFIG.profile,
  };
}

export const SEVERITIES: readonly SeverityOrOff[] = ['off', 'info', 'warning', 'error'];

export function isSeverity(value: unknown): value is SeverityOrOff {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

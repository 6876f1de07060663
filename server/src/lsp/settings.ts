/**
 * Settings under `containerPrivilegeLint`, pulled per resource with workspace/configuration
 * and cached per URI until the client says they changed. Nothing is kept in globals
 * (vscode-eslint's rule): every consumer asks for the settings of its resource.
 * Clients without workspace/configuration get the settings from didChangeConfiguration
 * or initializationOptions instead.
 */
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_CONFIG, isSeverity } from '../engine/config';
import type { SeverityOrOff } from '../engine/model';
import { isProfile } from '../engine/pss';
import type { Profile } from '../engine/pss';
import { SETTINGS_SECTION } from './protocol';

export interface ServerSettings {
  enable: boolean;
  /** Severity per rule id, over the config file's. */
  rules: Record<string, SeverityOrOff>;
  scanOnStartup: boolean;
  /** Globs, relative to the workspace folder, the workspace scan skips. */
  exclude: string[];
  fixOnSave: boolean;
  /**
   * The uid no-root-user fixes write, when the user chose one. A value equal to the
   * built-in default counts as not chosen (clients send defaults for unset settings),
   * so the config file's value wins over it.
   */
  nonRootUid?: number;
  /** Same rule as nonRootUid. */
  maxFileSize?: number;
  /**
   * `baseline` or `restricted` when the user chose one. `default` counts as not chosen, as
   * for nonRootUid (clients send the default for an unset setting), so a config file's
   * `profile` wins over it.
   */
  profile?: Profile;
  /** At most this many diagnostics per file, the most severe first (0: all). */
  maxDiagnostics?: number;
}

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  enable: true,
  rules: {},
  scanOnStartup: true,
  exclude: [],
  fixOnSave: false,
});

/** Turns whatever the client sent into settings, ignoring values of the wrong type. */
export function normalizeSettings(raw: unknown): ServerSettings {
  const s = isObject(raw) ? raw : {};
  const rules: Record<string, SeverityOrOff> = {};
  if (isObject(s.rules)) {
    for (const [id, sev] of Object.entries(s.rules)) if (isSeverity(sev)) rules[id] = sev;
  }
  const maxDiagnostics = typeof s.maxDiagnostics === 'number' && Number.isInteger(s.maxDiagnostics) && s.maxDiagnostics > 0 ? s.maxDiagnostics : undefined;
  return {
    ...(maxDiagnostics !== undefined ? { maxDiagnostics } : {}),
    enable: typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable,
    rules,
    scanOnStartup: typeof s.scanOnStartup === 'boolean' ? s.scanOnStartup : DEFAULT_SETTINGS.scanOnStartup,
    exclude: Array.isArray(s.exclude) ? s.exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [],
    fixOnSave: typeof s.fixOnSave === 'boolean' ? s.fixOnSave : DEFAULT_SETTINGS.fixOnSave,
    nonRootUid: explicitNumber(s.nonRootUid, DEFAULT_CONFIG.nonRootUid),
    maxFileSize: explicitNumber(s.maxFileSize, DEFAULT_CONFIG.maxFileSize),
    profile: isProfile(s.profile) && s.profile !== DEFAULT_CONFIG.profile ? s.profile : undefined,
  };
}

function explicitNumber(v: unknown, builtIn: number): number | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v === builtIn) return undefined;
  return v;
}

/** The true-valued keys of a `files.exclude` object: the globs VS Code hides. */
export function filesExcludeGlobs(raw: unknown): string[] {
  if (!isObject(raw)) return [];
  return Object.entries(raw).filter(([glob, on]) => on === true && glob.trim() !== '').map(([glob]) => glob);
}

export class SettingsStore {
  private configurationSupported = false;
  private fallback: ServerSettings = normalizeSettings(undefined);
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private readonly excludeCache = new Map<string, Promise<string[]>>();

  constructor(
    private readonly connection: Connection,
    private readonly log: (message: string) => void,
  ) {}

  /** Called from onInitialize. */
  init(configurationSupported: boolean, initializationOptions: unknown): void {
    this.configurationSupported = configurationSupported;
    const fromOptions = isObject(initializationOptions) ? (initializationOptions[SETTINGS_SECTION] ?? initializationOptions.settings) : undefined;
    if (fromOptions !== undefined) this.fallback = normalizeSettings(fromOptions);
  }

  /** didChangeConfiguration: forget every cached value; take pushed settings when there are any. */
  changed(pushed: unknown): void {
    this.cache.clear();
    this.excludeCache.clear();
    if (isObject(pushed) && isObject(pushed[SETTINGS_SECTION])) this.fallback = normalizeSettings(pushed[SETTINGS_SECTION]);
  }

  forget(resource: string): void {
    this.cache.delete(resource);
  }

  get(resource: string): Promise<ServerSettings> {
    if (!this.configurationSupported) return Promise.resolve(this.fallback);
    let result = this.cache.get(resource);
    if (!result) {
      result = this.connection.workspace.getConfiguration({ scopeUri: resource, section: SETTINGS_SECTION }).then(
        (raw: unknown) => (raw === null || raw === undefined ? this.fallback : normalizeSettings(raw)),
        (e: unknown) => {
          this.log(`workspace/configuration for ${resource} failed: ${String(e)}; using defaults`);
          return this.fallback;
        },
      );
      this.cache.set(resource, result);
    }
    return result;
  }

  /** The client's `files.exclude` globs for a workspace folder ([] for clients without it). */
  filesExclude(folderUri: string): Promise<string[]> {
    if (!this.configurationSupported) return Promise.resolve([]);
    let result = this.excludeCache.get(folderUri);
    if (!result) {
      result = this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'files.exclude' }).then(filesExcludeGlobs, () => []);
      this.excludeCache.set(folderUri, result);
    }
    return result;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

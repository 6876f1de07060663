/**
 * What a format adapter gives the engine: the model, the problems it met while
 * parsing, and a writer that turns fix intents into text edits for that format.
 */
import type { Container, Edit, FileKind, Span, Workload } from '../model';
import type { EngineSettings, FixIntent } from '../rule';

export interface AdapterProblem {
  /** `parse-error` for text the parser rejects; `skipped` for input deliberately not analysed. */
  ruleId: 'parse-error' | 'skipped';
  severity: 'error' | 'warning' | 'info';
  message: string;
  span: Span;
}

export interface FixResult {
  title: string;
  edits: Edit[];
}

export interface FormatWriter {
  /** Edits that realise the intent for this container, or null when no minimal safe edit exists. */
  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null;
}

export interface ParsedFile {
  /** Undefined for a YAML file that is neither Compose nor Kubernetes. */
  kind: FileKind | undefined;
  workloads: Workload[];
  problems: AdapterProblem[];
  writer: FormatWriter;
  /** The comment leader suppression comments use in this format. */
  commentPrefix: '#' | '//';
  /**
   * What a later parse of an edited version of the same file may reuse (YAML: the parsed
   * documents by their text). Opaque to everything but the adapter that made it.
   */
  reusable?: unknown;
}

/** `previous`: the same adapter's result for an earlier version of this file, to reuse what did not change. */
export type Adapter = (text: string, path: string, previous?: ParsedFile) => ParsedFile;

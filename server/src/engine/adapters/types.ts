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
  /** The longer explanation (the parser's full message, what to do). */
  detail?: string;
  span: Span;
}

export interface FixResult {
  title: string;
  edits: Edit[];
}

export interface FormatWriter {
  /** Edits that realise the intent for this container, or null when no minimal safe edit exists. */
  apply(intent: FixIntent, container: Container, settings: EngineSettings): FixResult | null;
  /**
   * Edits for a finding on a workload that has no container of its own (a Quadlet `.pod`,
   * `.kube` or `.build` unit): a pod-level key such as `Network=host`. Absent: no such fixes.
   */
  applyToWorkload?(intent: FixIntent, workload: Workload, settings: EngineSettings): FixResult | null;
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
   * Formats read in independent parts (YAML: each document range): the parts, each with its
   * model in offsets relative to its `start`. The engine runs the rules per part and keeps the
   * findings of parts a later version shares. Absent: the whole file is one part at offset 0
   * (`workloads`, `problems`, `writer`).
   */
  documents?: readonly PlacedDocument[];
  /** With `documents`: the problems that belong to no part (absolute offsets). */
  fileProblems?: AdapterProblem[];
  /** With `documents`: false when no part holds a suppression directive. */
  mayHaveDirectives?: boolean;
  /**
   * What a later parse of an edited version of the same file may reuse (YAML: the parsed
   * documents by their text). Opaque to everything but the adapter that made it.
   */
  reusable?: unknown;
  /**
   * With `documents`: where the adapter stopped at the caller's deadline, before the last part
   * (the parts from there on are missing, and a `skipped` problem says so). Parsing the same text
   * again with this result as `previous` goes on from there.
   */
  stoppedAt?: number;
}

/**
 * A part's results for one configuration (`key`), kept between lints: one slot, not a Map, since a
 * settings change replaces them; a Map per part cost 184 bytes per YAML document (#17).
 */
export interface KeptResults {
  key: string | undefined;
  value: unknown;
}

/**
 * One independently read part of a file where it sits in this version: its model, problems
 * and writer are in offsets relative to `start`; `writer` edits likewise. With `documents`,
 * ParsedFile.workloads is the parts' workloads in their relative offsets, ParsedFile.problems
 * are in absolute offsets, and ParsedFile.writer answers in absolute offsets.
 */
export interface PlacedDocument {
  start: number;
  end: number;
  workloads: Workload[];
  problems: AdapterProblem[];
  writer: FormatWriter;
  /** Where the engine keeps this part's results between lints; undefined: do not keep them (they may depend on other files). */
  cache: KeptResults | undefined;
  directives: boolean;
  /**
   * What the part's model holds, known without building it: the kinds of its workloads (the first
   * is the first workload's) and whether a container is privileged. Absent: read `workloads`.
   */
  kinds?: readonly FileKind[];
  privileged?: boolean;
  /**
   * Drops the part's parse and model once the engine has kept its findings (`cache`): `workloads`
   * and `writer` build them again from the text when next read. Only parts whose model is a
   * function of their text alone (never changed by the project view) have it.
   */
  release?(): void;
}

/** `previous`: the same adapter's result for an earlier version of this file, to reuse what did not change. */
export type Adapter = (text: string, path: string, previous?: ParsedFile, deadline?: number) => ParsedFile;

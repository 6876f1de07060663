/**
 * What the project view makes of a file another file's lint reads (a kustomization, a base
 * resource, a Compose file of the set, a build Dockerfile), kept by path and content for as long
 * as the caller keeps the memo: a workspace scan lints every member of a Compose file set or a
 * kustomization, and each would otherwise read the same files into the same models again.
 *
 * A value is reused only for the same path with the same text, so a memo never answers for a
 * changed file. By default it also remembers which files were absent, so a caller keeps one for
 * one pass over files that do not change meanwhile (a scan); the language server keeps one per open
 * document for its editing session, without that (rememberAbsent: false). The models kept are never changed by the engine: the
 * project view makes new objects for what it merges (compose-set.ts, kube-merge.ts).
 */

import type { ReadFile } from '../cross-file';

/** Texts kept in all, at most (characters): past it, the memo starts over. */
const MAX_TEXT = 32 * 1024 * 1024;

export class ProjectMemo {
  private readonly entries = new Map<string, { text: string; value: unknown }>();
  private size = 0;
  /** Paths the caller's reader found absent, by size limit: probing for kustomizations and Compose files repeats them for every file of a folder. */
  private readonly absent = new Map<number, Set<string>>();
  /** Lookups answered from the memo, and models made, by kind (what a measurement reports). */
  readonly hits = new Map<string, number>();
  readonly misses = new Map<string, number>();

  /**
   * @param options.rememberAbsent Whether reader() remembers the paths found absent (a scan's one
   *   pass: yes; an editor's session, which must see a file created meanwhile: no, and the models
   *   it keeps by content are still reused from one keystroke to the next).
   */
  constructor(private readonly options: { rememberAbsent?: boolean } = {}) {}

  /**
   * The caller's reader, asked once per path for a file it does not have (a created file is seen
   * by the next pass; an editor's file watcher lints its dependents again). Present files are read
   * every time: their models are kept by content.
   */
  reader(readFile: ReadFile, maxFileSize: number): ReadFile {
    if (this.options.rememberAbsent === false) return readFile;
    let absent = this.absent.get(maxFileSize);
    if (!absent) this.absent.set(maxFileSize, (absent = new Set()));
    const known = absent;
    return (file) => {
      if (known.has(file)) return undefined;
      const text = readFile(file);
      if (text === undefined && known.size < 100_000) known.add(file);
      return text;
    };
  }

  /** The model of `kind` for the file with this text: made once per path and text. */
  get<T>(kind: string, file: string, text: string, make: () => T): T {
    const key = `${kind}\u0000${file}`;
    const kept = this.entries.get(key);
    if (kept && kept.text === text) {
      this.hits.set(kind, (this.hits.get(kind) ?? 0) + 1);
      return kept.value as T;
    }
    this.misses.set(kind, (this.misses.get(kind) ?? 0) + 1);
    const value = make();
    if (kept) this.size -= kept.text.length;
    if (this.size + text.length > MAX_TEXT) {
      this.entries.clear();
      this.size = 0;
    }
    this.entries.set(key, { text, value });
    this.size += text.length;
    return value;
  }
}

/** Through the memo when there is one, else made on the spot. */
export function memoized<T>(memo: ProjectMemo | undefined, kind: string, file: string, text: string, make: () => T): T {
  return memo ? memo.get(kind, file, text, make) : make();
}

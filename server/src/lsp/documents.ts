/**
 * The open documents, kept in sync incrementally. Like vscode-languageserver's
 * TextDocuments, but tolerant: a change for a document that is not open, a change
 * without a version or with an older version, and malformed params are ignored
 * (and reported to the log) instead of throwing.
 */
import type { TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { LineDocument } from './line-document';
import { uriToPath } from './uri';

export interface OpenParams {
  textDocument?: { uri?: unknown; languageId?: unknown; version?: unknown; text?: unknown };
}

export interface ChangeParams {
  textDocument?: { uri?: unknown; version?: unknown };
  contentChanges?: unknown;
}

export interface CloseParams {
  textDocument?: { uri?: unknown };
}

export class DocumentStore {
  private readonly docs = new Map<string, LineDocument>();
  /** File path → the URI the client used for it, to tell whether a file on disk is open. */
  private readonly byPath = new Map<string, string>();

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri);
  }

  all(): TextDocument[] {
    return [...this.docs.values()];
  }

  /** The URI of the open document for this file path, if it is open. */
  openUriForPath(path: string): string | undefined {
    return this.byPath.get(path);
  }

  isOpenPath(path: string): boolean {
    return this.byPath.has(path);
  }

  /** Returns the opened document, or a reason it was ignored. */
  open(params: OpenParams): TextDocument | string {
    const td = params?.textDocument;
    if (!td || typeof td.uri !== 'string' || typeof td.text !== 'string') return 'didOpen without uri or text';
    const version = typeof td.version === 'number' ? td.version : 0;
    const languageId = typeof td.languageId === 'string' ? td.languageId : '';
    const doc = LineDocument.create(td.uri, languageId, version, td.text);
    this.docs.set(td.uri, doc);
    const path = uriToPath(td.uri);
    if (path) this.byPath.set(path, td.uri);
    return doc;
  }

  /** Returns the updated document, or a reason the change was ignored. */
  change(params: ChangeParams): TextDocument | string {
    const td = params?.textDocument;
    if (!td || typeof td.uri !== 'string') return 'didChange without uri';
    const doc = this.docs.get(td.uri);
    if (!doc) return `didChange for a document that is not open: ${td.uri}`;
    if (typeof td.version !== 'number') return `didChange without a version for ${td.uri}`;
    if (td.version <= doc.version) return `didChange with version ${td.version} after version ${doc.version} for ${td.uri}`;
    if (!Array.isArray(params.contentChanges)) return `didChange without contentChanges for ${td.uri}`;
    const changes = params.contentChanges.filter(isContentChange);
    if (changes.length !== params.contentChanges.length) return `didChange with malformed contentChanges for ${td.uri}`;
    // Each version is a new immutable document (analyses keep the one they read); its line starts follow the changes.
    const next = LineDocument.update(doc, changes, td.version);
    this.docs.set(td.uri, next);
    return next;
  }

  /** Returns the closed document's URI, or undefined when it was not open. */
  close(params: CloseParams): string | undefined {
    const uri = params?.textDocument?.uri;
    if (typeof uri !== 'string' || !this.docs.has(uri)) return undefined;
    this.docs.delete(uri);
    const path = uriToPath(uri);
    if (path && this.byPath.get(path) === uri) this.byPath.delete(path);
    return uri;
  }
}

function isContentChange(c: unknown): c is TextDocumentContentChangeEvent {
  if (typeof c !== 'object' || c === null || typeof (c as { text?: unknown }).text !== 'string') return false;
  const range = (c as { range?: unknown }).range;
  if (range === undefined) return true;
  return isPosition((range as { start?: unknown })?.start) && isPosition((range as { end?: unknown })?.end);
}

function isPosition(p: unknown): boolean {
  return typeof p === 'object' && p !== null && typeof (p as { line?: unknown }).line === 'number' && typeof (p as { character?: unknown }).character === 'number';
}

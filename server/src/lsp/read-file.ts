/**
 * What the language server lets the engine read beyond the document it lints (a Compose
 * service's `build:` Dockerfile): the open buffer when the file is open in the editor, else
 * the file on disk — only inside a workspace folder, never through a symbolic link (the file
 * itself must not be one, and its real path must stay inside the folder's real path), and
 * never more than the size limit. Anything else reads as "not there".
 */
import { readdirSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { ListDir, ReadFile } from '../engine';
import { readFileSafely } from '../io/read-safely';
import type { DocumentStore } from './documents';

export interface WorkspaceReadOptions {
  documents: DocumentStore;
  /** The workspace folders' paths. */
  folders(): readonly string[];
}

export function workspaceReadFile(options: WorkspaceReadOptions, maxFileSize: number): ReadFile {
  return (absolutePath) => {
    if (!path.isAbsolute(absolutePath)) return undefined;
    const file = path.normalize(absolutePath);
    const openUri = options.documents.openUriForPath(file);
    if (openUri) {
      const text = options.documents.get(openUri)?.getText();
      return text !== undefined && text.length <= maxFileSize ? text : undefined;
    }
    const folder = options.folders().find((f) => isInside(f, file));
    if (!folder) return undefined;
    const read = readFileSafely(file, { maxBytes: maxFileSize, symlinks: 'never', roots: [folder] });
    return read.ok ? read.text : undefined;
  };
}

/**
 * Lists a folder for the engine (a Helm chart's templates): only inside a workspace folder, never
 * through a symbolic link (the folder's real path must stay inside the workspace folder's, and
 * links inside it are not listed). Folder names end with `/`.
 */
export function workspaceListDir(options: WorkspaceReadOptions): ListDir {
  return (absoluteDir) => {
    if (!path.isAbsolute(absoluteDir)) return undefined;
    const dir = path.normalize(absoluteDir);
    const folder = options.folders().find((f) => isInside(f, dir) || path.relative(f, dir) === '');
    if (!folder) return undefined;
    try {
      const real = realpathSync(dir);
      const root = realpathSync(folder);
      if (real !== root && !isInside(root, real)) return undefined;
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [`${e.name}/`] : e.isFile() ? [e.name] : []));
    } catch {
      return undefined;
    }
  };
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

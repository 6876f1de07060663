/**
 * File URIs and paths. Document URIs come from the client (VS Code encodes them its own
 * way); disk paths come from the workspace scan. Comparisons go through the path.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** The local path of a file URI, or undefined for other schemes and malformed URIs. */
export function uriToPath(uri: string): string | undefined {
  if (!isFileUri(uri)) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** What the engine gets as `path`: the file path when there is one, else the URI itself. */
export function lintPath(uri: string): string {
  return uriToPath(uri) ?? uri;
}

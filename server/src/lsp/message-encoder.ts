/**
 * The JSON encoder of the stdio transport (Neovim, Helix, Emacs…), with one shortcut: a
 * publishDiagnostics whose diagnostics were made in parts (DiagnosticParts, one part per YAML
 * document) is written from each part's bytes, kept with the part. A part is the same array from
 * one version to the next while its document is untouched, so after a keystroke in a file of
 * thousands of documents only the edited document's diagnostics are turned into JSON and UTF-8
 * again; the rest is copied. Before (#16): a 4.5 MB manifest's 5 MB message was stringified and
 * encoded whole on every keystroke. Every other message is encoded as vscode-jsonrpc does it
 * (JSON.stringify, then the charset), and the bytes are the same either way.
 */
import { AbstractMessageWriter } from 'vscode-languageserver/node';
import type { Diagnostic, Message, MessageWriter } from 'vscode-languageserver/node';

/** A diagnostics array made by flattening parts: the parts (registerParts). */
const partsOf = new WeakMap<readonly Diagnostic[], readonly (readonly Diagnostic[])[]>();
/** A part's diagnostics as UTF-8 JSON, without the brackets: kept as long as the part lives. */
const bytesOf = new WeakMap<readonly Diagnostic[], Buffer>();

/** Says that `flat` is the concatenation of `parts`, in order (the encoder may write it from them). Returns `flat`. */
export function registerParts<T extends readonly Diagnostic[]>(flat: T, parts: readonly (readonly Diagnostic[])[]): T {
  if (parts.length > 1) partsOf.set(flat, parts);
  return flat;
}

const PUBLISH = 'textDocument/publishDiagnostics';
const EMPTY_TAIL = '"diagnostics":[]}}';

/** The message as UTF-8 (or `charset`) JSON bytes: the same bytes as `Buffer.from(JSON.stringify(msg), charset)`. */
export function encodeMessage(msg: Message, charset: BufferEncoding = 'utf-8'): Buffer {
  const fast = charset === 'utf-8' || charset === 'utf8' ? fromParts(msg) : undefined;
  return fast ?? Buffer.from(JSON.stringify(msg, undefined, 0), charset);
}

function fromParts(msg: Message): Buffer | undefined {
  const m = msg as { method?: unknown; params?: unknown };
  if (m.method !== PUBLISH || typeof m.params !== 'object' || m.params === null) return undefined;
  const params = m.params as Record<string, unknown>;
  const diagnostics = params.diagnostics as readonly Diagnostic[] | undefined;
  const parts = diagnostics ? partsOf.get(diagnostics) : undefined;
  if (!parts) return undefined;
  // The diagnostics must be the message's last key (as the server writes it) for the bytes to be the same.
  const keys = Object.keys(params);
  const outer = Object.keys(msg);
  if (keys[keys.length - 1] !== 'diagnostics' || outer[outer.length - 1] !== 'params') return undefined;
  const envelope = JSON.stringify({ ...msg, params: { ...params, diagnostics: [] } }, undefined, 0);
  if (!envelope.endsWith(EMPTY_TAIL)) return undefined;
  const head = Buffer.from(envelope.slice(0, envelope.length - 3), 'utf-8');
  const tail = Buffer.from(']}}', 'utf-8');
  const chunks: Buffer[] = [head];
  let length = head.length + tail.length;
  for (const part of parts) {
    if (part.length === 0) continue;
    let bytes = bytesOf.get(part);
    if (!bytes) {
      const json = Buffer.from(JSON.stringify(part, undefined, 0), 'utf-8');
      bytes = json.subarray(1, json.length - 1);
      bytesOf.set(part, bytes);
    }
    if (chunks.length > 1) {
      chunks.push(COMMA);
      length++;
    }
    chunks.push(bytes);
    length += bytes.length;
  }
  chunks.push(tail);
  return Buffer.concat(chunks, length);
}

const COMMA = Buffer.from(',', 'utf-8');

/**
 * The stdio writer: each message's header and content in one write. vscode-jsonrpc's
 * StreamMessageWriter writes the header, waits for that write to complete, then writes the
 * content: two system calls, and two reads on the client's side, for every message (#16: a fixed
 * cost on every keystroke's hover answer and publish). The bytes are the same; writes keep their
 * order because each message is one synchronous `write` call.
 */
export class StdioMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    super();
    out.on('error', (error: Error) => this.fireError(error));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = framed(encodeMessage(msg));
    } catch (e) {
      this.fireError(e as Error, msg, ++this.errorCount);
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.out.write(bytes, (error) => {
        if (!error) return resolve();
        this.fireError(error, msg, ++this.errorCount);
        reject(error);
      });
    });
  }

  end(): void {
    this.out.end();
  }
}

/** `Content-Length: <n>\r\n\r\n` and the content, in one buffer. */
export function framed(content: Buffer): Buffer {
  const header = `Content-Length: ${content.byteLength}\r\n\r\n`;
  const out = Buffer.allocUnsafe(header.length + content.byteLength);
  out.write(header, 0, 'ascii');
  content.copy(out, header.length);
  return out;
}

/**
 * Drives dist/server.js over stdio with vscode-jsonrpc, the way an editor does, to measure
 * keystroke → publishDiagnostics latency, hover latency during a workspace scan, the scan
 * itself and the server's memory.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { editPoints } from './generate';

export interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

export interface ServerHandle {
  proc: ChildProcess;
  conn: MessageConnection;
  /** Resolves when a publishDiagnostics for (uri, version) arrives. */
  waitForPublish(uri: string, version: number, timeoutMs?: number): Promise<number>;
  /** Resolves at the next publishDiagnostics for uri, whatever its version (servers that send none). */
  waitForNextPublish(uri: string, timeoutMs?: number): Promise<number>;
  /** Every progress notification, with its arrival time. */
  progress: { at: number; token: unknown; value: { kind: string; message?: string; percentage?: number } }[];
  onProgressEnd(): Promise<number>;
  publishes: number;
  stderr: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  serverPath: string;
  rootPath?: string;
  settings?: Record<string, unknown>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** initializationOptions (default: this server's, with the startup scan on). */
  initializationOptions?: unknown;
  cwd?: string;
}

export async function startServer(options: StartOptions): Promise<ServerHandle> {
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), options.serverPath, '--stdio'], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const waiters = new Map<string, { resolve: (t: number) => void; timer: NodeJS.Timeout }>();
  const nextWaiters = new Map<string, { resolve: (t: number) => void; timer: NodeJS.Timeout }>();
  const latest = new Map<string, number>();
  const progress: ServerHandle['progress'] = [];
  let endResolve: ((t: number) => void) | undefined;
  const endPromise = new Promise<number>((resolve) => (endResolve = resolve));
  const handle: ServerHandle = {
    proc,
    conn,
    progress,
    publishes: 0,
    stderr,
    waitForPublish(uri, version, timeoutMs = 120_000) {
      const key = `${uri}#${version}`;
      if ((latest.get(uri) ?? -1) >= version) return Promise.resolve(performance.now());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(key);
          reject(new Error(`no publishDiagnostics for ${uri} version ${version} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(key, { resolve, timer });
      });
    },
    waitForNextPublish(uri, timeoutMs = 300_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          nextWaiters.delete(uri);
          reject(new Error(`no publishDiagnostics for ${uri} within ${timeoutMs} ms`));
        }, timeoutMs);
        nextWaiters.set(uri, { resolve, timer });
      });
    },
    onProgressEnd: () => endPromise,
    async close() {
      try {
        await conn.sendRequest('shutdown');
        await conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const t = setTimeout(() => {
          proc.kill();
          resolve();
        }, 3000);
        proc.on('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
      conn.dispose();
    },
  };
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishParams) => {
    const now = performance.now();
    handle.publishes++;
    const next = nextWaiters.get(p.uri);
    if (next) {
      clearTimeout(next.timer);
      nextWaiters.delete(p.uri);
      next.resolve(now);
    }
    if (typeof p.version !== 'number') return;
    latest.set(p.uri, Math.max(latest.get(p.uri) ?? -1, p.version));
    const w = waiters.get(`${p.uri}#${p.version}`);
    if (w) {
      clearTimeout(w.timer);
      waiters.delete(`${p.uri}#${p.version}`);
      w.resolve(now);
    }
  });
  conn.onNotification('$/progress', (p: { token: unknown; value: { kind: string; message?: string; percentage?: number } }) => {
    const at = performance.now();
    progress.push({ at, ...p });
    if (p.value?.kind === 'end') endResolve?.(at);
  });
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => options.settings ?? {}));
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('window/showMessage', () => undefined);
  conn.listen();
  const rootUri = options.rootPath ? pathToFileURL(options.rootPath).href : null;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: rootUri ? [{ uri: rootUri, name: 'bench' }] : null,
    capabilities: {
      window: { workDoneProgress: true },
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown', 'plaintext'] } },
      workspace: { configuration: false, workspaceFolders: true },
    },
    initializationOptions: options.initializationOptions ?? { containerPrivilegeLint: { scanOnStartup: true, ...(options.settings ?? {}) } },
  });
  return handle;
}

export function readRss(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export interface LatencyResult {
  edits: number;
  /** didChange sent → publishDiagnostics of that version received (debounce included). */
  publish: number[];
  /** didChange sent → hover answered, in a second pass (the analysis without the debounce). */
  hover: number[];
  /** The first analysis after didOpen. */
  open: number;
  /** Server RSS (bytes) once the opened document's diagnostics arrived, and after each pass of edits. */
  rssAfterOpen: number;
  rssAfterEdits: number[];
  /** Peak RSS of the server process at the end. */
  hwm: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens the document, then types: `edits` single-character insertions and deletions at
 * the end of value lines, each sent as an incremental didChange after the previous
 * version's diagnostics arrived.
 */
export async function keystrokeLatency(server: ServerHandle, uri: string, languageId: string, text: string, edits: number): Promise<LatencyResult> {
  const { conn } = server;
  let version = 1;
  const t0 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  const open = (await server.waitForPublish(uri, version)) - t0;
  await sleep(200);
  const rssAfterOpen = readRss(server.proc.pid!).rss;
  const rssAfterEdits: number[] = [];
  const points = editPoints(text, Math.ceil(edits / 2));
  const publish: number[] = [];
  const hover: number[] = [];
  for (const pass of ['publish', 'hover'] as const) {
    for (let i = 0; i < edits; i++) {
      const p = points[Math.floor(i / 2)];
      // Even: type a character at the end of the value; odd: delete it again.
      const change = i % 2 === 0 ? { range: { start: p, end: p }, text: 'x' } : { range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: '' };
      version++;
      const sent = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      if (pass === 'publish') {
        publish.push((await server.waitForPublish(uri, version)) - sent);
      } else {
        await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: p });
        hover.push(performance.now() - sent);
        await server.waitForPublish(uri, version);
      }
    }
    await sleep(200);
    rssAfterEdits.push(readRss(server.proc.pid!).rss);
  }
  const { hwm } = readRss(server.proc.pid!);
  await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return { edits, publish, hover, open, rssAfterOpen, rssAfterEdits, hwm };
}

export interface ScanResult {
  /** initialized sent → progress end. */
  scanMs: number;
  /** Hover round trips on an open document while the scan ran. */
  hover: number[];
  publishes: number;
  rss: number;
  hwm: number;
  progressReports: number;
}

/** Starts the scan (initialized), opens one file and hovers on it every `every` ms until the scan ends. */
export async function workspaceScan(server: ServerHandle, openFile: { uri: string; languageId: string; text: string; position: { line: number; character: number } }, every = 25): Promise<ScanResult> {
  const { conn } = server;
  const t0 = performance.now();
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: openFile.uri, languageId: openFile.languageId, version: 1, text: openFile.text } });
  let ended = false;
  const end = server.onProgressEnd().then((t) => {
    ended = true;
    return t;
  });
  const hover: number[] = [];
  // Wait for the scan to begin before measuring hovers "during the scan".
  while (!server.progress.some((p) => p.value.kind === 'begin') && performance.now() - t0 < 30_000) await sleep(5);
  while (!ended) {
    const s = performance.now();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri: openFile.uri }, position: openFile.position });
    if (!ended) hover.push(performance.now() - s);
    await sleep(every);
  }
  const scanMs = (await end) - t0;
  await sleep(500); // let the last notifications drain and the heap settle
  const mem = readRss(server.proc.pid!);
  return { scanMs, hover, publishes: server.publishes, rss: mem.rss, hwm: mem.hwm, progressReports: server.progress.filter((p) => p.value.kind === 'report').length };
}

export interface CycleResult {
  /** didOpen → first publishDiagnostics. */
  open: number;
  /** didChange → the next publishDiagnostics for the document. */
  cycle: number[];
  hwm: number;
}

/**
 * Another language server's full cycle on the same document, for comparison: didOpen, then
 * `edits` single-character edits (as keystrokeLatency types them), each sent once the previous
 * change's diagnostics arrived, timed to the next publishDiagnostics (no version needed).
 */
export async function publishCycle(server: ServerHandle, uri: string, languageId: string, text: string, edits: number): Promise<CycleResult> {
  const { conn } = server;
  let published = server.waitForNextPublish(uri);
  const t0 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  const open = (await published) - t0;
  await sleep(200);
  const points = editPoints(text, Math.ceil(edits / 2));
  const cycle: number[] = [];
  for (let i = 0; i < edits; i++) {
    const p = points[Math.floor(i / 2)];
    const change = i % 2 === 0 ? { range: { start: p, end: p }, text: 'x' } : { range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: '' };
    published = server.waitForNextPublish(uri);
    const sent = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
    cycle.push((await published) - sent);
  }
  const { hwm } = readRss(server.proc.pid!);
  return { open, cycle, hwm };
}

/**
 * A small LSP client for the protocol tests: spawns the bundled server (dist/server.js,
 * built by `npm test`) over stdio or node IPC, records every notification it sends, and
 * answers its requests (workspace/configuration, window/workDoneProgress/create,
 * client/registerCapability, window/showDocument) like an editor would.
 */
import { fork, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import type {
  ClientCapabilities,
  ConfigurationParams,
  InitializeResult,
  MessageConnection,
  PublishDiagnosticsParams,
  Registration,
  RegistrationParams,
  ShowDocumentParams,
  WorkDoneProgressCreateParams,
} from 'vscode-languageserver-protocol/node';
import { pathToFileURL } from 'node:url';

export interface ProgressParams {
  token: string | number;
  value: unknown;
}

export const REPO = path.resolve(__dirname, '../../..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

/** Every capability the server can use. */
export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
  textDocument: {
    synchronization: { dynamicRegistration: false, willSave: true, willSaveWaitUntil: true, didSave: true },
    publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

export interface StartOptions {
  workspace: string;
  transport?: 'stdio' | 'ipc';
  capabilities?: ClientCapabilities;
  /** Answers to workspace/configuration, by section. */
  configuration?: Record<string, unknown>;
  initializationOptions?: unknown;
}

export class TestClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly progress: ProgressParams[] = [];
  readonly progressCreated: WorkDoneProgressCreateParams[] = [];
  readonly configurationRequests: ConfigurationParams[] = [];
  readonly registrations: Registration[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly logs: string[] = [];
  /** The server's answer to initialize. */
  initializeResult: InitializeResult | undefined;
  /** How many times the server asked the client to refresh code lenses. */
  codeLensRefreshes = 0;
  stderr = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly connection: MessageConnection,
    readonly child: ChildProcess,
    /** Mutable: later workspace/configuration requests see changes. */
    readonly configuration: Record<string, unknown>,
  ) {
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve((this.exitCode = code))));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => void this.diagnostics.push(p));
    connection.onNotification('$/progress', (p: ProgressParams) => void this.progress.push(p));
    connection.onNotification('window/logMessage', (p: { message: string }) => void this.logs.push(p.message));
    connection.onNotification('window/showMessage', (p: { message: string }) => void this.logs.push(`[showMessage] ${p.message}`));
    connection.onRequest('workspace/configuration', (p: ConfigurationParams) => {
      this.configurationRequests.push(p);
      return p.items.map((item) => (item.section !== undefined && item.section in this.configuration ? this.configuration[item.section] : null));
    });
    connection.onRequest('window/workDoneProgress/create', (p: WorkDoneProgressCreateParams) => {
      this.progressCreated.push(p);
      return null;
    });
    connection.onRequest('client/registerCapability', (p: RegistrationParams) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      return null;
    });
    connection.onRequest('window/showDocument', (p: ShowDocumentParams) => {
      this.shownDocuments.push(p);
      return { success: true };
    });
    connection.listen();
  }

  static async start(options: StartOptions): Promise<TestClient> {
    const transport = options.transport ?? 'stdio';
    let child: ChildProcess;
    let connection: MessageConnection;
    if (transport === 'stdio') {
      child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    } else {
      child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    }
    const client = new TestClient(connection, child, { ...(options.configuration ?? {}) });
    const root = pathToFileURL(options.workspace).href;
    client.initializeResult = await client.request<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: root,
      workspaceFolders: [{ uri: root, name: path.basename(options.workspace) }],
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    });
    client.notify('initialized', {});
    return client;
  }

  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return withTimeout(this.connection.sendRequest(method, params) as Promise<R>, 20000, `${method} request`, () => this.debug());
  }

  notify(method: string, params: unknown): void {
    void this.connection.sendNotification(method, params);
  }

  /** Polls until the predicate holds (generous timeout; no timing is asserted). */
  async waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (this.exitCode !== undefined) throw new Error(`server exited (code ${this.exitCode}) while waiting for ${what}\n${this.debug()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.debug()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Diagnostics published for a URI, oldest first. */
  published(uri: string): PublishDiagnosticsParams[] {
    return this.diagnostics.filter((d) => d.uri === uri);
  }

  latest(uri: string): PublishDiagnosticsParams | undefined {
    const all = this.published(uri);
    return all[all.length - 1];
  }

  /** shutdown, exit, and the process's exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) {
      try {
        await this.request('shutdown', null);
        this.notify('exit', null);
      } catch {
        this.child.kill();
      }
    }
    const code = await withTimeout(this.exited, 10000, 'server exit', () => this.debug()).catch(() => {
      this.child.kill('SIGKILL');
      return null;
    });
    this.connection.dispose();
    return code;
  }

  debug(): string {
    return `--- server log ---\n${this.logs.slice(-40).join('\n')}\n--- stderr ---\n${this.stderr.slice(-4000)}`;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, debug: () => string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}\n${debug()}`)), ms);
    }),
  ]);
}

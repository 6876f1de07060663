/**
 * The VS Code client: starts the bundled language server (dist/server.js) over IPC, forwards
 * settings changes, and registers the commands. Everything else (diagnostics, quick fixes,
 * hover, the workspace scan) lives in the server, so other editors get the same features.
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  WorkDoneProgress,
  type ExecuteCommandOptions,
  type LanguageClientOptions,
  type RegistrationData,
  type ServerOptions,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import {
  CLIENT_COMMANDS,
  CLIENT_ID,
  CLIENT_NAME,
  COMMANDS,
  SETTINGS_SECTION,
  documentSelector,
} from './selector';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

/** What activate() returns: the integration tests read how long activation took. */
export interface ExtensionApi {
  /** activate() called → the language server initialized (ms); undefined when it failed to start. */
  activationMs: number | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = performance.now();
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6011'] },
    },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    synchronize: {
      // The server pulls its settings with workspace/configuration; this makes the client
      // send workspace/didChangeConfiguration when they (or files.exclude) change. File
      // watchers for the workspace scan are registered by the server (dynamic registration).
      configurationSection: [SETTINGS_SECTION, 'files.exclude'],
    },
    // The default error handler restarts the server when it dies (up to 4 times in 3 minutes).
    connectionOptions: { maxRestartCount: 4 },
    markdown: { isTrusted: false, supportHtml: false },
  };

  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  keepClientCommandsOutOfExecuteCommandFeature(client);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.scanWorkspace, () => scanWorkspace()),
    vscode.commands.registerCommand(COMMANDS.restartServer, () => restartServer()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output?.show(true)),
  );

  try {
    await client.start();
    const activationMs = performance.now() - started;
    output.info(`Activated: the language server is ready (${activationMs.toFixed(0)} ms).`);
    return { activationMs };
  } catch (error) {
    output.error(`The language server failed to start: ${String(error)}`);
    void vscode.window.showErrorMessage(`${CLIENT_NAME}: the language server failed to start. See the output channel.`);
    return { activationMs: undefined };
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

/** The client that the extension started (for the integration tests). */
export function languageClient(): LanguageClient | undefined {
  return client;
}

/**
 * The server may advertise executeCommand ids that the client registers itself (the scan command
 * is one: the client wraps it in a cancellable notification). vscode-languageclient registers
 * every advertised id as a VS Code command, which would fail with "command already exists", so
 * those ids are filtered out of the feature's registrations.
 */
function keepClientCommandsOutOfExecuteCommandFeature(c: LanguageClient): void {
  const feature = c.getFeature(ExecuteCommandRequest.method);
  const register = feature.register.bind(feature);
  feature.register = (data: RegistrationData<ExecuteCommandOptions>): void => {
    const commands = (data.registerOptions.commands ?? []).filter((id) => !CLIENT_COMMANDS.has(id));
    register({ ...data, registerOptions: { ...data.registerOptions, commands } });
  };
}

/** What the server's scan returns (its ScanSummary); every field optional for older servers. */
interface ScanResult {
  files?: number;
  filesWithFindings?: number;
  findings?: number;
  cancelled?: boolean;
}

async function scanWorkspace(): Promise<unknown> {
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage(`${CLIENT_NAME}: the language server is not running.`);
    return undefined;
  }
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage(`${CLIENT_NAME}: open a folder to scan it.`);
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${CLIENT_NAME}: scanning workspace`, cancellable: true },
    async (progress, cancel) => {
      // Our own work-done token: the server reports "n of N files" on it and we show it in
      // this notification, whose Cancel button cancels the request.
      const token = `containerPrivilegeLint.scan.${Date.now()}`;
      let reported = 0;
      const listener = c.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'end') return;
        const v = value as WorkDoneProgressBegin | WorkDoneProgressReport;
        const increment = typeof v.percentage === 'number' ? Math.max(0, v.percentage - reported) : undefined;
        if (typeof v.percentage === 'number') reported = Math.max(reported, v.percentage);
        progress.report({ message: v.message, increment });
      });
      try {
        const result = await c.sendRequest(
          ExecuteCommandRequest.type,
          { command: COMMANDS.scanWorkspace, arguments: [], workDoneToken: token },
          cancel,
        );
        const r = (result ?? {}) as ScanResult;
        if (typeof r.files === 'number' && typeof r.findings === 'number') {
          const text = r.cancelled
            ? `scan cancelled after ${r.findings} findings`
            : `${r.findings} findings in ${r.filesWithFindings ?? '?'} of ${r.files} files`;
          output?.info(`Workspace scan: ${text}.`);
          vscode.window.setStatusBarMessage(`${CLIENT_NAME}: ${text}`, 10_000);
        }
        return result;
      } catch (error) {
        if (cancel.isCancellationRequested) return undefined;
        output?.error(`Scan failed: ${String(error)}`);
        void vscode.window.showErrorMessage(`${CLIENT_NAME}: the workspace scan failed. See the output channel.`);
        return undefined;
      } finally {
        listener.dispose();
      }
    },
  );
}

async function restartServer(): Promise<void> {
  const c = client;
  if (!c) return;
  output?.info('Restarting the language server.');
  try {
    if (c.isRunning()) await c.restart();
    else await c.start();
  } catch (error) {
    output?.error(`Restart failed: ${String(error)}`);
    void vscode.window.showErrorMessage(`${CLIENT_NAME}: the language server failed to restart. See the output channel.`);
  }
}

/**
 * The language server: LSP wiring only. The work is done by the engine (server/src/engine)
 * and the LSP glue in server/src/lsp. The transport comes from the command line:
 * --node-ipc (VS Code), --stdio (Neovim, Helix, Emacs…) or --socket=<port>.
 */
import type { ListDir } from './engine';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  MessageType,
  ProposedFeatures,
  ShowMessageNotification,
  StreamMessageReader,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import type { Diagnostic, DocumentDiagnosticReport, InitializeParams, InitializeResult, WorkspaceFolder } from 'vscode-languageserver/node';
import { readVersion } from './cli/version';
import { CONFIG_FILE_NAMES } from './engine/config-file';
import type { ConfigFileProblem } from './engine/config-file';
import type { ReadFile } from './engine';
import { Analyzer } from './lsp/analysis';
import { codeActions, fixAllEdits, toTextEdits } from './lsp/code-actions';
import { codeLenses } from './lsp/code-lens';
import { StdioMessageWriter } from './lsp/message-encoder';
import { DocumentStore } from './lsp/documents';
import { hover } from './lsp/hover';
import { ProjectConfigLoader } from './lsp/project-config';
import { Commands, FIX_ALL_KIND, SETTINGS_SECTION, SOURCE } from './lsp/protocol';
import { workspaceListDir, workspaceReadFile } from './lsp/read-file';
import { SettingsStore } from './lsp/settings';
import { pathToUri, uriToPath } from './lsp/uri';
import { WorkspaceScanner } from './lsp/workspace-scan';

/**
 * Over stdio, a malformed header (a Content-Length that is missing, not a number or negative)
 * leaves the reader unable to find the next message: the connection ends with a logged error
 * and the process exits, so the client can restart it instead of waiting forever.
 */
class StrictStdioReader extends StreamMessageReader {
  constructor() {
    super(process.stdin);
  }

  protected override fireError(error: unknown): void {
    super.fireError(error);
    process.stderr.write(`container-privilege-lint-server: ending the connection: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const stdio = process.argv.includes('--stdio');
// Over stdio, each message is one write, and a publish of a file read in parts is written from the parts' kept bytes (message-encoder.ts).
const connection = stdio ? createConnection(ProposedFeatures.all, new StrictStdioReader(), new StdioMessageWriter(process.stdout)) : createConnection(ProposedFeatures.all);
const client = { pullDiagnostics: false, diagnosticRefresh: false, configuration: false, configurationDynamic: false, relatedInformation: false, documentChanges: false, workspaceFolders: false, watchedFilesDynamic: false, showDocument: false, codeLensRefresh: false };

const documents = new DocumentStore();
const settings = new SettingsStore(connection, (m) => connection.console.warn(m));
const projectConfig = new ProjectConfigLoader(
  (m) => {
    connection.console.warn(m);
    showMessage(MessageType.Warning, `Container Privilege Lint: ${m}`);
  },
  { folders: (): readonly string[] => scanner.folderPaths(), problems: (file, problems) => publishConfigProblems(file, problems) },
);

/** Config files that have diagnostics published for their problems. */
const configDiagnostics = new Set<string>();

/** A config file's problems as diagnostics on it (the notification says only the first). */
function publishConfigProblems(file: string, problems: readonly ConfigFileProblem[]): void {
  const uri = pathToUri(file);
  if (problems.length === 0 && !configDiagnostics.delete(uri)) return;
  if (problems.length > 0) configDiagnostics.add(uri);
  const diagnostics: Diagnostic[] = problems.map((p) => {
    const position = { line: Math.max(0, (p.line ?? 1) - 1), character: Math.max(0, (p.column ?? 1) - 1) };
    return { range: { start: position, end: position }, severity: DiagnosticSeverity.Warning, source: SOURCE, code: 'config', message: p.message };
  });
  connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined);
}
/** Files beyond the one linted (a Compose service's Dockerfile): open buffers, or the workspace on disk. */
const readFile = (maxFileSize: number): ReadFile => workspaceReadFile({ documents, folders: (): readonly string[] => scanner.folderPaths() }, maxFileSize);
/** Folders the engine may list (a Helm chart's templates), inside the workspace only. */
const listDir: ListDir = workspaceListDir({ documents, folders: (): readonly string[] => scanner.folderPaths() });
const analyzer = new Analyzer({ connection, documents, settings, projectConfig, relatedInformation: () => client.relatedInformation, readFile, listDir, push: () => !client.pullDiagnostics });

/** A pull client asks for open documents' diagnostics again (settings, config files or a document they read changed). */
function refreshPulled(): void {
  if (client.pullDiagnostics && client.diagnosticRefresh) connection.languages.diagnostics.refresh().catch(() => undefined);
}

const scanner = new WorkspaceScanner({
  connection,
  documents,
  settings,
  projectConfig,
  relatedInformation: () => client.relatedInformation,
  onConfigFilesChanged: () => {
    analyzer.invalidateAll();
    refreshPulled();
  },
  readFile,
  listDir,
  onDependencyChanged: (file) => dependencyChanged(file),
});

/** A file open documents may have read changed (a Dockerfile edited, opened, closed or saved): check them again. */
function dependencyChanged(file: string | undefined): void {
  if (!file) return;
  const dependents = analyzer.dependencyChanged(file);
  if (dependents.length > 0) refreshPulled();
  // Their code lenses (tiers) may change too; the client asks again after the refresh.
  if (dependents.length > 0 && client.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
}

/** A message for the user (a notification: window.showWarningMessage would wait for an answer). */
function showMessage(type: MessageType, message: string): void {
  connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => undefined);
}

// A stray rejected promise is logged; it must not take the server down.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});

/** Wraps a handler so that a failure is logged and answered with the fallback instead of escaping. */
function guard<P extends unknown[], R>(name: string, fallback: R, handler: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
  return async (...args: P) => {
    try {
      return await handler(...args);
    } catch (e) {
      connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}

/** The watched files: everything the engine detects, and the config files. */
const WATCHED = ['**/Dockerfile*', '**/*.dockerfile', '**/*.Dockerfile', '**/Containerfile*', '**/*.yml', '**/*.yaml', '**/devcontainer.json', '**/.devcontainer.json', '**/.gitignore', ...CONFIG_FILE_NAMES.map((n) => `**/${n}`)];

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities ?? {};
  client.configuration = caps.workspace?.configuration === true;
  client.configurationDynamic = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  client.relatedInformation = caps.textDocument?.publishDiagnostics?.relatedInformation === true;
  client.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
  client.workspaceFolders = caps.workspace?.workspaceFolders === true;
  client.watchedFilesDynamic = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
  client.showDocument = caps.window?.showDocument?.support === true;
  client.codeLensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
  // LSP 3.17 pull diagnostics for clients that can pull; push for the others.
  client.pullDiagnostics = typeof caps.textDocument?.diagnostic === 'object' && caps.textDocument.diagnostic !== null;
  client.diagnosticRefresh = caps.workspace?.diagnostics?.refreshSupport === true;
  settings.init(client.configuration, params.initializationOptions);

  const folders: WorkspaceFolder[] = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
  scanner.setFolders(folders);

  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, willSaveWaitUntil: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: [Commands.showDocumentation, Commands.scanWorkspace] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      ...(client.pullDiagnostics ? { diagnosticProvider: { identifier: SOURCE, interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: SOURCE, version: readVersion() },
  };
});

connection.onInitialized(
  guard('initialized', undefined, async () => {
    // Each registration on its own: a client that refuses one still gets the scan.
    const failed = (what: string) => (e: unknown) => connection.console.warn(`registering ${what} failed: ${String(e)}`);
    if (client.configuration && client.configurationDynamic) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(failed('didChangeConfiguration'));
    }
    if (client.watchedFilesDynamic) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) }).catch(failed('file watchers'));
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        guard('didChangeWorkspaceFolders', undefined, async (event) => {
          scanner.removeFolders(event.removed);
          scanner.addFolders(event.added);
          if (event.added.length > 0) await scanner.scanOnStartup();
        }),
      );
    }
    await scanner.scanOnStartup();
  }),
);

connection.onDidChangeConfiguration(
  guard('didChangeConfiguration', undefined, (params) => {
    settings.changed(params?.settings);
    analyzer.invalidateAll();
    refreshPulled();
    scanner.settingsChanged();
  }),
);

connection.onDidOpenTextDocument(
  guard('didOpen', undefined, (params) => {
    const doc = documents.open(params);
    if (typeof doc === 'string') connection.console.warn(`ignored: ${doc}`);
    else {
      analyzer.schedule(doc.uri, 0);
      dependencyChanged(uriToPath(doc.uri));
      // A pull client shows the open document's pulled diagnostics: the scan's pushed ones for the file go.
      if (client.pullDiagnostics) connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }).catch(() => undefined);
    }
  }),
);

connection.onDidChangeTextDocument(
  guard('didChange', undefined, (params) => {
    const doc = documents.change(params);
    if (typeof doc === 'string') connection.console.warn(`ignored: ${doc}`);
    else {
      analyzer.schedule(doc.uri);
      dependencyChanged(uriToPath(doc.uri));
    }
  }),
);

connection.onDidCloseTextDocument(
  guard('didClose', undefined, async (params) => {
    const uri = documents.close(params);
    if (!uri) return;
    analyzer.forget(uri);
    settings.forget(uri);
    // The buffer's diagnostics go; a workspace file gets its findings on disk back.
    await connection.sendDiagnostics({ uri, diagnostics: [] });
    const file = uriToPath(uri);
    // Documents that read this one's buffer read it from disk now.
    dependencyChanged(file);
    if (file && scanner.inWorkspace(file)) await scanner.refreshFile(file);
  }),
);

connection.onWillSaveTextDocumentWaitUntil(
  guard('willSaveWaitUntil', [], async (params) => {
    const uri = params?.textDocument?.uri;
    const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
    if (!doc) return [];
    const s = await settings.get(doc.uri);
    if (!s.enable || !s.fixOnSave) return [];
    const analysis = await analyzer.current(doc.uri);
    if (!analysis || !analysis.active || analysis.version !== documents.get(doc.uri)?.version) return [];
    return toTextEdits(analysis, fixAllEdits(analysis.result.findings));
  }),
);

connection.onCodeAction(
  guard('codeAction', [], async (params) => {
    const analysis = typeof params?.textDocument?.uri === 'string' ? await analyzer.current(params.textDocument.uri) : undefined;
    return analysis ? codeActions(analysis, params, { documentChanges: client.documentChanges }) : [];
  }),
);

connection.languages.diagnostics.on(
  guard('diagnostic', { kind: 'full', items: [] } as DocumentDiagnosticReport, async (params) => {
    const uri = params?.textDocument?.uri;
    return typeof uri === 'string' ? analyzer.report(uri, typeof params.previousResultId === 'string' ? params.previousResultId : undefined) : { kind: 'full', items: [] };
  }),
);

connection.onHover(
  guard('hover', null, async (params) => {
    const analysis = typeof params?.textDocument?.uri === 'string' ? await analyzer.current(params.textDocument.uri) : undefined;
    return analysis && params.position ? hover(analysis, params.position) : null;
  }),
);

connection.onCodeLens(
  guard('codeLens', [], async (params) => {
    const analysis = typeof params?.textDocument?.uri === 'string' ? await analyzer.current(params.textDocument.uri) : undefined;
    return analysis ? codeLenses(analysis) : [];
  }),
);

connection.onExecuteCommand(
  guard('executeCommand', null, async (params, token, workDoneProgress) => {
    switch (params?.command) {
      case Commands.showDocumentation: {
        const url = params.arguments?.[0];
        if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return null;
        if (client.showDocument) await connection.window.showDocument({ uri: url, external: true });
        else showMessage(MessageType.Info, `Documentation for this rule: ${url}`);
        return null;
      }
      case Commands.scanWorkspace:
        return await scanner.scanAll({ token, reporter: workDoneProgress });
      default:
        connection.console.warn(`unknown command: ${String(params?.command)}`);
        return null;
    }
  }),
);

connection.onDidChangeWatchedFiles(
  guard('didChangeWatchedFiles', undefined, async (params) => {
    if (Array.isArray(params?.changes)) await scanner.filesChanged(params.changes);
  }),
);

connection.onShutdown(() => {
  analyzer.dispose();
  scanner.dispose();
});

connection.listen();

// The kro-gen extension: starts `kro-gen lsp --stdio` for YAML files and restarts it on request or
// when the server setting changes. Everything kro-specific happens in the server.
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { serverCommand } from './server-command';

const SECTION = 'kroGen';
let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

function settings(): { serverPath: string; crdPaths: string[] } {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    serverPath: config.get<string>('server.path', ''),
    crdPaths: config.get<string[]>('crdPaths', []),
  };
}

async function start(): Promise<void> {
  const { serverPath, crdPaths } = settings();
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const cmd = serverCommand(serverPath, folders);
  output ??= vscode.window.createOutputChannel('kro-gen');
  output.appendLine(`starting ${cmd.command} ${cmd.args.join(' ')} (from ${cmd.source})`);

  const run = {
    command: cmd.command,
    args: [...cmd.args],
    transport: TransportKind.stdio,
    // npm's .cmd shims need a shell on Windows.
    options: { shell: process.platform === 'win32', cwd: folders[0] },
  };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    // Every YAML file: the server tells RGDs and instances from other YAML and leaves those alone.
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // Sent at start and answered to workspace/configuration requests for the `kroGen` section.
    initializationOptions: { crdPaths },
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
  };
  client = new LanguageClient(SECTION, 'kro-gen', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(
      `kro-gen: could not start '${cmd.command} lsp --stdio' (${message}). Install kro-gen in the project (npm install --save-dev kro-gen) or set kroGen.server.path.`,
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('kroGen.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${SECTION}.server.path`)) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

// Which `kro-gen` to start: the one the user set, else the project's own (so the server matches the
// kro-gen version the project validates with in CI), else whatever is on PATH. No `vscode` import,
// so the choice can be tested outside VS Code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Where the command came from, for the output channel. */
  readonly source: 'setting' | 'workspace' | 'PATH';
}

export const LSP_ARGS = ['lsp', '--stdio'] as const;

/**
 * `configured`: the `kroGen.server.path` setting (empty when unset). `folders`: the workspace
 * folders' paths, in order; the first holding `node_modules/.bin/kro-gen` wins.
 */
export function serverCommand(
  configured: string,
  folders: readonly string[],
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): ServerCommand {
  const trimmed = configured.trim();
  if (trimmed !== '') return { command: trimmed, args: LSP_ARGS, source: 'setting' };
  // npm writes a `.cmd` shim on Windows next to the shell script.
  const bin = platform === 'win32' ? 'kro-gen.cmd' : 'kro-gen';
  for (const folder of folders) {
    const candidate = join(folder, 'node_modules', '.bin', bin);
    if (exists(candidate)) return { command: candidate, args: LSP_ARGS, source: 'workspace' };
  }
  return { command: bin, args: LSP_ARGS, source: 'PATH' };
}

// What a command may touch of its process: streams, working directory and environment. Tests pass
// their own; main.ts passes the real process.
import { type Diagnostic, formatDiagnostic, sortDiagnostics } from '../diagnostics.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: progress is shown only then. */
  readonly stderrIsTTY?: boolean;
  /** Standard input, for the `-` argument: read in chunks, so the size cap holds while reading. */
  stdin?(): AsyncIterable<Uint8Array | string>;
}

export const EXIT_OK = 0;
/** The input is invalid (bad RGD, unreadable file): diagnostics were printed. */
export const EXIT_INVALID = 1;
/** The command line is wrong: unknown command or option, missing argument. */
export const EXIT_USAGE = 2;
/** kro-gen itself failed (a bug); sysexits' EX_SOFTWARE. */
export const EXIT_INTERNAL = 70;

/** Print diagnostics to stderr, one per line, sorted by position, as `file:line:col: error: message`. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  io.stderr(`${sortDiagnostics(diagnostics).map(formatDiagnostic).join('\n')}\n`);
}

/**
 * A reader that stops early (`kro-gen synth ... | head`) closes the pipe: that is the reader's choice,
 * not a failure of ours, so stop quietly as Unix filters do instead of crashing on the unhandled EPIPE.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(0);
    });
  }
}

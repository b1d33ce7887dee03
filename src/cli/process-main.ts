// The real process as the commands' Io: what `kro-gen` runs, whether started from dist/cli/main.js
// (tsc's output) or from the bundle in dist/bin (tools/build-cli.mjs), which calls it by name.
import { fstatSync, writeSync } from 'node:fs';
import { run } from './run.js';
import { mayBeTerminal, type StdWriter, stdWriter } from './std-writer.js';

const terminal = (fd: number) => mayBeTerminal(fd, fstatSync);

/** The process's own descriptor `fd` (1 or 2), written as std-writer.ts says why. */
function processWriter(fd: 1 | 2): StdWriter {
  return stdWriter(fd, {
    writeSync: (f, buffer, offset) => writeSync(f, buffer, offset),
    mayBeTerminal: terminal,
    stream: () => (fd === 1 ? process.stdout : process.stderr),
    // A reader that stops early (`kro-gen synth ... | head`) closes the pipe: its choice, not a
    // failure of ours, so stop quietly as Unix filters do.
    closed: () => process.exit(0),
  });
}

export async function runProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const stdout = processWriter(1);
  const stderr = processWriter(2);
  let stderrIsTTY: boolean | undefined;
  process.exitCode = await run(argv, {
    stdout: (s) => stdout.write(s),
    stderr: (s) => stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    // Asked only of a character device: node:tty's answer costs loading the streams.
    get stderrIsTTY() {
      stderrIsTTY ??= terminal(2) && process.stderr.isTTY === true;
      return stderrIsTTY;
    },
    stdin: () => process.stdin,
  });
  exitIfFlushed([stdout, stderr]);
}

/**
 * Ends the process now that the command is done, unless output is still queued. Left to itself, Node
 * would first wait out the event loop and tear down V8's heap and threads: after generate of 41 RGDs,
 * the process ended a median 6 ms sooner after its `exit` event (docs/performance.md).
 * Direct writes have left when they return; writes through Node's stream (std-writer.ts) are
 * asynchronous over a pipe on POSIX: what the reader has not taken yet waits in the stream, and only
 * the natural exit would still deliver it. `exit` handlers (the code cache, compile-cache.ts) run
 * either way.
 */
function exitIfFlushed(writers: readonly StdWriter[]): void {
  if (writers.every((w) => w.pending() === 0)) process.exit();
}

// The real process as the commands' Io: what `kro-gen` runs, whether started from dist/cli/main.js
// (tsc's output) or from the bundle in dist/bin (tools/build-cli.mjs), which calls it by name.
import { exitQuietlyOnClosedPipe } from './io.js';
import { run } from './run.js';

export async function runProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  exitQuietlyOnClosedPipe();
  process.exitCode = await run(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    stdin: () => process.stdin,
  });
  exitIfFlushed();
}

/**
 * Ends the process now that the command is done, unless output is still queued. Left to itself, Node
 * would first wait out the event loop and tear down V8's heap and threads: after generate of 41 RGDs,
 * the process ended a median 6 ms sooner after its `exit` event (docs/performance.md).
 * Writes to a pipe are asynchronous on POSIX: what the reader has not taken yet waits in the stream
 * (writableLength), and only the natural exit would still deliver it. `exit` handlers (the code
 * cache, compile-cache.ts) run either way.
 */
function exitIfFlushed(): void {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

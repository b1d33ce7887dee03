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
}

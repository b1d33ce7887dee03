// The real process as the commands' Io: what `kro-gen` runs, whether started from dist/cli/main.js
// (tsc's output) or from the bundle in dist/bin (tools/build-cli.mjs), which calls it by name.
import { run } from './run.js';

export async function runProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // A reader that stops early (`kro-gen synth ... | head`) closes the pipe: that is the reader's choice, not a
  // failure of ours, so stop quietly as Unix filters do instead of crashing on the unhandled EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(0);
    });
  }

  process.exitCode = await run(argv, {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    stdin: () => process.stdin,
  });
}

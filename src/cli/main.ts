#!/usr/bin/env node
// Entry point of the `kro-gen` binary: the real process as the commands' Io.
import { run } from './run.js';

// A reader that stops early (`kro-gen synth ... | head`) closes the pipe: that is the reader's choice, not a
// failure of ours, so stop quietly as Unix filters do instead of crashing on the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
}

process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  stdin: () => process.stdin,
});

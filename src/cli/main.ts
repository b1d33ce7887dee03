#!/usr/bin/env node
// Entry point of the `kro-gen` binary: the real process as the commands' Io.
import { run } from './run.js';

process.exitCode = await run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  stdin: () => process.stdin,
});

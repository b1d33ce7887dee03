// Running `kro-gen` in-process, as the CLI tests do: argv in, exit code and captured output back.
import { run } from '../../src/cli/run.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `kro-gen ...argv` in `cwd` with `env` as the environment, stdout and stderr captured. */
export async function runCli(
  cwd: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = {},
  stdin?: () => AsyncIterable<Uint8Array | string>,
): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => {
      err += s;
    },
    cwd,
    env,
    ...(stdin ? { stdin } : {}),
  });
  return { code, out, err };
}

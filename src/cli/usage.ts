// What `kro-gen`, `kro-gen --help` and `kro-gen --version` print: arguments that name no command.
// Answered without loading any command, by run.ts and, for the `kro-gen` binary, by its launcher
// before it even reads the CLI bundle (compile-cache.ts), so that these cost little more than
// starting Node. Keep this module's imports small: the launcher bundles them.
import { ownPackageJson } from '../package-root.js';
import { SUMMARIES } from './commands/summaries.js';
import { EXIT_OK, EXIT_USAGE } from './io.js';

/** A command as `kro-gen --help` lists it. */
export interface Listed {
  readonly name: string;
  readonly summary: string;
}

/** The built-in commands in the order commands/index.ts declares them (a test checks that they agree). */
export const LISTED: readonly Listed[] = Object.entries(SUMMARIES).map(([name, summary]) => ({
  name,
  summary,
}));

export function version(): string {
  return ownPackageJson().version;
}

export function usage(commands: readonly Listed[] = LISTED): string {
  const width = Math.max(...commands.map((c) => c.name.length), '-v, --version'.length) + 2;
  return [
    'Usage: kro-gen <command> [options]',
    '',
    'Offline tooling for kro ResourceGraphDefinitions.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(width)}show this help`,
    `  ${'-v, --version'.padEnd(width)}print the version`,
    '',
    "Run 'kro-gen <command> --help' for the options of a command.",
    'Exit codes: 0 success, 1 invalid input, 2 usage error, 70 internal error.',
    '',
  ].join('\n');
}

export interface TopLevelAnswer {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly code: number;
}

/**
 * The answer to arguments that name no command (none, `--help`, `-h`, `--version`, `-v`), else
 * undefined. `help <command>` needs the command's module: run.ts answers it.
 */
export function topLevelAnswer(
  argv: readonly string[],
  commands: readonly Listed[] = LISTED,
): TopLevelAnswer | undefined {
  const name = argv[0];
  if (name === undefined) return { stream: 'stderr', text: usage(commands), code: EXIT_USAGE };
  if (name === '--help' || name === '-h') return { stream: 'stdout', text: usage(commands), code: EXIT_OK };
  if (name === '--version' || name === '-v')
    return { stream: 'stdout', text: `${version()}\n`, code: EXIT_OK };
  return undefined;
}

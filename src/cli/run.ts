// Top-level dispatch: `kro-gen <command> ...`, `--help`, `--version`, and the last line of defence
// that turns an unexpected exception into a one-line message instead of a stack trace.
import { ownPackageJson } from '../package-root.js';
import type { Command } from './command.js';
import { commands as builtinCommands } from './commands/index.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type Io } from './io.js';

export { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io } from './io.js';

export function version(): string {
  return ownPackageJson().version;
}

export function usage(commands: readonly Command[] = builtinCommands): string {
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

export async function run(
  argv: readonly string[],
  io: Io,
  commands: readonly Command[] = builtinCommands,
): Promise<number> {
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      io.stderr(usage(commands));
      return EXIT_USAGE;
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
      io.stdout(topic ? await topic.help() : usage(commands));
      return EXIT_OK;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(`${version()}\n`);
      return EXIT_OK;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) {
      const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
      io.stderr(`kro-gen: ${what}\nRun 'kro-gen --help' for the list of commands.\n`);
      return EXIT_USAGE;
    }
    return await command.run(rest, io);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    io.stderr(
      `kro-gen: internal error: ${message}\nThis is a bug in kro-gen; set KRO_GEN_DEBUG=1 for a stack trace.\n`,
    );
    if (io.env['KRO_GEN_DEBUG'] && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
    return EXIT_INTERNAL;
  }
}

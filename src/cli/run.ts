// Top-level dispatch: `kro-gen <command> ...`, `--help`, `--version`, and the last line of defence
// that turns an unexpected exception into a one-line message instead of a stack trace.
import type { Command } from './command.js';
import { commands as builtinCommands } from './commands/index.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, type Io } from './io.js';
import { topLevelAnswer, usage } from './usage.js';

export { EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io } from './io.js';
export { usage, version } from './usage.js';

export async function run(
  argv: readonly string[],
  io: Io,
  commands: readonly Command[] = builtinCommands,
): Promise<number> {
  try {
    const answer = topLevelAnswer(argv, commands);
    if (answer) {
      io[answer.stream](answer.text);
      return answer.code;
    }
    const [name = '', ...rest] = argv;
    if (name === 'help') {
      const topic = commands.find((c) => c.name === rest[0]);
      io.stdout(topic ? await topic.help() : usage(commands));
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

// Command dispatch. Exit codes: 0 ok, 1 invalid input, 2 usage error.
import { readFileSync } from 'node:fs';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export interface Command {
  readonly name: string;
  readonly summary: string;
  run(args: string[], io: Io): Promise<number>;
}

const commands: Command[] = [];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function usage(): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return [
    'Usage: kro-gen <command> [options]',
    '',
    'Offline tooling for kro ResourceGraphDefinitions.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `kro-gen <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export async function run(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version()}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`kro-gen: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

// How a command is declared: its options and positionals are data, so parsing, `--help` and usage
// errors are the same for every command. A command module exports `defineCommand({...})`.
import { parseArgs } from 'node:util';
import { EXIT_USAGE, type Io } from './io.js';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, e.g. `dir`. */
  readonly valueName?: string;
  readonly description: string;
  /** Accepted values of a string option; anything else is a usage error. */
  readonly choices?: readonly string[];
  readonly default?: string;
  /** A string option that may be repeated; its value is the list of values given. */
  readonly multiple?: boolean;
  /**
   * A string option that may also be given bare (`--with-kro` as well as `--with-kro=v0.9.3`): bare,
   * it takes this value. Its value must then be attached with `=`.
   */
  readonly bareValue?: string;
}

export type OptionSpecs = { readonly [name: string]: OptionSpec };

export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K] extends { multiple: true }
      ? readonly string[]
      : O[K] extends { default: string }
        ? string
        : string | undefined;
};

export interface CommandContext<O extends OptionSpecs> {
  readonly options: OptionValues<O>;
  /** The options written on the command line, as opposed to those that took their default. */
  readonly given: ReadonlySet<keyof O & string>;
  readonly positionals: readonly string[];
  readonly io: Io;
}

export interface CommandSpec<O extends OptionSpecs> {
  readonly name: string;
  /** One line, shown in `kro-gen --help`. */
  readonly summary: string;
  /** Positionals as shown in the usage line, e.g. `<file|dir>...`. */
  readonly args: string;
  /** A paragraph or two for `kro-gen <name> --help`. */
  readonly description?: string;
  readonly options: O;
  readonly minPositionals?: number;
  readonly maxPositionals?: number;
  run(ctx: CommandContext<O>): Promise<number>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The command's `--help` text (a lazily loaded command loads its module first). */
  help(): string | Promise<string>;
  run(argv: readonly string[], io: Io): Promise<number>;
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

function optionLabel(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}`;
  if (spec.type === 'boolean') return flag;
  // A named value (`<rule>`) keeps a long list of choices out of the label; the description lists them.
  const value = spec.valueName ?? spec.choices?.join('|') ?? 'value';
  if (spec.bareValue !== undefined) return `${flag}[=<${value}>]`;
  // One value per flag, even for a repeatable option: `<file>...` would suggest `--x a b`.
  return `${flag} <${value}>`;
}

function helpText<O extends OptionSpecs>(spec: CommandSpec<O>): string {
  const entries = [...Object.entries(spec.options), ['help', HELP] as const];
  const labels = entries.map(([name, o]) => optionLabel(name, o));
  const width = Math.max(...labels.map((l) => l.length)) + 2;
  const lines = entries.map(([, o], i) => {
    const def = o.default !== undefined ? ` (default: ${o.default})` : '';
    const repeat = o.multiple ? ' (repeatable: give the option once per value)' : '';
    return `  ${labels[i]!.padEnd(width)}${o.description}${def}${repeat}`;
  });
  return [
    `Usage: kro-gen ${spec.name} [options] ${spec.args}`,
    '',
    spec.description ?? spec.summary,
    '',
    'Options:',
    ...lines,
    '',
  ].join('\n');
}

/**
 * Our wording for what parseArgs refuses; its own messages quote unevenly
 * (`... as in '-- "--bogus"`) and suggest `--` even for a mistyped option.
 */
function parseFailure(e: unknown, argv: readonly string[], options: OptionSpecs): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  // The option as parseArgs names it: `'--bogus'`, `'--dir <value>'` or `'-q, --quiet'`.
  const tokens = (/'(-[^']*)'/.exec(message)?.[1] ?? '').split(/[ ,]+/).filter((t) => t.startsWith('-'));
  const quoted = tokens.find((t) => t.startsWith('--')) ?? tokens[0];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = quoted ?? argv.find((a) => a.startsWith('-') && a !== '-' && a !== '--') ?? '?';
    // `-o` is an output format wherever kro-gen has it (as in kubectl), never a path.
    if (flag === '-o' && options['out'])
      return `unknown option '-o' (it names an output format, as in kubectl); write the path with --out`;
    return `unknown option '${flag}'`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    return /does not take an argument/.test(message)
      ? `option '${quoted}' takes no value`
      : `option '${quoted}' needs a value`;
  }
  return message.split('\n')[0] ?? message;
}

type ParseOptions = Readonly<
  Record<string, { readonly type: 'string' | 'boolean'; readonly multiple?: boolean }>
>;

/**
 * The command line as parseArgs reads it, for plain command lines only: positionals, and long
 * options as `--name value`, `--name=value` or `--name` (booleans), whose values do not start with a
 * dash. Anything else (short options, `--`, unknown names, a value that looks like an option) is
 * undefined, and parseArgs reads it, with its errors. Why: parseArgs' first call costs about 0.7 ms
 * (its module and interpreted code), a tenth of what kro-gen does above Node's start for a small RGD.
 */
export function parsePlainArgs(
  args: readonly string[],
  options: ParseOptions,
): { values: Record<string, string | boolean | string[]>; positionals: string[] } | undefined {
  const values: Record<string, string | boolean | string[]> = Object.create(null);
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') return undefined;
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    if (option === undefined) return undefined;
    let value: string | boolean;
    if (option.type === 'boolean') {
      if (eq >= 0) return undefined;
      value = true;
    } else if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-')) return undefined;
      value = next;
      i++;
    }
    if (!option.multiple) {
      values[name] = value;
      continue;
    }
    const list = values[name] as (string | boolean)[] | undefined;
    if (list === undefined) values[name] = [value] as string[];
    else list.push(value);
  }
  return { values, positionals };
}

export function usageError(io: Io, name: string, message: string): number {
  io.stderr(`kro-gen ${name}: ${message}\nRun 'kro-gen ${name} --help' for usage.\n`);
  return EXIT_USAGE;
}

export function defineCommand<O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  const help = () => helpText(spec);
  return {
    name: spec.name,
    summary: spec.summary,
    help,
    async run(argv, io) {
      const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
        help: { type: 'boolean', short: 'h' },
      };
      for (const [name, o] of Object.entries(spec.options)) {
        options[name] = {
          type: o.type,
          ...(o.short ? { short: o.short } : {}),
          ...(o.multiple ? { multiple: true } : {}),
        };
      }
      let parsed: {
        values: Record<string, string | boolean | string[] | undefined>;
        positionals: string[];
      };
      // A bare `--flag` of an option with a bare value is that value; everything after `--` is left.
      const end = argv.indexOf('--');
      const args = argv.map((arg, i) => {
        if (end >= 0 && i > end) return arg;
        const bare = arg.startsWith('--') ? spec.options[arg.slice(2)]?.bareValue : undefined;
        return bare === undefined ? arg : `${arg}=${bare}`;
      });
      try {
        parsed =
          parsePlainArgs(args, options) ??
          (parseArgs({ args, options, allowPositionals: true, strict: true }) as typeof parsed);
      } catch (e) {
        return usageError(io, spec.name, parseFailure(e, argv, spec.options));
      }
      if (parsed.values['help']) {
        io.stdout(help());
        return 0;
      }
      const values: Record<string, string | boolean | readonly string[] | undefined> = {};
      const given = new Set<string>();
      for (const [name, o] of Object.entries(spec.options)) {
        const v = parsed.values[name];
        if (v !== undefined) given.add(name);
        if (o.type === 'boolean') {
          values[name] = v === true;
          continue;
        }
        const list: readonly string[] = Array.isArray(v) ? v : [];
        const value = typeof v === 'string' ? v : o.default;
        const picked = o.multiple ? list : value === undefined ? [] : [value];
        const invalid = o.choices && picked.find((p) => !o.choices?.includes(p));
        if (invalid !== undefined && o.choices) {
          return usageError(
            io,
            spec.name,
            `invalid value '${invalid}' for --${name}: expected ${o.choices.join(' or ')}`,
          );
        }
        values[name] = o.multiple ? list : value;
      }
      const count = parsed.positionals.length;
      if (spec.minPositionals !== undefined && count < spec.minPositionals) {
        return usageError(io, spec.name, `missing argument: ${spec.args}`);
      }
      if (spec.maxPositionals !== undefined && count > spec.maxPositionals) {
        return usageError(io, spec.name, `too many arguments (at most ${spec.maxPositionals})`);
      }
      return spec.run({
        options: values as OptionValues<O>,
        given: given as ReadonlySet<keyof O & string>,
        positionals: parsed.positionals,
        io,
      });
    },
  };
}

import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defineCommand, parsePlainArgs } from '../../../src/cli/command.js';
import type { Io } from '../../../src/cli/io.js';

function capture(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(s: string) {
      io.out += s;
    },
    stderr(s: string) {
      io.err += s;
    },
    cwd: '/',
    env: {},
  };
  return io;
}

const seen: unknown[] = [];
const demo = defineCommand({
  name: 'demo',
  summary: 'a demo',
  args: '<file>...',
  description: 'Demonstrates options.',
  options: {
    format: { type: 'string', short: 'f', choices: ['a', 'b'], default: 'a', description: 'the format' },
    dir: { type: 'string', valueName: 'dir', description: 'a directory' },
    quiet: { type: 'boolean', short: 'q', description: 'say less' },
  },
  minPositionals: 1,
  maxPositionals: 2,
  async run(ctx) {
    seen.push({ options: ctx.options, positionals: ctx.positionals });
    return 0;
  },
});

describe('defineCommand', () => {
  it('parses options with defaults and hands them to run', async () => {
    seen.length = 0;
    const io = capture();
    expect(await demo.run(['x.yaml', '-q', '--dir', 'out'], io)).toBe(0);
    expect(seen).toEqual([{ options: { format: 'a', dir: 'out', quiet: true }, positionals: ['x.yaml'] }]);
    expect(await demo.run(['-f', 'b', 'y.yaml'], io)).toBe(0);
    expect(seen[1]).toEqual({
      options: { format: 'b', dir: undefined, quiet: false },
      positionals: ['y.yaml'],
    });
  });

  it('prints help on --help and -h, listing every option', async () => {
    for (const flag of ['--help', '-h']) {
      const io = capture();
      expect(await demo.run([flag], io)).toBe(0);
      expect(io.out).toContain('Usage: kro-gen demo [options] <file>...');
      expect(io.out).toContain('Demonstrates options.');
      expect(io.out).toMatch(/-f, --format <a\|b>\s+the format \(default: a\)/);
      expect(io.out).toMatch(/--dir <dir>\s+a directory/);
      expect(io.out).toMatch(/-q, --quiet\s+say less/);
      expect(io.out).toMatch(/-h, --help\s+show this help/);
      expect(io.err).toBe('');
    }
  });

  it.each([
    [['--nope', 'x'], /^kro-gen demo: unknown option '--nope'\n/],
    [['-z', 'x'], /^kro-gen demo: unknown option '-z'\n/],
    [['x', '--quiet=yes'], /^kro-gen demo: option '--quiet' takes no value\n/],
    [['-f', 'c', 'x'], /invalid value 'c' for --format: expected a or b/],
    [[], /missing argument: <file>\.\.\./],
    [['a', 'b', 'c'], /too many arguments \(at most 2\)/],
    [['--dir'], /^kro-gen demo: option '--dir' needs a value\n/],
  ])('is a usage error (exit 2) for %j', async (argv, message) => {
    seen.length = 0;
    const io = capture();
    expect(await demo.run(argv, io)).toBe(2);
    expect(io.err).toMatch(message);
    expect(io.err).toContain("Run 'kro-gen demo --help' for usage.");
    expect(io.out).toBe('');
    expect(seen).toEqual([]);
    // One line of ours: quotes balanced, none of parseArgs' advice about `--`.
    const first = io.err.split('\n')[0] ?? '';
    expect(first.split("'").length % 2).toBe(1);
    expect(first).not.toContain('"');
  });

  it('tells run which options were given, apart from defaults', async () => {
    const given: string[][] = [];
    const probe = defineCommand({
      name: 'probe',
      summary: 'probe',
      args: '',
      options: {
        format: { type: 'string', choices: ['a', 'b'], default: 'a', description: 'the format' },
        quiet: { type: 'boolean', description: 'say less' },
        many: { type: 'string', multiple: true, description: 'repeatable' },
      },
      async run(ctx) {
        given.push([...ctx.given].sort());
        return 0;
      },
    });
    await probe.run([], capture());
    await probe.run(['--format', 'a', '--quiet', '--many', 'x'], capture());
    expect(given).toEqual([[], ['format', 'many', 'quiet']]);
  });
});

describe('parsePlainArgs', () => {
  const options = {
    out: { type: 'string' },
    crd: { type: 'string', multiple: true },
    verify: { type: 'boolean' },
    tag: { type: 'boolean', multiple: true },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const tokens = [
    'a.yaml',
    '-',
    '--out',
    'x',
    '--out=y',
    '--out=',
    '--crd',
    'c',
    '--crd=d=e',
    '--verify',
    '--verify=1',
    '--tag',
    '--help',
    '-h',
    '--',
    '--bogus',
    '-x',
    '-q',
    '--crd=',
    '--out=-q',
    '--__proto__',
    '--toString',
    'b.yaml',
  ];

  it('reads every plain command line as parseArgs does, and leaves the rest to it', () => {
    // Every sequence of up to three tokens, and longer ones drawn by a fixed pseudo-random walk.
    const lines: string[][] = [[]];
    for (let length = 1; length <= 3; length++) {
      for (const prefix of lines.filter((l) => l.length === length - 1)) {
        for (const t of tokens) lines.push([...prefix, t]);
      }
    }
    let seed = 1;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let k = 0; k < 20_000; k++) {
      lines.push(Array.from({ length: 4 + next(4) }, () => tokens[next(tokens.length)] as string));
    }
    let plain = 0;
    let other = 0;
    for (const args of lines) {
      const ours = parsePlainArgs(args, options);
      let theirs: { values: object; positionals: string[] } | Error;
      try {
        theirs = parseArgs({ args, options, allowPositionals: true, strict: true });
      } catch (e) {
        theirs = e as Error;
      }
      if (ours === undefined) {
        other++;
        continue;
      }
      plain++;
      expect(theirs, args.join(' ')).not.toBeInstanceOf(Error);
      const { values, positionals } = theirs as { values: object; positionals: string[] };
      expect({ values: { ...ours.values }, positionals: ours.positionals }, args.join(' ')).toEqual({
        values: { ...values },
        positionals,
      });
    }
    // Both ways are exercised.
    expect(plain).toBeGreaterThan(4_000);
    expect(other).toBeGreaterThan(5_000);
  });
});

import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../../src/cli/command.js';
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

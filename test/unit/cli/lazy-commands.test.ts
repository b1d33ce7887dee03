// `kro-gen --help` and `--version` list and answer without importing any command module; a
// command's module is imported when that command runs or shows its own help.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../../../src/cli/io.js';

const MODULES = ['crd', 'validate', 'diff', 'graph', 'synth', 'generate', 'init', 'lsp'] as const;

function capture(): Io & { out: string } {
  const io = {
    out: '',
    stdout(s: string) {
      io.out += s;
    },
    stderr() {},
    cwd: '/',
    env: {},
  };
  return io;
}

/** A fresh `run` whose command modules record when they are imported. */
async function freshRun(): Promise<{ run: typeof import('../../../src/cli/run.js').run; loaded: string[] }> {
  vi.resetModules();
  const loaded: string[] = [];
  for (const name of MODULES) {
    vi.doMock(`../../../src/cli/commands/${name}.js`, async (original) => {
      loaded.push(name);
      return original();
    });
  }
  const { run } = await import('../../../src/cli/run.js');
  return { run, loaded };
}

afterEach(() => {
  for (const name of MODULES) vi.doUnmock(`../../../src/cli/commands/${name}.js`);
  vi.resetModules();
});

describe('command modules load lazily', () => {
  it('--help lists every command with its own summary, --version answers, nothing is imported', async () => {
    const { run, loaded } = await freshRun();
    const help = capture();
    expect(await run(['--help'], help)).toBe(0);
    expect(await run(['--version'], capture())).toBe(0);
    expect(loaded).toEqual([]);
    // The summaries listed are the ones the modules declare.
    const { commands } = await import('../../../src/cli/commands/index.js');
    const real = await Promise.all([
      import('../../../src/cli/commands/crd.js').then((m) => m.crdCommand),
      import('../../../src/cli/commands/validate.js').then((m) => m.validateCommand),
      import('../../../src/cli/commands/diff.js').then((m) => m.diffCommand),
      import('../../../src/cli/commands/graph.js').then((m) => m.graphCommand),
      import('../../../src/cli/commands/synth.js').then((m) => m.synthCommand),
      import('../../../src/cli/commands/krm.js').then((m) => m.krmCommand),
      import('../../../src/cli/commands/generate.js').then((m) => m.generateCommand),
      import('../../../src/cli/commands/schema.js').then((m) => m.schemaCommand),
      import('../../../src/cli/commands/init.js').then((m) => m.initCommand),
      import('../../../src/cli/commands/lsp.js').then((m) => m.lspCommand),
    ]);
    expect(commands.map((c) => [c.name, c.summary])).toEqual(real.map((c) => [c.name, c.summary]));
    for (const c of real) expect(help.out).toContain(`  ${c.name.padEnd(15)}${c.summary}\n`);
  });

  it('imports a command module for its help or its run, and only that one', async () => {
    const { run, loaded } = await freshRun();
    const io = capture();
    expect(await run(['help', 'crd'], io)).toBe(0);
    expect(io.out).toContain('Usage: kro-gen crd [options] <file|dir>...');
    // crd builds on validate's helpers, so both are imported, but nothing else.
    expect([...loaded].sort()).toEqual(['crd', 'validate']);
    expect(await run(['graph', '--help'], capture())).toBe(0);
    expect([...loaded].sort()).toEqual(['crd', 'graph', 'validate']);
  });
});

// The commands `kro-gen` knows, in the order `kro-gen --help` lists them. Adding a command is one
// module under commands/, its summary in summaries.ts and one entry here.
//
// A command's module is imported only when that command runs or shows its own help: each pulls in
// its part of the toolchain (YAML, CEL, codegen, the synthesizer), and `kro-gen --version`,
// `--help` or one command should not pay for loading all of them.
import type { Command } from '../command.js';
import type { Io } from '../io.js';
import { SUMMARIES } from './summaries.js';

function lazy(name: keyof typeof SUMMARIES, load: () => Promise<Command>): Command {
  let loaded: Promise<Command> | undefined;
  const command = () => {
    loaded ??= load();
    return loaded;
  };
  return {
    name,
    summary: SUMMARIES[name],
    help: async () => (await command()).help(),
    run: async (argv: readonly string[], io: Io) => (await command()).run(argv, io),
  };
}

export const commands: readonly Command[] = [
  lazy('crd', async () => (await import('./crd.js')).crdCommand),
  lazy('validate', async () => (await import('./validate.js')).validateCommand),
  lazy('diff', async () => (await import('./diff.js')).diffCommand),
  lazy('graph', async () => (await import('./graph.js')).graphCommand),
  lazy('synth', async () => (await import('./synth.js')).synthCommand),
  lazy('krm', async () => (await import('./krm.js')).krmCommand),
  lazy('generate', async () => (await import('./generate.js')).generateCommand),
  lazy('schema', async () => (await import('./schema.js')).schemaCommand),
  lazy('init', async () => (await import('./init.js')).initCommand),
  lazy('lsp', async () => (await import('./lsp.js')).lspCommand),
];

// The commands `kro-gen` knows, in the order `kro-gen --help` lists them. Adding a command is one
// module under commands/ plus one line here.
import type { Command } from '../command.js';
import { crdCommand } from './crd.js';
import { generateCommand } from './generate.js';
import { graphCommand } from './graph.js';
import { synthCommand } from './synth.js';
import { validateCommand } from './validate.js';

export const commands: readonly Command[] = [
  crdCommand,
  validateCommand,
  graphCommand,
  synthCommand,
  generateCommand,
];

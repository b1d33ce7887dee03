// `kro-gen lsp`: the language server editors start (docs/lsp.md). The server and its protocol
// library are loaded only when the command runs, so other commands start as fast as before.
import { defineCommand } from '../command.js';
import { EXIT_USAGE } from '../io.js';
import { SUMMARIES } from './summaries.js';

export const lspCommand = defineCommand({
  name: 'lsp',
  summary: SUMMARIES.lsp,
  args: '--stdio',
  description: [
    'Serve the Language Server Protocol over standard input and output, for editors: diagnostics as',
    "you type (what `kro-gen validate` reports for RGD files, and synth's instance validation for",
    'instance files), hover, completion, definition, references, rename, document symbols and code',
    'actions. The workspace folders the editor opens are searched for RGDs (chained kinds); the',
    'setting kroGen.crdPaths names CRD files and directories, as --crd does. See docs/lsp.md.',
  ].join('\n'),
  options: {
    stdio: {
      type: 'boolean',
      description: 'talk the protocol over stdin/stdout (the only transport; editors pass it)',
    },
  },
  maxPositionals: 0,
  async run({ options, io }) {
    if (!options.stdio) {
      io.stderr('kro-gen lsp: give --stdio (the protocol runs over standard input and output)\n');
      return EXIT_USAGE;
    }
    const { serveLsp } = await import('./lsp-server.js');
    return serveLsp(io);
  },
});

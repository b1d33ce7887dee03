// `kro-gen schema`: JSON Schemas of RGD files and of instance files, for YAML editors.
import { hasErrors } from '../../diagnostics.js';
import {
  combinedInstanceJsonSchema,
  type InstanceKind,
  instanceJsonSchema,
  rgdJsonSchema,
} from '../../jsonschema/index.js';
import { defineCommand, usageError } from '../command.js';
import { EXIT_INVALID, EXIT_OK, printDiagnostics } from '../io.js';
import { toJsonText, writeOutput } from '../output.js';
import { loadInputs } from '../pipeline.js';
import { buildCrds } from './crd.js';
import { SUMMARIES } from './summaries.js';

/** The file `schema rgd --out` writes. */
export const RGD_SCHEMA_FILE = 'resourcegraphdefinition.schema.json';

export const schemaCommand = defineCommand({
  name: 'schema',
  summary: SUMMARIES.schema,
  args: 'rgd | instance <file|dir>...',
  description: [
    'Print a JSON Schema (draft-07) for YAML editors that validate against JSON Schemas, such as',
    'yaml-language-server (VS Code YAML, Neovim, Helix, Zed). Point a file at it with a first line',
    '`# yaml-language-server: $schema=<path or URL>`; docs/editors.md shows the editor settings.',
    '',
    '  schema rgd        the schema of ResourceGraphDefinition files: structure, SimpleSchema field',
    '                    strings, resource ids, forEach, readyWhen/includeWhen expressions',
    '  schema instance   the schema of instance files of each RGD found in the given files and',
    '                    directories, made from the CRD `kro-gen crd` prints. One kind: its schema;',
    '                    several: one schema that picks the kind by apiVersion and kind.',
    '',
    "A schema checks structure only; 'kro-gen validate' (or 'kro-gen lsp') also checks expressions,",
    'types and the resource graph. With --out, files are written instead: rgd writes',
    `${RGD_SCHEMA_FILE}, instance one <crd-name>.schema.json per kind. Output is deterministic.`,
    'An RGD with errors (as `kro-gen crd` reports them) gives no schema and exit status 1.',
  ].join('\n'),
  options: {
    out: {
      type: 'string',
      valueName: 'dir',
      description: 'write the schema files into this directory instead of printing them',
    },
  },
  minPositionals: 1,
  async run({ options, positionals, io }) {
    const [subject, ...inputs] = positionals;
    if (subject === 'rgd') {
      if (inputs.length > 0) return usageError(io, 'schema', "'schema rgd' takes no files");
      const text = toJsonText(rgdJsonSchema());
      if (options.out === undefined) {
        io.stdout(text);
        return EXIT_OK;
      }
      return writeOutput(io, options.out, [{ path: `${options.out}/${RGD_SCHEMA_FILE}`, content: text }]);
    }
    if (subject !== 'instance') {
      return usageError(io, 'schema', `unknown schema '${subject}': expected rgd or instance`);
    }
    if (inputs.length === 0) return usageError(io, 'schema', 'missing argument: instance <file|dir>...');

    const loaded = await loadInputs(inputs, io);
    const { crds, diagnostics } = buildCrds(loaded, io, 'schema', false);
    printDiagnostics(io, diagnostics);
    if (hasErrors(diagnostics)) return EXIT_INVALID;
    const kinds: InstanceKind[] = crds.map((c) => ({ crd: c.crd, rgdName: c.rgd.name }));
    if (options.out !== undefined) {
      const dir = options.out;
      return writeOutput(
        io,
        dir,
        crds.map((c, i) => ({
          path: `${dir}/${c.name}.schema.json`,
          content: toJsonText(instanceJsonSchema(kinds[i]!)),
        })),
      );
    }
    const schema = kinds.length === 1 ? instanceJsonSchema(kinds[0]!) : combinedInstanceJsonSchema(kinds);
    io.stdout(toJsonText(schema));
    return EXIT_OK;
  },
});

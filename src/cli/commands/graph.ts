// `kro-gen graph`: a picture of one RGD's resource graph (DOT, Mermaid, SVG or HTML), offline.
import { extname } from 'node:path';
import { type Diagnostic, error, hasErrors } from '../../diagnostics.js';
import { buildGraph } from '../../graph/build.js';
import { GRAPH_FORMATS, type GraphFormat, renderGraph } from '../../graph/render/index.js';
import { defineCommand } from '../command.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, printDiagnostics } from '../io.js';
import { writeFilesAtomic } from '../output.js';
import { loadInputs } from '../pipeline.js';
import { SUMMARIES } from './summaries.js';

/** The extensions --out may end in, when --format does not say. */
export const GRAPH_EXTENSIONS = ['.dot', '.gv', '.mmd', '.mermaid', '.svg', '.html', '.htm'] as const;

/** The format a file name asks for, e.g. `graph.svg`; undefined when it says nothing. */
export function formatOfPath(path: string): GraphFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'dot' || ext === 'gv') return 'dot';
  if (ext === 'mmd' || ext === 'mermaid') return 'mermaid';
  if (ext === 'svg') return 'svg';
  if (ext === 'html' || ext === 'htm') return 'html';
  return undefined;
}

export const graphCommand = defineCommand({
  name: 'graph',
  summary: SUMMARIES.graph,
  args: '<file>',
  description: [
    'Draw the dependency graph of the ResourceGraphDefinition in <file> (`-` reads stdin): one node',
    'per resource (collections, external references and includeWhen-conditional resources look',
    'different), edges labelled with the fields that read the other resource, and resources grouped',
    "by apply layer. SVG and HTML are self-contained. The format defaults to --out's extension",
    '(.dot/.gv, .mmd, .svg, .html), else dot. Problems go to stderr; when the RGD has errors nothing',
    "is drawn and the exit status is 1 (run 'kro-gen validate' for warnings too).",
  ].join('\n'),
  options: {
    format: {
      type: 'string',
      short: 'f',
      choices: GRAPH_FORMATS,
      description: 'output format',
    },
    out: {
      type: 'string',
      valueName: 'file',
      description: 'write to this file instead of stdout',
    },
    name: {
      type: 'string',
      valueName: 'rgd',
      description: 'the RGD to draw (metadata.name) when the file holds several',
    },
    direction: {
      type: 'string',
      choices: ['auto', 'lr', 'tb'],
      default: 'auto',
      description: 'layers left to right, top to bottom, or whichever fits a screen better',
    },
  },
  minPositionals: 1,
  maxPositionals: 1,
  async run({ options, positionals, io }) {
    const out = options.out;
    // `--out g.png` would get DOT text under a picture's name: refuse a name that says another format.
    if (
      out !== undefined &&
      options.format === undefined &&
      formatOfPath(out) === undefined &&
      extname(out) !== ''
    ) {
      io.stderr(
        `kro-gen graph: cannot tell the format of '${out}' from its extension: use one of ${GRAPH_EXTENSIONS.join(' ')}, or --format\nRun 'kro-gen graph --help' for usage.\n`,
      );
      return EXIT_USAGE;
    }
    const loaded = await loadInputs(positionals, io);
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    const all = [...loaded.rgds, ...loaded.invalid];
    const chosen = options.name !== undefined ? all.filter((r) => r.name === options.name) : all;
    if (!hasErrors(diagnostics) && chosen.length !== 1) {
      const names = all.map((r) => r.name).join(', ');
      diagnostics.push(
        error(
          all.length === 0
            ? `no ResourceGraphDefinition found in ${positionals[0]}`
            : options.name !== undefined
              ? `no ResourceGraphDefinition named ${options.name} in ${positionals[0]} (found: ${names})`
              : `${positionals[0]} holds ${all.length} ResourceGraphDefinitions (${names}): choose one with --name`,
          undefined,
          'rgd/none',
        ),
      );
    }
    const rgd = chosen[0];
    if (hasErrors(diagnostics) || !rgd) {
      printDiagnostics(io, diagnostics);
      return EXIT_INVALID;
    }
    // The other RGDs of the file resolve chained kinds; warnings are validate's business.
    const built = buildGraph(rgd, { rgds: loaded.rgds });
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      printDiagnostics(io, errors);
      return EXIT_INVALID;
    }
    const format =
      (options.format as GraphFormat | undefined) ??
      (options.out !== undefined ? formatOfPath(options.out) : undefined) ??
      'dot';
    const direction = options.direction as 'auto' | 'lr' | 'tb';
    const text = renderGraph(built.graph, format, direction);
    if (options.out === undefined) {
      io.stdout(text);
      return EXIT_OK;
    }
    try {
      await writeFilesAtomic([{ path: options.out, content: text }], io.cwd);
    } catch (e) {
      printDiagnostics(io, [
        error(
          `cannot write ${options.out}: ${e instanceof Error ? e.message : String(e)}`,
          undefined,
          'io/write',
        ),
      ]);
      return EXIT_INVALID;
    }
    return EXIT_OK;
  },
});

// Status types of chained RGDs (one RGD creates another's kind and reads its status): each chained
// RGD's graph is built once and recorded for the RGDs using its kind, in an order that puts the
// chained RGD first. The CLI hands generate the statuses of the graphs it built to validate; both
// routes must give the same modules, typed from the chained RGD's status, whatever the input order.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toYaml } from '../../../src/cli/output.js';
import { version } from '../../../src/cli/run.js';
import { generateConstructs, generationOrder, statusInferenceOrder } from '../../../src/codegen/generate.js';
import { loadRgds } from '../../../src/rgd/load.js';
import { lookupBuiltinKind } from '../../../src/schema/k8s-builtin.js';
import { runCli } from '../../helpers/cli.js';
import { fileOf, templatesOnce } from './helpers.js';

// `kind` creates an instance of each kind in `creates` (named by its id, the kind in lower case)
// and copies the field given of its status; its own status is a ConfigMap's name and generation.
function rgd(kind: string, creates: Readonly<Record<string, string>> = {}): string {
  const kinds = Object.keys(creates);
  const status: Record<string, string> = {
    configName: `\${config.metadata.name}`,
    generation: `\${config.metadata.generation}`,
  };
  for (const c of kinds) status[`from${c}`] = `\${${c.toLowerCase()}.status.${creates[c]}}`;
  const instance = (apiVersion: string, kindName: string, name: string, spec?: object) => ({
    apiVersion,
    kind: kindName,
    metadata: { name },
    ...(spec ? { spec } : {}),
  });
  return toYaml({
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: kind.toLowerCase() },
    spec: {
      schema: { apiVersion: 'v1alpha1', kind, spec: { name: 'string' }, status },
      resources: [
        { id: 'config', template: instance('v1', 'ConfigMap', `\${schema.spec.name}`) },
        ...kinds.map((c) => ({
          id: c.toLowerCase(),
          template: instance('kro.run/v1alpha1', c, `\${schema.spec.name}-${c.toLowerCase()}`, {
            name: `\${schema.spec.name}`,
          }),
        })),
      ],
    },
  });
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-chained-status-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The library's modules (no statuses handed in) and the CLI's, for the files in `root`. */
async function bothWays(files: readonly (readonly [string, string])[]) {
  for (const [name, text] of files) writeFileSync(join(root, name), text);
  const loaded = loadRgds(files.map(([path, text]) => ({ path, text })));
  const library = generateConstructs(loaded.rgds, {
    templates: await templatesOnce(),
    version: version(),
    // Headers name the RGD file relative to --out, which is `out` below.
    sourceName: (r) => `../${r.file}`,
    graphContext: { builtin: lookupBuiltinKind },
  });
  const cli = await runCli(root, [
    'generate',
    ...files.map(([name]) => name),
    '--out',
    'out',
    '--module',
    'esm',
  ]);
  expect(cli.err).toBe('');
  expect(cli.code).toBe(0);
  const written = library.files.map((f) => ({
    path: f.path,
    content: readFileSync(join(root, 'out', f.path), 'utf8'),
  }));
  return { library, written };
}

describe('chained status types', () => {
  it('orders a chained RGD before the RGDs that create its kind, keeping generation order otherwise', () => {
    const loaded = loadRgds(
      [
        rgd('Apex', { Child: 'configName' }),
        rgd('Child'),
        rgd('Beta'),
        rgd('Mid', { Child: 'configName', Apex: 'fromChild' }),
      ].map((text, i) => ({
        path: `${i}.yaml`,
        text,
      })),
    );
    const sorted = generationOrder(loaded.rgds, (r) => r.file);
    expect(sorted.map((r) => r.schema.kind)).toEqual(['Apex', 'Beta', 'Child', 'Mid']);
    expect(statusInferenceOrder(sorted).map((r) => r.schema.kind)).toEqual(['Child', 'Apex', 'Beta', 'Mid']);
  });

  it('types a status read from a chained RGD from its status, the same through the CLI and the library', async () => {
    const { library, written } = await bothWays([
      ['apex.yaml', rgd('Apex', { Child: 'configName' })],
      ['child.yaml', rgd('Child')],
    ]);
    expect(fileOf(library, 'apex.ts')).toContain('  readonly fromChild?: string;\n');
    expect(written).toEqual(library.files);
  });

  it('gives the same modules whatever the input order when chained kinds form a cycle', async () => {
    // Where the cycle closes, the status read there is dyn; which RGD that is depends on the order
    // the graphs are built in, so the CLI and the library must build them in the same order.
    const files: [string, string][] = [
      ['a.yaml', rgd('Alpha', { Beta: 'generation' })],
      ['b.yaml', rgd('Beta', { Alpha: 'fromBeta' })],
      ['c.yaml', rgd('Gamma', { Alpha: 'fromBeta' })],
    ];
    const { library, written } = await bothWays(files);
    expect(fileOf(library, 'alpha.ts')).toContain('  readonly fromBeta?: number;\n');
    expect(written).toEqual(library.files);
    const reversed = await bothWays([...files].reverse());
    expect(reversed.library.files).toEqual(library.files);
    expect(reversed.written).toEqual(library.files);
  });
});

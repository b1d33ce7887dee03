// `kro-gen generate` over every RGD file of kro's examples/: each file kro accepts gives a module, and
// everything generated compiles under strict tsc in one program. Files are generated one by one
// (several examples define the same kind, which one output cannot hold), each into its own
// directory, with all the examples' RGDs available so chained RGDs type each other's status.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateConstructs } from '../../src/codegen/generate.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { loadRgds } from '../../src/rgd/load.js';
import type { Rgd } from '../../src/rgd/model.js';
import { lookupBuiltinKind } from '../../src/schema/k8s-builtin.js';
import { runCli } from '../helpers/cli.js';
import { KRO_DATA, loadKroJson, readKroFile } from '../helpers/conformance.js';
import { compile, templatesOnce } from '../unit/codegen/helpers.js';

interface IndexEntry {
  path: string;
  schemaKind?: string;
}

const INDEX = loadKroJson<IndexEntry[]>('examples/index.json');

/** Files that are not RGDs kro accepts, with the reason and the code of the error that shows it. */
const SKIPPED: Record<string, { reason: string; code: string }> = {
  'examples/aws/eks-cluster-mgmt/charts/kro/resource-groups/pod-identity/pod-identity.yaml': {
    reason: 'legacy kind ResourceGroup (renamed in kro v0.2.0)',
    code: 'rgd/legacy-kind',
  },
  'examples/aws/ack-controller/all-controllers.yaml': {
    reason: 'legacy kind ResourceGroup, and not valid YAML',
    code: 'yaml/syntax',
  },
  'examples/gcp/gemma-on-tpu/rgd.yaml': {
    reason: 'externalRef name/namespace outside metadata: the API server refuses it',
    code: 'rgd/unknown-field',
  },
  'examples/kubernetes/core-dns/core-dns.yaml': {
    reason: 'duplicate key `selector`, which kro-gen refuses (docs/kro-differences.md)',
    code: 'yaml/duplicate-key',
  },
  'examples/aws/ack-controller/resourcegroup.yaml': {
    reason: 'unquoted marker value with spaces: kro fails with "marker key ... without a value"',
    code: 'schema/marker-syntax',
  },
};
for (const name of ['ec2', 'ecr', 'ecr-public', 'eks', 's3', 'sqs']) {
  SKIPPED[`examples/aws/ack-controller/controllers/${name}-controller.yaml`] = {
    reason: 'unquoted marker value with spaces: kro fails with "marker key ... without a value"',
    code: 'schema/marker-syntax',
  };
}

const read = (path: string) => ({ path, text: readKroFile(path) });

/**
 * Files whose resource graph kro refuses. generateConstructs (the library) still generates them,
 * with the status types it could not infer left open; the `kro-gen generate` command refuses them,
 * as kro does (see examples-crd.test.ts for the reasons).
 */
const GRAPH_REFUSED: Record<string, string[]> = {
  'examples/aws/llm/llm.yaml': [],
  'examples/aws/ack-controller/controllers/iam-controller.yaml': [],
  'examples/aws/ack-eks-cluster/eks-reused.yaml': [],
  'examples/aws/ingress-triangle/application.yaml': ['examples/aws/ingress-triangle/ingress-triangle.yaml'],
};

describe("kro's examples through kro-gen generate", () => {
  it('the command refuses the files whose graph kro refuses, with the errors validate prints', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kro-gen-examples-generate-'));
    try {
      for (const [path, context] of Object.entries(GRAPH_REFUSED)) {
        expect(INDEX.map((e) => e.path)).toContain(path);
        const r = await runCli(KRO_DATA.pathname, ['generate', path, ...context, '--out', out]);
        const v = await runCli(KRO_DATA.pathname, ['validate', path, ...context]);
        expect(r.code, path).toBe(1);
        const errors = v.out.split('\n').filter((l) => l.includes(': error: '));
        expect(errors.length, path).toBeGreaterThan(0);
        expect(
          r.err.split('\n').filter((l) => l.includes(': error: ')),
          path,
        ).toEqual(errors);
        expect(readdirSync(out), path).toEqual([]);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses the files kro refuses, for the reason given', async () => {
    const templates = await templatesOnce();
    for (const [path, { code }] of Object.entries(SKIPPED)) {
      expect(INDEX.map((e) => e.path)).toContain(path);
      const loaded = loadRgds([read(path)]);
      const generated = generateConstructs(loaded.rgds, { templates, version: '0.0.0-test' });
      const codes = [...loaded.diagnostics, ...generated.diagnostics]
        .filter((d) => d.severity === 'error')
        .map((d) => d.code);
      expect(codes, path).toContain(code);
      expect(generated.modules, path).toEqual([]);
    }
  });

  it('generates every other file and compiles all of it in one strict program', async () => {
    const templates = await templatesOnce();
    const accepted = INDEX.filter((e) => !(e.path in SKIPPED));
    const loaded = accepted.map((e) => ({ entry: e, result: loadRgds([read(e.path)]) }));
    const all: Rgd[] = loaded.flatMap((l) => l.result.rgds);
    const files: Record<string, string> = {};
    const imports: string[] = [];
    loaded.forEach(({ entry, result }, i) => {
      expect(
        result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
        entry.path,
      ).toEqual([]);
      const generated = generateConstructs(result.rgds, {
        templates,
        version: '0.0.0-test',
        graphContext: { builtin: lookupBuiltinKind, rgds: all },
      });
      expect(
        generated.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
        entry.path,
      ).toEqual([]);
      expect(
        generated.modules.map((m) => m.kind),
        entry.path,
      ).toEqual([entry.schemaKind]);
      for (const f of generated.files) files[`m${i}/${f.path}`] = f.content;
      imports.push(`export * as m${i} from './m${i}/index.js';`);
    });
    files['all.ts'] = `${imports.join('\n')}\n`;
    const { errors } = compile(files);
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.message}`)).toEqual([]);
    console.log(
      `examples-generate: ${accepted.length} of ${INDEX.length} example RGD files generate a module, and all ${Object.keys(files).length} files compile in one strict tsc program; ${Object.keys(SKIPPED).length} refused as kro refuses them`,
    );
  });
});

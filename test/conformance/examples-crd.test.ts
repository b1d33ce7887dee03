// The crd pipeline (load -> validate -> resource graph -> buildCrd) over every RGD file in kro's
// examples/ tree: each one kro accepts must give a CRD for its kind. The files kro (or kro-gen,
// deliberately) refuses are listed with the reason, and the test checks they fail for exactly that
// reason. kro builds the resource graph before it creates the CRD (`kro generate crd` too), so a
// graph error refuses the file: the same four files `kro-gen validate` refuses for their graph.
import { describe, expect, it } from 'vitest';
import { graphRgds } from '../../src/cli/commands/validate.js';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../../src/diagnostics.js';
import { loadRgds } from '../../src/rgd/load.js';
import { buildCrd } from '../../src/schema/crd.js';
import { runCli } from '../helpers/cli.js';
import { KRO_DATA, loadKroJson, readKroFile } from '../helpers/conformance.js';

interface IndexEntry {
  path: string;
  rgdKind?: string;
  name?: string;
  schemaKind?: string;
}

const INDEX = loadKroJson<IndexEntry[]>('examples/index.json');

/** Files expected to fail, with why and the diagnostic code that shows it. */
const REFUSED: Record<string, { reason: string; code: string; with?: string[] }> = {
  'examples/aws/eks-cluster-mgmt/charts/kro/resource-groups/pod-identity/pod-identity.yaml': {
    reason: 'legacy kind ResourceGroup (renamed in kro v0.2.0)',
    code: 'rgd/legacy-kind',
  },
  'examples/aws/ack-controller/all-controllers.yaml': {
    reason: 'legacy kind ResourceGroup, and not valid YAML',
    code: 'yaml/syntax',
  },
  'examples/gcp/gemma-on-tpu/rgd.yaml': {
    reason:
      'externalRef.metadata is empty and name/namespace sit one level too high: the API server refuses it',
    code: 'rgd/unknown-field',
  },
  'examples/kubernetes/core-dns/core-dns.yaml': {
    reason:
      'the Service template has the key `selector` twice; kro-gen refuses duplicate keys (docs/kro-differences.md)',
    code: 'yaml/duplicate-key',
  },
};
// `default=IRSA role for ...`: a marker value with spaces and no quotes, which kro's marker parser refuses.
for (const file of ['ec2', 'ecr', 'ecr-public', 'eks', 's3', 'sqs']) {
  REFUSED[`examples/aws/ack-controller/controllers/${file}-controller.yaml`] = {
    reason: 'unquoted marker value with spaces: kro fails with "marker key ... without a value"',
    code: 'schema/marker-syntax',
  };
}
// Graph errors, as in examples-validate.test.ts (kro reports each of these when the RGD is applied).
Object.assign(REFUSED, {
  'examples/aws/llm/llm.yaml': {
    reason: 'a boolean in nodeSelector, a map of strings: kro fails with "type mismatch"',
    code: 'graph/type-mismatch',
  },
  'examples/aws/ack-controller/controllers/iam-controller.yaml': {
    reason: 'a boolean inside a string template: kro builds `"..." + (bool)`, which cel-go refuses',
    code: 'graph/type-mismatch',
  },
  'examples/aws/ack-eks-cluster/eks-reused.yaml': {
    reason: 'typo `spc.version` for `schema.spec.version`: kro fails with "references unknown identifiers"',
    code: 'graph/unknown-identifier',
  },
  'examples/aws/ingress-triangle/application.yaml': {
    reason:
      'readyWhen compares a string status field with null: cel-go has no such overload (the field is typed by the chained RGD in ingress-triangle.yaml, as in a cluster that has it)',
    code: 'graph/cel',
    with: ['examples/aws/ingress-triangle/ingress-triangle.yaml'],
  },
});
REFUSED['examples/aws/ack-controller/resourcegroup.yaml'] = {
  reason: 'unquoted marker value with spaces: kro fails with "marker key ... without a value"',
  code: 'schema/marker-syntax',
};

/** The crd command on `path`, with the RGDs of `context` (chained kinds) given too. */
function crdPipeline(
  path: string,
  context: readonly string[] = [],
): { kinds: string[]; names: string[]; diagnostics: Diagnostic[] } {
  const text = readKroFile(path);
  const loaded = loadRgds([{ path, text }]);
  const chained = loadRgds(context.map((c) => ({ path: c, text: readKroFile(c) }))).rgds;
  const diagnostics = [...loaded.diagnostics];
  const kinds: string[] = [];
  const names: string[] = [];
  for (const { rgd, result } of graphRgds([...loaded.rgds, ...chained])) {
    if (rgd.file !== path) continue;
    diagnostics.push(...result.diagnostics.filter((d) => d.severity === 'error'));
    const built = buildCrd(rgd);
    diagnostics.push(...built.diagnostics);
    const spec = built.crd['spec'] as { names: { kind: string } };
    kinds.push(spec.names.kind);
    names.push((built.crd['metadata'] as { name: string }).name);
  }
  return { kinds, names, diagnostics };
}

const accepted = INDEX.filter((e) => !(e.path in REFUSED));
/** CRDs more than one accepted example generates (kinds the examples reuse). */
const DUPLICATED_CRDS = ['eksclusters.kro.run', 'somethings.kro.run', 'valkeys.kro.run', 'webapps.kro.run'];

describe('kro examples through the crd pipeline', () => {
  it('knows every refused file from the index', () => {
    for (const path of Object.keys(REFUSED)) expect(INDEX.map((e) => e.path)).toContain(path);
    expect(INDEX).toHaveLength(61);
    console.log(
      `examples-crd: ${accepted.length} of ${INDEX.length} example RGD files give a CRD; ${Object.keys(REFUSED).length} refused as kro does (or deliberately)`,
    );
  });

  for (const entry of accepted) {
    it(`accepts ${entry.path}`, () => {
      const r = crdPipeline(entry.path);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
      expect(r.kinds).toEqual([entry.schemaKind]);
      expect(r.names[0]).toMatch(/^[a-z0-9-]+\.[a-z0-9.-]+$/);
    });
  }

  for (const [path, { reason, code, with: context }] of Object.entries(REFUSED)) {
    it(`refuses ${path}: ${reason}`, () => {
      const r = crdPipeline(path, context);
      expect(hasErrors(r.diagnostics)).toBe(true);
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      expect(r.diagnostics.every((d) => d.pos?.file === path)).toBe(true);
    });
  }

  it('the CLI refuses the graph-refused files with the errors validate prints', async () => {
    const graphRefused = Object.entries(REFUSED).filter(([, r]) => r.code.startsWith('graph/'));
    expect(graphRefused).toHaveLength(4);
    for (const [path, { with: context = [] }] of graphRefused) {
      const crd = await runCli(KRO_DATA.pathname, ['crd', path, ...context]);
      const validate = await runCli(KRO_DATA.pathname, ['validate', path, ...context]);
      expect(crd.code, path).toBe(1);
      expect(crd.out, path).toBe('');
      const errors = validate.out.split('\n').filter((l) => l.includes(': error: '));
      expect(errors.length, path).toBeGreaterThan(0);
      expect(
        crd.err.split('\n').filter((l) => l.includes(': error: ')),
        path,
      ).toEqual(errors);
    }
  });

  it('the CLI takes all accepted examples at once, and refuses only the CRDs two of them generate', async () => {
    const { code, out, err } = await runCli(KRO_DATA.pathname, ['crd', ...accepted.map((e) => e.path)]);
    // Several examples reuse a kind (WebApp, Valkey, ...): applied together, one CRD would replace
    // the other, so printing them is refused as writing them is; nothing else is an error.
    const errors = err.split('\n').filter((l) => l.includes('error:'));
    const duplicated = errors.map((l) => /^error: CRD (\S+) is generated by two RGDs \(/.exec(l)?.[1]);
    expect(new Set(duplicated)).toEqual(new Set(DUPLICATED_CRDS));
    expect(code).toBe(1);
    expect(out).toBe('');
  });
});

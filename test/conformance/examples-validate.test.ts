// `kro-gen validate` over every RGD file of kro's examples/, all given together so chained RGDs
// resolve each other's kinds. An example using only built-in Kubernetes kinds (or other examples'
// kinds) must validate cleanly; one using ACK, GCP, Azure or Gateway API kinds must give only the
// "no schema" warnings for those resources. Files kro itself refuses are listed with the reason.
import { describe, expect, it } from 'vitest';
import type { JsonDiagnostic } from '../../src/cli/commands/validate.js';
import { runCli } from '../helpers/cli.js';
import { KRO_DATA, loadKroJson } from '../helpers/conformance.js';

interface IndexEntry {
  path: string;
  rgdKind?: string;
  apis?: string[];
}

const INDEX = loadKroJson<IndexEntry[]>('examples/index.json');

/** Groups served by every API server (the bundled built-in kinds) and kro's own instance kinds. */
const CORE_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'kro.run',
]);

const groupOf = (api: string): string => {
  const parts = api.split('/');
  return parts.length === 3 ? parts[0]! : '';
};

/** Files kro refuses too, with the reason, the line of the first error and its code. */
const REFUSED: Record<string, { reason: string; line: number; code: string }> = {
  'examples/aws/eks-cluster-mgmt/charts/kro/resource-groups/pod-identity/pod-identity.yaml': {
    reason: 'legacy kind ResourceGroup',
    line: 2,
    code: 'rgd/legacy-kind',
  },
  'examples/aws/ack-controller/all-controllers.yaml': {
    reason: 'not valid YAML',
    line: 30,
    code: 'yaml/syntax',
  },
  'examples/gcp/gemma-on-tpu/rgd.yaml': {
    reason: 'externalRef name/namespace outside metadata',
    line: 16,
    code: 'rgd/required',
  },
  'examples/kubernetes/core-dns/core-dns.yaml': {
    reason: 'duplicate key `selector` (kro-gen refuses duplicate keys)',
    line: 169,
    code: 'yaml/duplicate-key',
  },
  'examples/aws/ack-controller/resourcegroup.yaml': {
    reason: 'unquoted marker value with spaces',
    line: 25,
    code: 'schema/marker-syntax',
  },
  'examples/aws/llm/llm.yaml': {
    reason: 'a boolean in nodeSelector, a map of strings: kro fails with "type mismatch"',
    line: 235,
    code: 'graph/type-mismatch',
  },
  'examples/aws/ack-controller/controllers/iam-controller.yaml': {
    reason: 'a boolean inside a string template: kro builds `"..." + (bool)`, which cel-go refuses',
    line: 83,
    code: 'graph/type-mismatch',
  },
  'examples/aws/ack-eks-cluster/eks-reused.yaml': {
    reason: 'typo `spc.version` for `schema.spec.version`: kro fails with "references unknown identifiers"',
    line: 26,
    code: 'graph/unknown-identifier',
  },
  'examples/aws/ingress-triangle/application.yaml': {
    reason: 'readyWhen compares a string status field with null: cel-go has no such overload',
    line: 18,
    code: 'graph/cel',
  },
};
for (const file of ['ec2', 'ecr', 'ecr-public', 'eks', 's3', 'sqs']) {
  REFUSED[`examples/aws/ack-controller/controllers/${file}-controller.yaml`] = {
    reason: 'unquoted marker value with spaces',
    line: 23,
    code: 'schema/marker-syntax',
  };
}

/**
 * Warnings that are right whatever the kinds: four kinds are defined by two examples each (one
 * cluster can hold only one), and webstack uses WebApp, defined by two examples equally far from it.
 */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  'examples/aws/cachecluster/simple-cachecluster.yaml': ['rgd/duplicate-kind'],
  'examples/kubernetes/defaults/rg.yaml': ['rgd/duplicate-kind'],
  'examples/kubernetes/webapp/rg.yaml': ['rgd/duplicate-kind'],
  'examples/aws/webstack/rg.yaml': ['graph/ambiguous-kind'],
};
// eks-reused.yaml, refused, is the second definition of EKSCluster.

const paths = INDEX.map((e) => e.path).sort();
const accepted = INDEX.filter((e) => !(e.path in REFUSED));
const external = (e: IndexEntry): string[] => (e.apis ?? []).filter((a) => !CORE_GROUPS.has(groupOf(a)));

async function validateAll(): Promise<{ code: number; byFile: Map<string, JsonDiagnostic[]>; err: string }> {
  const { code, out, err } = await runCli(KRO_DATA.pathname, ['validate', '--format', 'json', ...paths]);
  const doc = JSON.parse(out) as { diagnostics: JsonDiagnostic[] };
  const byFile = new Map<string, JsonDiagnostic[]>();
  for (const d of doc.diagnostics) {
    const key = d.file ?? '';
    byFile.set(key, [...(byFile.get(key) ?? []), d]);
  }
  return { code, byFile, err };
}

const show = (ds: readonly JsonDiagnostic[]): string[] =>
  ds.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);

describe('kro examples through kro-gen validate', async () => {
  const result = await validateAll();
  const of = (path: string) => result.byFile.get(path) ?? [];

  it('covers the whole index and prints the counts', () => {
    expect(INDEX).toHaveLength(61);
    for (const path of Object.keys(REFUSED)) expect(paths).toContain(path);
    expect(result.code).toBe(1); // the refused files
    const core = accepted.filter((e) => external(e).length === 0);
    const crdKinds = accepted.filter((e) => external(e).length > 0);
    const dynWarnings = crdKinds.reduce(
      (n, e) => n + of(e.path).filter((d) => d.code === 'graph/unknown-kind').length,
      0,
    );
    console.log(
      `examples-validate: ${accepted.length} of ${INDEX.length} RGD files validate without errors: ${core.length} with built-in or chained kinds only, ${crdKinds.length} with CRD kinds typed dyn (${dynWarnings} warnings); ${Object.keys(REFUSED).length} refused as kro refuses them. ${result.err.trim()}`,
    );
  });

  for (const entry of accepted) {
    const kinds = external(entry);
    if (kinds.length === 0) {
      it(`${entry.path}: no errors, no "no schema" warnings`, () => {
        const ds = of(entry.path);
        expect(show(ds.filter((d) => d.severity === 'error'))).toEqual([]);
        expect(ds.map((d) => d.code)).toEqual(EXPECTED_WARNINGS[entry.path] ?? []);
      });
    } else {
      it(`${entry.path}: no errors, a "no schema" warning per resource of a CRD kind`, () => {
        const ds = of(entry.path);
        expect(show(ds.filter((d) => d.severity === 'error'))).toEqual([]);
        const unknown = ds.filter((d) => d.code === 'graph/unknown-kind');
        const others = ds.filter((d) => d.code !== 'graph/unknown-kind').map((d) => d.code);
        expect(others).toEqual(EXPECTED_WARNINGS[entry.path] ?? []);
        expect(unknown).toHaveLength(kinds.length);
        for (const d of unknown) {
          expect(d.severity).toBe('warning');
          const named = /no schema for (\S+) \(([^)]+)\)/.exec(d.message);
          expect(named, d.message).not.toBeNull();
          expect(kinds).toContain(`${named![2]}/${named![1]}`);
        }
      });
    }
  }

  for (const [path, { reason, line, code }] of Object.entries(REFUSED)) {
    it(`refuses ${path}: ${reason}`, () => {
      const errors = of(path).filter((d) => d.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatchObject({ line, code });
    });
  }
});

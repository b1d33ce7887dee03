// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// Rule predictable-secret: which seeds of random.seededString/seededInt written into a Secret count
// as known outside the cluster, and where the warning points.
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/graph/build.js';
import { predictableSecretWarnings } from '../../../src/lint/predictable-secret.js';
import { loadRgds } from '../../../src/rgd/load.js';

/** An RGD whose resource `secret` is a Secret with `field` (data or stringData) `key: value`. */
function rgd(value: string, opts: { field?: string; extra?: string; secretExtra?: string } = {}): string {
  return `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: creds
spec:
  schema:
    apiVersion: v1alpha1
    kind: Creds
    spec:
      salt: string | default="x"
      users: "[]string"
  resources:${opts.extra ?? ''}
    - id: secret${opts.secretExtra ?? ''}
      template:
        apiVersion: v1
        kind: Secret
        metadata:
          name: \${schema.metadata.name}-creds
        ${opts.field ?? 'stringData'}:
          key: '${value}'
`;
}

function warnings(text: string) {
  const loaded = loadRgds([{ path: 'rgd.yaml', text }]);
  expect(loaded.diagnostics).toEqual([]);
  const r = loaded.rgds[0];
  if (!r) throw new Error('no RGD');
  const built = buildGraph(r);
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return predictableSecretWarnings(r, built.graph);
}

describe('predictable-secret', () => {
  it('warns at the call for a seed of the instance name, naming the field, the risk and the fix', () => {
    const [w, ...rest] = warnings(rgd('${random.seededString(24, schema.metadata.name + "/pw")}'));
    expect(rest).toEqual([]);
    expect(w?.severity).toBe('warning');
    expect(w?.code).toBe('predictable-secret');
    // Line 20 is `          key: '${random...`; column 19 is its `r`.
    expect(w?.pos).toEqual({ file: 'rgd.yaml', line: 20, col: 19 });
    expect(w?.message).toBe(
      'stringData.key of Secret "secret" is random.seededString seeded only by schema.metadata.name: anyone who can read the instance computes the same value offline (kro-gen synth does), and it repeats every 8 characters; take the value from a Secret the user creates (externalRef, or a secretKeyRef to it), or add schema.metadata.uid to the seed (bundle mode only)',
    );
  });

  const predictable: [string, string][] = [
    ['a literal seed', '${random.seededString(8, "fixed")}'],
    [
      'namespace and labels',
      '${random.seededString(8, schema.metadata.namespace + schema.metadata.labels["app"])}',
    ],
    ['a spec field the user supplies', '${random.seededString(8, schema.spec.salt)}'],
    ['seededInt', '${string(random.seededInt(0, 1000000, schema.metadata.name))}'],
    ['wrapped in base64.encode', '${base64.encode(bytes(random.seededString(16, schema.metadata.name)))}'],
    [
      'nested in a concatenation and a conditional',
      '${"pw-" + (true ? random.seededString(8, schema.metadata.name) : "")}',
    ],
    [
      'a cel.bind variable holding the name',
      '${cel.bind(s, schema.metadata.name, random.seededString(8, s))}',
    ],
    [
      'a macro variable ranging over a spec list',
      '${schema.spec.users.map(u, random.seededString(8, u)).join(",")}',
    ],
    ['part of a string template', 'user:${random.seededString(8, schema.metadata.name)}'],
  ];
  for (const [what, value] of predictable) {
    it(`warns for ${what}`, () => {
      expect(warnings(rgd(value)).map((w) => w.code)).toEqual(['predictable-secret']);
    });
  }

  it('warns in data (bytes) as in stringData', () => {
    const value = '${bytes(random.seededString(8, schema.metadata.name))}';
    expect(warnings(rgd(value, { field: 'data' }))).toHaveLength(1);
  });

  it('warns for a forEach Secret seeded by its iterator over a spec list', () => {
    const text = rgd('${random.seededString(8, user)}', {
      secretExtra: '\n      forEach:\n        - user: ${schema.spec.users}',
    }).replace('${schema.metadata.name}-creds', '${user}');
    expect(warnings(text).map((w) => w.message)).toEqual([
      expect.stringMatching(/seeded only by schema\.spec\.users:/),
    ]);
  });

  it('names every input and says "a constant" for a literal seed', () => {
    const [both] = warnings(rgd('${random.seededString(8, schema.metadata.name + schema.spec.salt)}'));
    expect(both?.message).toContain('seeded only by schema.metadata.name and schema.spec.salt:');
    const [constant] = warnings(rgd('${random.seededString(8, "x")}'));
    expect(constant?.message).toContain('seeded only by a constant:');
  });

  const unpredictable: [string, string, string?][] = [
    ['the instance uid', '${random.seededString(24, schema.metadata.uid)}'],
    [
      'the uid next to the name',
      '${random.seededString(24, schema.metadata.name + string(schema.metadata.uid))}',
    ],
    ['the whole instance (it holds the uid)', '${random.seededString(24, json.marshal(schema))}'],
    [
      'data of a Secret the user created (externalRef)',
      '${random.seededString(24, string(seed.data.value))}',
      '\n    - id: seed\n      externalRef:\n        apiVersion: v1\n        kind: Secret\n        metadata:\n          name: seed',
    ],
    ['a cel.bind variable holding the uid', '${cel.bind(s, schema.metadata.uid, random.seededString(8, s))}'],
    ['no seeded function at all', '${schema.spec.salt}'],
  ];
  for (const [what, value, extra] of unpredictable) {
    it(`does not warn for ${what}`, () => {
      expect(warnings(rgd(value, extra ? { extra } : {}))).toEqual([]);
    });
  }

  it('does not warn outside a Secret data field, nor in a ConfigMap', () => {
    const annotation = rgd('${schema.spec.salt}').replace(
      '-creds\n',
      '-creds\n          annotations:\n            seed: \'${random.seededString(8, "x")}\'\n',
    );
    expect(annotation).toContain("seed: '${random");
    expect(warnings(annotation)).toEqual([]);
    const configMap = rgd('${random.seededString(8, "x")}')
      .replace('kind: Secret', 'kind: ConfigMap')
      .replace('stringData:', 'data:');
    expect(warnings(configMap)).toEqual([]);
  });
});

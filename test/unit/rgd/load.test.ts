// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../../src/diagnostics.js';
import { loadRgds, rgdFromObject } from '../../../src/rgd/load.js';

const RGD = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: demo
spec:
  schema:
    apiVersion: v1alpha1
    kind: Demo
    spec:
      name: string
    status:
      ready: \${cm.data.ready}
    shortNames: [dm]
    metadata:
      labels: {team: a}
  resources:
    - id: cm
      readyWhen:
        - \${cm.data.ready == "true"}
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}
    - id: secret
      externalRef:
        apiVersion: v1
        kind: Secret
        metadata:
          name: shared
    - id: copies
      forEach:
        - region: \${schema.spec.regions}
      includeWhen:
        - \${schema.spec.enabled}
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${region}
`;

describe('loadRgds', () => {
  it('builds the model of a valid RGD', () => {
    const r = loadRgds([{ path: 'demo.yaml', text: RGD }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.invalid).toEqual([]);
    expect(r.rgds).toHaveLength(1);
    const rgd = r.rgds[0]!;
    expect(rgd.name).toBe('demo');
    expect(rgd.file).toBe('demo.yaml');
    expect(rgd.docIndex).toBe(0);
    expect(rgd.schema).toMatchObject({
      apiVersion: 'v1alpha1',
      kind: 'Demo',
      group: 'kro.run',
      scope: 'Namespaced',
      spec: { name: 'string' },
      types: null,
      status: { ready: '${cm.data.ready}' },
      additionalPrinterColumns: null,
      shortNames: ['dm'],
      categories: [],
      metadata: { labels: { team: 'a' }, annotations: {} },
    });
    expect(rgd.resources.map((res) => [res.id, res.index])).toEqual([
      ['cm', 0],
      ['secret', 1],
      ['copies', 2],
    ]);
    expect(rgd.resources[0]).toMatchObject({
      readyWhen: ['${cm.data.ready == "true"}'],
      includeWhen: [],
      forEach: [],
      externalRef: null,
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${schema.spec.name}' } },
    });
    expect(rgd.resources[1]).toMatchObject({
      template: null,
      externalRef: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared' } },
    });
    expect(rgd.resources[2]?.forEach).toEqual([{ name: 'region', expression: '${schema.spec.regions}' }]);
    expect(rgd.resources[2]?.includeWhen).toEqual(['${schema.spec.enabled}']);
    expect(rgd.raw['kind']).toBe('ResourceGraphDefinition');
    expect(rgd.loc.at(['spec', 'resources', 1, 'externalRef', 'kind'])).toEqual({
      file: 'demo.yaml',
      line: 28,
      col: 15,
    });
  });

  it('applies the CRD defaults for group and scope only when they are absent', () => {
    const text = RGD.replace(
      '    kind: Demo\n',
      '    kind: Demo\n    group: example.com\n    scope: Cluster\n',
    );
    const rgd = loadRgds([{ path: 'a.yaml', text }]).rgds[0]!;
    expect(rgd.schema.group).toBe('example.com');
    expect(rgd.schema.scope).toBe('Cluster');
  });

  it('reads every RGD of a multi-document file and skips other documents silently', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      RGD,
      '',
      'apiVersion: kro.run/v1beta1\nkind: ResourceGraphDefinition\n',
      'just a string\n',
      RGD.replace('name: demo', 'name: demo2').replace('kind: Demo', 'kind: DemoTwo'),
    ].join('---\n');
    const r = loadRgds([{ path: 'multi.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.rgds.map((x) => [x.name, x.docIndex])).toEqual([
      ['demo', 1],
      ['demo2', 5],
    ]);
    expect(r.rgds[1]!.loc.at(['metadata', 'name']).line).toBeGreaterThan(40);
  });

  it('keeps file order across files', () => {
    const r = loadRgds([
      { path: 'b.yaml', text: RGD.replace('name: demo', 'name: bee') },
      { path: 'a.yaml', text: RGD },
    ]);
    expect(r.rgds.map((x) => x.file)).toEqual(['b.yaml', 'a.yaml']);
  });

  it('names the rename when it meets the legacy ResourceGroup kind', () => {
    const r = loadRgds([
      { path: 'old.yaml', text: RGD.replace('kind: ResourceGraphDefinition', 'kind: ResourceGroup') },
    ]);
    expect(r.rgds).toEqual([]);
    expect(r.invalid).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'rgd/legacy-kind',
      pos: { file: 'old.yaml', line: 2, col: 7 },
    });
    expect(r.diagnostics[0]?.message).toContain('renamed to ResourceGraphDefinition');
  });

  it('ignores a ResourceGroup of another API group (e.g. Azure resource groups)', () => {
    const text = 'apiVersion: resources.azure.com/v1api20200601\nkind: ResourceGroup\nmetadata: {name: rg}\n';
    expect(loadRgds([{ path: 'az.yaml', text }])).toEqual({ rgds: [], invalid: [], diagnostics: [] });
  });

  it('reports YAML errors with positions and still loads the other files', () => {
    const r = loadRgds([
      { path: 'bad.yaml', text: 'apiVersion: kro.run/v1alpha1\nkind: [\n' },
      { path: 'good.yaml', text: RGD },
    ]);
    expect(r.rgds.map((x) => x.file)).toEqual(['good.yaml']);
    expect(hasErrors(r.diagnostics)).toBe(true);
    expect(r.diagnostics.every((d) => d.pos?.file === 'bad.yaml')).toBe(true);
  });

  it('puts an RGD with errors in `invalid`, modelled as far as possible', () => {
    const r = loadRgds([{ path: 'x.yaml', text: RGD.replace('- id: secret', '- id: Secret') }]);
    expect(r.rgds).toEqual([]);
    expect(r.invalid.map((x) => x.resources.map((res) => res.id))).toEqual([['cm', 'Secret', 'copies']]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['rgd/resource-id']);
  });

  it('never throws on documents of the wrong shape', () => {
    const texts = [
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\n',
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nspec: 5\nmetadata: []\n',
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {name: a}\nspec:\n  schema: x\n  resources: {a: 1}\n',
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {name: a}\nspec:\n  schema: {}\n  resources: [1, [], null, {id: 3, template: 4, forEach: 5, readyWhen: 6}]\n',
    ];
    for (const text of texts) {
      const r = loadRgds([{ path: 'w.yaml', text }]);
      expect(r.rgds).toEqual([]);
      expect(r.invalid).toHaveLength(1);
      expect(hasErrors(r.diagnostics)).toBe(true);
      expect(r.diagnostics.every((d) => d.pos?.file === 'w.yaml')).toBe(true);
    }
  });
});

describe('rgdFromObject', () => {
  it('loads an RGD given as an object, with positions in its JSON printout', () => {
    const obj = {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: 'obj' },
      spec: {
        schema: { apiVersion: 'v1', kind: 'Obj' },
        resources: [{ id: 'bad-id', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } }],
      },
    };
    const r = rgdFromObject(obj, 'case.json');
    expect(r.rgd?.name).toBe('obj');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.pos?.file).toBe('case.json');
    expect(r.diagnostics[0]?.pos?.line).toBe(
      JSON.stringify(obj, null, 2)
        .split('\n')
        .findIndex((l) => l.includes('bad-id')) + 1,
    );
  });

  it('says so when the object is not an RGD', () => {
    const r = rgdFromObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(r.rgd).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['rgd/not-an-rgd']);
  });
});

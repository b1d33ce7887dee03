// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are kro expressions
// `kro-gen schema rgd` checked with ajv (draft-07, as yaml-language-server validates): every RGD of
// examples/ and of kro's own examples passes unless kro refuses it for a reason a schema can see;
// known-bad RGDs fail at the expected place for the expected reason, and kro-gen validate refuses
// each of them too (the schema never flags what kro accepts, on these cases); the schema declares
// every field of kro v0.9.3's RGD CRD with the same type, pattern, enum and required list.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { rgdJsonSchema } from '../../../src/jsonschema/index.js';
import { runCli } from '../../helpers/cli.js';
import { KRO_DATA, loadKroJson } from '../../helpers/conformance.js';
import { compileSchema, edit, errorsOf, shown } from '../../helpers/jsonschema.js';

const ROOT = new URL('../../../', import.meta.url);
const schema = rgdJsonSchema();
const validate = compileSchema(schema);

/** The RGD documents of a file (kind ResourceGraphDefinition, or the legacy ResourceGroup). */
function rgdDocuments(path: string): { docs: unknown[]; yamlErrors: boolean } {
  const parsed = parseAllDocuments(readFileSync(path, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.some((d) => d.errors.length > 0)) return { docs: [], yamlErrors: true };
  const docs = list
    .map((d) => d.toJS() as { apiVersion?: unknown; kind?: unknown } | null)
    .filter(
      (d) =>
        typeof d?.apiVersion === 'string' &&
        d.apiVersion.startsWith('kro.run/') &&
        (d.kind === 'ResourceGraphDefinition' || d.kind === 'ResourceGroup'),
    );
  return { docs, yamlErrors: false };
}

describe('kro-gen schema rgd', () => {
  it('is a valid draft-07 schema, printed as the CLI prints it', async () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    const { code, out } = await runCli(ROOT.pathname, ['schema', 'rgd']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(schema);
    expect((await runCli(ROOT.pathname, ['schema', 'rgd'])).out).toBe(out);
  });

  it('accepts every RGD in examples/', () => {
    const dirs = readdirSync(new URL('examples/', ROOT), { withFileTypes: true }).filter((d) =>
      d.isDirectory(),
    );
    let count = 0;
    for (const dir of dirs) {
      const path = new URL(`examples/${dir.name}/rgd.yaml`, ROOT).pathname;
      if (!existsSync(path)) continue;
      for (const doc of rgdDocuments(path).docs) {
        expect(shown(errorsOf(validate, doc)), dir.name).toEqual([]);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(7);
  });

  describe("kro's examples (test/conformance/kro/examples)", () => {
    const index = loadKroJson<{ path: string }[]>('examples/index.json');
    // What kro (and kro-gen validate) refuses and the schema sees too: the first error's place.
    const markerSpaces = (file: string) => `examples/aws/ack-controller/${file}`;
    const SCHEMA_REFUSES: Record<string, string> = {
      'examples/aws/eks-cluster-mgmt/charts/kro/resource-groups/pod-identity/pod-identity.yaml':
        '/kind const',
      'examples/gcp/gemma-on-tpu/rgd.yaml': '/spec/resources/0/externalRef additionalProperties',
      [markerSpaces('resourcegroup.yaml')]: 'pattern',
    };
    for (const f of ['ec2', 'ecr', 'ecr-public', 'eks', 's3', 'sqs']) {
      SCHEMA_REFUSES[markerSpaces(`controllers/${f}-controller.yaml`)] = 'pattern';
    }
    // Not YAML a schema is applied to: a syntax error, and a duplicate key.
    const NOT_YAML = [
      'examples/aws/ack-controller/all-controllers.yaml',
      'examples/kubernetes/core-dns/core-dns.yaml',
    ];

    for (const { path } of index) {
      it(path, () => {
        const { docs, yamlErrors } = rgdDocuments(new URL(path, KRO_DATA).pathname);
        if (NOT_YAML.includes(path)) return void expect(yamlErrors).toBe(true);
        expect(docs.length).toBeGreaterThan(0);
        const errors = docs.flatMap((d) => shown(errorsOf(validate, d)));
        const expected = SCHEMA_REFUSES[path];
        if (expected === undefined) expect(errors).toEqual([]);
        else if (expected === 'pattern') {
          // The SimpleSchema field with an unquoted value holding spaces.
          expect(errors.some((e) => /^\/spec\/schema\/spec\/\S+ pattern$/.test(e))).toBe(true);
        } else expect(errors[0]).toBe(expected);
      });
    }
    it('covers the whole index', () => expect(index).toHaveLength(61));
  });

  describe('known-bad RGDs fail for the expected reason, and kro-gen validate refuses them too', () => {
    const base = parse(readFileSync(new URL('examples/web-app/rgd.yaml', ROOT), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'kro-gen-schema-'));
    const externalRef = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } };
    const cases: [string, (doc: unknown) => void, string][] = [
      ['an unknown field in spec', edit('spec.resourcess', []), '/spec additionalProperties'],
      [
        'a misspelled readyWhen',
        edit('spec.resources.1.readywhen', ['${true}']),
        '/spec/resources/1 additionalProperties',
      ],
      [
        'an id that is not lowerCamelCase',
        edit('spec.resources.1.id', 'my-service'),
        '/spec/resources/1/id pattern',
      ],
      ['an id that is a reserved word', edit('spec.resources.1.id', 'schema'), '/spec/resources/1/id not'],
      [
        'template and externalRef together',
        edit('spec.resources.1.externalRef', externalRef),
        '/spec/resources/1 oneOf',
      ],
      ['neither template nor externalRef', edit('spec.resources.1.template'), '/spec/resources/1 oneOf'],
      [
        'externalRef with forEach',
        edit('spec.resources.2', { id: 'cfg', externalRef, forEach: [{ x: '${[1]}' }] }),
        '/spec/resources/2 oneOf',
      ],
      [
        'a readyWhen entry that is not one ${...}',
        edit('spec.resources.0.readyWhen', ['deployment.status.ready']),
        '/spec/resources/0/readyWhen/0 pattern',
      ],
      [
        'an includeWhen entry with text around ${...}',
        edit('spec.resources.1.includeWhen', ['x ${true}']),
        '/spec/resources/1/includeWhen/0 pattern',
      ],
      [
        'a forEach dimension with two iterators',
        edit('spec.resources.1.forEach', [{ a: '${[1]}', b: '${[2]}' }]),
        '/spec/resources/1/forEach/0 maxProperties',
      ],
      [
        'a forEach iterator that is not lowerCamelCase',
        edit('spec.resources.1.forEach', [{ Item: '${[1]}' }]),
        '/spec/resources/1/forEach/0 propertyNames',
      ],
      [
        'a schema kind that is not UpperCamelCase',
        edit('spec.schema.kind', 'application'),
        '/spec/schema/kind pattern',
      ],
      [
        'a schema apiVersion that is no Kubernetes version',
        edit('spec.schema.apiVersion', 'v1alpha'),
        '/spec/schema/apiVersion pattern',
      ],
      ['a scope kro does not know', edit('spec.schema.scope', 'namespaced'), '/spec/schema/scope enum'],
      ['a group without a dot', edit('spec.schema.group', 'apps'), '/spec/schema/group pattern'],
      [
        'a misspelled marker',
        edit('spec.schema.spec.replicas', 'integer | defualt=1'),
        '/spec/schema/spec/replicas pattern',
      ],
      [
        'a marker value with unquoted spaces',
        edit('spec.schema.spec.name', 'string | description=the name'),
        '/spec/schema/spec/name pattern',
      ],
      [
        'a space after `=`',
        edit('spec.schema.spec.replicas', 'integer | minimum= 1'),
        '/spec/schema/spec/replicas pattern',
      ],
      [
        'a map key type other than string',
        edit('spec.schema.spec.labels', 'map[int]string'),
        '/spec/schema/spec/labels pattern',
      ],
      [
        'a number where a field string belongs',
        edit('spec.schema.spec.replicas', 3),
        '/spec/schema/spec/replicas type',
      ],
      [
        'a template without kind',
        edit('spec.resources.1.template.kind'),
        '/spec/resources/1/template required',
      ],
      [
        'a template apiVersion with an expression',
        edit('spec.resources.1.template.apiVersion', '${schema.spec.v}'),
        '/spec/resources/1/template/apiVersion pattern',
      ],
      [
        'an externalRef with name and selector',
        edit('spec.resources.2', {
          id: 'cfg',
          externalRef: { ...externalRef, metadata: { name: 'a', selector: { matchLabels: { a: 'b' } } } },
        }),
        '/spec/resources/2/externalRef/metadata oneOf',
      ],
      [
        'an externalRef without metadata',
        edit('spec.resources.2', { id: 'cfg', externalRef: { apiVersion: 'v1', kind: 'ConfigMap' } }),
        '/spec/resources/2/externalRef required',
      ],
      ['another apiVersion', edit('apiVersion', 'kro.run/v1'), '/apiVersion const'],
      ['an RGD name that is no DNS subdomain', edit('metadata.name', 'Web_App'), '/metadata/name pattern'],
      ['no schema', edit('spec.schema'), '/spec required'],
    ];
    for (const [name, mutate, expected] of cases) {
      it(name, async () => {
        const rgd = structuredClone(base);
        mutate(rgd);
        expect(shown(errorsOf(validate, rgd))).toContain(expected);
        const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
        writeFileSync(file, stringify(rgd));
        const { code, out } = await runCli(dir, ['validate', file]);
        expect(code, out).toBe(1);
      });
    }
  });

  it("declares every field of kro v0.9.3's RGD CRD, with its type, pattern, enum and required list", () => {
    const crd = parse(
      readFileSync(new URL('kro/kro.run_resourcegraphdefinitions.yaml', import.meta.url), 'utf8'),
    );
    const root = crd.spec.versions[0].schema.openAPIV3Schema;
    const defs = schema['definitions'] as Record<string, Record<string, unknown>>;
    const deref = (s: Record<string, unknown>) =>
      typeof s['$ref'] === 'string' ? defs[(s['$ref'] as string).split('/').pop()!]! : s;
    const compared: string[] = [];
    const walk = (k8s: Record<string, unknown>, ours: Record<string, unknown>, path: string) => {
      compared.push(path);
      ours = deref(ours);
      expect(ours['type'], path).toBe(k8s['type']);
      if (k8s['pattern'] !== undefined) expect(ours['pattern'], path).toBe(k8s['pattern']);
      if (k8s['enum'] !== undefined) expect(ours['enum'], path).toEqual(k8s['enum']);
      // A field with a default is filled in by the API server, so a file may leave it out.
      const props = (k8s['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const required = ((k8s['required'] ?? []) as string[]).filter(
        (f) => props[f]?.['default'] === undefined,
      );
      for (const f of required) expect(ours['required'] as string[], `${path} requires ${f}`).toContain(f);
      const ourProps = (ours['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [name, child] of Object.entries(props)) {
        expect(ourProps[name], `${path}.${name}`).toBeDefined();
        if (path === '' && (name === 'metadata' || name === 'status')) continue;
        walk(child, ourProps[name]!, `${path}.${name}`);
      }
      // Fields kro-gen knows beyond v0.9.3: shortNames and categories (docs/kro-differences.md).
      const extra = Object.keys(ourProps).filter((n) => !(n in props));
      if (k8s['properties'] !== undefined) {
        expect(extra, path).toEqual(path === '.spec.schema' ? ['shortNames', 'categories'] : []);
      }
      for (const key of ['items', 'additionalProperties'] as const) {
        const child = k8s[key];
        if (typeof child === 'object' && child !== null) {
          walk(child as Record<string, unknown>, ours[key] as Record<string, unknown>, `${path}[${key}]`);
        }
      }
    };
    walk(root, schema, '');
    expect(compared.length).toBeGreaterThan(40);
  });
});

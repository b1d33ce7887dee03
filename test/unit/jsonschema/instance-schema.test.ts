// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are kro expressions
// `kro-gen schema instance` checked with ajv (draft-07): every instance in examples/ passes its
// kind's schema and the combined schema; known-bad instances fail at the expected place for the
// expected reason, and kro-gen synth refuses each of them too. Also the command's options.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { compileSchema, edit, errorsOf, shown } from '../../helpers/jsonschema.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((d) => existsSync(join(ROOT, 'examples', d, 'rgd.yaml')))
  .sort();
const RGDS = EXAMPLES.map((d) => `examples/${d}/rgd.yaml`);

const INSTANCES = EXAMPLES.flatMap((d) => {
  const dir = join(ROOT, 'examples', d, 'instances');
  return existsSync(dir) ? readdirSync(dir).map((f) => `examples/${d}/instances/${f}`) : [];
});

function documents(path: string): { apiVersion: string; kind: string }[] {
  return parseAllDocuments(readFileSync(join(ROOT, path), 'utf8')).map(
    (d) => d.toJS() as { apiVersion: string; kind: string },
  );
}

describe('kro-gen schema instance', async () => {
  const out = mkdtempSync(join(tmpdir(), 'kro-gen-instance-schemas-'));
  const written = await runCli(ROOT, ['schema', 'instance', ...RGDS, '--out', out]);
  const files = readdirSync(out).sort();
  const byKind = new Map<string, ReturnType<typeof compileSchema>>();
  for (const f of files) {
    const schema = JSON.parse(readFileSync(join(out, f), 'utf8'));
    const props = schema.properties;
    byKind.set(`${props.apiVersion.const} ${props.kind.const}`, compileSchema(schema));
  }
  const combinedRun = await runCli(ROOT, ['schema', 'instance', ...RGDS]);
  const combined = compileSchema(JSON.parse(combinedRun.out));

  it('writes one <crd-name>.schema.json per kind with --out', () => {
    expect(written.code, written.err).toBe(0);
    expect(files).toContain('applications.kro.run.schema.json');
    expect(files).toContain('workerpools.kro.run.schema.json');
    expect(files.every((f) => f.endsWith('.schema.json'))).toBe(true);
    // site/rgd.yaml defines two kinds (Site and the Bucket it chains).
    expect(files.length).toBe(EXAMPLES.length + 1);
  });

  it('accepts every instance in examples/, with its kind schema and with the combined schema', () => {
    expect(INSTANCES.length).toBeGreaterThanOrEqual(8);
    for (const path of INSTANCES) {
      for (const doc of documents(path)) {
        const validate = byKind.get(`${doc.apiVersion} ${doc.kind}`);
        expect(validate, `${path}: no schema for ${doc.apiVersion} ${doc.kind}`).toBeDefined();
        expect(shown(errorsOf(validate!, doc)), path).toEqual([]);
        expect(shown(errorsOf(combined, doc)), path).toEqual([]);
      }
    }
  });

  it('prints one kind as its schema, byte-identical from run to run and to the --out file', async () => {
    const one = await runCli(ROOT, ['schema', 'instance', 'examples/web-app/rgd.yaml']);
    expect(one.code).toBe(0);
    expect(one.out).toBe(readFileSync(join(out, 'applications.kro.run.schema.json'), 'utf8'));
    expect((await runCli(ROOT, ['schema', 'instance', 'examples/web-app/rgd.yaml'])).out).toBe(one.out);
    expect((await runCli(ROOT, ['schema', 'instance', ...RGDS])).out).toBe(combinedRun.out);
  });

  describe('known-bad instances fail for the expected reason, and kro-gen synth refuses them too', () => {
    const base = parse(readFileSync(join(ROOT, 'examples/web-app/instances/web-app-1.yaml'), 'utf8'));
    const validate = byKind.get('kro.run/v1alpha1 Application')!;
    const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bad-instances-'));
    const cases: [string, (doc: unknown) => void, string][] = [
      ['an unknown spec field', edit('spec.colour', 'red'), '/spec additionalProperties'],
      ['a string where an integer belongs', edit('spec.replicas', 'three'), '/spec/replicas type'],
      ['a value below its minimum', edit('spec.replicas', -1), '/spec/replicas minimum'],
      ['a value outside its enum', edit('spec.svcType', 'Ingress'), '/spec/svcType enum'],
      ['no metadata.name', edit('metadata.name'), '/metadata required'],
    ];
    for (const [name, mutate, expected] of cases) {
      it(name, async () => {
        const instance = structuredClone(base);
        mutate(instance);
        expect(shown(errorsOf(validate, instance))).toContain(expected);
        expect(shown(errorsOf(combined, instance))).toContain(expected);
        const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
        writeFileSync(file, stringify(instance));
        const { code, err } = await runCli(ROOT, ['synth', 'examples/web-app/rgd.yaml', '--instance', file]);
        expect(code, err).toBe(1);
      });
    }

    it('an unknown top-level field fails (kubectl --validate=strict refuses it; kro-gen synth does not look)', () => {
      expect(shown(errorsOf(validate, { ...base, specs: {} }))).toContain('/ additionalProperties');
    });

    it('a kind no RGD defines, or an apiVersion of another kind, fails the combined schema', () => {
      expect(shown(errorsOf(combined, { ...base, kind: 'Applicaton' }))).toContain('/kind enum');
      const mixed = { ...base, apiVersion: 'kro.run/v1alpha1', kind: 'Bucket' };
      expect(errorsOf(combined, mixed).length).toBeGreaterThan(0);
      expect(shown(errorsOf(validate, { ...base, apiVersion: 'kro.run/v1' }))).toContain('/apiVersion const');
    });
  });

  describe('options and errors', () => {
    it('has --help that names both schemas and --out', async () => {
      const { code, out } = await runCli(ROOT, ['schema', '--help']);
      expect(code).toBe(0);
      expect(out).toContain('Usage: kro-gen schema [options] rgd | instance <file|dir>...');
      expect(out).toContain('--out <dir>');
    });

    it('refuses an unknown schema, files after rgd and instance without files (exit 2)', async () => {
      for (const argv of [
        ['schema', 'crd'],
        ['schema', 'rgd', 'x.yaml'],
        ['schema', 'instance'],
        ['schema'],
      ]) {
        const { code, err } = await runCli(ROOT, argv);
        expect(code, argv.join(' ')).toBe(2);
        expect(err).toMatch(/^kro-gen schema: /);
      }
    });

    it('writes rgd --out to resourcegraphdefinition.schema.json', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kro-gen-rgd-schema-'));
      const { code } = await runCli(ROOT, ['schema', 'rgd', '--out', dir]);
      expect(code).toBe(0);
      const printed = await runCli(ROOT, ['schema', 'rgd']);
      expect(readFileSync(join(dir, 'resourcegraphdefinition.schema.json'), 'utf8')).toBe(printed.out);
    });

    it('gives no schema for an RGD with errors: exit 1, the error, nothing written', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bad-rgd-'));
      const rgd = parse(readFileSync(join(ROOT, 'examples/web-app/rgd.yaml'), 'utf8'));
      rgd.spec.resources[1].template.spec.type = '${schema.spec.nope}';
      writeFileSync(join(dir, 'rgd.yaml'), stringify(rgd));
      const { code, out, err } = await runCli(dir, ['schema', 'instance', 'rgd.yaml', '--out', 'schemas']);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toMatch(/^rgd\.yaml:\d+:\d+: error: .*nope/m);
      expect(existsSync(join(dir, 'schemas'))).toBe(false);
    });
  });
});

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defineCommand } from '../../src/cli/command.js';
import { run } from '../../src/cli/run.js';
import { runCli } from '../helpers/cli.js';

const SEED = new URL('../../examples/web-app/rgd.yaml', import.meta.url);
const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-cli-'));
  cpSync(SEED, join(root, 'web-app.yaml'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(root, argv);

/** A second RGD, derived from the seed, with another kind. */
function writeSecond(): void {
  const text = readFileSync(SEED, 'utf8')
    .replace('name: web-app', 'name: other')
    .replace('kind: Application', 'kind: Other');
  writeFileSync(join(root, 'other.yaml'), text);
}

describe('kro-gen', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: kro-gen <command>');
    expect(r.out).toMatch(/\n {2}crd +print the CRD kro generates for each RGD\n/);
  });

  it('without arguments prints usage to stderr and exits 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('Usage: kro-gen <command>');
  });

  it('--version prints the package version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: `${PKG.version}\n`, err: '' });
  });

  it('rejects an unknown command or option with exit 2', async () => {
    const r = await cli('render');
    expect(r.code).toBe(2);
    expect(r.err).toContain("kro-gen: unknown command 'render'");
    expect((await cli('--frobnicate')).code).toBe(2);
  });

  it('`help <command>` shows that command`s help', async () => {
    const r = await cli('help', 'crd');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: kro-gen crd [options] <file|dir>...');
  });

  it('turns an unexpected exception into one line and exit 70', async () => {
    const boom = defineCommand({
      name: 'boom',
      summary: 'fails',
      args: '',
      options: {},
      async run() {
        throw new TypeError('cannot read properties of undefined\n    at somewhere (x.ts:1:1)');
      },
    });
    let err = '';
    const code = await run(
      ['boom'],
      {
        stdout() {},
        stderr: (s) => {
          err += s;
        },
        cwd: root,
        env: {},
      },
      [boom],
    );
    expect(code).toBe(70);
    expect(err).toBe(
      'kro-gen: internal error: cannot read properties of undefined\nThis is a bug in kro-gen; set KRO_GEN_DEBUG=1 for a stack trace.\n',
    );
  });
});

describe('kro-gen crd', () => {
  it('prints the seed example`s CRD as YAML', async () => {
    const r = await cli('crd', 'web-app.yaml');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.startsWith('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n')).toBe(
      true,
    );
    const crd = parse(r.out);
    expect(crd.metadata.name).toBe('applications.kro.run');
    expect(crd.spec.group).toBe('kro.run');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toMatchObject({
      kind: 'Application',
      plural: 'applications',
      singular: 'application',
    });
    const version = crd.spec.versions[0];
    expect(version).toMatchObject({ name: 'v1alpha1', served: true, storage: true });
    const spec = version.schema.openAPIV3Schema.properties.spec;
    expect(spec.properties.replicas).toMatchObject({ type: 'integer', default: 1, minimum: 0 });
    expect(spec.properties.svcType.enum).toEqual(['ClusterIP', 'NodePort', 'LoadBalancer']);
    expect(spec.properties.image.default).toBe('httpd:latest');
  });

  it('prints the same bytes on every run', async () => {
    const a = await cli('crd', 'web-app.yaml');
    const b = await cli('crd', 'web-app.yaml');
    expect(a.out).toBe(b.out);
    expect(a.out.length).toBeGreaterThan(500);
  });

  it('prints JSON: an object for one CRD, an array for several', async () => {
    const one = await cli('crd', 'web-app.yaml', '-o', 'json');
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out)).toEqual(parse((await cli('crd', 'web-app.yaml')).out));
    writeSecond();
    const two = await cli('crd', '--output=json', 'web-app.yaml', 'other.yaml');
    expect(two.code).toBe(0);
    expect(JSON.parse(two.out).map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual([
      'applications.kro.run',
      'others.kro.run',
    ]);
  });

  it('separates several CRDs with --- in a directory`s sorted file order', async () => {
    writeSecond();
    const r = await cli('crd', '.');
    expect(r.code).toBe(0);
    const docs = r.out.split(/^---\n/m);
    expect(docs).toHaveLength(2);
    expect(docs.map((d) => parse(d).metadata.name)).toEqual(['others.kro.run', 'applications.kro.run']);
  });

  it('writes one file per CRD with --out, identical to what it prints', async () => {
    writeSecond();
    const r = await cli('crd', 'web-app.yaml', 'other.yaml', '--out', 'crds');
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(readdirSync(join(root, 'crds')).sort()).toEqual([
      'applications.kro.run.yaml',
      'others.kro.run.yaml',
    ]);
    const printed = await cli('crd', 'web-app.yaml');
    expect(readFileSync(join(root, 'crds', 'applications.kro.run.yaml'), 'utf8')).toBe(printed.out);
    const json = await cli('crd', 'web-app.yaml', '-o', 'json', '--out', 'crds-json');
    expect(json.code).toBe(0);
    expect(readdirSync(join(root, 'crds-json'))).toEqual(['applications.kro.run.json']);
  });

  it('writes nothing and exits 1 when one input is invalid, naming file:line:col', async () => {
    writeFileSync(
      join(root, 'bad.yaml'),
      readFileSync(SEED, 'utf8').replace('- id: service', '- id: my-service'),
    );
    const r = await cli('crd', 'web-app.yaml', 'bad.yaml', '--out', 'crds');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      'bad.yaml:42:11: error: naming convention violation: id my-service is not a valid KRO resource id: must be lower camelCase\n',
    );
    expect(existsSync(join(root, 'crds'))).toBe(false);
    // Nor anything on stdout without --out.
    expect((await cli('crd', 'web-app.yaml', 'bad.yaml')).out).toBe('');
  });

  it('refuses two RGDs that generate one CRD, whether writing files or printing', async () => {
    writeFileSync(
      join(root, 'copy.yaml'),
      readFileSync(SEED, 'utf8').replace('name: web-app', 'name: web-app-copy'),
    );
    const files = await cli('crd', 'web-app.yaml', 'copy.yaml', '--out', 'crds');
    expect(files.code).toBe(1);
    expect(files.err).toMatch(
      /^error: CRD applications\.kro\.run is generated by two RGDs \(web-app\.yaml:2:1 and copy\.yaml:2:1\)\n$/,
    );
    expect(existsSync(join(root, 'crds'))).toBe(false);
    const printed = await cli('crd', 'web-app.yaml', 'copy.yaml');
    expect(printed.code).toBe(1);
    expect(printed.out).toBe('');
    expect(printed.err).toMatch(/^error: CRD applications\.kro\.run is generated by two RGDs/);
  });

  it('exits 1 when a file is missing or has no RGD, and 2 without arguments', async () => {
    const missing = await cli('crd', 'nope.yaml');
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('error: cannot read nope.yaml: no such file or directory\n');
    writeFileSync(join(root, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const none = await cli('crd', 'cm.yaml');
    expect(none.code).toBe(1);
    expect(none.err).toBe('error: no ResourceGraphDefinition found in cm.yaml\n');
    expect((await cli('crd')).code).toBe(2);
  });

  it('reports YAML syntax errors with positions, never a stack trace', async () => {
    writeFileSync(
      join(root, 'broken.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nspec: [\n',
    );
    const r = await cli('crd', 'broken.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^broken\.yaml:\d+:\d+: error: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('has --help', async () => {
    const r = await cli('crd', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/-o, --output <yaml\|json>/);
    expect(r.out).toMatch(/--out <dir>/);
  });
});

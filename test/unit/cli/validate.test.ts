// `kro-gen validate` through the CLI: broken RGDs each reported once at the right place, warnings
// for kinds without a schema, --crd, chained RGDs, the output formats and the exit status.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toGithubAnnotation } from '../../../src/cli/commands/validate.js';
import { error } from '../../../src/diagnostics.js';
import { runCli } from '../../helpers/cli.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

const cli = (cwd: string, ...argv: string[]) => runCli(cwd, argv);

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

describe('kro-gen validate: broken RGDs', () => {
  // Each position was checked by eye against the fixture.
  const cases: { file: string; at: string; says: RegExp }[] = [
    {
      file: 'cycle.yaml',
      at: '28:20', // `first` in `${first.metadata.name}`, the reference that closes the cycle
      says: /dependency graph: graph contains a cycle: second -> first -> second$/,
    },
    {
      file: 'misspelled.yaml',
      at: '38:23', // `deploymnet` in `${deploymnet.spec.selector.matchLabels}`
      says: /references unknown identifiers: \[deploymnet\] \(did you mean "deployment"\?\)/,
    },
    {
      file: 'reserved.yaml',
      at: '13:11', // the value of `- id: schema`
      says: /id schema is a reserved keyword/,
    },
    {
      file: 'string-in-int.yaml',
      at: '21:23', // `schema.spec.replicas` in `replicas: ${schema.spec.replicas}`
      says: /at path "spec\.replicas".* returns type "string" but expected "int"/,
    },
    {
      file: 'bad-marker.yaml',
      at: '12:27', // `minimum=one`
      says: /spec\.replicas: failed to parse minimum value: "one" is not a valid finite number/,
    },
  ];

  for (const c of cases) {
    it(`${c.file}: one error at ${c.at}, exit 1`, async () => {
      const r = await cli(FIXTURES, 'validate', c.file);
      expect(r.code).toBe(1);
      const out = lines(r.out);
      expect(out).toHaveLength(1);
      expect(out[0]).toMatch(new RegExp(`^${c.file.replace('.', '\\.')}:${c.at}: error: `));
      expect(out[0]).toMatch(c.says);
      expect(r.err).toBe('1 RGD: 1 error, 0 warnings\n');
    });
  }

  it('reports all of them together, sorted by file, each once', async () => {
    const r = await cli(FIXTURES, 'validate', ...cases.map((c) => c.file));
    expect(r.code).toBe(1);
    const out = lines(r.out);
    expect(out.map((l) => l.split(': ')[0])).toEqual(
      cases.map((c) => `${c.file}:${c.at}`).sort((a, b) => (a < b ? -1 : 1)),
    );
    expect(r.err).toBe('5 RGDs: 5 errors, 0 warnings\n');
  });

  it('--format json gives positions, severities and codes', async () => {
    const r = await cli(FIXTURES, 'validate', '--format', 'json', 'cycle.yaml', 'misspelled.yaml');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { diagnostics: unknown[]; summary: unknown };
    expect(doc.diagnostics).toEqual([
      {
        file: 'cycle.yaml',
        line: 28,
        column: 20,
        severity: 'error',
        message: expect.stringContaining('cycle'),
        code: 'graph/cycle',
      },
      {
        file: 'misspelled.yaml',
        line: 38,
        column: 23,
        severity: 'error',
        message: expect.stringContaining('deploymnet'),
        code: 'graph/unknown-identifier',
      },
    ]);
    expect(doc.summary).toEqual({ files: 2, rgds: 2, errors: 2, warnings: 0 });
  });

  it('--format github prints workflow commands', async () => {
    const r = await cli(FIXTURES, 'validate', '-f', 'github', 'reserved.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^::error file=reserved\.yaml,line=13,col=11,title=rgd\/[a-z-]+::naming convention/,
    );
  });

  it('escapes what would break a workflow command', () => {
    const d = error('50% of a\nb', { file: 'a,b:c.yaml', line: 2, col: 3 }, 'x/y');
    expect(toGithubAnnotation(d)).toBe('::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=x/y::50%25 of a%0Ab');
    expect(toGithubAnnotation(error('no position'))).toBe('::error::no position');
  });
});

describe('kro-gen validate: kinds', () => {
  it('types an unknown kind as dyn with a warning: exit 0, or 1 with --strict', async () => {
    const r = await cli(FIXTURES, 'validate', 'unknown-kind.yaml');
    expect(r.code).toBe(0);
    expect(lines(r.out)).toEqual([
      'unknown-kind.yaml:18:15: warning: no schema for Bucket (s3.services.k8s.aws/v1alpha1): expressions on resource "bucket" are not type-checked; pass its CRD with --crd',
    ]);
    expect(r.err).toBe('1 RGD: 0 errors, 1 warning\n');
    expect((await cli(FIXTURES, 'validate', '--strict', 'unknown-kind.yaml')).code).toBe(1);
  });

  it('--crd gives the kind a schema, so its expressions are checked', async () => {
    const ok = await cli(FIXTURES, 'validate', '--crd', 'bucket-crd.yaml', 'unknown-kind.yaml');
    expect(ok).toEqual({ code: 0, out: '', err: '1 RGD: 0 errors, 0 warnings\n' });
    // --crd repeats: every value counts, not only the last.
    const twice = await cli(
      FIXTURES,
      'validate',
      '--crd',
      'bucket-crd.yaml',
      '--crd',
      'cycle.yaml',
      'unknown-kind.yaml',
    );
    // Bucket is typed (no unknown-kind warning); cycle.yaml, which holds no CRD, is named.
    expect(twice).toEqual({
      code: 0,
      out: 'warning: no CustomResourceDefinition found in --crd cycle.yaml\n',
      err: '1 RGD: 0 errors, 1 warning\n',
    });

    const root = mkdtempSync(join(tmpdir(), 'kro-gen-validate-'));
    try {
      const bad = readFileSync(join(FIXTURES, 'unknown-kind.yaml'), 'utf8');
      writeFileSync(
        join(root, 'rgd.yaml'),
        bad.replace('ackResourceMetadata.arn', 'ackResourceMetadata.urn'),
      );
      const r = await cli(root, 'validate', '--crd', join(FIXTURES, 'bucket-crd.yaml'), 'rgd.yaml');
      expect(r.code).toBe(1);
      expect(lines(r.out)).toHaveLength(1);
      expect(r.out).toMatch(/^rgd\.yaml:13:\d+: error: .*urn/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('warns when --crd names no CRD', async () => {
    const r = await cli(FIXTURES, 'validate', '--crd', 'cycle.yaml', 'unknown-kind.yaml');
    expect(r.out).toContain('warning: no CustomResourceDefinition found in --crd cycle.yaml');
  });

  it('fails when no RGD is found, saying what to do with a file of CRDs', async () => {
    const r = await cli(FIXTURES, 'validate', 'bucket-crd.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'error: bucket-crd.yaml holds CustomResourceDefinitions, not ResourceGraphDefinitions; pass it with --crd\n',
    );
    // `--crd a.yaml b.yaml` makes b.yaml an RGD input: it is not skipped.
    const misplaced = await cli(
      FIXTURES,
      'validate',
      '--crd',
      'bucket-crd.yaml',
      'bucket-crd.yaml',
      'cycle.yaml',
    );
    expect(misplaced.code).toBe(1);
    expect(lines(misplaced.out)).toContain(
      'error: bucket-crd.yaml holds CustomResourceDefinitions, not ResourceGraphDefinitions; pass it with --crd',
    );
  });

  it('reports an unreadable input and still validates the others', async () => {
    const r = await cli(FIXTURES, 'validate', 'missing.yaml', 'unknown-kind.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toContain('error: cannot read missing.yaml: no such file or directory');
    expect(r.out).toContain('unknown-kind.yaml:18:15: warning:');
  });
});

// Chained RGDs: `parent` creates a `Child` instance and reads its status.
const child = (kind: string, statusField: string) => `
apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: ${kind.toLowerCase()}
spec:
  schema:
    apiVersion: v1alpha1
    kind: ${kind}
    spec:
      name: string
    status:
      ${statusField}: \${config.metadata.name}
  resources:
    - id: config
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}
`;

const parent = `
apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: parent
spec:
  schema:
    apiVersion: v1alpha1
    kind: Parent
    spec:
      name: string
  resources:
    - id: child
      template:
        apiVersion: kro.run/v1alpha1
        kind: Child
        metadata:
          name: \${schema.spec.name}
        spec:
          name: \${schema.spec.name}
    - id: config
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${child.status.configName}
`;

describe('kro-gen validate: chained RGDs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kro-gen-chain-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const write = (path: string, text: string) => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  };

  it('resolves the kind of another RGD given, and types its status', async () => {
    write('parent.yaml', parent);
    write('child.yaml', child('Child', 'configName'));
    expect(await cli(root, 'validate', '.')).toEqual({
      code: 0,
      out: '',
      err: '2 RGDs: 0 errors, 0 warnings\n',
    });

    write('child.yaml', child('Child', 'configMapName'));
    const r = await cli(root, 'validate', '.');
    expect(r.code).toBe(1);
    expect(lines(r.out)).toEqual([
      expect.stringMatching(/^parent\.yaml:26:32: error: .*undefined field 'configName'/),
    ]);
  });

  it('alone, the chained kind is unknown: a warning', async () => {
    write('parent.yaml', parent);
    const r = await cli(root, 'validate', 'parent.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^parent\.yaml:16:15: warning: no schema for Child \(kro\.run\/v1alpha1\)/);
  });

  it('with two definitions of a kind, uses the nearer one and warns about the duplicate', async () => {
    write('app/parent.yaml', parent);
    write('app/child.yaml', child('Child', 'configName'));
    write('other/child.yaml', child('Child', 'somethingElse'));
    const r = await cli(root, 'validate', 'app', 'other');
    expect(r.code).toBe(0);
    expect(lines(r.out)).toEqual([
      'other/child.yaml:9:11: warning: kind Child (kro.run/v1alpha1) is also defined by RGD child at app/child.yaml:9:11: one cluster can hold only one of them',
    ]);
  });

  it('with two equally near definitions, leaves the kind untyped and says why', async () => {
    write('app/parent.yaml', parent);
    write('a/child.yaml', child('Child', 'configName'));
    // Different: identical copies would be read once.
    write('b/child.yaml', child('Child', 'somethingElse'));
    const r = await cli(root, 'validate', 'a', 'b', 'app');
    expect(r.code).toBe(0);
    const out = lines(r.out);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      /^app\/parent\.yaml:16:15: warning: kind Child \(kro\.run\/v1alpha1\) is defined by 2 of the RGDs given \(a\/child\.yaml:9:11, b\/child\.yaml:9:11\), none nearer/,
    );
    expect(out[1]).toMatch(
      /^b\/child\.yaml:9:11: warning: kind Child .* also defined by RGD child at a\/child\.yaml/,
    );
  });
});

describe('kro-gen crd: status types inferred from the graph', () => {
  it('types the seed web-app status from its expressions', async () => {
    const seed = new URL('../../../examples/web-app/', import.meta.url).pathname;
    const r = await cli(seed, 'crd', 'rgd.yaml');
    expect(r.code).toBe(0);
    const crd = parse(r.out) as {
      spec: { versions: { schema: { openAPIV3Schema: { properties: { status: unknown } } } }[] };
    };
    const status = crd.spec.versions[0]!.schema.openAPIV3Schema.properties.status as {
      properties: Record<string, { type?: string; items?: { type?: string; properties?: object } }>;
    };
    expect(status.properties['availableReplicas']).toEqual({ type: 'integer' });
    const conditions = status.properties['deploymentConditions']!;
    expect(conditions.type).toBe('array');
    expect(conditions.items?.type).toBe('object');
    expect(Object.keys(conditions.items?.properties ?? {})).toEqual(
      expect.arrayContaining(['type', 'status', 'reason', 'message']),
    );
    // kro's own fields are still there.
    expect(status.properties['state']).toEqual({ type: 'string' });
  });

  it("refuses an RGD whose graph has errors, as kro does, with validate's message", async () => {
    const seed = readFileSync(new URL('../../../examples/web-app/rgd.yaml', import.meta.url), 'utf8');
    const root = mkdtempSync(join(tmpdir(), 'kro-gen-crd-'));
    try {
      writeFileSync(join(root, 'rgd.yaml'), seed.replace('{schema.spec.replicas}', '{schema.spec.name}'));
      const r = await cli(root, 'crd', 'rgd.yaml', '--out', 'crds');
      const v = await cli(root, 'validate', 'rgd.yaml');
      expect(v.code).toBe(1);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(v.out);
      expect(r.err).toMatch(/^rgd\.yaml:\d+:\d+: error: type mismatch .*"spec\.replicas"/);
      expect(existsSync(join(root, 'crds'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('kro-gen validate: predictable-secret and --allow', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kro-gen-allow-'));
    writeFileSync(
      join(root, 'rgd.yaml'),
      [
        'apiVersion: kro.run/v1alpha1',
        'kind: ResourceGraphDefinition',
        'metadata:',
        '  name: creds',
        'spec:',
        '  schema:',
        '    apiVersion: v1alpha1',
        '    kind: Creds',
        '  resources:',
        '    - id: secret',
        '      template:',
        '        apiVersion: v1',
        '        kind: Secret',
        '        metadata:',
        '          name: creds',
        '        stringData:',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a kro expression
        '          password: ${random.seededString(16, schema.metadata.name)}',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('warns with its position and code; exit 0, or 1 with --strict', async () => {
    const r = await cli(root, 'validate', 'rgd.yaml');
    expect(r.code).toBe(0);
    expect(lines(r.out)).toEqual([
      expect.stringMatching(
        /^rgd\.yaml:17:23: warning: stringData\.password of Secret "secret" is random\.seededString seeded only by schema\.metadata\.name: .*schema\.metadata\.uid/,
      ),
    ]);
    expect(r.err).toBe('1 RGD: 0 errors, 1 warning\n');
    const json = await cli(root, 'validate', 'rgd.yaml', '--format', 'json');
    expect(JSON.parse(json.out).diagnostics[0].code).toBe('predictable-secret');
    expect((await cli(root, 'validate', 'rgd.yaml', '--strict')).code).toBe(1);
  });

  it('--allow predictable-secret silences it, also under --strict; other warnings stay', async () => {
    const allowed = await cli(root, 'validate', 'rgd.yaml', '--allow', 'predictable-secret', '--strict');
    expect(allowed).toEqual({ code: 0, out: '', err: '1 RGD: 0 errors, 0 warnings\n' });
    const other = await cli(root, 'validate', 'rgd.yaml', '--allow', 'graph/unknown-kind');
    expect(other.err).toBe('1 RGD: 0 errors, 1 warning\n');
  });

  it('--allow with a name that is no warning rule is a usage error (exit 2)', async () => {
    const r = await cli(root, 'validate', 'rgd.yaml', '--allow', 'graph/cycle');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^kro-gen validate: invalid value 'graph\/cycle' for --allow: expected predictable-secret or /,
    );
  });
});

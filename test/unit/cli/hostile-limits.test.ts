// Hostile inputs through the CLI (issue 12, classes 1, 2, 6 and 7): each gives exit 1 with one-line
// positioned diagnostics, never an internal error, a stack overflow or a leaked JS value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONFIGMAP = (data: string) =>
  `  resources:\n    - id: cm\n      template:\n        apiVersion: v1\n        kind: ConfigMap\n        metadata:\n          name: \${schema.spec.name}\n        data:\n          a: ${data}\n`;

function rgd(kind: string, spec: string[], types: string[] = [], data = 'x'): string {
  return [
    'apiVersion: kro.run/v1alpha1',
    'kind: ResourceGraphDefinition',
    'metadata:',
    `  name: ${kind.toLowerCase()}`,
    'spec:',
    '  schema:',
    '    apiVersion: v1alpha1',
    `    kind: ${kind}`,
    ...(types.length > 0 ? ['    types:', ...types.map((t) => `      ${t}`)] : []),
    '    spec:',
    ...spec.map((f) => `      ${f}`),
    CONFIGMAP(data),
  ].join('\n');
}

const BAD_TEXT = ['Maximum call stack', 'internal error', 'undefined', '[object Object]'];

function expectCleanRefusal(r: { code: number; out: string; err: string }, file: string, says: RegExp) {
  expect(r.code).toBe(1);
  const all = `${r.out}${r.err}`;
  for (const bad of BAD_TEXT) expect(all).not.toContain(bad);
  const diags = all.split('\n').filter((l) => l.includes(': error: '));
  expect(diags.length).toBeGreaterThan(0);
  expect(diags[0]).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+: error: `));
  expect(diags[0]).toMatch(says);
}

const cases: { name: string; text: () => string; says: RegExp }[] = [
  {
    name: 'doubling-types.yaml',
    text: () =>
      rgd(
        'Doubling',
        ['name: string', 't: T0'],
        [...Array.from({ length: 24 }, (_, i) => `T${i}: {a: T${i + 1}, b: T${i + 1}}`), 'T24: {x: string}'],
      ),
    says: /expands to about 3\.\d MiB of CRD schema/,
  },
  {
    name: 'type-chain.yaml',
    text: () =>
      rgd(
        'Chain',
        ['name: string', 't: T0'],
        [...Array.from({ length: 3_000 }, (_, i) => `T${i}: {a: T${i + 1}}`), 'T3000: {x: string}'],
      ),
    says: /nests 101 levels deep once custom types are inlined; kro-gen allows 100/,
  },
  {
    name: 'deep-default.yaml',
    text: () =>
      rgd('Deep', ['name: string', `o: object | default=${'{"a":'.repeat(605)}1${'}'.repeat(605)}`]),
    says: /default value nests 605 levels deep; kro-gen allows 100/,
  },
  {
    name: 'long-sum.yaml',
    text: () => rgd('Sum', ['name: string'], [], `\${${Array(2_500).fill('schema.spec.name').join(' + ')}}`),
    says: /nests more than 250 levels deep \(cel-go's parser recursion limit\)/,
  },
  {
    name: 'validation-rule.yaml',
    text: () => rgd('Rule', ['name: string', 'n: integer | validation="self >"']),
    says: /validation rule "self >" does not compile/,
  },
];

describe('hostile RGDs: every command refuses them cleanly', () => {
  for (const c of cases) {
    for (const command of ['validate', 'crd', 'generate']) {
      it(`${c.name}: ${command}`, async () => {
        writeFileSync(join(dir, c.name), c.text());
        const argv = command === 'generate' ? [command, c.name, '--out', 'gen'] : [command, c.name];
        expectCleanRefusal(await runCli(dir, argv), c.name, c.says);
      });
    }
  }

  it('10,000 `!` pass as cel-go folds them', async () => {
    writeFileSync(
      join(dir, 'bangs.yaml'),
      rgd('Bangs', ['name: string'], [], `\${string(${'!'.repeat(10_000)}true)}`),
    );
    const r = await runCli(dir, ['validate', 'bangs.yaml']);
    expect(r.code).toBe(0);
  });

  it('printer columns the API server refuses', async () => {
    const text = rgd('Cols', ['name: string']).replace(
      '    spec:\n',
      '    additionalPrinterColumns:\n      - {name: a, type: weird, jsonPath: "{{{"}\n    spec:\n',
    );
    writeFileSync(join(dir, 'cols.yaml'), text);
    const r = await runCli(dir, ['validate', 'cols.yaml']);
    // Each at its own field, so in the order they are written.
    expectCleanRefusal(
      r,
      'cols.yaml',
      /additionalPrinterColumns\[0\]\.type: Invalid value: "weird": must be one of boolean,date,integer,number,string/,
    );
    expect(r.out).toMatch(/:10:42: error: additionalPrinterColumns\[0\]\.jsonPath: Invalid value: "\{\{\{"/);
  });
});

describe('messages stay one line and quote what they print', () => {
  const web = new URL('../../../examples/web-app/rgd.yaml', import.meta.url).pathname;

  it('an instance without apiVersion, or with a map as kind', async () => {
    writeFileSync(join(dir, 'no-api.yaml'), 'kind: Application\nmetadata:\n  name: x\n');
    writeFileSync(
      join(dir, 'map-kind.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: {a: 1}\nmetadata:\n  name: x\n',
    );
    expectCleanRefusal(
      await runCli(dir, ['synth', web, '--instance', 'no-api.yaml']),
      'no-api.yaml',
      /instance has no apiVersion$/,
    );
    expectCleanRefusal(
      await runCli(dir, ['synth', web, '--instance', 'map-kind.yaml']),
      'map-kind.yaml',
      /instance kind must be a string, not a map$/,
    );
  });

  it('a map used as a key is refused on one line, as kubectl refuses it', async () => {
    const text =
      'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata:\n  name: x\nspec:\n  ? {a: 1,\n     b: 2}\n  : x\n  schema:\n    apiVersion: v1alpha1\n    kind: X\n  resources: []\n';
    writeFileSync(join(dir, 'complex-key.yaml'), text);
    const r = await runCli(dir, ['validate', 'complex-key.yaml']);
    expectCleanRefusal(
      r,
      'complex-key.yaml',
      /a map or list used as a map key has no JSON form: kubectl refuses it/,
    );
    expect(r.out.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('a file name with a line break stays on one line', async () => {
    writeFileSync(join(dir, 'bad\nname.yaml'), rgd('Nl', ['name: string', 'num: integer | default=x']));
    const r = await runCli(dir, ['validate', 'bad\nname.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^bad\\nname\.yaml:\d+:\d+: error: spec\.num: default value must be a valid integer, got: x\n$/,
    );
  });
});

describe('names the API server refuses', () => {
  const web = new URL('../../../examples/web-app/rgd.yaml', import.meta.url).pathname;
  const instance = (name: string, specName: string) =>
    `apiVersion: kro.run/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\nspec:\n  name: ${specName}\n`;

  it('a rendered object named ../../../tmp/x', async () => {
    writeFileSync(join(dir, 'path-name.yaml'), instance('ok', '../../../tmp/x'));
    const r = await runCli(dir, ['synth', web, '--instance', 'path-name.yaml']);
    expectCleanRefusal(
      r,
      web,
      /resource "deployment": metadata\.name: Invalid value: "\.\.\/\.\.\/\.\.\/tmp\/x": Deployment names must be a DNS-1123 subdomain/,
    );
    expect(r.out).toBe('');
  });

  it('an instance named ../evil', async () => {
    writeFileSync(join(dir, 'evil.yaml'), instance('../evil', 'fine'));
    const r = await runCli(dir, ['synth', web, '--instance', 'evil.yaml']);
    expectCleanRefusal(
      r,
      'evil.yaml',
      /instance metadata\.name: Invalid value: "\.\.\/evil": Application names must be a DNS-1123 subdomain/,
    );
  });
});

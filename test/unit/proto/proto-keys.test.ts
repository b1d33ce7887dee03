// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are kro expressions
// Keys named like Object.prototype's members (`__proto__`, `constructor`, `prototype`, `toString`)
// are ordinary data at every stage: loaded as own properties, kept in the CRD, the generated types,
// the embedded RGD and the synthesized objects, checked as unknown instance fields; and no input
// changes any object's prototype.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlFile } from '../../../src/rgd/yaml.js';
import { runCli } from '../../helpers/cli.js';

const KEYS = ['__proto__', 'constructor', 'prototype', 'toString'];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-proto-'));
  cpSync(new URL('./protos-rgd.yaml', import.meta.url), join(dir, 'rgd.yaml'));
  cpSync(new URL('./protos-instance.yaml', import.meta.url), join(dir, 'app.yaml'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every object in `v` has Object.prototype as its prototype. */
function prototypesIntact(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(prototypesIntact);
  if (typeof v !== 'object' || v === null) return true;
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every(prototypesIntact);
}

/** Own keys of `v`, as parsed from printed YAML with JSON semantics (own data properties). */
function ownKeys(v: unknown): string[] {
  return Object.keys(v as object);
}

describe('prototype-named keys', () => {
  it('load as own data properties at every level, and change no prototype', () => {
    const text = `${KEYS.map((k) => `${k}:\n  ${KEYS.map((j) => `${j}: {${j}: x}`).join('\n  ')}`).join('\n')}\n`;
    const r = parseYamlFile({ path: 'k.yaml', text });
    expect(r.diagnostics).toEqual([]);
    const v = r.documents[0]?.value as Record<string, Record<string, Record<string, string>>>;
    expect(Object.keys(v)).toEqual(KEYS);
    for (const k of KEYS) {
      expect(Object.keys(v[k] as object)).toEqual(KEYS);
      for (const j of KEYS) expect(Object.getOwnPropertyDescriptor(v[k]?.[j], j)?.value).toBe('x');
    }
    expect(prototypesIntact(v)).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a `__proto__` map in a merge (<<) is merged as data too', () => {
    const r = parseYamlFile({ path: 'm.yaml', text: 'base: &b {__proto__: {polluted: 1}}\nm:\n  <<: *b\n' });
    const m = (r.documents[0]?.value as { m: object } | undefined)?.m ?? {};
    expect(Object.keys(m)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('crd: schema fields and custom-type fields keep every such key', async () => {
    const r = await runCli(dir, ['crd', 'rgd.yaml', '--output', 'json']);
    expect(r.err).toBe('');
    const crd = JSON.parse(r.out);
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    expect(Object.keys(spec)).toEqual(expect.arrayContaining([...KEYS, 'inner', 'nested']));
    expect(Object.keys(spec.inner.properties).sort()).toEqual([...KEYS].sort());
    expect(Object.keys(spec.nested.properties).sort()).toEqual(['__proto__', 'toString']);
    expect(Object.getOwnPropertyDescriptor(spec, '__proto__')?.value).toEqual({
      default: 'p',
      type: 'string',
    });
  });

  it('generate: the types declare them, and the embedded RGD keeps `__proto__` as data', async () => {
    const r = await runCli(dir, ['generate', 'rgd.yaml', '--out', 'gen']);
    expect(r.code).toBe(0);
    const ts = readFileSync(join(dir, 'gen', 'protos.ts'), 'utf8');
    for (const k of KEYS) expect(ts).toMatch(new RegExp(`readonly '?${k}'?\\?: `));
    expect(ts).toContain('["__proto__"]: "${schema.spec.__proto__}"');
    expect(ts).not.toMatch(/^\s*"__proto__":/m);
  });

  it('synth: a ConfigMap keeps all four data keys; the instance values reach the template', async () => {
    const r = await runCli(dir, ['synth', 'rgd.yaml', '--instance', 'app.yaml']);
    expect(r.err).toBe('');
    const cm = parse(r.out, { version: '1.1' }) as { data: Record<string, string> };
    expect(ownKeys(cm.data)).toEqual(KEYS);
    expect(Object.getOwnPropertyDescriptor(cm.data, '__proto__')?.value).toBe('one');
    expect(cm.data.constructor).toBe('two');
  });

  it('an instance field an RGD does not declare is unknown, whatever its name', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: Protos\nmetadata:\n  name: b\nspec:\n  nested:\n    constructor: 1\n    prototype: 2\n',
    );
    const r = await runCli(dir, ['synth', 'rgd.yaml', '--instance', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      'bad.yaml:7:5: error: spec.nested.constructor: unknown field',
      'bad.yaml:8:5: error: spec.nested.prototype: unknown field',
    ]);
  });

  it('a label key `__proto__` is refused as the API server refuses it', async () => {
    const rgd = readFileSync(join(dir, 'rgd.yaml'), 'utf8').replace(
      '          name: ${schema.metadata.name}\n',
      '          name: ${schema.metadata.name}\n          labels:\n            __proto__: x\n',
    );
    writeFileSync(join(dir, 'label.yaml'), rgd);
    const r = await runCli(dir, ['validate', 'label.yaml']);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(
      `label.yaml:34:13: error: resource cm: metadata.labels key "__proto__" is invalid (the API server refuses it): the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  });
});

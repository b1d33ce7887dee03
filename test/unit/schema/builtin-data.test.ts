// The lazy reader of data/k8s-openapi/builtin.json gives what JSON.parse of the whole file gives,
// and falls back to that when the file is not laid out one definition per line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBuiltinData } from '../../../src/schema/builtin-data.js';

const text = readFileSync('data/k8s-openapi/builtin.json', 'utf8');
const whole = JSON.parse(text) as {
  kubernetesVersion: string;
  modules: Record<string, string>;
  kinds: Record<string, unknown>;
  definitions: Record<string, unknown>;
};

function expectSameAsWhole(text: string): void {
  const data = readBuiltinData(text, 'builtin.json');
  expect(data.kubernetesVersion).toBe(whole.kubernetesVersion);
  expect(data.modules).toEqual(whole.modules);
  expect(data.kinds).toEqual(whole.kinds);
  for (const [name, definition] of Object.entries(whole.definitions)) {
    expect(data.definition(name), name).toEqual(definition);
    expect(data.definition(name)).toBe(data.definition(name));
    // Every reference resolution follows is among the definition's references.
    const refs = JSON.stringify(definition).match(/"\$ref":"#\/definitions\/[^"]*"/g) ?? [];
    expect(refs.length > 0 || !JSON.stringify(definition).includes('$ref'), name).toBe(true);
    for (const ref of refs) expect(data.references(name), name).toContain(ref.slice(22, -1));
  }
  for (const absent of ['', 'io.k8s.api.core.v1.Nope', '__proto__', 'constructor', 'toString']) {
    expect(data.definition(absent), absent).toBeUndefined();
    expect(data.references(absent), absent).toEqual([]);
  }
}

describe('readBuiltinData', () => {
  it('reads the bundled file one definition per line, with the same answers as JSON.parse', () => {
    expect(Object.keys(whole.definitions).length).toBeGreaterThan(500);
    // The layout the lazy path needs (tools/k8s-openapi writes it): one line per definition.
    expect(text.split('\n').filter((l) => l.startsWith('"io.k8s.')).length).toBeGreaterThan(500);
    expectSameAsWhole(text);
  });

  it('parses a definition only when it is asked for', () => {
    const name = 'io.k8s.api.core.v1.Pod';
    const line = text.split('\n').find((l) => l.startsWith(`"${name}": `)) ?? '';
    const broken = text.replace(line, `"${name}": {not json},`);
    const data = readBuiltinData(broken, 'builtin.json');
    expect(data.definition('io.k8s.api.core.v1.ConfigMap')).toEqual(
      whole.definitions['io.k8s.api.core.v1.ConfigMap'],
    );
    expect(() => data.definition(name)).toThrow(SyntaxError);
  });

  it('reads any other layout whole', () => {
    expectSameAsWhole(JSON.stringify(whole, null, 2));
    expectSameAsWhole(JSON.stringify(whole));
    // One definition split over two lines: no longer one per line.
    expectSameAsWhole(text.replace('{"properties":', '{\n"properties":'));
  });

  it('reads escapes in names and references as JSON does', () => {
    // The bundled file holds no backslash (the reader then skips looking for escapes line by line).
    expect(text.includes('\\')).toBe(false);
    // A reference spelled with escaped slashes, and a name spelled with an escape.
    expectSameAsWhole(text.replaceAll('"#/definitions/', '"#\\/definitions\\/'));
    expectSameAsWhole(text.replace('"io.k8s.api.core.v1.Pod": ', '"io.k8s.api.core.v1.\\u0050od": '));
  });

  it('refuses a file that is not built-in kinds data', () => {
    expect(() => readBuiltinData('{"kinds": []}', 'x.json')).toThrow(
      "x.json is not kro-gen's built-in kinds data",
    );
    expect(() => readBuiltinData('nope', 'x.json')).toThrow();
  });
});

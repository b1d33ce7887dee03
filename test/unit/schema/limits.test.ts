// Schemas that would be too large or too deep once custom types are inlined are refused, type by
// type, before anything inlines them; the estimate tracks the CRD kro-gen would write.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { JsonObject } from '../../../src/rgd/model.js';
import { buildInstanceSchema } from '../../../src/schema/build.js';
import { buildCrd } from '../../../src/schema/crd.js';
import {
  fieldExtent,
  MAX_EXPANDED_SCHEMA_BYTES,
  MAX_SCHEMA_DEPTH,
  structExtent,
} from '../../../src/schema/limits.js';
import { rgdFromYaml } from './fixtures.js';

// T0 has two fields of T1, T1 two of T2, ...: the inlined schema doubles with every level.
function doubling(levels: number): JsonObject {
  const types: JsonObject = {};
  for (let i = 0; i < levels; i++) types[`T${i}`] = { a: `T${i + 1}`, b: `T${i + 1}` };
  types[`T${levels}`] = { x: 'string' };
  return types;
}

// T0 uses T1, which uses T2, ...: the inlined schema is as deep as the chain is long.
function chain(levels: number): JsonObject {
  const types: JsonObject = {};
  for (let i = 0; i < levels; i++) types[`T${i}`] = { a: `T${i + 1}` };
  types[`T${levels}`] = { x: 'string' };
  return types;
}

const messages = (spec: JsonObject, types: JsonObject) =>
  buildInstanceSchema({ spec, types }).diagnostics.map((d) => d.message);

describe('expanded schema size', () => {
  it('refuses the first type of a doubling chain whose inlined schema passes 3 MiB, once', () => {
    for (const levels of [16, 24, 200]) {
      const found = messages({ t: 'T0' }, doubling(levels));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(
        /^types\.T\d+: type T\d+ expands to about 3\.\d MiB of CRD schema once custom types are inlined, more than the 3\.0 MiB/,
      );
    }
  });

  it('accepts the same chain a level below the limit', () => {
    expect(messages({ t: 'T0' }, doubling(12))).toEqual([]);
  });

  it('refuses a spec whose fields together pass the limit', () => {
    const spec: JsonObject = {};
    for (let i = 0; i < 8; i++) spec[`f${i}`] = 'T0';
    const found = messages(spec, doubling(12));
    expect(found).toEqual([expect.stringMatching(/^spec: spec expands to about \d+\.\d MiB/)]);
  });

  it('refuses a spec over the limit with that one problem, and builds it with no fields', () => {
    // Measured while it is built: what building its fields found is not reported.
    const spec: JsonObject = {
      bad: 'nope | required=maybe',
      nested: { deeper: { f: 'T0', g: 'T0', h: '[]T0', i: 'map[string]T0' }, other: 42 },
      list: '[]map[string]T0 | minItems=x',
    };
    for (let i = 0; i < 6; i++) spec[`f${i}`] = 'T0';
    const built = buildInstanceSchema({ spec, types: doubling(12) });
    expect(built.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/^spec: spec expands to about \d+\.\d MiB/),
    ]);
    expect(built.schema.spec.fields).toEqual([]);
    // The measure of the spec while building it is structExtent's of the spec.
    const extents = new Map<string, { bytes: number; depth: number }>();
    for (let i = 12; i >= 0; i--)
      extents.set(
        `T${i}`,
        fieldExtent('', doubling(12)[`T${i}`], (n) => extents.get(n)),
      );
    const whole = structExtent(spec, (n) => extents.get(n));
    expect(built.diagnostics[0]?.message).toContain(`about ${(whole.bytes / (1024 * 1024)).toFixed(1)} MiB`);
  });

  it('estimates within 30% of the JSON the CRD holds', () => {
    const types = doubling(10);
    const spec: JsonObject = { t: 'T0', name: 'string | description="a name"' };
    const extents = new Map<string, { bytes: number; depth: number }>();
    for (let i = 10; i >= 0; i--)
      extents.set(
        `T${i}`,
        fieldExtent('', types[`T${i}`], (n) => extents.get(n)),
      );
    const estimated = structExtent(spec, (n) => extents.get(n)).bytes;
    const rgd = rgdFromYaml(
      stringify({
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        metadata: { name: 'x' },
        spec: { schema: { apiVersion: 'v1alpha1', kind: 'X', spec, types }, resources: [] },
      }),
    );
    const { crd, diagnostics } = buildCrd(rgd);
    expect(diagnostics).toEqual([]);
    const versions = (crd.spec as JsonObject).versions as JsonObject[];
    const openApi = ((versions[0] as JsonObject).schema as JsonObject).openAPIV3Schema as JsonObject;
    const actual = JSON.stringify((openApi.properties as JsonObject).spec).length;
    expect(actual).toBeGreaterThan(50_000);
    expect(estimated).toBeGreaterThan(actual * 0.7);
    expect(estimated).toBeLessThan(actual * 1.3);
    expect(MAX_EXPANDED_SCHEMA_BYTES).toBe(3 * 1024 * 1024);
  });
});

describe('expanded schema depth', () => {
  it('refuses the first type of a long chain that nests too deep, without recursion', () => {
    for (const levels of [MAX_SCHEMA_DEPTH, 3_000]) {
      const found = messages({ t: 'T0' }, chain(levels));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/nests 101 levels deep once custom types are inlined; kro-gen allows 100$/);
    }
  });

  it('accepts a chain whose inlined schema is exactly as deep as allowed', () => {
    // The spec, T0 ... T97 and T98's string field: 100 levels.
    expect(messages({ t: 'T0' }, chain(MAX_SCHEMA_DEPTH - 3))).toEqual([]);
    expect(messages({ t: 'T0' }, chain(MAX_SCHEMA_DEPTH - 2))).toEqual([
      'spec: spec nests 101 levels deep once custom types are inlined; kro-gen allows 100',
    ]);
  });

  it('refuses defaults nested deeper than a schema may be', () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    expect(messages({ o: `object | default=${deep(MAX_SCHEMA_DEPTH)}` }, {})).toEqual([]);
    expect(messages({ o: `object | default=${deep(MAX_SCHEMA_DEPTH + 1)}` }, {})).toEqual([
      'spec.o: default value nests 101 levels deep; kro-gen allows 100',
    ]);
  });
});

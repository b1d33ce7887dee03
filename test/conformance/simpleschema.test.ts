// kro's SimpleSchema test tables (parse_test.go, markers_test.go, transform_test.go,
// required_order_test.go), all 196 cases, run against src/schema.
import { afterAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics.js';
import type { JsonObject } from '../../src/rgd/model.js';
import { applyMarkers, emptyFacets, type OpenApiType } from '../../src/schema/apply-markers.js';
import { buildInstanceSchema } from '../../src/schema/build.js';
import { type Marker, type MarkerType, parseMarkers } from '../../src/schema/markers.js';
import { fromOpenAPISpec, schemaProps, specToOpenAPI } from '../../src/schema/openapi.js';
import { parseField, parseMapString, parseSpec } from '../../src/schema/types.js';
import { jsonPointer, loadKroJson } from '../helpers/conformance.js';

interface Case {
  id: string;
  name: string;
  kind: string;
  input: unknown;
  expect?: unknown;
  expectError?: boolean;
  errorEquals?: string;
  errorContains?: string;
  expectRawJSON?: Record<string, string>;
  compare?: string;
  expectAt?: { pointer: string; equals?: unknown; sorted?: boolean; notContains?: string }[];
  expectDeterministic?: { repeat: number; pointer: string };
}

const cases = loadKroJson<Case[]>('simpleschema.json');
let passed = 0;

afterAll(() => {
  console.log(`simpleschema.json ${passed}/${cases.length}`);
});

// kro stores defaults and enum values as raw JSON text; ours are JSON values, so they must read back as
// the same text.
function checkRawJSON(doc: unknown, raw: Record<string, string> | undefined): void {
  for (const [ptr, text] of Object.entries(raw ?? {})) {
    expect(JSON.stringify(jsonPointer(doc, ptr)), ptr).toBe(JSON.stringify(JSON.parse(text)));
  }
}

function sortRequired(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortRequired);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k] = k === 'required' && Array.isArray(x) ? [...x].sort() : sortRequired(x);
  return out;
}

function toOpenAPISpec(input: { spec: JsonObject; customTypes?: JsonObject | null }) {
  const built = buildInstanceSchema({ spec: input.spec, types: input.customTypes ?? null });
  return {
    openapi: specToOpenAPI(built.schema),
    failed: hasErrors(built.diagnostics),
    diagnostics: built.diagnostics,
  };
}

const run: Record<string, (c: Case) => void> = {
  parseField(c) {
    const r = parseField(c.input as string);
    if (c.expectError) {
      expect(r.error).toBeDefined();
      return;
    }
    if (r.error) throw new Error(r.error.message);
    expect({ type: r.type, markerCount: r.markers.length }).toEqual(c.expect);
  },
  parseSpec(c) {
    const r = parseSpec(c.input);
    if (c.expectError) {
      expect(r.error).toBeDefined();
      return;
    }
    if (r.error) throw new Error(r.error.message);
    expect({ type: r.type }).toEqual(c.expect);
  },
  parseMapString(c) {
    const r = parseMapString(c.input as string);
    if (c.expectError) {
      expect(r.error).toBeDefined();
      return;
    }
    expect(r.error).toBeUndefined();
    expect({ value: r.value }).toEqual(c.expect);
  },
  parseMarkers(c) {
    const r = parseMarkers(c.input as string);
    if (c.expectError) {
      expect(r.error).toBeDefined();
      return;
    }
    if (r.error) throw new Error(r.error.message);
    expect(r.markers.map((m) => ({ type: m.type, key: m.key, value: m.value }))).toEqual(c.expect);
  },
  applyMarkers(c) {
    const input = c.input as { schemaType: OpenApiType; markers: string; fieldKey: string };
    const lexed = parseMarkers(input.markers);
    if (lexed.error) throw new Error(lexed.error.message);
    const r = applyMarkers(input.schemaType, emptyFacets(), lexed.markers);
    if (c.expectError) {
      expect(r.errors.length).toBeGreaterThan(0);
      return;
    }
    expect(r.errors).toEqual([]);
    const result = {
      schema: schemaProps(input.schemaType, r.facets),
      parent: r.required ? { required: [input.fieldKey] } : {},
    };
    const expected = c.expect as { schema: unknown; parent?: unknown };
    expect(result.schema).toEqual(expected.schema);
    if (expected.parent !== undefined) expect(result.parent).toEqual(expected.parent);
    checkRawJSON(result, c.expectRawJSON);
  },
  applyMarker(c) {
    // A marker built by hand, bypassing the lexer's key check.
    const input = c.input as {
      schema: { type: OpenApiType };
      marker: { type: string; key: string; value: string };
    };
    const marker: Marker = { ...input.marker, type: input.marker.type as MarkerType, offset: 0 };
    const r = applyMarkers(input.schema.type, emptyFacets(), [marker]);
    expect(r.errors.length).toBe(1);
    expect(r.errors[0]?.message).toContain(c.errorContains);
  },
  toOpenAPISpec(c) {
    const input = c.input as { spec: JsonObject; customTypes?: JsonObject | null };
    const r = toOpenAPISpec(input);
    if (c.expectError) {
      expect(r.failed).toBe(true);
      return;
    }
    expect(r.diagnostics).toEqual([]);
    switch (c.compare) {
      case 'deepEqual':
        expect(r.openapi).toEqual(c.expect);
        break;
      case 'deepEqualAfterSortingRequired':
        expect(sortRequired(r.openapi)).toEqual(sortRequired(c.expect));
        break;
      case 'expectAt':
        for (const at of c.expectAt ?? []) {
          const v = jsonPointer(r.openapi, at.pointer);
          if (at.equals !== undefined) expect(v, at.pointer).toEqual(at.equals);
          if (at.sorted) expect(v).toEqual([...(v as string[])].sort());
          if (at.notContains !== undefined) expect(v).not.toContain(at.notContains);
        }
        break;
      default:
        throw new Error(`unknown compare mode ${c.compare}`);
    }
    if (c.expectDeterministic) {
      const first = JSON.stringify(jsonPointer(r.openapi, c.expectDeterministic.pointer));
      for (let i = 0; i < c.expectDeterministic.repeat; i++) {
        expect(JSON.stringify(jsonPointer(toOpenAPISpec(input).openapi, c.expectDeterministic.pointer))).toBe(
          first,
        );
      }
    }
    checkRawJSON(r.openapi, c.expectRawJSON);
  },
  fromOpenAPISpec(c) {
    const r = fromOpenAPISpec(c.input as JsonObject | null);
    expect(r.error).toBe(c.errorEquals);
  },
};

describe('kro simpleschema conformance', () => {
  it('covers every case kind', () => {
    expect(cases.length).toBe(196);
    for (const c of cases) expect(Object.keys(run), c.id).toContain(c.kind);
  });
  for (const c of cases) {
    it(`${c.id}`, () => {
      const fn = run[c.kind];
      if (!fn) throw new Error(`no runner for ${c.kind}`);
      fn(c);
      passed++;
    });
  }
});

// kro's CRD synthesis tests (pkg/graph/crd/crd_test.go, all of crd.json) and the `generatedCRD`
// asserts of kro's chainsaw e2e tests (the instance CRD kro installed for each test RGD).
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { JsonObject, Scope } from '../../src/rgd/model.js';
import { buildCrd, newCrd, newCrdSchema, printerColumns, synthesizeCrd } from '../../src/schema/crd.js';
import {
  defaultConditionsSchema,
  defaultPrinterColumns,
  defaultStateSchema,
} from '../../src/schema/crd-defaults.js';
import { jsonPointer, loadKroJson } from '../helpers/conformance.js';
import { rgdFromYaml } from '../unit/schema/fixtures.js';

interface CrdCase {
  id: string;
  name: string;
  kind: 'synthesizeCRD' | 'newCRD' | 'newCRDSchema';
  input: Record<string, unknown>;
  expectFields: Record<string, unknown>;
}

const crdJson = loadKroJson<{
  defaults: { additionalPrinterColumns: unknown; conditionsSchema: unknown; stateSchema: unknown };
  cases: CrdCase[];
}>('crd.json');

interface GeneratedCrdAssert {
  file: string;
  category: string;
  expectedSpecSchema?: unknown;
  checkedPaths: Record<string, string[]>;
}
interface E2eTest {
  dir: string;
  rgdFiles: string[];
  asserts: GeneratedCrdAssert[];
}
const e2e = loadKroJson<{ tests: E2eTest[] }>('e2e/index.json');
const e2eAsserts = e2e.tests.flatMap((t) =>
  t.asserts.filter((a) => a.category === 'generatedCRD').map((a, i) => ({ test: t, assert: a, index: i })),
);

const passed = { crd: 0, e2e: 0 };
afterAll(() => {
  console.log(
    `crd.json ${passed.crd}/${crdJson.cases.length}, e2e generatedCRD asserts ${passed.e2e}/${e2eAsserts.length}`,
  );
});

/** A dotted path such as `spec.versions[0].name` or `spec.versions.length`. */
function field(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad path ${path}`);
    const name = m[1] as string;
    if (Array.isArray(cur) && name === 'length') return cur.length;
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[name] : undefined;
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? [])
      cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
  }
  return cur;
}

// A Go map the code makes non-nil but leaves empty marshals to nothing (omitempty); JSON cannot tell it
// from a nil map, so for those fields "not nil" means "present, or absent because empty".
const EMPTY_MAPS_OMITTED = new Set(['properties.status.properties']);

function checkFields(doc: unknown, fields: Record<string, unknown>): void {
  for (const [path, want] of Object.entries(fields)) {
    if (path === 'propertiesContain') {
      const props = Object.keys((doc as { properties: object }).properties);
      for (const k of want as string[]) expect(props, path).toContain(k);
      continue;
    }
    const got = field(doc, path);
    if (want === null) {
      expect(got, path).toBeUndefined();
    } else if (typeof want === 'object' && 'notNil' in want) {
      if (!EMPTY_MAPS_OMITTED.has(path) || got !== undefined) expect(got, path).toBeDefined();
    } else if (typeof want === 'object' && 'present' in want) {
      expect(got, path).toBeDefined();
    } else {
      expect(got, path).toEqual(want);
    }
  }
}

interface RgdSchemaInput {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  shortNames?: string[] | null;
  categories?: string[] | null;
  additionalPrinterColumns?: JsonObject[] | null;
}

function crdSettings(s: RgdSchemaInput) {
  return {
    shortNames: s.shortNames ?? null,
    categories: s.categories ?? null,
    additionalPrinterColumns: printerColumns(s.additionalPrinterColumns ?? null),
    labels: s.metadata?.labels ?? null,
    annotations: s.metadata?.annotations ?? null,
  };
}

describe('kro crd.json', () => {
  it('defaults are kro defaults', () => {
    expect(defaultPrinterColumns()).toEqual(crdJson.defaults.additionalPrinterColumns);
    expect(defaultConditionsSchema()).toEqual(crdJson.defaults.conditionsSchema);
    expect(defaultStateSchema()).toEqual(crdJson.defaults.stateSchema);
  });

  for (const c of crdJson.cases) {
    it(c.id, () => {
      const i = c.input;
      let doc: JsonObject;
      if (c.kind === 'newCRDSchema') {
        doc = newCrdSchema(
          i['spec'] as JsonObject,
          i['status'] as JsonObject,
          i['statusFieldsOverride'] as boolean,
        );
      } else if (c.kind === 'synthesizeCRD') {
        doc = synthesizeCrd({
          group: i['group'] as string,
          apiVersion: i['apiVersion'] as string,
          kind: i['kind'] as string,
          scope: i['scope'] as Scope,
          spec: i['spec'] as JsonObject,
          status: i['status'] as JsonObject,
          statusFieldsOverride: i['statusFieldsOverride'] as boolean,
          ...crdSettings(i['schema'] as RgdSchemaInput),
        });
      } else {
        doc = newCrd({
          group: i['group'] as string,
          apiVersion: i['apiVersion'] as string,
          kind: i['kind'] as string,
          scope: i['scope'] as Scope,
          openAPIV3Schema: i['openAPIV3Schema'] as JsonObject,
          ...crdSettings(i['schema'] as RgdSchemaInput),
        });
      }
      checkFields(doc, c.expectFields);
      passed.crd++;
    });
  }
});

/** Chainsaw's partial match: every key of `want` matches in `got`; arrays match element by element. */
function partialMatch(got: unknown, want: unknown, at = ''): string[] {
  if (want !== null && typeof want === 'object') {
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || got.length !== want.length)
        return [`${at}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];
      return want.flatMap((w, i) => partialMatch(got[i], w, `${at}/${i}`));
    }
    if (got === null || typeof got !== 'object' || Array.isArray(got))
      return [`${at}: expected an object, got ${JSON.stringify(got)}`];
    return Object.entries(want).flatMap(([k, w]) =>
      partialMatch((got as Record<string, unknown>)[k], w, `${at}/${k}`),
    );
  }
  return Object.is(got, want) ? [] : [`${at}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];
}

// Filled in by the API server when it stores the CRD, not by kro.
const APISERVER_DEFAULTED = new Set(['/spec/conversion/strategy']);

describe('kro e2e generatedCRD asserts', () => {
  for (const { test, assert, index } of e2eAsserts) {
    it(`${test.dir} ${assert.file} #${index}`, () => {
      const dir = new URL(`./kro/e2e/${test.dir}/`, import.meta.url);
      const rgdFile = test.rgdFiles[0] as string;
      const rgd = rgdFromYaml(readFileSync(new URL(rgdFile, dir), 'utf8'), rgdFile);
      const built = buildCrd(rgd);
      expect(built.diagnostics).toEqual([]);
      const crd = built.crd;
      const spec = jsonPointer(crd, '/spec/versions/0/schema/openAPIV3Schema/properties/spec');

      expect(partialMatch(spec, assert.expectedSpecSchema)).toEqual([]);

      const expected = parseAllDocuments(readFileSync(new URL(assert.file, dir), 'utf8')).map((d) =>
        d.toJS(),
      )[0];
      const offline = (assert.checkedPaths['offline'] ?? []).filter((p) => !APISERVER_DEFAULTED.has(p));
      expect(offline.length).toBeGreaterThan(0);
      for (const p of offline) expect(jsonPointer(crd, p), p).toEqual(jsonPointer(expected, p));
      passed.e2e++;
    });
  }
});

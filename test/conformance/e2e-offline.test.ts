// kro's chainsaw e2e tests, replayed offline: each test's steps are walked in order (instances and
// other objects applied, asserts checked), and every asserted field that `index.json` marks
// `offline` must equal what kro-gen derives from the same RGD and instance:
//   childResource  the expanded output (synthesize, expanded mode)
//   instance       the instance as kro sees it, schema defaults applied
//   rgdStatus      the graph's topological order; the RGD's own spec
// (`generatedCRD` asserts are the CRD generator's, checked by crd.test.ts.)
//   absence        the object is not produced: an invalid instance is rejected, a resource that
//                  needs a missing external object is not rendered
// The data is kro's (test/conformance/kro/e2e), asserted against a live cluster upstream.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../src/diagnostics.js';
import { buildGraph } from '../../src/graph/build.js';
import { loadRgds } from '../../src/rgd/load.js';
import type { JsonObject, JsonValue, Rgd } from '../../src/rgd/model.js';
import { parseYamlFile } from '../../src/rgd/yaml.js';
import { instanceModel, normalizeInstance, synthesize } from '../../src/synth/index.js';
import { KRO_DATA, loadKroJson } from '../helpers/conformance.js';

const E2E = new URL('e2e/', KRO_DATA).pathname;

interface AssertEntry {
  readonly file?: string;
  readonly op: string;
  readonly step: string;
  readonly category: string;
  readonly object: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  readonly checkedPaths: { readonly offline?: readonly string[] };
}

interface TestEntry {
  readonly test: string;
  readonly dir: string;
  readonly rgdFiles: readonly string[];
  readonly asserts: readonly AssertEntry[];
}

const index = loadKroJson<{ tests: TestEntry[] }>('e2e/index.json');

function isMap(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function documents(path: string): JsonObject[] {
  const parsed = parseYamlFile({ path, text: readFileSync(path, 'utf8') });
  return parsed.documents.map((d) => d.value).filter(isMap);
}

/** The value at a JSON pointer, or undefined. */
function at(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isMap(cur)) cur = Object.hasOwn(cur, key) ? cur[key] : undefined;
    else return undefined;
  }
  return cur;
}

type Op = { readonly kind: 'apply' | 'assert' | 'error'; readonly file: string; readonly step: string };

/** The apply / assert / error operations of a chainsaw test, in order. */
function operations(dir: string): Op[] {
  const [test] = documents(join(dir, 'chainsaw-test.yaml'));
  const steps = (isMap(test?.spec) && Array.isArray(test.spec.steps) ? test.spec.steps : []).filter(isMap);
  const ops: Op[] = [];
  for (const step of steps) {
    for (const op of Array.isArray(step.try) ? step.try.filter(isMap) : []) {
      for (const kind of ['apply', 'assert', 'error'] as const) {
        const body = op[kind];
        if (isMap(body) && typeof body.file === 'string')
          ops.push({ kind, file: body.file, step: String(step.name) });
      }
    }
  }
  return ops;
}

const identity = (o: JsonObject) => {
  const m = isMap(o.metadata) ? o.metadata : {};
  return `${String(o.apiVersion)}/${String(o.kind)}/${String(m.name)}`;
};

let matched = 0;

describe('kro e2e asserts, offline', () => {
  afterAll(() => {
    console.log(`e2e-offline: ${matched} offline fields matched`);
  });

  for (const t of index.tests) {
    it(t.test, () => {
      const dir = join(E2E, t.dir);
      const crds: JsonValue[] = [];
      // CRDs a test installs first (kinds the RGD uses) become schema sources.
      for (const op of operations(dir)) {
        if (op.kind !== 'apply') continue;
        for (const d of documents(join(dir, op.file)))
          if (d.kind === 'CustomResourceDefinition') crds.push(d);
      }
      const loaded = loadRgds(t.rgdFiles.map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') })));
      expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const rgd = loaded.rgds[0] as Rgd;
      const built = buildGraph(rgd, { crds });
      expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const instanceKind = `${rgd.schema.group}/${rgd.schema.apiVersion}/${rgd.schema.kind}`;

      const instances = new Map<string, JsonObject>();
      const externals: JsonObject[] = [];
      let checked = 0;
      for (const op of operations(dir)) {
        const docs = documents(join(dir, op.file));
        if (op.kind === 'apply') {
          for (const d of docs) {
            const id = identity(d);
            if (`${String(d.apiVersion)}/${String(d.kind)}` === instanceKind) {
              instances.set(id, d);
            } else if (
              d.kind !== 'ResourceGraphDefinition' &&
              d.kind !== 'CustomResourceDefinition' &&
              d.kind !== 'ClusterRole'
            ) {
              externals.push(d);
            }
          }
          continue;
        }
        const entry = t.asserts.find((a) => a.file === op.file && a.step === op.step && a.op === op.kind);
        const offline = entry?.checkedPaths.offline ?? [];
        if (!entry || offline.length === 0 || entry.category === 'generatedCRD') continue;
        const expected = docs[0];
        const rendered = synthesize(
          [...instances.values()].map((object) => ({ rgd, graph: built.graph, object })),
          { mode: 'expanded', externals, schemas: { crds } },
        );
        const find = (id: string) => rendered.manifests.find((m) => identity(m.object) === id)?.object;
        const want = `${entry.object.apiVersion}/${entry.object.kind}/${entry.object.name}`;

        if (entry.category === 'absence') {
          if (`${entry.object.apiVersion}/${entry.object.kind}` === instanceKind) {
            const n = normalizeInstance(rgd, instanceModel(rgd).model, { object: expected ?? null });
            expect(hasErrors(n.diagnostics), `${op.file} must be rejected`).toBe(true);
          } else {
            expect(find(want), `${want} must not be rendered`).toBeUndefined();
          }
          checked += offline.length;
          continue;
        }

        let actual: unknown;
        switch (entry.category) {
          case 'childResource':
            expect(rendered.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
            actual = find(want);
            break;
          case 'instance': {
            const object = instances.get(want);
            expect(object, `${want} was applied`).toBeDefined();
            const n = normalizeInstance(rgd, instanceModel(rgd).model, { object: object ?? null });
            expect(n.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
            actual = n.instance?.object;
            break;
          }
          case 'rgdStatus':
            actual = { spec: rgd.raw.spec, status: { topologicalOrder: built.graph.topologicalOrder } };
            break;
          default:
            throw new Error(`unknown category ${entry.category}`);
        }
        expect(actual, `${entry.category} ${want} (${op.file})`).toBeDefined();
        for (const pointer of offline) {
          expect(at(actual, pointer), `${op.file} ${pointer}`).toEqual(at(expected, pointer));
          checked++;
        }
      }
      matched += checked;
      // Every test with offline fields checks at least one; a test with none is still replayed.
      const total = t.asserts
        .filter((a) => a.category !== 'generatedCRD')
        .reduce((n, a) => n + (a.checkedPaths.offline?.length ?? 0), 0);
      expect(checked).toBe(total);
    });
  }
});

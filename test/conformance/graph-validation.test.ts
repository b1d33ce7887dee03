// kro's graph builder tests (pkg/graph/builder_test.go and friends), vendored as JSON, run against
// buildGraph. Kinds resolve only through the vendored fake resolver, as in kro's tests, and the
// CELOmitFunction gate is on, as it is for kro's graph package tests. Cases we do not pass are
// listed in KNOWN_GAPS with the reason; a case that starts failing without being listed fails.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { celTypeFromSchema, type OpenApiSchema } from '../../src/cel/types.js';
import { type Diagnostic, hasErrors } from '../../src/diagnostics.js';
import { buildGraph, expectedTypeAt } from '../../src/graph/build.js';
import type { Graph } from '../../src/graph/model.js';
import { loadRgds, rgdFromObject } from '../../src/rgd/load.js';
import { KindResolver, type KnownKind } from '../../src/schema/resolver.js';

const dir = fileURLToPath(new URL('./kro/', import.meta.url));
const load = <T>(name: string): T => JSON.parse(readFileSync(dir + name, 'utf8')) as T;

interface Case {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly rgd?: unknown;
  readonly input?: Record<string, unknown>;
  readonly expect?: unknown;
  readonly expectError?: boolean;
  readonly errorContains?: string;
  readonly errorContainsAll?: readonly string[];
  readonly expectTopologicalOrder?: readonly string[];
  readonly expectApplyOrders?: Record<string, number>;
  readonly expectGraph?: readonly { pointer: string; op: string; value?: unknown }[];
}

interface FakeKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly openAPIV3Schema: OpenApiSchema;
}

const cases = load<Case[]>('graph-validation.json');
const fake = load<{ kinds: FakeKind[] }>('graph-validation.fake-resolver.json');
const kinds: KnownKind[] = fake.kinds.map((k) => ({
  apiVersion: k.apiVersion,
  kind: k.kind,
  namespaced: k.namespaced,
  schema: k.openAPIV3Schema,
}));
const resolver = new KindResolver({ kinds });

/** Cases we knowingly do not pass, with why. */
const KNOWN_GAPS: Record<string, string> = {
  'graph/TestGraphBuilder_Validation/invalid-instance-spec-field-type':
    'the SimpleSchema stage words an unknown type as `spec.port: unknown type: wrongtype`, without kro\'s "failed to build OpenAPI schema for instance" wrapper',
  'graph/TestBuildStatusSchema/string-interpolation-non-string-expression':
    "we check each part of a string template separately and say so; kro quotes cel-go's `_+_` overload error verbatim",
};

function messages(diags: readonly Diagnostic[]): string {
  return diags
    .filter((d) => d.severity === 'error')
    .map((d) => d.message)
    .join('\n');
}

function expectErrors(c: Case, diags: readonly Diagnostic[]): void {
  if (c.expectError) {
    expect(hasErrors(diags), `expected an error containing ${c.errorContains ?? '(any)'}`).toBe(true);
    const text = messages(diags);
    if (c.errorContains) expect(text).toContain(c.errorContains);
    for (const s of c.errorContainsAll ?? []) expect(text).toContain(s);
  } else {
    expect(messages(diags)).toBe('');
  }
}

const NODE_TYPE: Record<string, string> = {
  resource: 'Resource',
  collection: 'Collection',
  external: 'External',
  externalCollection: 'ExternalCollection',
};

/** kro's graph, as its tests look at it. */
function kroView(g: Graph): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const r of g.resources) {
    resources[r.id] = {
      dependencies: r.dependencies,
      variables: r.variables.map((v) => ({ path: v.path, expression: v.expression, kind: v.kind })),
      readyWhen: r.readyWhen.map((e) => e.expression),
      includeWhen: r.includeWhen.map((e) => e.expression),
      forEach: r.forEach.map((d) => ({ name: d.name, expression: d.expression.expression })),
      type: NODE_TYPE[r.type],
    };
  }
  return { resources, topologicalOrder: g.topologicalOrder, applyOrders: g.applyOrders };
}

function at(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function sortJson(xs: unknown[]): string[] {
  return xs.map((x) => JSON.stringify(x)).sort();
}

function assertGraph(
  view: Record<string, unknown>,
  a: { pointer: string; op: string; value?: unknown },
): void {
  const v = at(view, a.pointer);
  switch (a.op) {
    case 'equals':
      expect(v, a.pointer).toEqual(a.value);
      return;
    case 'empty':
      expect((v as unknown[] | undefined)?.length ?? 0, a.pointer).toBe(0);
      return;
    case 'len':
      expect(Array.isArray(v) ? v.length : Object.keys(v as object).length, a.pointer).toBe(a.value);
      return;
    case 'contains':
      expect(v as unknown[], a.pointer).toContainEqual(a.value);
      return;
    case 'elementsMatch':
      expect(sortJson(v as unknown[]), a.pointer).toEqual(sortJson(a.value as unknown[]));
      return;
    case 'notNil':
      expect(v, a.pointer).toBeDefined();
      return;
    case 'before': {
      const [x, y] = a.value as [string, string];
      const order = v as string[];
      expect(order.indexOf(x), a.pointer).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(x), a.pointer).toBeLessThan(order.indexOf(y));
      return;
    }
    default:
      throw new Error(`unknown op ${a.op}`);
  }
}

function runBuildRgd(c: Case): void {
  const loaded = rgdFromObject(c.rgd, `${c.id}.json`, {
    validation: { scopeOf: resolver.scopeOf, maxForEachDimensions: 5 },
  });
  const diags = [...loaded.diagnostics];
  let graph: Graph | undefined;
  if (loaded.rgd) {
    const built = buildGraph(loaded.rgd, { kinds, builtin: false, unknownKinds: 'error', omit: true });
    diags.push(...built.diagnostics);
    graph = built.graph;
  }
  expectErrors(c, diags);
  if (!graph || c.expectError) return;
  if (c.expectTopologicalOrder) expect(graph.topologicalOrder).toEqual(c.expectTopologicalOrder);
  if (c.expectApplyOrders) expect(graph.applyOrders).toEqual(c.expectApplyOrders);
  const view = kroView(graph);
  for (const a of c.expectGraph ?? []) assertGraph(view, a);
}

// The object fields every served schema has; kro's test schema leaves them out.
function withIdentity(schema: OpenApiSchema): OpenApiSchema {
  return {
    ...schema,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      ...schema.properties,
    },
  };
}

// buildStatusSchema: a status block checked against one resource's schema. kro's test names the
// resource `resource`, a reserved id in RGDs, so the loader's id check is set aside here.
function runBuildStatusSchema(c: Case): void {
  const input = c.input as {
    statusRaw: string;
    resourceIds: string[];
    resourceSchemas: Record<string, OpenApiSchema>;
  };
  const resources = input.resourceIds.map((id) => ({
    id,
    template: { apiVersion: 'test.kro.run/v1', kind: `Res${id}`, metadata: { name: id } },
  }));
  const testKinds: KnownKind[] = input.resourceIds.map((id) => ({
    apiVersion: 'test.kro.run/v1',
    kind: `Res${id}`,
    namespaced: true,
    schema: withIdentity(input.resourceSchemas[id] ?? {}),
  }));
  const status = input.statusRaw
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  const text = [
    'apiVersion: kro.run/v1alpha1',
    'kind: ResourceGraphDefinition',
    'metadata: {name: status-test}',
    'spec:',
    '  schema:',
    '    apiVersion: v1alpha1',
    '    kind: StatusTest',
    '    status:',
    status,
    `  resources: ${JSON.stringify(resources)}`,
  ].join('\n');
  const loaded = loadRgds([{ path: `${c.id}.yaml`, text }]);
  const diags = loaded.diagnostics.filter((d) => d.code !== 'rgd/resource-id');
  const rgd = loaded.rgds[0] ?? loaded.invalid[0];
  if (!rgd) {
    // The status YAML itself does not parse (kro: "failed to unmarshal status schema").
    expect(c.expectError).toBe(true);
    expect(hasErrors(diags)).toBe(true);
    return;
  }
  const built = buildGraph(rgd, { kinds: testKinds, builtin: false, unknownKinds: 'error', omit: true });
  diags.push(...built.diagnostics);
  expectErrors(c, diags);
  if (c.expectError) return;
  const e = (c.expect ?? {}) as { statusSchemaAt?: Record<string, unknown>; fieldDescriptorCount?: number };
  if (e.fieldDescriptorCount !== undefined)
    expect(built.graph.instance.statusVariables.length).toBe(e.fieldDescriptorCount);
  for (const [ptr, val] of Object.entries(e.statusSchemaAt ?? {}))
    expect(at(built.graph.instance.statusSchema, ptr)).toEqual(val);
}

function runLookupSchemaAtField(c: Case): void {
  const input = c.input as { schema: OpenApiSchema | null; field: string };
  const root = celTypeFromSchema(input.schema, '__type_x');
  const t = input.field === '' ? root : expectedTypeAt(root, [input.field]);
  if (c.expect === null) {
    // kro returns nil: the field is unknown, which we read as dyn.
    expect(t.kind).toBe('dyn');
    return;
  }
  const e = c.expect as { type0?: string };
  const kindOf: Record<string, string> = { string: 'primitive', object: 'object', integer: 'primitive' };
  if (e.type0 === 'object') expect(['object', 'map']).toContain(t.kind);
  else if (e.type0) expect(t.kind).toBe(kindOf[e.type0]);
  else expect(t).toBeDefined();
}

const runners: Record<string, (c: Case) => void> = {
  buildRGD: runBuildRgd,
  buildStatusSchema: runBuildStatusSchema,
  lookupSchemaAtField: runLookupSchemaAtField,
};

const runnable = cases.filter((c) => runners[c.kind]);

describe('kro graph-validation conformance', () => {
  for (const c of runnable) {
    const gap = KNOWN_GAPS[c.id];
    const run = () => runners[c.kind]?.(c);
    if (gap) {
      it(`${c.id} (known gap: ${gap})`, () => {
        expect(run).toThrow();
      });
    } else {
      it(c.id, run);
    }
  }

  it('runs every case of the kinds it covers', () => {
    expect(runnable.length).toBeGreaterThan(100);
    console.log(
      `graph-validation: ${runnable.length - Object.keys(KNOWN_GAPS).length} pass, ${Object.keys(KNOWN_GAPS).length} known gaps`,
    );
  });
});

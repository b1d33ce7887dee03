// kro's graph builder tests (pkg/graph/builder_test.go and friends), vendored as JSON, run against
// buildGraph. Kinds resolve only through the vendored fake resolver, as in kro's tests, and the
// CELOmitFunction gate is on, as it is for kro's graph package tests. Cases we do not pass are
// listed in KNOWN_GAPS with the reason; a case that starts failing without being listed fails.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../src/cel/environment.js';
import { celTypeFromSchema, type OpenApiSchema } from '../../src/cel/types.js';
import { type Diagnostic, error, hasErrors } from '../../src/diagnostics.js';
import { buildGraph } from '../../src/graph/build.js';
import {
  extractConditionExpressions,
  isRequiredIdentityField,
  validateConditionEntries,
} from '../../src/graph/conditions.js';
import type { Graph } from '../../src/graph/model.js';
import { expectedTypeAt } from '../../src/graph/resource-types.js';
import { loadRgds, rgdFromObject } from '../../src/rgd/load.js';
import type { JsonObject } from '../../src/rgd/model.js';
import type { KnownKind } from '../../src/schema/resolver.js';
import { loadKroJson } from '../helpers/conformance.js';

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

const cases = loadKroJson<Case[]>('graph-validation.json');
const fake = loadKroJson<{ kinds: FakeKind[] }>('graph-validation.fake-resolver.json');
const kinds: KnownKind[] = fake.kinds.map((k) => ({
  apiVersion: k.apiVersion,
  kind: k.kind,
  namespaced: k.namespaced,
  schema: k.openAPIV3Schema,
}));

/** Cases we knowingly do not pass, with why. */
const KNOWN_GAPS: Record<string, string> = {
  'graph/TestBuildInstanceSpecSchema/invalid-spec-yaml':
    'spec is part of the YAML document: a syntax error in it is the loader\'s YAML error, not kro\'s "failed to unmarshal spec schema"',
  'graph/TestBuildInstanceSpecSchema/invalid-custom-types-yaml':
    'types is part of the YAML document: a syntax error in it is the loader\'s YAML error, not kro\'s "failed to unmarshal predefined types"',
  'graph/TestBuildRGResourceErrorPaths/rest-mapping-error':
    'kro-gen has no REST mapper apart from its schema sources; an unmappable kind is reported as "schema not found"',
  'graph/TestValidateTemplateConstraints/invalid-metadata-namespace-shape':
    'the loader rejects a non-map metadata first, as "metadata field is not a map"',
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
    validation: { maxForEachDimensions: 5 },
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

function runExtractConditionExpressions(c: Case): void {
  const input = structuredClone(c.input) as JsonObject;
  const r = extractConditionExpressions(input);
  if (c.expectError) {
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain(c.errorContains);
    return;
  }
  const e = c.expect as { conditions: string[] | null; removedFromInput: boolean };
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.conditions).toEqual(e.conditions);
  expect(Object.hasOwn(r.rest, 'conditions')).toBe(!e.removedFromInput && Object.hasOwn(input, 'conditions'));
}

function runValidateConditionExpressions(c: Case): void {
  const texts = ((c.input as { conditions: string[] | null }).conditions ?? []) as string[];
  const env = createKroEnvironment({ omit: true });
  const asts = texts.map((t) => {
    try {
      return env.compile(t).ast;
    } catch {
      return undefined;
    }
  });
  expectErrors(
    c,
    validateConditionEntries(asts, texts).map((p) => error(p.message)),
  );
}

// An RGD around the given pieces. kro's tests name resources `resource`, a reserved id in RGDs,
// so the loader's id check is set aside by the runners that use this.
function syntheticRgd(opts: {
  resources: unknown[];
  status?: unknown;
  scope?: 'Namespaced' | 'Cluster';
  spec?: unknown;
}): string {
  return JSON.stringify({
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'synthetic' },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: 'Synthetic',
        ...(opts.scope ? { scope: opts.scope } : {}),
        spec: opts.spec ?? { name: 'string', someStatus: 'string', someType: 'string' },
        ...(opts.status ? { status: opts.status } : {}),
      },
      resources: opts.resources,
    },
  });
}

function buildSynthetic(c: Case, text: string, testKinds: KnownKind[]): Diagnostic[] {
  const loaded = loadRgds([{ path: `${c.id}.json`, text }]);
  const diags = loaded.diagnostics.filter((d) => d.code !== 'rgd/resource-id');
  const rgd = loaded.rgds[0] ?? loaded.invalid[0];
  if (rgd)
    diags.push(
      ...buildGraph(rgd, { kinds: testKinds, builtin: false, unknownKinds: 'error', omit: true }).diagnostics,
    );
  return diags;
}

function runBuildConditions(c: Case): void {
  const input = c.input as {
    conditions: string[] | null;
    env: { resourceIds: string[]; schemas: Record<string, OpenApiSchema> };
  };
  const testKinds: KnownKind[] = input.env.resourceIds.map((id) => ({
    apiVersion: 'test.kro.run/v1',
    kind: `Res${id}`,
    namespaced: true,
    schema: withIdentity(input.env.schemas[id] ?? {}),
  }));
  const resources = input.env.resourceIds.map((id) => ({
    id,
    template: { apiVersion: 'test.kro.run/v1', kind: `Res${id}`, metadata: { name: id } },
  }));
  const text = syntheticRgd({ resources, status: { conditions: input.conditions ?? [] } });
  expectErrors(c, buildSynthetic(c, text, testKinds));
}

function runValidateIdentityFields(c: Case): void {
  const input = c.input as {
    nodes: Record<string, { namespaced: boolean; variables: { path: string; expression: string }[] }>;
    isInstanceNamespaced: boolean;
  };
  const env = createKroEnvironment({ omit: true });
  const problems: Diagnostic[] = [];
  for (const [id, node] of Object.entries(input.nodes)) {
    for (const v of node.variables) {
      if (!isRequiredIdentityField(v.path, node.namespaced, input.isInstanceNamespaced)) continue;
      const usesOmit = JSON.stringify(env.compile(v.expression).ast.toOldStructure()).includes('"omit"');
      if (usesOmit) problems.push(error(`resource "${id}": omit() cannot be used at path "${v.path}"`));
    }
  }
  expectErrors(c, problems);
}

function runBuildResource(c: Case): void {
  const input = c.input as { resource: Record<string, unknown>; instanceNamespaced: boolean };
  if ('templateRaw' in input.resource) {
    // Invalid YAML inside a template: the loader rejects the whole document.
    const text = `apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {name: x}\nspec:\n  schema: {apiVersion: v1, kind: X}\n  resources:\n    - id: bad\n      template: ${input.resource.templateRaw}\n`;
    expect(hasErrors(loadRgds([{ path: 'x.yaml', text }]).diagnostics)).toBe(true);
    return;
  }
  const text = syntheticRgd({
    resources: [input.resource],
    scope: input.instanceNamespaced ? 'Namespaced' : 'Cluster',
  });
  const diags = buildSynthetic(c, text, kinds);
  expectErrors(c, diags);
  if (!c.expectError && (c as { expectNodeType?: string }).expectNodeType) {
    const loaded = loadRgds([{ path: 'x.json', text }]);
    const rgd = loaded.rgds[0];
    expect(rgd).toBeDefined();
    if (!rgd) return;
    const g = buildGraph(rgd, { kinds, builtin: false, omit: true }).graph;
    expect(NODE_TYPE[g.resources[0]?.type ?? '']).toBe((c as { expectNodeType?: string }).expectNodeType);
  }
}

function runValidateTemplateConstraints(c: Case): void {
  const input = c.input as {
    resourceId: string;
    object: Record<string, unknown>;
    namespaced: boolean;
    instanceNamespaced: boolean;
  };
  const testKinds: KnownKind[] = [
    {
      apiVersion: 'test.kro.run/v1',
      kind: 'Res',
      namespaced: input.namespaced,
      schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  ];
  const template = { apiVersion: 'test.kro.run/v1', kind: 'Res', ...input.object };
  const text = syntheticRgd({
    resources: [{ id: input.resourceId, template }],
    scope: input.instanceNamespaced ? 'Namespaced' : 'Cluster',
    spec: { targetNamespace: 'string' },
  });
  expectErrors(c, buildSynthetic(c, text, testKinds));
}

// The spec and types come as raw YAML; the loader parses them with the rest of the document.
function runBuildInstanceSpecSchema(c: Case): void {
  const input = c.input as { specRaw: string; typesRaw: string };
  const text = `apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {name: x}\nspec:\n  schema:\n    apiVersion: v1\n    kind: X\n    spec: ${input.specRaw}\n    types: ${input.typesRaw}\n`;
  expectErrors(c, loadRgds([{ path: 'x.yaml', text }]).diagnostics);
}

const runners: Record<string, (c: Case) => void> = {
  buildInstanceSpecSchema: runBuildInstanceSpecSchema,
  buildRGD: runBuildRgd,
  buildStatusSchema: runBuildStatusSchema,
  lookupSchemaAtField: runLookupSchemaAtField,
  extractConditionExpressions: runExtractConditionExpressions,
  validateConditionExpressions: runValidateConditionExpressions,
  buildConditions: runBuildConditions,
  validateIdentityFields: runValidateIdentityFields,
  buildResource: runBuildResource,
  validateTemplateConstraints: runValidateTemplateConstraints,
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

  it('runs every case of the kinds it covers, and every known gap is a real case', () => {
    for (const id of Object.keys(KNOWN_GAPS)) expect(runnable.map((c) => c.id)).toContain(id);
    const structural = [...new Set(cases.filter((c) => !runners[c.kind]).map((c) => c.kind))].sort();
    const gaps = Object.entries(KNOWN_GAPS).map(([id, why]) => `  ${id}: ${why}`);
    console.log(
      [
        `graph-validation: ${runnable.length - gaps.length} of ${runnable.length} cases pass, ${gaps.length} known gaps:`,
        ...gaps,
        `structural validator kinds run by test/conformance/rgd-validation.test.ts: ${structural.join(', ')}`,
      ].join('\n'),
    );
    expect(runnable.length).toBe(159);
  });
});

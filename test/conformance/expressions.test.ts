// kro's expression tables (test/conformance/kro/expressions.json): the ${} scanner, standalone
// detection, string templates, template walking with and without a schema, and field paths.
import { describe, expect } from 'vitest';
import {
  buildStringTemplate,
  type ExpressionMatch,
  extractExpressions,
  isStandaloneExpression,
  unwrapExpressions,
} from '../../src/cel/scanner.js';
import {
  checkScalar,
  collectTypesFromSubSchemas,
  expectedTypes,
  type FieldExpression,
  type OpenApiSchema,
  parseResource,
  parseSchemalessResource,
} from '../../src/cel/template.js';
import {
  buildFieldPath,
  joinPathAndFieldName,
  type PathSegment,
  parseFieldPath,
} from '../../src/graph/fieldpath.js';
import { loadKroJson, runCases } from '../helpers/conformance.js';

interface ExprCase {
  id: string;
  name: string;
  kind: string;
  input: unknown;
  expect?: unknown;
  expectError?: boolean;
  errorEquals?: string;
  errorContains?: string;
  expectDerived?: unknown;
  compare?: string;
}

const cases = loadKroJson<ExprCase[]>('expressions.json');

interface PathExpr {
  path: string;
  expression: string;
}

function byPath(list: readonly PathExpr[]): PathExpr[] {
  return list
    .map(({ path, expression }) => ({ path, expression }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

function pathExprs(found: readonly FieldExpression[]): PathExpr[] {
  return found.map((f) => ({ path: f.path, expression: f.expression }));
}

/** Checks an error list against the case's error expectations (kro stops at its first error). */
function expectErrors(c: ExprCase, errors: readonly { message: string }[]): void {
  if (!c.expectError) {
    expect(errors).toEqual([]);
    return;
  }
  expect(errors.length).toBeGreaterThan(0);
  if (c.errorEquals !== undefined) expect(errors[0]!.message).toBe(c.errorEquals);
  if (c.errorContains !== undefined) expect(errors[0]!.message).toContain(c.errorContains);
}

function runParseResource(c: ExprCase): void {
  const input = c.input as { resource: unknown; schema: OpenApiSchema | null; path?: string };
  const walk = parseResource(
    input.resource,
    input.schema,
    input.path !== undefined ? { path: input.path } : {},
  );
  expectErrors(c, walk.errors);
  const expected = (c.expect as { expressions?: PathExpr[] } | undefined)?.expressions;
  if (expected === undefined) return;
  const got = pathExprs(walk.expressions);
  if (c.compare?.startsWith('contains')) {
    for (const e of expected) expect(got).toContainEqual(e);
  } else {
    // Every other compare mode in the table amounts to the same set of (path, expression).
    expect(byPath(got)).toEqual(byPath(expected));
  }
}

function runCase(c: ExprCase): void {
  switch (c.kind) {
    case 'extractExpressions': {
      const r = extractExpressions(c.input as string);
      if (c.expectError) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.message).toBe(c.errorEquals);
      } else {
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value.map(({ expr, start, end }) => ({ expr, start, end }))).toEqual(c.expect);
      }
      break;
    }
    case 'isStandaloneExpression': {
      const r = isStandaloneExpression(c.input as string);
      if (c.expectError) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.message).toBe(c.errorEquals);
      } else {
        expect(r).toEqual({ ok: true, value: c.expect });
      }
      break;
    }
    case 'unwrapExpressions': {
      const r = unwrapExpressions(c.input as string[]);
      expect(!r.ok).toBe(c.expectError);
      if (!r.ok) expect(r.error.message).toBe(c.errorEquals);
      else expect(r.value).toEqual(c.expectDerived);
      break;
    }
    case 'buildStringTemplate': {
      const input = c.input as { template: string; matches: { expr: string; start: number; end: number }[] };
      const matches: ExpressionMatch[] = input.matches.map((m) => ({
        ...m,
        innerStart: m.start + 2,
        innerEnd: m.end - 1,
      }));
      expect(buildStringTemplate(input.template, matches)).toBe(c.expect);
      // The scanner finds the same matches the Go test wrote by hand.
      expect(extractExpressions(input.template)).toEqual({ ok: true, value: matches });
      break;
    }
    case 'parseSchemalessResource': {
      const walk = parseSchemalessResource(c.input);
      expectErrors(c, walk.errors);
      if (c.expect === undefined) break;
      const expected = c.expect as { expressions: PathExpr[]; plainFieldPaths: string[] };
      expect(byPath(pathExprs(walk.expressions))).toEqual(byPath(expected.expressions));
      const plain = walk.plainFields.map((f) => f.path);
      expect(plain).toHaveLength(expected.plainFieldPaths.length);
      expect(new Set(plain)).toEqual(new Set(expected.plainFieldPaths));
      break;
    }
    case 'parseResource':
      runParseResource(c);
      break;
    case 'parseScalarTypes': {
      const input = c.input as { value: unknown; schema: OpenApiSchema; path: string };
      const types = expectedTypes(input.schema);
      expect(types).toBeDefined();
      expect(checkScalar(input.value, types!, input.path)).toBeUndefined();
      break;
    }
    case 'collectTypesFromSubSchemas': {
      const got = collectTypesFromSubSchemas(c.input as OpenApiSchema[]);
      const want = c.expect as string[];
      expect(got).toHaveLength(want.length);
      expect(new Set(got)).toEqual(new Set(want));
      break;
    }
    case 'joinPathAndFieldName': {
      const input = c.input as { path: string; fieldName: string };
      expect(joinPathAndFieldName(input.path, input.fieldName)).toBe(c.expect);
      break;
    }
    case 'fieldpathParse': {
      const r = parseFieldPath(c.input as string);
      if (c.expectError) expect(r.ok).toBe(false);
      else expect(r).toEqual({ ok: true, value: c.expect });
      break;
    }
    case 'fieldpathBuild':
      expect(buildFieldPath(c.input as PathSegment[])).toBe(c.expect);
      break;
    default:
      throw new Error(`unhandled kind ${c.kind}`);
  }
}

describe('kro expressions.json', () => {
  runCases('expressions.json', cases, runCase);
});

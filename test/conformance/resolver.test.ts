// kro's resolver tables (test/conformance/kro/resolver.json): the renderer's path primitives.
import { describe, expect } from 'vitest';
import { isOmit, OMIT } from '../../src/cel/omit.js';
import {
  cleanOmitSentinels,
  getValueFromPath,
  resolve,
  resolveField,
  setValueAtPath,
  upsertValueAtPath,
} from '../../src/synth/paths.js';
import { loadKroJson, runCases } from '../helpers/conformance.js';

interface ResolverCase {
  id: string;
  name: string;
  kind: string;
  input: Record<string, unknown>;
  expect?: unknown;
  expectError?: boolean;
  compare?: string;
}

const cases = loadKroJson<ResolverCase[]>('resolver.json');

/** `{"$omit": true}` in the table stands for kro's omit sentinel. */
function withSentinels(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSentinels);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === '$omit' && entries[0]![1] === true) return OMIT;
    return Object.fromEntries(entries.map(([k, v]) => [k, withSentinels(v)]));
  }
  return value;
}

function dataMap(data: unknown): Map<string, unknown> {
  return new Map(
    Object.entries((data ?? {}) as Record<string, unknown>).map(([k, v]) => [k, withSentinels(v)]),
  );
}

interface FieldInput {
  path: string;
  expression: string;
}

function runResolveField(c: ResolverCase): void {
  const resource = c.input['resource'];
  const before = structuredClone(resource);
  const field = c.input['field'] as FieldInput;
  const { resource: after, result } = resolveField(resource, field, dataMap(c.input['data']));
  expect(resource).toEqual(before);
  const want = c.expect as {
    path?: string;
    resolved: boolean;
    replaced?: unknown;
    errorEquals?: string;
    valueAtPathIsOmitSentinel?: boolean;
    resourceAfter?: unknown;
  };
  expect(result.resolved).toBe(want.resolved);
  if (want.path !== undefined) expect(result.path).toBe(want.path);
  if (want.errorEquals !== undefined) expect(result.error).toBe(want.errorEquals);
  else expect(result.error).toBeUndefined();
  if (!result.resolved) {
    // kro leaves Replaced nil.
    expect(result.replaced).toBeUndefined();
    expect(want.replaced ?? null).toBeNull();
    expect(after).toBe(resource);
    return;
  }
  const atPath = getValueFromPath(after, field.path);
  expect(atPath.ok).toBe(true);
  if (!atPath.ok) return;
  if (want.valueAtPathIsOmitSentinel !== undefined)
    expect(isOmit(atPath.value)).toBe(want.valueAtPathIsOmitSentinel);
  if ('replaced' in want) {
    expect(result.replaced).toEqual(want.replaced);
    expect(atPath.value).toEqual(want.replaced);
  }
  if (want.resourceAfter !== undefined) expect(after).toEqual(want.resourceAfter);
}

function runResolve(c: ResolverCase): void {
  const resource = c.input['resource'];
  const before = structuredClone(resource);
  const fields = c.input['fields'] as FieldInput[];
  const { summary } = resolve(resource, fields, dataMap(c.input['data']));
  expect(resource).toEqual(before);
  const want = c.expect as {
    totalExpressions: number;
    resolvedExpressions: number;
    results?: { replaced: unknown }[];
    errors?: string[];
    errorCount?: number;
    errorsContain?: string[];
  };
  expect(summary.totalExpressions).toBe(want.totalExpressions);
  expect(summary.resolvedExpressions).toBe(want.resolvedExpressions);
  if (want.results) expect(summary.results.map((r) => ({ replaced: r.replaced }))).toEqual(want.results);
  if (want.errors) expect(summary.errors).toEqual(want.errors);
  if (want.errorCount !== undefined) expect(summary.errors).toHaveLength(want.errorCount);
  for (const text of want.errorsContain ?? [])
    expect(summary.errors.some((e) => e.includes(text))).toBe(true);
}

function runCase(c: ResolverCase): void {
  switch (c.kind) {
    case 'getValueFromPath': {
      const r = getValueFromPath(c.input['resource'], c.input['path'] as string);
      if (c.expectError) expect(r.ok).toBe(false);
      else expect(r).toEqual({ ok: true, value: c.expect });
      break;
    }
    case 'setValueAtPath':
    case 'upsertValueAtPath': {
      const set = c.kind === 'setValueAtPath' ? setValueAtPath : upsertValueAtPath;
      const resource = c.input['resource'];
      const before = structuredClone(resource);
      const r = set(resource, c.input['path'] as string, c.input['value']);
      // kro mutates its input; kro-gen returns the changed copy and leaves the input alone.
      expect(resource).toEqual(before);
      if (c.expectError) expect(r.ok).toBe(false);
      else expect(r).toEqual({ ok: true, value: c.expect });
      break;
    }
    case 'resolveField':
      runResolveField(c);
      break;
    case 'resolve':
      runResolve(c);
      break;
    case 'cleanOmitSentinels': {
      const input = withSentinels(c.input);
      expect(cleanOmitSentinels(input)).toEqual(c.expect);
      break;
    }
    default:
      throw new Error(`unhandled kind ${c.kind}`);
  }
}

describe('kro resolver.json', () => {
  runCases('resolver.json', cases, runCase);
});

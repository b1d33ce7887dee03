// kro-gen against kro's recorded answers (object-values.kro.ts) on expressions over object values,
// through the same path as the differential fuzzing: type-checked with `schema` typed, then
// evaluated with the instance converted through its schema (test/fuzz/cel/kro-gen.ts).
import { describe, expect, it } from 'vitest';
import { evaluateKroGen } from '../../fuzz/cel/kro-gen.js';
import type { Result } from '../../fuzz/cel/oracle.js';
import { KRO_ANSWERS, OBJECT_VALUES_INSTANCE, OBJECT_VALUES_SCHEMA } from './object-values.kro.js';

// Map entries in a fixed order, so that values compare whatever order either side built them in.
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[k] =
      k === 'e'
        ? (x as unknown[]).map(canonical).sort((p, q) => (JSON.stringify(p) < JSON.stringify(q) ? -1 : 1))
        : canonical(x);
  }
  return out;
}

// A result in the rows' notation.
function answer(r: Result): string {
  if (r.error === 'compile') return `compile: ${r.message}`;
  if (r.error) return r.error;
  const v = canonical(r.value) as { t: string; v?: unknown };
  return v.t === 'bool' ? String(v.v) : JSON.stringify(v);
}

function kroGen(expr: string): string {
  return answer(
    evaluateKroGen({ id: expr, expr, schema: OBJECT_VALUES_SCHEMA, instance: OBJECT_VALUES_INSTANCE }),
  );
}

describe('object values as kro types and evaluates them', () => {
  it.each(KRO_ANSWERS)('%s is %s', (expr, kro) => {
    expect(kroGen(expr)).toBe(kro);
  });

  // cel-go's list and map literals count an element comparison that fails as equal, so kro
  // answers true here; kro-gen answers false (docs/kro-differences.md).
  it.each(['[dyn(schema.spec.a)] == [1]', "{'k': dyn(schema.spec.a)} == {'k': 1}"])(
    '%s is false, where kro counts the failed comparison as equal',
    (expr) => {
      expect(kroGen(expr)).toBe('false');
    },
  );
});

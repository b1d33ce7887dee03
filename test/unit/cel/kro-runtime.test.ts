import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { Condition, findCondition, kroRuntimeLibrary } from '../../../src/cel/lib/kro-runtime.js';

// Expected messages are kro@0302e659's, obtained by evaluating the same expressions there.
function env(): Environment {
  const e = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true });
  kroRuntimeLibrary.register(e, { omit: false });
  return e;
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return ((e as { summary?: string }).summary ?? (e as Error).message).split('\n')[0] ?? '';
  }
  return '<no error>';
}

describe('kro runtime.newCondition', () => {
  const e = env();

  it('builds a condition from bare-identifier keys', () => {
    const c = e.evaluate("runtime.newCondition({type: 'Ready', status: 'True', reason: 'R', message: 'M'})");
    expect(c).toBeInstanceOf(Condition);
    expect((c as Condition).toMap()).toEqual({ type: 'Ready', status: 'True', reason: 'R', message: 'M' });
    expect(e.evaluate("runtime.newCondition({type: 'Ready', status: 'True'}).reason")).toBe('');
    expect(e.evaluate("runtime.newCondition({type: 'A' + 'b', status: 'Tr' + 'ue'}).type")).toBe('Ab');
  });

  it('compares conditions field by field', () => {
    expect(
      e.evaluate(
        "runtime.newCondition({type: 'A', status: 'True'}) == runtime.newCondition({type: 'A', status: 'True'})",
      ),
    ).toBe(true);
    expect(
      e.evaluate(
        "runtime.newCondition({type: 'A', status: 'True'}) == runtime.newCondition({type: 'A', status: 'False'})",
      ),
    ).toBe(false);
  });

  it.each([
    ["runtime.newCondition({type: 'Ready'})", "runtime.newCondition: 'status' is required"],
    ["runtime.newCondition({status: 'True'})", "runtime.newCondition: 'type' is required"],
    [
      "runtime.newCondition({type: 'A', status: 'True', foo: 'x'})",
      'runtime.newCondition: unknown key "foo" (allowed: type, status, reason, message)',
    ],
    [
      "runtime.newCondition({type: 'A', type: 'B', status: 'True'})",
      'runtime.newCondition: duplicate key "type"',
    ],
    [
      "runtime.newCondition({'type': 'A', status: 'True'})",
      'runtime.newCondition: keys must be bare identifiers (type, status, reason, message); quoted or computed keys are not allowed',
    ],
    ["runtime.newCondition(dyn({'type': 'A'}))", 'runtime.newCondition: argument must be a map literal'],
    ['runtime.newCondition([1])', 'runtime.newCondition: argument must be a map literal'],
  ])('rejects %s at parse time', (expr, want) => {
    expect(() => e.parse(expr)).toThrow();
    expect(message(() => e.parse(expr))).toBe(want);
  });

  it.each([
    [
      "runtime.newCondition({type: 'Ready', status: 'Maybe'})",
      'runtime.newCondition: status must be one of True, False, Unknown (got "Maybe")',
    ],
    ["runtime.newCondition({type: '', status: 'True'})", 'runtime.newCondition: type must not be empty'],
    [
      "runtime.newCondition({type: 'A', status: 'True', reason: 1})",
      'runtime.newCondition: reason must be a string, got int',
    ],
  ])('rejects %s when evaluated', (expr, want) => {
    expect(message(() => e.evaluate(expr))).toBe(want);
  });

  it('leaves newCondition on other receivers without an overload', () => {
    expect(() => e.evaluate("[1].newCondition({'a': 'b'})")).toThrow(/no matching overload/);
  });

  it('type-checks field access on the result', () => {
    expect(e.check("runtime.newCondition({type: 'A', status: 'True'}).status").type).toBe('string');
    expect(e.check("runtime.newCondition({type: 'A', status: 'True'}).nope").valid).toBe(false);
  });
});

describe('kro runtime.condition', () => {
  const e = env();

  it('finds a condition by type in obj.status.conditions', () => {
    expect(
      e.evaluate(
        "runtime.condition({'status': {'conditions': [{'type': 'Ready', 'status': 'True', 'reason': 'X'}]}}, 'Ready').reason",
      ),
    ).toBe('X');
    expect(
      e.evaluate(
        "runtime.condition({'status': {'conditions': [runtime.newCondition({type: 'A', status: 'False'})]}}, 'A').status",
      ),
    ).toBe('False');
  });

  it('returns an empty condition when absent, and non-string fields read as empty', () => {
    expect(findCondition({}, 'Ready').toMap()).toEqual({ type: '', status: '', reason: '', message: '' });
    expect(findCondition({ status: {} }, 'Ready').type).toBe('');
    expect(findCondition({ status: { conditions: [{ type: 'Ready', status: 1n }] } }, 'Ready').status).toBe(
      '',
    );
    expect(
      findCondition({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }, 'Other').status,
    ).toBe('');
  });

  it.each([
    ["runtime.condition({'status': 1}, 'Ready')", 'runtime.condition: obj.status must be an object'],
    [
      "runtime.condition({'status': {'conditions': 1}}, 'Ready')",
      'runtime.condition: obj.status.conditions must be a list',
    ],
    [
      "runtime.condition({'status': {'conditions': [1]}}, 'Ready')",
      'runtime.condition: unexpected condition element type int',
    ],
    ["runtime.condition(1, 'Ready')", 'runtime.condition: obj must be an object, got int'],
  ])('rejects %s', (expr, want) => {
    expect(message(() => e.evaluate(expr))).toBe(want);
  });

  it('requires a string type argument', () => {
    expect(e.check('runtime.condition({}, 1)').valid).toBe(false);
  });
});

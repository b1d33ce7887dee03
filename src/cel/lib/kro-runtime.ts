// kro's runtime library (pkg/cel/library/runtime.go) for custom instance conditions:
//
//   runtime.newCondition({type: 'Ready', status: 'True', reason: '', message: ''})
//   runtime.condition(schema, 'ResourcesReady').status == 'True'
//
// kro allows it only in `schema.status.conditions`, so it is exported on its own and is not in
// the default library list: callers add it to the environment that checks those expressions.
// newCondition is a parse-time macro, as in kro: its argument must be a map literal with bare
// identifier keys (type and status required), which are rewritten to string keys.
import { type ASTNode, type Environment, EvaluationError, ParseError } from '@marcbachmann/cel-js';
import { setOwn } from '../../json.js';
import { goQuote } from '../goquote.js';
import type { CelLibrary } from '../library.js';
import { registerNamespace, registerNamespacedFunction } from '../registration.js';
import { celKind, celTypeName, mapLookup } from '../values.js';

export const CONDITION_TYPE = 'kro.run.Condition';

/** A condition value; `toMap()` is its wire form in `status.conditions`. */
export class Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;

  constructor(type = '', status = '', reason = '', message = '') {
    this.type = type;
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  get [Symbol.toStringTag](): string {
    return CONDITION_TYPE;
  }

  toMap(): { type: string; status: string; reason: string; message: string } {
    return { type: this.type, status: this.status, reason: this.reason, message: this.message };
  }

  equals(o: Condition): boolean {
    return (
      this.type === o.type &&
      this.status === o.status &&
      this.reason === o.reason &&
      this.message === o.message
    );
  }
}

const CONDITION_KEYS = ['type', 'status', 'reason', 'message'] as const;
type ConditionKey = (typeof CONDITION_KEYS)[number];
const VALID_STATUSES = new Set(['True', 'False', 'Unknown']);

export function isValidConditionStatus(s: string): boolean {
  return VALID_STATUSES.has(s);
}

/** Builds a condition from evaluated [key, value] pairs (keys already checked by the macro). */
export function newCondition(entries: readonly (readonly [ConditionKey, unknown])[]): Condition {
  const fields: Record<ConditionKey, string> = { type: '', status: '', reason: '', message: '' };
  for (const [key, v] of entries) {
    if (typeof v !== 'string') {
      throw new EvaluationError(`runtime.newCondition: ${key} must be a string, got ${celTypeName(v)}`);
    }
    if (key === 'type' && v === '') throw new EvaluationError('runtime.newCondition: type must not be empty');
    if (key === 'status' && !isValidConditionStatus(v)) {
      throw new EvaluationError(
        `runtime.newCondition: status must be one of True, False, Unknown (got ${goQuote(v)})`,
      );
    }
    setOwn(fields, key, v);
  }
  return new Condition(fields.type, fields.status, fields.reason, fields.message);
}

function stringField(m: object, key: string): string {
  const { found, value } = mapLookup(m, key);
  return found && typeof value === 'string' ? value : '';
}

/** `runtime.condition(obj, type)`: obj.status.conditions[type == t], or an empty condition. */
export function findCondition(obj: unknown, wanted: string): Condition {
  if (celKind(obj) !== 'map') {
    throw new EvaluationError(`runtime.condition: obj must be an object, got ${celTypeName(obj)}`);
  }
  const status = mapLookup(obj as object, 'status');
  if (!status.found) return new Condition();
  if (celKind(status.value) !== 'map')
    throw new EvaluationError('runtime.condition: obj.status must be an object');
  const conds = mapLookup(status.value as object, 'conditions');
  if (!conds.found) return new Condition();
  if (celKind(conds.value) !== 'list') {
    throw new EvaluationError('runtime.condition: obj.status.conditions must be a list');
  }
  const all: Condition[] = [];
  for (const c of conds.value as Iterable<unknown>) {
    if (c instanceof Condition) all.push(c);
    else if (celKind(c) === 'map') {
      const m = c as object;
      all.push(
        new Condition(
          stringField(m, 'type'),
          stringField(m, 'status'),
          stringField(m, 'reason'),
          stringField(m, 'message'),
        ),
      );
    } else {
      throw new EvaluationError(`runtime.condition: unexpected condition element type ${celTypeName(c)}`);
    }
  }
  return all.find((c) => c.type === wanted) ?? new Condition();
}

// ---------------------------------------------------------------------------------------------
// The newCondition macro (the library's macro hook shapes, declared as far as they are used)
// ---------------------------------------------------------------------------------------------

interface CheckerType {
  readonly kind: string;
  readonly name: string;
}

interface MacroChecker {
  check(node: ASTNode, scope: unknown): CheckerType;
  getType(name: string): CheckerType;
  createError(code: string, message: string, node?: ASTNode): Error;
}

interface MacroEvaluator {
  run(node: ASTNode, scope: unknown): unknown;
}

interface NewConditionMacro {
  readonly async: false;
  readonly entries: readonly (readonly [ConditionKey, ASTNode])[];
  readonly call: ASTNode;
  typeCheck(checker: MacroChecker, macro: NewConditionMacro, scope: unknown): CheckerType;
  evaluate(ev: MacroEvaluator, macro: NewConditionMacro, scope: unknown): unknown;
}

function macroError(message: string, node: ASTNode): ParseError {
  return new ParseError({ code: 'invalid_macro_argument', message, node });
}

// Every `x.newCondition(arg)` reaches the macro (the library matches macros by name); for any
// receiver but `runtime` the call is left to fail as an unknown overload, as in kro.
function expandNewCondition(input: {
  ast: ASTNode;
  args: readonly ASTNode[];
  receiver: ASTNode | null;
}): NewConditionMacro {
  const { ast, args, receiver } = input;
  const onRuntime = receiver?.op === 'id' && receiver.args === 'runtime';
  const entries: [ConditionKey, ASTNode][] = [];
  if (onRuntime) {
    const arg = args[0] as ASTNode;
    if (arg.op !== 'map') throw macroError('runtime.newCondition: argument must be a map literal', arg);
    const seen = new Set<string>();
    for (const [key, value] of arg.args) {
      if (key.op !== 'id') {
        throw macroError(
          'runtime.newCondition: keys must be bare identifiers (type, status, reason, message); quoted or computed keys are not allowed',
          key,
        );
      }
      const name = key.args;
      if (!(CONDITION_KEYS as readonly string[]).includes(name)) {
        throw macroError(
          `runtime.newCondition: unknown key ${goQuote(name)} (allowed: type, status, reason, message)`,
          key,
        );
      }
      if (seen.has(name)) throw macroError(`runtime.newCondition: duplicate key ${goQuote(name)}`, key);
      seen.add(name);
      entries.push([name as ConditionKey, value]);
    }
    if (!seen.has('type')) throw macroError("runtime.newCondition: 'type' is required", arg);
    if (!seen.has('status')) throw macroError("runtime.newCondition: 'status' is required", arg);
  }
  return {
    async: false,
    entries,
    call: ast,
    typeCheck(checker, macro, scope) {
      if (!onRuntime) {
        throw checker.createError(
          'no_matching_overload',
          "found no matching overload for 'newCondition'",
          macro.call,
        );
      }
      const types = macro.entries.map(([, v]) => checker.check(v, scope));
      // kro declares map(string, string): a literal whose values all share another type fails.
      const first = types[0];
      if (
        first &&
        first.name !== 'string' &&
        first.kind !== 'dyn' &&
        types.every((t) => t.name === first.name)
      ) {
        throw checker.createError(
          'no_matching_overload',
          `found no matching overload for 'newCondition' applied to 'kro.run.Runtime.(map(string, ${first.name}))'`,
          macro.call,
        );
      }
      return checker.getType(CONDITION_TYPE);
    },
    evaluate(ev, macro, scope) {
      if (!onRuntime) throw new EvaluationError("found no matching overload for 'newCondition'");
      return newCondition(macro.entries.map(([k, v]) => [k, ev.run(v, scope)] as const));
    },
  };
}

export const kroRuntimeLibrary: CelLibrary = {
  name: 'kro.runtime',
  register(env: Environment): void {
    env.registerType(CONDITION_TYPE, {
      ctor: Condition,
      fields: { type: 'string', status: 'string', reason: 'string', message: 'string' },
    });
    const ns = registerNamespace(env, 'runtime');
    env.registerFunction(`${ns}.newCondition(ast): ${CONDITION_TYPE}`, expandNewCondition as never);
    registerNamespacedFunction(env, 'runtime', `condition(dyn, string): ${CONDITION_TYPE}`, findCondition);
    env.registerOperator(`${CONDITION_TYPE} == ${CONDITION_TYPE}`, (a: Condition, b: Condition) =>
      a.equals(b),
    );
  },
};

// The parts of cel-go's optional types library (cel.OptionalTypes, latest version) the
// underlying library lacks: optMap / optFlatMap, optional.ofNonZeroValue, equality between
// optionals, type(optional) / optional_type, list.first() / list.last(), optional.unwrap /
// unwrapOpt.
// (`x.?y`, `m[?k]`, `or`, `orValue`, `value`, `hasValue` and `optional.of` come with the library;
// `[?x]` and `{?k: v}` are in literals.ts.)
import { type ASTNode, type Environment, EvaluationError, Optional } from '@marcbachmann/cel-js';
import type { Duration, UnsignedInt } from '@marcbachmann/cel-js/evaluator';
import type { CelLibrary } from '../library.js';
import { internalsOf, registerNamespacedFunction, replaceBuiltinFunction } from '../registration.js';
import { isGoZeroTime } from '../timestamp.js';
import { celEquals, celKind, celTypeName, durationNanos, isTypeValue, mapEntries } from '../values.js';
import { attributeValue } from './attributes.js';
import {
  bindValue,
  type CelType,
  type Checker,
  type Evaluator,
  iterVarName,
  type MacroInput,
  type Scope,
} from './comprehensions.js';

/**
 * cel-go's zero values: null, false, 0, 0u, 0.0, '', b'', [], {}, 0s and Go's zero time
 * (0001-01-01T00:00:00Z, not the Unix epoch).
 */
export function isZeroValue(v: unknown): boolean {
  switch (celKind(v)) {
    case 'null':
      return true;
    case 'bool':
      return v === false;
    case 'int':
      return v === 0n;
    case 'uint':
      return (v as UnsignedInt).valueOf() === 0n;
    case 'double':
      return v === 0;
    case 'string':
      return v === '';
    case 'bytes':
      return (v as Uint8Array).length === 0;
    case 'list':
      return (Array.isArray(v) ? v.length : (v as Set<unknown>).size) === 0;
    case 'map':
      return mapEntries(v as object).length === 0;
    case 'duration':
      return durationNanos(v as Duration) === 0n;
    case 'timestamp':
      return isGoZeroTime(v as Date);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// optMap / optFlatMap
// ---------------------------------------------------------------------------------------------

interface OptMapMacro {
  readonly async: false;
  readonly flat: boolean;
  readonly label: string;
  readonly name: string;
  readonly receiver: ASTNode;
  readonly body: ASTNode;
  scope: Scope | undefined;
  typeCheck(checker: Checker, macro: OptMapMacro, scope: Scope): CelType;
  evaluate(ev: Evaluator, macro: OptMapMacro, scope: Scope): unknown;
}

function checkOptMap(checker: Checker, m: OptMapMacro, scope: Scope): CelType {
  const recv = checker.check(m.receiver, scope);
  let inner: CelType;
  // A free value type (`optional.none()`'s) stays free, as the type variable cel-go binds the
  // variable to: `optional.none().optMap(x, [x].min())` is an optional(int).
  if (recv.kind === 'optional') inner = recv.valueType ?? checker.dynType;
  // On dyn, cel-go's expansion binds the variable to `target.value()`, whose optional(T).value()
  // leaves T free: `json.unmarshal(s).optMap(x, [x].min())` is an optional(int).
  else if (recv.kind === 'dyn') inner = checker.getType('list<V>').valueType ?? checker.dynType;
  else {
    throw checker.createError(
      'optional_expected',
      `${m.label} receiver must be optional, got '${checker.formatType(recv)}'`,
      m.receiver,
    );
  }
  m.scope = scope.forkWithVariable(m.name, inner);
  const body = checker.check(m.body, m.scope);
  if (!m.flat) return checker.registry.getOptionalType(body);
  if (body.kind === 'optional' || body.kind === 'dyn')
    return body.kind === 'dyn' ? checker.getType('optional') : body;
  // A free body (`optional.none().optFlatMap(x, x)`) unifies with the optional the macro makes.
  if (body.kind === 'param') return checker.registry.getOptionalType(body);
  throw checker.createError(
    'optional_expected',
    `${m.label} must return an optional, got '${checker.formatType(body)}'`,
    m.body,
  );
}

function evaluateOptMap(ev: Evaluator, m: OptMapMacro, scope: Scope): unknown {
  const recv = ev.run(m.receiver, scope);
  if (!(recv instanceof Optional)) {
    // cel-go's wording: the macro expands to a hasValue() call, which finds no overload.
    throw ev.createError('no_such_overload', `no such overload: hasValue(${celTypeName(recv)})`, m.receiver);
  }
  if (!recv.hasValue()) return Optional.none();
  const inner = bindValue((m.scope as Scope).reuse(scope), recv.value(), ev);
  const r = ev.run(m.body, inner);
  // cel-go expands the macro to a conditional, whose result is read as an attribute.
  if (!m.flat) return attributeValue(Optional.of(r), ev as never);
  // cel-go's expansion returns the body as it is: a dyn receiver's body need not be an optional
  // (`dyn(optional.of(1)).optFlatMap(x, x)` is 1 in kro).
  return attributeValue(r, ev as never);
}

function optMapExpander(flat: boolean) {
  const label = flat ? 'optFlatMap(var, expr)' : 'optMap(var, expr)';
  return ({ args, receiver }: MacroInput): OptMapMacro => ({
    async: false,
    flat,
    label,
    name: iterVarName(
      args[0] as ASTNode,
      `${flat ? 'optFlatMap' : 'optMap'}() variable name must be a simple identifier`,
    ),
    receiver: receiver as ASTNode,
    body: args[1] as ASTNode,
    scope: undefined,
    typeCheck: checkOptMap,
    evaluate: evaluateOptMap,
  });
}

// ---------------------------------------------------------------------------------------------
// or / orValue
// ---------------------------------------------------------------------------------------------

interface OrMacro {
  readonly receiver: ASTNode;
  readonly arg: ASTNode;
  onHasValue(v: Optional): unknown;
  evaluate(ev: Evaluator, m: OrMacro, scope: Scope): unknown;
}

// cel-go's evaluation (evalOptionalOr / evalOptionalOrValue): a receiver that is no optional at
// run time (a dyn value, an error) is the result as it is, and so is the argument when the
// receiver is empty. The library's macros required both to be optionals.
function evaluateOr(ev: Evaluator, m: OrMacro, scope: Scope): unknown {
  const v = ev.run(m.receiver, scope);
  if (!(v instanceof Optional)) return v;
  if (v.hasValue()) return m.onHasValue(v);
  return ev.run(m.arg, scope);
}

function replaceOrMacro(env: Environment, signature: string): void {
  const library = replaceBuiltinFunction(env, signature, ((input: MacroInput) => ({
    ...(library as (i: MacroInput) => OrMacro)(input),
    evaluate: evaluateOr,
  })) as never) as unknown;
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

// cel-go's overload guard reads the first element only: a list starting with a value that is no
// optional finds no overload, one with such a value later fails in the function.
function unwrap(list: readonly unknown[]): unknown[] {
  const first = list[0];
  if (list.length > 0 && !(first instanceof Optional)) {
    throw new EvaluationError(`no such overload: unwrapOpt(list)`);
  }
  const out: unknown[] = [];
  for (const v of list) {
    if (!(v instanceof Optional)) throw new EvaluationError(`value ${celTypeName(v)} is not optional`);
    if (v.hasValue()) out.push(v.value());
  }
  return out;
}

let typeValueClass: (new (name: string) => object) | undefined;

/** The library's `type` value constructor, taken from a type value it created (one class per process). */
export function typeValueConstructor(env: Environment): new (name: string) => object {
  if (typeValueClass) return typeValueClass;
  // The value of the library's constant `int` is what `type(1)` evaluates to; reading it spares a
  // parse, check and evaluation while the base is built.
  const sample = internalsOf(env).registry.variables.get('int')?.value;
  if (!isTypeValue(sample)) throw new Error('unexpected type value');
  typeValueClass = (sample as object).constructor as new (name: string) => object;
  return typeValueClass;
}

// A value checked as an optional can be null at run time (cel-go's attribute resolution reads
// optional.of(optional.none()) back as optional.of(null)); cel-go then finds no overload.
function optionalReceiver(v: unknown, fn: string): Optional {
  if (v instanceof Optional) return v;
  throw new EvaluationError(`no such overload: ${fn}(${celTypeName(v)})`);
}

function registerOptional(env: Environment): void {
  replaceBuiltinFunction(env, 'optional<A>.value(): A', (v: unknown) => optionalReceiver(v, 'value').value());
  replaceBuiltinFunction(env, 'optional<dyn>.hasValue(): bool', (v: unknown) =>
    optionalReceiver(v, 'hasValue').hasValue(),
  );
  replaceOrMacro(env, 'optional<dyn>.or(ast): optional<dyn>');
  replaceOrMacro(env, 'optional<dyn>.orValue(ast): dyn');
  registerNamespacedFunction(env, 'optional', 'ofNonZeroValue(A): optional<A>', (v: unknown) =>
    isZeroValue(v) ? Optional.none() : Optional.of(v),
  );
  registerNamespacedFunction(env, 'optional', 'unwrap(list<optional<A>>): list<A>', unwrap);
  env.registerFunction('list<optional<A>>.unwrapOpt(): list<A>', unwrap);
  env.registerFunction('list<A>.first(): optional<A>', (l: readonly unknown[]) =>
    l.length ? Optional.of(l[0]) : Optional.none(),
  );
  env.registerFunction('list<A>.last(): optional<A>', (l: readonly unknown[]) =>
    l.length ? Optional.of(l[l.length - 1]) : Optional.none(),
  );
  env.registerOperator('optional == optional', (a: unknown, b: unknown) => celEquals(a, b));

  const TypeValue = typeValueConstructor(env);
  const optionalType = new TypeValue('optional_type');
  env.registerConstant('optional_type', 'type', optionalType);
  env.registerFunction('type(optional): type', () => optionalType);

  env.registerFunction('optional.optMap(ast, ast): optional<dyn>', optMapExpander(false) as never);
  env.registerFunction('optional.optFlatMap(ast, ast): optional<dyn>', optMapExpander(true) as never);
}

export const optionalLibrary: CelLibrary = {
  name: 'cel-go cel.OptionalTypes (complements)',
  register: registerOptional,
};

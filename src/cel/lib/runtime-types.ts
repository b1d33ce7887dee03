// The run-time type of a map with typed keys. A call whose operands are checked as dyn picks its
// overload at run time from the operands' types, which the library reads from the first entry;
// kro-gen builds maps with int, uint or bool keys as objects that carry their typed keys
// (values.ts makeCelMap), whose first property name the library took for a string key:
// `{1: 'a'}.merge(dyn({2: 'b'}))` found no overload for `map.merge(map<string, string>)`.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { firstTypedEntry } from '../values.js';

interface RuntimeType {
  readonly kind: string;
  readonly keyType: RuntimeType;
  readonly valueType: RuntimeType;
  readonly hasDynType: boolean;
}

interface TypingEvaluator {
  readonly registry: { getMapType(k: RuntimeType, v: RuntimeType): RuntimeType };
  debugType(v: unknown): RuntimeType;
  debugTypeDeep(v: unknown): RuntimeType;
}

interface EvaluatingNode {
  evaluate(ev: TypingEvaluator, ...rest: unknown[]): unknown;
}

// The library's evaluator prototype, reached by evaluating a fresh expression once.
function evaluatorPrototypeOf(env: Environment): TypingEvaluator {
  const proto = Object.getPrototypeOf(env.parse('0').ast) as EvaluatingNode;
  const evaluate = proto.evaluate;
  let seen: TypingEvaluator | undefined;
  proto.evaluate = function (this: EvaluatingNode, ev, ...rest) {
    seen ??= ev;
    return evaluate.call(this, ev, ...rest);
  };
  try {
    env.evaluate('0');
  } catch {
    // only the evaluator is wanted
  } finally {
    proto.evaluate = evaluate;
  }
  if (!seen) throw new Error('kro-gen: could not reach the CEL evaluator');
  return Object.getPrototypeOf(seen) as TypingEvaluator;
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  const proto = evaluatorPrototypeOf(env);
  const deep = proto.debugTypeDeep;
  proto.debugTypeDeep = function (this: TypingEvaluator, value) {
    const first = typeof value === 'object' && value !== null ? firstTypedEntry(value) : undefined;
    if (!first) return deep.call(this, value);
    const t = this.debugType(value);
    return this.registry.getMapType(
      t.keyType.hasDynType ? this.debugTypeDeep(first[0]) : t.keyType,
      t.valueType.hasDynType ? this.debugTypeDeep(first[1]) : t.valueType,
    );
  };
}

export const runtimeTypesLibrary: CelLibrary = {
  name: 'run-time types of maps with typed keys',
  register: install,
};

// cel.bind(name, value, body) with cel-go's evaluation: the value is computed only when the body
// first reads the name, and at most once. cel-go plans the macro as a comprehension whose
// accumulator is initialised lazily, so `cel.bind(x, 1 / 0, 2)` is 2 in kro; the library
// evaluates the value up front and fails.
import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { replaceBuiltinFunction } from '../registration.js';
import { attributeValue } from './attributes.js';
import { type Checker, type Evaluator, iterVarName, type MacroInput, type Scope } from './comprehensions.js';

/** What the evaluator asks of a scope at run time (see the library's OverlayContext). */
interface RuntimeScope {
  getValue(key: string): unknown;
  getCheckedValue(ev: Evaluator, node: ASTNode): unknown;
  getVariable(name: string): unknown;
}

// The binding's scope during one evaluation of the macro: the value is run in the scope the
// macro was evaluated in, on first read. Comprehensions in the body finish before the macro
// returns, so that scope still holds the same iteration values when the value is forced.
class LazyBinding implements RuntimeScope {
  readonly #parent: RuntimeScope;
  readonly #name: string;
  readonly #ev: Evaluator;
  readonly #value: ASTNode;
  #state: 'pending' | 'value' | 'error' = 'pending';
  #result: unknown;

  constructor(parent: RuntimeScope, name: string, ev: Evaluator, value: ASTNode) {
    this.#parent = parent;
    this.#name = name;
    this.#ev = ev;
    this.#value = value;
  }

  #force(): unknown {
    if (this.#state === 'pending') {
      try {
        this.#result = this.#ev.run(this.#value, this.#parent as unknown as Scope);
        this.#state = 'value';
      } catch (err) {
        this.#result = err;
        this.#state = 'error';
      }
    }
    if (this.#state === 'error') throw this.#result;
    return this.#result;
  }

  getValue(key: string): unknown {
    return key === this.#name ? this.#force() : this.#parent.getValue(key);
  }

  getCheckedValue(ev: Evaluator, node: ASTNode): unknown {
    if (node.args !== this.#name) return this.#parent.getCheckedValue(ev, node);
    return attributeValue(this.#force(), ev as unknown as { registry: object });
  }

  getVariable(name: string): unknown {
    return this.#parent.getVariable(name);
  }
}

interface BindMacro {
  readonly async: false;
  readonly name: string;
  readonly value: ASTNode;
  readonly body: ASTNode;
  typeCheck(checker: Checker, m: BindMacro, scope: Scope): unknown;
  evaluate(ev: Evaluator, m: BindMacro, scope: Scope): unknown;
}

function bindExpander({ args }: MacroInput): BindMacro {
  return {
    async: false,
    name: iterVarName(args[0] as ASTNode, 'cel.bind() variable name must be a simple identifier'),
    value: args[1] as ASTNode,
    body: args[2] as ASTNode,
    typeCheck(checker, m, scope) {
      return checker.check(m.body, scope.forkWithVariable(m.name, checker.check(m.value, scope)));
    },
    evaluate(ev, m, scope) {
      const inner = new LazyBinding(scope as unknown as RuntimeScope, m.name, ev, m.value);
      return ev.run(m.body, inner as unknown as Scope);
    },
  };
}

function registerBind(env: Environment): void {
  replaceBuiltinFunction(env, 'CelNamespace.bind(ast, dyn, ast): dyn', bindExpander as never);
}

export const bindLibrary: CelLibrary = {
  name: 'cel.bind with lazily evaluated values',
  register: registerBind,
};

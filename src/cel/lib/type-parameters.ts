// Free type parameters resolved as cel-go's checker resolves them (checker/checker.go
// resolveOverload, checker/types.go). A type parameter left free by an operand (the element of
// `[]`, the value of `optional.none()`, the list `optional.unwrap(v)` makes from a dyn `v`) is a
// type variable: the first overload, in cel-go's declaration order, that the operands unify with
// binds it, and later overloads are tried against that binding. So `[].flatten().max()` is an int
// (list(int) comes first), `optional.unwrap([])` is a list of a still free element instead of a
// refused call, and `lists.insertAtIndex([], 0, duration("1s"))` is a list(duration): the free
// element of `[]` unifies with the later concrete argument. A parameter of the overload that no
// operand binds stays free in the result (`lists.removeAtIndex(dyn(x), 0)` is a list of a free
// element), where the library made it dyn.
// The library's own matcher binds a parameter to the first operand's type, free or not, and turns
// every parameter a dyn operand meets into dyn.

/** The parts of the library's type declarations read here. */
export interface LibType {
  readonly kind: string;
  readonly name: string;
  readonly keyType?: LibType;
  readonly valueType?: LibType;
  readonly hasPlaceholderType: boolean;
  readonly hasDynType: boolean;
}

export interface TypeRegistry {
  getListType(t: LibType): LibType;
  getMapType(k: LibType, v: LibType): LibType;
  getOptionalType(t: LibType): LibType;
}

/** A function or operator declaration: its parameter types (receiver first) and result. */
export interface Signature {
  readonly params: readonly LibType[];
  readonly result: LibType;
}

type Mapping = Map<string, LibType>;

const isParam = (t: LibType): boolean => t.kind === 'param';
const isDyn = (t: LibType): boolean => t.kind === 'dyn';

// Types cel-go lets null stand for (its legacy nullability: messages, durations, timestamps and
// opaque types such as optionals and the Kubernetes library types).
const NOT_NULLABLE = new Set(['bool', 'int', 'uint', 'double', 'string', 'bytes', 'type']);
function nullable(t: LibType): boolean {
  if (t.name === 'null' || t.kind === 'optional' || t.kind === 'message') return true;
  return t.kind === 'primitive' && !NOT_NULLABLE.has(t.name);
}

function paramsOf(t: LibType): LibType[] {
  if (t.kind === 'map') return [t.keyType as LibType, t.valueType as LibType];
  if (t.kind === 'list' || t.kind === 'optional') return [t.valueType as LibType];
  return [];
}

// Whether t1 is dyn, a parameter, or the same type with less specific parts than t2.
function lessSpecific(t1: LibType, t2: LibType): boolean {
  if (isDyn(t1) || isParam(t1)) return true;
  if (isDyn(t2) || isParam(t2)) return false;
  if (t1.kind !== t2.kind) return false;
  const [p1, p2] = [paramsOf(t1), paramsOf(t2)];
  if (p1.length > 0) return p1.every((p, i) => lessSpecific(p, p2[i] as LibType));
  return t1.name === t2.name;
}

// The occurs check: whether parameter `p` does not appear in `within` (through the mapping too).
function notIn(m: Mapping, p: LibType, within: LibType): boolean {
  if (p.name === within.name) return false;
  if (isParam(within)) {
    const sub = m.get(within.name);
    return sub === undefined || notIn(m, p, sub);
  }
  return paramsOf(within).every((q) => notIn(m, p, q));
}

// Whether `t` may stand for parameter `p`, binding `p` where it is still free; and whether `p`
// was bound already.
function substitution(m: Mapping, t: LibType, p: LibType): [valid: boolean, bound: boolean] {
  if (t.name === p.name) return [true, true];
  const sub = m.get(p.name);
  if (sub !== undefined) {
    if (t.name === sub.name) return [true, true];
    if (!assignable(m, t, sub)) return [false, true];
    const general = lessSpecific(t, sub) ? t : sub;
    if (notIn(m, p, general)) m.set(p.name, general);
    return [true, true];
  }
  if (notIn(m, p, t)) {
    m.set(p.name, t);
    return [true, false];
  }
  return [false, false];
}

/** Whether a value of type t1 is assignable to t2, binding free parameters of either in `m`. */
function assignable(m: Mapping, t1: LibType, t2: LibType): boolean {
  if (isParam(t2)) {
    const [valid, bound] = substitution(m, t1, t2);
    if (valid) return true;
    if (bound) return false;
  }
  if (isParam(t1)) return substitution(m, t2, t1)[0];
  if (isDyn(t1) || isDyn(t2)) return true;
  if (t1.name === 'null') return nullable(t2);
  if (t2.name === 'null') return nullable(t1);
  const [p1, p2] = [paramsOf(t1), paramsOf(t2)];
  if (p1.length > 0 || p2.length > 0) {
    return (
      t1.kind === t2.kind && p1.length === p2.length && p1.every((p, i) => assignable(m, p, p2[i] as LibType))
    );
  }
  return t1.name === t2.name;
}

// A list, optional or map type with `f` applied to its parts; other types as they are.
function rebuild(r: TypeRegistry, t: LibType, f: (part: LibType) => LibType): LibType {
  switch (t.kind) {
    case 'list':
      return r.getListType(f(t.valueType as LibType));
    case 'optional':
      return r.getOptionalType(f(t.valueType as LibType));
    case 'map':
      return r.getMapType(f(t.keyType as LibType), f(t.valueType as LibType));
    default:
      return t;
  }
}

/** `t` with the mapping's bindings put in; parameters still free stay. */
function substitute(r: TypeRegistry, m: Mapping, t: LibType): LibType {
  if (!t.hasPlaceholderType) return t;
  if (isParam(t)) {
    const sub = m.get(t.name);
    return sub === undefined ? t : substitute(r, m, sub);
  }
  return rebuild(r, t, (part) => substitute(r, m, part));
}

/** `t` with parameters renamed (once, not through chains as substitute does). */
function rename(r: TypeRegistry, names: Mapping, t: LibType): LibType {
  if (!t.hasPlaceholderType) return t;
  if (isParam(t)) return names.get(t.name) ?? t;
  return rebuild(r, t, (part) => rename(r, names, part));
}

function collectParams(t: LibType, into: Set<string>): void {
  if (!t.hasPlaceholderType) return;
  if (isParam(t)) into.add(t.name);
  else for (const p of paramsOf(t)) collectParams(p, into);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface Resolution<S> {
  readonly type: LibType;
  /** The declarations that matched, in order; the first one bound the parameters. */
  readonly matched: readonly S[];
}

/**
 * Resolves a call as cel-go's checker does: `signatures` in cel-go's order, `operands` the
 * checked operand types (receiver first). Free parameters are renamed apart (`param` makes a
 * parameter type of a one-letter name), so the result's are named anew. Undefined when no
 * overload matches.
 */
export function resolve<S extends Signature>(
  r: TypeRegistry,
  param: (name: string) => LibType,
  dyn: LibType,
  signatures: readonly S[],
  operands: readonly LibType[],
): Resolution<S> | undefined {
  // Free parameters of different operands are different variables (two `{}` are two maps of
  // their own): each operand's are renamed apart, and the overload's apart from all of them.
  let next = 0;
  const letter = (): LibType => param(LETTERS[next++ % LETTERS.length] as string);
  const apart = (t: LibType): LibType => {
    const own = new Set<string>();
    collectParams(t, own);
    const fresh: Mapping = new Map();
    for (const name of own) fresh.set(name, letter());
    return rename(r, fresh, t);
  };
  const renamed = operands.map(apart);
  let m: Mapping = new Map();
  let type: LibType | undefined;
  const matched: S[] = [];
  for (const sig of signatures) {
    if (sig.params.length !== operands.length) continue;
    // Fresh variables for the overload's parameters: letters no operand uses.
    const own = new Set<string>();
    for (const p of sig.params) collectParams(p, own);
    collectParams(sig.result, own);
    const fresh: Mapping = new Map();
    for (const name of own) fresh.set(name, letter());
    const params = sig.params.map((p) => rename(r, fresh, p));
    const trial: Mapping = new Map(m);
    if (!renamed.every((o, i) => assignable(trial, o, params[i] as LibType))) continue;
    m = trial;
    matched.push(sig);
    const result = substitute(r, m, rename(r, fresh, sig.result));
    if (type === undefined) type = result;
    else if (!isDyn(type) && result.name !== type.name) type = dyn;
  }
  return type === undefined ? undefined : { type: substitute(r, m, type), matched };
}

// The case generator: random well-typed CEL expressions over kro's whole function library (the
// overloads the oracle lists from kro's own environment), its operators and macros, with leaves
// drawn from edge sets (edges.ts) and, sometimes, from variables that cross the JSON boundary
// (typed dyn variables, or a `schema` typed from a SimpleSchema with an instance object).
//
// Expressions are trees (Node) so that a difference can be minimized by replacing a subtree with
// one of its same-typed descendants or with a plain literal.
import * as E from './edges.js';
import type { Case, Overload } from './oracle.js';
import type { Rng } from './prng.js';
import { formatDouble, type Typed } from './values.js';

/** A CEL type: a name and its parameters (`list<int>` = {n: 'list', p: [int]}). */
export interface Ty {
  readonly n: string;
  readonly p: readonly Ty[];
}

export interface Node {
  readonly type: Ty;
  /** The text of this node given its arguments' texts. */
  readonly render: (args: readonly string[]) => string;
  readonly args: readonly Node[];
  /** A literal or variable: nothing to minimize inside. */
  readonly leaf?: boolean;
}

const t = (n: string, ...p: Ty[]): Ty => ({ n, p });
const INT = t('int');
const UINT = t('uint');
const DOUBLE = t('double');
const STRING = t('string');
const BOOL = t('bool');
const BYTES = t('bytes');
const DYN = t('dyn');
const DURATION = t('google.protobuf.Duration');
const TIMESTAMP = t('google.protobuf.Timestamp');
const QUANTITY = t('kubernetes.Quantity');

export function typeText(ty: Ty): string {
  return ty.p.length === 0 ? ty.n : `${ty.n}<${ty.p.map(typeText).join(', ')}>`;
}

export function parseType(text: string): Ty {
  let i = 0;
  const parse = (): Ty => {
    const m = /^[\w.]+/.exec(text.slice(i));
    if (!m) throw new Error(`bad type ${text}`);
    i += m[0].length;
    const p: Ty[] = [];
    if (text[i] === '<') {
      i++;
      for (;;) {
        p.push(parse());
        while (text[i] === ' ') i++;
        if (text[i] === ',') {
          i++;
          while (text[i] === ' ') i++;
          continue;
        }
        i++; // '>'
        break;
      }
    }
    return { n: m[0], p };
  };
  return parse();
}

const isParam = (ty: Ty): boolean => /^[A-Z]$/.test(ty.n);
const sameType = (a: Ty, b: Ty): boolean => typeText(a) === typeText(b);

type Binding = Map<string, Ty>;

// Unifies a signature type (with parameters) with a concrete wanted type.
function unify(sig: Ty, want: Ty, b: Binding): boolean {
  if (isParam(sig)) {
    const bound = b.get(sig.n);
    if (bound) return sameType(bound, want);
    b.set(sig.n, want);
    return true;
  }
  if (sig.n === 'dyn') return true;
  if (sig.n !== want.n || sig.p.length !== want.p.length) return false;
  return sig.p.every((p, k) => unify(p, want.p[k] as Ty, b));
}

function substitute(sig: Ty, b: Binding): Ty {
  if (isParam(sig)) return b.get(sig.n) ?? DYN;
  return { n: sig.n, p: sig.p.map((p) => substitute(p, b)) };
}

// Functions the generator leaves out: internal helpers, kro's runtime conditions (allowed only
// in status conditions) and omit() (behind a feature gate), and field selection.
const SKIPPED =
  /^(@|cel\.@|_\?\._$|__not_strictly_false__|condition$|newCondition$|omit$|_\[_\]$|_in_$|@in$)/;

const OPERATORS: Readonly<Record<string, (a: readonly string[]) => string>> = {
  '_+_': (a) => `(${a[0]} + ${a[1]})`,
  '_-_': (a) => `(${a[0]} - ${a[1]})`,
  '_*_': (a) => `(${a[0]} * ${a[1]})`,
  '_/_': (a) => `(${a[0]} / ${a[1]})`,
  '_%_': (a) => `(${a[0]} % ${a[1]})`,
  '_<_': (a) => `(${a[0]} < ${a[1]})`,
  '_<=_': (a) => `(${a[0]} <= ${a[1]})`,
  '_>_': (a) => `(${a[0]} > ${a[1]})`,
  '_>=_': (a) => `(${a[0]} >= ${a[1]})`,
  '_==_': (a) => `(${a[0]} == ${a[1]})`,
  '_!=_': (a) => `(${a[0]} != ${a[1]})`,
  '_&&_': (a) => `(${a[0]} && ${a[1]})`,
  '_||_': (a) => `(${a[0]} || ${a[1]})`,
  '!_': (a) => `(!${a[0]})`,
  '-_': (a) => `(-${a[0]})`,
  '_?_:_': (a) => `(${a[0]} ? ${a[1]} : ${a[2]})`,
  '_[?_]': (a) => `${a[0]}[?${a[1]}]`,
};

function renderer(o: Overload): ((a: readonly string[]) => string) | undefined {
  const op = OPERATORS[o.name];
  if (op) return op;
  if (/^[_!-]/.test(o.name)) return undefined;
  if (o.member) return (a) => `${a[0]}.${o.name}(${a.slice(1).join(', ')})`;
  return (a) => `${o.name}(${a.join(', ')})`;
}

interface Sig {
  readonly args: readonly Ty[];
  readonly result: Ty;
  readonly render: (a: readonly string[]) => string;
  readonly name: string;
}

/** kro's overloads as generator productions. */
export function signatures(overloads: readonly Overload[]): Sig[] {
  const out: Sig[] = [];
  for (const o of overloads) {
    if (SKIPPED.test(o.name) || o.args.some((a) => /kro\.run/.test(a)) || /kro\.run/.test(o.result)) continue;
    // Ordering across numeric types (int < uint, ...) is a type-checker question that issue 18
    // owns; cel-go's checker refuses it unless cross-type comparisons are enabled.
    if (/^_[<>]=?_$/.test(o.name) && o.args[0] !== o.args[1]) continue;
    const render = renderer(o);
    if (!render) continue;
    out.push({ name: o.name, args: o.args.map(parseType), result: parseType(o.result), render });
  }
  return out;
}

/** CEL string literal text for `s` (non-ASCII characters written as themselves). */
export function celString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

const SCALARS: readonly Ty[] = [INT, UINT, DOUBLE, STRING, BOOL, BYTES, DURATION, TIMESTAMP];
const KEYS: readonly Ty[] = [INT, UINT, BOOL, STRING, STRING, STRING];

interface Scope {
  readonly name: string;
  readonly type: Ty;
}

/** Functions whose first argument is a size or count, given only small values. */
const SIZED: ReadonlySet<string> = new Set(['lists.range', 'random.seededString']);
const SMALL_INTS = ['-1', '0', '1', '3', '10'];

const leafNode = (type: Ty, text: string): Node => ({ type, render: () => text, args: [], leaf: true });

/** Builds one case at a time; `vars` collects the dyn variables the current case uses. */
export class Generator {
  readonly #rng: Rng;
  readonly #sigs: readonly Sig[];
  #vars: Record<string, Typed> = {};
  #scope: Scope[] = [];
  #iter = 0;
  #schemaFields: { name: string; type: Ty }[] = [];

  constructor(rng: Rng, overloads: readonly Overload[]) {
    this.#rng = rng;
    this.#sigs = signatures(overloads);
  }

  /** The names of kro's functions this generator can call (for coverage reports). */
  functionNames(): string[] {
    return [...new Set(this.#sigs.map((s) => s.name))].sort();
  }

  randomType(depth = 0): Ty {
    const r = this.#rng;
    if (depth < 2 && r.chance(0.2)) {
      return r.chance(0.6)
        ? t('list', this.randomType(depth + 1))
        : t('map', r.pick(KEYS), this.randomType(depth + 1));
    }
    if (r.chance(0.08)) return t('optional_type', this.randomType(depth + 1));
    if (r.chance(0.05)) return QUANTITY;
    if (r.chance(0.05)) return DYN;
    return r.pick(SCALARS);
  }

  /** A random expression of type `type`. */
  expr(type: Ty, depth: number): Node {
    const r = this.#rng;
    if (depth <= 0 || r.chance(0.25)) return this.leaf(type, depth);
    const roll = r.next();
    if (roll < 0.12) return this.macro(type, depth) ?? this.call(type, depth) ?? this.leaf(type, depth);
    if (roll < 0.17) {
      return {
        type,
        render: (a) => `(${a[0]} ? ${a[1]} : ${a[2]})`,
        args: [this.expr(BOOL, depth - 1), this.expr(type, depth - 1), this.expr(type, depth - 1)],
      };
    }
    return this.call(type, depth) ?? this.leaf(type, depth);
  }

  call(type: Ty, depth: number): Node | undefined {
    const r = this.#rng;
    const fitting: [Sig, Binding][] = [];
    for (const s of this.#sigs) {
      const b: Binding = new Map();
      if (type.n === 'dyn' ? true : unify(s.result, type, b)) fitting.push([s, b]);
    }
    if (fitting.length === 0) return undefined;
    const [sig, b] = r.pick(fitting);
    // Parameters the result does not fix: pick a type each.
    const args = sig.args.map((a) => {
      const fill = (x: Ty): void => {
        if (isParam(x) && !b.has(x.n)) b.set(x.n, x.n === 'K' ? r.pick(KEYS) : this.randomType(1));
        for (const p of x.p) fill(p);
      };
      fill(a);
      return substitute(a, b);
    });
    // Sizes: kro evaluates without a cost limit, so `lists.range(2^62)` would exhaust memory.
    const sized = SIZED.has(sig.name);
    return {
      type,
      render: sig.render,
      args: args.map((a, i) =>
        sized && i === 0 ? leafNode(INT, r.pick(SMALL_INTS)) : this.expr(a, depth - 1),
      ),
    };
  }

  #withScope<T>(vars: readonly Scope[], f: () => T): T {
    this.#scope.push(...vars);
    try {
      return f();
    } finally {
      this.#scope.splice(this.#scope.length - vars.length, vars.length);
    }
  }

  /** A macro or comprehension producing `type`, when one fits. */
  macro(type: Ty, depth: number): Node | undefined {
    const r = this.#rng;
    const d = depth - 1;
    const elem = this.randomType(1);
    const x = `i${this.#iter++}`;
    const y = `i${this.#iter++}`;
    const list = this.expr(t('list', elem), d);
    const under = (vars: Scope[], ty: Ty): Node => this.#withScope(vars, () => this.expr(ty, d));
    const options: (() => Node | undefined)[] = [];
    if (type.n === 'bool') {
      for (const m of ['all', 'exists', 'exists_one']) {
        options.push(() => ({
          type,
          render: (a) => `${a[0]}.${m}(${x}, ${a[1]})`,
          args: [list, under([{ name: x, type: elem }], BOOL)],
        }));
        options.push(() => ({
          type,
          render: (a) => `${a[0]}.${m}(${x}, ${y}, ${a[1]})`,
          args: [
            list,
            under(
              [
                { name: x, type: INT },
                { name: y, type: elem },
              ],
              BOOL,
            ),
          ],
        }));
      }
      options.push(() => {
        const key = r.pick(KEYS);
        return {
          type,
          render: (a) => `${a[0]}.exists(${x}, ${a[1]})`,
          args: [this.expr(t('map', key, elem), d), under([{ name: x, type: key }], BOOL)],
        };
      });
    }
    if (type.n === 'list') {
      const out = type.p[0] as Ty;
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.map(${x}, ${a[1]})`,
        args: [list, under([{ name: x, type: elem }], out)],
      }));
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.map(${x}, ${a[1]}, ${a[2]})`,
        args: [list, under([{ name: x, type: elem }], BOOL), under([{ name: x, type: elem }], out)],
      }));
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.filter(${x}, ${a[1]})`,
        args: [this.expr(type, d), under([{ name: x, type: out }], BOOL)],
      }));
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.sortBy(${x}, ${a[1]})`,
        args: [
          this.expr(type, d),
          under([{ name: x, type: out }], r.pick([INT, STRING, DOUBLE, UINT, BOOL])),
        ],
      }));
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.transformList(${x}, ${y}, ${a[1]})`,
        args: [
          list,
          under(
            [
              { name: x, type: INT },
              { name: y, type: elem },
            ],
            out,
          ),
        ],
      }));
    }
    if (type.n === 'map') {
      const [k, v] = type.p as [Ty, Ty];
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.transformMap(${x}, ${y}, ${a[1]})`,
        args: [
          this.expr(t('map', k, elem), d),
          under(
            [
              { name: x, type: k },
              { name: y, type: elem },
            ],
            v,
          ),
        ],
      }));
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.transformMapEntry(${x}, ${y}, {${a[1]}: ${a[2]}})`,
        args: [
          list,
          under(
            [
              { name: x, type: INT },
              { name: y, type: elem },
            ],
            k,
          ),
          under(
            [
              { name: x, type: INT },
              { name: y, type: elem },
            ],
            v,
          ),
        ],
      }));
    }
    if (type.n === 'optional_type') {
      options.push(() => ({
        type,
        render: (a) => `${a[0]}.optMap(${x}, ${a[1]})`,
        args: [this.expr(t('optional_type', elem), d), under([{ name: x, type: elem }], type.p[0] as Ty)],
      }));
    }
    options.push(() => ({
      type,
      render: (a) => `cel.bind(${x}, ${a[0]}, ${a[1]})`,
      args: [this.expr(elem, d), under([{ name: x, type: elem }], type)],
    }));
    return r.pick(options)();
  }

  /** A literal (or variable) of `type`. */
  leaf(type: Ty, depth = 0): Node {
    const r = this.#rng;
    const inScope = this.#scope.filter((s) => sameType(s.type, type));
    if (inScope.length > 0 && r.chance(0.6)) return leafNode(type, r.pick(inScope).name);
    const fields = this.#schemaFields.filter((f) => sameType(f.type, type));
    if (fields.length > 0 && r.chance(0.5)) return leafNode(type, `schema.spec.${r.pick(fields).name}`);
    if (r.chance(0.08)) {
      const v = this.#variableValue(type);
      if (v) {
        const name = `v${Object.keys(this.#vars).length}`;
        this.#vars[name] = v;
        return leafNode(type, name);
      }
    }
    return this.#literal(type, depth);
  }

  #literal(type: Ty, depth: number): Node {
    const r = this.#rng;
    const q = (xs: readonly string[]): string => celString(r.pick(xs));
    switch (type.n) {
      case 'int':
        return leafNode(type, r.pick(E.INTS));
      case 'uint':
        return leafNode(type, r.pick(E.UINTS));
      case 'double':
        return leafNode(type, r.pick(E.DOUBLES));
      case 'string':
        return leafNode(type, q(E.STRINGS));
      case 'bool':
        return leafNode(type, r.pick(['true', 'false']));
      case 'bytes':
        return leafNode(type, r.chance(0.3) ? `bytes(${q(E.STRINGS)})` : r.pick(E.BYTES));
      case 'null_type':
        return leafNode(type, 'null');
      case 'google.protobuf.Duration':
        return leafNode(type, `duration(${q(E.DURATIONS)})`);
      case 'google.protobuf.Timestamp':
        return leafNode(type, `timestamp(${q(E.TIMESTAMPS)})`);
      case 'kubernetes.Quantity':
        return leafNode(type, `quantity(${q(E.QUANTITIES)})`);
      case 'net.IP':
        return leafNode(type, `ip(${q(E.IPS)})`);
      case 'net.CIDR':
        return leafNode(type, `cidr(${q(E.CIDRS)})`);
      case 'kubernetes.URL':
        return leafNode(type, `url(${q(E.URLS)})`);
      case 'kubernetes.Semver':
        return leafNode(type, `semver(${q(E.SEMVERS)})`);
      case 'type':
        return { type, render: (a) => `type(${a[0]})`, args: [this.leaf(this.randomType(1), 0)] };
      case 'optional_type': {
        const inner = type.p[0] ?? DYN;
        if (r.chance(0.3)) return leafNode(type, 'optional.none()');
        return { type, render: (a) => `optional.of(${a[0]})`, args: [this.leaf(inner, depth - 1)] };
      }
      case 'list': {
        const elem = type.p[0] ?? DYN;
        const n = r.int(4);
        const args = Array.from({ length: n }, () =>
          depth > 0 ? this.expr(elem, depth - 1) : this.leaf(elem),
        );
        return { type, render: (a) => `[${a.join(', ')}]`, args };
      }
      case 'map': {
        const [k, v] = [type.p[0] ?? STRING, type.p[1] ?? DYN];
        const n = r.int(4);
        const args: Node[] = [];
        for (let i = 0; i < n; i++)
          args.push(this.leaf(k), depth > 0 ? this.expr(v, depth - 1) : this.leaf(v));
        return {
          type,
          render: (a) =>
            `{${Array.from({ length: a.length / 2 }, (_, i) => `${a[2 * i]}: ${a[2 * i + 1]}`).join(', ')}}`,
          args,
        };
      }
      default: {
        // dyn (or an unknown type): a scalar of any type.
        const inner = this.randomType(1);
        return { type, render: (a) => `dyn(${a[0]})`, args: [this.leaf(inner, depth)] };
      }
    }
  }

  // A dyn variable holding a value no literal spells (NaN, ±Inf, nanosecond timestamps) or one
  // that crosses the boundary as JSON would (big integers, astral strings).
  #variableValue(type: Ty): Typed | undefined {
    const r = this.#rng;
    switch (type.n) {
      case 'int':
        return { t: 'int', v: r.pick(E.INTS) };
      case 'uint':
        return { t: 'uint', v: r.pick(E.UINTS).slice(0, -1) };
      case 'double':
        return {
          t: 'double',
          v: r.chance(0.5) ? r.pick(E.DOUBLE_VARS) : formatDouble(Number(r.pick(E.DOUBLES))),
        };
      case 'string':
        return { t: 'string', v: r.pick(E.STRINGS) };
      case 'bool':
        return { t: 'bool', v: r.chance(0.5) };
      case 'google.protobuf.Duration':
        return {
          t: 'duration',
          v: r.pick(['0', '1', '-1', '1500000000', '9223372036854775807', '-9223372036854775808']),
        };
      case 'google.protobuf.Timestamp':
        return {
          t: 'timestamp',
          v: r.pick([
            '0',
            '1',
            '-1',
            '1700000000123456789',
            '-62135596800000000000',
            '253402300799999999999',
          ]),
        };
      case 'list':
        return { t: 'list', l: [] };
      default:
        return undefined;
    }
  }

  /** One case: an expression of a random type, its variables, maybe a schema. */
  case(id: string): { case: Case; tree: Node } {
    const r = this.#rng;
    this.#vars = {};
    this.#scope = [];
    this.#iter = 0;
    let schema: Record<string, unknown> | undefined;
    let instance: Record<string, unknown> | undefined;
    this.#schemaFields = [];
    if (r.chance(0.15)) ({ schema, instance } = this.#schemaCase());
    const depth = 1 + r.int(4);
    const tree = this.expr(this.randomType(), depth);
    const expr = render(tree);
    const vars = Object.fromEntries(
      Object.entries(this.#vars).filter(([n]) => new RegExp(`\\b${n}\\b`).test(expr)),
    );
    const c: Case = {
      id,
      expr,
      ...(Object.keys(vars).length > 0 ? { vars } : {}),
      ...(schema && instance ? { schema, instance } : {}),
    };
    return { case: c, tree };
  }

  #schemaCase(): { schema: Record<string, unknown>; instance: Record<string, unknown> } {
    const r = this.#rng;
    const kinds: [string, Ty, () => unknown][] = [
      ['string', STRING, () => r.pick(E.STRINGS)],
      ['integer', INT, () => r.pick([0, 1, -1, 42, 9007199254740991, 2 ** 53 + 2])],
      ['float', DOUBLE, () => r.pick([0, 1, 1.5, -0.25, 1e21, 0.1, 123456789.5, 3])],
      ['boolean', BOOL, () => r.chance(0.5)],
      ['[]string', t('list', STRING), () => [r.pick(E.STRINGS), r.pick(E.STRINGS)].slice(0, r.int(3))],
      ['[]integer', t('list', INT), () => [1, -2, 3].slice(0, r.int(4))],
      ['map[string]integer', t('map', STRING, INT), () => ({ a: 1, ｚ: 2, '😀': 3 })],
      ['map[string]string', t('map', STRING, STRING), () => ({ k: r.pick(E.STRINGS) })],
    ];
    const schema: Record<string, unknown> = {};
    const spec: Record<string, unknown> = {};
    const n = 1 + r.int(4);
    for (let i = 0; i < n; i++) {
      const [simple, type, value] = r.pick(kinds);
      const name = `f${i}`;
      schema[name] = simple;
      if (r.chance(0.85)) spec[name] = value();
      this.#schemaFields.push({ name, type });
    }
    return {
      schema,
      instance: { apiVersion: 'fuzz.kro.run/v1alpha1', kind: 'Fuzz', metadata: { name: 'x' }, spec },
    };
  }
}

/** The expression text of a tree. */
export function render(n: Node): string {
  return n.render(n.args.map(render));
}

// What the steps of one graph build share: the RGD and its context, the resource ids, the
// diagnostics so far (each reported once), and the checks every expression goes through
// wherever it sits: parsing, unknown functions and identifiers, omit(), and its CEL type.
import type { CheckResult, TypeEnv } from '../cel/typecheck.js';
import type { CelType } from '../cel/types.js';
import { type Diagnostic, error, excerpt, type Severity, type SourcePos } from '../diagnostics.js';
import type { DocPath, Rgd } from '../rgd/model.js';
import type { GraphContext } from './context.js';
import { type Inspection, Inspector } from './inspector.js';

/** Where an expression sits, which decides what it may use (omit() only in templates). */
export type ExprContext = 'template' | 'forEach' | 'includeWhen' | 'readyWhen' | 'status' | 'condition';

/** One CEL text to check, with where it sits. */
export interface Site {
  readonly text: string;
  /** DocPath of the string holding it, and the offset of its first CEL character there. */
  readonly docPath: DocPath;
  readonly innerStart: number;
  readonly dollar: number;
}

function levenshtein(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] ?? 0;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] ?? 0;
      d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] ?? 0;
}

function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const dist = levenshtein(name.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3))
    ? ` (did you mean "${best}"?)`
    : '';
}

/**
 * Gives `target` a `pos` property worked out on first read. A graph carries the position of every
 * resource, field and expression, but a run reads few of them (validate reports only problems,
 * synth and codegen read none of most), and each is a walk of the YAML's position tree plus a line
 * lookup: eager, they were a large share of building the graph of a big RGD. The property is
 * enumerable like any other, so spreading, JSON and comparisons see it as plain data.
 */
export function definePos<T extends object>(target: T, compute: () => SourcePos): T {
  PENDING_SLOT.value = compute;
  Object.defineProperty(target, PENDING, PENDING_SLOT);
  PENDING_SLOT.value = undefined;
  Object.defineProperty(target, 'pos', LAZY_POS);
  return target;
}

// One getter for every object, its work kept aside until the first read: objects given the same
// accessor share their hidden classes, where a getter closure per object gave each its own. The
// work waits in a non-enumerable symbol-keyed slot of the object (no spread, JSON, key listing or
// comparison sees it), not in a WeakMap: a WeakMap entry per position cost twice as much.
const PENDING = Symbol('pending pos');
const PENDING_SLOT: PropertyDescriptor = {
  value: undefined,
  writable: true,
  enumerable: false,
  configurable: true,
};
const LAZY_POS: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [PENDING]?: (() => SourcePos) | SourcePos }): SourcePos | undefined {
    const found = this[PENDING];
    if (typeof found !== 'function') return found;
    const at = found();
    this[PENDING] = at;
    return at;
  },
};

/**
 * A diagnostic whose position is worked out when first read (definePos): `generate` drops the
 * graph's warnings unread (an unknown kind's warning on most resources of kro's examples), and
 * `validate` prints them all. The same plain data as error()/warning() give, keys in their order.
 */
export function diagnosticAt(
  severity: Severity,
  message: string,
  at: () => SourcePos,
  code: string,
): Diagnostic {
  const d: { severity: Severity; message: string; code?: string } = { severity, message };
  definePos(d, at);
  d.code = code;
  return d;
}

/**
 * Replaces `target[key]` (an existing own property, so it keeps its place among the keys) with
 * `compute()`'s value, worked out on first read: for parts of a graph that are costly and that
 * most runs never read. Enumerable and writable like the plain property it stands for.
 */
export function definePropertyOnRead<T extends object, K extends keyof T>(
  target: T,
  key: K,
  compute: () => T[K],
): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(): T[K] {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}

export class BuildState {
  readonly rgd: Rgd;
  readonly ctx: GraphContext;
  readonly ids: Set<string>;
  readonly namespaced: boolean;
  readonly inspector: Inspector;
  readonly diagnostics: Diagnostic[] = [];
  /**
   * The diagnostics reported so far, by message. One is a repeat when one of the same message has
   * the same line and column; only then are positions compared, so a diagnostic's position, often
   * worked out when read (diagnosticAt), is not worked out just to report it.
   */
  readonly #reported = new Map<string, Diagnostic[]>();
  // Each environment's check of each text. One text is often checked many times in one
  // environment (`${schema.spec.name}` in every resource: 1,007 of the 1,754 checks of kro's
  // examples), and a check is a parse and a typing walk. An environment's answer for a text stays
  // the same: what it adds later (equality overloads, see TypeEnv.check) only serves texts that
  // failed without them.
  readonly #checked = new WeakMap<TypeEnv, Map<string, CheckResult>>();

  constructor(rgd: Rgd, ctx: GraphContext) {
    this.rgd = rgd;
    this.ctx = ctx;
    this.ids = new Set(rgd.resources.map((r) => r.id));
    this.namespaced = rgd.schema.scope !== 'Cluster';
    this.inspector = new Inspector(this.ids, ctx.omit ?? false);
  }

  report(d: Diagnostic): void {
    const same = this.#reported.get(d.message);
    if (same === undefined) this.#reported.set(d.message, [d]);
    else {
      const line = d.pos?.line;
      const col = d.pos?.col;
      for (const e of same) if (e.pos?.line === line && e.pos?.col === col) return;
      same.push(d);
    }
    this.diagnostics.push(d);
  }

  pos(site: Site, offset = 0): SourcePos {
    return this.rgd.loc.inString(site.docPath, site.innerStart + offset);
  }

  /** Inspects one expression; reports parse errors, unknown functions and omit misuse. */
  inspect(site: Site, context: ExprContext, who: string, broken: Set<Site>): Inspection | undefined {
    const ins = this.inspector.inspect(site.text);
    if (ins.parseError) {
      this.report(
        error(
          `${who}: failed to parse expression "${excerpt(site.text)}": ${ins.parseError.message}`,
          this.pos(site, ins.parseError.offset),
          'graph/cel',
        ),
      );
      broken.add(site);
      return undefined;
    }
    if (ins.unknownFunctions.length > 0) {
      this.report(
        error(
          `${who}: uses unknown functions: [${ins.unknownFunctions.join(' ')}]`,
          this.pos(site),
          'graph/unknown-function',
        ),
      );
      broken.add(site);
    }
    if (ins.usesOmit) {
      if (!(this.ctx.omit ?? false)) {
        this.report(
          error(
            `${who}: omit() requires the CELOmitFunction feature gate to be enabled`,
            this.pos(site),
            'graph/omit',
          ),
        );
        broken.add(site);
      } else if (context !== 'template') {
        this.report(
          error(
            `${who}: omit() can only be used in resource template expressions`,
            this.pos(site),
            'graph/omit',
          ),
        );
        broken.add(site);
      }
    }
    return ins;
  }

  /** Reports an identifier that is neither a resource nor a variable, with the nearest known name. */
  unknown(
    site: Site,
    root: string,
    start: number,
    who: string,
    known: Iterable<string>,
    broken: Set<Site>,
  ): void {
    this.report(
      error(
        `${who}: references unknown identifiers: [${root}]${suggestion(root, known)}`,
        this.pos(site, start),
        'graph/unknown-identifier',
      ),
    );
    broken.add(site);
  }

  /**
   * Type-checks one expression; reports the checker's error at its position. `who` starts the
   * message: a function where making it costs (most checks pass and print nothing).
   */
  check(env: TypeEnv, site: Site, who: string | (() => string)): CelType | undefined {
    const r = this.checked(env, site);
    if (r.ok) return r.type;
    this.reportCheck(r, site, typeof who === 'string' ? who : who());
    return undefined;
  }

  /** The check of one expression in `env` (see #checked), without reporting anything. */
  checked(env: TypeEnv, site: Site): CheckResult {
    let checked = this.#checked.get(env);
    if (checked === undefined) {
      checked = new Map();
      this.#checked.set(env, checked);
    }
    let r = checked.get(site.text);
    if (r === undefined) {
      r = env.check(site.text);
      checked.set(site.text, r);
    }
    return r;
  }

  /** Reports a failed check at its position; `subject` starts the message. */
  reportCheck(r: CheckResult & { ok: false }, site: Site, subject: string): void {
    this.report(error(`${subject}: ${r.message}`, this.pos(site, r.start ?? 0), 'graph/cel'));
  }
}

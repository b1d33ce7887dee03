// What one CEL expression is before any typing: the variables it reads (with offsets, for
// diagnostics) and the functions it calls that kro's environment does not know. Dependencies
// and every "unknown ..." diagnostic of the graph come from here.
//
// The tree parsed for an inspection is not kept: it is left as a spare for the type check of the
// same text, which then does not parse again (src/cel/spare-parses.ts). So the parse environment is
// a typing one, cloned from the base the type checks' environments are cloned from.
//
// Everything an inspection depends on is fixed per process except the resource ids that shadow a
// namespace name, so the parse environment, the known function names and the inspections
// themselves are shared by every build of the process (an editor rebuilds the same expressions on
// each keystroke; a run over many RGDs parses the same `${schema.spec.name}` many times).
import type { ASTNode } from '@marcbachmann/cel-js';
import { boundedMemo } from '../bounded-memo.js';
import {
  createKroEnvironment,
  type KroEnvironment,
  libraryFunctionNames,
  NAMESPACE_IDENTIFIERS,
  namespacedFunctionNames,
} from '../cel/environment.js';
import { findReferences, plainChainReferences } from '../cel/references.js';
import { RUNTIME } from './identifiers.js';

export interface Inspection {
  /** Identifiers read, with offsets inside the expression. */
  readonly refs: readonly {
    readonly root: string;
    /** The fields selected after the root (see Reference.path). */
    readonly path: readonly string[];
    readonly start: number;
    readonly end: number;
  }[];
  readonly unknownFunctions: readonly string[];
  readonly usesOmit: boolean;
  readonly parseError?: { readonly message: string; readonly offset: number };
}

/** What every inspector of one option set shares: nothing in it depends on the RGD. */
interface Shared {
  // Parsing only: nothing is ever declared in it.
  readonly env: KroEnvironment;
  readonly functions: ReadonlySet<string>;
  readonly namespacedFunctions: ReadonlySet<string>;
  /** Namespace names kro's environment declares, before resource ids shadow any. */
  readonly namespaces: readonly string[];
  /** Inspection of a text, by namespace set (the only inspector state an inspection depends on). */
  readonly cache: Map<string, (source: string) => Inspection>;
}

const shared = new Map<boolean, Shared>();

function sharedFor(omit: boolean): Shared {
  let found = shared.get(omit);
  if (found === undefined) {
    const env = createKroEnvironment({ omit, typing: true });
    found = {
      env,
      functions: libraryFunctionNames({ omit }),
      namespacedFunctions: namespacedFunctionNames({ omit }),
      // `runtime` is read as a variable so it can be rejected outside status conditions.
      // Only namespaces kro's environment declares: `math.least(...)` names an unknown identifier
      // (kro has no math extension), as kro's inspector reports it.
      namespaces: [...NAMESPACE_IDENTIFIERS].filter((n) => n !== RUNTIME && env.raw.hasVariable(n)),
      cache: new Map(),
    };
    shared.set(omit, found);
  }
  return found;
}

const NO_NODES: ASTNode[] = [];

// A long-lived process (the language server) sees ever new texts: past this many the cache starts
// over rather than grow without bound.
const CACHE_LIMIT = 20_000;

export class Inspector {
  readonly #shared: Shared;
  readonly #namespaces: ReadonlySet<string>;
  readonly #inspectCached: (source: string) => Inspection;

  constructor(resourceIds: ReadonlySet<string>, omit: boolean) {
    this.#shared = sharedFor(omit);
    const namespaces = this.#shared.namespaces.filter((n) => !resourceIds.has(n));
    this.#namespaces = new Set(namespaces);
    const key = namespaces.join(' ');
    let cached = this.#shared.cache.get(key);
    if (cached === undefined) {
      cached = boundedMemo(CACHE_LIMIT, (source) => this.#inspect(source));
      this.#shared.cache.set(key, cached);
    }
    this.#inspectCached = cached;
  }

  inspect(source: string): Inspection {
    return this.#inspectCached(source);
  }

  /** A tree of `source` of the caller's own (inspections keep none), or undefined if it does not parse. */
  parse(source: string): ASTNode | undefined {
    try {
      return this.#shared.env.parse(source).ast;
    } catch {
      return undefined;
    }
  }

  #inspect(source: string): Inspection {
    // A plain select chain reads its root and calls nothing: its references come from the text,
    // without a parse (most expressions are one; parsing is most of inspecting).
    const chain = plainChainReferences(source, this.#namespaces);
    if (chain !== undefined) return { refs: chain, unknownFunctions: [], usesOmit: false };
    let ast: ASTNode;
    try {
      ast = this.#shared.env.parse(source).ast;
    } catch (e) {
      const err = e as { summary?: string; message?: string; range?: { start: number } };
      const message =
        err.summary ?? (err.message ?? 'invalid expression').split('\n')[0] ?? 'invalid expression';
      return {
        refs: [],
        unknownFunctions: [],
        usesOmit: false,
        parseError: { message, offset: err.range?.start ?? 0 },
      };
    }
    // runtime.newCondition({type: ..., status: ...}) takes bare field names, not variables. (A
    // CEL identifier is spelled out in the text, so texts without the name need no walk.)
    const bareKeys = new Set<number>();
    const pending: ASTNode[] = source.includes('newCondition') ? [ast] : NO_NODES;
    while (pending.length > 0) {
      const n = pending.pop() as ASTNode;
      if (n.op === 'value' || n.op === 'id') continue;
      if (n.op === 'rcall') {
        const [name, target, args] = n.args;
        if (name === 'newCondition' && target.op === 'id' && target.args === RUNTIME) {
          for (const a of args)
            if (a.op === 'map') for (const [k] of a.args) if (k.op === 'id') bareKeys.add(k.start);
        }
        pending.push(target, ...args);
      } else if (n.op === '.' || n.op === '.?') pending.push(n.args[0]);
      else if (n.op === 'call') pending.push(...n.args[1]);
      else if (n.op === 'list') pending.push(...n.args);
      else if (n.op === 'map') for (const [k, v] of n.args) pending.push(k, v);
      else if (n.op === '!_' || n.op === '-_') pending.push(n.args);
      else pending.push(...(n.args as readonly ASTNode[]));
    }
    // findReferences' own list and records (fresh, of the same shape), filtered only when needed.
    const found = findReferences(ast, this.#namespaces, this.#shared.namespacedFunctions);
    const refs = bareKeys.size === 0 ? found : found.filter((r) => !bareKeys.has(r.start));
    const unknownFunctions: string[] = [];
    let usesOmit = false;
    // Indexed loops and tuples read by index, not for-of and destructuring: cold code
    // (docs/architecture.md).
    const visitEach = (nodes: readonly ASTNode[]): void => {
      for (let i = 0; i < nodes.length; i++) visit(nodes[i] as ASTNode);
    };
    const visit = (n: ASTNode): void => {
      if (n.op === 'call') {
        const name = n.args[0];
        if (name === 'omit') usesOmit = true;
        else if (!this.#shared.functions.has(name) && !unknownFunctions.includes(name))
          unknownFunctions.push(name);
        visitEach(n.args[1]);
        return;
      }
      if (n.op === 'value' || n.op === 'id') return;
      if (n.op === '.' || n.op === '.?') {
        visit(n.args[0]);
        return;
      }
      if (n.op === 'rcall') {
        visit(n.args[1]);
        visitEach(n.args[2]);
        return;
      }
      if (n.op === 'list') {
        visitEach(n.args);
        return;
      }
      if (n.op === 'map') {
        for (let i = 0; i < n.args.length; i++) {
          const entry = n.args[i] as (typeof n.args)[number];
          visit(entry[0]);
          visit(entry[1]);
        }
        return;
      }
      if (n.op === '!_' || n.op === '-_') {
        visit(n.args);
        return;
      }
      visitEach(n.args as readonly ASTNode[]);
    };
    visit(ast);
    this.#shared.env.leaveSpare(source, ast);
    return { refs, unknownFunctions, usesOmit };
  }
}

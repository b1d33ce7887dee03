// The differential run: generate cases, evaluate each in kro-gen and in the oracle, compare,
// minimize every difference and check it against the allow-list.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, type Node, render } from './generate.js';
import { evaluateKroGen } from './kro-gen.js';
import type { Case, Oracle, Overload, Result } from './oracle.js';
import { Rng } from './prng.js';
import { canonical } from './values.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * A known difference. `kro-bug`: kro gets it wrong and kro-gen deliberately does not (each is also
 * in docs/kro-differences.md). `open`: a kro-gen bug found and not fixed yet; listed so the CI run
 * catches new differences, and reported separately, never as explained.
 * Every pattern given must match: `expr` the minimized expression, `kroGen`/`kro` the JSON of
 * each side's result.
 */
export interface Allowed {
  readonly kind: 'kro-bug' | 'open';
  readonly reason: string;
  readonly expr?: string;
  readonly kroGen?: string;
  readonly kro?: string;
}

export function loadAllowList(): Allowed[] {
  return JSON.parse(readFileSync(join(HERE, 'allow-list.json'), 'utf8')) as Allowed[];
}

function matcher(a: Allowed): (d: Omit<Difference, 'allowed'>) => boolean {
  const res = (['expr', 'kroGen', 'kro'] as const).flatMap((k) =>
    a[k] === undefined ? [] : [[k, new RegExp(a[k] as string, 'u')] as const],
  );
  return (d) =>
    res.every(([k, re]) => re.test(k === 'expr' ? d.case.expr : JSON.stringify({ ...d[k], id: undefined })));
}

export interface Difference {
  readonly case: Case;
  readonly kroGen: Result;
  readonly kro: Result;
  /** The allow-list entry that explains it. */
  readonly allowed?: Allowed;
}

/** Whether two results agree: same value of the same CEL type, or errors of the same class. */
export function agree(a: Result, b: Result): boolean {
  if (a.error !== undefined || b.error !== undefined) return a.error === b.error;
  return canonical(a.value as never) === canonical(b.value as never);
}

function safeKroGen(c: Case): Result {
  try {
    return evaluateKroGen(c);
  } catch (err) {
    return { error: 'crash (harness)', message: String(err) };
  }
}

// Smaller trees for `n`: each same-typed descendant, and the node's plainest literal.
function* shrinks(n: Node, simplest: (n: Node) => Node): IterableIterator<Node> {
  const stack = [...n.args];
  while (stack.length > 0) {
    const d = stack.shift() as Node;
    if (JSON.stringify(d.type) === JSON.stringify(n.type)) yield d;
    stack.push(...d.args);
  }
  if (!n.leaf) yield simplest(n);
}

// Rebuilds `root` with the node at `path` replaced.
function replaceAt(root: Node, path: readonly number[], by: Node): Node {
  if (path.length === 0) return by;
  const [i, ...rest] = path as [number, ...number[]];
  const args = root.args.slice();
  args[i] = replaceAt(root.args[i] as Node, rest, by);
  return { ...root, args };
}

function paths(root: Node, prefix: number[] = []): number[][] {
  return [prefix, ...root.args.flatMap((a, i) => paths(a, [...prefix, i]))];
}

function nodeAt(root: Node, path: readonly number[]): Node {
  return path.reduce((n, i) => n.args[i] as Node, root);
}

/** The smallest tree (greedily) whose case still differs. */
export async function minimize(
  c: Case,
  tree: Node,
  oracle: Oracle,
  simplest: (n: Node) => Node,
): Promise<{ case: Case; kroGen: Result; kro: Result }> {
  const caseOf = (n: Node): Case => {
    const expr = render(n);
    const vars = Object.fromEntries(
      Object.entries(c.vars ?? {}).filter(([k]) => new RegExp(`\\b${k}\\b`).test(expr)),
    );
    const { vars: _omit, ...rest } = c;
    return { ...rest, expr, ...(Object.keys(vars).length > 0 ? { vars } : {}) };
  };
  let best = tree;
  let bestCase = c;
  let [bestKro] = await oracle.evaluate([c]);
  let bestKroGen = safeKroGen(c);
  let improved = true;
  for (let round = 0; improved && round < 50; round++) {
    improved = false;
    for (const path of paths(best)) {
      const candidates = [...shrinks(nodeAt(best, path), simplest)].map((s) => replaceAt(best, path, s));
      const cases = candidates.map((n, i) => ({ ...caseOf(n), id: `${c.id}.m${round}.${i}` }));
      const results = await oracle.evaluate(cases);
      const k = cases.findIndex((cc, i) => {
        if (cc.expr.length >= bestCase.expr.length) return false;
        const mine = safeKroGen(cc);
        return !agree(mine, results[i] as Result);
      });
      if (k >= 0) {
        best = candidates[k] as Node;
        bestCase = { ...(cases[k] as Case), id: c.id };
        bestKro = results[k] as Result;
        bestKroGen = safeKroGen(bestCase);
        improved = true;
        break;
      }
    }
  }
  return { case: bestCase, kroGen: bestKroGen, kro: bestKro as Result };
}

export interface RunOptions {
  readonly count: number;
  readonly seed: number;
  readonly oracle: Oracle;
  readonly overloads: readonly Overload[];
  readonly batch?: number;
  readonly allow?: readonly Allowed[];
  readonly progress?: (done: number, differences: number, unexplained: number) => void;
}

export interface RunReport {
  readonly cases: number;
  readonly differences: Difference[];
  /** Differences not on the allow-list. */
  readonly unexplained: Difference[];
  /** Differences listed as open kro-gen bugs. */
  readonly open: Difference[];
  /** Outcome counts on kro's side (value / each error class), to see what the cases exercise. */
  readonly outcomes: Record<string, number>;
}

export async function runFuzz(opts: RunOptions): Promise<RunReport> {
  const rng = new Rng(opts.seed);
  const gen = new Generator(rng, opts.overloads);
  const batch = opts.batch ?? 200;
  const allow = (opts.allow ?? []).map((a) => ({ entry: a, test: matcher(a) }));
  const differences: Difference[] = [];
  const seen = new Set<string>();
  const outcomes: Record<string, number> = {};
  const simplest = (n: Node): Node => new Generator(new Rng(0), []).leaf(n.type);
  for (let done = 0; done < opts.count; ) {
    const made = Array.from({ length: Math.min(batch, opts.count - done) }, (_, i) =>
      gen.case(`s${opts.seed}-${done + i}`),
    );
    const kro = await opts.oracle.evaluate(made.map((m) => m.case));
    for (let i = 0; i < made.length; i++) {
      const { case: c, tree } = made[i] as { case: Case; tree: Node };
      const theirs = kro[i] as Result;
      const key = theirs.error ?? 'value';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (agree(safeKroGen(c), theirs)) continue;
      const min = await minimize(c, tree, opts.oracle, simplest);
      if (seen.has(min.case.expr)) continue;
      seen.add(min.case.expr);
      const hit = allow.find((a) => a.test(min));
      differences.push({ ...min, ...(hit ? { allowed: hit.entry } : {}) });
    }
    done += made.length;
    opts.progress?.(done, differences.length, differences.filter((d) => !d.allowed).length);
  }
  return {
    cases: opts.count,
    differences,
    unexplained: differences.filter((d) => !d.allowed),
    open: differences.filter((d) => d.allowed?.kind === 'open'),
    outcomes,
  };
}

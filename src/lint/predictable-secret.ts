// Rule `predictable-secret`: a Secret's data computed by random.seededString / random.seededInt
// from a seed anyone can know. The functions are deterministic (sha256 of the seed), so a seed made
// only of names, namespaces, labels, annotations, the instance's spec and literals gives a value
// anyone who can read the instance (or its manifest in git) computes offline, as `kro-gen synth`
// does. Worked out on the parsed CEL: the seed argument's references, with variables bound by
// cel.bind, macros and forEach traced back to what they were bound to.
import type { ASTNode } from '@marcbachmann/cel-js';
import { createKroEnvironment, NAMESPACE_IDENTIFIERS, namespacedFunctionNames } from '../cel/environment.js';
import { boundCount, childNodes, findReferences } from '../cel/references.js';
import { type Diagnostic, warning } from '../diagnostics.js';
import type { Graph, GraphResource } from '../graph/model.js';
import type { Rgd } from '../rgd/model.js';

export const PREDICTABLE_SECRET = 'predictable-secret';

/** The seed's known inputs (e.g. `schema.metadata.name`), or undefined when any part is not known outside the cluster. */
type Sources = readonly string[] | undefined;

/** Metadata fields anyone who can list the object (or read its manifest) knows. */
const PUBLIC_METADATA = new Set(['name', 'namespace', 'labels', 'annotations', 'generateName']);

/** The seed argument of kro's seeded functions, by function name. */
const SEED_ARGUMENT: Readonly<Record<string, number>> = { seededString: 1, seededInt: 2 };

interface Scope {
  readonly namespaces: ReadonlySet<string>;
  readonly functions: ReadonlySet<string>;
  readonly resourceIds: ReadonlySet<string>;
  /** forEach iterators of the resource, with what their lists are made of. */
  readonly iterators: ReadonlyMap<string, Sources>;
}

const isId = (n: ASTNode, name: string): boolean => n.op === 'id' && n.args === name;

function merge(parts: readonly Sources[]): Sources {
  if (parts.some((p) => p === undefined)) return undefined;
  return [...new Set(parts.flatMap((p) => p ?? []))];
}

/** What `node` is computed from, given the variables bound around it. */
function sourcesOf(node: ASTNode, bound: ReadonlyMap<string, Sources>, scope: Scope): Sources {
  const parts: Sources[] = [];
  for (const ref of findReferences(node, scope.namespaces, scope.functions)) {
    if (bound.has(ref.root)) parts.push(bound.get(ref.root));
    else if (scope.iterators.has(ref.root)) parts.push(scope.iterators.get(ref.root));
    else parts.push(referenceSource(ref.root, ref.path, scope));
  }
  return merge(parts);
}

function referenceSource(root: string, path: readonly string[], scope: Scope): Sources {
  const [first, second] = path;
  // metadata.uid (and the whole metadata, which holds it) is known only to the cluster.
  if (first === 'metadata' && second !== undefined && PUBLIC_METADATA.has(second)) {
    if (root === 'schema' || scope.resourceIds.has(root)) return [`${root}.metadata.${second}`];
  }
  // The instance's spec is written in plain text in the instance (and usually in git).
  if (root === 'schema' && first === 'spec') return [['schema', ...path].join('.')];
  return undefined;
}

interface Finding {
  readonly call: ASTNode & { op: 'rcall' };
  readonly sources: readonly string[];
}

/** seeded calls in `node` whose seed is predictable, with the bindings in force at each. */
function findSeededCalls(
  node: ASTNode,
  bound: ReadonlyMap<string, Sources>,
  scope: Scope,
  out: Finding[],
): void {
  if (node.op !== 'rcall') {
    for (const child of childNodes(node)) findSeededCalls(child, bound, scope, out);
    return;
  }
  const [name, target, args] = node.args;
  const seedAt = SEED_ARGUMENT[name];
  if (isId(target, 'random') && seedAt !== undefined && args[seedAt]) {
    const sources = sourcesOf(args[seedAt], bound, scope);
    if (sources) out.push({ call: node, sources });
  }
  // cel.bind(v, init, body): v holds what init is made of.
  const [first, init, body] = args;
  if (name === 'bind' && isId(target, 'cel') && args.length === 3 && first?.op === 'id' && init && body) {
    findSeededCalls(init, bound, scope, out);
    findSeededCalls(body, new Map([...bound, [first.args, sourcesOf(init, bound, scope)]]), scope, out);
    return;
  }
  findSeededCalls(target, bound, scope, out);
  // A macro's loop variables range over its target.
  const n = boundCount(name, args.length);
  const vars = args.slice(0, n).flatMap((a) => (a.op === 'id' ? [a.args] : []));
  const inner =
    n > 0 && vars.length === n
      ? new Map([...bound, ...vars.map((v) => [v, sourcesOf(target, bound, scope)] as const)])
      : bound;
  for (const a of args.slice(vars.length === n ? n : 0)) findSeededCalls(a, inner, scope, out);
}

function describe(sources: readonly string[]): string {
  if (sources.length === 0) return 'a constant';
  return sources.length === 1
    ? (sources[0] as string)
    : `${sources.slice(0, -1).join(', ')} and ${sources[sources.length - 1]}`;
}

function isSecret(r: GraphResource): boolean {
  return r.apiVersion === 'v1' && r.kind === 'Secret' && r.template !== null;
}

/** The `predictable-secret` warnings of one RGD, at each seeded call. */
export function predictableSecretWarnings(
  rgd: Rgd,
  graph: Graph,
  opts: { omit?: boolean } = {},
): Diagnostic[] {
  const secrets = graph.resources.filter(isSecret);
  if (secrets.length === 0) return [];
  const env = createKroEnvironment({ omit: opts.omit ?? false });
  const resourceIds = new Set(graph.resources.map((r) => r.id));
  const base = {
    namespaces: new Set([...NAMESPACE_IDENTIFIERS].filter((n) => n !== 'runtime' && !resourceIds.has(n))),
    functions: namespacedFunctionNames({ omit: opts.omit ?? false }),
    resourceIds,
  };
  const parse = (text: string): ASTNode | undefined => {
    try {
      return env.parse(text).ast;
    } catch {
      return undefined; // buildGraph reports it
    }
  };
  const out: Diagnostic[] = [];
  for (const r of secrets) {
    const iterators = new Map<string, Sources>();
    for (const dim of r.forEach) {
      const ast = parse(dim.expression.expression);
      iterators.set(dim.name, ast ? sourcesOf(ast, new Map(), { ...base, iterators }) : undefined);
    }
    const scope: Scope = { ...base, iterators };
    for (const v of r.variables) {
      const [field] = v.segments;
      if (field !== 'data' && field !== 'stringData') continue;
      for (const part of v.parts) {
        const ast = parse(part.expression);
        if (!ast) continue;
        const found: Finding[] = [];
        findSeededCalls(ast, new Map(), scope, found);
        for (const { call, sources } of found) {
          const pos = rgd.loc.inString(
            ['spec', 'resources', r.index, 'template', ...v.segments],
            part.start + 2 + call.start,
          );
          out.push(
            warning(
              `${v.path} of Secret "${r.id}" is random.${call.args[0]} seeded only by ${describe(sources)}: anyone who can read the instance computes the same value offline (kro-gen synth does)${call.args[0] === 'seededString' ? ', and it repeats every 8 characters' : ''}; take the value from a Secret the user creates (externalRef, or a secretKeyRef to it), or add schema.metadata.uid to the seed (bundle mode only)`,
              pos,
              PREDICTABLE_SECRET,
            ),
          );
        }
      }
    }
  }
  return out;
}

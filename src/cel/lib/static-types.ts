// kro declares `schema` (and resources) with types from their schemas, and cel-go's checker picks
// overloads from them before anything runs: `lists.removeAtIndex(schema.spec.names, 0).min()` is a
// string where `names` is a list(string). kro-gen evaluates with every variable dyn (the library's
// evaluation check would otherwise check each value read against object types it never declares
// there), and with a dyn list the free element of `min()` binds to its first overload, int, as
// cel-go binds it for a dyn list too. So the evaluation is given the static types kro checks with:
// annotateStaticTypes marks each select chain on a typed variable whose type holds no object
// (`schema.spec.names`: list(string)), and the evaluation check of that node reports that type
// instead of dyn. The node's own check (its field-access handle) is untouched, so nothing is read
// differently; only the overloads chosen above it change, to kro's.
// Typing environments declare the variables typed already and are left alone.
import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { childNodes, findReferences } from '../references.js';
import { addNodeCheckHooks, isKroRegistry, isTypingRegistry } from '../registration.js';
import { type CelType, libraryTypeName } from '../types.js';

// The library-spelled static type of an annotated node (a symbol: never a field of the AST).
const STATIC_TYPE: unique symbol = Symbol('kro-gen static type');

interface AnnotatedNode {
  readonly op: string;
  [STATIC_TYPE]?: string;
}

interface Type {
  readonly kind: string;
}

interface Registry {
  getType(name: string): Type;
}

// Scalars whose run-time values are what the type says, and lists and maps of them. Objects are
// never declared in evaluated environments; timestamps, durations and bytes read from a schema
// are strings at run time.
const SCALARS: ReadonlySet<string> = new Set(['int', 'uint', 'double', 'string', 'bool']);

function plain(t: CelType): boolean {
  switch (t.kind) {
    case 'primitive':
      return SCALARS.has(t.name);
    case 'list':
      return plain(t.elem);
    case 'map':
      return t.key.kind === 'primitive' && t.key.name === 'string' && plain(t.value);
    default:
      return false;
  }
}

// The type at `path` below `t`, following object fields only.
function fieldType(t: CelType, path: readonly string[]): CelType | undefined {
  let cur = t;
  for (const f of path) {
    if (cur.kind !== 'object' || !Object.hasOwn(cur.fields, f)) return undefined;
    cur = cur.fields[f] as CelType;
  }
  return cur;
}

// Whether `node` is `id.f.g...` with plain field selects only (no `.?`, index or call).
function plainChain(node: ASTNode): boolean {
  let n = node;
  while (n.op === '.') n = (n.args as [ASTNode, unknown])[0];
  return n.op === 'id';
}

/**
 * Marks the select chains of `ast` that read a variable of `types` (not a macro's variable of the
 * same name) where the static type is a scalar or a list or map of scalars; evaluating `ast` in a
 * kro-gen environment then chooses overloads as kro's typed check does. Returns `ast`.
 */
export function annotateStaticTypes(ast: ASTNode, types: ReadonlyMap<string, CelType>): ASTNode {
  const wanted = new Map<string, string>();
  for (const ref of findReferences(ast, NO_NAMES)) {
    const root = types.get(ref.root);
    if (root === undefined) continue;
    const t = fieldType(root, ref.path);
    if (t !== undefined && plain(t)) wanted.set(`${ref.start}:${ref.end}`, libraryTypeName(t));
  }
  if (wanted.size === 0) return ast;
  const stack: ASTNode[] = [ast];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.op === '.' || node.op === 'id') {
      const name = wanted.get(`${node.start}:${node.end}`);
      if (name !== undefined && plainChain(node)) {
        (node as unknown as AnnotatedNode)[STATIC_TYPE] = name;
        continue;
      }
    }
    stack.push(...childNodes(node));
  }
  return ast;
}

const NO_NAMES: ReadonlySet<string> = new Set();

// After the library's check of a select or identifier: the annotated static type where the
// library found dyn, in evaluated kro-gen environments only.
function afterCheck(node: AnnotatedNode, registry: object, type: Type): Type {
  const name = node[STATIC_TYPE];
  if (name === undefined || type.kind !== 'dyn') return type;
  if (!isKroRegistry(registry) || isTypingRegistry(registry)) return type;
  return (registry as Registry).getType(name);
}

let installed = false;

function install(env: Environment): void {
  if (installed) return;
  installed = true;
  addNodeCheckHooks<AnnotatedNode, { readonly registry: object }, Type>(env, {
    ops: ['.', 'id'],
    after: (node, chk, type) => afterCheck(node, chk.registry, type),
  });
}

export const staticTypesLibrary: CelLibrary = {
  name: "kro's static types of typed variables at evaluation",
  register: install,
};

// The CEL modules import one another without a cycle: a library (lib/*) reaches the registry
// through registration.ts, never through environment.ts, which imports every library to build its
// bases. In a cycle, the bundle (tools/build-cli.mjs) runs one module's top level before the
// other's, and a value read at load time is then undefined.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CEL = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src/cel');

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// Relative imports and re-exports that load a module at run time (`import type` and
// `export type` load nothing; biome's useImportType keeps type-only imports spelled so).
const IMPORT = /^(?:import|export)\s+(type\s+)?(?:[^;']*?\s+from\s+)?'(\.[^']+)';?$/gm;

function runtimeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    if (m[1]) continue;
    out.push(resolve(dirname(file), (m[2] as string).replace(/\.js$/, '.ts')));
  }
  return out;
}

/** The import cycles of `graph` (module to the modules it imports), each a list of modules: Tarjan's strongly connected components. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(relative(CEL, w));
    } while (w !== v);
    if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('src/cel imports', () => {
  const graph = new Map(modules(CEL).map((f) => [f, runtimeImports(f, readFileSync(f, 'utf8'))]));

  it('reads the imports of the modules', () => {
    const environment = graph.get(join(CEL, 'environment.ts')) ?? [];
    expect(environment).toContain(join(CEL, 'lib', 'index.ts'));
    expect(environment).toContain(join(CEL, 'registration.ts'));
    // environment.ts imports types only from library.ts.
    expect(environment).not.toContain(join(CEL, 'library.ts'));
  });

  it('finds a cycle where there is one', () => {
    const a = join(CEL, 'a.ts');
    const b = join(CEL, 'b.ts');
    expect(
      cycles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });
});

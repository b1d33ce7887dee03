// The CEL modules import one another without a cycle: a library (lib/*) reaches the registry
// through registration.ts, never through environment.ts, which imports every library to build its
// bases. In a cycle, the bundle (tools/build-cli.mjs) runs one module's top level before the
// other's, and a value read at load time is then undefined.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DirectedAcyclicGraph } from '../../../src/graph/dag.js';

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

/**
 * A cycle of `graph` (module to the modules it imports), as relative paths closed (`[a, b, a]`), or
 * undefined: the graph builder's own cycle finder, over every edge added unchecked.
 */
function cycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const dag = new DirectedAcyclicGraph();
  for (const v of graph.keys()) dag.addVertex(v, 0);
  for (const [v, imports] of graph) for (const w of imports) dag.addDependencyUnchecked(v, w);
  return dag.findCycle()?.map((v) => relative(CEL, v));
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
      cycle(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual(['a.ts', 'b.ts', 'a.ts']);
  });

  it('has no cycle', () => {
    expect(cycle(graph)).toBeUndefined();
  });
});

// `kro-gen generate --typecheck`: compile the generated modules before they are written, under the
// strictest options users run, against the runtime's own types. This is where the TypeScript
// compiler earns its start-up time (half a second and more), so ts-morph is loaded only here, and
// only when asked; generating itself is plain text (src/codegen/module.ts).
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { error } from '../diagnostics.js';
import { importModule } from '../dynamic-import.js';
import type { GeneratedFile } from './generate.js';

export interface TypecheckOptions {
  /** Where the files would be written: relative imports between them resolve there. */
  readonly dir: string;
  /** The runtime's entry (`dist/runtime/index.d.ts`, or its source in this repository). */
  readonly runtime: string;
  /**
   * Where to import ts-morph from: an optional peer dependency of kro-gen, which the CLI finds in
   * the user's project. `ts-morph` (kro-gen's own resolution) by default.
   */
  readonly tsMorph?: string;
}

/**
 * Type errors in `files`, positioned in them (`<dir>/<file>:line:col`). The compiler reads library
 * declarations (its own, cdk8s's, the runtime's) from disk; the generated files stay in memory.
 */
export async function typecheckGenerated(
  files: readonly GeneratedFile[],
  opts: TypecheckOptions,
): Promise<Diagnostic[]> {
  const { Project, ts } = await importModule<typeof import('ts-morph')>(opts.tsMorph ?? 'ts-morph');
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      // Bundler resolution honours `exports` and `paths` whatever the user's package type.
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noImplicitAny: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      noPropertyAccessFromIndexSignature: true,
      noUnusedLocals: true,
      skipLibCheck: true,
      types: [],
      paths: { 'kro-gen/runtime': [opts.runtime] },
    },
  });
  const sources = files.map((f) =>
    project.createSourceFile(join(opts.dir, f.path), f.content, { overwrite: true }),
  );
  const out: Diagnostic[] = [];
  for (const sf of sources) {
    for (const d of sf.getPreEmitDiagnostics()) {
      const start = d.getStart();
      const lc = start === undefined ? { line: 1, column: 1 } : sf.getLineAndColumnAtPos(start);
      const text = d.getMessageText();
      const message =
        typeof text === 'string' ? text : ts.flattenDiagnosticMessageText(text.compilerObject, '\n');
      out.push(
        error(
          `generated code does not compile: ${message} (TS${d.getCode()})`,
          { file: sf.getFilePath(), line: lc.line, col: lc.column },
          'codegen/typecheck',
        ),
      );
    }
  }
  return out;
}

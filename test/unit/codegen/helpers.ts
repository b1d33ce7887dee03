// Shared by the codegen tests: generate from YAML text, and type-check generated code (plus any
// user code next to it) with the TypeScript compiler under the strictest options users run.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { readTemplates } from '../../../src/cli/commands/generate.js';
import { type GenerateResult, generateConstructs } from '../../../src/codegen/generate.js';
import type { Templates } from '../../../src/codegen/templates.js';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { loadRgds } from '../../../src/rgd/load.js';
import { lookupBuiltinKind } from '../../../src/schema/k8s-builtin.js';

let templates: Templates | undefined;

export async function templatesOnce(): Promise<Templates> {
  templates ??= await readTemplates();
  return templates;
}

/** Generate from YAML documents given as `[path, text]`; load errors fail loudly. */
export async function generateFrom(files: readonly (readonly [string, string])[]): Promise<GenerateResult> {
  const loaded = loadRgds(files.map(([path, text]) => ({ path, text })));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map(formatDiagnostic).join('\n'));
  return generateConstructs(loaded.rgds, {
    templates: await templatesOnce(),
    version: '0.0.0-test',
    graphContext: { builtin: lookupBuiltinKind },
  });
}

/** The text of one generated file. */
export function fileOf(result: GenerateResult, path: string): string {
  const f = result.files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${result.files.map((x) => x.path).join(', ')}`);
  return f.content;
}

const RUNTIME = fileURLToPath(new URL('../../../src/runtime/index.ts', import.meta.url));

export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noImplicitAny: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noPropertyAccessFromIndexSignature: true,
  noUnusedLocals: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  paths: { 'kro-gen/runtime': [RUNTIME] },
};

export interface CompileError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Write `files` (relative paths -> text) into a fresh temporary directory and type-check them all in
 * one program; returns the errors in those files (not in the runtime's own sources).
 */
export function compile(files: Readonly<Record<string, string>>): { dir: string; errors: CompileError[] } {
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-compile-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  // cdk8s and constructs resolve as in a user's project.
  symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'));
  const roots: string[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    roots.push(path);
  }
  const program = ts.createProgram(roots, STRICT_OPTIONS);
  const errors: CompileError[] = [];
  for (const sf of program.getSourceFiles()) {
    if (!sf.fileName.startsWith(dir)) continue;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const pos = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line + 1;
      errors.push({
        file: sf.fileName.slice(dir.length + 1),
        line: pos,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      });
    }
  }
  return { dir, errors };
}

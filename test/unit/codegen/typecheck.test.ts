// `--typecheck`: the generated modules compile against the runtime, and a type error in them is a
// diagnostic positioned in the file that has it.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typecheckGenerated } from '../../../src/codegen/typecheck.js';
import { generateFrom } from './helpers.js';

const RUNTIME = fileURLToPath(new URL('../../../src/runtime/index.ts', import.meta.url));

describe('typecheckGenerated', () => {
  it('passes generated modules and reports an error where it is', async () => {
    const generated = await generateFrom([
      [
        'a.yaml',
        `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: a
spec:
  schema:
    apiVersion: v1alpha1
    kind: Alpha
    spec:
      size: string | enum="s,m" default="s"
`,
      ],
    ]);
    const opts = { dir: '/virtual/out', runtime: RUNTIME };
    expect(await typecheckGenerated(generated.files, opts)).toEqual([]);
    const broken = [
      ...generated.files,
      {
        path: 'use.ts',
        content: "import type { AlphaSpec } from './index.js';\nexport const s: AlphaSpec = { size: 'l' };\n",
      },
    ];
    const problems = await typecheckGenerated(broken, opts);
    expect(problems.map((p) => [p.pos?.file, p.pos?.line, p.code])).toEqual([
      ['/virtual/out/use.ts', 2, 'codegen/typecheck'],
    ]);
    expect(problems[0]?.message).toBe(
      `generated code does not compile: Type '"l"' is not assignable to type '"s" | "m"'. (TS2322)`,
    );
  });
});

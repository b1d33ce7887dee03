// What a user sees in an editor: the generated modules compile under the strictest options, a
// well-typed main.ts compiles against them, and mistakes (a value outside an enum, a missing required
// field) are compile errors that name the field.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../src/codegen/generate.js';
import { type CompileError, compile, fileOf, generateFrom } from './helpers.js';

const EXAMPLES = ['examples/web-app/rgd.yaml', 'examples/wordpress/rgd.yaml'] as const;

function examples(): [string, string][] {
  return EXAMPLES.map((p) => [p, readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8')]);
}

function withMain(generated: GenerateResult, main: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of generated.files) files[`imports/${f.path}`] = f.content;
  files['main.ts'] = main;
  return files;
}

const APP = `import { App, Chart } from 'cdk8s';
import { Application } from './imports/index.js';

const app = new App();
const chart = new Chart(app, 'web');
new Application(chart, 'web-app-1', {
  metadata: { name: 'web-app-1' },
  spec: { name: 'web-app-1', image: 'httpd:2.4', replicas: 3, svcType: 'NodePort' },
});
app.synthYaml();
`;

// tsc reports one error per object literal (the first property that fails), so the missing required
// field shows once the enum value is fixed: line 5 fails on the enum, line 6 on the missing field.
const BAD_WORDPRESS = `import { App, Chart } from 'cdk8s';
import { WordPress } from './imports/index.js';

const chart = new Chart(new App(), 'blog');
new WordPress(chart, 'blog', { spec: { tier: 'huge' } });
new WordPress(chart, 'blog-2', { spec: { tier: 'large' } });
`;

describe('generated code under strict tsc', () => {
  let generated: GenerateResult;
  let good: { errors: CompileError[] };
  let bad: { errors: CompileError[] };
  beforeAll(async () => {
    generated = await generateFrom(examples());
    expect(generated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    good = compile(withMain(generated, APP));
    bad = compile(withMain(generated, BAD_WORDPRESS));
  });

  it('compiles the generated modules and a main.ts that uses them', () => {
    expect(good.errors).toEqual([]);
  });

  it('rejects a value outside the enum and a missing required field, naming both', () => {
    const inMain = bad.errors.filter((e) => e.file === 'main.ts');
    expect(inMain.map((e) => e.line)).toEqual([5, 6]);
    expect(inMain[0]?.message).toBe(
      `Type '"huge"' is not assignable to type '"small" | "medium" | "large"'.`,
    );
    // Both required members: siteName and databaseSecret (the user's Secret with the passwords).
    expect(inMain[1]?.message).toMatch(/is missing the following properties .*: siteName, databaseSecret/);
    // Nothing is wrong with the generated modules themselves.
    expect(bad.errors.filter((e) => e.file !== 'main.ts')).toEqual([]);
  });

  it('carries descriptions and defaults as JSDoc on the spec members', () => {
    const wp = fileOf(generated, 'word-press.ts');
    expect(wp).toMatch(
      /\/\*\*\n {3}\* Size class, which sets the number of WordPress pods\n {3}\*\n {3}\* @default "small"\n {3}\*\/\n {2}readonly tier\?: 'small' \| 'medium' \| 'large';/,
    );
    const app = fileOf(generated, 'application.ts');
    expect(app).toMatch(
      /Number of pods\n {3}\*\n {3}\* @default 1\n {3}\* @minimum 0\n {3}\*\/\n {2}readonly replicas\?: number;/,
    );
  });
});

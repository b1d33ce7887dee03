// An ES module project ("type": "module", NodeNext, strict with exactOptionalPropertyTypes) uses
// the packed kro-gen: tsc (TypeScript 5 and the newest major) compiles the generated modules, node
// runs the compiled app, and tsx runs it from source, directly and through `kro-gen synth --app`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_KINDS,
  chartSource,
  EXPANDED_KINDS,
  generateExamples,
  mainSource,
  synthesizedKinds,
} from './apps.js';
import { install, kroGenTarball, scratchDir } from './context.js';
import { run } from './helpers.js';

const work = scratchDir('esm');
const app = join(work, 'app');

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    types: ['node'],
    outDir: 'build',
  },
  include: ['*.ts', 'imports'],
};

beforeAll(async () => {
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    '{ "name": "esm-app", "version": "1.0.0", "private": true, "type": "module" }\n',
  );
  writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  await install(app, [kroGenTarball(), 'cdk8s', 'constructs']);
  await install(app, ['typescript@^5.9.3', 'typescript7@npm:typescript@^7.0.2', 'tsx', '@types/node@^20'], {
    dev: true,
  });
  await generateExamples(app);
  writeFileSync(join(app, 'chart.ts'), chartSource('./imports/index.js'));
  writeFileSync(join(app, 'main.ts'), mainSource('./chart.js'));
});

const synth = async (args: string[], env: Record<string, string> = {}) => {
  rmSync(join(app, 'dist'), { recursive: true, force: true });
  await run(args[0]!, args.slice(1), app, { env });
  return synthesizedKinds(join(app, 'dist'));
};

describe('an ES module project', () => {
  it('gets a barrel with .js imports, as Node resolves ES modules', async () => {
    expect(readFileSync(join(app, 'imports/index.ts'), 'utf8')).toContain(
      "export * from './word-press.js';\n",
    );
  });

  it('compiles with TypeScript 5 and runs under node, in both modes', async () => {
    expect(await run('npx', ['--no-install', 'tsc', '--version'], app)).toMatch(/^Version 5\./);
    await run('npx', ['--no-install', 'tsc'], app);
    expect(await synth(['node', 'build/main.js'])).toEqual(EXPANDED_KINDS);
    expect(await synth(['node', 'build/main.js'], { KRO_GEN_MODE: 'bundle' })).toEqual(BUNDLE_KINDS);
  });

  it('compiles with the newest TypeScript major', async () => {
    const tsc7 = join(app, 'node_modules/typescript7/bin/tsc');
    expect(await run(tsc7, ['--version'], app)).toMatch(/^Version 7\./);
    await run(tsc7, ['--noEmit'], app);
  });

  it('runs from source with tsx, and through kro-gen synth --app with the project tsx', async () => {
    expect(await synth(['npx', '--no-install', 'tsx', 'main.ts'])).toEqual(EXPANDED_KINDS);
    const yaml = await run(
      'npx',
      ['--no-install', 'kro-gen', 'synth', '--app', 'main.ts', '--mode', 'bundle'],
      app,
    );
    expect(yaml).toContain('kind: ResourceGraphDefinition\n');
    expect(yaml).toContain('kind: WordPress\n');
  });
});

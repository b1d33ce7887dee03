// `generate --module auto`: which import specifiers the barrel gets for a project's settings, and
// how the project's package.json and tsconfig.json (comments, extends) are read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectModuleSettings } from '../../../src/cli/project.js';
import { chooseModuleFormat, relativeSpecifier } from '../../../src/codegen/module-format.js';

describe('chooseModuleFormat', () => {
  const format = (settings: Parameters<typeof chooseModuleFormat>[0]) => chooseModuleFormat(settings).format;

  it('is esm in a "type": "module" package, whatever tsconfig says', () => {
    expect(format({ packageType: 'module' })).toBe('esm');
    expect(format({ packageType: 'module', tsModule: 'CommonJS' })).toBe('esm');
  });

  it('is esm when tsc emits ES modules for Node, commonjs when a bundler resolves them', () => {
    expect(format({ tsModule: 'ESNext' })).toBe('esm');
    expect(format({ tsModule: 'es2022', tsModuleResolution: 'node10' })).toBe('esm');
    expect(format({ tsModule: 'ESNext', tsModuleResolution: 'Bundler' })).toBe('commonjs');
    expect(format({ tsModule: 'preserve' })).toBe('commonjs');
  });

  it('is commonjs for cdk8s init (module CommonJS), NodeNext in a CommonJS package, or nothing', () => {
    expect(format({ tsModule: 'CommonJS' })).toBe('commonjs');
    expect(format({ packageType: 'commonjs', tsModule: 'NodeNext' })).toBe('commonjs');
    expect(format({})).toBe('commonjs');
  });

  it('spells the specifiers accordingly', () => {
    expect(relativeSpecifier('word-press.ts', 'esm')).toBe('./word-press.js');
    expect(relativeSpecifier('word-press.ts', 'commonjs')).toBe('./word-press');
  });
});

describe('projectModuleSettings', () => {
  const root = mkdtempSync(join(tmpdir(), 'kro-gen-project-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads the nearest package.json and tsconfig.json, with comments and extends', () => {
    mkdirSync(join(root, 'app/src'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(root, 'app/package.json'), '{ "name": "app" }');
    writeFileSync(
      join(root, 'base.json'),
      '{\n  // shared\n  "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", },\n}\n',
    );
    writeFileSync(
      join(root, 'app/tsconfig.json'),
      '{ "extends": "../base.json", /* own */ "compilerOptions": { "module": "nodenext", "strict": true } }',
    );
    // The output directory need not exist yet.
    expect(projectModuleSettings(join(root, 'app/src/imports'))).toEqual({
      settings: { packageType: undefined, tsModule: 'nodenext', tsModuleResolution: 'NodeNext' },
      problems: [],
    });
  });

  it('reports a tsconfig.json it cannot read and goes on without it', () => {
    mkdirSync(join(root, 'broken'));
    writeFileSync(join(root, 'broken/tsconfig.json'), '{ "compilerOptions": ');
    const r = projectModuleSettings(join(root, 'broken'));
    expect(r.settings).toEqual({ packageType: 'module', tsModule: undefined, tsModuleResolution: undefined });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain(join(root, 'broken/tsconfig.json'));
  });
});

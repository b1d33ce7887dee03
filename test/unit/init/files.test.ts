// The file list of `kro-gen init`: what a new project gets, what --into adds, and that imports/ is
// exactly what `kro-gen generate rgds --out imports` writes (so the CI drift check passes at once).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readTemplates } from '../../../src/cli/commands/generate.js';
import { version } from '../../../src/cli/run.js';
import { INIT_TEMPLATE_FILES, type InitOptions, packageName, planInit } from '../../../src/init/files.js';
import { runCli } from '../../helpers/cli.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const templates = Object.fromEntries(INIT_TEMPLATE_FILES.map((f) => [f, read(`templates/init/${f}`)]));
const VERSIONS = { cdk8s: '^2.99.0', constructs: '^10.9.0', kroGen: '^0.1.0' };
const base: InitOptions = {
  templates,
  codegen: await readTemplates(),
  version: version(),
  versions: VERSIONS,
  name: 'my-app',
  moduleFormat: 'commonjs',
};
const work = mkdtempSync(join(tmpdir(), 'kro-gen-init-plan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const fileOf = (plan: ReturnType<typeof planInit>, path: string) => {
  const file = plan.files.find((f) => f.path === path);
  expect(file, path).toBeDefined();
  return file!.content;
};

describe('kro-gen init: a new project', () => {
  const plan = planInit(base);

  it('is the cdk8s typescript-app layout plus rgds/, imports/ and the workflow, in path order', () => {
    expect(plan.diagnostics).toEqual([]);
    expect(plan.files.map((f) => f.path)).toEqual([
      '.github/workflows/kro-gen.yml',
      '.gitignore',
      'cdk8s.yaml',
      'imports/index.ts',
      'imports/web-service.ts',
      'jest.config.js',
      'main.test.ts',
      'main.ts',
      'package.json',
      'rgds/web-service.yaml',
      'tsconfig.json',
    ]);
    expect(plan.packageChanges).toEqual([]);
  });

  it('is the same every time, and leaves no placeholder unfilled', () => {
    expect(planInit(base)).toEqual(plan);
    for (const f of plan.files) expect(f.content, f.path).not.toMatch(/\{\{/);
  });

  it('names the project and its chart after the directory', () => {
    expect(JSON.parse(fileOf(plan, 'package.json')).name).toBe('my-app');
    expect(fileOf(plan, 'main.ts')).toContain("new MyChart(app, 'my-app');");
    expect(packageName('My App (2)')).toBe('my-app-2');
    expect(packageName('.hidden')).toBe('hidden');
    expect(packageName('((')).toBe('cdk8s-app');
  });

  it('regenerates imports/ before synth and test, and asks for the ranges it was given', () => {
    const pkg = JSON.parse(fileOf(plan, 'package.json'));
    expect(pkg.scripts.gen).toBe('kro-gen generate rgds --out imports');
    expect(pkg.scripts.synth).toBe('npm run gen && cdk8s synth');
    expect(pkg.scripts.test).toBe('npm run gen && jest');
    expect(pkg.scripts.build.startsWith('npm run gen && ')).toBe(true);
    expect(pkg.type).toBeUndefined(); // CommonJS, as cdk8s init makes it
    expect(pkg.dependencies).toEqual({ cdk8s: '^2.99.0', constructs: '^10.9.0', 'kro-gen': '^0.1.0' });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([
      '@types/jest',
      '@types/node',
      'cdk8s-cli',
      'jest',
      'ts-jest',
      'ts-node',
      'typescript',
    ]);
  });

  it('asks for the tools in the ranges this repository installs and tests them with (so npm ci caches them)', () => {
    const own = JSON.parse(read('package.json'));
    const ours = { ...own.dependencies, ...own.devDependencies };
    const { devDependencies } = JSON.parse(fileOf(plan, 'package.json'));
    for (const [name, range] of Object.entries(devDependencies))
      expect(`${name}@${range}`).toBe(`${name}@${ours[name]}`);
  });

  it('runs main.ts with ts-node and imports nothing from the network', () => {
    const config = parse(fileOf(plan, 'cdk8s.yaml'));
    expect(config).toEqual({ language: 'typescript', app: 'npx ts-node main.ts' });
    const tsconfig = JSON.parse(fileOf(plan, 'tsconfig.json')).compilerOptions;
    expect(tsconfig).toMatchObject({
      module: 'CommonJS',
      target: 'ES2017',
      lib: ['es2016'],
      noUnusedLocals: true,
    });
  });

  it('checks imports/ for drift in CI, then synthesizes', () => {
    const steps = parse(fileOf(plan, '.github/workflows/kro-gen.yml')).jobs.check.steps.map(
      (s: { run?: string }) => s.run,
    );
    expect(steps.filter(Boolean)).toEqual([
      'npm ci',
      'npx kro-gen generate rgds --out imports --verify',
      'npx cdk8s synth',
    ]);
  });

  it("writes imports/ exactly as the project's gen script does", async () => {
    // The project without imports/: generate reads its package.json and tsconfig.json too.
    const project = join(work, 'gen');
    for (const f of plan.files.filter((f) => !f.path.startsWith('imports/'))) {
      mkdirSync(join(project, f.path, '..'), { recursive: true });
      writeFileSync(join(project, f.path), f.content);
    }
    const pkg = JSON.parse(fileOf(plan, 'package.json'));
    const argv = pkg.scripts.gen.split(' ').slice(1);
    const result = await runCli(project, argv);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const written = readdirSync(join(project, 'imports')).sort();
    expect(written.map((f) => `imports/${f}`)).toEqual(
      plan.files.filter((f) => f.path.startsWith('imports/')).map((f) => f.path),
    );
    for (const f of written) {
      expect(fileOf(plan, `imports/${f}`)).toBe(readFileSync(join(project, 'imports', f), 'utf8'));
    }
  });

  it('starts from a small RGD with a description, an enum and a default', async () => {
    const rgd = fileOf(plan, 'rgds/web-service.yaml');
    expect(rgd).toMatch(/description="/);
    expect(rgd).toMatch(/enum="/);
    expect(rgd).toMatch(/default=/);
    const file = join(work, 'starter.yaml');
    writeFileSync(file, rgd);
    const valid = await runCli(work, ['validate', file]);
    expect(valid.code).toBe(0);
    expect(valid.out + valid.err).toContain('1 RGD: 0 errors, 0 warnings');
  });
});

describe('kro-gen init --into: an existing project', () => {
  const existing = `{
    "name": "mine",
    "scripts": {
        "synth": "cdk8s synth",
        "test": "jest",
        "import": "cdk8s import"
    },
    "dependencies": {
        "constructs": "^10.0.0",
        "cdk8s": "^2.68.0"
    }
}
`;
  const plan = planInit({ ...base, existingPackageJson: existing });

  it('adds only rgds/, imports/, the workflow and package.json', () => {
    expect(plan.diagnostics).toEqual([]);
    expect(plan.files.map((f) => f.path)).toEqual([
      '.github/workflows/kro-gen.yml',
      'imports/index.ts',
      'imports/web-service.ts',
      'package.json',
      'rgds/web-service.yaml',
    ]);
  });

  it("adds the gen script, runs it before synth and test, adds kro-gen, and keeps the project's ranges", () => {
    expect(plan.packageChanges).toEqual([
      'scripts.gen: added "kro-gen generate rgds --out imports"',
      'scripts.synth: "cdk8s synth" -> "npm run gen && cdk8s synth"',
      'scripts.test: "jest" -> "npm run gen && jest"',
      'dependencies.kro-gen: added "^0.1.0"',
    ]);
    // Four-space indentation and key order stay; dependencies are in name order, as npm writes them.
    expect(fileOf(plan, 'package.json')).toBe(`{
    "name": "mine",
    "scripts": {
        "synth": "npm run gen && cdk8s synth",
        "test": "npm run gen && jest",
        "import": "cdk8s import",
        "gen": "kro-gen generate rgds --out imports"
    },
    "dependencies": {
        "cdk8s": "^2.68.0",
        "constructs": "^10.0.0",
        "kro-gen": "^0.1.0"
    }
}
`);
  });

  it("imports the modules as the project's module format needs", () => {
    expect(fileOf(plan, 'imports/index.ts')).toContain("export * from './web-service';\n");
    const esm = planInit({ ...base, moduleFormat: 'esm', existingPackageJson: '{"type":"module"}' });
    expect(fileOf(esm, 'imports/index.ts')).toContain("export * from './web-service.js';\n");
  });

  it('adds synth and the cdk8s dependencies when missing, but no test script', () => {
    const bare = planInit({ ...base, existingPackageJson: '{"name":"x"}' });
    expect(bare.packageChanges).toEqual([
      'scripts.gen: added "kro-gen generate rgds --out imports"',
      'scripts.synth: added "npm run gen && cdk8s synth"',
      'dependencies.cdk8s: added "^2.99.0"',
      'dependencies.constructs: added "^10.9.0"',
      'dependencies.kro-gen: added "^0.1.0"',
    ]);
    expect(JSON.parse(fileOf(bare, 'package.json')).scripts.test).toBeUndefined();
  });

  it('changes nothing in a package.json already wired', () => {
    const again = planInit({ ...base, existingPackageJson: fileOf(plan, 'package.json') });
    expect(again.packageChanges).toEqual([]);
    expect(fileOf(again, 'package.json')).toBe(fileOf(plan, 'package.json'));
  });

  it('counts kro-gen in devDependencies as present', () => {
    const dev = planInit({
      ...base,
      existingPackageJson:
        '{"devDependencies":{"kro-gen":"file:../kro-gen.tgz","cdk8s":"2","constructs":"10"}}',
    });
    expect(dev.packageChanges.filter((c) => c.startsWith('dependencies'))).toEqual([]);
  });

  it('refuses to replace a gen script that runs something else', () => {
    const taken = planInit({
      ...base,
      existingPackageJson: '{\n  "scripts": {\n    "gen": "node gen.js"\n  }\n}\n',
    });
    expect(taken.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: expect.stringContaining('package.json already has a "gen" script ("node gen.js")'),
        pos: { file: 'package.json', line: 3, col: 5 },
      }),
    ]);
    expect(taken.files.map((f) => f.path)).not.toContain('package.json');
  });

  it('reports a package.json that is not JSON, or not an object, at its position', () => {
    const broken = planInit({ ...base, existingPackageJson: '{\n  "name": "x",\n}\n' });
    expect(broken.diagnostics).toEqual([
      expect.objectContaining({ message: expect.stringContaining('package.json is not valid JSON') }),
    ]);
    expect(broken.diagnostics[0]!.pos?.line).toBe(3);
    const array = planInit({ ...base, existingPackageJson: '[]' });
    expect(array.diagnostics[0]!.message).toBe('package.json does not hold a JSON object');
    const scripts = planInit({ ...base, existingPackageJson: '{"scripts": "jest"}' });
    expect(scripts.diagnostics[0]!.message).toBe('package.json: "scripts" is not an object');
  });
});

// A project as `cdk8s init typescript-app` makes it (CommonJS, ts-node, ts-jest, lib es2016,
// noUnusedLocals...) uses the packed kro-gen unchanged: generated modules in imports/, a chart
// importing the barrel, a jest test with Testing.synth, and the project's own `npm run build`
// (tsc --build, jest, cdk8s synth through ts-node) passes in both modes.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_KINDS,
  cdk8sCopies,
  chartSource,
  EXPANDED_KINDS,
  generateExamples,
  jestSource,
  mainSource,
  synthesizedKinds,
} from './apps.js';
import { install, kroGenTarball, npmEnv, scratchDir } from './context.js';
import { npm, REPO, run } from './helpers.js';

const work = scratchDir('init');
const app = join(work, 'app');

// The template's post-install hook runs `npm run import` (`cdk8s import k8s` downloads the
// Kubernetes schemas: no network here), then compile, test and synth, which `npm run build` runs
// below anyway. npm runs scripts through script-shell: this one skips exactly those four.
const SKIP_TEMPLATE_STEPS = `#!/bin/sh
case "$2" in
  "cdk8s import"|"tsc --build"|"jest -u"|"cdk8s synth") echo "skipped during cdk8s init: $2" >&2; exit 0 ;;
esac
exec /bin/sh "$@"
`;

beforeAll(async () => {
  mkdirSync(app);
  const shell = join(work, 'skip-template-steps.sh');
  writeFileSync(shell, SKIP_TEMPLATE_STEPS);
  chmodSync(shell, 0o755);
  const cdk8s = join(REPO, 'node_modules/cdk8s-cli/bin/cdk8s');
  await run(process.execPath, [cdk8s, 'init', 'typescript-app', '--no-check-upgrade'], app, {
    env: { ...npmEnv(), npm_config_script_shell: shell },
  });
  // `imports: [k8s]` would make `cdk8s import` download again; kro-gen's modules go there instead.
  const config = readFileSync(join(app, 'cdk8s.yaml'), 'utf8');
  expect(config).toContain('imports:\n  - k8s\n');
  writeFileSync(join(app, 'cdk8s.yaml'), config.replace('imports:\n  - k8s\n', ''));
  await install(app, [kroGenTarball()]);
  await generateExamples(app);
  writeFileSync(join(app, 'chart.ts'), chartSource('./imports'));
  writeFileSync(join(app, 'main.ts'), mainSource('./chart'));
  // Our test replaces the template's, whose snapshot jest would report as obsolete (a failure in CI).
  writeFileSync(join(app, 'main.test.ts'), jestSource('./chart'));
  rmSync(join(app, '__snapshots__'), { recursive: true });
});

const build = async (env: Record<string, string> = {}) => {
  rmSync(join(app, 'dist'), { recursive: true, force: true });
  return await npm(['run', 'build'], app, { env: { ...npmEnv(), ...env } });
};

describe('a cdk8s init typescript-app project', () => {
  it('gets a barrel with extensionless imports, as CommonJS under ts-node and jest needs', async () => {
    expect(readFileSync(join(app, 'imports/index.ts'), 'utf8')).toContain("export * from './word-press';\n");
    // ts-node resolves the barrel (it could not map './word-press.js' to the .ts file).
    const script = "import { WordPress } from './imports'; console.log(WordPress.GVK.kind);";
    expect((await run('npx', ['--no-install', 'ts-node', '-e', script], app)).trim()).toBe('WordPress');
  });

  it('builds (tsc, jest, cdk8s synth) in expanded mode', async () => {
    // jest fails the build when a test fails or none is found; its report goes to stderr.
    expect(await build()).toContain('> jest\n');
    expect(synthesizedKinds(join(app, 'dist'))).toEqual(EXPANDED_KINDS);
  });

  it('builds with KRO_GEN_MODE=bundle', async () => {
    expect(await build({ KRO_GEN_MODE: 'bundle' })).toContain('> jest\n');
    expect(synthesizedKinds(join(app, 'dist'))).toEqual(BUNDLE_KINDS);
  });

  it('has one copy of cdk8s and constructs, shared with kro-gen', async () => {
    expect(await cdk8sCopies(app)).toEqual([
      join(app, 'node_modules/cdk8s'),
      join(app, 'node_modules/constructs'),
    ]);
  });

  it('compiles the generated modules with the newest TypeScript major too', async () => {
    // TypeScript 7 no longer adds every @types package by default, so only the app's own modules.
    writeFileSync(
      join(app, 'tsconfig.ts7.json'),
      '{ "extends": "./tsconfig.json", "compilerOptions": { "noEmit": true }, "include": ["main.ts", "chart.ts", "imports"] }\n',
    );
    const tsc7 = join(REPO, 'node_modules/typescript7/bin/tsc');
    expect(await run(tsc7, ['--version'], app)).toMatch(/^Version 7\./);
    await run(tsc7, ['-p', 'tsconfig.ts7.json'], app);
  });
});

// A project that already has the oldest cdk8s and constructs kro-gen supports (its peer dependency
// ranges start there) installs kro-gen next to them: one copy of each, no nested newer one, and the
// generated modules compile under cdk8s init's tsconfig and synthesize in both modes.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_KINDS,
  cdk8sCopies,
  chartSource,
  EXPANDED_KINDS,
  generateExamples,
  mainSource,
  synthesizedKinds,
} from './apps.js';
import { install, kroGenTarball, scratchDir } from './context.js';
import { REPO, run } from './helpers.js';

// Keep in step with package.json: peerDependencies and the cdk8s-oldest/constructs-oldest aliases.
const OLDEST_CDK8S = '2.9.0';
const OLDEST_CONSTRUCTS = '10.0.0';

const work = scratchDir('oldest');
const app = join(work, 'app');

beforeAll(async () => {
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "old-app", "version": "1.0.0", "private": true }\n');
  await install(app, [`cdk8s@${OLDEST_CDK8S}`, `constructs@${OLDEST_CONSTRUCTS}`]);
  await install(app, ['typescript@^5.9.3'], { dev: true });
  await install(app, [kroGenTarball()]);
  cpSync(
    join(REPO, 'node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json'),
    join(app, 'tsconfig.json'),
  );
  await generateExamples(app);
  writeFileSync(join(app, 'chart.ts'), chartSource('./imports'));
  writeFileSync(join(app, 'main.ts'), mainSource('./chart'));
});

describe(`a project on cdk8s ${OLDEST_CDK8S} and constructs ${OLDEST_CONSTRUCTS}`, () => {
  it('keeps its own cdk8s and constructs, one copy of each', async () => {
    const ls = JSON.parse(await run('npm', ['ls', '--all', '--json', 'cdk8s', 'constructs'], app)) as {
      dependencies: Record<string, { version: string }>;
    };
    expect(ls.dependencies.cdk8s?.version).toBe(OLDEST_CDK8S);
    expect(ls.dependencies.constructs?.version).toBe(OLDEST_CONSTRUCTS);
    expect(await cdk8sCopies(app)).toEqual([
      join(app, 'node_modules/cdk8s'),
      join(app, 'node_modules/constructs'),
    ]);
  });

  it('compiles the generated modules and synthesizes them in both modes', async () => {
    await run('npx', ['--no-install', 'tsc', '-p', '.'], app);
    const synth = async (env: Record<string, string>) => {
      rmSync(join(app, 'dist'), { recursive: true, force: true });
      await run('node', ['main.js'], app, { env });
      return synthesizedKinds(join(app, 'dist'));
    };
    expect(await synth({})).toEqual(EXPANDED_KINDS);
    expect(await synth({ KRO_GEN_MODE: 'bundle' })).toEqual(BUNDLE_KINDS);
  });
});

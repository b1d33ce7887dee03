// `kro-gen init` as a user meets it: the packed kro-gen creates a project, the project installs
// (from the local registry of this repository's package-lock.json, offline), and its own scripts
// pass unchanged: npm test (jest + ts-jest), npm run synth (cdk8s synth with ts-node) in both
// modes, and the CI drift check.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kroGenTarball, npmEnv, scratchDir } from './context.js';
import { run } from './helpers.js';

const work = scratchDir('init');
const app = join(work, 'my-app');
// cdk8s-cli asks the npm registry for a newer version of itself on every run; tests stay offline.
const env = () => ({ ...npmEnv(), CDK8S_CHECK_UPGRADE: 'false' });
// Asynchronous throughout: installs, jest and cdk8s synth take minutes (see run in helpers.ts).
const npm = (args: readonly string[], cwd: string, extra: Record<string, string> = {}) =>
  run('npm', args, cwd, { env: { ...env(), ...extra } });
const npx = (args: readonly string[], cwd: string) => run('npx', ['--no-install', ...args], cwd);

/** The objects in dist/, in the order `kubectl apply -f dist/` applies them (file names, then documents). */
function distObjects(): { kind: string; name: string; object: Record<string, unknown> }[] {
  const dist = join(app, 'dist');
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dist, file), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o !== null)
    .map((object) => ({ kind: object.kind, name: object.metadata.name, object }));
}

beforeAll(async () => {
  // The packed kro-gen's own binary creates the project, as `npx kro-gen init my-app` would.
  const tool = join(work, 'tool');
  mkdirSync(tool);
  writeFileSync(join(tool, 'package.json'), '{"name":"tool","version":"1.0.0","private":true}\n');
  await npm(['install', kroGenTarball()], tool);
  await npx(['kro-gen', 'init', app], tool);
  // Its package.json asks for kro-gen ^<version>: the tarball stands in for the registry's.
  await npm(['install', kroGenTarball()], app);
});

describe('a project made by kro-gen init', () => {
  it('passes its own tests (jest + ts-jest, Testing.synth in both modes)', async () => {
    // `npm test` runs `npm run gen` (kro-gen generate) first: imports/ comes back. Checked on the
    // files, not on npm's banner, which `npm run -s` (npm_config_loglevel=silent) hides.
    rmSync(join(app, 'imports'), { recursive: true, force: true });
    await npm(['test', '--', '--ci'], app);
    expect(existsSync(join(app, 'imports', 'web-service.ts'))).toBe(true);
  });

  it('synthesizes the starter WebService with cdk8s synth (ts-node): expanded by default', async () => {
    rmSync(join(app, 'dist'), { recursive: true, force: true });
    await npm(['run', 'synth'], app);
    const objects = distObjects();
    expect(objects.map((o) => `${o.kind} ${o.name}`)).toEqual(['Deployment hello', 'Service hello']);
    const deployment = objects[0]!.object as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(2);
  });

  it('synthesizes the RGD, then the WebService object, with KRO_GEN_MODE=bundle', async () => {
    rmSync(join(app, 'dist'), { recursive: true, force: true });
    await npm(['run', 'synth'], app, { KRO_GEN_MODE: 'bundle' });
    expect(distObjects().map((o) => `${o.kind} ${o.name}`)).toEqual([
      'ResourceGraphDefinition web-service',
      'WebService hello',
    ]);
  });

  it('passes the CI drift check on imports/ as init wrote it, and fails it after an RGD changes', async () => {
    const verify = ['kro-gen', 'generate', 'rgds', '--out', 'imports', '--verify'];
    expect(await npx(verify, app)).toContain('imports is up to date');
    const rgd = join(app, 'rgds/web-service.yaml');
    const text = readFileSync(rgd, 'utf8');
    writeFileSync(rgd, text.replace('default=2 ', 'default=3 '));
    try {
      await expect(npx(verify, app)).rejects.toThrow(/imports\/web-service\.ts is out of date/);
    } finally {
      writeFileSync(rgd, text);
    }
  });
});

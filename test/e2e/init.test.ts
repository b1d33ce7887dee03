// `kro-gen init` as a user meets it: the packed kro-gen creates a project, the project installs
// offline, and its own scripts (npm test, npm run synth, the CI drift check) pass unchanged.
// Run by `npm run test:pack` (it compiles the package and installs jest, ts-jest, cdk8s-cli, ...).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { exec, installOffline, npm } from './init/offline.js';
import { kroGenTarball } from './pack/context.js';

const work = mkdtempSync(join(tmpdir(), 'kro-gen-init-e2e-'));
const app = join(work, 'my-app');
// cdk8s-cli asks the npm registry for a newer version of itself on every run; tests stay offline.
const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The objects in dist/, in the order `kubectl apply -f dist/` applies them (file names, then documents). */
function distObjects(): { kind: string; name: string; object: Record<string, unknown> }[] {
  const dist = join(app, 'dist');
  return readdirSync(dist)
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dist, file), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o !== null)
    .map((object) => ({ kind: object.kind, name: object.metadata.name, object }));
}

beforeAll(async () => {
  // Packed once per run by test/e2e/pack/global-setup.ts (with the CommonJS build jest needs).
  const tarball = kroGenTarball();
  // The packed kro-gen's own binary creates the project, as `npx kro-gen init my-app` would.
  const tool = join(work, 'tool');
  mkdirSync(tool);
  await npm(['init', '-y'], tool);
  await installOffline(tool, tarball);
  await exec('npx', ['--no-install', 'kro-gen', 'init', app], tool);
  await installOffline(app, tarball);
}, 600_000);

describe('a project made by kro-gen init', () => {
  it('passes its own tests (jest + ts-jest, Testing.synth in both modes)', async () => {
    const out = await npm(['test', '--', '--ci'], app, env);
    expect(out).toContain('kro-gen generate rgds --out imports');
  }, 300_000);

  it('synthesizes the starter WebService with cdk8s synth (ts-node): expanded by default', async () => {
    rmSync(join(app, 'dist'), { recursive: true, force: true });
    await npm(['run', 'synth'], app, env);
    const objects = distObjects();
    expect(objects.map((o) => `${o.kind} ${o.name}`)).toEqual(['Deployment hello', 'Service hello']);
    const deployment = objects[0]!.object as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(2);
  }, 300_000);

  it('synthesizes the RGD, then the WebService object, with KRO_GEN_MODE=bundle', async () => {
    rmSync(join(app, 'dist'), { recursive: true, force: true });
    await npm(['run', 'synth'], app, { ...env, KRO_GEN_MODE: 'bundle' });
    const objects = distObjects();
    expect(objects.map((o) => `${o.kind} ${o.name}`)).toEqual([
      'ResourceGraphDefinition web-service',
      'WebService hello',
    ]);
  }, 300_000);

  it('passes the CI drift check on imports/ as init wrote it, and fails it after an RGD changes', async () => {
    const verify = ['--no-install', 'kro-gen', 'generate', 'rgds', '--out', 'imports', '--verify'];
    expect(await exec('npx', verify, app)).toContain('imports is up to date');
    const rgd = join(app, 'rgds/web-service.yaml');
    const text = readFileSync(rgd, 'utf8');
    writeFileSync(rgd, text.replace('default=2 ', 'default=3 '));
    try {
      await expect(exec('npx', verify, app)).rejects.toThrow(/imports\/web-service\.ts is out of date/);
    } finally {
      writeFileSync(rgd, text);
    }
  });
});

// Packs kro-gen once for the whole `npm run test:pack` run (compiling the tree takes a while) and
// starts the local registry the tests install from; both reach the tests through provide/inject.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packKroGen, REPO } from './helpers.js';
import { startLockRegistry } from './registry.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const work = mkdtempSync(join(tmpdir(), 'kro-gen-pack-'));
  const registry = await startLockRegistry(join(REPO, 'package-lock.json'));
  const cache = join(work, 'npm-cache');
  mkdirSync(cache);
  project.provide('npmRegistry', registry.url);
  project.provide('npmCache', cache);
  project.provide('kroGenTarball', await packKroGen(work));
  return async () => {
    await registry.close();
    rmSync(work, { recursive: true, force: true });
  };
}

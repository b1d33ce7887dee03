// What global-setup.ts provides to the packaging tests: the packed kro-gen and the local registry
// (registry.ts) every install goes through, so a package a test installs must be in this
// repository's package-lock.json (package.json lists the devDependencies only these tests use).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { npm } from './helpers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kroGenTarball: string;
    npmRegistry: string;
    npmCache: string;
  }
}

/** The kro-gen tarball `npm pack` made for this run. */
export function kroGenTarball(): string {
  return inject('kroGenTarball');
}

/** npm settings for anything that installs packages (an own cache: the shared one stays as it is). */
export function npmEnv(): Record<string, string> {
  return {
    npm_config_registry: inject('npmRegistry'),
    npm_config_cache: inject('npmCache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** Install `specs` into the project `dir` from the local registry (`--save-dev` when `dev`). */
export async function install(
  dir: string,
  specs: readonly string[],
  opts: { dev?: boolean } = {},
): Promise<void> {
  await npm(['install', ...(opts.dev ? ['--save-dev'] : []), ...specs], dir, { env: npmEnv() });
}

/** A fresh temporary directory, removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kro-gen-pack-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

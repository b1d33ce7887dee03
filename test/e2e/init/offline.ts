// Packing kro-gen and installing a project with it, with no network: the packed tarball, and every
// other package from the npm cache that `npm ci` filled for this repository.
//
// `npm install --offline` alone is not enough: to resolve a range it needs the registry's package
// metadata, which `npm ci` does not store (it installs from the lockfile). So the project gets a
// lockfile cut from this repository's: the entries its dependencies reach, at the same places in
// node_modules/, so each resolves to the version this repository installs, whose tarball is cached.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

type Manifest = {
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { optional?: boolean }>>;
};
type LockEntry = Manifest & { readonly [key: string]: unknown };

/**
 * Run a program; resolves to its stdout, rejects with its stderr in the message. Asynchronous, so
 * minutes of npm and jest do not block the test worker (vitest times out its own messages then).
 */
export async function exec(
  file: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  try {
    return (await promisify(execFile)(file, [...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 }))
      .stdout;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stderr ?? ''}${stdout ?? ''}`);
  }
}

export function npm(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  // Before the command, so `npm test -- ...` passes them to npm, not to the test runner.
  return exec('npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], cwd, env);
}

/** Where `name` resolves from the package at `from` (a lockfile path), as Node looks it up. */
function resolveIn(
  packages: Readonly<Record<string, LockEntry>>,
  from: string,
  name: string,
): string | undefined {
  for (let at = from; ; ) {
    const candidate = `${at === '' ? '' : `${at}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (at === '') return undefined;
    const up = at.lastIndexOf('/node_modules/');
    at = up < 0 ? '' : at.slice(0, up);
  }
}

/** The names a package needs installed: dependencies, peers that are not optional, optional ones if locked. */
function needs(m: Manifest): { name: string; optional: boolean }[] {
  const optionalPeer = (n: string) => m.peerDependenciesMeta?.[n]?.optional === true;
  return [
    ...Object.keys(m.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(m.devDependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(m.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(m.peerDependencies ?? {}).map((name) => ({ name, optional: optionalPeer(name) })),
  ];
}

/**
 * Install `dir`'s package.json with the kro-gen `tarball`, offline. Its dependencies must all be in
 * this repository's package-lock.json (devDependencies here, so `npm ci` caches them).
 */
export async function installOffline(dir: string, tarball: string): Promise<void> {
  const pkgPath = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as Manifest & Record<string, unknown>;
  const spec = `file:${relative(dir, tarball)}`;
  const field = pkg.dependencies?.['kro-gen'] !== undefined ? 'dependencies' : 'devDependencies';
  const withTarball = { ...pkg, [field]: { ...(pkg[field] as object), 'kro-gen': spec } };
  writeFileSync(pkgPath, `${JSON.stringify(withTarball, null, 2)}\n`);

  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const kroGen = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest & { bin?: unknown };
  const packages: Record<string, LockEntry> = {
    '': {
      name: pkg.name ?? 'app',
      version: pkg.version ?? '1.0.0',
      ...(withTarball.dependencies ? { dependencies: withTarball.dependencies } : {}),
      ...(withTarball.devDependencies ? { devDependencies: withTarball.devDependencies } : {}),
    },
    'node_modules/kro-gen': {
      version: kroGen.version ?? '0.0.0',
      resolved: spec,
      // npm ci links binaries from the lockfile's record of them.
      ...(kroGen.bin ? { bin: kroGen.bin } : {}),
      ...(kroGen.dependencies ? { dependencies: kroGen.dependencies } : {}),
      ...(kroGen.peerDependencies ? { peerDependencies: kroGen.peerDependencies } : {}),
      ...(kroGen.peerDependenciesMeta ? { peerDependenciesMeta: kroGen.peerDependenciesMeta } : {}),
    },
  };
  const queue: { path: string; manifest: Manifest }[] = [
    {
      path: '',
      manifest: { dependencies: pkg.dependencies ?? {}, devDependencies: pkg.devDependencies ?? {} },
    },
    { path: 'node_modules/kro-gen', manifest: { ...kroGen, devDependencies: {} } },
  ];
  while (queue.length > 0) {
    const { path, manifest } = queue.pop()!;
    for (const { name, optional } of needs(manifest)) {
      if (name === 'kro-gen') continue;
      const found = resolveIn(repoLock.packages, path, name);
      if (found === undefined) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${path || 'the project'}) is not in kro-gen's package-lock.json`);
      }
      if (packages[found]) continue;
      // This repository's dev/optional flags say nothing about the project's tree.
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = repoLock.packages[found]!;
      packages[found] = entry;
      queue.push({ path: found, manifest: entry });
    }
  }
  const lock = {
    name: pkg.name ?? 'app',
    version: pkg.version ?? '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages,
  };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  await npm(['ci', '--offline'], dir);
}

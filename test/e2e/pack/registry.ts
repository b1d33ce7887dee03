// A local npm registry serving exactly the packages of this repository's package-lock.json, with
// their tarballs read from the npm cache that `npm ci` filled. The packaging tests install into
// fresh projects (cdk8s init's own `npm install` among them), which needs package metadata that
// `npm ci` never downloads, so `npm install --offline` would fail on a clean machine. Pointing npm
// at this registry instead keeps the tests offline and honest: a package that is not a (dev)
// dependency of this repository is a 404, never a download.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  integrity?: string;
  inBundle?: boolean;
  link?: boolean;
  hasInstallScript?: boolean;
  [field: string]: unknown;
}

/** The manifest fields npm's resolver reads from a packument version. */
const MANIFEST_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'engines',
  'os',
  'cpu',
  'libc',
  'license',
  'hasInstallScript',
];

function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { nums: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** name -> version -> lock entry, for every package of the lockfile (aliases under their real name). */
function lockedPackages(lockPath: string): Map<string, Map<string, LockEntry>> {
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { packages: Record<string, LockEntry> };
  const out = new Map<string, Map<string, LockEntry>>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.inBundle || entry.link || !entry.version || !entry.integrity) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const versions = out.get(name) ?? new Map<string, LockEntry>();
    versions.set(entry.version, entry);
    out.set(name, versions);
  }
  return out;
}

/** Where cacache keeps the content with this integrity (`sha512-<base64>`). */
function cachedContent(cacheDir: string, integrity: string): string | undefined {
  for (const one of integrity.split(/\s+/)) {
    const dash = one.indexOf('-');
    const algo = one.slice(0, dash);
    const hex = Buffer.from(one.slice(dash + 1), 'base64').toString('hex');
    const path = join(
      cacheDir,
      '_cacache',
      'content-v2',
      algo,
      hex.slice(0, 2),
      hex.slice(2, 4),
      hex.slice(4),
    );
    if (existsSync(path)) return path;
  }
  return undefined;
}

export interface LockRegistry {
  readonly url: string;
  close(): Promise<void>;
}

/** Serve the packages of `lockPath` from the npm cache (`npm config get cache` by default). */
export async function startLockRegistry(lockPath: string, cacheDir?: string): Promise<LockRegistry> {
  const cache = cacheDir ?? execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  const packages = lockedPackages(lockPath);
  let base = '';
  const tarballs = new Map<string, string>();

  function packument(name: string): object | undefined {
    const versions = packages.get(name);
    if (!versions) return undefined;
    const sorted = [...versions.keys()].sort(compareVersions);
    const manifests: Record<string, object> = {};
    for (const version of sorted) {
      const entry = versions.get(version)!;
      const file = `${name.replace('/', '__')}-${version}.tgz`;
      tarballs.set(file, entry.integrity!);
      const fields = Object.fromEntries(MANIFEST_FIELDS.filter((f) => f in entry).map((f) => [f, entry[f]]));
      manifests[version] = {
        name,
        version,
        ...fields,
        dist: { tarball: `${base}/-/${file}`, integrity: entry.integrity },
      };
    }
    return { name, 'dist-tags': { latest: sorted[sorted.length - 1] }, versions: manifests };
  }

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (path.startsWith('/-/')) {
      const integrity = tarballs.get(path.slice(3));
      const file = integrity && cachedContent(cache, integrity);
      if (!file) {
        res.writeHead(404).end(`${path}: not in the npm cache (run npm ci)`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
    const body = packument(path.slice(1));
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `${path.slice(1)} is not in package-lock.json` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

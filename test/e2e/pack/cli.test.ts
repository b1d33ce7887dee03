// The published package works: the packed tarball, installed into a fresh project from the npm
// cache only, runs the `kro-gen` binary through npx, and both library entry points load from
// CommonJS (require) and ES modules (import), with types for each.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { install, kroGenTarball, scratchDir } from './context.js';
import { REPO, run } from './helpers.js';

const SEED = join(REPO, 'examples/web-app/rgd.yaml');
const work = scratchDir('cli');
const consumer = join(work, 'consumer');

beforeAll(async () => {
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
  await install(consumer, [kroGenTarball()]);
});

const node = async (args: string[]) => (await run(process.execPath, args, consumer)).trim();

describe('npm pack + offline install', () => {
  it('installs a tarball whose kro-gen binary runs through npx', async () => {
    const help = await run('npx', ['--no-install', 'kro-gen', '--help'], consumer);
    expect(help).toContain('Usage: kro-gen <command>');
    expect(help).toContain('crd');
    const crd = await run('npx', ['--no-install', 'kro-gen', 'crd', SEED], consumer);
    expect(crd).toContain('kind: CustomResourceDefinition\nmetadata:\n  name: applications.kro.run\n');
  });

  it('installs cdk8s and constructs once, as peers, and not ts-morph or tsx', async () => {
    const tree = JSON.parse(await run('npm', ['ls', '--all', '--json'], consumer)) as {
      dependencies: Record<string, { dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(tree.dependencies)).toEqual(['kro-gen']);
    const ls = (await run('npm', ['ls', '--all', '--parseable'], consumer)).split('\n');
    const copies = (name: string) => ls.filter((p) => p.endsWith(`/node_modules/${name}`));
    expect(copies('cdk8s')).toEqual([join(consumer, 'node_modules/cdk8s')]);
    expect(copies('constructs')).toEqual([join(consumer, 'node_modules/constructs')]);
    expect(copies('ts-morph')).toEqual([]);
    expect(copies('tsx')).toEqual([]);
    expect(copies('typescript')).toEqual([]);
  });

  const LOAD_API =
    "const r = loadRgds([{ path: 'seed.yaml', text: readFileSync(" +
    JSON.stringify(SEED) +
    ", 'utf8') }]); console.log(r.rgds.map((x) => x.schema.kind).join());";

  it('loads kro-gen from ES modules', async () => {
    const script = `import { loadRgds } from 'kro-gen'; import { readFileSync } from 'node:fs'; ${LOAD_API}`;
    expect(await node(['--input-type=module', '-e', script])).toBe('Application');
    const runtime = "import * as kro from 'kro-gen/runtime'; console.log(typeof kro.KroConstruct);";
    expect(await node(['--input-type=module', '-e', runtime])).toBe('function');
  });

  it('loads kro-gen from CommonJS, without loading any ES module', async () => {
    // require(esm) would work in Node >= 20.19 but not in jest: the CommonJS build must be CommonJS
    // throughout, down to its dependencies.
    const script =
      "const { loadRgds } = require('kro-gen'); const { readFileSync } = require('node:fs'); " +
      `${LOAD_API} const kro = require('kro-gen/runtime'); console.log(typeof kro.KroConstruct);` +
      "const mark = '/node_modules/kro-gen/';" +
      'console.log(Object.keys(require.cache).filter((f) => f.includes(mark))' +
      '.map((f) => f.slice(f.indexOf(mark) + mark.length)).sort().join());';
    const out = (
      await node(['--no-experimental-require-module', '--input-type=commonjs', '-e', script])
    ).split('\n');
    expect(out).toEqual([
      'Application',
      'function',
      'dist/cjs/index.js,dist/cjs/kro-gen.js,dist/cjs/runtime.js',
    ]);
  });
});

describe('the code cache of the kro-gen binary (src/cli/compile-cache.ts)', () => {
  // kro's example RGDs: valid and invalid ones (exit 1, diagnostics on stderr), most of the code run.
  const kroExamples = join(REPO, 'test/conformance/kro/examples');
  const files = (
    JSON.parse(readFileSync(join(kroExamples, 'index.json'), 'utf8')) as { path: string; rgdKind?: string }[]
  )
    .filter((e) => e.rgdKind !== undefined)
    .map((e) => join(REPO, 'test/conformance/kro', e.path));
  const COMMANDS = [['validate', ...files], ['crd', SEED], ['graph', SEED], ['--help'], ['--version']];

  const bin = () => join(consumer, 'node_modules/kro-gen/dist/bin/kro-gen.js');
  // Asynchronous, as helpers.ts's run: a worker blocked for a minute loses touch with vitest.
  const kroGen = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin(), ...args],
        {
          cwd: consumer,
          encoding: 'utf8',
          env: { ...process.env, KRO_GEN_NO_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '', ...env },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });

  it('changes no output: without it, writing it, using it, corrupt, unwritable', async () => {
    const cacheHome = join(work, 'xdg-cache');
    const cacheDir = join(cacheHome, 'kro-gen', 'code-cache');
    const blocked = join(work, 'not-a-directory');
    writeFileSync(blocked, '');
    for (const args of COMMANDS) {
      const reference = await kroGen(args, { KRO_GEN_NO_COMPILE_CACHE: '1', XDG_CACHE_HOME: cacheHome });
      expect(reference.status, args[0]).toBe(args[0] === 'validate' ? 1 : 0);
      expect(reference.stdout.length + reference.stderr.length).toBeGreaterThan(0);
      // The first run writes the command's cache file, the second uses it and leaves it as it is.
      expect(await kroGen(args, { XDG_CACHE_HOME: cacheHome })).toEqual(reference);
      if (args[0]?.startsWith('-')) {
        // --help and --version: the launcher answers them, without the bundle or its cache.
        expect(
          existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.startsWith('other-')) : [],
        ).toEqual([]);
        continue;
      }
      const file = readdirSync(cacheDir).find((f) => f.startsWith(`${args[0]}-`));
      expect(file, args[0]).toBeDefined();
      const written = readFileSync(join(cacheDir, file ?? ''));
      expect(await kroGen(args, { XDG_CACHE_HOME: cacheHome })).toEqual(reference);
      expect(readFileSync(join(cacheDir, file ?? '')).equals(written)).toBe(true);
      expect(await kroGen(args, { XDG_CACHE_HOME: blocked })).toEqual(reference);
    }
    const written = readdirSync(cacheDir).sort();
    expect(written.map((f) => f.replace(/-[0-9a-f]{24}\.bin$/, ''))).toEqual(['crd', 'graph', 'validate']);
    // Every cache file corrupted (bits flipped past the header): same output, and rewritten.
    for (const f of written) {
      const data = readFileSync(join(cacheDir, f));
      for (let i = 100; i < data.length; i += 997) data[i] = (data[i] ?? 0) ^ 0xff;
      writeFileSync(join(cacheDir, f), data);
    }
    for (const args of COMMANDS) {
      const reference = await kroGen(args, { KRO_GEN_NO_COMPILE_CACHE: '1' });
      expect(await kroGen(args, { XDG_CACHE_HOME: cacheHome })).toEqual(reference);
      expect(await kroGen(args, { XDG_CACHE_HOME: cacheHome })).toEqual(reference);
    }
  });
});

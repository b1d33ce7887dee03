// The published package works: build to a staging directory, `npm pack` it, install the tarball into
// a fresh project from the npm cache only (no network), and run the `kro-gen` binary through npx.
// Not in the default suite (vitest.config.ts leaves test/e2e out): it compiles the whole source tree.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SEED = join(REPO, 'examples/web-app/rgd.yaml');
const work = mkdtempSync(join(tmpdir(), 'kro-gen-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

describe('npm pack + offline install', () => {
  it('installs a tarball whose kro-gen binary runs through npx', () => {
    const staging = join(work, 'staging');
    mkdirSync(staging);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(
      process.execPath,
      [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')],
      {
        cwd: REPO,
      },
    );
    for (const entry of ['package.json', 'README.md', 'LICENSE', 'templates', 'data']) {
      if (existsSync(join(REPO, entry))) cpSync(join(REPO, entry), join(staging, entry), { recursive: true });
    }
    npm(['pack', '--ignore-scripts', '--pack-destination', work], staging);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    const consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
    npm(['install', '--offline', '--ignore-scripts', join(work, tarball!)], consumer);

    const help = execFileSync('npx', ['--no-install', 'kro-gen', '--help'], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(help).toContain('Usage: kro-gen <command>');
    expect(help).toContain('crd');
    const crd = execFileSync('npx', ['--no-install', 'kro-gen', 'crd', SEED], {
      cwd: consumer,
      encoding: 'utf8',
    });
    expect(crd).toContain('kind: CustomResourceDefinition\nmetadata:\n  name: applications.kro.run\n');

    // The library entry point resolves too.
    const api = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { loadRgds } from 'kro-gen'; import { readFileSync } from 'node:fs';" +
          `const r = loadRgds([{ path: 'seed.yaml', text: readFileSync(${JSON.stringify(SEED)}, 'utf8') }]);` +
          'console.log(r.rgds.map((x) => x.schema.kind).join());',
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(api.trim()).toBe('Application');
  });
});

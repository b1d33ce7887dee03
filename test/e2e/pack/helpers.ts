// What the packaging tests share: packing kro-gen (once per run, by global-setup.ts) and running
// commands whose failure shows their output. No vitest import here: global-setup.ts runs outside
// the test workers; context.ts has what tests get from it.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly timeout?: number;
}

/**
 * Run a command; a failure rejects with its output, which is what one needs to see in CI.
 * Asynchronous: minutes of npm, tsc and jest must not block the test worker, whose messages to
 * vitest would time out.
 */
export async function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  opts: RunOptions = {},
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(cmd, [...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...opts.env },
      timeout: opts.timeout ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`.slice(-20_000),
    );
  }
}

/** `npm <args>` without audit, funding and update notices. */
export function npm(args: readonly string[], cwd: string, opts: RunOptions = {}): Promise<string> {
  return run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, {
    ...opts,
    env: { npm_config_update_notifier: 'false', ...opts.env },
  });
}

/**
 * Build and pack kro-gen into `work` and return the tarball's path: the ESM build with this
 * repository's tsc, the CommonJS build with tools/build-cjs.mjs, the CLI bundle with
 * tools/build-cli.mjs, then `npm pack` of a staging copy holding what package.json `files` ships
 * (so the repository's own dist/ is left alone).
 */
export async function packKroGen(work: string): Promise<string> {
  const staging = join(work, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const dist = join(staging, 'dist');
  await run(process.execPath, [tsc, '-p', join(REPO, 'tsconfig.build.json'), '--outDir', dist], REPO);
  await run(process.execPath, [join(REPO, 'tools/build-cjs.mjs'), dist], REPO);
  await run(process.execPath, [join(REPO, 'tools/build-cli.mjs'), dist], REPO);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'templates', 'data']) {
    if (existsSync(join(REPO, entry))) cpSync(join(REPO, entry), join(staging, entry), { recursive: true });
  }
  await npm(['pack', '--ignore-scripts', '--pack-destination', work], staging);
  const tarball = readdirSync(work).find((f) => f.startsWith('kro-gen-') && f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no kro-gen tarball into ${work}`);
  return join(work, tarball);
}

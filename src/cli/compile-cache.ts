// Start-up of the `kro-gen` binary: the launcher (dist/bin/kro-gen.js) compiles the CLI bundle
// (dist/bin/cli.cjs, tools/build-cli.mjs) with V8's code cache, kept in a per-user cache directory.
//
// Why: a short command spends most of what it costs above Node's own start compiling the bundle's
// 1.8 MB, and then compiling lazily each function it calls (docs/performance.md). The cache is made
// at the end of a first run, so it holds the bytecode of every function that run compiled; later runs
// of the same command deserialize it instead. Node >= 22.1 has a compile cache of its own
// (`module.enableCompileCache`), but not Node 20, and it saves a module's code before it runs.
//
// The cache can only make a run faster, never different or failing:
// - anything wrong with it (unreadable, truncated, bit-flipped, another Node or V8, another bundle)
//   means compiling without it, and a new cache is written at exit; V8 does not check a code cache's
//   checksum in release builds (a flipped bit crashes the process), so each file carries a SHA-256
//   of its payload, checked before V8 sees it;
// - writes go to a temporary file renamed over the cache, so concurrent processes read either the
//   old file or the new one; a directory that cannot be written is left alone;
// - KRO_GEN_NO_COMPILE_CACHE=1 (or Node's own NODE_DISABLE_COMPILE_CACHE=1) loads the bundle with
//   plain require(), as Node would without the launcher.
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { constants, Script } from 'node:vm';
import { allowShortRuns, shortRunBudget, withCompileFlags } from './v8-tiering.js';

type Env = Readonly<Record<string, string | undefined>>;

const MAGIC = Buffer.from('kro-gen code cache 1\n');
const DIGEST_BYTES = 32;
/** Cache files untouched for this long are removed when a new one is written (older kro-gen versions). */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** Temporary files of a process killed mid-write. */
const MAX_TMP_AGE_MS = 3600 * 1000;

/** Whether the user turned the cache off. */
export function compileCacheDisabled(env: Env): boolean {
  return Boolean(env.KRO_GEN_NO_COMPILE_CACHE) || Boolean(env.NODE_DISABLE_COMPILE_CACHE);
}

/** The per-user directory for the cache: $XDG_CACHE_HOME, else the platform's user cache directory. */
export function compileCacheDir(
  env: Env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): string | undefined {
  try {
    const xdg = env.XDG_CACHE_HOME;
    let base: string;
    if (xdg !== undefined && isAbsolute(xdg)) base = xdg;
    else if (platform === 'win32') base = env.LOCALAPPDATA ?? join(home(), 'AppData', 'Local');
    else if (platform === 'darwin') base = join(home(), 'Library', 'Caches');
    else base = join(home(), '.cache');
    return join(base, 'kro-gen', 'code-cache');
  } catch {
    // No home directory (os.homedir throws without HOME or a passwd entry): no cache.
    return undefined;
  }
}

/**
 * The cache file for one command of one bundle. Each command has its own file, since each compiles
 * its own functions. V8 checks its own version and flags but recognizes the source only by its
 * length, so the bundle's content hash (`bundleId`, from the build) is part of the name; so are the
 * Node flags, which V8 would otherwise reject the cache for on every other run.
 */
export function compileCacheFile(
  dir: string,
  bundleId: string,
  command: string | undefined,
  env: Env,
): string {
  const name = command !== undefined && /^[a-z][a-z0-9-]{0,31}$/.test(command) ? command : 'other';
  const key = createHash('sha256')
    .update(
      [
        bundleId,
        process.version,
        process.arch,
        process.versions.v8,
        process.execArgv.join(' '),
        env.NODE_OPTIONS ?? '',
      ].join('\n'),
    )
    .digest('hex')
    .slice(0, 24);
  return join(dir, `${name}-${key}.bin`);
}

/** How a load used the cache file. */
export type CacheState = 'used' | 'absent' | 'rejected';

export interface Compiled {
  /** The bundle's module.exports. */
  readonly exports: unknown;
  readonly state: CacheState;
  /** Writes the code cache of everything compiled so far, unless the one loaded was used. Never throws. */
  save(): void;
}

/**
 * Compiles and runs the CommonJS file `file` (ASCII) as Node's require would, with the code cache
 * in `cacheFile`.
 */
export function loadCompiled(file: string, cacheFile: string): Compiled {
  // tools/build-cli.mjs writes the bundle in ASCII: latin1 reads it as UTF-8 would, for less.
  const source = readFileSync(file, 'latin1');
  const cached = readCache(cacheFile);
  // The same wrapper as Node's CommonJS loader, on the first line so line numbers stay the same.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: file,
    cachedData: cached,
    // The bundle's import() of peer dependencies (ts-morph) goes to Node's own loader.
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const state: CacheState = cached === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    state,
    save: () => {
      // A command may have changed V8's flags since (v8-tiering.ts); the cache records them.
      if (state !== 'used') withCompileFlags(() => writeCache(cacheFile, script));
    },
  };
}

/** The payload of a cache file whose header and checksum are right, else undefined. */
function readCache(file: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const start = MAGIC.length + DIGEST_BYTES;
  if (data.length <= start || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = data.subarray(start);
  const digest = createHash('sha256').update(payload).digest();
  return digest.equals(data.subarray(MAGIC.length, start)) ? payload : undefined;
}

function writeCache(file: string, script: Script): void {
  const dir = dirname(file);
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const payload = script.createCachedData();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const digest = createHash('sha256').update(payload).digest();
    writeFileSync(tmp, Buffer.concat([MAGIC, digest, payload]), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    try {
      unlinkSync(tmp);
    } catch {
      // Never written.
    }
    return;
  }
  prune(dir, file);
}

/** Removes the caches of kro-gen versions no longer run, and what killed processes left. */
function prune(dir: string, keep: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === keep) continue;
      try {
        const age = now - statSync(path).mtimeMs;
        if (age > (name.endsWith('.tmp') ? MAX_TMP_AGE_MS : MAX_AGE_MS)) unlinkSync(path);
      } catch {
        // Removed by another process meanwhile.
      }
    }
  } catch {
    // An unreadable directory: nothing to prune.
  }
}

/**
 * The launcher's work: let a batch command tune V8's optimizing compiler (v8-tiering.ts), load the
 * bundle (with the cache unless turned off) and run the CLI. The cache is written at exit, and only after a run that ended
 * normally (exit 0 or 1), so a usage error or a crash does not leave a cache that holds little of the
 * command.
 */
export function launchCli(bundle: string, bundleId: string): void {
  const argv = process.argv.slice(2);
  const budget = shortRunBudget(argv[0], process.env);
  if (budget !== undefined) allowShortRuns(budget);
  const dir = compileCacheDisabled(process.env) ? undefined : compileCacheDir(process.env);
  let cli: unknown;
  if (dir === undefined) {
    cli = createRequire(bundle)(bundle);
  } else {
    const compiled = loadCompiled(bundle, compileCacheFile(dir, bundleId, argv[0], process.env));
    if (compiled.state !== 'used') {
      process.once('exit', (code) => {
        if (code === 0 || code === 1) compiled.save();
      });
    }
    cli = compiled.exports;
  }
  void (cli as { runProcess(argv: readonly string[]): Promise<void> }).runProcess(argv);
}

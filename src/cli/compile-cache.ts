// Start-up of the `kro-gen` binary: the launcher (dist/bin/kro-gen.js) compiles the CLI bundle
// (dist/bin/cli.cjs, tools/build-cli.mjs) with V8's code cache, kept in a per-user cache directory.
//
// Why: a short command spends most of what it costs above Node's own start compiling the bundle's
// 1.8 MB, and then compiling lazily each function it calls (docs/performance.md). The cache is made
// at the end of a first run, so it holds the bytecode of every function that run compiled; later runs
// of the same command deserialize it instead. It is made again at the end of a run that read more than
// twice the input of the run that made it (the count is in the file's header): V8 then writes every
// function compiled so far, those read from the cache and those this run compiled, so the cache grows
// towards what larger runs need. Without that, a cache made by a run over our 7 examples left each
// later generate of kro's 41 example schemas compiling about 5 ms of functions again (4.6%), and one
// made by a one-RGD run about 9 ms. Which functions a run compiled lazily V8 cannot tell cheaply
// (v8.getHeapCodeStatistics walks the heap: about a millisecond; a new cache costs several), so the
// size of the input stands for it: a run over more input meets more of the code, and the rule writes
// a command's cache at most once per doubling of its largest input. Node >= 22.1 has a compile cache
// of its own (`module.enableCompileCache`), but not Node 20, and it saves a module's code before it
// runs.
// `kro-gen`, `--help` and `--version` load no bundle at all: the launcher answers them (usage.ts).
//
// The cache can only make a run faster, never different or failing:
// - anything wrong with it (unreadable, truncated, bit-flipped, another Node or V8, another bundle)
//   means compiling without it, and a new cache is written at exit. A flipped bit would crash V8,
//   which checks a code cache's checksum only under --verify-snapshot-checksum (off in release
//   builds): the launcher turns that flag on while it makes and while it reads a cache, and off
//   again, since V8 rejects the code caches Node keeps of its own modules under other flags. V8's
//   check (a 32-bit Adler or Fletcher sum, also over the payload length) costs about 0.3 ms per MB,
//   where hashing the payload with SHA-256 cost loading node:crypto first (3-4 ms);
// - writes go to a temporary file renamed over the cache, so concurrent processes read either the
//   old file or the new one; a directory that cannot be written is left alone;
// - KRO_GEN_NO_COMPILE_CACHE=1 (or Node's own NODE_DISABLE_COMPILE_CACHE=1) loads the bundle with
//   plain require(), as Node would without the launcher.
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Script } from 'node:vm';
import { installImporter } from '../dynamic-import.js';
import { inputRead } from './input-size.js';
import { exitQuietlyOnClosedPipe } from './io.js';
import { requireFrom } from './require-from.js';
import { topLevelAnswer } from './usage.js';
import { allowShortRuns, setV8Flags, shortRunBudget, withCompileFlags } from './v8-tiering.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The file's header starts with this, then the input count (HEADER_LENGTH): 32 bytes in all, so that
 * the payload after it stays aligned as V8 wants it (else V8 copies it).
 */
const MAGIC = Buffer.from('kro-gen V8 code cache 3\n');
/** The header: MAGIC, then the characters of input the run that wrote the file read (float64, little-endian). */
const HEADER_LENGTH = MAGIC.length + 8;
/** A run that read more than this many times the input recorded in the cache it used writes the cache again. */
const REWRITE_INPUT_FACTOR = 2;
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
 * length, so the bundle's content hash (`bundleId`, 16 hex digits from the build) is part of the
 * name; so are the Node flags, which V8 would otherwise reject the cache for on every other run.
 */
export function compileCacheFile(
  dir: string,
  bundleId: string,
  command: string | undefined,
  env: Env,
): string {
  const name = command !== undefined && /^[a-z][a-z0-9-]{0,31}$/.test(command) ? command : 'other';
  // The rest only spares runs with other flags from rewriting each other's file (V8 checks them
  // itself), so a 32-bit hash will do, and it needs no node:crypto.
  const rest = [
    process.version,
    process.arch,
    process.versions.v8,
    process.execArgv.join(' '),
    env.NODE_OPTIONS ?? '',
  ];
  return join(dir, `${name}-${bundleId}${fnv1a(rest.join('\n'))}.bin`);
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** How a load used the cache file. */
export type CacheState = 'used' | 'absent' | 'rejected';

export interface Compiled {
  /** The bundle's module.exports. */
  readonly exports: unknown;
  readonly state: CacheState;
  /**
   * Writes the code cache of everything compiled so far, unless the one loaded was used by a run that
   * read no more than REWRITE_INPUT_FACTOR times the input of the run that wrote it. Never throws.
   */
  save(): void;
}

/**
 * A CommonJS module's text as the launcher compiles it: the function of CommonJS's five parameters
 * Node's loader would wrap it in, on the first line so that line numbers stay the same, evaluating
 * to that function. The bundle is written so (tools/build-cli.mjs), so the launcher hands V8 the
 * file's text as read, not a 1.9 MB string built around it, which V8 would copy again into one
 * piece (1 ms a run). `require()` of the file runs it as any module: there the arrow function sees
 * the parameters of Node's own wrapper as `arguments`, where a script has none.
 */
export function wrapForLauncher(source: string): string {
  return `((f) => typeof arguments === 'object' ? f.apply(this, arguments) : f)(function (exports, require, module, __filename, __dirname) { ${source}\n});\n`;
}

/**
 * Compiles and runs the CommonJS file `file` (ASCII, written by wrapForLauncher) as Node's require
 * would, with the code cache in `cacheFile`.
 */
export function loadCompiled(file: string, cacheFile: string): Compiled {
  // tools/build-cli.mjs writes the bundle in ASCII: latin1 reads it as UTF-8 would, for less.
  const source = readFileSync(file, 'latin1');
  const cached = readCache(cacheFile);
  // node:vm is loaded here, not with the launcher, which answers --version without it.
  const { Script } = process.getBuiltinModule('node:vm');
  const script = withChecksums(
    () =>
      new Script(source, {
        filename: file,
        cachedData: cached?.payload,
      }),
  );
  const state: CacheState = cached === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as unknown };
  const wrapper: unknown = script.runInThisContext();
  if (typeof wrapper !== 'function') throw new Error(`${file} was not written by wrapForLauncher`);
  wrapper.call(module.exports, module.exports, requireBeside(file), module, file, dirname(file));
  return {
    exports: module.exports,
    state,
    save: () => {
      const input = inputRead();
      if (state === 'used' && !(input > REWRITE_INPUT_FACTOR * (cached?.input ?? 0))) return;
      // A command may have changed V8's flags since (v8-tiering.ts); the cache records them.
      withCompileFlags(() => writeCache(cacheFile, script, input));
    },
  };
}

/**
 * A require that resolves from `file`'s directory. The launcher, a CommonJS file beside the bundle,
 * hands over its own, which resolves from the same place without loading node:module (require-from.ts).
 */
function requireBeside(file: string): NodeJS.Require {
  if (typeof require === 'function' && typeof __dirname === 'string' && __dirname === dirname(file)) {
    return require;
  }
  return requireFrom(file);
}

/** Whether the user's own Node flags turned V8's checksums on (then they stay on). */
const USER_CHECKSUMS = /(^|\s)--verify[-_]snapshot[-_]checksum\b/.test(
  `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`,
);

/** Runs `f` with V8's checksums of code caches on (see the top of this file). */
function withChecksums<T>(f: () => T): T {
  if (USER_CHECKSUMS) return f();
  setV8Flags('--verify-snapshot-checksum');
  try {
    return f();
  } finally {
    setV8Flags('--no-verify-snapshot-checksum');
  }
}

/** A cache file's payload (V8 checks it itself) and the input count of the run that wrote it. */
interface CacheFile {
  readonly payload: Buffer;
  readonly input: number;
}

/** The cache in `file` if it is of this format, else undefined. */
function readCache(file: string): CacheFile | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  if (data.length <= HEADER_LENGTH || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const input = data.readDoubleLE(MAGIC.length);
  // A count that is not one (a damaged header) is taken as none read: the next run with input writes.
  return { payload: data.subarray(HEADER_LENGTH), input: Number.isFinite(input) && input >= 0 ? input : 0 };
}

/** Writes the cache of `script`, recording `input` (the characters this run read) in the header. */
function writeCache(file: string, script: Script, input: number): void {
  const dir = dirname(file);
  // Unique among concurrent writers by the process id; the random part only guards against a
  // stale file of a killed process with the same id.
  const tmp = `${file}.${process.pid}-${Math.random().toString(16).slice(2, 10)}.tmp`;
  try {
    const payload = withChecksums(() => script.createCachedData());
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const header = Buffer.alloc(HEADER_LENGTH);
    MAGIC.copy(header);
    header.writeDoubleLE(input, MAGIC.length);
    writeFileSync(tmp, Buffer.concat([header, payload]), { mode: 0o600 });
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

/** Answers `kro-gen`, `--help` and `--version` without the bundle; false for anything else. */
function answerTopLevel(argv: readonly string[]): boolean {
  let answer: ReturnType<typeof topLevelAnswer>;
  try {
    answer = topLevelAnswer(argv);
  } catch {
    return false; // The bundle's run() answers again, and reports the failure as kro-gen reports bugs.
  }
  if (answer === undefined) return false;
  exitQuietlyOnClosedPipe();
  process[answer.stream].write(answer.text);
  process.exitCode = answer.code;
  return true;
}

/**
 * The launcher's work: let a batch command tune V8's optimizing compiler (v8-tiering.ts), load the
 * bundle (with the cache unless turned off) and run the CLI. The cache is written at exit when `save`
 * finds it worth writing, and only after a run that ended normally (exit 0 or 1), so a usage error or a
 * crash does not leave a cache that holds little of the command.
 */
export function launchCli(bundle: string, bundleId: string): void {
  const argv = process.argv.slice(2);
  if (answerTopLevel(argv)) return;
  // The bundle imports peers (ts-morph) through the launcher's import(): see dynamic-import.ts.
  installImporter((specifier) => import(specifier));
  const budget = shortRunBudget(argv[0], process.env);
  if (budget !== undefined) allowShortRuns(budget);
  const dir = compileCacheDisabled(process.env) ? undefined : compileCacheDir(process.env);
  let cli: unknown;
  if (dir === undefined) {
    cli = requireBeside(bundle)(bundle);
  } else {
    const compiled = loadCompiled(bundle, compileCacheFile(dir, bundleId, argv[0], process.env));
    // save() decides whether this run's cache is worth writing (a first run, or much more input).
    process.once('exit', (code) => {
      if (code === 0 || code === 1) compiled.save();
    });
    cli = compiled.exports;
  }
  void (cli as { runProcess(argv: readonly string[]): Promise<void> }).runProcess(argv);
}

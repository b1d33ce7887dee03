// The launcher's code cache (src/cli/compile-cache.ts): it may only make a run faster. A missing,
// corrupt, foreign or unwritable cache must give the same module, never a crash.
//
// Each load that reads a cache runs in a process of its own, as the launcher does: within one process
// V8 finds a script it compiled before in its own memory and never looks at the cache given.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  compileCacheDir,
  compileCacheDisabled,
  compileCacheFile,
  loadCompiled,
  wrapForLauncher,
} from '../../../src/cli/compile-cache.js';

const root = mkdtempSync(join(tmpdir(), 'kro-gen-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// loadCompiled in a fresh node process: compile-cache.ts bundled once (plain node starts in tens of ms).
const runner = join(root, 'runner.mjs');
buildSync({
  stdin: {
    contents: `import { loadCompiled } from ${JSON.stringify(resolve('src/cli/compile-cache.ts'))};
import { installImporter } from ${JSON.stringify(resolve('src/dynamic-import.ts'))};
import { addInputRead } from ${JSON.stringify(resolve('src/cli/input-size.ts'))};
installImporter((specifier) => import(specifier)); // as launchCli does
const [file, cache, save, input] = process.argv.slice(2);
// The input the run read, as readInputs counts it.
if (input) addInputRead(Number(input));
const loaded = loadCompiled(file, cache);
if (save === 'save') loaded.save();
// A module that imports (as generate --typecheck imports ts-morph) exports a promise as 'later'.
const { later, ...exports } = loaded.exports;
if (later) exports.later = await later;
process.stdout.write(JSON.stringify({ state: loaded.state, exports }));
`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: runner,
  logLevel: 'silent',
});

/**
 * loadCompiled(file, cache) in a process of its own, then save() unless told otherwise; `input`: the
 * characters of input the run read, `env`: its environment's additions.
 */
function load(
  file: string,
  cache: string,
  save = true,
  input = 0,
  env: Record<string, string> = {},
): { state: string; exports: unknown } {
  const r = spawnSync(process.execPath, [runner, file, cache, save ? 'save' : '', String(input)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { state: string; exports: unknown };
}

let n = 0;
/** A CommonJS file with a few functions to compile, and a fresh cache path for it. */
function fixture(body = ''): { file: string; cache: string } {
  const dir = join(root, `case-${n++}`);
  const file = join(dir, 'bundle.cjs');
  const cache = join(dir, 'cache', 'test.bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    file,
    wrapForLauncher(`${body}
const { basename } = require('node:path');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
Object.assign(module.exports, { answer: fib(10), name: basename(__filename), dir: __dirname, self: this === module.exports });
`),
  );
  return { file, cache };
}

const expected = (file: string) => ({ answer: 55, name: 'bundle.cjs', dir: join(file, '..'), self: true });

describe('loadCompiled', () => {
  it('runs the file as require would, writes the cache once, then uses it', () => {
    const { file, cache } = fixture();
    expect(load(file, cache)).toEqual({ state: 'absent', exports: expected(file) });
    expect(readFileSync(cache).subarray(0, 24).toString()).toBe('kro-gen V8 code cache 3\n');
    const before = readFileSync(cache);
    // Used, and not rewritten.
    expect(load(file, cache)).toEqual({ state: 'used', exports: expected(file) });
    expect(readFileSync(cache).equals(before)).toBe(true);
  });

  it('has V8 reject a corrupt cache (V8 would crash on it) by its checksum, and replaces it', () => {
    const { file, cache } = fixture();
    load(file, cache);
    const good = readFileSync(cache);
    const flipped = (at: number) => {
      const data = Buffer.from(good);
      data[at] = (data[at] ?? 0) ^ 0x10;
      writeFileSync(cache, data);
      return load(file, cache, false);
    };
    // One flipped bit in the payload V8 deserializes: rejected.
    for (const at of [80, good.length >> 1, good.length - 1]) {
      expect(flipped(at), `bit flipped at ${at}`).toEqual({ state: 'rejected', exports: expected(file) });
    }
    // In V8's header (versions, flags, lengths, checksum): rejected, or harmless (a payload length
    // made shorter than the checksummed data that follows), never a different module or a crash.
    for (let at = 32; at < 64; at += 2) {
      expect(flipped(at).exports, `bit flipped at ${at}`).toEqual(expected(file));
    }
    const data = Buffer.from(good);
    for (let i = 68; i < data.length; i += 13) data[i] = (data[i] ?? 0) ^ 0x5a;
    writeFileSync(cache, data);
    expect(load(file, cache)).toEqual({ state: 'rejected', exports: expected(file) });
    expect(load(file, cache).state).toBe('used');
  });

  it('ignores truncated, empty and foreign files', () => {
    const { file, cache } = fixture();
    load(file, cache);
    const data = readFileSync(cache);
    for (const bad of [
      data.subarray(0, data.length - 100),
      data.subarray(0, 30),
      data.subarray(0, 32),
      data.subarray(0, 24),
      Buffer.alloc(0),
      Buffer.from('hello'),
      Buffer.concat([Buffer.from('kro-gen code cache 1\n'), data.subarray(24)]),
      // The format before the header held the input count: 24 bytes, then V8's payload.
      Buffer.concat([Buffer.from('kro-gen V8 code cache 2\n'), data.subarray(32)]),
    ]) {
      writeFileSync(cache, bad);
      const loaded = load(file, cache, false);
      expect(loaded.state).not.toBe('used');
      expect(loaded.exports).toEqual(expected(file));
    }
  });

  it('writes the cache again after a run over more than twice the input of the run that wrote it', () => {
    // `extra` is compiled only in runs that set EXTRA, as a larger input meets more of a command's code.
    const { file, cache } = fixture(
      // (A declared function, compiled when first called: V8 compiles a parenthesized one with its caller.)
      'function extra(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }\nif (process.env.EXTRA) module.exports.extra = extra(10);\n',
    );
    const header = () => readFileSync(cache).subarray(0, 32);
    const recorded = () => header().readDoubleLE(24);
    expect(load(file, cache, true, 1000).state).toBe('absent');
    expect(recorded()).toBe(1000);
    const small = readFileSync(cache);
    // Up to twice the input: used and left alone, whatever it compiled.
    for (const input of [0, 1000, 2000]) {
      expect(load(file, cache, true, input, { EXTRA: '1' })).toEqual({
        state: 'used',
        exports: { ...expected(file), extra: 45 },
      });
      expect(readFileSync(cache).equals(small)).toBe(true);
    }
    // More: written again, with what this run compiled besides what it read from the cache.
    expect(load(file, cache, true, 2001, { EXTRA: '1' }).state).toBe('used');
    expect(recorded()).toBe(2001);
    const grown = readFileSync(cache);
    expect(grown.length).toBeGreaterThan(small.length);
    expect(load(file, cache, true, 4000, { EXTRA: '1' })).toEqual({
      state: 'used',
      exports: { ...expected(file), extra: 45 },
    });
    expect(readFileSync(cache).equals(grown)).toBe(true);
    // A damaged count reads as none: the next run with input writes the cache again.
    const damaged = Buffer.from(grown);
    damaged.writeDoubleLE(Number.NaN, 24);
    writeFileSync(cache, damaged);
    expect(load(file, cache, true, 1).state).toBe('used');
    expect(recorded()).toBe(1);
  });

  it('does not write a used cache again without being asked to save', () => {
    const { file, cache } = fixture();
    load(file, cache, true, 10);
    const before = readFileSync(cache);
    expect(load(file, cache, false, 1000).state).toBe('used');
    expect(readFileSync(cache).equals(before)).toBe(true);
  });

  it('lets V8 reject the cache of another source, and rewrites it', () => {
    const a = fixture();
    const b = fixture('// a longer source than the other one\n');
    load(a.file, a.cache);
    expect(load(b.file, a.cache)).toEqual({ state: 'rejected', exports: expected(b.file) });
    expect(load(b.file, a.cache).state).toBe('used');
  });

  it("turns V8's checksums on only while it reads and writes a cache", () => {
    const { file, cache } = fixture();
    const v8 = process.getBuiltinModule('node:v8');
    const setFlags = vi.spyOn(v8, 'setFlagsFromString');
    try {
      const loaded = loadCompiled(file, cache);
      expect(setFlags.mock.calls).toEqual([
        ['--verify-snapshot-checksum'],
        ['--no-verify-snapshot-checksum'],
      ]);
      setFlags.mockClear();
      loaded.save();
      expect(setFlags.mock.calls).toEqual([
        ['--verify-snapshot-checksum'],
        ['--no-verify-snapshot-checksum'],
      ]);
    } finally {
      setFlags.mockRestore();
    }
  });

  it('lets the module import() a package through the launcher, with the cache as without it', () => {
    // On Node 20 an import() in a script compiled with a code cache fails ("A dynamic import callback
    // was not specified"): the bundle imports through src/dynamic-import.ts.
    const { file, cache } = fixture(
      "exports.later = globalThis[Symbol.for('kro-gen.import')]('node:path').then((m) => typeof m.join);\n",
    );
    const withLater = { ...expected(file), later: 'function' };
    expect(load(file, cache)).toEqual({ state: 'absent', exports: withLater });
    expect(load(file, cache)).toEqual({ state: 'used', exports: withLater });
  });

  it('gives the same module as require() of the same file (the launcher without its cache)', () => {
    const { file, cache } = fixture();
    expect(createRequire(file)(file)).toEqual(expected(file));
    expect(loadCompiled(file, cache).exports).toEqual(expected(file));
  });

  it('runs without a cache where none can be written, silently', () => {
    const { file } = fixture();
    // A file where the cache directory should be: mkdir fails, whoever runs the test (root too).
    const blocker = join(root, 'not-a-dir');
    writeFileSync(blocker, '');
    const cache = join(blocker, 'cache', 'x.bin');
    const loaded = loadCompiled(file, cache);
    expect(loaded.exports).toEqual(expected(file));
    expect(() => loaded.save()).not.toThrow();
    expect(existsSync(join(blocker, 'cache'))).toBe(false);
  });

  it('removes stale temporary files and old caches when it writes, keeps recent ones', () => {
    const { file, cache } = fixture();
    loadCompiled(file, cache).save();
    const dir = join(cache, '..');
    const old = Date.now() / 1000 - 40 * 24 * 3600;
    writeFileSync(join(dir, 'validate-old.bin'), 'x');
    utimesSync(join(dir, 'validate-old.bin'), old, old);
    writeFileSync(join(dir, 'x.bin.1-ab.tmp'), 'x');
    utimesSync(join(dir, 'x.bin.1-ab.tmp'), old, old);
    writeFileSync(join(dir, 'generate-recent.bin'), 'x');
    writeFileSync(cache, 'corrupt');
    loadCompiled(file, cache).save();
    expect(readdirSync(dir).sort()).toEqual(['generate-recent.bin', 'test.bin']);
  });
});

describe('where the cache lives', () => {
  const home = () => '/home/u';
  it('follows XDG_CACHE_HOME when absolute, else the platform convention', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', home)).toBe(
      '/x/cache/kro-gen/code-cache',
    );
    expect(compileCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', home)).toBe(
      '/home/u/.cache/kro-gen/code-cache',
    );
    expect(compileCacheDir({}, 'darwin', home)).toBe('/home/u/Library/Caches/kro-gen/code-cache');
    expect(compileCacheDir({ LOCALAPPDATA: '/appdata' }, 'win32', home)).toBe(
      join('/appdata', 'kro-gen', 'code-cache'),
    );
  });

  it('has no cache without a home directory', () => {
    const none = () => {
      throw new Error('no home');
    };
    expect(compileCacheDir({}, 'linux', none)).toBeUndefined();
  });

  it('is turned off by KRO_GEN_NO_COMPILE_CACHE or NODE_DISABLE_COMPILE_CACHE', () => {
    expect(compileCacheDisabled({})).toBe(false);
    expect(compileCacheDisabled({ KRO_GEN_NO_COMPILE_CACHE: '1' })).toBe(true);
    expect(compileCacheDisabled({ NODE_DISABLE_COMPILE_CACHE: '1' })).toBe(true);
  });

  it('names one file per command and bundle, and never a path from the arguments', () => {
    const [a, b] = ['0123456789abcdef', '0123456789abcdee'];
    const name = (id: string, cmd: string | undefined, env = {}) => compileCacheFile('/c', id, cmd, env);
    expect(name(a, 'validate')).toMatch(/^\/c\/validate-0123456789abcdef[0-9a-f]{8}\.bin$/);
    expect(name(a, 'validate')).toBe(name(a, 'validate'));
    expect(name(a, 'validate')).not.toBe(name(b, 'validate'));
    expect(name(a, 'validate')).not.toBe(name(a, 'validate', { NODE_OPTIONS: '--max-old-space-size=100' }));
    expect(name(a, '../../etc/passwd')).toMatch(/^\/c\/other-/);
    expect(name(a, '--version')).toMatch(/^\/c\/other-/);
    expect(name(a, undefined)).toMatch(/^\/c\/other-/);
  });
});

// The launcher's code cache (src/cli/compile-cache.ts): it may only make a run faster. A missing,
// corrupt, foreign or unwritable cache must give the same module, never a crash.
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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compileCacheDir,
  compileCacheDisabled,
  compileCacheFile,
  loadCompiled,
} from '../../../src/cli/compile-cache.js';

const root = mkdtempSync(join(tmpdir(), 'kro-gen-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A CommonJS file with a few functions to compile, and a fresh cache path for it. */
function fixture(body = ''): { file: string; cache: string } {
  const dir = join(root, `case-${n++}`);
  const file = join(dir, 'bundle.cjs');
  const cache = join(dir, 'cache', 'test.bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    file,
    `${body}
const { basename } = require('node:path');
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
module.exports = { answer: fib(10), name: basename(__filename), dir: __dirname, self: this === module.exports };
`,
  );
  return { file, cache };
}

const expected = (file: string) => ({ answer: 55, name: 'bundle.cjs', dir: join(file, '..'), self: true });

describe('loadCompiled', () => {
  it('runs the file as require would, writes the cache once, then uses it', () => {
    const { file, cache } = fixture();
    const first = loadCompiled(file, cache);
    expect(first.exports).toEqual(expected(file));
    expect(first.state).toBe('absent');
    first.save();
    expect(readFileSync(cache).subarray(0, 21).toString()).toBe('kro-gen code cache 1\n');
    const second = loadCompiled(file, cache);
    expect(second.state).toBe('used');
    expect(second.exports).toEqual(expected(file));
    const before = readFileSync(cache);
    second.save(); // a used cache is not rewritten
    expect(readFileSync(cache).equals(before)).toBe(true);
  });

  it('ignores a corrupt cache (V8 would crash on it) and replaces it', () => {
    const { file, cache } = fixture();
    loadCompiled(file, cache).save();
    const data = readFileSync(cache);
    for (let i = 60; i < data.length; i += 13) data[i] = (data[i] ?? 0) ^ 0x5a;
    writeFileSync(cache, data);
    const loaded = loadCompiled(file, cache);
    expect(loaded.state).toBe('absent');
    expect(loaded.exports).toEqual(expected(file));
    loaded.save();
    expect(loadCompiled(file, cache).state).toBe('used');
  });

  it('ignores truncated, empty and foreign files', () => {
    const { file, cache } = fixture();
    loadCompiled(file, cache).save();
    const data = readFileSync(cache);
    for (const bad of [
      data.subarray(0, data.length - 100),
      data.subarray(0, 30),
      Buffer.alloc(0),
      Buffer.from('hello'),
    ]) {
      writeFileSync(cache, bad);
      const loaded = loadCompiled(file, cache);
      expect(loaded.state).toBe('absent');
      expect(loaded.exports).toEqual(expected(file));
    }
  });

  it('lets V8 reject the cache of another source, and rewrites it', () => {
    const a = fixture();
    const b = fixture('// a longer source than the other one\n');
    loadCompiled(a.file, a.cache).save();
    const loaded = loadCompiled(b.file, a.cache);
    expect(loaded.state).toBe('rejected');
    expect(loaded.exports).toEqual(expected(b.file));
    loaded.save();
    expect(loadCompiled(b.file, a.cache).state).toBe('used');
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
    const name = (id: string, cmd: string | undefined, env = {}) => compileCacheFile('/c', id, cmd, env);
    expect(name('a', 'validate')).toMatch(/^\/c\/validate-[0-9a-f]{24}\.bin$/);
    expect(name('a', 'validate')).toBe(name('a', 'validate'));
    expect(name('a', 'validate')).not.toBe(name('b', 'validate'));
    expect(name('a', 'validate')).not.toBe(
      name('a', 'validate', { NODE_OPTIONS: '--max-old-space-size=100' }),
    );
    expect(name('a', '../../etc/passwd')).toMatch(/^\/c\/other-/);
    expect(name('a', '--version')).toMatch(/^\/c\/other-/);
    expect(name('a', undefined)).toMatch(/^\/c\/other-/);
  });
});

// writeFilesAtomic into a new directory that another process creates (and writes into) while the
// files are being written: renaming the temporary directory over it fails, and the files are moved
// one by one instead, as into any existing directory. The race is staged by wrapping renameSync.
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const race = vi.hoisted(() => ({ before: undefined as ((from: string, to: string) => void) | undefined }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      race.before?.(String(from), String(to));
      real.renameSync(from, to);
    },
  };
});

const { writeFilesAtomic } = await import('../../../src/cli/output.js');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-race-'));
});
afterEach(() => {
  race.before = undefined;
  rmSync(root, { recursive: true, force: true });
});

describe('writeFilesAtomic into a directory made meanwhile', () => {
  it('moves the files into it one by one, keeping what the other process wrote', async () => {
    race.before = (from, to) => {
      if (to !== join(root, 'out')) return;
      race.before = undefined;
      fs.mkdirSync(to);
      fs.writeFileSync(join(to, 'theirs.ts'), 'theirs');
      fs.writeFileSync(join(to, 'a.ts'), 'old');
      expect(from.endsWith('.kro-gen.tmp')).toBe(true);
    };
    await writeFilesAtomic(
      [
        { path: 'out/a.ts', content: 'a' },
        { path: 'out/b.ts', content: 'b' },
      ],
      root,
    );
    expect(readdirSync(root)).toEqual(['out']);
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['a.ts', 'b.ts', 'theirs.ts']);
    expect(readFileSync(join(root, 'out/a.ts'), 'utf8')).toBe('a');
  });

  it('fails with nothing renamed when the other process put a directory where a file goes', async () => {
    race.before = (_from, to) => {
      if (to !== join(root, 'out')) return;
      race.before = undefined;
      fs.mkdirSync(join(to, 'b.ts'), { recursive: true });
    };
    await expect(
      writeFilesAtomic(
        [
          { path: 'out/a.ts', content: 'a' },
          { path: 'out/b.ts', content: 'b' },
        ],
        root,
      ),
    ).rejects.toThrow('out/b.ts exists and is a directory');
    expect(readdirSync(root)).toEqual(['out']);
    expect(readdirSync(join(root, 'out'))).toEqual(['b.ts']);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { progress, toJsonText, toYaml, toYamlStream, writeFilesAtomic } from '../../../src/cli/output.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-out-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('toYaml', () => {
  it('quotes strings YAML 1.1 readers would take for other types, and never folds long lines', () => {
    const long = 'word '.repeat(60).trim();
    const text = toYaml({ a: 'yes', b: 'on', c: '0755', d: 'n', e: 'plain', f: long, g: 3 });
    expect(text).toBe(`a: "yes"\nb: "on"\nc: "0755"\nd: "n"\ne: plain\nf: ${long}\ng: 3\n`);
  });

  it('writes shared objects twice instead of using anchors', () => {
    const shared = { k: 'v' };
    expect(toYaml({ a: shared, b: shared })).toBe('a:\n  k: v\nb:\n  k: v\n');
  });

  it('separates documents with ---', () => {
    expect(toYamlStream([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });

  it('prints JSON with two-space indentation and a final newline', () => {
    expect(toJsonText({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});

describe('writeFilesAtomic', () => {
  it('writes every file, creating directories, and leaves no temporary files', async () => {
    await writeFilesAtomic(
      [
        { path: 'out/a.yaml', content: 'a' },
        { path: 'out/deep/b.yaml', content: 'b' },
      ],
      root,
    );
    expect(readFileSync(join(root, 'out/a.yaml'), 'utf8')).toBe('a');
    expect(readFileSync(join(root, 'out/deep/b.yaml'), 'utf8')).toBe('b');
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['a.yaml', 'deep']);
  });

  it('replaces existing files', async () => {
    writeFileSync(join(root, 'x.yaml'), 'old');
    await writeFilesAtomic([{ path: 'x.yaml', content: 'new' }], root);
    expect(readFileSync(join(root, 'x.yaml'), 'utf8')).toBe('new');
  });

  it('writes nothing when one of the files cannot be written', async () => {
    writeFileSync(join(root, 'blocker'), 'a file where a directory is needed');
    writeFileSync(join(root, 'keep.yaml'), 'old');
    await expect(
      writeFilesAtomic(
        [
          { path: 'keep.yaml', content: 'new' },
          { path: 'blocker/b.yaml', content: 'b' },
        ],
        root,
      ),
    ).rejects.toThrow();
    expect(readFileSync(join(root, 'keep.yaml'), 'utf8')).toBe('old');
    expect(readdirSync(root).sort()).toEqual(['blocker', 'keep.yaml']);
    expect(existsSync(join(root, 'blocker', 'b.yaml'))).toBe(false);
  });
});

describe('progress', () => {
  it('draws only on a terminal and only for long runs', () => {
    let err = '';
    const io = {
      stdout() {},
      stderr: (s: string) => {
        err += s;
      },
      cwd: root,
      env: {},
    };
    const quiet = progress({ ...io, stderrIsTTY: false }, 'crd', 100);
    quiet.tick();
    quiet.done();
    const short = progress({ ...io, stderrIsTTY: true }, 'crd', 3);
    short.tick();
    expect(err).toBe('');
    const bar = progress({ ...io, stderrIsTTY: true }, 'crd', 50);
    bar.tick('one');
    bar.done();
    expect(err).toBe('\r\x1b[Kcrd 1/50 one\r\x1b[K');
  });
});

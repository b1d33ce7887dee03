import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureDir,
  OutputDirError,
  progress,
  toJsonText,
  toYaml,
  toYamlStream,
  writeFilesAtomic,
} from '../../../src/cli/output.js';
import { runCli } from '../../helpers/cli.js';

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

  it('writes the files of a new directory in a temporary one beside it, renamed into place', async () => {
    await writeFilesAtomic(
      [
        { path: 'new/deeper/a.ts', content: 'a' },
        { path: 'new/deeper/b.ts', content: 'b' },
      ],
      root,
    );
    expect(readdirSync(join(root, 'new'))).toEqual(['deeper']);
    expect(readdirSync(join(root, 'new/deeper')).sort()).toEqual(['a.ts', 'b.ts']);
    expect(readFileSync(join(root, 'new/deeper/b.ts'), 'utf8')).toBe('b');
  });

  it('leaves no directory, temporary or new, when a file of a new directory cannot be written', async () => {
    await expect(
      writeFilesAtomic(
        [
          { path: 'new/a.ts', content: 'a' },
          { path: `new/${'x'.repeat(300)}.ts`, content: 'too long a name' },
        ],
        root,
      ),
    ).rejects.toThrow(/ENAMETOOLONG/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a file written twice before writing any', async () => {
    await expect(
      writeFilesAtomic(
        [
          { path: 'new/a.ts', content: 'a' },
          { path: 'new/../new/a.ts', content: 'b' },
        ],
        root,
      ),
    ).rejects.toThrow('new/../new/a.ts is written twice');
    expect(readdirSync(root)).toEqual([]);
  });

  it('checks every target before renaming any: a directory where a file goes changes nothing, leaves no temporaries', async () => {
    writeFileSync(join(root, 'a.yaml'), 'old');
    mkdirSync(join(root, 'b.yaml'));
    await expect(
      writeFilesAtomic(
        [
          { path: 'a.yaml', content: 'new' },
          { path: 'b.yaml', content: 'b' },
        ],
        root,
      ),
    ).rejects.toThrow('b.yaml exists and is a directory');
    expect(readFileSync(join(root, 'a.yaml'), 'utf8')).toBe('old');
    expect(readdirSync(root).sort()).toEqual(['a.yaml', 'b.yaml']);
    expect(readdirSync(join(root, 'b.yaml'))).toEqual([]);
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

describe('ensureDir', () => {
  it('creates missing levels one by one and accepts existing directories', () => {
    ensureDir(join(root, 'a/b/c'));
    ensureDir(join(root, 'a/b/c'));
    expect(readdirSync(join(root, 'a/b'))).toEqual(['c']);
  });

  it('names a file in the way', () => {
    writeFileSync(join(root, 'f'), 'x');
    expect(() => ensureDir(join(root, 'f/sub/deeper'))).toThrow(`${join(root, 'f')} is not a directory`);
  });

  it('names the missing target of a symbolic link in the way', () => {
    symlinkSync(join(root, 'gone'), join(root, 'link'));
    expect(() => ensureDir(join(root, 'link', 'sub'))).toThrow(
      `cannot create directory ${join(root, 'link')}: it is a symbolic link to ${join(root, 'gone')}, which does not exist`,
    );
  });

  it.runIf(existsSync('/proc/self'))(
    'fails at once where a recursive mkdir never returns (/proc)',
    async () => {
      expect(() => ensureDir('/proc/kro-gen-nope/x')).toThrow('cannot create directory /proc/kro-gen-nope');
      await expect(
        writeFilesAtomic([{ path: '/proc/kro-gen-nope/a.yaml', content: 'a' }], root),
      ).rejects.toThrow(OutputDirError);
    },
    3000,
  );
});

describe.runIf(existsSync('/proc/self'))('commands with --out under /proc', () => {
  const rgd = new URL('../../../examples/web-app/rgd.yaml', import.meta.url).pathname;
  const instances = new URL('../../../examples/web-app/instances', import.meta.url).pathname;
  it.each([
    ['crd', rgd, '--out', '/proc/kro-gen-nope'],
    ['generate', rgd, '--out', '/proc/kro-gen-nope'],
    ['synth', rgd, '-i', instances, '--out', '/proc/kro-gen-nope/deeper'],
  ])(
    '%s: one line, exit 1',
    async (...argv) => {
      const r = await runCli(root, argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(
        /^error: cannot write to \/proc\/kro-gen-nope[^\n]*: cannot create directory \/proc\/kro-gen-nope\b[^\n]*\n$/,
      );
    },
    5000,
  );
});

describe('generate into an --out holding other things', () => {
  const rgd = new URL('../../../examples/web-app/rgd.yaml', import.meta.url).pathname;

  it('leaves a directory named like a module alone', async () => {
    mkdirSync(join(root, 'out', 'mine.ts'), { recursive: true });
    const r = await runCli(root, ['generate', rgd, '--out', 'out']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, 'out', 'mine.ts'))).toEqual([]);
    expect(readdirSync(join(root, 'out'))).toContain('index.ts');
  });

  it('says where a dangling symbolic link --out points, exit 1', async () => {
    symlinkSync(join(root, 'gone'), join(root, 'out'));
    const r = await runCli(root, ['generate', rgd, '--out', 'out']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`it is a symbolic link to ${join(root, 'gone')}, which does not exist`);
    expect(existsSync(join(root, 'gone'))).toBe(false);
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

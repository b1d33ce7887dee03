import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/cli/inputs.js';
import type { Io } from '../../../src/cli/io.js';

let root: string;
const io = (extra: Partial<Io> = {}): Io => ({ stdout() {}, stderr() {}, cwd: root, env: {}, ...extra });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-inputs-'));
  const files: Record<string, string> = {
    'd/b.yaml': 'b',
    'd/a.yml': 'a',
    'd/notes.txt': 'skip me',
    'd/sub/c.yaml': 'c',
    'd/Z.yaml': 'Z',
    'd/node_modules/x.yaml': 'dep',
    'd/.hidden/y.yaml': 'hidden',
    'single.json': '{}',
    'bom.yaml': '\uFEFFkey: 1',
    'big.yaml': 'x'.repeat(200),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  symlinkSync(join(root, 'd'), join(root, 'd', 'sub', 'loop'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readInputs', () => {
  it('walks directories recursively in code-point order, YAML files only, skipping node_modules and dot-dirs', async () => {
    const r = await readInputs(['d'], io());
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => [f.path, f.text])).toEqual([
      ['d/Z.yaml', 'Z'],
      ['d/a.yml', 'a'],
      ['d/b.yaml', 'b'],
      ['d/sub/c.yaml', 'c'],
    ]);
  });

  it('reads a file named explicitly whatever its extension, keeps argument order and drops repeats', async () => {
    const r = await readInputs(['single.json', 'd/b.yaml', 'd', './single.json'], io());
    expect(r.files.map((f) => f.path)).toEqual([
      'single.json',
      'd/b.yaml',
      'd/Z.yaml',
      'd/a.yml',
      'd/sub/c.yaml',
    ]);
  });

  it('reads a file once however it is reached: through symlinks to it or to a directory above it', async () => {
    mkdirSync(join(root, 'links'));
    symlinkSync(join(root, 'd', 'b.yaml'), join(root, 'links', 'to-b.yaml'));
    symlinkSync(join(root, 'd', 'sub'), join(root, 'links', 'sub'));
    const r = await readInputs(
      ['links/to-b.yaml', 'd/sub/../b.yaml', 'links/sub/c.yaml', 'd/sub/loop/sub/c.yaml', 'd/b.yaml'],
      io(),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => [f.path, f.text])).toEqual([
      ['links/to-b.yaml', 'b'],
      ['links/sub/c.yaml', 'c'],
    ]);
    // Each argument still names the file it reached, read or not.
    expect(r.args.map((a) => a.files.map((f) => f.path))).toEqual([
      ['links/to-b.yaml'],
      ['links/to-b.yaml'],
      ['links/sub/c.yaml'],
      ['links/sub/c.yaml'],
      ['links/to-b.yaml'],
    ]);
  });

  it('reads small and large files one after another whole, characters across chunk boundaries too', async () => {
    // Past 1 MiB a file is read in chunks; a 2-byte character sits across the first boundary.
    const large = `${'y'.repeat((1 << 20) - 1)}é${'z'.repeat(300_000)}ü`;
    writeFileSync(join(root, 'large.yaml'), large);
    writeFileSync(join(root, 'mid.yaml'), 'ä'.repeat(40_000));
    const r = await readInputs(['d/b.yaml', 'large.yaml', 'd/a.yml', 'mid.yaml', 'big.yaml'], io());
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.text)).toEqual(['b', large, 'a', 'ä'.repeat(40_000), 'x'.repeat(200)]);
  });

  it('strips a byte-order mark', async () => {
    const r = await readInputs(['bom.yaml'], io());
    expect(r.files[0]?.text).toBe('key: 1');
  });

  it('reports a missing path and still reads the others', async () => {
    const r = await readInputs(['nope.yaml', 'd/a.yml'], io());
    expect(r.files.map((f) => f.path)).toEqual(['d/a.yml']);
    expect(r.diagnostics).toEqual([
      { severity: 'error', message: 'cannot read nope.yaml: no such file or directory', code: 'io/read' },
    ]);
  });

  it('refuses files over the size cap without reading them', async () => {
    const r = await readInputs(['big.yaml'], io(), { maxFileBytes: 100 });
    expect(r.files).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({
      code: 'yaml/too-large',
      pos: { file: 'big.yaml', line: 1, col: 1 },
    });
  });

  it('reads standard input for -', async () => {
    const r = await readInputs(
      ['-'],
      io({
        stdin: async function* () {
          yield 'from: ';
          yield Buffer.from('stdin');
        },
      }),
    );
    expect(r.files).toEqual([{ path: '<stdin>', text: 'from: stdin' }]);
  });
});

describe('readInputs: sources that are not regular files', () => {
  it('stops reading standard input once it passes the cap, whatever its length', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(64, 'a');
      }
    }
    const r = await readInputs(['-'], io({ stdin: endless }), { maxFileBytes: 1000 });
    expect(r.files).toEqual([]);
    expect(r.args[0]?.failed).toBe(true);
    expect(r.diagnostics[0]).toMatchObject({
      code: 'yaml/too-large',
      message: 'file is too large (more than 1000 bytes; the limit is 1000 bytes)',
      pos: { file: '<stdin>', line: 1, col: 1 },
    });
    expect(pulled).toBe(16);
  });

  it('refuses a FIFO without opening it for a blocking read (no writer ever comes)', async () => {
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
    const r = await readInputs(['pipe.yaml'], io());
    expect(r.files).toEqual([]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'cannot read pipe.yaml: a FIFO, not a regular file (to read a stream, pipe it to standard input and pass -)',
    ]);
  });

  it('refuses a device such as /dev/urandom before reading from it', async () => {
    const r = await readInputs(['/dev/urandom'], io());
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'cannot read /dev/urandom: a character device, not a regular file (to read a stream, pipe it to standard input and pass -)',
    ]);
  });

  it('skips FIFOs met in a directory walk, as it skips other non-YAML entries', async () => {
    mkdirSync(join(root, 'withpipe'));
    writeFileSync(join(root, 'withpipe', 'a.yaml'), 'a: 1');
    execFileSync('mkfifo', [join(root, 'withpipe', 'b.yaml')]);
    const r = await readInputs(['withpipe'], io());
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual(['withpipe/a.yaml']);
  });

  it('reads hard links to one file as the files they are named as (their real paths differ)', async () => {
    mkdirSync(join(root, 'hard'));
    writeFileSync(join(root, 'hard', 'one.yaml'), 'one: 1');
    linkSync(join(root, 'hard', 'one.yaml'), join(root, 'hard', 'two.yaml'));
    symlinkSync(join(root, 'hard', 'two.yaml'), join(root, 'hard', 'to-two.yaml'));
    const r = await readInputs(['hard/one.yaml', 'hard/two.yaml', 'hard/to-two.yaml', 'hard'], io());
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => [f.path, f.text])).toEqual([
      ['hard/one.yaml', 'one: 1'],
      ['hard/two.yaml', 'one: 1'],
    ]);
    expect(r.args.map((a) => a.files.map((f) => f.path))).toEqual([
      ['hard/one.yaml'],
      ['hard/two.yaml'],
      ['hard/two.yaml'],
      ['hard/one.yaml', 'hard/two.yaml', 'hard/two.yaml'],
    ]);
  });

  it('reports a file that fails once, however often it is named', async () => {
    execFileSync('mkfifo', [join(root, 'twice.yaml')]);
    symlinkSync(join(root, 'twice.yaml'), join(root, 'to-twice.yaml'));
    symlinkSync(join(root, 'nowhere.yaml'), join(root, 'dangling.yaml'));
    const r = await readInputs(
      ['twice.yaml', 'to-twice.yaml', './twice.yaml', 'dangling.yaml', 'd/a.yml'],
      io(),
    );
    expect(r.files.map((f) => f.path)).toEqual(['d/a.yml']);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'cannot read twice.yaml: a FIFO, not a regular file (to read a stream, pipe it to standard input and pass -)',
      'cannot read dangling.yaml: no such file or directory',
    ]);
    expect(r.args.map((a) => a.failed)).toEqual([true, true, true, true, false]);
  });

  it('reads a file given by an absolute path or one with `.` and `..` in it as the same file', async () => {
    const r = await readInputs(
      [join(root, 'd', 'b.yaml'), 'd/./b.yaml', 'd//sub/../b.yaml', 'd/b.yaml'],
      io(),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual([join(root, 'd', 'b.yaml')]);
    expect(r.args.every((a) => a.files.length === 1 && !a.failed)).toBe(true);
  });
});

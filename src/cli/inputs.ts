// Reading the files a command was given: files as named, directories walked recursively for YAML,
// `-` for standard input. Paths in messages stay as the user wrote them, so editors can open them.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
  statSync,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { type Diagnostic, error } from '../diagnostics.js';
import { DEFAULT_YAML_LIMITS, type SourceFile } from '../rgd/yaml.js';
import type { Io } from './io.js';
import { noteInputRead } from './v8-tiering.js';

export interface ReadInputsOptions {
  /** File name endings collected from directories (files named explicitly are always read). */
  readonly extensions?: readonly string[];
  readonly maxFileBytes?: number;
}

/** What one argument contributed. */
export interface InputArg {
  /** As the user wrote it. */
  readonly arg: string;
  /** Its files, including those an earlier argument already read (they are in `files` once). */
  readonly files: readonly SourceFile[];
  /** Whether reading it (or something in it) failed; the failure is among the diagnostics. */
  readonly failed: boolean;
}

export interface Inputs {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /** Per argument, in argument order. */
  readonly args: InputArg[];
}

export const YAML_EXTENSIONS = ['.yaml', '.yml'];
/** Directories a walk never enters: dependencies and hidden directories such as `.git`. */
const SKIPPED_DIRS = new Set(['node_modules']);
export const STDIN_NAME = '<stdin>';

/**
 * The path `absolute` names with every symlink followed: the key under which a file named twice is
 * read once, and a directory walk notices a loop. Never shown. realpathSync.native is one call into
 * the C library, where the JavaScript realpathSync lstat()s each component of each path in turn
 * (nearly 500 calls for 41 files). Where the native one fails and the JavaScript one might not
 * (on Windows, drives that cannot report a final path, such as some RAM disks), the JavaScript one
 * answers. The native one may also resolve more (a Windows subst drive, a case-insensitive name on
 * macOS): a key that is more canonical only finds more repeats of the same file.
 */
function realPath(absolute: string): string {
  try {
    return realpathSync.native(absolute);
  } catch {
    return realpathSync(absolute);
  }
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

/** What a path is when it is neither a regular file nor a directory, for messages. */
function special(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The outcome of reading one source under the size cap. */
export type Capped =
  | { readonly text: string }
  /** `exact`: the size is known (from a stat), not just where reading stopped. */
  | { readonly tooLarge: number; readonly exact: boolean }
  | { readonly notRegular: string };

const CHUNK = 1 << 20;
const MIN_CHUNK = 1 << 16;

/** Text of `chunks`, stopping as soon as it passes `maxBytes` (never holding more than that plus a chunk). */
export async function readCapped(
  chunks: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
): Promise<Capped> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += buf.length;
    // Leaving the loop ends the iteration, which closes a stream such as process.stdin.
    if (total > maxBytes) return { tooLarge: total, exact: false };
    parts.push(buf);
  }
  return { text: Buffer.concat(parts).toString('utf8') };
}

/**
 * A regular file's text under the size cap. It is opened without blocking and checked on the open
 * descriptor, so a FIFO (whose open would wait for a writer forever) or a device such as
 * /dev/urandom (endless) is refused before anything is read, even if it replaced a file since a stat.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Capped> {
  // Loaded on first use: the command line's files are read synchronously (below), and loading
  // node:fs/promises costs a short run about a millisecond.
  const { open } = process.getBuiltinModule('node:fs/promises');
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { notRegular: special(info) };
    if (info.size > maxBytes) return { tooLarge: info.size, exact: true };
    // One buffer per file, sized to it (a zeroed 1 MiB per read was most of reading a thousand
    // small instance files); readCapped copies each chunk before the next read reuses it.
    const size = Math.min(CHUNK, Math.max(info.size + 1, MIN_CHUNK));
    const buffer = Buffer.allocUnsafe(size);
    async function* chunks() {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, size, null);
        if (bytesRead === 0) return;
        yield buffer.subarray(0, bytesRead);
      }
    }
    // The size can grow after the stat (or be 0, as under /proc): the cap holds while reading.
    return await readCapped(chunks(), maxBytes);
  } finally {
    await handle.close();
  }
}

/**
 * readRegularFile without the event loop: the same checks, for the command line's inputs. A
 * thousand small instance files cost six thread-pool round trips each when read asynchronously,
 * with nothing else for the process to do meanwhile.
 */
export function readRegularFileSync(path: string, maxBytes: number): Capped {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    return readOpenFile(fd, fstatSync(fd), maxBytes);
  } finally {
    closeSync(fd);
  }
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** readRegularFileSync on a descriptor already open (and fstat()ed as `info`), left open. */
function readOpenFile(fd: number, info: Stats, maxBytes: number): Capped {
  if (!info.isFile()) return { notRegular: special(info) };
  if (info.size > maxBytes) return { tooLarge: info.size, exact: true };
  const size = Math.min(CHUNK, Math.max(info.size + 1, MIN_CHUNK));
  const buffer = readBuffer(size);
  // Chunks read fill the buffer (copied out only when it is full), so that a file that fits is
  // decoded from it directly.
  const parts: Buffer[] = [];
  let filled = 0;
  let total = 0;
  // The size can grow after the stat (or be 0, as under /proc): the cap holds while reading.
  for (;;) {
    if (filled === size) {
      parts.push(Buffer.from(buffer));
      filled = 0;
    }
    const wanted = size - filled;
    const bytesRead = readSync(fd, buffer, filled, wanted, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
    total += bytesRead;
    if (total > maxBytes) return { tooLarge: total, exact: false };
    // A short read that reaches the size the stat gave is the end of the file: one read() a file
    // instead of a second one to be told so. Anything else (size 0 under /proc, a file that grew,
    // a file system that reads in pieces) reads on until read() gives nothing.
    if (bytesRead < wanted && total === info.size && info.size > 0) break;
  }
  if (parts.length === 0) return { text: buffer.toString('utf8', 0, filled) };
  parts.push(buffer.subarray(0, filled));
  return { text: Buffer.concat(parts).toString('utf8') };
}

let smallFileBuffer: Buffer | undefined;

/**
 * A buffer of `size` bytes to read a file into. Small files share one: one of their own each
 * (64 KiB for a 200-byte instance) made a run over a thousand files allocate 64 MB outside the
 * heap, which the GC then chased.
 */
function readBuffer(size: number): Buffer {
  if (size !== MIN_CHUNK) return Buffer.allocUnsafe(size);
  smallFileBuffer ??= Buffer.allocUnsafe(MIN_CHUNK);
  return smallFileBuffer;
}

function tooLarge(display: string, read: { tooLarge: number; exact: boolean }, maxBytes: number): Diagnostic {
  const size = read.exact ? `${read.tooLarge} bytes` : `more than ${maxBytes} bytes`;
  return error(
    `file is too large (${size}; the limit is ${maxBytes} bytes)`,
    { file: display, line: 1, col: 1 },
    'yaml/too-large',
  );
}

const stripBom = (text: string) => (text.startsWith('\uFEFF') ? text.slice(1) : text);

/** Codepoint order, independent of locale, so runs agree across machines. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A file opened and read (or refused) by readInputs, kept by device and inode. */
interface Opened {
  readonly absolute: string;
  /** Its real path, once asked for. */
  real?: string;
  /** Undefined when reading it failed (that was reported). */
  file?: SourceFile | undefined;
}

/**
 * `dir/arg` for a relative POSIX path with nothing for path.resolve to normalize (no `.` or `..`
 * segment, no empty one), else undefined. path.resolve walks its input a character at a time in
 * the interpreter, for each of a command's files; a path built so names the same file.
 */
function joinPlain(dir: string, arg: string): string | undefined {
  if (arg === '' || arg.startsWith('/') || arg.endsWith('/') || arg.startsWith('.')) return undefined;
  if (arg.includes('//') || arg.includes('/.')) return undefined;
  return dir.endsWith('/') ? dir + arg : `${dir}/${arg}`;
}

/**
 * Every input file, in argument order; a directory contributes its YAML files in sorted path
 * order. Problems are diagnostics: a missing input never stops the others from being read.
 */
export async function readInputs(
  args: readonly string[],
  io: Io,
  opts: ReadInputsOptions = {},
): Promise<Inputs> {
  const extensions = opts.extensions ?? YAML_EXTENSIONS;
  const maxBytes = opts.maxFileBytes ?? DEFAULT_YAML_LIMITS.maxFileBytes;
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const perArg: InputArg[] = [];
  let current: { files: SourceFile[]; failed: boolean } = { files: [], failed: false };
  const fail = (path: string, message: string) => {
    current.failed = true;
    diagnostics.push(error(`cannot read ${path}: ${message}`, undefined, 'io/read'));
  };

  // A file named twice (through symlinks, `..`, a directory and a file in it) is read once: the
  // same real path (realPath) is the same file. A real path costs a system call per component of
  // the path, so the files opened are kept by device and inode, and real paths are compared only
  // between files that share an inode (the same file; hard links share one too, and stay apart as
  // their real paths differ). `seen` keeps, by real path, the files that could not be opened.
  const opened = new Map<string, Opened[]>();
  const seen = new Map<string, SourceFile | undefined>();
  const realOf = (o: Opened): string => {
    if (o.real === undefined) {
      try {
        o.real = realPath(o.absolute);
      } catch {
        o.real = ''; // gone since it was read: it matches nothing
      }
    }
    return o.real;
  };
  // What an earlier naming of the file at `absolute` gave, if it was named before: compared by
  // real path (`real`, or found when needed) with the files of the same inode and those in `seen`.
  const named = (
    absolute: string,
    sameInode: readonly Opened[] | undefined,
    real: string | undefined,
  ): { readonly file?: SourceFile | undefined } | undefined => {
    if (sameInode === undefined && seen.size === 0) return undefined;
    real ??= realPath(absolute);
    if (sameInode) for (const o of sameInode) if (realOf(o) === real) return o;
    return seen.has(real) ? { file: seen.get(real) } : undefined;
  };
  // A file named again counts for this argument as it did the first time: its file, or its failure.
  const namedAgain = (before: { readonly file?: SourceFile | undefined }) => {
    if (before.file) current.files.push(before.file);
    else current.failed = true;
  };
  const addFile = (display: string, text: string): SourceFile => {
    const file = { path: display, text: stripBom(text) };
    files.push(file);
    current.files.push(file);
    return file;
  };
  const refused = (display: string, read: Exclude<Capped, { text: string }>) => {
    if ('notRegular' in read) {
      fail(
        display,
        `${read.notRegular}, not a regular file (to read a stream, pipe it to standard input and pass -)`,
      );
    } else {
      current.failed = true;
      diagnostics.push(tooLarge(display, read, maxBytes));
    }
  };

  // Files and directories are read synchronously: a command has nothing else to do while its
  // inputs are read. `fd` is the file open (as `info`), closed here.
  const readOpened = (display: string, absolute: string, fd: number, info: Stats) => {
    try {
      const key = `${info.dev}:${info.ino}`;
      const sameInode = opened.get(key);
      const before = named(absolute, sameInode, undefined);
      if (before !== undefined) return namedAgain(before);
      const entry: Opened = { absolute };
      if (sameInode) sameInode.push(entry);
      else opened.set(key, [entry]);
      const read = readOpenFile(fd, info, maxBytes);
      if ('text' in read) entry.file = addFile(display, read.text);
      else refused(display, read);
    } finally {
      closeSync(fd);
    }
  };

  // A file that could not be opened: taken the way every file was before, real path first, so
  // that the error thrown is the same, and a file that failed is reported once however named.
  const readByPath = (display: string, absolute: string) => {
    const real = realPath(absolute);
    const before = named(absolute, undefined, real) ?? namedOpened(real);
    if (before !== undefined) return namedAgain(before);
    seen.set(real, undefined);
    const read = readRegularFileSync(absolute, maxBytes);
    if ('text' in read) seen.set(real, addFile(display, read.text));
    else refused(display, read);
  };
  const namedOpened = (real: string): Opened | undefined => {
    for (const list of opened.values()) for (const o of list) if (realOf(o) === real) return o;
    return undefined;
  };

  // The file opened and its stat, or undefined when it does not open (a stat failure closes it).
  const openWithStat = (absolute: string): { fd: number; info: Stats } | undefined => {
    let fd: number;
    try {
      fd = openSync(absolute, OPEN_FLAGS);
    } catch {
      return undefined;
    }
    try {
      return { fd, info: fstatSync(fd) };
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  };

  const readOne = (display: string, absolute: string) => {
    const file = openWithStat(absolute);
    if (file === undefined) return readByPath(display, absolute);
    readOpened(display, absolute, file.fd, file.info);
  };

  const walk = (display: string, absolute: string, visited: Set<string>) => {
    const real = realPath(absolute);
    if (visited.has(real)) return; // a symlink loop
    const inner = new Set(visited).add(real);
    for (const name of readdirSync(absolute).sort(byName)) {
      const childDisplay = join(display, name);
      const childAbsolute = join(absolute, name);
      let info: Stats;
      try {
        info = statSync(childAbsolute);
      } catch (e) {
        fail(childDisplay, reason(e));
        continue;
      }
      if (info.isDirectory()) {
        if (!name.startsWith('.') && !SKIPPED_DIRS.has(name)) walk(childDisplay, childAbsolute, inner);
      } else if (info.isFile() && extensions.some((ext) => name.endsWith(ext))) {
        try {
          readOne(childDisplay, childAbsolute);
        } catch (e) {
          fail(childDisplay, reason(e));
        }
      }
    }
  };

  // A command line argument: opened first, which tells a file from a directory (on POSIX, where a
  // directory opens). One that does not open takes the way it always did, stat() then read, so
  // that its error is the same.
  const readArg = (arg: string, absolute: string) => {
    const file = openWithStat(absolute);
    if (file !== undefined) {
      if (!file.info.isDirectory()) return readOpened(arg, absolute, file.fd, file.info);
      closeSync(file.fd);
      return walk(arg, absolute, new Set());
    }
    const info = statSync(absolute);
    if (info.isDirectory()) walk(arg, absolute, new Set());
    else readByPath(arg, absolute);
  };

  // io.cwd as path.resolve would give it, once, to join plain relative arguments to.
  let cwd: string | undefined;
  for (const arg of args) {
    current = { files: [], failed: false };
    if (arg === '-') {
      if (!io.stdin) {
        fail(STDIN_NAME, 'standard input is not available');
      } else {
        const read = await readCapped(io.stdin(), maxBytes);
        if ('text' in read) {
          addFile(STDIN_NAME, read.text);
        } else {
          current.failed = true;
          diagnostics.push(tooLarge(STDIN_NAME, { tooLarge: 0, exact: false }, maxBytes));
        }
      }
    } else {
      cwd ??= resolve(io.cwd);
      const absolute = (sep === '/' && joinPlain(cwd, arg)) || resolve(cwd, arg);
      try {
        readArg(arg, absolute);
      } catch (e) {
        fail(arg, reason(e));
      }
    }
    perArg.push({ arg, files: current.files, failed: current.failed });
  }
  noteInputRead(files.reduce((n, f) => n + f.text.length, 0));
  return { files, diagnostics, args: perArg };
}

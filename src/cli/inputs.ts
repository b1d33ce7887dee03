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
import { join, resolve } from 'node:path';
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
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
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
      const bytesRead = readSync(fd, buffer, filled, size - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      total += bytesRead;
      if (total > maxBytes) return { tooLarge: total, exact: false };
    }
    if (parts.length === 0) return { text: buffer.toString('utf8', 0, filled) };
    parts.push(buffer.subarray(0, filled));
    return { text: Buffer.concat(parts).toString('utf8') };
  } finally {
    closeSync(fd);
  }
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
  const seen = new Map<string, SourceFile | undefined>();
  let current: { files: SourceFile[]; failed: boolean } = { files: [], failed: false };
  const fail = (path: string, message: string) => {
    current.failed = true;
    diagnostics.push(error(`cannot read ${path}: ${message}`, undefined, 'io/read'));
  };

  // Files and directories are read synchronously (readRegularFileSync): a command has nothing
  // else to do while its inputs are read.
  const readOne = (display: string, absolute: string) => {
    const real = realPath(absolute);
    if (seen.has(real)) {
      const first = seen.get(real);
      if (first) current.files.push(first);
      else current.failed = true;
      return;
    }
    seen.set(real, undefined);
    const read = readRegularFileSync(absolute, maxBytes);
    if ('notRegular' in read) {
      fail(
        display,
        `${read.notRegular}, not a regular file (to read a stream, pipe it to standard input and pass -)`,
      );
      return;
    }
    if ('tooLarge' in read) {
      current.failed = true;
      diagnostics.push(tooLarge(display, read, maxBytes));
      return;
    }
    const file = { path: display, text: stripBom(read.text) };
    seen.set(real, file);
    files.push(file);
    current.files.push(file);
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

  for (const arg of args) {
    current = { files: [], failed: false };
    if (arg === '-') {
      if (!io.stdin) {
        fail(STDIN_NAME, 'standard input is not available');
      } else {
        const read = await readCapped(io.stdin(), maxBytes);
        if ('text' in read) {
          const file = { path: STDIN_NAME, text: stripBom(read.text) };
          files.push(file);
          current.files.push(file);
        } else {
          current.failed = true;
          diagnostics.push(tooLarge(STDIN_NAME, { tooLarge: 0, exact: false }, maxBytes));
        }
      }
    } else {
      const absolute = resolve(io.cwd, arg);
      try {
        const info = statSync(absolute);
        if (info.isDirectory()) walk(arg, absolute, new Set());
        else readOne(arg, absolute);
      } catch (e) {
        fail(arg, reason(e));
      }
    }
    perArg.push({ arg, files: current.files, failed: current.failed });
  }
  noteInputRead(files.reduce((n, f) => n + f.text.length, 0));
  return { files, diagnostics, args: perArg };
}

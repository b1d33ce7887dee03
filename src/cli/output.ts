// Writing results: deterministic YAML/JSON text, all-or-nothing file output, and terminal progress.
import {
  lstatSync,
  mkdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { error } from '../diagnostics.js';
import { stringifyJson } from '../json.js';
import { EXIT_INVALID, EXIT_OK, type Io, printDiagnostics } from './io.js';

/**
 * YAML as kubectl will read it back: strings that YAML 1.1 would take for booleans or numbers
 * (`yes`, `on`, `0755`) are quoted; no line folding, no anchors, so output is byte-stable.
 */
export function toYaml(value: unknown): string {
  return stringify(value, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
    indent: 2,
  });
}

/** Several YAML documents, `---` between them. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

export function toJsonText(value: unknown): string {
  return `${stringifyJson(value, 2)}\n`;
}

export interface OutputFile {
  /** Relative to the working directory, or absolute. */
  readonly path: string;
  readonly content: string;
}

/** Thrown by ensureDir: a message fit for one line after `cannot write to DIR: `. */
export class OutputDirError extends Error {}

function why(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOENT') return 'its parent does not allow it';
  if (code === 'ENOSPC') return 'no space left on device';
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

/** Where `path` points when it is a symbolic link to nothing, else undefined. */
function danglingLinkTarget(path: string): string | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    statSync(path);
    return undefined;
  } catch {
    try {
      return readlinkSync(path);
    } catch {
      return undefined;
    }
  }
}

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir never returns for some paths (under
 * /proc it loops forever), so: find the nearest ancestor that exists, check it is a directory, then
 * create each missing level with a plain mkdir, which fails cleanly.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(at);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // ENOTDIR: a file on the way, reported when the walk up reaches it.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new OutputDirError(`${at}: ${why(e)}`);
    }
    if (info) {
      if (!info.isDirectory()) throw new OutputDirError(`${at} is not a directory`);
      break;
    }
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (e) {
      if ((e as { code?: unknown }).code === 'EEXIST') {
        // Made meanwhile by someone else, or a symbolic link whose target is missing (stat saw
        // nothing, mkdir sees the link).
        const target = danglingLinkTarget(level);
        if (target !== undefined) {
          throw new OutputDirError(
            `cannot create directory ${level}: it is a symbolic link to ${target}, which does not exist`,
          );
        }
        if (statSync(level).isDirectory()) continue;
      }
      throw new OutputDirError(`cannot create directory ${level}: ${why(e)}`);
    }
  }
}

/** A temporary name (file or directory) for the directory it is made in; never one that exists (`wx`, mkdir). */
function temporaryName(): string {
  // Math.random, not node:crypto: the exclusive create refuses a name that exists, so it needs to be
  // unlikely, not unguessable, and loading node:crypto costs commands that print 3-4 ms.
  return `.${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}.kro-gen.tmp`;
}

/**
 * Write every file or none. Files go to temporary names first and are renamed into place only when
 * all of them are written, so readers never see a half-written file. Throws (after removing what it
 * wrote) if a write fails.
 *
 * When every file goes into one directory that does not exist yet (generate or crd into a new
 * `--out`), they are written into a temporary directory beside it, renamed into place in one step:
 * a rename per file and a look at each target cost more than writing the files.
 *
 * Synchronous inside: a command has nothing else to do meanwhile, and the five or so thread-pool
 * round trips per file of node:fs/promises cost more CPU than the writes themselves (generate of
 * 42 files: about 10 ms).
 */
export async function writeFilesAtomic(files: readonly OutputFile[], cwd: string): Promise<void> {
  const targets = files.map((f) => resolve(cwd, f.path));
  const seen = new Set<string>();
  for (const [i, target] of targets.entries()) {
    if (seen.has(target)) throw new OutputDirError(`${files[i]?.path} is written twice`);
    seen.add(target);
  }
  const dir = targets.length > 0 ? newSharedDir(targets) : undefined;
  if (dir === undefined) writeBeside(files, targets);
  else writeIntoNewDir(dir, files, targets);
}

/** The directory every target is directly in, when nothing (not even a dangling link) has its name. */
function newSharedDir(targets: readonly string[]): string | undefined {
  const dir = dirname(targets[0] as string);
  for (const t of targets) if (dirname(t) !== dir) return undefined;
  try {
    lstatSync(dir);
    return undefined;
  } catch (e) {
    // A file on the way (ENOTDIR) or an unreadable parent: the general path reports it.
    return (e as { code?: unknown }).code === 'ENOENT' ? dir : undefined;
  }
}

/** writeFilesAtomic for files that all go into `dir`, which did not exist. */
function writeIntoNewDir(dir: string, files: readonly OutputFile[], targets: readonly string[]): void {
  const parent = dirname(dir);
  ensureDir(parent);
  const temp = join(parent, temporaryName());
  try {
    mkdirSync(temp);
  } catch (e) {
    // As ensureDir would say it of `dir` itself.
    throw new OutputDirError(`cannot create directory ${dir}: ${why(e)}`);
  }
  // The directory is new and ours: the files get their own names in it.
  const temps = targets.map((t) => join(temp, basename(t)));
  let moved = false;
  try {
    writeAll(files, temps);
    try {
      renameSync(temp, dir);
      moved = true;
      return;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // ENOTEMPTY or EEXIST for a directory that is there now (EPERM on Windows): moved one by one.
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY' && code !== 'EPERM') throw e;
    }
    // Another process made the directory meanwhile: the files go into it one by one, as into any
    // directory, after the same checks.
    renameAll(files, temps, targets);
  } catch (e) {
    removeTemporaries(temps);
    throw e;
  } finally {
    try {
      if (!moved) rmdirSync(temp);
    } catch {
      // A file in it could not be removed: left, as a temporary file would be.
    }
  }
}

/** writeFilesAtomic's general case: each file to a temporary file beside its target. */
function writeBeside(files: readonly OutputFile[], targets: readonly string[]): void {
  const temps: string[] = [];
  for (const target of targets) {
    const dir = dirname(target);
    if (temps.length === 0 || dirname(temps[temps.length - 1] as string) !== dir) ensureDir(dir);
    temps.push(join(dir, temporaryName()));
  }
  writeAll(files, temps);
  try {
    renameAll(files, temps, targets);
  } catch (e) {
    removeTemporaries(temps);
    throw e;
  }
}

/** Writes each file to its new path; if one fails, removes those written and throws. */
function writeAll(files: readonly OutputFile[], paths: readonly string[]): void {
  let written = 0;
  try {
    for (const file of files) {
      // With the encoding named, Node writes a string in one native call (open, write, close);
      // without it, through a Buffer copy of the text and three calls into the fs binding.
      writeFileSync(paths[written] as string, file.content, { flag: 'wx', encoding: 'utf8' });
      written++;
    }
  } catch (e) {
    // Not the one that failed: it may be a file of someone else's that happens to have the name.
    removeTemporaries(paths.slice(0, written));
    throw e;
  }
}

/** After a failure: the temporary files not renamed yet (the others are gone, as are unwritten ones). */
function removeTemporaries(temps: readonly string[]): void {
  for (const temp of temps) {
    try {
      unlinkSync(temp);
    } catch {
      // Renamed into place, or never written.
    }
  }
}

/**
 * Renames each of `temps` to its target, after checking every target: a directory (or a FIFO, ...)
 * where a file belongs would otherwise fail the run halfway, with some files already replaced.
 */
function renameAll(files: readonly OutputFile[], temps: readonly string[], targets: readonly string[]): void {
  for (const [i, target] of targets.entries()) {
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(target);
    } catch {
      // Not there (or not readable): the rename says.
    }
    if (info && !info.isFile() && !info.isSymbolicLink()) {
      throw new OutputDirError(
        `${files[i]?.path} exists and is ${info.isDirectory() ? 'a directory' : 'not a regular file'}`,
      );
    }
  }
  for (const [i, temp] of temps.entries()) renameSync(temp, targets[i] as string);
}

export interface Progress {
  tick(label?: string): void;
  done(): void;
}

const SILENT: Progress = { tick() {}, done() {} };

/** `label i/total` redrawn on one stderr line; only on a terminal and only for long runs. */
export function progress(io: Io, label: string, total: number, minTotal = 20): Progress {
  if (!io.stderrIsTTY || total < minTotal) return SILENT;
  let count = 0;
  return {
    tick(item) {
      count++;
      io.stderr(`\r\x1b[K${label} ${count}/${total}${item ? ` ${item}` : ''}`);
    },
    done() {
      io.stderr('\r\x1b[K');
    },
  };
}

/**
 * Write `files` all or nothing; a failure is printed as one `cannot write to DIR` error. Returns the
 * exit status.
 */
export async function writeOutput(io: Io, dir: string, files: readonly OutputFile[]): Promise<number> {
  try {
    await writeFilesAtomic(files, io.cwd);
    return EXIT_OK;
  } catch (e) {
    printDiagnostics(io, [
      error(`cannot write to ${dir}: ${e instanceof Error ? e.message : String(e)}`, undefined, 'io/write'),
    ]);
    return EXIT_INVALID;
  }
}

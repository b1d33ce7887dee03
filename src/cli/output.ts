// Writing results: deterministic YAML/JSON text, all-or-nothing file output, and terminal progress.
import { lstatSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
      if ((e as { code?: unknown }).code === 'EEXIST' && statSync(level).isDirectory()) continue;
      throw new OutputDirError(`cannot create directory ${level}: ${why(e)}`);
    }
  }
}

/**
 * Write every file or none: each goes to a temporary file beside its target first, and only when all
 * of them are written are they renamed into place. A rename is atomic per file, so readers never see
 * a half-written file. Throws (after removing the temporaries) if a write fails.
 *
 * Synchronous inside: a command has nothing else to do meanwhile, and the five or so thread-pool
 * round trips per file of node:fs/promises cost more CPU than the writes themselves (generate of
 * 42 files: about 10 ms).
 */
export async function writeFilesAtomic(files: readonly OutputFile[], cwd: string): Promise<void> {
  // node:crypto on first use: commands that print (validate, crd) should not pay 3-4 ms to load it.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const staged: { temp: string; target: string; path: string }[] = [];
  const ensured = new Set<string>();
  let renamed = 0;
  try {
    for (const file of files) {
      const target = resolve(cwd, file.path);
      const dir = dirname(target);
      if (!ensured.has(dir)) {
        ensureDir(dir);
        ensured.add(dir);
      }
      const temp = join(dir, `.${randomBytes(6).toString('hex')}.kro-gen.tmp`);
      staged.push({ temp, target, path: file.path });
      writeFileSync(temp, file.content, { flag: 'wx' });
    }
    // Every target is checked before anything is renamed: a directory (or a FIFO, ...) where a file
    // belongs would otherwise fail the run halfway, with some files already replaced.
    const targets = new Set<string>();
    for (const s of staged) {
      if (targets.has(s.target)) throw new OutputDirError(`${s.path} is written twice`);
      targets.add(s.target);
      let info: ReturnType<typeof lstatSync>;
      try {
        info = lstatSync(s.target);
      } catch {
        // Not there (or not readable): the rename says.
      }
      if (info && !info.isFile() && !info.isSymbolicLink()) {
        throw new OutputDirError(
          `${s.path} exists and is ${info.isDirectory() ? 'a directory' : 'not a regular file'}`,
        );
      }
    }
    for (const s of staged) {
      renameSync(s.temp, s.target);
      renamed++;
    }
  } catch (e) {
    for (const s of staged.slice(renamed)) {
      try {
        unlinkSync(s.temp);
      } catch {
        // Never written, or gone.
      }
    }
    throw e;
  }
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

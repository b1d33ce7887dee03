// Where a generated module's RGD file is, as messages should name it. The module records the file
// relative to its own folder (`../rgds/redis.yaml`), so the output is the same from any working
// directory; a message is read from the working directory, so it names the file relative to that.
// The module's folder comes from the stack of its call to `defineRgd`: generated code cannot name
// its own location in a way both CommonJS and ESM compile.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The file of a V8 stack frame: `at f (file:///a/b.ts:3:5)`, `at /a/b.ts:3:5`, `at C:\a\b.ts:3:5`.
const FRAME_FILE = /^\s*at (?:.*?\()?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?\s*$/;

/** The file of the code that called `fn` (undefined when the stack does not say). */
export function callerFile(fn: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  const frame = holder.stack?.split('\n').find((l) => l.trimStart().startsWith('at '));
  const file = frame ? FRAME_FILE.exec(frame)?.[1] : undefined;
  if (!file) return undefined;
  if (file.startsWith('file://')) return fileURLToPath(file);
  return isAbsolute(file) ? file : undefined;
}

/**
 * `file` (as the module at `moduleFile` records it) relative to the working directory, if it is
 * there; otherwise as recorded (a module compiled into another folder, an RGD not shipped).
 */
export function displayPath(file: string, moduleFile: string | undefined, cwd = process.cwd()): string {
  if (!moduleFile || isAbsolute(file) || file.startsWith('<')) return file;
  const absolute = resolve(dirname(moduleFile), file);
  if (!existsSync(absolute)) return file;
  const rel = relative(cwd, absolute);
  return rel === '' || isAbsolute(rel) ? absolute : rel;
}

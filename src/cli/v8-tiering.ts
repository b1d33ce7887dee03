// When V8's optimizing compiler (TurboFan) starts on a function, for the short commands of the
// `kro-gen` binary: the launcher (compile-cache.ts) sets it before the bundle loads, and a command
// that finds its input large gives V8 its default back (`longRun`).
//
// Why: a batch command runs most of its functions a few hundred times, then exits. V8 optimizes a
// function once it has run a budget of bytecode (the "interrupt budget") a few times, so in a run of
// under a second or two much of what TurboFan compiles (on a second thread: CPU time the user pays
// for, and wall time on a busy machine) is never repaid, and some of it deoptimizes again. A budget
// 16 times V8's lets the interpreter and the baseline compiler (Sparkplug) run those functions and
// still optimizes the truly hot ones. Measured on Node 20 (docs/performance.md): generate of kro's 41
// example schemas 0.54 -> 0.38 s of CPU, validate of 10,000 resources unchanged; synth of 5,000
// instances about 7% slower, hence `longRun`. The language server keeps V8's defaults: it runs for
// hours.
//
// Only V8 versions whose default budget is known here (the one of Node 20, measured) are changed:
// `longRun` must set the default back, and V8 has no way to read a flag. A user who sets the budget
// (node --interrupt-budget=..., NODE_OPTIONS) keeps theirs. The flags are part of the code cache's key
// (V8 rejects a cache made under other flags), and `withLaunchFlags` puts the launcher's back while
// the cache is written.
import { setFlagsFromString } from 'node:v8';

type Env = Readonly<Record<string, string | undefined>>;

/** V8's default interrupt budget (`node --v8-options`), by V8 major version. */
const DEFAULT_BUDGET: Readonly<Record<string, number>> = { '11': 66 * 1024 };
const SHORT_RUN_FACTOR = 16;

/** Commands that run for a long time: V8's defaults. */
const LONG_LIVED = new Set(['lsp']);

/**
 * Input from which a command counts as long, where V8's default tiering wins: characters of input files
 * (validate of 10,000 resources, 2.4 MB, runs as fast either way), and instances to render (synth of
 * 5,000 instances is about 7% slower with the short-run budget, of 1,000 about 10% faster).
 */
export const LONG_RUN_INPUT_CHARS = 4 * 1024 * 1024;
export const LONG_RUN_INSTANCES = 2000;

/** Where the launcher leaves the flags it set, for `longRun` (the bundle runs in the same context). */
const LAUNCH_FLAGS = Symbol.for('kro-gen.v8-launch-flags');
type Marked = typeof globalThis & { [LAUNCH_FLAGS]?: string };

/** The V8 flags the launcher sets for `command`, or undefined to leave V8's defaults. */
export function shortRunFlags(
  command: string | undefined,
  env: Env,
  execArgv: readonly string[] = process.execArgv,
  v8Version: string = process.versions.v8,
): string | undefined {
  if (command !== undefined && LONG_LIVED.has(command)) return undefined;
  const budget = DEFAULT_BUDGET[v8Version.split('.')[0] ?? ''];
  if (budget === undefined) return undefined;
  if (/interrupt[-_]budget/.test(`${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`)) return undefined;
  return `--interrupt-budget=${budget * SHORT_RUN_FACTOR}`;
}

/** Sets the launcher's flags for the rest of the process. */
export function setLaunchFlags(flags: string): void {
  setFlagsFromString(flags);
  (globalThis as Marked)[LAUNCH_FLAGS] = flags;
}

let inputChars = 0;

/** Counts input read (every command reads through readInputs): a large input makes a long run. */
export function noteInputRead(chars: number): void {
  inputChars += chars;
  if (inputChars >= LONG_RUN_INPUT_CHARS) longRun();
}

/** Counts instances to render: many make a long run. */
export function noteInstances(count: number): void {
  if (count >= LONG_RUN_INSTANCES) longRun();
}

/** V8's default tiering for the rest of the run: the command found enough work to repay TurboFan. */
export function longRun(): void {
  if ((globalThis as Marked)[LAUNCH_FLAGS] === undefined) return;
  const budget = DEFAULT_BUDGET[process.versions.v8.split('.')[0] ?? ''];
  if (budget !== undefined) setFlagsFromString(`--interrupt-budget=${budget}`);
}

/** Runs `f` under the flags the launcher set (V8 checks a code cache against the flags it was made under). */
export function withLaunchFlags<T>(f: () => T): T {
  const flags = (globalThis as Marked)[LAUNCH_FLAGS];
  if (flags !== undefined) setFlagsFromString(flags);
  return f();
}

// When V8's optimizing compiler (TurboFan) starts on a function, for the batch commands of the
// `kro-gen` binary: a command that has read a medium-sized input raises V8's interrupt budget, and
// gives V8 its default back once the input turns out large.
//
// Why: a batch command runs most of its functions a few hundred times, then exits. V8 optimizes a
// function once it has run a budget of bytecode (the "interrupt budget") a few times, so in a run of
// under a second or two much of what TurboFan compiles (on a second thread: CPU time the user pays
// for, and wall time on a busy machine) is never repaid. A budget 16 times V8's lets the interpreter
// and the baseline compiler (Sparkplug) run those functions and still optimizes the truly hot ones.
// Measured on Node 20 (docs/performance.md, "V8's optimizing compiler in short runs"):
// - generate of kro's 41 example schemas (750 KB) 0.54 -> 0.40 s of CPU, validate of kro's 60
//   example files 0.61 -> 0.41 s;
// - a small input (one 1 KB RGD) 5% slower: the few functions a 60 ms run optimizes early do pay
//   off, hence nothing below SHORT_RUN_MIN_CHARS. Re-measured (cold CPU medians of 15 runs): from
//   8 KB it pays for generate (our 7 examples, 17 KB: -6.8%; one 8.4 KB RGD: -6.0%) and for validate
//   of the 7 (-2.8%), and is even for validate of one 8.4 KB RGD (+1.3%, within the noise);
//   32 or 64 times V8's budget instead of 16 changed kro's 60 files and 41 schemas by under 2%;
// - validate of 10,000 resources (2.4 MB) the same either way; synth of 5,000 instances 7% slower,
//   of 1,000 10% faster: V8's default again from LONG_RUN_INPUT_CHARS or LONG_RUN_INSTANCES.
// The language server keeps V8's defaults: it runs for hours.
//
// Only where the launcher allows it (`allowShortRuns`, for batch commands, before the bundle loads):
// not for the library or tests in-process, not where a user sets the budget (node --interrupt-budget,
// NODE_OPTIONS), and only on V8 versions whose default budget is known here (Node 20's, measured),
// since V8 has no way to read a flag. The bundle is compiled under V8's defaults, and its code cache
// must be written under the same flags (V8 rejects a cache made under others): `withCompileFlags`.
import { addInputRead, inputRead } from './input-size.js';

type Env = Readonly<Record<string, string | undefined>>;

/** V8's default interrupt budget (`node --v8-options`), by V8 major version. */
const DEFAULT_BUDGET: Readonly<Record<string, number>> = { '11': 66 * 1024 };
const SHORT_RUN_FACTOR = 16;

/** Commands that run for a long time: V8's defaults. */
const LONG_LIVED = new Set(['lsp']);

/** Input (characters of the files read) from which the short-run budget pays off. */
export const SHORT_RUN_MIN_CHARS = 8 * 1024;
/** Input from which a run is long enough for V8's default budget again. */
export const LONG_RUN_INPUT_CHARS = 4 * 1024 * 1024;
/** Instances to render from which a synth run is long enough for V8's default budget again. */
export const LONG_RUN_INSTANCES = 2000;

/** The default budget the launcher found it may change (the bundle runs in the same context). */
const ALLOWED = Symbol.for('kro-gen.v8-default-budget');
type Marked = typeof globalThis & { [ALLOWED]?: number };

/** V8's default budget if the launcher may change it for `command`, else undefined. */
export function shortRunBudget(
  command: string | undefined,
  env: Env,
  execArgv: readonly string[] = process.execArgv,
  v8Version: string = process.versions.v8,
): number | undefined {
  if (command !== undefined && LONG_LIVED.has(command)) return undefined;
  const budget = DEFAULT_BUDGET[v8Version.split('.')[0] ?? ''];
  if (budget === undefined) return undefined;
  if (/interrupt[-_]budget/.test(`${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`)) return undefined;
  return budget;
}

/** Called by the launcher: the rest of this process may change the budget (see `shortRunBudget`). */
export function allowShortRuns(defaultBudget: number): void {
  (globalThis as Marked)[ALLOWED] = defaultBudget;
}

let long = false;

function setBudget(factor: number): void {
  const budget = (globalThis as Marked)[ALLOWED];
  if (budget !== undefined) setV8Flags(`--interrupt-budget=${budget * factor}`);
}

/** V8's setFlagsFromString; node:v8 is loaded on first use, since loading it costs about a millisecond. */
export function setV8Flags(flags: string): void {
  process.getBuiltinModule('node:v8').setFlagsFromString(flags);
}

/**
 * Counts input read (every command reads through readInputs, which calls this; the count is
 * input-size.ts's, which the code cache reads too) and sets the budget for its size.
 */
export function noteInputRead(chars: number): void {
  addInputRead(chars);
  if (long) return;
  const total = inputRead();
  if (total >= LONG_RUN_INPUT_CHARS) longRun();
  else if (total >= SHORT_RUN_MIN_CHARS) setBudget(SHORT_RUN_FACTOR);
}

/** Counts instances to render: many make a long run. */
export function noteInstances(count: number): void {
  if (count >= LONG_RUN_INSTANCES) longRun();
}

/** V8's default budget for the rest of the run: the command has enough work to repay TurboFan. */
function longRun(): void {
  long = true;
  setBudget(1);
}

/** Runs `f` under the flags the bundle was compiled under (V8 checks a code cache against them). */
export function withCompileFlags<T>(f: () => T): T {
  setBudget(1);
  return f();
}

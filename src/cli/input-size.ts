// How many characters of input this process has read: V8's interrupt budget follows it
// (v8-tiering.ts), and the launcher's code cache is written again after a run over much more input
// than the run that wrote it (compile-cache.ts). The launcher and the CLI bundle are separate scripts,
// each with its own copy of this module, so the count lives on the global object under a registered
// symbol.
const READ = Symbol.for('kro-gen.input-chars');

type Marked = typeof globalThis & { [READ]?: number };

/** Adds `chars` to the count (readInputs does, through v8-tiering.ts's noteInputRead). */
export function addInputRead(chars: number): void {
  const g = globalThis as Marked;
  g[READ] = (g[READ] ?? 0) + chars;
}

/** The characters of input read so far in this process. */
export function inputRead(): number {
  return (globalThis as Marked)[READ] ?? 0;
}

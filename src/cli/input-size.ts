// How many characters of input this process has read, for the launcher's code cache
// (compile-cache.ts), which writes its cache again after a run over much more input than the run that
// wrote it. The launcher and the CLI bundle are separate scripts, each with its own copy of this
// module, so the count lives on the global object under a registered symbol.
const READ = Symbol.for('kro-gen.input-chars');

type Marked = typeof globalThis & { [READ]?: number };

/** Adds `chars` to the count (every command reads its inputs through readInputs, which calls this). */
export function addInputRead(chars: number): void {
  const g = globalThis as Marked;
  g[READ] = (g[READ] ?? 0) + chars;
}

/** The characters of input read so far in this process. */
export function inputRead(): number {
  return (globalThis as Marked)[READ] ?? 0;
}

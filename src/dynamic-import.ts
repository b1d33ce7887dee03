// import() of a module outside kro-gen (an optional peer such as ts-morph), wherever the code runs.
//
// Why not import() itself: the `kro-gen` binary compiles its CommonJS bundle with vm.Script and V8's
// code cache (src/cli/compile-cache.ts), and on Node 20 an import() inside such a script works only
// on a run without the cache (with an experimental warning on stderr) and fails on every later one
// ("A dynamic import callback was not specified"). The launcher, a module Node loaded itself,
// installs its own import() here before it loads the bundle; elsewhere (tsx, tests, dist/) this is
// plain import().

const HOOK = Symbol.for('kro-gen.import');
type Importer = (specifier: string) => Promise<unknown>;
type Hooked = typeof globalThis & { [HOOK]?: Importer };

/** Called by the launcher, whose own import() goes to Node's loader. */
export function installImporter(importer: Importer): void {
  (globalThis as Hooked)[HOOK] = importer;
}

/** import(specifier): a package name or a file URL. */
export function importModule<T>(specifier: string): Promise<T> {
  const importer = (globalThis as Hooked)[HOOK];
  return (importer ? importer(specifier) : import(specifier)) as Promise<T>;
}

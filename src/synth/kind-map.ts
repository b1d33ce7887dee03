// A map keyed by (apiVersion, kind), held as apiVersion -> kind -> value. The renderer asks such
// maps for every node of every instance, with strings it already holds (whose hashes V8 keeps):
// two lookups cost less than building a joined key string for each.

export class KindMap<T> {
  readonly #byApiVersion = new Map<string, Map<string, T>>();

  get(apiVersion: string, kind: string): T | undefined {
    return this.#byApiVersion.get(apiVersion)?.get(kind);
  }

  set(apiVersion: string, kind: string, value: T): void {
    let kinds = this.#byApiVersion.get(apiVersion);
    if (kinds === undefined) {
      kinds = new Map();
      this.#byApiVersion.set(apiVersion, kinds);
    }
    kinds.set(kind, value);
  }
}

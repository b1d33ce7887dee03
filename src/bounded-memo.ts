// Per-process memo of a pure function of a string, for values that repeat across many inputs
// (regex patterns, label keys, YAML keys, expression texts). Bounded: a long-lived process (the
// language server) sees ever new keys, so past `limit` distinct keys the memo starts over rather
// than grow without limit. A `compute` that throws caches nothing.

export function boundedMemo<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  const memo = new Map<string, T>();
  return (key) => {
    // One lookup on a hit (the common case); `has` only for a value that is itself undefined.
    const hit = memo.get(key);
    if (hit !== undefined || memo.has(key)) return hit as T;
    const value = compute(key);
    if (memo.size >= limit) memo.clear();
    memo.set(key, value);
    return value;
  };
}

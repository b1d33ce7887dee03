// Helpers for plain JSON-like trees, shared by every stage.

/**
 * Sets an own, enumerable property. Plain assignment would do, except for the key `__proto__`,
 * where it would replace the object's prototype instead of storing data.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** An object literal or JSON object (not an array, a class instance or null). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A private copy of a JSON-like tree (maps and lists copied, everything else shared). */
export function deepCopyJson<T>(value: T): T {
  return copyTree(value) as T;
}

function copyTree(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyTree(value[i]);
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    const map = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(map)) setOwn(out, key, copyTree(map[key]));
    return out;
  }
  return value;
}

/** How many arrays and objects `value` nests (0 for a scalar), measured without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [v, depth] = pending.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    for (const child of Array.isArray(v) ? v : Object.values(v)) pending.push([child, level]);
  }
  return deepest;
}

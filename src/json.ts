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

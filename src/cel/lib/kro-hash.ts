// kro's hash library (pkg/cel/library/hash.go): each function takes a string (its UTF-8 bytes)
// and returns the digest as CEL bytes, e.g. `base64.encode(hash.sha256(s))`.
import type { Environment } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;

/** FNV-1a, 64 bit, big-endian digest (Go's hash/fnv New64a().Sum(nil)). */
export function fnv64a(s: string): Uint8Array {
  let h = FNV64_OFFSET;
  for (const byte of Buffer.from(s, 'utf8')) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * FNV64_PRIME);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, h);
  return out;
}

function digest(algorithm: 'sha256' | 'md5', s: string): Uint8Array {
  // node:crypto on first use: loading it costs a short run 3-4 ms, and few RGDs hash.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return new Uint8Array(createHash(algorithm).update(s, 'utf8').digest());
}

export function sha256(s: string): Uint8Array {
  return digest('sha256', s);
}

export function md5(s: string): Uint8Array {
  return digest('md5', s);
}

export const kroHashLibrary: CelLibrary = {
  name: 'hash',
  register(env: Environment): void {
    registerNamespacedFunction(env, 'hash', 'fnv64a(string): bytes', fnv64a);
    registerNamespacedFunction(env, 'hash', 'sha256(string): bytes', sha256);
    registerNamespacedFunction(env, 'hash', 'md5(string): bytes', md5);
  },
};

// kro's deterministic "random" functions (pkg/cel/library/random.go), byte-identical to kro.
//
// seededString takes 4 bytes of sha256(seed) per character, as a big-endian uint32 modulo 36.
// kro's offsets are (i*4) % 32, which never run past the 32-byte hash, so its "regenerate the
// hash" branch is dead code and the string repeats every 8 characters; that is kept.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeString } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyz';

function sha256(s: string): Buffer {
  // One call without a Hash object: createHash's set-up costs more than hashing a short seed.
  // node:crypto on first use: loading it costs a short run 3-4 ms, and few RGDs use random.
  return process.getBuiltinModule('node:crypto').hash('sha256', s, 'buffer');
}

export function seededString(length: bigint, seed: string): string {
  if (length <= 0n) throw new EvaluationError('random.seededString length must be positive');
  chargeString(length > 0x7fffffffn ? Number.MAX_SAFE_INTEGER : Number(length));
  const n = Number(length);
  const hash = sha256(seed);
  // The output repeats with period 8; build one period and tile it.
  const period = Math.min(n, 8);
  let unit = '';
  for (let i = 0; i < period; i++)
    unit += ALPHANUMERIC[hash.readUInt32BE((i * 4) % 32) % ALPHANUMERIC.length];
  return unit.repeat(Math.ceil(n / period)).slice(0, n);
}

/** A value in [min, max): the first 8 hash bytes as uint64, modulo the (uint64) range size. */
export function seededInt(min: bigint, max: bigint, seed: string): bigint {
  if (min >= max) throw new EvaluationError('random.seededInt min must be less than max');
  const v = sha256(seed).readBigUInt64BE(0);
  // Go computes max-min in int64 (wrapping) and reinterprets it as uint64.
  const rangeSize = BigInt.asUintN(64, BigInt.asIntN(64, max - min));
  return BigInt.asIntN(64, min + BigInt.asIntN(64, v % rangeSize));
}

export const kroRandomLibrary: CelLibrary = {
  name: 'random',
  register(env: Environment): void {
    registerNamespacedFunction(env, 'random', 'seededString(int, string): string', seededString);
    registerNamespacedFunction(env, 'random', 'seededInt(int, int, string): int', seededInt);
  },
};

// Integer literals outside int64. Kubernetes and kro read integers as int64; a larger literal read
// as a JS number would be rounded silently (2^63 + 1 written as 9223372036854775808, a 30-digit
// literal as 1.2345678901234568e+29), so the loader refuses it, judging by the literal's text.

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const INTEGER_LITERAL = /^([-+]?)(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+|[0-9]+)$/;

/** The literal `source` (a YAML scalar read as the number `value`) when it is an integer outside int64. */
export function int64Overflow(value: number, source: string | undefined): string | undefined {
  // Below 2^53 every integer is exact and well inside int64.
  if (!Number.isInteger(value) || Math.abs(value) < 2 ** 53 || source === undefined) return undefined;
  const m = INTEGER_LITERAL.exec(source.replaceAll('_', ''));
  if (!m) return undefined;
  const magnitude = BigInt(m[2] as string);
  const n = m[1] === '-' ? -magnitude : magnitude;
  return n > INT64_MAX || n < INT64_MIN ? source : undefined;
}

/**
 * An int64 as a JSON value: a number while every integer around it is exact (|n| < 2^53), a
 * bigint beyond, so 9223372036854775807 is written back as itself, as Go writes any int64.
 */
export function exactInteger(n: bigint): number | bigint {
  return n >= -SAFE && n <= SAFE ? Number(n) : n;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A YAML float as the API server receives it: kubectl sends Go's shortest decimal text, with no
 * exponent below 1e21, so a whole float such as `1e17` arrives as integer digits and is read as an
 * int64 when it fits. JS writes the same shortest digits, so they give the exact int64.
 */
export function jsonNumberOf(value: number): number | bigint {
  if (!Number.isInteger(value) || Math.abs(value) <= Number.MAX_SAFE_INTEGER || Math.abs(value) >= 1e21)
    return value;
  const n = BigInt(String(value));
  return n > INT64_MAX || n < INT64_MIN ? value : n;
}

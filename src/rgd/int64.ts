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

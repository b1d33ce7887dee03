// Go's float64 formatting (strconv / fmt), which cel-go uses for `string(double)`, `format`'s
// `%f %e %s %d` clauses and `string(duration)`. JavaScript prints numbers differently (switches to
// exponent notation at other thresholds, rounds ties away from zero in toFixed), so the digits are
// derived here from the exact binary value (fixed precision, ties to even, as Go's decimal
// rounding does) or from JavaScript's shortest round-trip digits (precision -1).

/** A decimal digit string with the position of the decimal point: value = 0.digits × 10^point. */
interface Decimal {
  digits: string;
  point: number;
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', point: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exp2: number;
  if (exponentBits === 0) exp2 = -1074;
  else {
    mantissa |= 1n << 52n;
    exp2 = exponentBits - 1075;
  }
  let digits: string;
  let point: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    point = digits.length;
  } else {
    // mantissa / 2^k == mantissa * 5^k / 10^k
    const k = -exp2;
    digits = (mantissa * 5n ** BigInt(k)).toString();
    point = digits.length - k;
  }
  return trimZeros({ digits, point });
}

/** Shortest digits that round-trip (what JavaScript's toString picks, as Go's -1 precision). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { digits: '', point: 0 };
  const [mant = '', exp = '0'] = x.toExponential().split('e');
  return trimZeros({ digits: mant.replace('.', ''), point: Number(exp) + 1 });
}

function trimZeros(d: Decimal): Decimal {
  let start = 0;
  while (start < d.digits.length && d.digits[start] === '0') start++;
  let end = d.digits.length;
  while (end > start && d.digits[end - 1] === '0') end--;
  return { digits: d.digits.slice(start, end), point: d.point - start };
}

/** Rounds to `nd` significant digits, ties to even (Go's decimal.Round). */
function roundDigits(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: '', point: d.point };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < d.digits.length)
    up = true; // more non-zero digits follow (trimmed)
  else up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  if (!up) return trimZeros({ digits: d.digits.slice(0, nd), point: d.point });
  const kept = d.digits.slice(0, nd).split('');
  let i = kept.length - 1;
  while (i >= 0 && kept[i] === '9') {
    kept[i] = '0';
    i--;
  }
  if (i < 0) return trimZeros({ digits: `1${kept.join('')}`, point: d.point + 1 });
  kept[i] = String.fromCharCode((kept[i] as string).charCodeAt(0) + 1);
  return trimZeros({ digits: kept.join(''), point: d.point });
}

function digitAt(d: Decimal, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] as string) : '0';
}

/** `ddd.ddd` with exactly `prec` fraction digits from a decimal (no rounding here). */
function renderFixed(d: Decimal, prec: number): string {
  let int = '';
  if (d.point <= 0) int = '0';
  else for (let i = 0; i < d.point; i++) int += digitAt(d, i);
  if (prec <= 0) return int;
  let frac = '';
  for (let i = 0; i < prec; i++) frac += digitAt(d, d.point + i);
  return `${int}.${frac}`;
}

function renderExp(d: Decimal, prec: number): string {
  const first = d.digits.length ? (d.digits[0] as string) : '0';
  let frac = '';
  for (let i = 1; i <= prec; i++) frac += digitAt(d, i);
  const exp = d.digits.length ? d.point - 1 : 0;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return `${first}${prec > 0 ? `.${frac}` : ''}e${sign}${abs < 10 ? `0${abs}` : abs}`;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return undefined;
}

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Go `strconv.FormatFloat(x, 'f', prec, 64)` (prec >= 0). */
export function formatFixed(x: number, prec: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const d = exactDecimal(Math.abs(x));
  return sign(x) + renderFixed(roundDigits(d, d.point + prec), prec);
}

/** Go `strconv.FormatFloat(x, 'e', prec, 64)` (prec >= 0). */
export function formatExponent(x: number, prec: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const d = exactDecimal(Math.abs(x));
  return sign(x) + renderExp(roundDigits(d, prec + 1), prec);
}

/** Go `strconv.FormatFloat(x, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatShortestFixed(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const d = shortestDecimal(Math.abs(x));
  return sign(x) + renderFixed(d, Math.max(0, d.digits.length - d.point));
}

/** Go `fmt.Sprintf("%g", x)` (cel-go's `string(double)`). */
export function formatGeneral(x: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const d = shortestDecimal(Math.abs(x));
  const exp = d.digits.length ? d.point - 1 : 0;
  // Shortest precision: Go switches to an exponent below 1e-4 and from 1e6 on.
  if (exp < -4 || exp >= 6) return sign(x) + renderExp(d, Math.max(0, d.digits.length - 1));
  return sign(x) + renderFixed(d, Math.max(0, d.digits.length - d.point));
}

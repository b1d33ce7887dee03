// CEL timestamps as cel-go holds them (a Go time.Time): nanosecond precision, and the zone offset
// the text was parsed with, which string() prints (`2009-02-13T23:31:30.123456789-08:00`).
//
// The library's timestamp type is the JavaScript Date (whole milliseconds, no zone), and every
// part of kro-gen that reads a timestamp accepts a Date. A Timestamp is a Date whose time value is
// the millisecond at or before the instant, with the nanoseconds past it and the offset alongside;
// a plain Date reads as that millisecond in UTC. Range: cel-go accepts the Unix seconds of
// 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, with any nanoseconds.

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const MIN_UNIX_SECONDS = -62135596800n;
const MAX_UNIX_SECONDS = 253402300799n;

export class Timestamp extends Date {
  /** Nanoseconds past the millisecond the Date holds, 0-999999. */
  readonly subMillisNanos: number;
  /** The zone offset east of UTC, in seconds. */
  readonly offsetSeconds: number;

  constructor(epochMillis: number, subMillisNanos: number, offsetSeconds: number) {
    super(epochMillis);
    this.subMillisNanos = subMillisNanos;
    this.offsetSeconds = offsetSeconds;
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Nanoseconds since the Unix epoch. */
export function epochNanos(t: Date): bigint {
  const ns = BigInt(t.getTime()) * NS_PER_MS;
  return t instanceof Timestamp ? ns + BigInt(t.subMillisNanos) : ns;
}

/** Whole seconds since the Unix epoch (Go's t.Unix()). */
export function unixSeconds(t: Date): bigint {
  return floorDiv(epochNanos(t), NS_PER_S);
}

/** The zone offset a timestamp prints with, in seconds east of UTC (0 for a plain Date). */
export function zoneOffsetSeconds(t: Date): number {
  return t instanceof Timestamp ? t.offsetSeconds : 0;
}

/** Whether nanoseconds since the epoch are inside cel-go's timestamp range. */
export function inTimestampRange(ns: bigint): boolean {
  const s = floorDiv(ns, NS_PER_S);
  return s >= MIN_UNIX_SECONDS && s <= MAX_UNIX_SECONDS;
}

/** The timestamp `ns` nanoseconds after the epoch, printed with `offsetSeconds`. */
export function timestampFromNanos(ns: bigint, offsetSeconds = 0): Timestamp {
  const ms = floorDiv(ns, NS_PER_MS);
  return new Timestamp(Number(ms), Number(ns - ms * NS_PER_MS), offsetSeconds);
}

/** Whether `t` is Go's zero time, 0001-01-01T00:00:00Z (what IsZero and metav1.Time test). */
export function isGoZeroTime(t: Date): boolean {
  return epochNanos(t) === MIN_UNIX_SECONDS * NS_PER_S;
}

/** -1, 0 or 1 as `a` is before, at or after `b`. */
export function compareTimestamps(a: Date, b: Date): number {
  const d = a.getTime() - b.getTime();
  if (d !== 0) return Math.sign(d);
  const x = a instanceof Timestamp ? a.subMillisNanos : 0;
  const y = b instanceof Timestamp ? b.subMillisNanos : 0;
  return Math.sign(x - y);
}

// ---------------------------------------------------------------------------------------------
// Parsing: Go's time.Parse(time.RFC3339, s)
// ---------------------------------------------------------------------------------------------

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysIn(month: number, year: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * `s` read as Go's time.Parse with the RFC 3339 layout reads it, or undefined where Go fails:
 * four-digit year, two-digit month, day, minute and second, a one- or two-digit hour, an optional
 * fraction after `.` or `,` (digits past the ninth ignored), and `Z` or a `±hh:mm` offset (Go's
 * layout parser allows hours up to 24 and minutes up to 60 there). Upper-case `T` and `Z` only.
 */
export function parseRfc3339(s: string): { ns: bigint; offsetSeconds: number } | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d?):(\d\d):(\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const nanos = BigInt(((m[7] ?? '').slice(0, 9) || '0').padEnd(9, '0'));
  let offsetSeconds = 0;
  const zone = m[8] as string;
  if (zone !== 'Z') {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(4, 6));
    if (hh > 24 || mm > 60) return undefined;
    offsetSeconds = (zone[0] === '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  }
  const days = BigInt(daysFromCivil(year, month, day));
  const local = (days * 86400n + BigInt(hour * 3600 + minute * 60 + second)) * NS_PER_S + nanos;
  return { ns: local - BigInt(offsetSeconds) * NS_PER_S, offsetSeconds };
}

// ---------------------------------------------------------------------------------------------
// Formatting: Go's t.Format(time.RFC3339Nano)
// ---------------------------------------------------------------------------------------------

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * The text Go's time.RFC3339Nano layout prints: the local time at the timestamp's offset (or at
 * `offset`), fraction without trailing zeros.
 */
export function formatRfc3339Nano(t: Date, offset = zoneOffsetSeconds(t)): string {
  const local = epochNanos(t) + BigInt(offset) * NS_PER_S;
  const secs = floorDiv(local, NS_PER_S);
  const frac = Number(local - secs * NS_PER_S);
  const d = new Date(Number(secs) * 1000);
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const fraction = frac === 0 ? '' : `.${pad(frac, 9).replace(/0+$/, '')}`;
  let zone = 'Z';
  if (offset !== 0) {
    const a = Math.abs(offset);
    zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 3600), 2)}:${pad(Math.floor((a % 3600) / 60), 2)}`;
  }
  return `${date}T${time}${fraction}${zone}`;
}

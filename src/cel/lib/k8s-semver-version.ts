// Semantic versions exactly as github.com/blang/semver/v4 parses and orders them (the parser
// behind the Kubernetes semver library): strict MAJOR.MINOR.PATCH, uint64 numbers, its error
// texts, and build metadata ignored when comparing.
import { goQuote } from '../goquote.js';

export interface PreReleasePart {
  readonly isNum: boolean;
  readonly num: bigint;
  readonly str: string;
}

export class SemverVersion {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: readonly PreReleasePart[];
  readonly build: readonly string[];

  constructor(major: bigint, minor: bigint, patch: bigint, pre: PreReleasePart[], build: string[]) {
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.pre = pre;
    this.build = build;
  }

  /** The CEL type name, for messages that name a value's type. */
  get [Symbol.toStringTag](): string {
    return 'kubernetes.Semver';
  }

  /** Equal precedence (build metadata ignored), as Kubernetes' `==` on semvers. */
  equals(other: SemverVersion): boolean {
    return compareSemver(this, other) === 0;
  }

  toString(): string {
    let s = `${this.major}.${this.minor}.${this.patch}`;
    if (this.pre.length) s += `-${this.pre.map((p) => (p.isNum ? `${p.num}` : p.str)).join('.')}`;
    if (this.build.length) s += `+${this.build.join('.')}`;
    return s;
  }
}

export class SemverParseError extends Error {
  override readonly name = 'SemverParseError';
}

const NUMBERS = /^[0-9]*$/;
const ALPHANUM = /^[0-9A-Za-z-]*$/;
const UINT64_MAX = (1n << 64n) - 1n;

// strconv.ParseUint(s, 10, 64) for a string already known to hold only ASCII digits.
function parseUint64(s: string): bigint {
  if (s === '') throw new SemverParseError(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > UINT64_MAX)
    throw new SemverParseError(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return v;
}

function hasLeadingZero(s: string): boolean {
  return s.length > 1 && s[0] === '0';
}

function versionNumber(s: string, what: string): bigint {
  if (!NUMBERS.test(s))
    throw new SemverParseError(`Invalid character(s) found in ${what} number ${goQuote(s)}`);
  if (hasLeadingZero(s)) {
    const label = `${what[0]?.toUpperCase()}${what.slice(1)}`;
    throw new SemverParseError(`${label} number must not contain leading zeroes ${goQuote(s)}`);
  }
  return parseUint64(s);
}

function preReleasePart(s: string): PreReleasePart {
  if (s === '') throw new SemverParseError('Prerelease is empty');
  if (NUMBERS.test(s)) {
    if (hasLeadingZero(s)) {
      throw new SemverParseError(`Numeric PreRelease version must not contain leading zeroes ${goQuote(s)}`);
    }
    return { isNum: true, num: parseUint64(s), str: '' };
  }
  if (ALPHANUM.test(s)) return { isNum: false, num: 0n, str: s };
  throw new SemverParseError(`Invalid character(s) found in prerelease ${goQuote(s)}`);
}

// strings.SplitN(s, sep, n).
function splitN(s: string, sep: string, n: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (parts.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  parts.push(rest);
  return parts;
}

/** blang/semver `Parse`; throws SemverParseError with its messages. */
export function parseSemver(s: string): SemverVersion {
  if (s === '') throw new SemverParseError('Version string empty');
  const parts = splitN(s, '.', 3);
  if (parts.length !== 3) throw new SemverParseError('No Major.Minor.Patch elements found');
  const major = versionNumber(parts[0] as string, 'major');
  const minor = versionNumber(parts[1] as string, 'minor');

  let patchStr = parts[2] as string;
  let build: string[] = [];
  let pre: string[] = [];
  const plus = patchStr.indexOf('+');
  if (plus !== -1) {
    build = patchStr.slice(plus + 1).split('.');
    patchStr = patchStr.slice(0, plus);
  }
  const dash = patchStr.indexOf('-');
  if (dash !== -1) {
    pre = patchStr.slice(dash + 1).split('.');
    patchStr = patchStr.slice(0, dash);
  }
  const patch = versionNumber(patchStr, 'patch');
  const preParts = pre.map(preReleasePart);
  for (const b of build) {
    if (b === '') throw new SemverParseError('Build meta data is empty');
    if (!ALPHANUM.test(b))
      throw new SemverParseError(`Invalid character(s) found in build meta data ${goQuote(b)}`);
  }
  return new SemverVersion(major, minor, patch, preParts, build);
}

function cmp<T extends bigint | string>(a: T, b: T): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: PreReleasePart, b: PreReleasePart): -1 | 0 | 1 {
  if (a.isNum !== b.isNum) return a.isNum ? -1 : 1;
  return a.isNum ? cmp(a.num, b.num) : cmp(a.str, b.str);
}

/** Semver precedence (blang `Version.Compare`): build metadata does not count. */
export function compareSemver(a: SemverVersion, b: SemverVersion): -1 | 0 | 1 {
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (core !== 0) return core;
  if (a.pre.length === 0 || b.pre.length === 0) {
    return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  }
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const c = comparePre(a.pre[i] as PreReleasePart, b.pre[i] as PreReleasePart);
    if (c !== 0) return c;
  }
  return cmp(BigInt(a.pre.length), BigInt(b.pre.length));
}

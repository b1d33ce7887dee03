// Go's net/netip address and prefix semantics (Go 1.26), as the Kubernetes ip/cidr libraries
// see them: the same accepted syntax, the same error texts, the same canonical strings.
import { goQuote } from '../goquote.js';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address; `zone` only ever set on IPv6. */
export class NetAddr {
  readonly bytes: Uint8Array;
  readonly zone: string;

  constructor(bytes: Uint8Array, zone = '') {
    this.bytes = bytes;
    this.zone = zone;
  }

  /** The CEL type name, for messages that name a value's type. */
  get [Symbol.toStringTag](): string {
    return 'net.IP';
  }

  get is4(): boolean {
    return this.bytes.length === 4;
  }

  get bitLen(): 32 | 128 {
    return this.is4 ? 32 : 128;
  }

  /** An IPv6 address of the form ::ffff:a.b.c.d. */
  get is4In6(): boolean {
    if (this.is4) return false;
    for (let i = 0; i < 10; i++) if (this.bytes[i] !== 0) return false;
    return this.bytes[10] === 0xff && this.bytes[11] === 0xff;
  }

  equals(other: NetAddr): boolean {
    return this.zone === other.zone && sameBytes(this.bytes, other.bytes);
  }

  toString(): string {
    return formatAddr(this);
  }
}

export class NetPrefix {
  readonly addr: NetAddr;
  readonly bits: number;

  constructor(addr: NetAddr, bits: number) {
    this.addr = addr;
    this.bits = bits;
  }

  get [Symbol.toStringTag](): string {
    return 'net.CIDR';
  }

  equals(other: NetPrefix): boolean {
    return this.bits === other.bits && this.addr.equals(other.addr);
  }

  toString(): string {
    return `${formatAddr(this.addr)}/${this.bits}`;
  }
}

export class NetParseError extends Error {
  override readonly name = 'NetParseError';
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function addrError(input: string, msg: string, at = ''): NetParseError {
  const suffix = at === '' ? '' : ` (at ${goQuote(at)})`;
  return new NetParseError(`ParseAddr(${goQuote(input)}): ${msg}${suffix}`);
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

// Fills out[0..3] from `input.slice(start, end)`; errors name the whole input, as Go's do.
function parseIPv4Fields(input: string, start: number, end: number, out: Uint8Array, at: number): void {
  const s = input.slice(start, end);
  let val = 0;
  let pos = 0;
  let digLen = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digLen === 1 && val === 0) throw addrError(input, 'IPv4 field has octet with leading zero');
      val = val * 10 + (c - 0x30);
      digLen++;
      if (val > 255) throw addrError(input, 'IPv4 field has value >255');
    } else if (c === 0x2e) {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') {
        throw addrError(input, 'IPv4 field must have at least one digit', s.slice(i));
      }
      if (pos === 3) throw addrError(input, 'IPv4 address too long');
      out[at + pos] = val;
      pos++;
      val = 0;
      digLen = 0;
    } else {
      throw addrError(input, 'unexpected character', s.slice(i));
    }
  }
  if (pos < 3) throw addrError(input, 'IPv4 address too short');
  out[at + 3] = val;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function parseIPv6(input: string): NetAddr {
  let s = input;
  let zone = '';
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') throw addrError(input, 'zone must be a non-empty string');
  }

  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return new NetAddr(ip, zone);
  }

  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const h = hexValue(s.charCodeAt(off));
      if (h < 0) break;
      acc = acc * 16 + h;
      if (off > 3) throw addrError(input, 'each group must have 4 or less digits', s);
    }
    if (off === 0) throw addrError(input, 'each colon-separated field must have at least one digit', s);

    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) {
        throw addrError(input, 'embedded IPv4 address must replace the final 2 fields of the address', s);
      }
      if (i + 4 > 16) {
        throw addrError(input, 'too many hex fields to fit an embedded IPv4 at the end of the address', s);
      }
      const end = zone.length > 0 ? input.length - zone.length - 1 : input.length;
      parseIPv4Fields(input, end - s.length, end, ip, i);
      s = '';
      i += 4;
      break;
    }

    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;

    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') throw addrError(input, 'unexpected character, want colon', s);
    if (s.length === 1) throw addrError(input, 'colon must be followed by more characters', s);
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) throw addrError(input, 'multiple :: in address', s);
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }

  if (s.length !== 0) throw addrError(input, 'trailing garbage after address', s);
  if (i < 16) {
    if (ellipsis < 0) throw addrError(input, 'address string too short');
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j] as number;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    throw addrError(input, 'the :: must expand to at least one field of zeros');
  }
  return new NetAddr(ip, zone);
}

/** Go's `netip.ParseAddr`; throws NetParseError with Go's message. */
export function parseAddr(s: string): NetAddr {
  for (const ch of s) {
    if (ch === '.') {
      const out = new Uint8Array(4);
      parseIPv4Fields(s, 0, s.length, out, 0);
      return new NetAddr(out);
    }
    if (ch === ':') return parseIPv6(s);
    if (ch === '%') throw addrError(s, 'missing IPv6 address');
  }
  throw addrError(s, 'unable to parse IP');
}

function prefixError(input: string, msg: string): NetParseError {
  return new NetParseError(`netip.ParsePrefix(${goQuote(input)}): ${msg}`);
}

/** Go's `netip.ParsePrefix`: the address is kept as written (not masked). */
export function parsePrefix(s: string): NetPrefix {
  const slash = s.lastIndexOf('/');
  if (slash < 0) throw prefixError(s, "no '/'");
  let addr: NetAddr;
  try {
    addr = parseAddr(s.slice(0, slash));
  } catch (e) {
    if (e instanceof NetParseError) throw prefixError(s, e.message);
    throw e;
  }
  if (!addr.is4 && addr.zone !== '') throw prefixError(s, 'IPv6 zones cannot be present in a prefix');
  const bitsStr = s.slice(slash + 1);
  const badBits = () => prefixError(s, `bad bits after slash: ${goQuote(bitsStr)}`);
  if (bitsStr.length > 1 && !(bitsStr[0]! >= '1' && bitsStr[0]! <= '9')) throw badBits();
  // strconv.Atoi: optional sign (only reachable for one-character strings here), then digits.
  if (!/^[+-]?[0-9]+$/.test(bitsStr)) throw badBits();
  const bits = BigInt(bitsStr);
  if (bits < -(1n << 63n) || bits >= 1n << 63n) throw badBits();
  if (bits < 0n || bits > BigInt(addr.bitLen)) throw prefixError(s, 'prefix length out of range');
  return new NetPrefix(addr, Number(bits));
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

function group(a: NetAddr, i: number): number {
  return ((a.bytes[2 * i] as number) << 8) | (a.bytes[2 * i + 1] as number);
}

/** Go's `Addr.String`: dotted quad, or RFC 5952 IPv6 (longest zero run of 2+ groups as ::). */
export function formatAddr(a: NetAddr): string {
  if (a.is4) return Array.from(a.bytes).join('.');
  const zone = a.zone === '' ? '' : `%${a.zone}`;
  if (a.is4In6) return `::ffff:${Array.from(a.bytes.subarray(12)).join('.')}${zone}`;
  let zeroStart = -1;
  let zeroLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && group(a, j) === 0) j++;
    if (j - i >= 2 && j - i > zeroLen) {
      zeroStart = i;
      zeroLen = j - i;
    }
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === zeroStart) {
      out += '::';
      i += zeroLen - 1;
      continue;
    }
    if (i > 0 && i !== zeroStart + zeroLen) out += ':';
    out += group(a, i).toString(16);
  }
  return out + zone;
}

// ---------------------------------------------------------------------------------------------
// Classification (Go's Addr.Is* methods; IPv4-mapped addresses are judged as IPv4)
// ---------------------------------------------------------------------------------------------

function unmapped(a: NetAddr): NetAddr {
  return a.is4In6 ? new NetAddr(a.bytes.slice(12)) : a;
}

export function isUnspecified(a: NetAddr): boolean {
  return a.zone === '' && a.bytes.every((b) => b === 0);
}

export function isLoopback(addr: NetAddr): boolean {
  const a = unmapped(addr);
  if (a.is4) return a.bytes[0] === 127;
  return a.bytes.every((b, i) => (i === 15 ? b === 1 : b === 0));
}

export function isMulticast(addr: NetAddr): boolean {
  const a = unmapped(addr);
  if (a.is4) return ((a.bytes[0] as number) & 0xf0) === 0xe0;
  return a.bytes[0] === 0xff;
}

export function isLinkLocalMulticast(addr: NetAddr): boolean {
  const a = unmapped(addr);
  if (a.is4) return a.bytes[0] === 224 && a.bytes[1] === 0 && a.bytes[2] === 0;
  return (group(a, 0) & 0xff0f) === 0xff02;
}

export function isLinkLocalUnicast(addr: NetAddr): boolean {
  const a = unmapped(addr);
  if (a.is4) return a.bytes[0] === 169 && a.bytes[1] === 254;
  return (group(a, 0) & 0xffc0) === 0xfe80;
}

export function isGlobalUnicast(addr: NetAddr): boolean {
  const a = unmapped(addr);
  if (a.is4 && (a.bytes.every((b) => b === 0) || a.bytes.every((b) => b === 255))) return false;
  const unspecified6 = !a.is4 && a.zone === '' && a.bytes.every((b) => b === 0);
  return !unspecified6 && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a);
}

// ---------------------------------------------------------------------------------------------
// Prefix operations
// ---------------------------------------------------------------------------------------------

function maskedBytes(bytes: Uint8Array, bits: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    out[i] = (out[i] as number) & ((0xff00 >> keep) & 0xff);
  }
  return out;
}

/** Go's `Prefix.Masked`: host bits cleared. */
export function maskPrefix(p: NetPrefix): NetPrefix {
  return new NetPrefix(new NetAddr(maskedBytes(p.addr.bytes, p.bits)), p.bits);
}

/** Go's `Prefix.Contains`: same family only, zoned addresses never. */
export function prefixContains(p: NetPrefix, a: NetAddr): boolean {
  if (a.zone !== '' || a.is4 !== p.addr.is4) return false;
  return sameBytes(maskedBytes(a.bytes, p.bits), maskedBytes(p.addr.bytes, p.bits));
}

/** Go's `Prefix.Overlaps`. */
export function prefixOverlaps(p: NetPrefix, o: NetPrefix): boolean {
  if (p.equals(o)) return true;
  if (p.addr.is4 !== o.addr.is4) return false;
  const minBits = Math.min(p.bits, o.bits);
  if (minBits === 0) return true;
  return sameBytes(maskedBytes(p.addr.bytes, minBits), maskedBytes(o.addr.bytes, minBits));
}

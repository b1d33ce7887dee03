// Go's net/url parsing (Go 1.26) as the Kubernetes url library uses it: ParseRequestURI to
// validate, Parse to build the value, and the Hostname/Port/EscapedPath/Query/String accessors.
// Go strings are bytes, so escaping and unescaping work on UTF-8 bytes.
import { goQuote } from '../goquote.js';
import { NetParseError, parseAddr } from './k8s-netip.js';

export interface GoUrl {
  readonly scheme: string;
  readonly opaque: string;
  readonly user: { readonly username: string; readonly password?: string } | undefined;
  readonly host: string;
  readonly path: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly fragment: string;
  readonly rawFragment: string;
  readonly forceQuery: boolean;
  readonly omitHost: boolean;
}

export class GoUrlError extends Error {
  override readonly name = 'GoUrlError';
}

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

function unhex(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

const HOST_EXTRA = new Set('!$&\'()*+,;=:[]<>"');
const RESERVED = new Set('$&+,/:;=?@');

// RFC 3986 escaping rules as Go's url package applies them per URL component.
function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && c < 0x80 && HOST_EXTRA.has(ch)) return false;
  if (ch === '-' || ch === '_' || ch === '.' || ch === '~') return false;
  if (c < 0x80 && RESERVED.has(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'pathSegment':
        return ch === '/' || ch === ';' || ch === ',' || ch === '?';
      case 'userPassword':
        return ch === '@' || ch === '/' || ch === '?' || ch === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && (ch === '!' || ch === '(' || ch === ')' || ch === '*')) return false;
  return true;
}

function bytesToString(b: Uint8Array): string {
  return utf8Decoder.decode(b);
}

function escapeError(bytes: Uint8Array): GoUrlError {
  return new GoUrlError(`invalid URL escape ${goQuote(bytesToString(bytes))}`);
}

/** Go's url.unescape: validates %XX (and host/zone byte rules) then decodes. */
function urlUnescape(s: string, mode: Mode): string {
  const b = utf8Encoder.encode(s);
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    if (c === 0x25) {
      n++;
      if (i + 2 >= b.length || !isHex(b[i + 1] as number) || !isHex(b[i + 2] as number)) {
        throw escapeError(b.subarray(i, Math.min(i + 3, b.length)));
      }
      const v = (unhex(b[i + 1] as number) << 4) | unhex(b[i + 2] as number);
      const isPct25 = b[i + 1] === 0x32 && b[i + 2] === 0x35;
      // In a host, %-escapes may only stand for non-ASCII bytes (or %25 before a zone).
      if (mode === 'host' && unhex(b[i + 1] as number) < 8 && !isPct25)
        throw escapeError(b.subarray(i, i + 3));
      if (mode === 'zone' && !isPct25 && v !== 0x20 && shouldEscape(v, 'host')) {
        throw escapeError(b.subarray(i, i + 3));
      }
      i += 3;
    } else if (c === 0x2b) {
      hasPlus = mode === 'queryComponent';
      i++;
    } else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode)) {
        throw new GoUrlError(`invalid character ${goQuote(String.fromCharCode(c))} in host name`);
      }
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    if (c === 0x25) {
      out.push((unhex(b[i + 1] as number) << 4) | unhex(b[i + 2] as number));
      i += 2;
    } else if (c === 0x2b) {
      out.push(mode === 'queryComponent' ? 0x20 : 0x2b);
    } else {
      out.push(c);
    }
  }
  return bytesToString(Uint8Array.from(out));
}

const UPPER_HEX = '0123456789ABCDEF';

/** Go's url.escape. */
function urlEscape(s: string, mode: Mode): string {
  let out = '';
  for (const c of utf8Encoder.encode(s)) {
    if (c === 0x20 && mode === 'queryComponent') out += '+';
    else if (shouldEscape(c, mode)) out += `%${UPPER_HEX[c >> 4]}${UPPER_HEX[c & 15]}`;
    else out += String.fromCharCode(c);
  }
  return out;
}

function containsCtlByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function getScheme(raw: string): { scheme: string; rest: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return { scheme: '', rest: raw };
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) throw new GoUrlError('missing protocol scheme');
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: '', rest: raw };
  }
  return { scheme: '', rest: raw };
}

function validOptionalPort(port: string): boolean {
  if (port === '') return true;
  if (port[0] !== ':') return false;
  for (let i = 1; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function validUserinfo(s: string): boolean {
  for (const ch of s) {
    if (/^[A-Za-z0-9]$/.test(ch)) continue;
    if ("-._:~!$&'()*+,;=%@".includes(ch)) continue;
    return false;
  }
  return true;
}

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new GoUrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new GoUrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${goQuote(colonPort)} after host`);
    const unescapedColonPort = urlUnescape(colonPort, 'host');
    const hostname = host.slice(1, close);
    const zoneIdx = hostname.indexOf('%25');
    const unescapedHostname =
      zoneIdx >= 0
        ? urlUnescape(hostname.slice(0, zoneIdx), 'host') + urlUnescape(hostname.slice(zoneIdx), 'zone')
        : urlUnescape(hostname, 'host');
    let is4: boolean;
    try {
      is4 = parseAddr(unescapedHostname).is4;
    } catch (e) {
      if (e instanceof NetParseError) throw new GoUrlError(`invalid host: ${e.message}`);
      throw e;
    }
    if (is4) throw new GoUrlError('invalid IP-literal');
    return `[${unescapedHostname}]${unescapedColonPort}`;
  }
  const first = host.indexOf(':');
  if (first !== -1) {
    // Go 1.26 (urlstrictcolons=1): http(s) hosts may hold one colon only; other schemes
    // (e.g. mongodb host lists) take the port after the last colon.
    const i =
      first !== host.lastIndexOf(':') && scheme !== 'http' && scheme !== 'https'
        ? host.lastIndexOf(':')
        : first;
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${goQuote(colonPort)} after host`);
  }
  return urlUnescape(host, 'host');
}

function parseAuthority(scheme: string, authority: string): Pick<GoUrl, 'user' | 'host'> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return { user: undefined, host };
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) throw new GoUrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: { username: urlUnescape(userinfo, 'userPassword') }, host };
  return {
    user: {
      username: urlUnescape(userinfo.slice(0, colon), 'userPassword'),
      password: urlUnescape(userinfo.slice(colon + 1), 'userPassword'),
    },
    host,
  };
}

function splitEncoded(encoded: string, mode: 'path' | 'fragment'): { decoded: string; raw: string } {
  const decoded = urlUnescape(encoded, mode);
  return { decoded, raw: urlEscape(decoded, mode) === encoded ? '' : encoded };
}

function parseUrl(raw: string, viaRequest: boolean): GoUrl {
  if (containsCtlByte(raw)) throw new GoUrlError('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new GoUrlError('empty url');
  const empty: GoUrl = {
    scheme: '',
    opaque: '',
    user: undefined,
    host: '',
    path: '',
    rawPath: '',
    rawQuery: '',
    fragment: '',
    rawFragment: '',
    forceQuery: false,
    omitHost: false,
  };
  if (raw === '*') return { ...empty, path: '*' };

  const split = getScheme(raw);
  const scheme = split.scheme.toLowerCase();
  let rest = split.rest;
  let rawQuery = '';
  let forceQuery = false;
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) {
    forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }

  if (!rest.startsWith('/')) {
    if (scheme !== '') return { ...empty, scheme, opaque: rest, rawQuery, forceQuery };
    if (viaRequest) throw new GoUrlError('invalid URI for request');
    const segment = rest.split('/', 1)[0] ?? '';
    if (segment.includes(':')) throw new GoUrlError('first path segment in URL cannot contain colon');
  }

  let user: GoUrl['user'];
  let host = '';
  let omitHost = false;
  if ((scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    ({ user, host } = parseAuthority(scheme, authority));
  } else if (scheme !== '' && rest.startsWith('/')) {
    omitHost = true;
  }
  const path = splitEncoded(rest, 'path');
  return {
    ...empty,
    scheme,
    user,
    host,
    path: path.decoded,
    rawPath: path.raw,
    rawQuery,
    forceQuery,
    omitHost,
  };
}

function wrapError(op: string, url: string, e: unknown): never {
  if (e instanceof GoUrlError) throw new GoUrlError(`${op} ${goQuote(url)}: ${e.message}`);
  throw e;
}

/** Go's `url.ParseRequestURI`: only absolute URLs and absolute paths; no fragment handling. */
export function parseRequestUri(raw: string): GoUrl {
  try {
    return parseUrl(raw, true);
  } catch (e) {
    return wrapError('parse', raw, e);
  }
}

/** Go's `url.Parse`. */
export function parseGoUrl(raw: string): GoUrl {
  const hash = raw.indexOf('#');
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  let url: GoUrl;
  try {
    url = parseUrl(u, false);
  } catch (e) {
    return wrapError('parse', u, e);
  }
  if (frag === '') return url;
  try {
    const f = splitEncoded(frag, 'fragment');
    return { ...url, fragment: f.decoded, rawFragment: f.raw };
  } catch (e) {
    return wrapError('parse', raw, e);
  }
}

function splitHostPort(hostPort: string): { host: string; port: string } {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

export function urlHostname(u: GoUrl): string {
  return splitHostPort(u.host).host;
}

export function urlPort(u: GoUrl): string {
  return splitHostPort(u.host).port;
}

function validEncoded(s: string, mode: Mode): boolean {
  for (const c of utf8Encoder.encode(s)) {
    if ("!$&'()*+,;=:@[]%".includes(String.fromCharCode(c)) && c < 0x80) continue;
    if (shouldEscape(c, mode)) return false;
  }
  return true;
}

function escapedEncoded(decoded: string, raw: string, mode: 'path' | 'fragment'): string {
  if (raw !== '' && validEncoded(raw, mode)) {
    try {
      if (urlUnescape(raw, mode) === decoded) return raw;
    } catch {
      // an invalid hint is ignored
    }
  }
  return urlEscape(decoded, mode);
}

/** Go's `URL.EscapedPath`: the original encoding when it is a valid one, else re-escaped. */
export function urlEscapedPath(u: GoUrl): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath, 'path')) {
    try {
      if (urlUnescape(u.rawPath, 'path') === u.path) return u.rawPath;
    } catch {
      // fall through to re-escaping
    }
  }
  if (u.path === '*') return '*';
  return urlEscape(u.path, 'path');
}

const MAX_QUERY_PARAMS = 10000;

/** Go's `URL.Query`: key=value pairs split on '&', malformed pairs silently dropped. */
export function urlQuery(u: GoUrl): Map<string, string[]> {
  const m = new Map<string, string[]>();
  let query = u.rawQuery;
  if (query.split('&').length > MAX_QUERY_PARAMS) return m;
  while (query !== '') {
    const amp = query.indexOf('&');
    const pair = amp < 0 ? query : query.slice(0, amp);
    query = amp < 0 ? '' : query.slice(amp + 1);
    if (pair.includes(';') || pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = urlUnescape(eq < 0 ? pair : pair.slice(0, eq), 'queryComponent');
      value = urlUnescape(eq < 0 ? '' : pair.slice(eq + 1), 'queryComponent');
    } catch {
      continue;
    }
    const list = m.get(key);
    if (list) list.push(value);
    else m.set(key, [value]);
  }
  return m;
}

/** Go's `URL.String`, the identity Kubernetes compares URLs by. */
export function formatGoUrl(u: GoUrl): string {
  let out = '';
  if (u.scheme !== '') out += `${u.scheme}:`;
  if (u.opaque !== '') {
    out += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || u.user !== undefined) {
      if (!(u.omitHost && u.host === '' && u.user === undefined)) {
        if (u.host !== '' || u.path !== '' || u.user !== undefined) out += '//';
        if (u.user !== undefined) {
          out += urlEscape(u.user.username, 'userPassword');
          if (u.user.password !== undefined) out += `:${urlEscape(u.user.password, 'userPassword')}`;
          out += '@';
        }
        if (u.host !== '') out += urlEscape(u.host, 'host');
      }
    }
    const path = urlEscapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') out += '/';
    if (out === '') {
      const segment = path.split('/', 1)[0] ?? '';
      if (segment.includes(':')) out += './';
    }
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== '') out += `?${u.rawQuery}`;
  if (u.fragment !== '') out += `#${escapedEncoded(u.fragment, u.rawFragment, 'fragment')}`;
  return out;
}

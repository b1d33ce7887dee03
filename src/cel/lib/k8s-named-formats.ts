// The string checks behind the API server's CEL `format` library (k8s.io/apiserver
// pkg/cel/library/format.go at v0.36.3), each giving its errors in the words of the function the
// library calls: apimachinery's name and label checks (pkg/util/validation, pkg/api/validate/
// content, at v0.36.3), Go's url.ParseRequestURI, and kube-openapi's strfmt checks for uuid,
// byte, date and datetime. Go measures strings in bytes, so lengths here are UTF-8 byte counts.
import { GoUrlError, parseRequestUri } from './k8s-neturl.js';

const utf8 = new TextEncoder();
const byteLength = (s: string): number => utf8.encode(s).length;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;

const whole = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const DNS1123_LABEL = whole(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN = whole(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL = whole(DNS1035_LABEL_FMT);
const LABEL_KEY = whole(LABEL_KEY_FMT);
const LABEL_VALUE = whole(LABEL_VALUE_FMT);

/** apimachinery's RegexError: the message, the examples and the pattern. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}
// pkg/util/validation counts "characters", pkg/api/validate/content "bytes"; both mean bytes.
const maxLenChars = (n: number): string => `must be no more than ${n} characters`;
const maxLenBytes = (n: number): string => `must be no more than ${n} bytes`;

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL_KEY_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** IsDNS1123Label; `maxLen` words the length error (util/validation's or content's). */
function dns1123Label(value: string, maxLen = maxLenChars): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLen(63));
  if (!DNS1123_LABEL.test(value)) {
    // A valid subdomain that is no label (its length already checked) has dots.
    if (DNS1123_SUBDOMAIN.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

function dns1123Subdomain(value: string, maxLen = maxLenChars): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLen(253));
  if (!DNS1123_SUBDOMAIN.test(value))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

function dns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenChars(63));
  if (!DNS1035_LABEL.test(value))
    errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/**
 * apimachinery's maskTrailingDash, for names used with generateName: a trailing `-` is allowed,
 * by replacing the last two bytes (not one: the function's own quirk) with `a`. A character the
 * cut splits leaves bytes no pattern accepts: each becomes a NUL here, which none accepts either,
 * so the byte length stays Go's.
 */
function maskTrailingDash(name: string): string {
  const total = byteLength(name);
  if (total <= 1 || !name.endsWith('-')) return name;
  const limit = total - 2;
  let kept = '';
  let bytes = 0;
  for (const ch of name) {
    const n = byteLength(ch);
    if (bytes + n > limit) break;
    kept += ch;
    bytes += n;
  }
  return `${kept}${'\0'.repeat(limit - bytes)}a`;
}

/** content.IsLabelKey (a "qualified name"): an optional DNS-1123 subdomain prefix and `/`, then a name. */
function qualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0] as string;
  else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(prefix, maxLenBytes).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenBytes(63)}`);
  if (!LABEL_KEY.test(name))
    errs.push(`name part ${regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

function labelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenBytes(63));
  if (!LABEL_VALUE.test(value))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

function uri(value: string): string[] {
  try {
    parseRequestUri(value);
    return [];
  } catch (e) {
    if (e instanceof GoUrlError) return [e.message];
    throw e;
  }
}

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
// strfmt's DateTimePattern; its `.` is RE2's (any character but a newline).
const TIME = /^([0-9]{2}):([0-9]{2}):([0-9]{2})([^\n][0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$/u;

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Go's time.Parse with layout "2006-01-02": four digits, two, two, and a day the month has. */
export function isFullDate(s: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const days = month === 2 && isLeap(year) ? 29 : (DAYS[month - 1] as number);
  return day >= 1 && day <= days;
}

/**
 * strfmt's IsDateTime: lower-cased and split at every `t`, the first part a date and the second a
 * time (any further parts are not looked at), hours at most 23, minutes and seconds at most 59.
 */
export function isDateTime(s: string): boolean {
  if (byteLength(s) < 4) return false;
  const parts = s.toLowerCase().split('t');
  if (parts.length < 2 || !isFullDate(parts[0] as string)) return false;
  const m = TIME.exec(parts[1] as string);
  if (!m) return false;
  return (m[1] as string) <= '23' && (m[2] as string) <= '59' && (m[3] as string) <= '59';
}

/** A named format and its checks. */
export interface NamedFormat {
  /** The name the API server's Format value carries (equality compares it). */
  readonly name: string;
  readonly validate: (s: string) => string[];
}

/** The library's formats, by the name `format.named` and `format.<name>()` take. */
export const NAMED_FORMATS: ReadonlyMap<string, NamedFormat> = new Map<string, NamedFormat>([
  ['dns1123Label', { name: 'DNS1123Label', validate: (s) => dns1123Label(s) }],
  ['dns1123Subdomain', { name: 'DNS1123Subdomain', validate: (s) => dns1123Subdomain(s) }],
  ['dns1035Label', { name: 'DNS1035Label', validate: dns1035Label }],
  ['qualifiedName', { name: 'QualifiedName', validate: qualifiedName }],
  ['dns1123LabelPrefix', { name: 'DNS1123LabelPrefix', validate: (s) => dns1123Label(maskTrailingDash(s)) }],
  [
    'dns1123SubdomainPrefix',
    { name: 'DNS1123SubdomainPrefix', validate: (s) => dns1123Subdomain(maskTrailingDash(s)) },
  ],
  ['dns1035LabelPrefix', { name: 'DNS1035LabelPrefix', validate: (s) => dns1035Label(maskTrailingDash(s)) }],
  ['labelValue', { name: 'LabelValue', validate: labelValue }],
  ['uri', { name: 'URI', validate: uri }],
  ['uuid', { name: 'uuid', validate: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']) }],
  ['byte', { name: 'byte', validate: (s) => (BASE64.test(s) ? [] : ['invalid base64']) }],
  ['date', { name: 'date', validate: (s) => (isFullDate(s) ? [] : ['invalid date']) }],
  ['datetime', { name: 'datetime', validate: (s) => (isDateTime(s) ? [] : ['invalid datetime']) }],
]);

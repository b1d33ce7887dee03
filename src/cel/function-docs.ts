// One line about each function and macro of kro's CEL environment, for editors (hover and
// completion show it next to the signatures the environment declares). Keys are the names as
// written in expressions; namespaced functions with their namespace.
export const FUNCTION_DOCS: Readonly<Record<string, string>> = {
  // Macros
  has: 'has(x.f): whether field f is set on x (a map key is present)',
  all: 'list.all(x, p): whether predicate p holds for every element',
  exists: 'list.exists(x, p): whether predicate p holds for some element',
  exists_one: 'list.exists_one(x, p): whether p holds for exactly one element',
  existsOne: 'list.existsOne(x, p): whether p holds for exactly one element',
  map: 'list.map(x, e) or list.map(x, p, e): each element transformed (those matching p)',
  filter: 'list.filter(x, p): the elements for which p holds',
  sortBy: 'list.sortBy(x, key): the list sorted by a key expression',
  transformList: 'list.transformList(i, v, e): each element transformed, with its index',
  transformMap: 'map.transformMap(k, v, e): each value transformed, with its key',
  transformMapEntry: 'map.transformMapEntry(k, v, e): each entry replaced by the map e returns',
  'cel.bind': 'cel.bind(v, init, body): body evaluated with v bound to init',
  // Conversions and core
  size: 'the number of elements, entries, characters or bytes',
  string: 'conversion to string',
  int: 'conversion to int',
  uint: 'conversion to uint',
  double: 'conversion to double',
  bool: 'conversion to bool',
  bytes: 'conversion to bytes',
  dyn: 'the value with its static type erased',
  type: 'the type of a value',
  duration: 'a duration from a string such as "1h30m"',
  timestamp: 'a timestamp from an RFC 3339 string',
  matches: 'whether the string matches an RE2 regular expression',
  startsWith: 'whether the string starts with the prefix',
  endsWith: 'whether the string ends with the suffix',
  contains: 'whether the string contains the substring',
  // cel-go strings extension
  charAt: 'the character at an index',
  indexOf: 'the index of the first occurrence of a substring, or -1',
  lastIndexOf: 'the index of the last occurrence of a substring, or -1',
  lowerAscii: 'the string with ASCII letters lower-cased',
  upperAscii: 'the string with ASCII letters upper-cased',
  replace: 'the string with occurrences of a substring replaced (all, or the first n)',
  split: 'the string split at a separator into a list',
  substring: 'the characters between two indexes',
  trim: 'the string without leading and trailing whitespace',
  join: 'the list of strings joined, with an optional separator',
  format: 'the format string with its %s, %d, ... verbs filled from a list',
  quote: 'the string quoted and escaped as a CEL string literal',
  reverse: 'the string or list reversed',
  // Lists
  flatten: 'nested lists flattened (one level, or the given depth)',
  distinct: 'the list without repeated elements',
  sort: 'the list sorted',
  slice: 'the elements between two indexes',
  range: 'lists.range(n): the list [0, 1, ..., n-1]',
  first: 'the first element, as an optional',
  last: 'the last element, as an optional',
  min: 'the smallest element',
  max: 'the largest element',
  sum: 'the sum of the elements',
  isSorted: 'whether the list is sorted',
  // Optionals
  'optional.of': 'an optional holding the value',
  'optional.none': 'the empty optional',
  'optional.ofNonZeroValue': 'an optional holding the value, empty for a zero value',
  orValue: 'the optional value, or the default given when it is empty',
  or: 'the optional, or the other optional when it is empty',
  hasValue: 'whether the optional holds a value',
  value: 'the optional value (an error when empty)',
  optMap: 'optional.optMap(x, e): the value transformed when present',
  optFlatMap: 'optional.optFlatMap(x, e): the optional e returns when present',
  // Encoders
  'base64.encode': 'bytes encoded as base64 text',
  'base64.decode': 'base64 text decoded to bytes',
  // kro's libraries
  'random.seededString':
    'random.seededString(length, seed): a deterministic random alphanumeric string for the seed',
  'random.seededInt':
    'random.seededInt(min, max, seed): a deterministic random integer in [min, max) for the seed',
  'json.marshal': 'json.marshal(value): the value as JSON text',
  'json.unmarshal': 'json.unmarshal(text): the value JSON text describes',
  'hash.fnv64a': 'hash.fnv64a(s): the FNV-1a 64-bit hash of a string, as hex',
  'hash.sha256': 'hash.sha256(s): the SHA-256 hash of a string, as hex',
  'hash.md5': 'hash.md5(s): the MD5 hash of a string, as hex',
  merge: 'map.merge(other): the map with the entries of other added (other wins)',
  deepMerge: 'map.deepMerge(other): nested maps merged recursively (other wins)',
  setAtIndex: 'list.setAtIndex(i, v): the list with element i replaced by v',
  insertAtIndex: 'list.insertAtIndex(i, v): the list with v inserted at i',
  removeAtIndex: 'list.removeAtIndex(i): the list without element i',
  omit: 'omit(): leaves the field out of the rendered object (CELOmitFunction feature gate)',
  // Kubernetes libraries
  url: 'a URL parsed from a string',
  isURL: 'whether a string is a valid URL',
  quantity: 'a Kubernetes resource quantity parsed from a string ("500m", "1Gi")',
  isQuantity: 'whether a string is a valid quantity',
  ip: 'an IP address parsed from a string',
  isIP: 'whether a string is a valid IP address',
  cidr: 'a CIDR parsed from a string',
  isCIDR: 'whether a string is a valid CIDR',
  semver: 'a semantic version parsed from a string',
  isSemver: 'whether a string is a valid semantic version',
  find: 'the first match of a regular expression in the string',
  findAll: 'every match of a regular expression in the string',
};

/** The macros kro's environment expands (their arguments are not evaluated first), and their arguments. */
export const MACROS: readonly {
  readonly name: string;
  readonly args: readonly string[];
  readonly receiver: boolean;
}[] = [
  { name: 'has', args: ['x.field'], receiver: false },
  { name: 'all', args: ['x', 'predicate'], receiver: true },
  { name: 'exists', args: ['x', 'predicate'], receiver: true },
  { name: 'exists_one', args: ['x', 'predicate'], receiver: true },
  { name: 'map', args: ['x', 'expression'], receiver: true },
  { name: 'filter', args: ['x', 'predicate'], receiver: true },
];

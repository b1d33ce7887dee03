/**
 * The rule cost differential's table (issue 12, item 7): x-kubernetes-validations rules near the
 * API server's cost limits (10,000,000 per rule, 100,000,000 per CRD). Each row is the SimpleSchema
 * of one RGD and what the API server v1.36.3 says of the CRD kro-gen builds from it (taken from a
 * run of rule-cost.test.ts against the real kube-apiserver, and reviewed against the cost model in
 * src/cel/cost): one entry per cost error, in the API server's words without the advice in
 * parentheses, `rule: <factor>`, `contributed` (a rule named as part of a CRD total over the
 * limit), `total: <factor>` or `compile: <message>` (the API server's first compile error, for the
 * rows on which functions the API server declares). An empty list: the CRD is accepted.
 *
 * The same table drives the unit test (test/unit/graph/rule-cost.test.ts), so kro-gen's verdict
 * is checked offline too.
 */

export interface RuleCostCase {
  /** kebab-case; the RGD is `cost-<name>`. */
  readonly name: string;
  readonly spec: Record<string, unknown>;
  readonly types?: Record<string, unknown>;
  readonly expected: readonly string[];
}

/** `n` fields `f0..f<n-1>`, each `[]integer | maxItems=<items>` with the quadratic rule. */
function quadraticFields(n: number, items: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`f${i}`] = `[]integer | maxItems=${items} validation="${QUADRATIC}"`;
  return out;
}

// 6n^2 + 5n + 2 on a list of n integers (integers have no size, so `==` costs 2).
const QUADRATIC = 'self.all(x, self.exists(y, x == y))';
// 128 characters: matching an unbounded string costs 314,573 x 32 (and a little more).
const LONG_REGEX = `^(${'[a-z]'.repeat(24)}|[0-9]+|x{1,9})+$`.padEnd(128, '.');

/**
 * One row per `[name, field type, rule, undeclared name]`: refused as the API server words an
 * undeclared function (or namespace), or accepted when no name is given.
 */
function functionRows(rows: readonly (readonly [string, string, string, string?])[]): RuleCostCase[] {
  return rows.map(([name, type, rule, undeclared]) => ({
    name: `env-${name}`,
    spec: { f: `${type}${type.includes('|') ? '' : ' |'} validation="${rule}"` },
    expected: undeclared ? [`compile: undeclared reference to '${undeclared}' (in container '')`] : [],
  }));
}

/** A row of `rule` on a short string: refused with cel-go's `error`, or accepted. */
function shortStringRow(name: string, rule: string, error?: string): RuleCostCase {
  return {
    name,
    spec: { f: `string | maxLength=10 validation="${rule}"` },
    expected: error ? [`compile: ${error}`] : [],
  };
}

/** One row per `[name, rule on a short string, cel-go's error]`: refused with it, or accepted. */
function mixedLiteralRows(rows: readonly (readonly [string, string, string?])[]): RuleCostCase[] {
  return rows.map(([name, rule, error]) => shortStringRow(`mixed-${name}`, rule, error));
}

/** Two rows: the bound `ok` (accepted) and the bound `over` (refused with `refused`). */
function boundary(
  name: string,
  spec: (n: number) => Record<string, unknown>,
  [ok, over]: [number, number],
  refused: string,
  types?: Record<string, unknown>,
): RuleCostCase[] {
  return [
    { name: `${name}-${ok}`, spec: spec(ok), ...(types ? { types } : {}), expected: [] },
    { name: `${name}-${over}`, spec: spec(over), ...(types ? { types } : {}), expected: [refused] },
  ];
}

export const RULE_COST_CASES: readonly RuleCostCase[] = [
  // A rule's cost against 10,000,000: 0.5x, 0.99x, just over, 1.01x, 2x.
  { name: 'quadratic-0-5x', spec: { f: `[]integer | maxItems=912 validation="${QUADRATIC}"` }, expected: [] },
  {
    name: 'quadratic-0-99x',
    spec: { f: `[]integer | maxItems=1290 validation="${QUADRATIC}"` },
    expected: [],
  },
  {
    name: 'quadratic-just-over',
    spec: { f: `[]integer | maxItems=1291 validation="${QUADRATIC}"` },
    expected: ['rule: 1.000654x'],
  },
  {
    name: 'quadratic-1-01x',
    spec: { f: `[]integer | maxItems=1297 validation="${QUADRATIC}"` },
    expected: ['rule: 1.009974x'],
  },
  {
    name: 'quadratic-2x',
    spec: { f: `[]integer | maxItems=1825 validation="${QUADRATIC}"` },
    expected: ['rule: 2.0x'],
  },
  {
    name: 'quadratic-unbounded-integers',
    spec: { f: `[]integer | validation="${QUADRATIC}"` },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  // String operations on unbounded strings (3 MiB each).
  {
    name: 'string-compare-bounded-list',
    spec: { f: `[]string | maxItems=100 validation="${QUADRATIC}"` },
    expected: ['rule: more than 100x', 'contributed', 'total: 31.5x'],
  },
  {
    name: 'string-regex-long',
    spec: { s: `string | validation="self.matches('${LONG_REGEX}')"` },
    expected: ['rule: 1.101006x'],
  },
  {
    name: 'string-regex-long-maxlength',
    spec: { s: `string | maxLength=1000 validation="self.matches('${LONG_REGEX}')"` },
    expected: [],
  },
  {
    name: 'string-lower-unbounded-list',
    spec: { f: `[]string | validation="self.all(x, x.lowerAscii() == x)"` },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  {
    name: 'string-size-unbounded-list',
    spec: { f: `[]string | validation="self.all(x, x.size() < 10)"` },
    expected: [],
  },
  {
    name: 'string-exists-one-unbounded-list',
    spec: { f: `[]string | validation="self.exists_one(x, x == 'a')"` },
    expected: [],
  },
  {
    name: 'string-concat-compare',
    spec: { a: 'string', b: 'string', c: `string | validation="self == oldSelf"` },
    expected: [],
  },
  {
    name: 'string-join-bounded',
    spec: { f: `[]string | maxItems=3 validation="self.join(',').size() < 100"` },
    expected: [],
  },
  {
    name: 'string-join-more',
    spec: { f: `[]string | maxItems=40 validation="self.join(',') != 'x,y'"` },
    expected: ['rule: 1.258291x'],
  },
  {
    name: 'string-replace-unbounded',
    spec: { s: `string | validation="self.replace('a', 'bb').size() > 0"` },
    expected: [],
  },
  {
    name: 'string-contains-unbounded-both',
    spec: { f: `[]string | maxItems=2 validation="self[0].contains(self[1])"` },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  // A computed list: its items' size is read at the rule's own node (the API server's lookup).
  {
    name: 'map-macro-then-exists',
    spec: { f: `[]string | maxItems=10 validation="self.map(x, x + x).exists(y, y == self[0])"` },
    expected: [],
  },
  {
    name: 'filter-then-size',
    spec: { f: `[]string | maxItems=1000 validation="self.filter(x, x.startsWith('a')).size() < 10"` },
    expected: [],
  },
  // all() over maps: keys have no size of their own, values do.
  {
    name: 'map-all-size',
    spec: { m: `map[string]string | validation="self.all(k, self[k].size() < 100)"` },
    expected: [],
  },
  {
    name: 'map-all-key-compare',
    spec: { m: `map[string]string | validation="self.all(k, self[k] == k)"` },
    expected: [],
  },
  {
    name: 'map-all-regex-values',
    spec: { m: `map[string]string | validation="self.all(k, self[k].matches('^a+$'))"` },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  {
    name: 'map-nested-all',
    spec: { m: `map[string]integer | validation="self.all(k, self.all(j, k != j || self[k] == self[j]))"` },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  // Nested lists, with and without maxItems; rules inside lists run once per item.
  {
    name: 'nested-lists-unbounded',
    types: { Row: { cells: '[]integer' } },
    spec: { rows: `[]Row | validation="self.all(r, r.cells.all(c, c > 0))"` },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  {
    name: 'nested-lists-bounded',
    types: { Row: { cells: '[]integer | maxItems=1000' } },
    spec: { rows: `[]Row | maxItems=100 validation="self.all(r, r.cells.all(c, c > 0))"` },
    expected: [],
  },
  {
    name: 'rule-in-unbounded-list',
    types: { Item: { tags: '[]integer | maxItems=100 validation="self.all(x, x > 0)"' } },
    spec: { items: '[]Item' },
    expected: ['rule: 52.6x', 'contributed', 'total: 5.3x'],
  },
  {
    name: 'rule-in-bounded-list',
    types: { Item: { tags: '[]integer | maxItems=100 validation="self.all(x, x > 0)"' } },
    spec: { items: '[]Item | maxItems=1000' },
    expected: [],
  },
  {
    name: 'rule-in-map-values',
    types: { Item: { name: 'string | validation="self.size() > 0"' } },
    spec: { byName: 'map[string]Item' },
    expected: [],
  },
  // Boundaries: the largest bound the API server accepts and the next (function by function).
  // Regex matches on unbounded strings: (3 MiB / 10 + 1) x (regex length / 4) each.
  ...boundary(
    'regex-list',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, x.matches('^[a-z]+$'))"` }),
    [15, 16],
    'rule: 1.006640x',
  ),
  // maxLength counts 4 bytes a character.
  ...boundary(
    'regex-maxlength',
    (n) => ({ s: `string | maxLength=${n} validation="self.matches('${LONG_REGEX}')"` }),
    [714284, 714285],
    'rule: 1.000003x',
  ),
  // Items of a computed list are sized at the node of the rule (here: maxItems).
  ...boundary(
    'map-then-exists',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.map(x, x + x).exists(y, y == self[0])"` }),
    [15, 16],
    'rule: 1.006672x',
  ),
  ...boundary(
    'lower-startswith',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, x.lowerAscii().startsWith(self[0]))"` }),
    [15, 16],
    'rule: 1.006643x',
  ),
  ...boundary(
    'exists-one-contains',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.exists_one(x, x.contains('abc'))"` }),
    [31, 32],
    'rule: 1.006644x',
  ),
  ...boundary(
    'filter-indexof',
    (n) => ({
      f: `[]string | maxItems=${n} validation="self.filter(x, x.size() > 1).all(y, y.indexOf('a') > 0)"`,
    }),
    [9891, 9892],
    'rule: 1.000082x',
  ),
  ...boundary(
    'split-maxlength',
    (n) => ({ s: `string | maxLength=${n} validation="self.split(',').all(p, p.size() < 5)"` }),
    [403225, 403226],
    'rule: 1.000001x',
  ),
  ...boundary(
    'in-list',
    (n) => ({ f: `[]integer | maxItems=${n} validation="self.all(x, x in self)"` }),
    [3159, 3160],
    'rule: 1.000140x',
  ),
  // A transition rule.
  ...boundary(
    'in-old-self',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, x in oldSelf)"` }),
    [3159, 3160],
    'rule: 1.000140x',
  ),
  ...boundary(
    'optional-index',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, self[?0].orValue('') == x)"` }),
    [31, 32],
    'rule: 1.006656x',
  ),
  ...boundary(
    'optional-field',
    (n) => ({ items: `[]Item | maxItems=${n} validation="self.all(i, i.?a.orValue('') == 'x')"` }),
    [1428571, 1428572],
    'rule: 1.000001x',
    { Item: { a: 'string' } },
  ),
  // `-1` is one literal (free); `-(1)` a negation (1).
  ...boundary(
    'negative-literal',
    (n) => ({ f: `[]integer | maxItems=${n} validation="self.all(x, x > -1)"` }),
    [1999999, 2000000],
    'rule: 1.000000x',
  ),
  ...boundary(
    'negated-literal',
    (n) => ({ f: `[]integer | maxItems=${n} validation="self.all(x, x > -(1))"` }),
    [1666666, 1666667],
    'rule: 1.000000x',
  ),
  // has() is free.
  ...boundary(
    'has-field',
    (n) => ({ items: `[]Item | maxItems=${n} validation="self.all(i, has(i.a) && i.a == 'x')"` }),
    [1428571, 1428572],
    'rule: 1.000001x',
    { Item: { a: 'string' } },
  ),
  ...boundary(
    'url-host',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, isURL(x) && url(x).getHost() != '')"` }),
    [31, 32],
    'rule: 1.006656x',
  ),
  ...boundary(
    'replace-size',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, x.replace('a', 'bcd').size() < 100)"` }),
    [15, 16],
    'rule: 1.006643x',
  ),
  ...boundary(
    'join-list',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.join(',') != ''"` }),
    [31, 32],
    'rule: 1.006633x',
  ),
  ...boundary(
    'two-variable-all',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(i, x, x.size() > i)"` }),
    [1428571, 1428572],
    'rule: 1.000001x',
  ),
  // An enum bounds a string by its longest value.
  ...boundary(
    'enum-matches',
    (n) => ({ f: `[]Color | maxItems=${n} validation="self.all(x, x.matches('^(red|green|blue)$'))"` }),
    [91743, 91744],
    'rule: 1.000010x',
    { Color: `string | enum="red,green,${'b'.repeat(200)}"` },
  ),
  ...boundary(
    'ip-list',
    (n) => ({ f: `[]string | maxItems=${n} validation="self.all(x, isIP(x) && ip(x).family() == 4)"` }),
    [15, 16],
    'rule: 1.006645x',
  ),
  ...boundary(
    'quantity-list',
    (n) => ({
      f: `[]string | maxItems=${n} validation="self.all(x, isQuantity(x) && quantity(x).isLessThan(quantity('1Gi')))"`,
    }),
    [15, 16],
    'rule: 1.006645x',
  ),
  // Many rules: the CRD's total against 100,000,000.
  { name: 'total-ten-rules', spec: quadraticFields(10, 1290), expected: [] },
  {
    name: 'total-eleven-rules',
    spec: quadraticFields(11, 1290),
    expected: ['contributed', 'contributed', 'contributed', 'contributed', 'total: 1.099016x'],
  },

  // The environment (issue 12, item 7): only the functions the API server declares for
  // x-kubernetes-validations rules compile; kro's own functions, cel.bind and base64 do not.
  ...functionRows([
    ['kro-random', 'string | maxLength=10', "random.seededString(5, self) != ''", 'random'],
    ['kro-json', 'string | maxLength=10', "json.marshal(self) != ''", 'json'],
    ['kro-hash', 'string | maxLength=10', 'size(hash.sha256(self)) > 0', 'hash'],
    ['kro-lists', '[]integer | maxItems=5', 'lists.setAtIndex(self, 0, 1).size() > 0', 'lists'],
    ['kro-maps', 'map[string]string', 'size(self.deepMerge({})) >= 0', 'deepMerge'],
    ['cel-bind', 'string | maxLength=10', 'cel.bind(x, self, x.size() > 0)', 'cel'],
    ['base64', 'string | maxLength=10', "base64.encode(bytes(self)) != ''", 'base64'],
  ]),
  {
    name: 'env-string-reverse',
    spec: { f: 'string | maxLength=10 validation="self.reverse() != self"' },
    expected: ["compile: found no matching overload for 'reverse' applied to 'string.()'"],
  },
  // A sample of each library the API server does declare: accepted.
  ...functionRows([
    ['quantity', 'string | maxLength=10', "isQuantity(self) && quantity(self).isLessThan(quantity('1Gi'))"],
    ['url', 'string | maxLength=100', "isURL(self) && url(self).getScheme() == 'https'"],
    ['ip', 'string | maxLength=40', 'isIP(self) && ip(self).family() == 4 && !ip(self).isLoopback()'],
    ['cidr', 'string | maxLength=40', "isCIDR(self) && cidr(self).containsIP('10.0.0.1')"],
    ['lists', '[]integer | maxItems=5', 'self.isSorted() && self.sum() >= 0 && self.indexOf(1) < 3'],
    ['regex', 'string | maxLength=10', "self.find('[0-9]+') != '' || self.findAll('x').size() == 0"],
    ['sets', '[]integer | maxItems=5', 'sets.contains(self, [1]) || !sets.intersects(self, [2, 3])'],
    ['two-var', '[]integer | maxItems=5', 'self.all(i, v, v >= i) && self.transformList(i, v, v).size() < 9'],
    ['semver', 'string | maxLength=20', "isSemver(self) && semver(self).isGreaterThan(semver('1.0.0'))"],
    [
      'strings',
      'string | maxLength=10',
      "strings.quote(self).size() < 30 && self.lowerAscii().lastIndexOf('a') < 3 && self.split(',').size() < 4 && self.replace('a', 'b').trim() != ''",
    ],
    [
      'ext-lists',
      '[]integer | maxItems=5',
      'self.distinct().sort() == lists.range(3) && self.reverse() != []',
    ],
    ['optional', 'map[string]string', "self.?a.orValue('') != 'b'"],
  ]),
  // The format library (issue 12's follow-up): every named format compiles, and validate() costs
  // its string's traversal times the longest format regex the API server assumes (128).
  ...functionRows([
    [
      'format',
      'string | maxLength=10',
      'format.named(self).hasValue() || !format.dns1123Label().validate(self).hasValue() && !(format.uri() == format.uuid())',
    ],
    [
      'format-every-name',
      'string | maxLength=10',
      '[format.dns1123Label(), format.dns1123Subdomain(), format.dns1035Label(), format.qualifiedName(), format.dns1123LabelPrefix(), format.dns1123SubdomainPrefix(), format.dns1035LabelPrefix(), format.labelValue(), format.uri(), format.uuid(), format.byte(), format.date(), format.datetime()].exists(f, !f.validate(self).hasValue())',
    ],
  ]),
  {
    // The Kubernetes library prices `==` of two formats, not `!=`, whose sizes are unknown.
    name: 'format-not-equal',
    spec: { f: 'string | maxLength=10 validation="format.uri() != format.uuid()"' },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  ...boundary(
    'format-validate',
    (n) => ({
      f: `[]Name | maxItems=${n} validation="self.all(x, !format.dns1123Label().validate(x).hasValue())"`,
    }),
    [11918, 11919],
    'rule: 1.000004x',
    { Name: 'string | maxLength=63' },
  ),
  ...boundary(
    'format-named-equal',
    (n) => ({
      f: `[]Name | maxItems=${n} validation="self.all(x, format.named(x).orValue(format.uri()) == format.uri())"`,
    }),
    [666666, 666667],
    'rule: 1.000001x',
    { Name: 'string | maxLength=63' },
  ),
  // optMap, optFlatMap and sortBy, costed as cel-go expands them (a bind: the optional's value,
  // or the list, bound to a variable).
  ...boundary(
    'opt-map',
    (n) => ({
      f: `[]Name | maxItems=${n} validation="self.all(x, optional.of(x).optMap(v, v.size()).orValue(0) < 5)"`,
    }),
    [416666, 416667],
    'rule: 1.000001x',
    { Name: 'string | maxLength=63' },
  ),
  ...boundary(
    'opt-flat-map',
    (n) => ({
      f: `[]Name | maxItems=${n} validation="self.all(x, optional.of(x).optFlatMap(v, optional.of(v.size())).hasValue())"`,
    }),
    [434782, 434783],
    'rule: 1.000001x',
    { Name: 'string | maxLength=63' },
  ),
  {
    // The value bound by optMap has no schema path, so a string of it is of unknown size.
    name: 'opt-map-unbounded-value',
    spec: {
      f: `string | maxLength=10 validation="optional.of(self).optMap(v, v.matches('a')).orValue(false)"`,
    },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
  ...boundary(
    'sort-by-string',
    (n) => ({ f: `[]Name | maxItems=${n} validation="self.sortBy(e, e).size() > 0"` }),
    [2179, 2180],
    'rule: 1.000842x',
    { Name: 'string | maxLength=63' },
  ),
  ...boundary(
    'sort-by-int',
    (n) => ({ f: `[]integer | maxItems=${n} validation="self.sortBy(e, -e).size() > 0"` }),
    [2232, 2233],
    'rule: 1.000388x',
  ),
  // A dyn list may hold strings: every sort overload is kept, and the costliest (strings) counts.
  ...boundary(
    'sort-dyn',
    (n) => ({ f: `[]integer | maxItems=${n} validation="dyn(self).sort().size() > 0"` }),
    [2182, 2183],
    'rule: 1.000754x',
  ),
  ...boundary(
    'sort-list-of-dyn',
    (n) => ({ f: `[]integer | maxItems=${n} validation="self.map(x, dyn(x)).sort().size() > 0"` }),
    [2178, 2179],
    'rule: 1.000142x',
  ),
  ...boundary(
    'sort-by-dyn',
    (n) => ({ f: `[]integer | maxItems=${n} validation="self.sortBy(e, dyn(e)).size() > 0"` }),
    [2178, 2179],
    'rule: 1.000143x',
  ),
  ...boundary(
    'sets-quadratic',
    (n) => ({ f: `[]integer | maxItems=${n} validation="sets.contains(self, self)"` }),
    [3162, 3163],
    'rule: 1.000457x',
  ),
  // Calls the format library (or a namespace) does not declare, in cel-go's words.
  ...(
    [
      [
        'format-validate-int',
        'format.dns1123Label().validate(1).hasValue()',
        "found no matching overload for 'validate' applied to 'kubernetes.NamedFormat.(int)'",
      ],
      [
        'format-named-int',
        'format.named(1).hasValue()',
        "found no matching overload for 'format.named' applied to '(int)'",
      ],
      [
        'format-unknown',
        'format.bogus().validate(self).hasValue()',
        "undeclared reference to 'format' (in container '')",
      ],
      ['format-as-value', 'format == 1', "undeclared reference to 'format' (in container '')"],
      ['sets-unknown', 'sets.bogus(self)', "undeclared reference to 'sets' (in container '')"],
      ['optional-unknown', 'optional.bogus(self)', "undeclared reference to 'optional' (in container '')"],
    ] as const
  ).map(([name, rule, error]) => shortStringRow(`env-${name}`, rule as string, error)),
  // List and map literals must not mix types (cel-go's HomogeneousAggregateLiterals).
  ...mixedLiteralRows([
    ['list', "[1, 2].size() > 0 && [1, 'a'].size() > 0", "expected type 'int' but found 'string'"],
    ['list-double', '[1, 2.0].size() > 0', "expected type 'int' but found 'double'"],
    ['list-null', "[null, 'a'].size() > 0", "expected type 'null' but found 'string'"],
    [
      'list-time',
      "[timestamp('2020-01-01T00:00:00Z'), duration('1s')].size() > 0",
      "expected type 'timestamp' but found 'duration'",
    ],
    ['list-optional', '[optional.of(1), 1].size() > 0', "expected type 'optional_type(int)' but found 'int'"],
    [
      'list-map',
      "[{'a': 1}, {'a': 'b'}].size() > 0",
      "expected type 'map(string, int)' but found 'map(string, string)'",
    ],
    ['list-dyn', '[dyn(1), 1].size() > 0', "expected type 'dyn' but found 'int'"],
    ['list-self', '[self, 1].size() > 0', "expected type 'string' but found 'int'"],
    ['nested', "[[1], ['a']].size() > 0", "expected type 'list(int)' but found 'list(string)'"],
    ['nested-empty', '[[], [1]].size() > 0 && [[1], []].size() > 0'],
    ['map-value', "{'a': 1, 'b': 'x'}.size() > 0", "expected type 'int' but found 'string'"],
    ['map-key', "{1: 'a', 'b': 'c'}.size() > 0", "expected type 'int' but found 'string'"],
    ['optional-element', '[?optional.of(1), 2].size() > 0'],
    ['optional-element-mixed', "[?optional.of('a'), 2].size() > 0", "expected type 'string' but found 'int'"],
    ['optional-entry', "{?'a': optional.of(1), 'b': 2}.size() > 0"],
    ['in-format', "'%d %s'.format([1, 'a']) != ''"],
  ]),
  // A string the estimate cannot bound (join and quote give strings of unknown size) compared.
  {
    name: 'env-strings-unbounded-result',
    spec: {
      f: `string | maxLength=10 validation="['a', self].join('-') != strings.quote(self).lowerAscii().substring(1)"`,
    },
    expected: ['rule: more than 100x', 'contributed', 'total: more than 100x'],
  },
];

const pascal = (name: string): string =>
  name
    .split('-')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('');

/** The RGD of a row: its schema and one ConfigMap. */
export function ruleCostRgd(c: RuleCostCase): Record<string, unknown> {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: `cost-${c.name}` },
    spec: {
      schema: {
        apiVersion: 'v1alpha1',
        kind: `Cost${pascal(c.name)}`,
        spec: c.spec,
        ...(c.types ? { types: c.types } : {}),
      },
      resources: [
        {
          id: 'cm',
          template: {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a kro expression
            metadata: { name: '${schema.metadata.name}' },
            data: { k: 'v' },
          },
        },
      ],
    },
  };
}

/**
 * The cost verdict in a list of error messages (the API server's causes or kro-gen's
 * diagnostics), sorted: `rule: <factor>`, `contributed`, `total: <factor>`; any other error as
 * `other: <message>`.
 */
export function costVerdict(messages: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of messages) {
    const total =
      /estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of (.+?) \(try/.exec(m);
    const rule = /estimated rule cost exceeds budget by factor of (.+?) \(try/.exec(m);
    // The API server's first compile error, or kro-gen's.
    const compile =
      /compilation failed: ERROR: <input>:\d+:\d+: (.*)/.exec(m) ?? /does not compile: (.*)/.exec(m);
    if (total) out.push(`total: ${total[1]}`);
    else if (rule) out.push(`rule: ${rule[1]}`);
    else if (m.includes('contributed to estimated rule cost total exceeding cost limit'))
      out.push('contributed');
    else if (compile) out.push(`compile: ${compile[1]}`);
    else out.push(`other: ${m}`);
  }
  return out.sort();
}

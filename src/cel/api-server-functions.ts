// The functions and macros of the Kubernetes API server's CEL environment for CRD validation
// rules (kube-apiserver v1.36, the stored-expression environment of
// k8s.io/apiserver/pkg/cel/environment/base.go at v0.36.3). kro's environment differs: it adds
// cel.bind, base64, string `reverse` (ext.Strings past version 2) and kro's own libraries, and
// lacks `format` (and the authorizer functions, which a CRD rule cannot reach). A rule the API
// server cannot compile must not pass kro-gen, so rules are checked in kro's environment (whose
// function implementations they share) and then held to this list, with cel-go's wording.
//
// Listed from the environment's own declarations (a one-off dump of
// StoredExpressionsEnv().Functions() and Macros() for version 1.36), operators left out.
import type { ASTNode } from '@marcbachmann/cel-js';
import { NAMESPACE_IDENTIFIERS } from './environment.js';
import { childNodes } from './references.js';

const API_SERVER_FUNCTIONS: ReadonlySet<string> = new Set([
  // cel-go's standard declarations and macros.
  ...['bool', 'bytes', 'double', 'duration', 'dyn', 'int', 'string', 'timestamp', 'type', 'uint'],
  ...['contains', 'endsWith', 'matches', 'size', 'startsWith', 'in'],
  ...['getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear', 'getFullYear', 'getHours'],
  ...['getMilliseconds', 'getMinutes', 'getMonth', 'getSeconds'],
  ...['has', 'all', 'exists', 'exists_one', 'map', 'filter'],
  // cel.OptionalTypes (1.28).
  ...['optional.none', 'optional.of', 'optional.ofNonZeroValue', 'optional.unwrap', 'hasValue'],
  ...['or', 'orValue', 'value', 'unwrapOpt', 'optMap', 'optFlatMap'],
  // ext.Strings version 2 (1.29): no string `reverse` (version 3).
  ...['charAt', 'format', 'indexOf', 'join', 'lastIndexOf', 'lowerAscii', 'replace', 'split'],
  ...['strings.quote', 'substring', 'trim', 'upperAscii'],
  // ext.Sets (1.29).
  ...['sets.contains', 'sets.equivalent', 'sets.intersects'],
  // ext.TwoVarComprehensions (1.32).
  ...['existsOne', 'transformList', 'transformMap', 'transformMapEntry'],
  // ext.Lists version 3 (1.34).
  ...['distinct', 'flatten', 'lists.range', 'reverse', 'slice', 'sort', 'sortBy', 'first', 'last'],
  // Kubernetes' libraries: URLs, Regex, Lists (1.0), Quantity (1.28), IP and CIDR (1.30),
  // Format (1.31), Semver version 1 (1.33).
  ...['url', 'isURL', 'getEscapedPath', 'getHost', 'getHostname', 'getPort', 'getQuery', 'getScheme'],
  ...['find', 'findAll', 'isSorted', 'sum', 'min', 'max'],
  ...['quantity', 'isQuantity', 'add', 'sub', 'asApproximateFloat', 'asInteger', 'compareTo'],
  ...['isGreaterThan', 'isLessThan', 'isInteger', 'sign'],
  ...['ip', 'isIP', 'ip.isCanonical', 'family', 'isUnspecified', 'isLoopback', 'isGlobalUnicast'],
  ...['isLinkLocalMulticast', 'isLinkLocalUnicast', 'cidr', 'isCIDR', 'containsIP', 'containsCIDR'],
  ...['masked', 'prefixLength'],
  ...['format.named', 'format.byte', 'format.date', 'format.datetime', 'format.dns1035Label'],
  ...['format.dns1035LabelPrefix', 'format.dns1123Label', 'format.dns1123LabelPrefix'],
  ...['format.dns1123Subdomain', 'format.dns1123SubdomainPrefix', 'format.labelValue'],
  ...['format.qualifiedName', 'format.uri', 'format.uuid', 'validate'],
  ...['semver', 'isSemver', 'major', 'minor', 'patch'],
]);

// Functions the API server has under a name it also declares for other receivers: the
// receiver kinds (the library's checked type kinds) it declares them for.
const RECEIVERS: Readonly<Record<string, ReadonlySet<string>>> = {
  // ext.Lists' `reverse`; the string one is ext.Strings version 3.
  reverse: new Set(['list', 'dyn']),
};

const CEL_GO_RECEIVER: Readonly<Record<string, string>> = { string: 'string', bytes: 'bytes', int: 'int' };

export interface ApiServerProblem {
  /** cel-go's words, as the API server reports them after `compilation failed: ERROR: ...`. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

const undeclared = (name: string): string => `undeclared reference to '${name}' (in container '')`;

/**
 * cel-go's words for a rule that did not type-check (`message`, kro-gen's cel-go wording) where a
 * namespace is involved: cel-go knows no namespaces, only qualified function names, so a function
 * the namespace lacks (`sets.bogus(x)`), or the namespace used as a value (`sets == 1`), is a
 * reference to an undeclared identifier.
 */
export function apiServerCheckMessage(message: string): string {
  const call = /^found no matching overload for '(\w+)\.(\w+)' applied to /.exec(message);
  if (
    call &&
    NAMESPACE_IDENTIFIERS.has(call[1] as string) &&
    !API_SERVER_FUNCTIONS.has(`${call[1]}.${call[2]}`)
  )
    return undeclared(call[1] as string);
  const value = /^found no matching overload for '[^']*' applied to '.*\b(\w+)Namespace\b/.exec(message);
  const ns = value?.[1] ? `${value[1][0]?.toLowerCase()}${value[1].slice(1)}` : undefined;
  if (ns && NAMESPACE_IDENTIFIERS.has(ns)) return undeclared(ns);
  return message;
}

/**
 * The first call in `ast` (checked in kro's environment, `variables` declared) to a function or
 * macro the API server's CRD validation environment does not declare, in source order.
 */
export function apiServerFunctionProblem(
  ast: ASTNode,
  variables: ReadonlySet<string>,
): ApiServerProblem | undefined {
  const pending: ASTNode[] = [ast];
  while (pending.length > 0) {
    const n = pending.shift() as ASTNode;
    if (n.op === 'call') {
      const name = n.args[0];
      if (!API_SERVER_FUNCTIONS.has(name)) return { message: undeclared(name), start: n.start, end: n.end };
    } else if (n.op === 'rcall') {
      const [name, target] = n.args;
      const namespace =
        target.op === 'id' && NAMESPACE_IDENTIFIERS.has(target.args) && !variables.has(target.args)
          ? target.args
          : undefined;
      if (namespace !== undefined) {
        // cel-go tries `ns.fn` as one function, then reads `ns` as an identifier.
        if (!API_SERVER_FUNCTIONS.has(`${namespace}.${name}`))
          return { message: undeclared(namespace), start: target.start, end: target.end };
        pending.unshift(...n.args[2]);
        continue;
      }
      if (!API_SERVER_FUNCTIONS.has(name)) return { message: undeclared(name), start: n.start, end: n.end };
      const kind = (target as { checkedType?: { kind: string; name: string } }).checkedType;
      const allowed = RECEIVERS[name];
      if (allowed && kind && !allowed.has(kind.kind)) {
        const receiver = CEL_GO_RECEIVER[kind.name] ?? kind.name;
        return {
          message: `found no matching overload for '${name}' applied to '${receiver}.()'`,
          start: n.start,
          end: n.end,
        };
      }
    }
    pending.unshift(...childNodes(n));
  }
  return undefined;
}

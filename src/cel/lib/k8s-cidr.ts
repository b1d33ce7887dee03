// Kubernetes' CEL CIDR library (k8s.io/apiserver/pkg/cel/library/cidr.go) on Go netip prefixes.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { goQuote } from '../goquote.js';
import type { CelLibrary } from '../library.js';
import { IP_TYPE, parseKubernetesIp } from './k8s-ip.js';
import {
  maskPrefix,
  type NetAddr,
  NetParseError,
  NetPrefix,
  parsePrefix,
  prefixContains,
  prefixOverlaps,
} from './k8s-netip.js';

export const CIDR_TYPE = 'net.CIDR';

// Kubernetes wraps the netip error twice ("network address parse error during conversion from
// string: network address parse error ..."); the texts are kept as they are.
const PREFIX = 'network address parse error during conversion from string: ';

export function parseKubernetesCidr(s: string): NetPrefix {
  let p: NetPrefix;
  try {
    p = parsePrefix(s);
  } catch (e) {
    if (e instanceof NetParseError) throw new EvaluationError(`${PREFIX}${PREFIX}${e.message}`);
    throw e;
  }
  if (p.addr.is4In6)
    throw new EvaluationError(`${PREFIX}IPv4-mapped IPv6 address ${goQuote(s)} is not allowed`);
  return p;
}

export function isCidr(s: string): boolean {
  try {
    parseKubernetesCidr(s);
    return true;
  } catch (e) {
    if (e instanceof EvaluationError) return false;
    throw e;
  }
}

export function containsCidr(p: NetPrefix, other: NetPrefix): boolean {
  return prefixOverlaps(p, other) && p.bits <= other.bits;
}

export const kubernetesCidrLibrary: CelLibrary = {
  name: 'kubernetes.net.cidr',
  register(env: Environment): void {
    const T = CIDR_TYPE;
    env.registerType(T, NetPrefix);
    env.registerFunction(`cidr(string): ${T}`, parseKubernetesCidr);
    env.registerFunction('isCIDR(string): bool', isCidr);
    env.registerFunction(`string(${T}): string`, (p: NetPrefix) => p.toString());
    env.registerFunction(`${T}.containsIP(${IP_TYPE}): bool`, prefixContains);
    // Kubernetes drops the parse error of a bad address string and reports "no such overload".
    env.registerFunction(`${T}.containsIP(string): bool`, (p: NetPrefix, s: string) => {
      let a: NetAddr;
      try {
        a = parseKubernetesIp(s);
      } catch {
        throw new EvaluationError('no such overload');
      }
      return prefixContains(p, a);
    });
    env.registerFunction(`${T}.containsCIDR(${T}): bool`, containsCidr);
    env.registerFunction(`${T}.containsCIDR(string): bool`, (p: NetPrefix, s: string) =>
      containsCidr(p, parseKubernetesCidr(s)),
    );
    env.registerFunction(`${T}.ip(): ${IP_TYPE}`, (p: NetPrefix) => p.addr);
    env.registerFunction(`${T}.prefixLength(): int`, (p: NetPrefix) => BigInt(p.bits));
    env.registerFunction(`${T}.masked(): ${T}`, maskPrefix);
    env.registerOperator(`${T} == ${T}`, (a: NetPrefix, b: NetPrefix) => a.equals(b));
  },
};

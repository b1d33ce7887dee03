// Kubernetes' CEL IP library (k8s.io/apiserver/pkg/cel/library/ip.go) on Go netip semantics
// (k8s-netip.ts). Zones and IPv4-mapped IPv6 addresses are rejected, as Kubernetes does.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { goQuote } from '../goquote.js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';
import {
  formatAddr,
  isGlobalUnicast,
  isLinkLocalMulticast,
  isLinkLocalUnicast,
  isLoopback,
  isUnspecified,
  NetAddr,
  NetParseError,
  parseAddr,
} from './k8s-netip.js';

export const IP_TYPE = 'net.IP';

/** The address Kubernetes accepts for `ip(s)`; throws with its error texts. */
export function parseKubernetesIp(s: string): NetAddr {
  let addr: NetAddr;
  try {
    addr = parseAddr(s);
  } catch (e) {
    if (e instanceof NetParseError) {
      throw new EvaluationError(
        `IP Address ${goQuote(s)} parse error during conversion from string: ${e.message}`,
      );
    }
    throw e;
  }
  if (addr.zone !== '') throw new EvaluationError(`IP address ${goQuote(s)} with zone value is not allowed`);
  if (addr.is4In6) throw new EvaluationError(`IPv4-mapped IPv6 address ${goQuote(s)} is not allowed`);
  return addr;
}

export function isIp(s: string): boolean {
  try {
    parseKubernetesIp(s);
    return true;
  } catch (e) {
    if (e instanceof EvaluationError) return false;
    throw e;
  }
}

/** `ip.isCanonical(s)`: whether s is already the address's canonical text; errors if not an IP. */
export function isCanonicalIp(s: string): boolean {
  return formatAddr(parseKubernetesIp(s)) === s;
}

export const kubernetesIpLibrary: CelLibrary = {
  name: 'kubernetes.net.ip',
  register(env: Environment): void {
    const T = IP_TYPE;
    env.registerType(T, NetAddr);
    env.registerFunction(`ip(string): ${T}`, parseKubernetesIp);
    env.registerFunction('isIP(string): bool', isIp);
    registerNamespacedFunction(env, 'ip', 'isCanonical(string): bool', isCanonicalIp);
    env.registerFunction(`string(${T}): string`, formatAddr);
    env.registerFunction(`${T}.family(): int`, (a: NetAddr) => (a.is4 ? 4n : 6n));
    env.registerFunction(`${T}.isUnspecified(): bool`, isUnspecified);
    env.registerFunction(`${T}.isLoopback(): bool`, isLoopback);
    env.registerFunction(`${T}.isLinkLocalMulticast(): bool`, isLinkLocalMulticast);
    env.registerFunction(`${T}.isLinkLocalUnicast(): bool`, isLinkLocalUnicast);
    env.registerFunction(`${T}.isGlobalUnicast(): bool`, isGlobalUnicast);
    env.registerOperator(`${T} == ${T}`, (a: NetAddr, b: NetAddr) => a.equals(b));
  },
};

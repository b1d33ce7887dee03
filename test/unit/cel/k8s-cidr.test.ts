import { describe, expect, it } from 'vitest';
import { kubernetesCidrLibrary } from '../../../src/cel/lib/k8s-cidr.js';
import { kubernetesIpLibrary } from '../../../src/cel/lib/k8s-ip.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const CIDR_CASES: readonly Case[] = [
  { expr: "ip('127.0.0.1') == cidr('127.0.0.1/32').ip()", type: 'bool', value: true },
  { expr: "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", type: 'bool', value: true },
  { expr: "cidr('192.168.0.0/24').containsIP(ip('192.168.1.1'))", type: 'bool', value: false },
  { expr: "cidr('192.168.0.0/24').containsIP('192.168.0.1')", type: 'bool', value: true },
  { expr: "cidr('192.168.0.0/24').containsIP('bad')", error: 'no such overload' },
  { expr: "cidr('192.168.0.0/24').containsIP(ip('::1'))", type: 'bool', value: false },
  { expr: "cidr('::/0').containsIP(ip('1.2.3.4'))", type: 'bool', value: false },
  { expr: "cidr('0.0.0.0/0').containsIP(ip('::1'))", type: 'bool', value: false },
  { expr: "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", type: 'bool', value: true },
  { expr: "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/23'))", type: 'bool', value: false },
  { expr: "cidr('192.168.0.0/24').containsCIDR('192.168.0.128/25')", type: 'bool', value: true },
  {
    expr: "cidr('192.168.0.0/24').containsCIDR('bad')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("bad"): no \'/\'',
  },
  { expr: "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/24'))", type: 'bool', value: true },
  { expr: "cidr('192.168.0.0/24').containsCIDR(cidr('10.0.0.0/8'))", type: 'bool', value: false },
  { expr: "cidr('192.168.0.1/24').containsCIDR(cidr('192.168.0.5/32'))", type: 'bool', value: true },
  { expr: "cidr('::/0').containsCIDR(cidr('0.0.0.0/0'))", type: 'bool', value: false },
  { expr: "cidr('192.168.0.0/24').prefixLength()", type: 'int', value: '24' },
  { expr: "cidr('::1/128').prefixLength()", type: 'int', value: '128' },
  { expr: "cidr('192.168.0.1/24').ip()", type: 'net.IP', value: '192.168.0.1' },
  { expr: "string(cidr('192.168.0.1/24').ip())", type: 'string', value: '192.168.0.1' },
  { expr: "string(cidr('192.168.0.1/24').masked())", type: 'string', value: '192.168.0.0/24' },
  { expr: "string(cidr('2001:db8::1/32').masked())", type: 'string', value: '2001:db8::/32' },
  { expr: "string(cidr('192.168.0.1/24'))", type: 'string', value: '192.168.0.1/24' },
  { expr: "string(cidr('2001:DB8::1/32'))", type: 'string', value: '2001:db8::1/32' },
  { expr: "cidr('192.168.0.1/24') == cidr('192.168.0.1/24')", type: 'bool', value: true },
  { expr: "cidr('192.168.0.1/24') == cidr('192.168.0.0/24')", type: 'bool', value: false },
  { expr: "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", type: 'bool', value: true },
  {
    expr: "cidr('192.168.0.0/33')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/33"): prefix length out of range',
  },
  {
    expr: "cidr('192.168.0.0')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0"): no \'/\'',
  },
  {
    expr: "cidr('192.168.0.0/')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""',
  },
  {
    expr: "cidr('192.168.0.0/-1')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/-1"): bad bits after slash: "-1"',
  },
  {
    expr: "cidr('192.168.0.0/+1')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/+1"): bad bits after slash: "+1"',
  },
  {
    expr: "cidr('192.168.0.0/01')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/01"): bad bits after slash: "01"',
  },
  {
    expr: "cidr('192.168.0.0/a')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/a"): bad bits after slash: "a"',
  },
  {
    expr: "cidr('::ffff:1.2.3.4/96')",
    error:
      'network address parse error during conversion from string: IPv4-mapped IPv6 address "::ffff:1.2.3.4/96" is not allowed',
  },
  {
    expr: "cidr('fe80::1%eth0/64')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("fe80::1%eth0/64"): IPv6 zones cannot be present in a prefix',
  },
  {
    expr: "cidr('::/129')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("::/129"): prefix length out of range',
  },
  {
    expr: "cidr('1.2.3/8')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("1.2.3/8"): ParseAddr("1.2.3"): IPv4 address too short',
  },
  {
    expr: "cidr('')",
    error:
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(""): no \'/\'',
  },
  { expr: "isCIDR('192.168.0.0/24')", type: 'bool', value: true },
  { expr: "isCIDR('192.168.0.0/33')", type: 'bool', value: false },
  { expr: "isCIDR('::ffff:1.2.3.4/96')", type: 'bool', value: false },
  { expr: "isCIDR('192.168.0.0')", type: 'bool', value: false },
  { expr: "string(cidr('0.0.0.0/0'))", type: 'string', value: '0.0.0.0/0' },
  { expr: "cidr('10.0.0.0/8').containsIP('10.1.2.3')", type: 'bool', value: true },
];

describe('kubernetes cidr library', () => {
  const env = envWith(kubernetesIpLibrary, kubernetesCidrLibrary);
  runTable(env, CIDR_CASES);

  it('has net.CIDR as its CEL type', () => {
    expect(String(env.evaluate("type(cidr('::/0'))"))).toContain('net.CIDR');
  });
});

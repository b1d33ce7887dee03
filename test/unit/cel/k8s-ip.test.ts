import { describe, expect, it } from 'vitest';
import { kubernetesIpLibrary } from '../../../src/cel/lib/k8s-ip.js';
import { formatAddr, isLoopback, parseAddr } from '../../../src/cel/lib/k8s-netip.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const IP_CASES: readonly Case[] = [
  { expr: "ip('192.168.0.1').family()", type: 'int', value: '4' },
  { expr: "ip('::1').family()", type: 'int', value: '6' },
  { expr: "ip('192.168.0.1')", type: 'net.IP', value: '192.168.0.1' },
  { expr: "string(ip('192.168.0.1'))", type: 'string', value: '192.168.0.1' },
  { expr: "string(ip('2001:db8::68'))", type: 'string', value: '2001:db8::68' },
  { expr: "string(ip('2001:DB8:0:0:0:0:0:68'))", type: 'string', value: '2001:db8::68' },
  { expr: "string(ip('::'))", type: 'string', value: '::' },
  { expr: "string(ip('0:0:0:0:0:0:0:1'))", type: 'string', value: '::1' },
  { expr: "string(ip('1:0:0:1:0:0:0:1'))", type: 'string', value: '1:0:0:1::1' },
  { expr: "string(ip('1:0:0:0:1:0:0:1'))", type: 'string', value: '1::1:0:0:1' },
  { expr: "string(ip('1:0:1:0:1:0:1:0'))", type: 'string', value: '1:0:1:0:1:0:1:0' },
  { expr: "string(ip('::ffff:0:0'))", error: 'IPv4-mapped IPv6 address "::ffff:0:0" is not allowed' },
  { expr: "string(ip('64:ff9b::1.2.3.4'))", type: 'string', value: '64:ff9b::102:304' },
  { expr: "string(ip('::1.2.3.4'))", type: 'string', value: '::102:304' },
  { expr: "ip('::ffff:1.2.3.4')", error: 'IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed' },
  { expr: "ip('::ffff:c0a8:1')", error: 'IPv4-mapped IPv6 address "::ffff:c0a8:1" is not allowed' },
  { expr: "ip('fe80::1%eth0')", error: 'IP address "fe80::1%eth0" with zone value is not allowed' },
  {
    expr: "ip('192.168.0.1%eth0')",
    error:
      'IP Address "192.168.0.1%eth0" parse error during conversion from string: ParseAddr("192.168.0.1%eth0"): unexpected character (at "%eth0")',
  },
  {
    expr: "ip('')",
    error: 'IP Address "" parse error during conversion from string: ParseAddr(""): unable to parse IP',
  },
  {
    expr: "ip('1.2.3')",
    error:
      'IP Address "1.2.3" parse error during conversion from string: ParseAddr("1.2.3"): IPv4 address too short',
  },
  {
    expr: "ip('1.2.3.4.5')",
    error:
      'IP Address "1.2.3.4.5" parse error during conversion from string: ParseAddr("1.2.3.4.5"): IPv4 address too long',
  },
  {
    expr: "ip('1.2.3.256')",
    error:
      'IP Address "1.2.3.256" parse error during conversion from string: ParseAddr("1.2.3.256"): IPv4 field has value >255',
  },
  {
    expr: "ip('1.2.3.04')",
    error:
      'IP Address "1.2.3.04" parse error during conversion from string: ParseAddr("1.2.3.04"): IPv4 field has octet with leading zero',
  },
  {
    expr: "ip('1..2.3')",
    error:
      'IP Address "1..2.3" parse error during conversion from string: ParseAddr("1..2.3"): IPv4 field must have at least one digit (at ".2.3")',
  },
  {
    expr: "ip('.1.2.3')",
    error:
      'IP Address ".1.2.3" parse error during conversion from string: ParseAddr(".1.2.3"): IPv4 field must have at least one digit (at ".1.2.3")',
  },
  {
    expr: "ip('1.2.3.')",
    error:
      'IP Address "1.2.3." parse error during conversion from string: ParseAddr("1.2.3."): IPv4 field must have at least one digit (at ".")',
  },
  {
    expr: "ip('1.2.3.a')",
    error:
      'IP Address "1.2.3.a" parse error during conversion from string: ParseAddr("1.2.3.a"): unexpected character (at "a")',
  },
  {
    expr: "ip('a')",
    error: 'IP Address "a" parse error during conversion from string: ParseAddr("a"): unable to parse IP',
  },
  {
    expr: "ip('%eth0')",
    error:
      'IP Address "%eth0" parse error during conversion from string: ParseAddr("%eth0"): missing IPv6 address',
  },
  {
    expr: "ip('::1%')",
    error:
      'IP Address "::1%" parse error during conversion from string: ParseAddr("::1%"): zone must be a non-empty string',
  },
  {
    expr: "ip('1:2:3:4:5:6:7:8:9')",
    error:
      'IP Address "1:2:3:4:5:6:7:8:9" parse error during conversion from string: ParseAddr("1:2:3:4:5:6:7:8:9"): trailing garbage after address (at "9")',
  },
  {
    expr: "ip('1:2:3:4:5:6:7')",
    error:
      'IP Address "1:2:3:4:5:6:7" parse error during conversion from string: ParseAddr("1:2:3:4:5:6:7"): address string too short',
  },
  {
    expr: "ip('1::2::3')",
    error:
      'IP Address "1::2::3" parse error during conversion from string: ParseAddr("1::2::3"): multiple :: in address (at ":3")',
  },
  {
    expr: "ip('12345::1')",
    error:
      'IP Address "12345::1" parse error during conversion from string: ParseAddr("12345::1"): each group must have 4 or less digits (at "12345::1")',
  },
  { expr: "ip('1:2:3:4:5:6:7::')", type: 'net.IP', value: '1:2:3:4:5:6:7:0' },
  {
    expr: "ip('::1:2:3:4:5:6:7:8')",
    error:
      'IP Address "::1:2:3:4:5:6:7:8" parse error during conversion from string: ParseAddr("::1:2:3:4:5:6:7:8"): the :: must expand to at least one field of zeros',
  },
  { expr: "ip('1:2:3:4:5:6:1.2.3.4').family()", type: 'int', value: '6' },
  {
    expr: "ip('1:2:3:4:5:1.2.3.4')",
    error:
      'IP Address "1:2:3:4:5:1.2.3.4" parse error during conversion from string: ParseAddr("1:2:3:4:5:1.2.3.4"): embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")',
  },
  {
    expr: "ip('1:2:3:4:5:6:7:1.2.3.4')",
    error:
      'IP Address "1:2:3:4:5:6:7:1.2.3.4" parse error during conversion from string: ParseAddr("1:2:3:4:5:6:7:1.2.3.4"): embedded IPv4 address must replace the final 2 fields of the address (at "1.2.3.4")',
  },
  {
    expr: "ip('::1.2.3')",
    error:
      'IP Address "::1.2.3" parse error during conversion from string: ParseAddr("::1.2.3"): IPv4 address too short',
  },
  {
    expr: "ip('1:')",
    error:
      'IP Address "1:" parse error during conversion from string: ParseAddr("1:"): colon must be followed by more characters (at ":")',
  },
  {
    expr: "ip(':1')",
    error:
      'IP Address ":1" parse error during conversion from string: ParseAddr(":1"): each colon-separated field must have at least one digit (at ":1")',
  },
  {
    expr: "ip('1:2:3:4:5:6:7:8x')",
    error:
      'IP Address "1:2:3:4:5:6:7:8x" parse error during conversion from string: ParseAddr("1:2:3:4:5:6:7:8x"): unexpected character, want colon (at "x")',
  },
  {
    expr: "ip('g::1')",
    error:
      'IP Address "g::1" parse error during conversion from string: ParseAddr("g::1"): each colon-separated field must have at least one digit (at "g::1")',
  },
  { expr: "isIP('192.168.0.1')", type: 'bool', value: true },
  { expr: "isIP('::ffff:1.2.3.4')", type: 'bool', value: false },
  { expr: "isIP('fe80::1%eth0')", type: 'bool', value: false },
  { expr: "isIP('not.an.ip')", type: 'bool', value: false },
  { expr: "ip.isCanonical('127.0.0.1')", type: 'bool', value: true },
  { expr: "ip.isCanonical('2001:db8::abcd')", type: 'bool', value: true },
  { expr: "ip.isCanonical('2001:DB8::ABCD')", type: 'bool', value: false },
  { expr: "ip.isCanonical('2001:db8::0:0:0:abcd')", type: 'bool', value: false },
  {
    expr: "ip.isCanonical('bad')",
    error: 'IP Address "bad" parse error during conversion from string: ParseAddr("bad"): unable to parse IP',
  },
  { expr: "ip('127.0.0.1').isUnspecified()", type: 'bool', value: false },
  { expr: "ip('0.0.0.0').isUnspecified()", type: 'bool', value: true },
  { expr: "ip('::').isUnspecified()", type: 'bool', value: true },
  { expr: "ip('127.0.0.1').isLoopback()", type: 'bool', value: true },
  { expr: "ip('127.255.0.1').isLoopback()", type: 'bool', value: true },
  { expr: "ip('::1').isLoopback()", type: 'bool', value: true },
  { expr: "ip('::2').isLoopback()", type: 'bool', value: false },
  { expr: "ip('224.0.0.1').isLinkLocalMulticast()", type: 'bool', value: true },
  { expr: "ip('224.0.1.1').isLinkLocalMulticast()", type: 'bool', value: false },
  { expr: "ip('ff02::1').isLinkLocalMulticast()", type: 'bool', value: true },
  { expr: "ip('ff12::1').isLinkLocalMulticast()", type: 'bool', value: true },
  { expr: "ip('ff03::1').isLinkLocalMulticast()", type: 'bool', value: false },
  { expr: "ip('169.254.1.1').isLinkLocalUnicast()", type: 'bool', value: true },
  { expr: "ip('169.255.1.1').isLinkLocalUnicast()", type: 'bool', value: false },
  { expr: "ip('fe80::1').isLinkLocalUnicast()", type: 'bool', value: true },
  { expr: "ip('febf::1').isLinkLocalUnicast()", type: 'bool', value: true },
  { expr: "ip('fec0::1').isLinkLocalUnicast()", type: 'bool', value: false },
  { expr: "ip('192.168.0.1').isGlobalUnicast()", type: 'bool', value: true },
  { expr: "ip('255.255.255.255').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('0.0.0.0').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('127.0.0.1').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('224.0.0.1').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('169.254.0.1').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('2001:db8::1').isGlobalUnicast()", type: 'bool', value: true },
  { expr: "ip('::1').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('ff00::1').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('fe80::1').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('::').isGlobalUnicast()", type: 'bool', value: false },
  { expr: "ip('10.0.0.1').isGlobalUnicast()", type: 'bool', value: true },
  { expr: "ip('127.0.0.1') == ip('127.0.0.1')", type: 'bool', value: true },
  { expr: "ip('127.0.0.1') == ip('127.0.0.2')", type: 'bool', value: false },
  { expr: "ip('::1') == ip('0::1')", type: 'bool', value: true },
  { expr: "string(ip('::ffff:1:2'))", error: 'IPv4-mapped IPv6 address "::ffff:1:2" is not allowed' },
  { expr: "string(ip('1::'))", type: 'string', value: '1::' },
  { expr: "string(ip('1:0::'))", type: 'string', value: '1::' },
  { expr: "string(ip('0:0:1::'))", type: 'string', value: '0:0:1::' },
  { expr: "string(ip('1:0:0:2:0:0:0:3'))", type: 'string', value: '1:0:0:2::3' },
];

describe('kubernetes ip library', () => {
  const env = envWith(kubernetesIpLibrary);
  runTable(env, IP_CASES);

  it('has net.IP as its CEL type', () => {
    expect(String(env.evaluate("type(ip('127.0.0.1'))"))).toContain('net.IP');
  });

  it('formats and classifies like Go netip', () => {
    expect(formatAddr(parseAddr('fe80::1%eth0'))).toBe('fe80::1%eth0');
    expect(formatAddr(parseAddr('::ffff:1.2.3.4'))).toBe('::ffff:1.2.3.4');
    expect(isLoopback(parseAddr('::ffff:127.0.0.1'))).toBe(true);
    expect(parseAddr('1:2:3:4:5:6:7:8').toString()).toBe('1:2:3:4:5:6:7:8');
  });
});

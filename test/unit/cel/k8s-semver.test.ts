import { describe, expect, it } from 'vitest';
import { kubernetesSemverLibrary } from '../../../src/cel/lib/k8s-semver.js';
import { type Case, envWith, runTable } from '../../helpers/cel-table.js';

// Expected values and error texts below were produced by evaluating each expression with kro's
// own CEL environment (kro@0302e659: cel-go v0.31.0, k8s.io/apiserver v0.36.3, Go 1.26), not by
// the code under test. Ints are written as decimal strings so 64-bit values stay exact.
const SEMVER_CASES: readonly Case[] = [
  { expr: "semver('1.0.0')", type: 'kubernetes.Semver', value: '1.0.0' },
  { expr: "semver('1.2.3').major()", type: 'int', value: '1' },
  { expr: "semver('1.2.3').minor()", type: 'int', value: '2' },
  { expr: "semver('1.2.3').patch()", type: 'int', value: '3' },
  { expr: "semver('0.1.0-alpha.1').minor()", type: 'int', value: '1' },
  { expr: "semver('200K')", error: 'No Major.Minor.Patch elements found' },
  { expr: "semver('Three')", error: 'No Major.Minor.Patch elements found' },
  { expr: "semver('Mi')", error: 'No Major.Minor.Patch elements found' },
  { expr: "semver('')", error: 'Version string empty' },
  { expr: "semver('1.0')", error: 'No Major.Minor.Patch elements found' },
  { expr: "semver('v1.0.0')", error: 'Invalid character(s) found in major number "v1"' },
  { expr: "semver('01.0.0')", error: 'Major number must not contain leading zeroes "01"' },
  { expr: "semver('1.01.0')", error: 'Minor number must not contain leading zeroes "01"' },
  { expr: "semver('1.0.01')", error: 'Patch number must not contain leading zeroes "01"' },
  { expr: "semver('1.0.0-01')", error: 'Numeric PreRelease version must not contain leading zeroes "01"' },
  { expr: "semver('1.0.0-')", error: 'Prerelease is empty' },
  { expr: "semver('1.0.0-a..b')", error: 'Prerelease is empty' },
  { expr: "semver('1.0.0+')", error: 'Build meta data is empty' },
  { expr: "semver('1.0.0+a..b')", error: 'Build meta data is empty' },
  { expr: "semver('1.0.0+a_b')", error: 'Invalid character(s) found in build meta data "a_b"' },
  { expr: "semver('1.0.0-a_b')", error: 'Invalid character(s) found in prerelease "a_b"' },
  { expr: "semver('1.0.0-a$b')", error: 'Invalid character(s) found in prerelease "a$b"' },
  { expr: "semver('a.0.0')", error: 'Invalid character(s) found in major number "a"' },
  { expr: "semver('1.a.0')", error: 'Invalid character(s) found in minor number "a"' },
  { expr: "semver('1.0.a')", error: 'Invalid character(s) found in patch number "a"' },
  { expr: "semver('.0.0')", error: 'strconv.ParseUint: parsing "": invalid syntax' },
  { expr: "semver('1..0')", error: 'strconv.ParseUint: parsing "": invalid syntax' },
  { expr: "semver('1.0.')", error: 'strconv.ParseUint: parsing "": invalid syntax' },
  {
    expr: "semver('99999999999999999999.0.0')",
    error: 'strconv.ParseUint: parsing "99999999999999999999": value out of range',
  },
  {
    expr: "semver('1.0.0-99999999999999999999')",
    error: 'strconv.ParseUint: parsing "99999999999999999999": value out of range',
  },
  { expr: "semver('18446744073709551615.0.0').major()", type: 'int', value: '-1' },
  { expr: "semver('1.2.3-é')", error: 'Invalid character(s) found in prerelease "é"' },
  { expr: "semver('1.0.0-alpha+build.1').patch()", type: 'int', value: '0' },
  { expr: "semver('1.0.0+build-1.x').major()", type: 'int', value: '1' },
  { expr: "semver('1.0.0-0.3.7').major()", type: 'int', value: '1' },
  { expr: "semver('1.0.0-x.7.z.92').major()", type: 'int', value: '1' },
  { expr: "semver('v1.0', true)", compileError: true },
  { expr: "isSemver('v1.0', true)", compileError: true },
  { expr: "isSemver('1.0.0')", type: 'bool', value: true },
  { expr: "isSemver('hello')", type: 'bool', value: false },
  { expr: "isSemver('v1.0')", type: 'bool', value: false },
  { expr: "semver('1.2.3').compareTo(semver('1.2.3'))", type: 'int', value: '0' },
  { expr: "semver('1.2.3').compareTo(semver('2.0.0'))", type: 'int', value: '-1' },
  { expr: "semver('1.2.3').compareTo(semver('0.1.2'))", type: 'int', value: '1' },
  { expr: "semver('1.0.0-alpha').compareTo(semver('1.0.0'))", type: 'int', value: '-1' },
  { expr: "semver('1.0.0-alpha').compareTo(semver('1.0.0-alpha.1'))", type: 'int', value: '-1' },
  { expr: "semver('1.0.0-alpha.1').compareTo(semver('1.0.0-alpha.beta'))", type: 'int', value: '-1' },
  { expr: "semver('1.0.0-beta.2').compareTo(semver('1.0.0-beta.11'))", type: 'int', value: '-1' },
  { expr: "semver('1.0.0-rc.1').compareTo(semver('1.0.0-beta.11'))", type: 'int', value: '1' },
  { expr: "semver('1.0.0-B').compareTo(semver('1.0.0-a'))", type: 'int', value: '-1' },
  { expr: "semver('1.0.0+a').compareTo(semver('1.0.0+b'))", type: 'int', value: '0' },
  { expr: "semver('1.0.0+a') == semver('1.0.0+b')", type: 'bool', value: true },
  { expr: "semver('1.0.0') == semver('1.0.0')", type: 'bool', value: true },
  { expr: "semver('1.0.0') == semver('1.0.1')", type: 'bool', value: false },
  { expr: "semver('1.2.3').isGreaterThan(semver('1.2.2'))", type: 'bool', value: true },
  { expr: "semver('1.2.3').isGreaterThan(semver('1.2.3'))", type: 'bool', value: false },
  { expr: "semver('1.2.3').isLessThan(semver('1.2.4'))", type: 'bool', value: true },
  { expr: "semver('1.2.3').isLessThan(semver('1.2.3'))", type: 'bool', value: false },
  { expr: "string(semver('1.0.0'))", compileError: true },
  { expr: "semver('1.2.3-rc.1+b.2')", type: 'kubernetes.Semver', value: '1.2.3-rc.1+b.2' },
  { expr: "semver('1.0.0-0a').compareTo(semver('1.0.0-1'))", type: 'int', value: '1' },
  { expr: "semver('1.0.0-00a').major()", type: 'int', value: '1' },
  { expr: "semver('1.0.0-a').compareTo(semver('1.0.0-aa'))", type: 'int', value: '-1' },
  { expr: "semver('1.0.0-1.2').compareTo(semver('1.0.0-1.2.0'))", type: 'int', value: '-1' },
  { expr: "semver(' 1.0.0')", error: 'Invalid character(s) found in major number " 1"' },
];

describe('kubernetes semver library', () => {
  const env = envWith(kubernetesSemverLibrary);
  runTable(env, SEMVER_CASES);

  it('has kubernetes.Semver as its CEL type', () => {
    expect(String(env.evaluate("type(semver('1.0.0'))"))).toContain('kubernetes.Semver');
  });
});

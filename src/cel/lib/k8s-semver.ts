// Kubernetes' CEL semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go) as kro enables
// it: `SemverLib()` without options is library version 0, so the `normalize` overloads
// (`semver(s, true)`, `isSemver(s, true)`) do not exist in kro and are not declared here.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { compareSemver, parseSemver, SemverParseError, SemverVersion } from './k8s-semver-version.js';

export const SEMVER_TYPE = 'kubernetes.Semver';

export function toSemver(s: string): SemverVersion {
  try {
    return parseSemver(s);
  } catch (e) {
    if (e instanceof SemverParseError) throw new EvaluationError(e.message);
    throw e;
  }
}

export function isSemver(s: string): boolean {
  try {
    parseSemver(s);
    return true;
  } catch (e) {
    if (e instanceof SemverParseError) return false;
    throw e;
  }
}

// Versions are uint64; CEL ints are int64 and Kubernetes converts without a range check.
function asCelInt(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

export const kubernetesSemverLibrary: CelLibrary = {
  name: 'kubernetes.Semver',
  register(env: Environment): void {
    const T = SEMVER_TYPE;
    env.registerType(T, SemverVersion);
    env.registerFunction(`semver(string): ${T}`, toSemver);
    env.registerFunction('isSemver(string): bool', isSemver);
    env.registerFunction(`${T}.major(): int`, (v: SemverVersion) => asCelInt(v.major));
    env.registerFunction(`${T}.minor(): int`, (v: SemverVersion) => asCelInt(v.minor));
    env.registerFunction(`${T}.patch(): int`, (v: SemverVersion) => asCelInt(v.patch));
    env.registerFunction(
      `${T}.isGreaterThan(${T}): bool`,
      (a: SemverVersion, b: SemverVersion) => compareSemver(a, b) === 1,
    );
    env.registerFunction(
      `${T}.isLessThan(${T}): bool`,
      (a: SemverVersion, b: SemverVersion) => compareSemver(a, b) === -1,
    );
    env.registerFunction(`${T}.compareTo(${T}): int`, (a: SemverVersion, b: SemverVersion) =>
      BigInt(compareSemver(a, b)),
    );
    env.registerOperator(`${T} == ${T}`, (a: SemverVersion, b: SemverVersion) => compareSemver(a, b) === 0);
  },
};

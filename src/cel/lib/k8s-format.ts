// The API server's CEL `format` library (k8s.io/apiserver pkg/cel/library/format.go, in its rule
// environment since 1.31; kro does not enable it): `format.named(name)` gives an optional Format,
// `format.dns1123Label()` and the other twelve give one directly, and `<Format>.validate(s)` gives
// optional.none() when `s` passes, else the list of what is wrong with it (k8s-named-formats.ts).
// Registered only in the API server's rule environment (environment.ts), never in kro's.
import { type Environment, Optional } from '@marcbachmann/cel-js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';
import { NAMED_FORMATS, type NamedFormat } from './k8s-named-formats.js';

export const FORMAT_TYPE = 'kubernetes.NamedFormat';

/** A Format value: equal to another when their names are. */
export class KubernetesFormat {
  constructor(readonly format: NamedFormat) {}
}

const values = new Map([...NAMED_FORMATS].map(([key, f]) => [key, new KubernetesFormat(f)]));

function validate(f: KubernetesFormat, s: string): Optional {
  const errors = f.format.validate(s);
  return errors.length === 0 ? Optional.none() : Optional.of(errors);
}

function registerFormat(env: Environment): void {
  const T = FORMAT_TYPE;
  env.registerType(T, KubernetesFormat);
  registerNamespacedFunction(env, 'format', `named(string): optional<${T}>`, (name: string) => {
    const f = values.get(name);
    return f ? Optional.of(f) : Optional.none();
  });
  for (const [key, f] of values) registerNamespacedFunction(env, 'format', `${key}(): ${T}`, () => f);
  env.registerFunction(`${T}.validate(string): optional<list<string>>`, validate);
  env.registerOperator(
    `${T} == ${T}`,
    (a: KubernetesFormat, b: KubernetesFormat) => a.format.name === b.format.name,
  );
}

export const kubernetesFormatLibrary: CelLibrary = { name: 'kubernetes.format', register: registerFormat };

// The value CEL `omit()` evaluates to (kro's `sentinels.Omit`). The renderer writes it into a
// template like any other value and then removes every map key or list element holding it.
// A registered symbol, so two copies of this module (e.g. a dual ESM/CJS load) still agree, and
// never mistaken for a JSON map, list or scalar.
export const OMIT: unique symbol = Symbol.for('kro.omit');
export type OmitSentinel = typeof OMIT;

export function isOmit(value: unknown): value is OmitSentinel {
  return value === OMIT;
}

// kro's conformance data (extracted into test/conformance/kro/, see PROVENANCE.md) and the loop
// that runs a file of id-named cases.
import { readFileSync } from 'node:fs';
import { afterAll, it } from 'vitest';

/** The directory of kro's conformance data. */
export const KRO_DATA = new URL('../conformance/kro/', import.meta.url);

/** The text of a file under test/conformance/kro/. */
export function readKroFile(path: string): string {
  return readFileSync(new URL(path, KRO_DATA), 'utf8');
}

/** A JSON file under test/conformance/kro/, as `T`. */
export function loadKroJson<T>(path: string): T {
  return JSON.parse(readKroFile(path)) as T;
}

/**
 * One test per case, named by its id, in the enclosing describe; afterwards prints
 * `<label>: <passed>/<total> cases passed`.
 */
export function runCases<C extends { readonly id: string }>(
  label: string,
  cases: readonly C[],
  runCase: (c: C) => void,
): void {
  let passed = 0;
  afterAll(() => {
    console.log(`${label}: ${passed}/${cases.length} cases passed`);
  });
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    runCase(c);
    passed++;
  });
}

/** The value at a JSON pointer (RFC 6901; `''` is the whole document), undefined when absent. */
export function jsonPointer(doc: unknown, ptr: string): unknown {
  if (ptr === '') return doc;
  let cur: unknown = doc;
  for (const raw of ptr.slice(1).split('/')) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

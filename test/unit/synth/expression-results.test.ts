// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// An expression reading its variables only through select chains keeps its results per distinct
// input values, shared by every instance of the graph: each instance must still get its own value.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/rgd/model.js';
import { renderInstance } from '../../../src/synth/index.js';
import { sortedUnique } from '../../../src/synth/order.js';
import { instance, rgdFrom, rgdYaml } from './helpers.js';

const { rgd, graph } = rgdFrom(
  rgdYaml({
    spec: [
      'count: integer | default=1',
      'f: float | default=0.5',
      's: string | default=""',
      'opt: string',
    ].join('\n'),
    resources: [
      '- id: config',
      '  template:',
      '    apiVersion: v1',
      '    kind: ConfigMap',
      '    metadata:',
      '      name: ${schema.metadata.name}',
      '    data:',
      '      twice: ${string(schema.spec.count * 2)}',
      '      half: ${string(schema.spec.f / 2.0)}',
      '      text: ${schema.spec.s + "|" + schema.spec.s}',
      '      opt: ${schema.spec.?opt.orValue("none")}',
      `      has: '\${has(schema.spec.opt) ? "set" : "unset"}'`,
      '      name: ${schema.metadata.name + "-" + string(schema.spec.count)}',
    ].join('\n'),
  }),
);

const dataOf = (name: string, spec: JsonObject) => {
  const r = renderInstance(graph, rgd, instance(name, spec));
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.manifests[0]?.object.data as JsonObject | undefined;
};

describe('results kept per distinct input', () => {
  it('give each instance the value of its own inputs, in any order', () => {
    // `a` comes back after other inputs, in the list and in the second round.
    const a: [string, JsonObject, JsonObject] = [
      'a',
      { count: 1, s: 'x' },
      { twice: '2', half: '0.25', text: 'x|x', opt: 'none', has: 'unset', name: 'a-1' },
    ];
    const cases: [string, JsonObject, JsonObject][] = [
      a,
      [
        'b',
        { count: 2, f: 3, s: 'x|x' },
        { twice: '4', half: '1.5', text: 'x|x|x|x', opt: 'none', has: 'unset', name: 'b-2' },
      ],
      [
        'c',
        { count: 1, s: '', opt: 'o' },
        { twice: '2', half: '0.25', text: '|', opt: 'o', has: 'set', name: 'c-1' },
      ],
      a,
      [
        'd',
        { count: 2, f: 3, opt: 'none' },
        { twice: '4', half: '1.5', text: '|', opt: 'none', has: 'set', name: 'd-2' },
      ],
    ];
    for (let round = 0; round < 2; round++)
      for (const [name, spec, want] of cases) expect(dataOf(name, spec)).toEqual(want);
  });

  it('keep a string input apart from a longer one that starts the same', () => {
    expect(dataOf('e', { s: 'ab' })?.text).toBe('ab|ab');
    expect(dataOf('e', { s: 'a' })?.text).toBe('a|a');
    expect(dataOf('e', { s: 'abab' })?.text).toBe('abab|abab');
  });
});

describe('sortedUnique', () => {
  it('sorts by code point and drops duplicates, short lists and long ones alike', () => {
    const words = ['b', 'a', 'B', 'é', 'a', 'ab', '', 'Z', 'b'];
    for (let n = 0; n <= 40; n++) {
      const list = Array.from({ length: n }, (_, i) => words[(i * 7 + n) % words.length] as string);
      const want = [...new Set(list)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      expect(sortedUnique(list)).toEqual(want);
    }
  });
});

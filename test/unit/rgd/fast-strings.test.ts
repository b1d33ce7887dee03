// FastLocator.stringsHolding (what the generator's position table asks for) against a walk over
// the document's JSON value with the full loader's positions: the same strings in the same order,
// at the same positions, for every YAML file of the repository, corner cases and seeded mutations.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FastLocator } from '../../../src/rgd/fast-locator.js';
import type { DocPath, JsonValue } from '../../../src/rgd/model.js';
import { parseYamlFile, parseYamlFileWithLibrary } from '../../../src/rgd/yaml.js';
import { pointerOf } from '../../../src/runtime/locator.js';
import { yamlFilesUnder } from '../../helpers/yaml-files.js';

const NEEDLE = '${';

/** The strings holding NEEDLE, in the order a walk over the value (Object.keys order) meets them. */
function walk(v: JsonValue, path: (string | number)[], out: { path: DocPath; text: string }[]): void {
  if (typeof v === 'string') {
    if (v.includes(NEEDLE)) out.push({ path: [...path], text: v });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => {
      walk(x, [...path, i], out);
    });
  } else if (typeof v === 'object' && v !== null) {
    for (const k of Object.keys(v)) walk(v[k] as JsonValue, [...path, k], out);
  }
}

/** Offsets stringEntry (src/codegen/positions.ts) asks for, and a few more, ascending (as inFoundAll takes them). */
function offsets(text: string): number[] {
  const out = [0, 1, text.length - 1, text.length];
  for (let i = text.indexOf(NEEDLE); i >= 0; i = text.indexOf(NEEDLE, i + 1)) out.push(i, i + 2);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i, i + 1);
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The list at `path` in `value`, if there is one. */
function resolvesToList(value: JsonValue, path: DocPath): JsonValue[] | undefined {
  let v: JsonValue | undefined = value;
  for (const segment of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = v[segment as string];
  }
  return Array.isArray(v) ? v : undefined;
}

const stats = { documents: 0, answered: 0, strings: 0 };

/** Differences between stringsHolding and the walk with the full loader's positions. */
function differences(text: string): string[] {
  const fast = parseYamlFile({ path: 'f.yaml', text });
  const slow = parseYamlFileWithLibrary({ path: 'f.yaml', text });
  const out: string[] = [];
  fast.documents.forEach((d, i) => {
    const s = slow.documents[i];
    if (!(d.loc instanceof FastLocator) || d.value === undefined || s === undefined) return;
    stats.documents++;
    const loc = d.loc;
    // itemPositions against at() for each list at the top level or at spec.resources.
    const value = d.value;
    const lists: DocPath[] = [['spec', 'resources']];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const k of Object.keys(value)) if (Array.isArray(value[k])) lists.push([k]);
    }
    for (const list of lists) {
      for (const key of ['id', 'b']) {
        const items = loc.itemPositions(list, key);
        const want = resolvesToList(d.value, list);
        if (items === undefined || want === undefined) {
          if ((items === undefined) !== (want === undefined))
            out.push(
              `itemPositions ${JSON.stringify(list)}: ${JSON.stringify(items)} for ${want?.length} items`,
            );
          continue;
        }
        const expected = want.flatMap((_, i) => {
          const item = s.loc.at([...list, i]);
          const k = s.loc.at([...list, i, key]);
          return [item.line, item.col, k.line, k.col];
        });
        if (JSON.stringify(items) !== JSON.stringify(expected))
          out.push(
            `itemPositions ${JSON.stringify([...list, key])}: ${JSON.stringify(items)} vs ${JSON.stringify(expected)}`,
          );
      }
    }
    const found = loc.stringsHolding(NEEDLE);
    if (found === undefined) return;
    stats.answered++;
    const want: { path: DocPath; text: string }[] = [];
    walk(d.value, [], want);
    const got = found.map((f) => ({ pointer: f.pointer, text: f.text }));
    const wanted = want.map((w) => ({ pointer: pointerOf(w.path), text: w.text }));
    if (JSON.stringify(got) !== JSON.stringify(wanted)) {
      out.push(`document ${i}: ${JSON.stringify(got)} vs ${JSON.stringify(wanted)}`);
      return;
    }
    stats.strings += found.length;
    found.forEach((f, n) => {
      const path = (want[n] as { path: DocPath }).path;
      const at = s.loc.at(path);
      const pairs: [string, unknown, unknown][] = [['at', loc.atFound(f), at]];
      const ks = offsets(f.text);
      const all = loc.inFoundAll(f, ks);
      ks.forEach((k, j) => {
        const library = s.loc.inString(path, k);
        pairs.push([`inString ${k}`, loc.inFound(f, k), library]);
        pairs.push([`inFoundAll ${k}`, [all[2 * j], all[2 * j + 1]], [library.line, library.col]]);
      });
      // Where the walk says the string is linear, each offset is its column plus the shift.
      if (f.shift >= 0) {
        for (const k of ks.filter((k) => k < f.text.length)) {
          const library = s.loc.inString(path, k);
          pairs.push([`shift ${k}`, [at.line, at.col + f.shift + k], [library.line, library.col]]);
        }
      }
      for (const [what, a, b] of pairs) {
        if (JSON.stringify(a) !== JSON.stringify(b))
          out.push(`${what} ${JSON.stringify(path)}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    });
  });
  return out;
}

// `@{` stands for `${` (a plain string holding `${...}` reads as a mistaken template to the linter).
const CASES = [
  'a: @{x}\nb: [@{y}, "@{z}", \'@{w}\']\nc: {d: x@{e}y}\n',
  'a: &a {b: "@{x}"}\nc: *a\nd: [*a, *a]\n',
  'a: &a "@{x}"\nb: *a\n',
  'base: &b {a: "@{x}"}\nm:\n  <<: *b\n  c: "@{y}"\n',
  'm:\n  z: @{a}\n  "1": @{b}\n  0: @{c}\n',
  'm:\n  z: @{a}\n  0x1F: @{b}\n',
  // Keys that reorder in flow maps, and after keys the reader reads on its commonest way (a-z).
  'm: {z: "@{a}", 0: "@{b}", "1": "@{c}"}\n',
  'm: {z: "@{a}", +1: "@{b}"}\nk:\n  j: @{c}\n  i: @{d}\n  7: @{e}\n',
  'k:\n  j: @{c}\n  i: {a: b}\n  "0": @{e}\n',
  // Lowercase keys that are not the string written (`y` is "true"), beside ones that are.
  'y: @{a}\nno: @{b}\nnulls: @{d}\nz:\n  off: @{e}\n  offer: @{f}\nw: {on: "@{g}", one: "@{h}"}\n',
  'm:\n  z: @{a}\n  +1: @{b}\n  -1: @{c}\n  .5: @{d}\n  "01": @{e}\n',
  'a: "\\x24{x}"\nb: "$\\\n  {y}"\nc: "\\u0024{z}"\n',
  'a: |\n  one @{x}\n  two @{y}\nb: >-\n  three\n  @{z}\n',
  // Literal blocks, mapped in one pass by inFoundAll: indicators, blank and more-indented lines.
  'a: |2\n   x @{y}\n   @{z}\n',
  'a: |+\n  one\n\n  @{x}\n\n\nb: 1\n',
  'a: |-\n\n  @{x}\n    more @{y}\n  end @{z}\n',
  'a:\n  - |\n    @{x}\n     @{y}\n  - "@{z}"\n',
  'a: |\n  @{x}\n   \n  @{y}',
  'a: @{x}\n  continued @{y}\n',
  "a: 'it''s @{x}'\n",
  'a:\n  - - @{x}\n    - y\n  - {b: [@{c}]}\n',
  '__proto__: {a: @{x}}\nconstructor: @{y}\n',
  'a: 1@{x}\nb: ~@{y}\nc: yes@{z}\nd: .@{w}\n',
  '# @{not}\na: b # @{not}\nc: @{x}\n',
  '@{key}: value\nk: @{v}\n',
  'a: @{x}\n---\nb: @{y}\n---\nc: &c [@{z}]\nd: *c\n',
].map((c) => c.replaceAll('@{', NEEDLE));

const FILES = yamlFilesUnder('examples', 'test').filter((f) => !f.includes('/hostile/'));

describe('FastLocator.stringsHolding', { timeout: 300_000 }, () => {
  it('agrees with a walk over the value on corner cases', () => {
    for (const text of CASES) expect(differences(text), text).toEqual([]);
  });

  it('agrees with a walk over the value on every YAML file', () => {
    const failures = FILES.flatMap((f) => differences(readFileSync(f, 'utf8')).map((d) => `${f}: ${d}`));
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('agrees on seeded mutations', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bases = [
      ...CASES,
      ...FILES.filter((f) => statSync(f).size < 20_000).map((f) => readFileSync(f, 'utf8')),
    ];
    const pieces = [
      `${NEEDLE}x}`,
      '&a ',
      '*a',
      '<<: ',
      '0: ',
      '"1": ',
      '- ',
      '\n  ',
      ': ',
      '"',
      '\\x24{',
      '$',
      '{',
      '\\\n',
    ];
    const failures: string[] = [];
    for (let i = 0; i < 1500; i++) {
      let text = bases[random(bases.length)] as string;
      for (let e = 1 + random(4); e > 0; e--) {
        let at = random(text.length + 1);
        if (random(2) === 0) at = text.lastIndexOf('\n', at) + 1;
        text = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
      }
      for (const d of differences(text)) failures.push(`${JSON.stringify(text)}: ${d}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('answered for most documents, where most strings are', () => {
    expect(stats.answered).toBeGreaterThan(stats.documents * 0.9);
    expect(stats.strings).toBeGreaterThan(1000);
  });
});

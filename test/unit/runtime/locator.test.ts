// The position table embedded in generated modules answers like the YAML locator it was made from,
// wherever synth-time messages point: expression strings, resources, and their ancestors.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { positionTable } from '../../../src/codegen/positions.js';
import { FastLocator } from '../../../src/rgd/fast-locator.js';
import { loadRgds } from '../../../src/rgd/load.js';
import type { Locator } from '../../../src/rgd/model.js';
import { EmbeddedLocator, pointerOf } from '../../../src/runtime/locator.js';
import { yamlFilesUnder } from '../../helpers/yaml-files.js';

const TEXT = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: pos
spec:
  schema:
    apiVersion: v1alpha1
    kind: Pos
    spec:
      name: string | default=x
  resources:
    - id: cm
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-cm
        data:
          plain: a \${schema.spec.name} b \${schema.spec.name}
          quoted: "\\t\${schema.spec.name} and \${schema.spec.name}"
          block: |
            first line
            \${schema.spec.name}
`;

describe('EmbeddedLocator', () => {
  const rgd = loadRgds([{ path: 'pos.yaml', text: TEXT }]).rgds[0]!;
  const embedded = new EmbeddedLocator('pos.yaml', positionTable(rgd));
  const data = ['spec', 'resources', 0, 'template', 'data'];

  it('encodes paths as JSON pointers', () => {
    expect(pointerOf(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
    expect(pointerOf([])).toBe('');
    expect(pointerOf(['~1/', 'plain', 'a~b/c~'])).toBe('/~01~1/plain/a~0b~1c~0');
  });

  it('walks the document for expression strings only when its JSON holds a `${`', () => {
    expect(positionTable(rgd, JSON.stringify(rgd.raw))).toEqual(positionTable(rgd));
    const withoutWalk = positionTable(rgd, '{"no": "expressions"}');
    expect(Object.keys(withoutWalk)).toEqual(['', '/spec/resources/0', '/spec/resources/0/id']);
    expect(Object.keys(positionTable(rgd)).length).toBeGreaterThan(3);
  });

  it('gives the same table from the fast reader positions as from a walk over the document', () => {
    // A locator that is not the fast reader's makes positionTable walk the JSON value; the fast
    // one names the strings itself (FastLocator.stringsHolding). Every RGD of the examples.
    const files = yamlFilesUnder('examples', 'test/conformance/kro/examples');
    let compared = 0;
    for (const file of files) {
      const loaded = loadRgds([{ path: file, text: readFileSync(file, 'utf8') }]);
      for (const r of [...loaded.rgds, ...loaded.invalid]) {
        expect(r.loc).toBeInstanceOf(FastLocator);
        const walked: Locator = {
          file: r.loc.file,
          at: (path, part) => r.loc.at(path, part),
          inString: (path, offset) => r.loc.inString(path, offset),
        };
        const table = positionTable(r);
        expect(Object.entries(table), file).toEqual(Object.entries(positionTable({ ...r, loc: walked })));
        if (Object.keys(table).length > 1 + 2 * r.resources.length) compared++;
      }
    }
    expect(compared).toBeGreaterThan(50);
  });

  it('gives the YAML positions of resources and of every offset in a one-line plain scalar', () => {
    expect(embedded.at(['spec', 'resources', 0])).toEqual(rgd.loc.at(['spec', 'resources', 0]));
    expect(embedded.at(['spec', 'resources', 0, 'id'])).toEqual(rgd.loc.at(['spec', 'resources', 0, 'id']));
    const plain = [...data, 'plain'];
    const value = `a \${schema.spec.name} b \${schema.spec.name}`;
    for (let i = 0; i < value.length; i++)
      expect(embedded.inString(plain, i)).toEqual(rgd.loc.inString(plain, i));
  });

  it('is exact at each ${ of strings whose offsets are not linear (escapes, block scalars)', () => {
    const quoted = [...data, 'quoted'];
    const q = `\t\${schema.spec.name} and \${schema.spec.name}`;
    for (const i of [q.indexOf('${'), q.lastIndexOf('${')])
      expect(embedded.inString(quoted, i)).toEqual(rgd.loc.inString(quoted, i));
    const block = [...data, 'block'];
    const b = `first line\n\${schema.spec.name}\n`;
    expect(embedded.inString(block, b.indexOf('${'))).toEqual(rgd.loc.inString(block, b.indexOf('${')));
  });

  it('falls back to the nearest recorded ancestor for other paths', () => {
    expect(embedded.at(['spec', 'resources', 0, 'template', 'kind'])).toEqual(
      rgd.loc.at(['spec', 'resources', 0]),
    );
    expect(embedded.at(['spec', 'schema', 'kind'])).toEqual(rgd.loc.at([]));
  });
});

import { describe, expect, it } from 'vitest';
import { commentLines, jsdoc, lineCommentText } from '../../../src/codegen/jsdoc.js';
import {
  isIdentifier,
  kebabCase,
  NameRegistry,
  pascalCase,
  propertyKey,
  quote,
} from '../../../src/codegen/names.js';

describe('case conversion', () => {
  it.each([
    ['Application', 'application'],
    ['WordPress', 'word-press'],
    ['GKECluster', 'gke-cluster'],
    ['HTTPRoute', 'http-route'],
    ['S3Bucket', 's3-bucket'],
    ['EksClusterBasic', 'eks-cluster-basic'],
  ])('kebab-cases the kind %s as %s', (kind, file) => {
    expect(kebabCase(kind)).toBe(file);
  });

  it.each([
    ['fooBar', 'FooBar'],
    ['foo-bar', 'FooBar'],
    ['foo_bar', 'FooBar'],
    ['x.dotted/key', 'XDottedKey'],
    ['v1alpha1', 'V1Alpha1'],
    ['ALLCAPS', 'ALLCAPS'],
    ['123abc', '123Abc'],
    ['日本', ''],
  ])('PascalCases the key %s as %s', (key, name) => {
    expect(pascalCase(key)).toBe(name);
  });
});

describe('property keys', () => {
  it('keeps identifiers and keywords bare, quotes everything else', () => {
    expect(propertyKey('replicas')).toBe('replicas');
    expect(propertyKey('default')).toBe('default');
    expect(propertyKey('class')).toBe('class');
    expect(propertyKey('$ref')).toBe('$ref');
    expect(propertyKey('some-dashed-key')).toBe("'some-dashed-key'");
    expect(propertyKey('x.dotted/key')).toBe("'x.dotted/key'");
    expect(propertyKey('9lives')).toBe("'9lives'");
    expect(propertyKey('__proto__')).toBe("'__proto__'");
    expect(propertyKey('')).toBe("''");
  });

  it('quotes with escapes for quotes, backslashes and line terminators', () => {
    expect(quote(`it's`)).toBe(`'it\\'s'`);
    expect(quote('a\\b')).toBe(`'a\\\\b'`);
    expect(quote('a\nb\u2028c')).toBe(`'a\\nb\\u2028c'`);
    expect(quote('\u0000')).toBe(`'\\u0000'`);
  });

  it('knows which names are not identifiers', () => {
    expect(isIdentifier('a_b$1')).toBe(true);
    expect(isIdentifier('a-b')).toBe(false);
  });
});

describe('NameRegistry', () => {
  it('gives the first claim the name and later claims the lowest free suffix', () => {
    const r = new NameRegistry();
    expect(r.claim('FooSpecBar')).toBe('FooSpecBar');
    expect(r.claim('FooSpecBar')).toBe('FooSpecBar2');
    expect(r.claim('FooSpecBar2')).toBe('FooSpecBar22');
    expect(r.claim('FooSpecBar')).toBe('FooSpecBar3');
  });

  it('still skips a suffixed name claimed directly after its base was last claimed', () => {
    const r = new NameRegistry();
    expect(r.claim('A')).toBe('A');
    expect(r.claim('A')).toBe('A2');
    expect(r.claim('A3')).toBe('A3');
    expect(r.claim('A4')).toBe('A4');
    expect(r.claim('A')).toBe('A5');
    expect(r.claim('A')).toBe('A6');
  });

  it('gives what trying every suffix from 2 gives, over random claims', () => {
    // The definition: the lowest suffix from 2 on whose name is not taken.
    const taken = new Set<string>();
    const lowestFree = (base: string) => {
      let name = base;
      for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
      taken.add(name);
      return name;
    };
    const r = new NameRegistry();
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const bases = ['A', 'A2', 'A22', 'B', 'B1', 'Spec'];
    for (let k = 0; k < 2000; k++) {
      const base = `${bases[next(bases.length)]}${next(4) === 0 ? String(next(12)) : ''}`;
      expect(r.claim(base)).toBe(lowestFree(base));
    }
  });
});

describe('JSDoc escaping', () => {
  it('cannot be closed early, does not start tags, and splits every kind of line break', () => {
    expect(commentLines('a */ b')).toEqual(['a *\\/ b']);
    expect(commentLines('@internal and x@y.z')).toEqual(['\\@internal and x@y.z']);
    expect(commentLines('one\r\ntwo\rthree\u2028four\u2029five')).toEqual([
      'one',
      'two',
      'three',
      'four',
      'five',
    ]);
    expect(commentLines('bell\u0007')).toEqual(['bell\\u0007']);
  });

  it('writes one-line and multi-line blocks, with tags after a blank line', () => {
    expect(jsdoc('  ', 'Short.')).toBe('  /** Short. */\n');
    expect(jsdoc('', undefined)).toBe('');
    expect(jsdoc('', 'Text', [{ tag: 'default', value: '"*/"' }, { tag: 'immutable' }])).toBe(
      '/**\n * Text\n *\n * @default "*\\/"\n * @immutable\n */\n',
    );
  });

  it('trims line ends, keeps tabs, and spreads a multi-line tag value over lines', () => {
    expect(commentLines('one line \t ')).toEqual(['one line']);
    expect(commentLines('a\tb')).toEqual(['a\tb']);
    expect(commentLines('')).toEqual(['']);
    expect(commentLines('a  \nb\u2028')).toEqual(['a', 'b', '']);
    expect(jsdoc('', '  ', [])).toBe('');
    expect(jsdoc('', '', [{ tag: 'pattern', value: '' }])).toBe('/** @pattern */\n');
    expect(
      jsdoc('  ', 'About.', [
        { tag: 'default', value: 'x\ny ' },
        { tag: 'validation', value: 'a\u0001' },
      ]),
    ).toBe('  /**\n   * About.\n   *\n   * @default x\n   * y\n   * @validation a\\u0001\n   */\n');
  });

  it('keeps header comments on one line', () => {
    expect(lineCommentText('dir/a\nb.yaml')).toBe('dir/a\\u000ab.yaml');
  });
});

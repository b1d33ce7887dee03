// The manifest YAML writer: exact layout for ordinary manifests, and every value read back
// unchanged by a YAML 1.1 reader (kubectl's dialect) and a YAML 1.2 one.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toYamlDocument, toYamlDocuments } from '../../../src/synth/yaml.js';

const readBack = (text: string, version: '1.1' | '1.2') => parse(text, { version });

describe('toYamlDocument', () => {
  it('writes block maps and sequences, sequences indented under their key', () => {
    const doc = {
      apiVersion: 'apps/v1',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'c', ports: [{ containerPort: 80 }], args: ['a', 'b'] }],
        empty: [],
        none: {},
      },
    };
    expect(toYamlDocument(doc)).toBe(
      [
        'apiVersion: apps/v1',
        'metadata:',
        '  name: web',
        '  labels:',
        '    app: web',
        'spec:',
        '  containers:',
        '    - name: c',
        '      ports:',
        '        - containerPort: 80',
        '      args:',
        '        - a',
        '        - b',
        '  empty: []',
        '  none: {}',
        '',
      ].join('\n'),
    );
  });

  it('nests sequences in sequences on the dash line', () => {
    expect(toYamlDocument({ m: [[1, 2], [[3]], []] })).toBe('m:\n  - - 1\n    - 2\n  - - - 3\n  - []\n');
  });

  it('quotes what YAML 1.1 would read as something else, and only that', () => {
    const text = toYamlDocument({
      plain: ['httpd:2.4', 'a b', 'app.kubernetes.io/name', '10Gi', '100m', '/path', 'x=y'],
      quoted: [
        'yes',
        'on',
        'n',
        'null',
        '~',
        '1.5',
        '0755',
        '1e5',
        '0x1F',
        '2001-12-14',
        '1:20',
        '',
        ' lead',
        'a: b',
        '#c',
        '-x',
        '*a',
      ],
    });
    const [plain, quoted] = text.split('quoted:');
    expect(plain).not.toMatch(/["']/);
    expect(quoted?.match(/^ {2}- ["']/gm)).toHaveLength(17);
  });

  it('uses single quotes when a string holds double quotes, literal blocks for multi-line text', () => {
    expect(toYamlDocument({ s: 'string | default="x"' })).toBe(`s: 'string | default="x"'\n`);
    expect(toYamlDocument({ s: 'line 1\nline 2\n' })).toBe('s: |\n  line 1\n  line 2\n');
    expect(toYamlDocument({ s: 'line 1\nline 2' })).toBe('s: |-\n  line 1\n  line 2\n');
  });

  it('round-trips awkward values under YAML 1.1 and 1.2', () => {
    const strings = [
      'a "b" c',
      "it's",
      'back\\slash',
      'x\ty',
      ' lead',
      'trail ',
      '- dash',
      '? q',
      ': c',
      '@a',
      '`b',
      '!t',
      '&a',
      '%p',
      '|b',
      '>f',
      '{a}',
      '[a]',
      'a,b',
      'a #b',
      'a:b',
      'Off',
      'TRUE',
      'NULL',
      '=',
      '<<',
      'y',
      '.inf',
      '.NaN',
      '+1',
      '1_000',
      '0o7',
      '0b1',
      'ünïcödé',
      'a\u2028b',
      'a\u0085b',
      '\ufeffx',
      'tail\n\n',
      '\nlead',
      'multi\n  indented\n',
      'trailing space \nx',
      'cr\r\nlf',
      '12t',
      '1h30m',
    ];
    const value = {
      list: strings,
      map: Object.fromEntries(strings.map((s) => [s, s])),
      numbers: [0, -1, 3.5, 1e21, 1e-7, 2 ** 53],
      other: [true, false, null],
    };
    const text = toYamlDocument(value);
    expect(readBack(text, '1.1')).toEqual(value);
    expect(readBack(text, '1.2')).toEqual(value);
  });

  it('writes int64 values beyond 2^53 exactly', () => {
    expect(toYamlDocument({ v: 9223372036854775807n })).toBe('v: 9223372036854775807\n');
  });

  it('separates documents with ---', () => {
    expect(toYamlDocuments([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });
});

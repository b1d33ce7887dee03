// Props checking at construction: every rule names the JSON path and the rule; defaults are applied
// the way the API server applies them; manifest() gives the instance object.
import { inspect } from 'node:util';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Application, WordPress } from '../../../generated/index.js';
import { PropsError, type PropsProblem } from '../../../src/runtime/index.js';
import { constructFor, definitionOf } from './helpers.js';

const RULES = definitionOf(
  'rules.yaml',
  `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: rules
spec:
  schema:
    apiVersion: v1alpha1
    kind: Rules
    spec:
      name: string | required=true minLength=2 maxLength=5 pattern="^[a-z]+$"
      size: string | enum="s,m"
      count: integer | minimum=1 maximum=3
      level: integer | enum="1,2"
      ratio: float
      flag: boolean
      tags: "[]string | minItems=1 maxItems=2 uniqueItems=true"
      ports: "[]Port | listType=map listMapKey=name"
      labels: map[string]integer
      config: object
      nested:
        inner: string | required=true
    types:
      Port:
        name: string
        port: integer
`,
);
const Rules = constructFor(RULES);

function problems(spec: Record<string, unknown>): PropsProblem[] {
  try {
    new Rules(Testing.chart(), 'r', { spec });
  } catch (e) {
    if (e instanceof PropsError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('props validation', () => {
  it('accepts valid props', () => {
    expect(
      problems({
        name: 'abc',
        size: 's',
        count: 2,
        level: 1,
        ratio: 1,
        flag: false,
        tags: ['a'],
        ports: [{ name: 'http', port: 80 }],
        labels: { a: 1 },
        config: { x: [null] },
        nested: { inner: 'x' },
      }),
    ).toEqual([]);
  });

  it('names the path and the rule of each problem', () => {
    expect(
      problems({
        name: 'ABCDEFG',
        size: 'xl',
        count: 0,
        level: 3,
        ratio: 'x',
        flag: 1,
        tags: ['a', 'a', 'b'],
        ports: [{ name: 'http' }, { name: 'http', port: 1.5 }],
        labels: { 'app.kubernetes.io/name': 'x' },
        config: [],
        nested: {},
        extra: true,
      }),
    ).toEqual([
      { path: 'spec.name', rule: 'maxLength', message: 'must be at most 5 characters long, got 7' },
      { path: 'spec.name', rule: 'pattern', message: 'must match "^[a-z]+$", got "ABCDEFG"' },
      { path: 'spec.size', rule: 'enum', message: 'must be one of "s", "m", got "xl"' },
      { path: 'spec.count', rule: 'minimum', message: 'must be at least 1, got 0' },
      { path: 'spec.level', rule: 'enum', message: 'must be one of 1, 2, got 3' },
      { path: 'spec.ratio', rule: 'type', message: 'must be a number, got string' },
      { path: 'spec.flag', rule: 'type', message: 'must be a boolean, got integer' },
      { path: 'spec.tags', rule: 'maxItems', message: 'must have at most 2 items, got 3' },
      {
        path: 'spec.tags',
        rule: 'listType=set',
        message: 'must not repeat an item, but items 0 and 1 are equal',
      },
      {
        path: 'spec.ports',
        rule: 'listMapKeys',
        message: 'items 0 and 1 have the same name, which must identify one item',
      },
      { path: 'spec.ports[1].port', rule: 'type', message: 'must be an integer, got number' },
      {
        path: 'spec.labels["app.kubernetes.io/name"]',
        rule: 'type',
        message: 'must be an integer, got string',
      },
      { path: 'spec.config', rule: 'type', message: 'must be an object, got array' },
      { path: 'spec.nested.inner', rule: 'required', message: 'is required' },
      {
        path: 'spec.extra',
        rule: 'unknown field',
        message:
          'is not in the schema (known fields: name, size, count, level, ratio, flag, tags, ports, labels, config, nested)',
      },
    ]);
  });

  it('reports a missing required field, counts characters not UTF-16 units, and refuses class instances', () => {
    expect(problems({})).toEqual([{ path: 'spec.name', rule: 'required', message: 'is required' }]);
    // Two emoji are 4 UTF-16 units but 2 characters: long enough for minLength=2, and not a-z.
    expect(problems({ name: '😀😀' }).map((p) => p.rule)).toEqual(['pattern']);
    expect(problems({ name: 'ab', config: new Date(0) })).toEqual([
      { path: 'spec.config', rule: 'type', message: 'must be an object, got an instance of Date' },
    ]);
    expect(problems({ name: 'ab', count: Number.NaN })).toEqual([
      { path: 'spec.count', rule: 'type', message: 'must be an integer, got NaN' },
    ]);
  });

  it('puts every problem and the construct path in the error message', () => {
    expect(
      () =>
        new WordPress(Testing.chart(), 'blog', {
          spec: { siteName: 'Blog!', databaseSecret: 'blog-db', tier: 'huge' as 'small' },
        }),
    ).toThrowError(
      'invalid props for WordPress at test/blog: spec.siteName: must match "^[a-z]([-a-z0-9]*[a-z0-9])?$", got "Blog!" (pattern); spec.tier: must be one of "small", "medium", "large", got "huge" (enum)',
    );
  });

  it('is one line, with its problems as data that Node does not print after the stack', () => {
    let error: unknown;
    try {
      new WordPress(Testing.chart(), 'blog', {
        spec: { siteName: 'Blog!', databaseSecret: 'blog-db', tier: 'huge' as 'small' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropsError);
    const e = error as PropsError;
    expect(e.message).not.toContain('\n');
    expect(e.problems.map((p) => p.rule)).toEqual(['pattern', 'enum']);
    // What Node shows for an uncaught error: the stack, then own enumerable properties.
    const shown = inspect(e);
    expect(shown).not.toContain('problems');
    expect(shown.split('\n')[0]).toBe(`PropsError: ${e.message}`);
  });

  it('treats undefined members as unset', () => {
    expect(problems({ name: 'ab', size: undefined, nested: undefined })).toEqual([]);
  });
});

describe('defaults and manifest()', () => {
  it('applies defaults, nested ones included, without touching the props', () => {
    const spec = { siteName: 'blog', databaseSecret: 'blog-db', database: { name: 'db' } };
    const site = new WordPress(Testing.chart(), 'blog', { spec });
    expect(site.spec).toEqual({
      siteName: 'blog',
      databaseSecret: 'blog-db',
      database: { name: 'db', image: 'mysql:8.4', user: 'wordpress', storage: '10Gi' },
      tier: 'small',
      image: 'wordpress:6.8-apache',
      contentStorage: '5Gi',
      serviceType: 'ClusterIP',
      ingress: { enabled: false, host: 'wordpress.local', className: 'nginx' },
    });
    expect(spec).toEqual({ siteName: 'blog', databaseSecret: 'blog-db', database: { name: 'db' } });
  });

  it('gives the instance object with defaults from manifest()', () => {
    expect(
      Application.manifest({ metadata: { name: 'web', labels: { a: 'b' } }, spec: { name: 'web' } }),
    ).toEqual({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web', labels: { a: 'b' } },
      spec: { name: 'web', image: 'httpd:latest', replicas: 1, svcType: 'ClusterIP' },
    });
    expect(Application.manifest()).toEqual({
      apiVersion: 'kro.run/v1alpha1',
      kind: 'Application',
      metadata: {},
      spec: { image: 'httpd:latest', replicas: 1, svcType: 'ClusterIP' },
    });
    expect(() => Application.manifest({ spec: { replicas: -1 } })).toThrowError(
      'invalid props for Application: spec.replicas: must be at least 0, got -1 (minimum)',
    );
  });
});

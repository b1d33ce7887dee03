// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
import { describe, expect, it } from 'vitest';
import { type LoadOptions, loadRgds } from '../../../src/rgd/load.js';

// Lines 1-9; resources start on line 10.
const HEAD = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1alpha1
    kind: Thing
  resources:
`;

/** Each diagnostic as `line:col message`, sorted by position (report order is not part of the API). */
function check(text: string, opts?: LoadOptions): string[] {
  return [...loadRgds([{ path: 't.yaml', text }], opts).diagnostics]
    .sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0))
    .map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`);
}

const CM = '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}';
/** A ConfigMap resource `cm` whose metadata fields follow (from line 15, indented 10). */
const CM_HEAD = `${HEAD}    - id: cm
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
`;

describe('resource ids', () => {
  it('reports invalid, reserved (kro and CEL) and duplicate ids at each id', () => {
    const text = `${HEAD}    - id: Bad_id
      template: ${CM}
    - id: spec
      template: ${CM}
    - id: dup
      template: ${CM}
    - id: dup
      template: ${CM}
    - id: for
      template: ${CM}
`;
    expect(check(text)).toEqual([
      '10:11 naming convention violation: id Bad_id is not a valid KRO resource id: must be lower camelCase',
      '12:11 naming convention violation: id spec is a reserved keyword in KRO',
      '16:11 naming convention violation: found duplicate resource IDs dup',
      '18:11 naming convention violation: id for is a reserved keyword in KRO',
    ]);
  });

  it('requires an id of type string', () => {
    expect(check(`${HEAD}    - template: ${CM}\n    - id: 7\n      template: ${CM}\n`)).toEqual([
      '10:7 missing required field "id" in spec.resources[0]',
      '11:11 spec.resources[1].id must be a string, not integer',
    ]);
  });
});

describe('template / externalRef combination', () => {
  it('wants exactly one of them, and no externalRef with forEach', () => {
    const ref = '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}';
    const text = `${HEAD}    - id: none
    - id: both
      template: ${CM}
      externalRef: ${ref}
    - id: refEach
      externalRef: ${ref}
      forEach:
        - x: \${schema.spec.items}
`;
    expect(check(text)).toEqual([
      '10:7 invalid combination of resource fields: resource "none": exactly one of template or externalRef must be provided',
      '13:7 invalid combination of resource fields: resource "both": cannot use externalRef with template',
      '15:7 invalid combination of resource fields: resource "refEach": cannot use externalRef with forEach',
    ]);
  });
});

describe('templates', () => {
  it('need string apiVersion and kind and a metadata map, with kro messages', () => {
    const text = `${HEAD}    - id: noApi
      template: {kind: ConfigMap, metadata: {}}
    - id: numKind
      template: {apiVersion: v1, kind: 5, metadata: {}}
    - id: badMeta
      template: {apiVersion: v1, kind: ConfigMap, metadata: x}
`;
    expect(check(text)).toEqual([
      '11:7 resource noApi is not a valid Kubernetes object: apiVersion field not found',
      '13:40 resource numKind is not a valid Kubernetes object: kind field is not a string',
      '15:61 resource badMeta is not a valid Kubernetes object: metadata field is not a map',
    ]);
  });

  it('need a parseable apiVersion and a kind that is a DNS-1035 label when lower-cased', () => {
    const text = `${HEAD}    - id: badGv
      template: {apiVersion: a/b/c, kind: ConfigMap, metadata: {}}
    - id: badKind
      template: {apiVersion: v1, kind: Config_Map, metadata: {}}
    - id: exprApi
      template: {apiVersion: "\${schema.spec.v}", kind: ConfigMap, metadata: {}}
`;
    const out = check(text);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(
      '11:30 failed to extract GVK from resource badGv: invalid apiVersion format "a/b/c": unexpected GroupVersion string: a/b/c',
    );
    expect(out[1]).toMatch(
      /^13:40 failed to extract GVK from resource badKind: invalid kind "Config_Map": .*DNS-1035/,
    );
    expect(out[2]).toMatch(
      /^15:30 failed to extract GVK from resource exprApi: apiVersion must be a literal string/,
    );
  });

  it('may not set kro-owned labels or annotations', () => {
    const text = `${CM_HEAD}          labels:
            app: x
            kro.run/owned: "true"
          annotations:
            internal.kro.run/apply-order: "1"
            kro-run/fine: "1"
`;
    expect(check(text)).toEqual([
      '17:13 invalid label for resource "cm". labels with prefix "kro.run/" are reserved for internal use',
      '19:13 invalid annotation for resource "cm". annotations with prefix "internal.kro.run/" are reserved for internal use',
    ]);
  });
});

describe('label and annotation keys', () => {
  it('are qualified names: at most one /, a DNS-1123 prefix, a name of at most 63 characters', () => {
    const text = `${CM_HEAD}          labels:
            example.com/app: x
            a/b/c: x
            /app: x
            example.com/: x
            Example.com/app: x
            ${'n'.repeat(64)}: x
            -app: x
          annotations:
            app.kubernetes.io/name: x
            \${schema.spec.key}: x
`;
    const problem = (line: number, key: string, why: string) =>
      `${line}:13 resource cm: metadata.labels key "${key}" is invalid (the API server refuses it): ${why}`;
    expect(check(text)).toEqual([
      problem(17, 'a/b/c', "a qualified name has at most one '/'"),
      problem(18, '/app', 'the prefix before / must be non-empty'),
      problem(19, 'example.com/', 'the name part must be non-empty'),
      problem(
        20,
        'Example.com/app',
        'the prefix before / must be a DNS-1123 subdomain (lower-case alphanumerics, - and .)',
      ),
      problem(21, 'n'.repeat(64), 'the name part must be no more than 63 characters'),
      problem(
        22,
        '-app',
        "the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      ),
    ]);
  });
});

describe('readyWhen, includeWhen and forEach expressions', () => {
  it('must each be exactly one ${...}', () => {
    const text = `${HEAD}    - id: cm
      readyWhen:
        - \${a} && \${b}
        - |
          \${cm.ready}
        - \${cm.fine}
      includeWhen:
        - \${outer(\${inner})}
      forEach:
        - elem: prefix-\${schema.spec.items}
      template: ${CM}
`;
    expect(check(text)).toEqual([
      '12:11 resource "cm": failed to parse readyWhen expressions: only standalone expressions are allowed (each entry must be exactly one ${...})',
      '13:11 resource "cm": failed to parse readyWhen expressions: only standalone expressions are allowed (the value ends with a newline: use a `|-` block scalar or a plain string)',
      '17:19 resource "cm": failed to parse includeWhen expressions: nested expressions are not allowed unless inside string literals',
      '19:17 resource "cm": invalid forEach expression for dimension "elem": only standalone expressions are allowed (each entry must be exactly one ${...})',
    ]);
  });

  it('must be strings', () => {
    expect(check(`${HEAD}    - id: cm\n      readyWhen: [true]\n      template: ${CM}\n`)).toEqual([
      '11:19 spec.resources[0].readyWhen[0] must be a string, not boolean',
    ]);
  });
});

describe('forEach iterators', () => {
  const text = `${HEAD}    - id: database
      template: ${CM}
    - id: backups
      forEach:
        - database: \${schema.spec.a}
        - Bad_name: \${schema.spec.b}
        - each: \${schema.spec.c}
        - dup: \${schema.spec.d}
        - dup: \${schema.spec.e}
        - a: \${schema.spec.f}
          b: \${schema.spec.g}
      template: ${CM}
`;

  it('follow the id rules, are unique, do not shadow ids, and have one entry per dimension', () => {
    expect(check(text)).toEqual([
      '14:11 resource "backups": forEach iterator name "database" conflicts with resource ID',
      '15:11 resource "backups": forEach iterator name "Bad_name" is not valid: must be lowerCamelCase',
      '16:11 resource "backups": forEach iterator name "each" is a reserved keyword',
      '18:11 resource "backups": duplicate forEach iterator name "dup"',
      '19:11 spec.resources[1].forEach[5] must have exactly 1 entry, has 2',
    ]);
  });

  it('are limited in number (kro default 10, configurable)', () => {
    const out = check(text, { validation: { maxForEachDimensions: 2 } });
    expect(out).toContain('13:7 resource "backups": forEach cannot have more than 2 dimensions, got 6');
  });
});

describe('externalRef', () => {
  it('needs exactly one of name and selector, and a non-empty name', () => {
    const text = `${HEAD}    - id: both
      externalRef:
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a, selector: {matchLabels: {a: b}}}
    - id: neither
      externalRef:
        apiVersion: v1
        kind: ConfigMap
        metadata: {namespace: x}
    - id: empty
      externalRef: {apiVersion: v1, kind: ConfigMap, metadata: {name: ""}}
    - id: noMeta
      externalRef: {apiVersion: v1, kind: ConfigMap}
    - id: selector
      externalRef:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          selector:
            matchExpressions:
              - operator: In
`;
    expect(check(text)).toEqual([
      '14:9 resource "both": externalRef.metadata: exactly one of name or selector must be provided',
      '19:9 resource "neither": externalRef.metadata: exactly one of name or selector must be provided',
      '21:71 spec.resources[2].externalRef.metadata.name must not be empty',
      '23:7 missing required field "metadata" in spec.resources[3].externalRef',
      '31:17 missing required field "key" in spec.resources[4].externalRef.metadata.selector.matchExpressions[0]',
    ]);
  });
});

describe('schema', () => {
  it('checks apiVersion, kind, group, scope, shortNames and categories', () => {
    const text = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1.0
    kind: thing
    group: example
    scope: Global
    shortNames: [ok, Bad, ok]
    categories: 5
`;
    expect(check(text)).toEqual([
      '7:17 spec.schema.apiVersion "v1.0" does not match ^v[0-9]+(alpha[0-9]+|beta[0-9]+)?$',
      "8:11 naming convention violation: kind 'thing' is not a valid KRO kind name: must be UpperCamelCase",
      '9:12 invalid group "example": must be a domain with at least one dot',
      '10:12 spec.schema.scope must be one of "Namespaced", "Cluster", not "Global"',
      '11:22 spec.schema.shortNames[1] "Bad" does not match ^[a-z]([-a-z0-9]*[a-z0-9])?$',
      '11:27 spec.schema.shortNames has duplicate item "ok"',
      '12:17 spec.schema.categories must be a list, not integer',
    ]);
  });

  it('requires apiVersion and kind, and caps the kind at 63 characters', () => {
    const long = `K${'x'.repeat(63)}`;
    expect(
      check(
        `apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {name: t}\nspec:\n  schema: {kind: ${long}}\n`,
      ),
    ).toEqual([
      '5:3 missing required field "apiVersion" in spec.schema',
      `5:18 spec.schema.kind "${long}" is longer than 63 characters`,
    ]);
  });
});

describe('the document', () => {
  it('reports unknown fields (typos) where kubectl strict validation would', () => {
    const text = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: t
spec:
  schema:
    apiVersion: v1
    kind: Thing
    validation: []
  resources:
    - id: cm
      readywhen: []
      template: ${CM}
extra: 1
`;
    expect(check(text)).toEqual([
      '9:5 unknown field "validation" in spec.schema',
      '12:7 unknown field "readywhen" in spec.resources[0]',
      '14:1 unknown field "extra" in <document>',
    ]);
  });

  it('needs metadata.name, a valid object name, and spec.schema', () => {
    expect(
      check('apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {}\nspec: {}\n'),
    ).toEqual([
      '3:1 missing required field "name" in metadata',
      '4:1 missing required field "schema" in spec',
    ]);
    expect(
      check(
        'apiVersion: kro.run/v1alpha1\nkind: ResourceGraphDefinition\nmetadata: {name: Web_App}\nspec: {schema: {apiVersion: v1, kind: A}}\n',
      ),
    ).toEqual([
      `3:18 invalid RGD name "Web_App": must consist of lower-case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character`,
    ]);
  });

  it('treats null like an absent field, as the API server does', () => {
    const text = `${HEAD}    - id: cm\n      readyWhen:\n      externalRef:\n      template: ${CM}\n`;
    expect(check(text)).toEqual([]);
  });
});

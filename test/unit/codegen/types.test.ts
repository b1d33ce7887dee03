// Every SimpleSchema construct -> its TypeScript type, checked on the generated text (reviewed by
// eye when written) and compiled, with a program that uses each field.
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../src/codegen/generate.js';
import { compile, fileOf, generateFrom } from './helpers.js';

const EVERYTHING = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: everything
spec:
  schema:
    apiVersion: v1
    kind: Everything
    spec:
      name: string | required=true description="The name */ of it" minLength=1 maxLength=63 pattern="^[a-z]+$"
      size: string | default="small" enum="small,medium,large"
      count: integer | minimum=0 maximum=10
      level: integer | enum="1,2,3"
      ratio: float
      enabled: boolean
      tags: "[]string | minItems=1 maxItems=5 uniqueItems=true"
      labels: map[string]string
      matrix: "[][]integer"
      config: object
      some-dashed-key: string
      default: string
      class: integer | immutable=true validation="self >= 0"
      foo:
        bar:
          x: string
      fooBar:
        z: string
      ports: "[]Port"
      container: Container
      byName: map[string]Container
      modes: map[string]Mode
      mode: Mode | default="r"
      anyMode: Mode | enum="r"
    types:
      Port: integer | minimum=1 maximum=65535 description="A TCP port"
      Mode: string | enum="r,rw"
      Container:
        image: string | required=true
        args: "[]string"
`;

const SPEC = `/** The spec of an Everything: what the user sets. */
export interface EverythingSpec {
  /**
   * The name *\\/ of it
   *
   * @pattern ^[a-z]+$
   * @minLength 1
   * @maxLength 63
   */
  readonly name: string;
  /** @default "small" */
  readonly size?: 'small' | 'medium' | 'large';
  /**
   * @minimum 0
   * @maximum 10
   */
  readonly count?: number;
  readonly level?: 1 | 2 | 3;
  readonly ratio?: number;
  readonly enabled?: boolean;
  /**
   * @minItems 1
   * @maxItems 5
   * @listType set
   */
  readonly tags?: readonly string[];
  readonly labels?: { readonly [key: string]: string };
  readonly matrix?: readonly (readonly number[])[];
  readonly config?: { readonly [key: string]: unknown };
  readonly 'some-dashed-key'?: string;
  readonly default?: string;
  /**
   * @immutable
   * @validation self >= 0
   */
  readonly class?: number;
  readonly foo?: EverythingSpecFoo;
  readonly fooBar?: EverythingSpecFooBar2;
  readonly ports?: readonly EverythingPort[];
  readonly container?: EverythingContainer;
  readonly byName?: { readonly [key: string]: EverythingContainer };
  readonly modes?: { readonly [key: string]: EverythingMode };
  /** @default "r" */
  readonly mode?: EverythingMode;
  readonly anyMode?: 'r';
}
`;

const USE = `import { App, Chart } from 'cdk8s';
import { Everything, type EverythingSpec } from './imports/index.js';

const spec: EverythingSpec = {
  name: 'abc',
  size: 'large',
  count: 3,
  level: 2,
  ratio: 0.5,
  enabled: true,
  tags: ['a'],
  labels: { a: 'b' },
  matrix: [[1, 2], [3]],
  config: { anything: [1, 'x'] },
  'some-dashed-key': 'k',
  default: 'd',
  class: 1,
  foo: { bar: { x: 'x' } },
  fooBar: { z: 'z' },
  ports: [80, 443],
  container: { image: 'nginx', args: ['-g'] },
  byName: { web: { image: 'httpd' } },
  modes: { a: 'rw' },
  mode: 'rw',
  anyMode: 'r',
};
new Everything(new Chart(new App(), 'c'), 'e', { spec });
// @ts-expect-error a map of strings holds strings
const bad: EverythingSpec = { name: 'x', labels: { a: 1 } };
void bad;
`;

describe('schema constructs as TypeScript types', () => {
  let result: GenerateResult;
  let text: string;
  beforeAll(async () => {
    result = await generateFrom([['everything.yaml', EVERYTHING]]);
    text = fileOf(result, 'everything.ts');
  });

  it('generates without problems', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['everything.ts', 'index.ts']);
  });

  it('maps every field of the spec, keys as written, constraints as JSDoc', () => {
    expect(text).toContain(SPEC);
  });

  it('names nested objects by path and keeps clashing paths apart', () => {
    expect(text).toContain(
      '/** Type of `spec.foo`. */\nexport interface EverythingSpecFoo {\n  readonly bar?: EverythingSpecFooBar;\n}\n',
    );
    expect(text).toContain(
      '/** Type of `spec.foo.bar`. */\nexport interface EverythingSpecFooBar {\n  readonly x?: string;\n}\n',
    );
    // spec.fooBar would be EverythingSpecFooBar too; it comes later, so it takes the suffix.
    expect(text).toContain(
      '/** Type of `spec.fooBar`. */\nexport interface EverythingSpecFooBar2 {\n  readonly z?: string;\n}\n',
    );
  });

  it('declares each custom type once and refers to it where the shape is unchanged', () => {
    expect(text).toContain(
      '/**\n * Custom type `Port` of RGD everything.\n *\n * A TCP port\n *\n * @minimum 1\n * @maximum 65535\n */\nexport type EverythingPort = number;\n',
    );
    expect(text).toContain(
      "/** Custom type `Mode` of RGD everything. */\nexport type EverythingMode = 'r' | 'rw';\n",
    );
    expect(text).toContain(
      '/** Custom type `Container` of RGD everything. */\nexport interface EverythingContainer {\n  readonly image: string;\n  readonly args?: readonly string[];\n}\n',
    );
  });

  it('gives the status kro fields when the RGD has no status', () => {
    expect(text).toContain(
      '/** The status of an Everything, as kro reports it. */\nexport interface EverythingStatus {\n' +
        "  /** kro's summary of the instance: `IN_PROGRESS`, `ACTIVE`, `DELETING` or `ERROR`. */\n" +
        '  readonly state?: string;\n' +
        '  /** Conditions kro reports on the instance (`Ready` and what it is made of). */\n' +
        '  readonly conditions?: readonly kro.Condition[];\n}\n',
    );
  });

  it('compiles, accepts a value for every field, and rejects a wrong map value', () => {
    const files: Record<string, string> = { 'main.ts': USE };
    for (const f of result.files) files[`imports/${f.path}`] = f.content;
    expect(compile(files).errors).toEqual([]);
  });
});

describe('status types', () => {
  it('come from the types of the status expressions', async () => {
    const r = await generateFrom([
      [
        'status.yaml',
        `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: st
spec:
  schema:
    apiVersion: v1alpha1
    kind: Site
    spec:
      name: string | default="x"
    status:
      state: \${string(deploy.spec.replicas)}
      ready: \${deploy.status.availableReplicas}
      endpoint:
        host: \${svc.spec.clusterIP}
        ports: \${svc.spec.ports.map(p, p.port)}
      raw: \${deploy.metadata.labels}
  resources:
    - id: deploy
      template:
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \${schema.spec.name}
        spec:
          selector:
            matchLabels:
              app: x
          template:
            metadata:
              labels:
                app: x
            spec:
              containers:
                - name: x
                  image: x
    - id: svc
      template:
        apiVersion: v1
        kind: Service
        metadata:
          name: \${schema.spec.name}
        spec:
          ports:
            - port: 80
`,
      ],
    ]);
    expect(r.diagnostics).toEqual([]);
    const text = fileOf(r, 'site.ts');
    // The RGD defines `state`, so kro's is not added; `conditions` is.
    expect(text).toContain(
      '/** The status of a Site, as kro reports it. */\nexport interface SiteStatus {\n' +
        '  readonly state?: string;\n' +
        '  readonly ready?: number;\n' +
        '  readonly endpoint?: SiteStatusEndpoint;\n' +
        '  readonly raw?: { readonly [key: string]: string };\n' +
        '  /** Conditions kro reports on the instance (`Ready` and what it is made of). */\n' +
        '  readonly conditions?: readonly kro.Condition[];\n}\n',
    );
    expect(text).toContain(
      '/** Type of `status.endpoint`. */\nexport interface SiteStatusEndpoint {\n' +
        '  readonly host?: string;\n  readonly ports?: readonly number[];\n}\n',
    );
  });
});

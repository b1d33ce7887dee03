// int64 values beyond 2^53 stay exact through every stage, as they do in Go (kro, the API server):
// loaded from YAML and from `default=` markers (JSON too), validated, defaulted, read by CEL, and
// written by crd, synth (expanded and bundle), generate and the generated constructs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonExact, stringifyJson } from '../../../src/json.js';
import { MODE_CONTEXT_KEY } from '../../../src/runtime/index.js';
import { runCli } from '../../helpers/cli.js';
import { constructFor, definitionOf } from '../runtime/helpers.js';

const MAX = '9223372036854775807';
const MIN = '-9223372036854775808';

const RGD = `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: bounds
spec:
  schema:
    apiVersion: v1alpha1
    kind: Bounds
    spec:
      max: integer | default=${MAX}
      min: integer | default=${MIN}
      given: integer
      nested: 'map[string]integer | default={"a": ${MAX}, "b": ${MIN}}'
      pick: integer | enum="1,${MAX}" default=${MAX}
  resources:
    - id: cm
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.metadata.name}
        data:
          max: \${string(schema.spec.max)}
          min: \${string(schema.spec.min)}
          given: \${string(schema.spec.given)}
          below: \${string(schema.spec.given - 1)}
          nested: \${string(schema.spec.nested.a)}
          literal: \${string(${MAX})}
          json: \${json.marshal(schema.spec)}
    - id: job
      template:
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: \${schema.metadata.name}
        spec:
          activeDeadlineSeconds: \${schema.spec.given}
          template:
            spec:
              activeDeadlineSeconds: ${MAX}
              restartPolicy: Never
              containers: [{name: c, image: busybox}]
`;

const INSTANCE = `apiVersion: kro.run/v1alpha1
kind: Bounds
metadata:
  name: b
  namespace: default
spec:
  given: ${MAX}
`;

const CM_DATA = {
  below: '9223372036854775806',
  given: MAX,
  json: `{"given":${MAX},"max":${MAX},"min":${MIN},"nested":{"a":${MAX},"b":${MIN}},"pick":${MAX}}`,
  literal: MAX,
  max: MAX,
  min: MIN,
  nested: MAX,
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-int64-'));
  writeFileSync(join(dir, 'rgd.yaml'), RGD);
  writeFileSync(join(dir, 'b.yaml'), INSTANCE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('int64 bounds', () => {
  it('validate accepts them', async () => {
    const r = await runCli(dir, ['validate', 'rgd.yaml']);
    expect(r.code).toBe(0);
  });

  it('crd writes the defaults exactly, as YAML and as JSON', async () => {
    const yaml = await runCli(dir, ['crd', 'rgd.yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.out).toContain(`default: ${MAX}\n`);
    expect(yaml.out).toContain(`default: ${MIN}\n`);
    expect(yaml.out).toMatch(new RegExp(`enum:\\n\\s+- 1\\n\\s+- ${MAX}\\n`));
    const json = await runCli(dir, ['crd', 'rgd.yaml', '-o', 'json']);
    expect(json.code).toBe(0);
    const props = (parseJsonExact(json.out) as CrdJson).spec.versions[0]?.schema.openAPIV3Schema.properties
      .spec.properties;
    expect(props?.max?.default).toBe(BigInt(MAX));
    expect(props?.min?.default).toBe(BigInt(MIN));
    expect(props?.nested?.default).toEqual({ a: BigInt(MAX), b: BigInt(MIN) });
  });

  it('synth (expanded) defaults, evaluates and writes them exactly', async () => {
    const r = await runCli(dir, ['synth', 'rgd.yaml', '--instance', 'b.yaml']);
    expect(r.code).toBe(0);
    for (const [k, v] of Object.entries(CM_DATA)) expect(r.out).toContain(`  ${k}: ${quoteYaml(v)}\n`);
    expect(r.out).toContain(`  activeDeadlineSeconds: ${MAX}\n`);
    expect(r.out).toContain(`      activeDeadlineSeconds: ${MAX}\n`);
  });

  it('synth (bundle) writes the RGD and the instance exactly', async () => {
    const r = await runCli(dir, ['synth', 'rgd.yaml', '--instance', 'b.yaml', '--mode', 'bundle']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`              activeDeadlineSeconds: ${MAX}\n`);
    expect(r.out).toContain(`  given: ${MAX}\n`);
  });

  it('generate embeds them exactly, and the construct renders them exactly', async () => {
    const r = await runCli(dir, ['generate', 'rgd.yaml', '--out', 'gen']);
    expect(r.code).toBe(0);
    const module = readFileSync(join(dir, 'gen', 'bounds.ts'), 'utf8');
    expect(module).toContain(`"activeDeadlineSeconds": kro.int64("${MAX}")`);
    expect(module).toContain(`@default ${MAX} */`);
    expect(module).toContain(`@default {"a":${MAX},"b":${MIN}} */`);

    const construct = constructFor(definitionOf('rgd.yaml', RGD));
    for (const mode of ['expanded', 'bundle']) {
      const app = Testing.app();
      app.node.setContext(MODE_CONTEXT_KEY, mode);
      new construct(new Chart(app, 'c'), 'b', { metadata: { name: 'b' }, spec: { given: BigInt(MAX) } });
      const text = app.synthYaml();
      if (mode === 'expanded') {
        for (const [k, v] of Object.entries(CM_DATA)) expect(text).toContain(`  ${k}: ${quoteYaml(v)}\n`);
      } else {
        expect(text).toContain(`  given: ${MAX}\n`);
      }
      expect(text).toContain(`activeDeadlineSeconds: ${MAX}\n`);
    }
  });

  it('values outside int64 are still refused, at the literal', async () => {
    writeFileSync(join(dir, 'over.yaml'), INSTANCE.replace(MAX, '9223372036854775808'));
    const r = await runCli(dir, ['synth', 'rgd.yaml', '--instance', 'over.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'over.yaml:7:10: error: integer 9223372036854775808 is outside int64, the range of Kubernetes integers',
    );
  });
});

describe('exact JSON helpers', () => {
  it('parse int64s beyond 2^53 as bigints, larger integers as doubles, strings untouched', () => {
    expect(parseJsonExact(`[${MAX}, ${MIN}, 9007199254740991, 1e400, 100000000000000000000]`)).toEqual([
      BigInt(MAX),
      BigInt(MIN),
      9007199254740991,
      Number.POSITIVE_INFINITY,
      1e20,
    ]);
    expect(parseJsonExact(`{"${MAX}": "${MAX}", "x": "\\u0001", "y": ${MAX}.5}`)).toEqual({
      [MAX]: MAX,
      x: '\u0001',
      y: 2 ** 63,
    });
  });

  it('stringify bigints as their digits, also when a string looks like the marker', () => {
    expect(stringifyJson({ a: BigInt(MAX), b: [BigInt(MIN)] })).toBe(`{"a":${MAX},"b":[${MIN}]}`);
    const tricky = { '\u0000int64-0:5': '\u0000int64-0:7', n: BigInt(MAX) };
    expect(stringifyJson(tricky)).toBe(`{"\\u0000int64-0:5":"\\u0000int64-0:7","n":${MAX}}`);
    expect(stringifyJson({ a: [1] }, 2)).toBe(JSON.stringify({ a: [1] }, null, 2));
  });
});

type CrdJson = {
  spec: {
    versions: {
      schema: {
        openAPIV3Schema: { properties: { spec: { properties: Record<string, { default: unknown }> } } };
      };
    }[];
  };
};

function quoteYaml(v: string): string {
  return v.startsWith('{') ? `'${v}'` : `"${v}"`;
}

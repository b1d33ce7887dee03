/**
 * The `format` library differential: kro-gen's `format.<name>().validate(s)` (the API server's rule
 * environment, src/cel/lib/k8s-format.ts) against the real kube-apiserver's, for every format and
 * every string of format-cases.ts. One CRD holds a field per pair whose rule states kro-gen's
 * answer (`format.named(name).value().validate(self).orValue([]) == [<kro-gen's errors>]`); an
 * instance holding each pair's string is created (dry run), so the API server refuses exactly the
 * pairs whose errors differ, by field.
 *
 *   format library: N checks, equal X/N
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import { KubeApiError, type KubeObject } from '../cluster/kube.js';
import { reportSummaryLine } from '../differential/summary.js';
import { FORMAT_INPUTS, FORMAT_NAMES } from './format-cases.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  if (cluster) await stopCluster();
});

const GROUP = 'formats.kro-gen.test';

interface Check {
  readonly field: string;
  readonly format: string;
  readonly input: string;
  readonly errors: readonly string[];
}

/** kro-gen's errors for `input` in `format`, from the rule environment itself. */
function kroGenErrors(format: string, input: string): string[] {
  const env = createKroEnvironment({ omit: false, crdRules: true });
  env.declare('self');
  const errors = env
    .compile(`format.named(${JSON.stringify(format)}).value().validate(self).orValue([])`)
    .evaluate({ self: input });
  return errors as string[];
}

const validate = (format: string): string =>
  `format.named(${JSON.stringify(format)}).value().validate(self).orValue([])`;

describe('the format library against the real API server', () => {
  it('gives every string the errors the API server gives', { timeout: 300_000 }, async () => {
    const checks: Check[] = [];
    for (const format of FORMAT_NAMES)
      for (const input of FORMAT_INPUTS)
        checks.push({ field: `f${checks.length}`, format, input, errors: kroGenErrors(format, input) });
    const properties: Record<string, unknown> = {};
    for (const c of checks) {
      // A JSON string is a CEL string literal.
      const expected = `[${c.errors.map((e) => JSON.stringify(e)).join(', ')}]`;
      properties[c.field] = {
        type: 'string',
        maxLength: 300,
        'x-kubernetes-validations': [{ rule: `${validate(c.format)} == ${expected}` }],
      };
    }
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `formatchecks.${GROUP}` },
      spec: {
        group: GROUP,
        names: {
          kind: 'FormatCheck',
          plural: 'formatchecks',
          singular: 'formatcheck',
          listKind: 'FormatCheckList',
        },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties } },
              },
            },
          },
        ],
      },
    };
    await cluster.client.create(crd as unknown as KubeObject);
    await cluster.client.waitForCrdEstablished(crd.metadata.name);
    const spec = Object.fromEntries(checks.map((c) => [c.field, c.input]));
    const instance = { apiVersion: `${GROUP}/v1`, kind: 'FormatCheck', metadata: { name: 'all' }, spec };
    let failed: string[] = [];
    try {
      await cluster.client.create(instance as unknown as KubeObject, { dryRun: true });
    } catch (err) {
      if (!(err instanceof KubeApiError)) throw err;
      const causes = (
        err.body as { details?: { causes?: { field?: string; message?: string }[] } } | undefined
      )?.details?.causes;
      failed = (causes ?? [{ message: err.message }]).map((c) => `${c.field ?? ''}: ${c.message ?? ''}`);
    }
    const differing = checks.filter((c) => failed.some((f) => f.startsWith(`spec.${c.field}:`)));
    for (const c of differing) {
      const server = failed.find((f) => f.startsWith(`spec.${c.field}:`));
      console.log(`${c.format} ${JSON.stringify(c.input)}: kro-gen ${c.errors.join(' | ')}; ${server}`);
    }
    const n = checks.length;
    reportSummaryLine(`format library: ${n} checks, equal ${n - differing.length}/${n}`);
    expect(failed).toEqual([]);
  });
});

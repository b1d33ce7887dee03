// The check plan may only skip walks that find nothing: wherever it says "skip", the full
// undeclaredField / storedForm walk of the object must agree.
import { describe, expect, it } from 'vitest';
import { deepCopyJson } from '../../../src/json.js';
import type { DocPath, JsonObject } from '../../../src/rgd/model.js';
import { undeclaredField } from '../../../src/synth/apply-checks.js';
import { checkPlan, storedUnchanged, undeclaredSkippable } from '../../../src/synth/check-plan.js';
import { schemaLookup } from '../../../src/synth/schemas.js';
import { storedForm } from '../../../src/synth/stored.js';

const deploymentSchema = schemaLookup()('apps/v1', 'Deployment');
if (!deploymentSchema) throw new Error('no built-in Deployment schema');
const schema = deploymentSchema;

const template = (extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: '<expression>', labels: { app: '<expression>' } },
  spec: {
    replicas: '<expression>',
    selector: '<expression>',
    template: {
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx',
            resources: { limits: { memory: '<expression>', cpu: '500m' } },
          },
        ],
      },
    },
  },
  ...extra,
});
const fields: DocPath[] = [
  ['metadata', 'name'],
  ['metadata', 'labels', 'app'],
  ['spec', 'replicas'],
  ['spec', 'selector'],
  ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'],
];

function rendered(t: JsonObject, values: readonly unknown[]): JsonObject {
  const o = deepCopyJson(t);
  fields.forEach((path, i) => {
    let cur = o as Record<string | number, unknown>;
    for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
    cur[path[path.length - 1] as string | number] = values[i];
  });
  return o;
}

/** Asserts that each skip the plan allows agrees with the full walk, and returns the verdicts. */
function verdicts(t: JsonObject, values: readonly unknown[]) {
  const plan = checkPlan(t, fields, schema);
  const object = rendered(t, values);
  const skipUndeclared = undeclaredSkippable(plan, values);
  const skipStored = storedUnchanged(plan, values);
  if (skipUndeclared) expect(undeclaredField(object, schema)).toBeUndefined();
  if (skipStored) expect(storedForm(object, schema)).toEqual({ ok: true, value: object });
  return {
    skipUndeclared,
    skipStored,
    full: { undeclared: undeclaredField(object, schema), stored: storedForm(object, schema) },
  };
}

const selector = { matchLabels: { app: 'a' } };

describe('check plan', () => {
  it('skips both walks when the values fit and are in stored form', () => {
    const v = verdicts(template(), ['a', 'a', 2, selector, '1Gi']);
    expect(v).toMatchObject({ skipUndeclared: true, skipStored: true });
  });

  it('walks in full when a value holds an undeclared field, and the walk finds it', () => {
    const v = verdicts(template(), ['a', 'a', 2, { ...selector, bogus: 1 }, '1Gi']);
    expect(v.skipUndeclared).toBe(false);
    expect(v.full.undeclared).toBe('.spec.selector.bogus');
  });

  it('walks in full when a quantity value is not in canonical form, or is invalid', () => {
    const canonical = verdicts(template(), ['a', 'a', 2, selector, '1024Mi']);
    expect(canonical.skipStored).toBe(false);
    expect(canonical.full.stored.ok && canonical.full.stored.value).toMatchObject({
      spec: { template: { spec: { containers: [{ resources: { limits: { memory: '1Gi' } } }] } } },
    });
    const invalid = verdicts(template(), ['a', 'a', 2, selector, 'lots']);
    expect(invalid.skipStored).toBe(false);
    expect(invalid.full.stored.ok).toBe(false);
  });

  it('never skips a check the template alone fails', () => {
    const undeclared = template({ bogus: 'x' });
    expect(checkPlan(undeclared, fields, schema).undeclared).toBeUndefined();
    expect(verdicts(undeclared, ['a', 'a', 2, selector, '1Gi']).full.undeclared).toBe('.bogus');
    const quantity = template();
    (
      (((quantity.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[]
    )[0] = {
      name: 'app',
      resources: { limits: { memory: '<expression>', cpu: '0.5' } },
    };
    expect(checkPlan(quantity, fields, schema).stored).toBeUndefined();
  });
});

// What of each variable expressions can observe (read-paths.ts): the read trees, and objects pruned
// to them evaluating exactly as the whole objects do.
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { observes, pruned, type ReadTree, readTrees } from '../../../src/synth/read-paths.js';
import { withServerDefaults } from '../../../src/synth/server-defaults.js';

const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
const trees = (...sources: string[]) => readTrees(sources.map((s) => env.parse(s).ast));

/** A tree as nested plain objects (`true` for a value read whole), for readable expectations. */
function shape(tree: ReadTree | undefined): unknown {
  if (tree === undefined) return undefined;
  if (tree.children === undefined) return true;
  return Object.fromEntries([...tree.children].map(([k, v]) => [k, shape(v)]));
}

describe('readTrees', () => {
  it('keeps the fields select chains read, and merges the chains of several expressions', () => {
    const t = trees(
      'd.metadata.name',
      'd.spec.replicas * 4',
      'has(d.spec.paused) ? 1 : 2',
      's.spec.name + "x"',
    );
    expect(shape(t.get('d'))).toEqual({ metadata: { name: true }, spec: { replicas: true, paused: true } });
    expect(shape(t.get('s'))).toEqual({ spec: { name: true } });
  });

  it('reads a variable whole when any use is not a select chain', () => {
    expect(shape(trees('d.metadata.name', 'string(d)').get('d'))).toBe(true);
    expect(shape(trees('d["metadata"].name').get('d'))).toBe(true);
    expect(shape(trees('d.spec.ports.map(p, p.port)').get('d'))).toEqual({ spec: { ports: true } });
    // A chain's end read whole swallows deeper chains of the same path.
    expect(shape(trees('d.spec', 'd.spec.replicas').get('d'))).toEqual({ spec: true });
  });

  it('reads through optional selects as through plain ones', () => {
    expect(shape(trees('d.?spec.replicas.orValue(1)').get('d'))).toEqual({ spec: { replicas: true } });
  });
});

describe('pruned', () => {
  const object = {
    apiVersion: 'apps/v1',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: {} } },
  };

  it('keeps only what the tree reads, sharing each end value with the object', () => {
    const tree = trees('d.metadata.name', 'd.spec.selector', 'd.spec.missing').get('d');
    const out = pruned(object, tree);
    expect(out).toEqual({ metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } } } });
    expect(out.spec.selector).toBe(object.spec.selector);
  });

  it('keeps lists, scalars and objects holding a constructor key whole', () => {
    const tree = trees('d.a.b').get('d');
    const list = { a: [{ b: 1, c: 2 }] };
    expect(pruned(list, tree)).toEqual(list);
    const odd = { a: { b: 1, constructor: 'x' } };
    expect(pruned(odd, tree).a).toBe(odd.a);
    expect(pruned(object, undefined)).toBe(object);
  });
});

describe('observes', () => {
  it('says whether anything at or below a path is read', () => {
    const tree = trees('d.metadata.name').get('d');
    expect(observes(tree, ['metadata'])).toBe(true);
    expect(observes(tree, ['metadata', 'labels'])).toBe(false);
    expect(observes(tree, ['spec'])).toBe(false);
    expect(observes(trees('d.metadata').get('d'), ['metadata', 'labels'])).toBe(true);
    expect(observes(undefined, ['metadata', 'labels'])).toBe(true);
  });
});

describe('withServerDefaults with a read tree', () => {
  it('gives what the whole defaulting gives, on the paths read', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        strategy: { type: 'Recreate' },
        template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } },
      },
    };
    const reads = [
      'd.spec.strategy',
      'd.spec.revisionHistoryLimit',
      'd.spec.template.spec.containers',
      'd.spec.template.spec.restartPolicy',
      'd.metadata.name',
    ];
    const tree = trees(...reads).get('d');
    const whole = withServerDefaults(deployment, 'apps/v1/Deployment');
    const limited = withServerDefaults(deployment, 'apps/v1/Deployment', tree);
    expect(pruned(limited, tree)).toEqual(pruned(whole, tree));
    // The whole defaulting does fill fields the tree does not read; the limited one leaves them.
    expect(whole.spec).toHaveProperty('progressDeadlineSeconds');
    expect(limited.spec).not.toHaveProperty('progressDeadlineSeconds');
    expect((whole.spec as { revisionHistoryLimit?: unknown }).revisionHistoryLimit).toBe(10);
  });
});

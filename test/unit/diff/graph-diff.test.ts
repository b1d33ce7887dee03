// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// The graph part of an RGD diff: resources added, removed, renamed; dependencies, order, conditions,
// forEach and templates, each at its place in the new file.
import { describe, expect, it } from 'vitest';
import { changedPaths } from '../../../src/diff/graph-diff.js';
import { diffTexts, edit, WEB_APP } from './fixtures.js';

const CONFIG = `    - id: config
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-config
        data:
          replicas: \${string(schema.spec.replicas)}
`;

const withConfig = WEB_APP + CONFIG;

describe('graph changes', () => {
  it('an added resource, at its id in the new file', () => {
    const r = diffTexts(WEB_APP, withConfig);
    expect(r.breaking).toBe(false);
    expect(r.resources.changes).toEqual([
      {
        change: 'added',
        id: 'config',
        message: 'added (ConfigMap): kro creates it in every existing instance',
        pos: { file: 'new.yaml', line: 53, col: 11 },
      },
    ]);
  });

  it('a removed resource points at the resource list of the new file and says kro prunes it', () => {
    const r = diffTexts(withConfig, WEB_APP);
    expect(r.resources.changes).toEqual([
      {
        change: 'removed',
        id: 'config',
        message: 'removed (ConfigMap): kro prunes its objects from every existing instance',
        pos: { file: 'new.yaml', line: 21, col: 5 },
      },
    ]);
  });

  it('the same template under a new id is a rename', () => {
    const r = diffTexts(withConfig, edit(withConfig, 'id: config', 'id: settings'));
    expect(r.resources.changes).toEqual([
      {
        change: 'renamed',
        id: 'settings',
        from: 'config',
        message: 'renamed from config (same template)',
        pos: { file: 'new.yaml', line: 53, col: 11 },
      },
    ]);
  });

  it('a rename is found through references to the renamed ids, its own and other resources', () => {
    // deployment → web: its readyWhen names itself, and the service reads its selector.
    const after = WEB_APP.replace(/\bdeployment\b/g, 'web');
    const r = diffTexts(WEB_APP, after);
    expect(r.resources.changes).toEqual([
      {
        change: 'renamed',
        id: 'web',
        from: 'deployment',
        message: 'renamed from deployment (same template)',
        pos: { file: 'new.yaml', line: 21, col: 11 },
      },
    ]);
    // Both renamed: the service matches once the deployment's rename is known.
    const both = after.replace('id: service', 'id: svc');
    expect(diffTexts(WEB_APP, both).resources.changes.map((c) => [c.change, c.id, c.from])).toEqual([
      ['renamed', 'web', 'deployment'],
      ['renamed', 'svc', 'service'],
    ]);
  });

  it('a new id with another template is a removal and an addition', () => {
    const after = edit(edit(withConfig, 'id: config', 'id: settings'), '-config', '-settings');
    expect(diffTexts(withConfig, after).resources.changes.map((c) => [c.change, c.id])).toEqual([
      ['added', 'settings'],
      ['removed', 'config'],
    ]);
  });

  it('changed dependencies and the order they imply', () => {
    const after = edit(
      withConfig,
      'replicas: ${string(schema.spec.replicas)}',
      'replicas: ${service.metadata.name}',
    );
    const r = diffTexts(withConfig, after);
    expect(r.resources.changes.map((c) => [c.change, c.id, c.message])).toEqual([
      ['dependencies', 'config', 'depends on service (was none)'],
      ['template', 'config', 'template changed at data.replicas'],
    ]);
  });

  it('a resource moving in kro order', () => {
    // config first in the file: kro's order puts it first; depending on the service moves it last.
    const first = WEB_APP.replace('  resources:\n', `  resources:\n${CONFIG}`);
    const after = edit(
      first,
      'replicas: ${string(schema.spec.replicas)}',
      'replicas: ${service.metadata.name}',
    );
    const order = diffTexts(first, after).resources.changes.filter((c) => c.change === 'order');
    expect(order.map((c) => c.id)).toEqual(['deployment', 'service', 'config']);
    expect(order[2]?.message).toBe(
      "moves in kro's apply order to position 3 of 3 among unchanged resources (was 1): deployment → service → config (was config → deployment → service)",
    );
  });

  it('includeWhen, readyWhen and forEach changes, at those fields', () => {
    let after = edit(
      withConfig,
      '    - id: config\n',
      '    - id: config\n      includeWhen:\n        - ${schema.spec.replicas > 1}\n',
    );
    after = edit(
      after,
      '${deployment.status.availableReplicas == deployment.spec.replicas}',
      '${deployment.status.readyReplicas == deployment.spec.replicas}',
    );
    const r = diffTexts(withConfig, after);
    expect(r.resources.changes.map((c) => [c.change, c.id, c.pos?.line])).toEqual([
      ['readyWhen', 'deployment', 23],
      ['includeWhen', 'config', 55],
    ]);
    expect(r.resources.changes[1]?.message).toMatch(
      /^includeWhen changed from \[\] to \[\$\{schema.spec.replicas > 1\}\]/,
    );

    const each = edit(
      edit(
        withConfig,
        '    - id: config\n',
        '    - id: config\n      forEach:\n        - port: ${schema.spec.ports}\n',
      ),
      '-config',
      '-${port.name}',
    );
    const shrunk = edit(each, '${schema.spec.ports}', '${schema.spec.ports.filter(p, p.port > 1024)}');
    expect(diffTexts(each, shrunk).resources.changes).toMatchObject([
      {
        change: 'forEach',
        id: 'config',
        message:
          'forEach changed from [port: ${schema.spec.ports}] to [port: ${schema.spec.ports.filter(p, p.port > 1024)}]: the objects of each instance are re-expanded; those no longer produced are pruned',
        pos: { line: 55 },
      },
    ]);
  });
});

describe('changedPaths', () => {
  it('lists leaves and indexes, sorted', () => {
    expect(changedPaths({ a: 1, b: [1, 2], c: { d: 1 } }, { a: 1, b: [1, 3, 4], c: { e: 1 } })).toEqual([
      'b[1]',
      'b[2]',
      'c.d',
      'c.e',
    ]);
    expect(changedPaths({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

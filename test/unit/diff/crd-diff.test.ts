// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// The CRD part of an RGD diff: kro's verdict, positions in the new file, the allow annotation and
// the immutable schema identity.
import { describe, expect, it } from 'vitest';
import { diffTexts, dropSvcType, edit, SVC_TYPE_REMOVED, WEB_APP } from './fixtures.js';

const ALLOW = 'metadata:\n  name: web-app\n  annotations:\n    kro.run/allow-breaking-changes: "true"\n';

describe('CRD compatibility of an RGD change', () => {
  it('an unchanged RGD has no changes and is accepted', () => {
    const r = diffTexts(WEB_APP, WEB_APP);
    expect(r.breaking).toBe(false);
    expect(r.crd).toEqual({ name: 'applications.kro.run', accepted: true, changes: [] });
    expect(r.resources.changes).toEqual([]);
  });

  it('a removed spec field is breaking, with kro texts and the position of its parent in the new file', () => {
    const r = diffTexts(WEB_APP, dropSvcType(WEB_APP));
    expect(r.breaking).toBe(true);
    expect(r.crd.accepted).toBe(false);
    expect(r.crd.refusal).toBe(
      'cannot update CRD applications.kro.run: breaking changes detected: Property svcType was removed',
    );
    expect(r.crd.changes).toEqual([SVC_TYPE_REMOVED]);
  });

  it('points into custom types for their fields', () => {
    const r = diffTexts(WEB_APP, edit(WEB_APP, 'port: integer', 'port: integer | maximum=65535'));
    expect(r.crd.changes).toMatchObject([
      {
        field: 'spec.ports[].port',
        message: 'Maximum constraint 65535 was added',
        pos: { file: 'new.yaml', line: 17, col: 9 },
      },
    ]);
  });

  it('compatible changes are accepted: an optional field, a wider enum, a relaxed minimum', () => {
    let after = edit(WEB_APP, 'enum="ClusterIP,NodePort"', 'enum="ClusterIP,NodePort,LoadBalancer"');
    after = edit(after, 'minimum=0', 'minimum=-1');
    after = edit(
      after,
      '      name: string\n      replicas',
      '      name: string\n      image: string\n      replicas',
    );
    const r = diffTexts(WEB_APP, after);
    expect(r.breaking).toBe(false);
    expect(r.crd.accepted).toBe(true);
    expect(r.crd.changes.map((c) => [c.breaking, c.message])).toEqual([
      [false, 'Minimum was decreased from 0 to -1'],
      [false, 'Enum value "LoadBalancer" was added'],
      [false, 'Optional property image was added'],
    ]);
  });

  it('status types come from the graph: a status expression of another type is breaking', () => {
    const r = diffTexts(
      WEB_APP,
      edit(
        WEB_APP,
        '${deployment.status.availableReplicas}\n',
        '${string(deployment.status.availableReplicas)}\n',
      ),
    );
    expect(r.crd.changes.map((c) => [c.field, c.message, c.breaking])).toEqual([
      ['status.available', 'Type changed from integer to string', true],
    ]);
  });

  it('kro.run/allow-breaking-changes: "true" lists the changes as allowed and accepts the update', () => {
    const after = dropSvcType(edit(WEB_APP, 'metadata:\n  name: web-app\n', ALLOW));
    const r = diffTexts(WEB_APP, after);
    expect(r.breaking).toBe(false);
    expect(r.crd.accepted).toBe(true);
    expect(r.crd.refusal).toBeUndefined();
    expect(r.crd.changes.map((c) => [c.message, c.breaking, c.allowed])).toEqual([
      ['Property svcType was removed', true, true],
    ]);
  });

  it('only the exact value "true" allows breaking changes', () => {
    const after = dropSvcType(
      edit(WEB_APP, 'metadata:\n  name: web-app\n', ALLOW.replace('"true"', '"yes"')),
    );
    expect(diffTexts(WEB_APP, after).crd.accepted).toBe(false);
  });

  it('a changed kind and group are refused by the API server, annotation or not, and name the new CRD', () => {
    let after = edit(WEB_APP, 'kind: Application', 'kind: App\n    group: example.com');
    after = edit(after, 'metadata:\n  name: web-app\n', ALLOW);
    const r = diffTexts(WEB_APP, after);
    expect(r.breaking).toBe(true);
    expect(r.crd).toMatchObject({
      name: 'apps.example.com',
      oldName: 'applications.kro.run',
      accepted: false,
    });
    expect(r.crd.refusal).toBe(
      'ResourceGraphDefinition.kro.run "web-app" is invalid: [spec.schema.kind: Invalid value: "App": kind is immutable, spec.schema.group: Invalid value: "example.com": group is immutable]',
    );
    expect(r.crd.note).toContain(
      'leaves the CRD applications.kro.run, its instances and their objects in place',
    );
    expect(r.crd.changes.map((c) => [c.field, c.allowed, c.pos?.line])).toEqual([
      ['schema.kind', false, 10],
      ['schema.group', false, 11],
    ]);
  });

  it('a group written out as the default kro.run is no change', () => {
    const r = diffTexts(WEB_APP, edit(WEB_APP, 'kind: Application', 'kind: Application\n    group: kro.run'));
    expect(r.crd.changes).toEqual([]);
  });

  it('a changed apiVersion alone keeps the CRD name but is refused', () => {
    const r = diffTexts(WEB_APP, edit(WEB_APP, 'apiVersion: v1alpha1', 'apiVersion: v1'));
    expect(r.crd.oldName).toBeUndefined();
    expect(r.crd.refusal).toBe(
      'ResourceGraphDefinition.kro.run "web-app" is invalid: spec.schema.apiVersion: Invalid value: "v1": apiVersion is immutable',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { immutableChanges, immutableRules } from '../../../src/diff/immutable/check.js';
import { IMMUTABLE_FIELDS } from '../../../src/diff/immutable/table.js';
import { diffFields } from '../../../src/diff/instance-fields.js';
import type { JsonObject } from '../../../src/rgd/model.js';

function changed(old: JsonObject, next: JsonObject): string[] {
  return immutableChanges(old, diffFields(old, next));
}

const deploy = (app: string, image: string): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd' },
  spec: {
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

describe('the immutable-field table', () => {
  it('names its source for every rule, and a path of a kind once per rule type', () => {
    const seen = new Set<string>();
    for (const r of IMMUTABLE_FIELDS) {
      expect(r.source).toMatch(/^pkg\/apis\/[a-z]+\/validation\/validation\.go \w/);
      for (const k of r.kinds) {
        const key = `${r.group}/${k}/${r.path}/${r.rule}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
    expect(immutableRules('apps/v1', 'StatefulSet').map((r) => r.rule)).toEqual(['spec-except']);
    expect(immutableRules('v1', 'ConfigMap').map((r) => r.path)).toEqual(['data', 'binaryData', 'immutable']);
    // Same kind name in another group: not a built-in.
    expect(immutableRules('example.com/v1', 'Deployment')).toEqual([]);
  });

  it('flags a selector change of a Deployment, not its image', () => {
    expect(changed(deploy('a', 'x:1'), deploy('b', 'x:1'))).toEqual(['spec.selector']);
    expect(changed(deploy('a', 'x:1'), deploy('a', 'x:2'))).toEqual([]);
  });

  it('names the StatefulSet spec fields other than the mutable ones', () => {
    const sts = (serviceName: string, replicas: number, policy?: string): JsonObject => ({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      spec: {
        serviceName,
        replicas,
        ...(policy ? { podManagementPolicy: policy } : {}),
        template: { spec: { containers: [{ name: 'c', image: `i:${replicas}` }] } },
      },
    });
    expect(changed(sts('a', 1), sts('a', 3))).toEqual([]);
    expect(changed(sts('a', 1), sts('b', 1, 'Parallel'))).toEqual([
      'spec.serviceName',
      'spec.podManagementPolicy',
    ]);
  });

  it('lets a PVC grow its storage request, nothing else', () => {
    const pvc = (size: string, mode: string): JsonObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      spec: { accessModes: [mode], resources: { requests: { storage: size } } },
    });
    expect(changed(pvc('1Gi', 'ReadWriteOnce'), pvc('2Gi', 'ReadWriteOnce'))).toEqual([]);
    expect(changed(pvc('1Gi', 'ReadWriteOnce'), pvc('1Gi', 'ReadWriteMany'))).toEqual(['spec.accessModes']);
    const cpu = pvc('1Gi', 'ReadWriteOnce');
    const withCpu = {
      ...cpu,
      spec: { ...(cpu.spec as JsonObject), resources: { requests: { storage: '1Gi', cpu: '1' } } },
    };
    expect(changed(cpu, withCpu)).toEqual(['spec.resources']);
  });

  it('refuses ConfigMap data changes only once the stored object is immutable', () => {
    const cm = (v: string, immutable?: boolean): JsonObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      ...(immutable !== undefined ? { immutable } : {}),
      data: { k: v },
    });
    expect(changed(cm('a'), cm('b'))).toEqual([]);
    expect(changed(cm('a', true), cm('b', true))).toEqual(['data']);
    expect(changed(cm('a', true), cm('a'))).toEqual(['immutable']);
    // Making it immutable is allowed.
    expect(changed(cm('a'), cm('a', true))).toEqual([]);
  });

  it("keeps a Service's clusterIP when the update omits it, refuses another value", () => {
    const svc = (ip?: string): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      spec: { ports: [{ port: 80 }], ...(ip ? { clusterIP: ip } : {}) },
    });
    expect(changed(svc('None'), svc())).toEqual([]);
    expect(changed(svc('None'), svc('10.0.0.9'))).toEqual(['spec.clusterIP']);
  });

  it("refuses a Job's template change, but for scheduling directives while it is suspended", () => {
    const job = (image: string, suspend?: boolean): JsonObject => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      spec: {
        ...(suspend ? { suspend } : {}),
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image }] } },
      },
    });
    expect(changed(job('a'), job('b'))).toEqual(['spec.template']);
    // Suspended: scheduling directives may change, the image may not.
    expect(changed(job('a', true), job('b', true))).toEqual(['spec.template.spec']);
    const placed = job('a', true);
    const tpl = (placed.spec as JsonObject).template as JsonObject;
    const moved = {
      ...placed,
      spec: {
        ...(placed.spec as JsonObject),
        template: { ...tpl, spec: { ...(tpl.spec as JsonObject), nodeSelector: { zone: 'b' } } },
      },
    };
    expect(changed(placed, moved)).toEqual([]);
  });

  it('matches list indexes with [*]: a Pod may change container images only', () => {
    const pod = (image: string, port: number): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: [{ name: 'c', image, ports: [{ containerPort: port }] }] },
    });
    expect(changed(pod('a', 80), pod('b', 80))).toEqual([]);
    expect(changed(pod('a', 80), pod('a', 81))).toEqual(['spec.containers']);
  });

  it('refuses a roleRef change of a RoleBinding', () => {
    const rb = (role: string): JsonObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ kind: 'User', name: role }],
    });
    expect(changed(rb('a'), rb('b'))).toEqual(['roleRef']);
  });
});

// The RGD-level scenarios of kro v0.9.3's integration test "CRD Breaking Changes"
// (test/integration/suites/core/crd_test.go, kro, Apache-2.0): an RGD is created, then updated, and
// kro refuses or applies the new CRD. Restated here with kro-gen's diff; the schemas are kro's.
import { describe, expect, it } from 'vitest';
import { diffTexts } from './fixtures.js';

function rgd(kind: string, spec: Record<string, string>, annotations = ''): string {
  const fields = Object.entries(spec)
    .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: test
${annotations}spec:
  schema:
    apiVersion: v1alpha1
    kind: ${kind}
    spec:
${fields}
  resources: []
`;
}

const ALLOW = '  annotations:\n    kro.run/allow-breaking-changes: "true"\n';

describe("kro's CRD breaking-change scenarios", () => {
  it('should block RGD update when schema has breaking changes (crd_test.go:373), until the annotation allows it', () => {
    const before = rgd('BreakingTest', { field1: 'string', field2: 'integer | default=42' });
    const refused = diffTexts(before, rgd('BreakingTest', { field1: 'string' }));
    expect(refused.crd.name).toBe('breakingtests.kro.run');
    expect(refused.crd.accepted).toBe(false);
    expect(refused.crd.refusal).toContain('breaking');
    const allowed = diffTexts(before, rgd('BreakingTest', { field1: 'string' }, ALLOW));
    expect(allowed.crd.accepted).toBe(true);
    expect(allowed.breaking).toBe(false);
  });

  it('should allow RGD update when schema changes are non-breaking (crd_test.go:473)', () => {
    const before = rgd('NonBreakingTest', { field1: 'string' });
    const added = rgd('NonBreakingTest', { field1: 'string', field2: 'integer | default=42' });
    expect(diffTexts(before, added).crd).toMatchObject({ name: 'nonbreakingtests.kro.run', accepted: true });
    const newDefault = rgd('NonBreakingTest', { field1: 'string', field2: 'integer | default=100' });
    const r = diffTexts(added, newDefault);
    expect(r.crd.accepted).toBe(true);
    expect(r.crd.changes.map((c) => c.message)).toEqual(['Default value was changed from 42 to 100']);
  });

  it('should update CRD when minimum/maximum markers are removed (crd_test.go:564)', () => {
    const r = diffTexts(
      rgd('ConstraintRemoval', { replicas: 'integer | default=3 minimum=1 maximum=10' }),
      rgd('ConstraintRemoval', { replicas: 'integer | default=3' }),
    );
    expect(r.crd.accepted).toBe(true);
    expect(r.crd.changes.map((c) => [c.message, c.breaking])).toEqual([
      ['Minimum constraint 1 was removed', false],
      ['Maximum constraint 10 was removed', false],
    ]);
  });
});

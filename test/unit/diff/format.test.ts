// The output formats on hand-made reports: escaping (GitHub workflow commands, Markdown tables),
// instance plans, added/removed RGDs and the JSON envelope.
import { describe, expect, it } from 'vitest';
import { diffOutput, toGithub, toJson, toMarkdown, toText } from '../../../src/diff/format.js';
import type { DiffReport } from '../../../src/diff/report.js';

const pos = { file: 'dir, a:b/new.yaml', line: 3, col: 5 };

const modified: DiffReport = {
  breaking: true,
  rgd: { name: 'app', status: 'modified', oldFile: 'old.yaml', newFile: 'new.yaml' },
  crd: {
    name: 'apps.kro.run',
    accepted: true,
    changes: [
      {
        path: '.properties.spec.properties.a',
        field: 'spec.a',
        breaking: true,
        allowed: true,
        message: 'Property a was removed',
        pos,
      },
      {
        path: '.properties.spec.properties.b.pattern',
        field: 'spec.b',
        breaking: false,
        allowed: false,
        message: 'Validation pattern ^a|b%\n was removed',
        pos,
      },
    ],
  },
  resources: { changes: [] },
  instances: [
    {
      instance: { apiVersion: 'kro.run/v1alpha1', kind: 'App', name: 'x' },
      errors: [{ message: 'spec.selector is immutable', pos: { file: 'x.yaml', line: 2, col: 1 } }],
      objects: [
        {
          action: 'create',
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'ns',
          name: 'c',
          changes: [],
          immutable: [],
        },
        {
          action: 'unchanged',
          apiVersion: 'v1',
          kind: 'Service',
          namespace: 'ns',
          name: 's',
          changes: [],
          immutable: [],
        },
      ],
    },
  ],
};
const added: DiffReport = {
  breaking: false,
  rgd: { name: 'fresh', status: 'added', newFile: 'fresh.yaml' },
  crd: { name: 'freshes.kro.run', changes: [] },
  resources: { changes: [] },
  instances: [],
};

describe('diff output formats', () => {
  const out = diffOutput([modified, added]);

  it('github: properties escape : and , and data escapes % and line breaks', () => {
    expect(toGithub(out).split('\n')).toEqual([
      '::warning file=dir%2C a%3Ab/new.yaml,line=3,col=5,title=kro-gen diff%3A app%3A CRD breaking change (allowed)::spec.a: Property a was removed',
      '::notice file=dir%2C a%3Ab/new.yaml,line=3,col=5,title=kro-gen diff%3A app%3A CRD compatible change::spec.b: Validation pattern ^a|b%25%0A was removed',
      '::error file=x.yaml,line=2,col=1,title=kro-gen diff%3A app%3A instance App x::spec.selector is immutable',
      '::notice title=kro-gen diff%3A fresh::RGD fresh added (fresh.yaml): kro creates its CRD freshes.kro.run',
      'BREAKING: app (2 RGDs compared, 2 changed)',
      '',
    ]);
  });

  it('markdown: pipes escaped, one line per cell, unchanged objects left out', () => {
    const md = toMarkdown(out);
    expect(md).toContain(
      '| ✅ | `spec.b` | Validation pattern ^a\\|b%\\n was removed | dir, a:b/new.yaml:3:5 |',
    );
    expect(md).toContain('- ❌ spec.selector is immutable (x.yaml:2:1)');
    expect(md).toContain('| create | ConfigMap ns/c |  |  |');
    expect(md).not.toContain('Service ns/s');
    expect(md).toContain('### RGD fresh added (fresh.yaml): kro creates its CRD freshes.kro.run');
  });

  it('text: the verdict, every change and each instance object', () => {
    expect(toText(out)).toBe(
      [
        'RGD app (old.yaml → new.yaml)',
        '  CRD apps.kro.run: breaking changes, allowed by kro.run/allow-breaking-changes: "true"; kro updates the CRD',
        '    dir, a:b/new.yaml:3:5: allowed: spec.a: Property a was removed',
        '    dir, a:b/new.yaml:3:5: ok: spec.b: Validation pattern ^a|b%\\n was removed',
        '  instance App x',
        '    x.yaml:2:1: error: spec.selector is immutable',
        '    create    ConfigMap ns/c',
        '    unchanged Service ns/s',
        'RGD fresh added (fresh.yaml): kro creates its CRD freshes.kro.run',
        'BREAKING: app (2 RGDs compared, 2 changed)',
        '',
      ].join('\n'),
    );
  });

  it('json: several RGDs give only breaking and rgds; one gives its report at the top level too', () => {
    expect(toJson(out)).toEqual({ breaking: true, rgds: [modified, added] });
    expect(toJson(diffOutput([added]))).toEqual({
      breaking: false,
      rgd: added.rgd,
      crd: added.crd,
      resources: added.resources,
      instances: [],
      rgds: [added],
    });
  });
});

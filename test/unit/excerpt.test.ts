// Expressions quoted in messages are cut to a readable length: a diagnostic stays one line an
// editor can show, whatever the RGD holds. The position still points at the full expression.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { excerpt, MAX_QUOTED_EXPRESSION } from '../../src/diagnostics.js';
import { runCli } from '../helpers/cli.js';

describe('excerpt', () => {
  it('keeps short text, cuts long text with an ellipsis, joins lines', () => {
    expect(excerpt('schema.spec.name')).toBe('schema.spec.name');
    const long = `schema.spec.name + "${'a'.repeat(300)}"`;
    const cut = excerpt(long);
    expect(Array.from(cut)).toHaveLength(MAX_QUOTED_EXPRESSION);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(excerpt('a ==\n   b &&\r\n c')).toBe('a == b && c');
    expect(excerpt('x'.repeat(MAX_QUOTED_EXPRESSION))).toBe('x'.repeat(MAX_QUOTED_EXPRESSION));
    // Never half a surrogate pair.
    expect(excerpt('😀'.repeat(200), 10)).toBe(`${'😀'.repeat(9)}…`);
  });
});

describe('long expressions in messages', () => {
  const rgd = (value: string) =>
    [
      'apiVersion: kro.run/v1alpha1',
      'kind: ResourceGraphDefinition',
      'metadata: {name: long}',
      'spec:',
      '  schema: {apiVersion: v1alpha1, kind: Long, spec: {name: string}}',
      '  resources:',
      '    - id: cm',
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        metadata: {name: x}',
      '        data:',
      `          a: ${value}`,
      '',
    ].join('\n');

  it.each([
    ['unparsable', `\${schema.spec.name + "${'a'.repeat(400)}" + (((}`],
    ['unknown field', `\${schema.spec.name + "${'b'.repeat(400)}" + schema.spec.nope}`],
    ['type mismatch', `\${1 + "${'c'.repeat(400)}"}`],
  ])('%s: the message quotes the start of it, cut', async (_what, value) => {
    const dir = mkdtempSync(join(tmpdir(), 'kro-gen-excerpt-'));
    try {
      writeFileSync(join(dir, 'rgd.yaml'), rgd(value));
      const r = await runCli(dir, ['validate', 'rgd.yaml']);
      expect(r.code).toBe(1);
      const lines = r.out.split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^rgd\.yaml:13:\d+: error: /);
      expect(lines[0]).toContain('…');
      // The rest of the line: position, prefix, path and cel-go's wording of the problem.
      expect(lines[0]!.length).toBeLessThan(MAX_QUOTED_EXPRESSION + 200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

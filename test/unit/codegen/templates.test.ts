// fill: the generated modules' fixed text with its `{{name}}` placeholders replaced.
import { describe, expect, it } from 'vitest';
import { fill } from '../../../src/codegen/templates.js';

describe('fill', () => {
  it('replaces every placeholder, repeated ones too, in one pass', () => {
    expect(fill('a {{x}} b {{y}} c {{x}}', { x: '1', y: '2' })).toBe('a 1 b 2 c 1');
    // A value holding a placeholder is text, not expanded again.
    expect(fill('{{x}}{{y}}', { x: '{{y}}', y: '{{x}}' })).toBe('{{y}}{{x}}');
    expect(fill('no placeholders', {})).toBe('no placeholders');
    expect(fill('{{x}}', { x: '' })).toBe('');
  });

  it('gives the same text for the same template filled again with other values', () => {
    const template = '// {{version}}\n{{body}}\n';
    expect(fill(template, { version: '1', body: 'one' })).toBe('// 1\none\n');
    expect(fill(template, { version: '2', body: 'two' })).toBe('// 2\ntwo\n');
  });

  it('throws on a placeholder without a value (a bug in the generator, not in the input)', () => {
    expect(() => fill('a {{missing}}', { other: 'x' })).toThrow(
      'template placeholder {{missing}} has no value',
    );
  });
});

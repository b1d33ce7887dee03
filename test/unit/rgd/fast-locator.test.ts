import { describe, expect, it } from 'vitest';
import { LineCounter } from 'yaml';
import { LazyLines } from '../../../src/rgd/fast-locator.js';

/** The yaml library's answer with every line start of `text` (what the full loader's positions use). */
function libraryLinePos(text: string, offset: number): { line: number; col: number } {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter.linePos(offset);
}

describe('LazyLines', () => {
  const texts = [
    '',
    'a',
    'a\n',
    '\n\n\n',
    'a: 1\nb:\n  c: 2\n\n# x\nd: 3',
    'x\ny\n'.repeat(50),
    // Past several of the line starts LazyLines keeps (every 8th), lines of many lengths, no last break.
    Array.from({ length: 150 }, (_, i) => 'k'.repeat((i * 7) % 13)).join('\n'),
    // A whole number of runs of kept line starts, each line ended.
    'ab\n'.repeat(64),
  ];

  it('answers as LineCounter with all line starts, whatever order the offsets come in', () => {
    for (const text of texts) {
      const offsets = Array.from({ length: text.length + 3 }, (_, i) => i);
      // Ascending, descending, and jumping about: each from a fresh LazyLines, which finds line
      // starts only as far as it is asked.
      // Forward in strides too: from the last answer's line or from a kept start past it.
      const orders = [
        offsets,
        [...offsets].reverse(),
        offsets.map((_, i) => (i * 7919) % offsets.length),
        offsets.filter((_, i) => i % 37 === 0),
        offsets.filter((_, i) => i % 5 === 0),
      ];
      for (const order of orders) {
        const lines = new LazyLines(text);
        for (const offset of order) {
          expect(lines.linePos(offset), `${JSON.stringify(text)} at ${offset}`).toEqual(
            libraryLinePos(text, offset),
          );
        }
      }
    }
  });
});

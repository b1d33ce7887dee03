// JSDoc blocks for generated declarations. Text comes from RGD authors (descriptions, patterns,
// defaults), so it is escaped: nothing in it may end the comment early or read as a tag.

/** One `@tag value` line; the value is free text. */
export interface DocTag {
  readonly tag: string;
  readonly value?: string;
}

// What commentLines escapes: `*/`, an `@` (a tag only after whitespace or at the start, but rare
// enough to test for anywhere), and control characters other than tab and line feed.
const NEEDS_ESCAPE = /\*\/|@|[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * Escape text for a block comment: `*\/` cannot close it, a leading `@` cannot start a tag, and every
 * line terminator (including U+2028/U+2029, which editors may not show) starts a new comment line.
 */
export function commentLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/[\n\u2028\u2029]/)
    .map((line) =>
      // Most lines need none of the escapes: test once rather than run three replaces on each.
      (NEEDS_ESCAPE.test(line)
        ? line
            .replace(/\*\//g, '*\\/')
            .replace(/(^|\s)@/g, '$1\\@')
            .replace(
              /[\u0000-\u0008\u000b-\u001f\u007f]/g,
              (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
            )
        : line
      ).trimEnd(),
    );
}

/** A JSDoc block indented by `indent`, or nothing when there is nothing to say. */
export function jsdoc(indent: string, description: string | undefined, tags: readonly DocTag[] = []): string {
  const lines: string[] = [];
  if (description !== undefined && description.trim() !== '') lines.push(...commentLines(description.trim()));
  if (tags.length > 0) {
    if (lines.length > 0) lines.push('');
    for (const t of tags) {
      const value = t.value === undefined ? [] : commentLines(t.value);
      const [first = '', ...rest] = value;
      lines.push(first === '' ? `@${t.tag}` : `@${t.tag} ${first}`, ...rest);
    }
  }
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)).join('\n')}\n${indent} */\n`;
}

/** Text for a `//` comment line: one line, no control characters. */
export function lineCommentText(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

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
/** NEEDS_ESCAPE, or a line terminator (LF, CR and U+2028/U+2029: commentLines splits at them). */
const NEEDS_WORK = /\*\/|@|[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/;

/**
 * Escape text for a block comment: `*\/` cannot close it, a leading `@` cannot start a tag, and every
 * line terminator (including U+2028/U+2029, which editors may not show) starts a new comment line.
 */
export function commentLines(text: string): string[] {
  // Most texts (descriptions, tag values) are one line needing no escape: one test, rather than
  // a replace, a split and a callback per line.
  if (!NEEDS_WORK.test(text)) return [text.trimEnd()];
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
  // Most members have neither (plain loops below, no spreads or destructuring: cold code, where
  // each of those goes through the iterator protocol).
  if (tags.length === 0 && (description === undefined || description === '')) return '';
  let lines: string[] = [];
  if (description !== undefined) {
    const trimmed = description.trim();
    if (trimmed !== '') lines = commentLines(trimmed);
  }
  if (tags.length > 0) {
    if (lines.length > 0) lines.push('');
    for (let i = 0; i < tags.length; i++) {
      const t = tags[i] as DocTag;
      const value = t.value === undefined ? undefined : commentLines(t.value);
      const first = value === undefined ? '' : (value[0] as string);
      lines.push(first === '' ? `@${t.tag}` : `@${t.tag} ${first}`);
      if (value !== undefined) for (let k = 1; k < value.length; k++) lines.push(value[k] as string);
    }
  }
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  let out = `${indent}/**`;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    out += l === '' ? `\n${indent} *` : `\n${indent} * ${l}`;
  }
  return `${out}\n${indent} */\n`;
}

/** Text for a `//` comment line: one line, no control characters. */
export function lineCommentText(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// Where a node of the yaml library's tree starts in the file text.
import { isMap, isPair } from 'yaml';

/**
 * The offset of a node's first character, or undefined when it has no range. The library starts a
 * block map that follows `? ` on the same line after its first key (`? a:` starts at the `:`), so a
 * map starts no later than its first key.
 */
export function nodeStart(node: unknown): number | undefined {
  let start: number | undefined;
  let cur: unknown = node;
  // Iterative: the first key may itself be such a map, nested to any depth.
  while (cur && typeof cur === 'object' && 'range' in cur) {
    const range = (cur as { range?: readonly number[] | null }).range;
    if (range && typeof range[0] === 'number' && (start === undefined || range[0] < start)) start = range[0];
    const first = isMap(cur) ? cur.items[0] : undefined;
    cur = isPair(first) ? first.key : undefined;
  }
  return start;
}

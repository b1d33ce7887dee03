// The position table embedded with an RGD in generated code (read back by src/runtime/locator.ts), so
// that errors at synth time can still name the RGD's file:line:col.
import type { SourcePos } from '../diagnostics.js';
import { FastLocator } from '../rgd/fast-locator.js';
import type { DocPath, JsonValue, Rgd } from '../rgd/model.js';
import { type PositionTable, pointerOf } from '../runtime/locator.js';

/**
 * Positions of the document, each resource and its id, and every string that holds `${`.
 * `documentJson`, the document as JSON in any layout when the caller has printed it: without a `${`
 * in it no string holds one, and the walk over the document is skipped (RGDs that embed whole
 * CRDs are most of the bytes, and most of them hold no expression).
 */
export function positionTable(rgd: Rgd, documentJson?: string): PositionTable {
  const table: Record<string, number[]> = {};
  const put = (path: DocPath) => {
    const p = rgd.loc.at(path);
    table[pointerOf(path)] = [p.line, p.col];
  };
  put([]);
  rgd.resources.forEach((r) => {
    put(['spec', 'resources', r.index]);
    put(['spec', 'resources', r.index, 'id']);
  });
  if (documentJson !== undefined && !documentJson.includes('${')) return table;
  // The reader's positions name the strings holding `${` without a walk over the whole value (and
  // skip the parts that hold none); where they cannot (merge keys, a key such as "0" that objects
  // enumerate first), the walk below does.
  const fast = rgd.loc instanceof FastLocator ? rgd.loc : undefined;
  const strings = fast?.stringsHolding('${');
  if (fast === undefined || strings === undefined) walk(rgd, rgd.raw, [], table);
  else {
    for (const s of strings) {
      table[pointerOf(s.path)] = stringEntry(fast.atFound(s), (offset) => fast.inFound(s, offset), s.text);
    }
  }
  return table;
}

// One path, pushed and popped, and a pointer only for the strings that hold `${`: the document
// can embed whole CRDs, whose strings almost never do, so per-node copies and pointers were most
// of the cost. Plain loops and no closures: this runs once per process, mostly before the JIT has
// compiled it.
function walk(rgd: Rgd, value: JsonValue, path: (string | number)[], table: Record<string, number[]>): void {
  if (typeof value === 'string') {
    if (value.includes('${')) {
      table[pointerOf(path)] = stringEntry(
        rgd.loc.at(path),
        (offset) => rgd.loc.inString(path, offset),
        value,
      );
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(rgd, value[i] as JsonValue, path, table);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      path.push(k);
      walk(rgd, value[k] as JsonValue, path, table);
      path.pop();
    }
  }
}

/**
 * `[line, col]` of the string, then whether its offsets map linearly to columns and an anchor
 * (offset, line, col) for its start and each `${` (see PositionTable).
 */
function stringEntry(at: SourcePos, inString: (offset: number) => SourcePos, value: string): number[] {
  const first = inString(0);
  const entry = [at.line, at.col, 1, 0, first.line, first.col];
  let linear = true;
  for (let i = value.indexOf('${', 1); i > 0; i = value.indexOf('${', i + 2)) {
    const p = inString(i);
    entry.push(i, p.line, p.col);
    if (p.line !== first.line || p.col !== first.col + i) linear = false;
  }
  // Plain and simply quoted one-line scalars: offset k is column start + k.
  const last = inString(value.length - 1);
  if (!linear || last.line !== first.line || last.col !== first.col + value.length - 1) entry[2] = 0;
  return entry;
}

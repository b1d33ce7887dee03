// The position table embedded with an RGD in generated code (read back by src/runtime/locator.ts), so
// that errors at synth time can still name the RGD's file:line:col.
import type { DocPath, JsonValue, Rgd } from '../rgd/model.js';
import { type PositionTable, pointerOf } from '../runtime/locator.js';

/** Positions of the document, each resource and its id, and every string that holds `${`. */
export function positionTable(rgd: Rgd): PositionTable {
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
  // One path, pushed and popped, and a pointer only for the strings that hold `${`: the document
  // can embed whole CRDs, whose strings almost never do, so per-node copies and pointers were most
  // of the cost.
  const path: (string | number)[] = [];
  const walk = (value: JsonValue) => {
    if (typeof value === 'string') {
      if (value.includes('${')) table[pointerOf(path)] = stringEntry(rgd, [...path], value);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walk(value[i] as JsonValue);
        path.pop();
      }
    } else if (value !== null && typeof value === 'object') {
      for (const k of Object.keys(value)) {
        path.push(k);
        walk(value[k] as JsonValue);
        path.pop();
      }
    }
  };
  walk(rgd.raw);
  return table;
}

function stringEntry(rgd: Rgd, path: DocPath, value: string): number[] {
  const at = rgd.loc.at(path);
  const offsets = [0];
  for (let i = value.indexOf('${'); i >= 0; i = value.indexOf('${', i + 2)) if (i > 0) offsets.push(i);
  const anchors = offsets.map((o) => ({ o, p: rgd.loc.inString(path, o) }));
  const first = anchors[0]!.p;
  const last = rgd.loc.inString(path, value.length - 1);
  // Plain and simply quoted one-line scalars: offset k is column start + k.
  const linear = [...anchors, { o: value.length - 1, p: last }].every(
    ({ o, p }) => p.line === first.line && p.col === first.col + o,
  );
  return [at.line, at.col, linear ? 1 : 0, ...anchors.flatMap(({ o, p }) => [o, p.line, p.col])];
}

// The position table embedded with an RGD in generated code (read back by src/runtime/locator.ts), so
// that errors at synth time can still name the RGD's file:line:col.
import type { SourcePos } from '../diagnostics.js';
import { FastLocator, type FoundString } from '../rgd/fast-locator.js';
import type { JsonValue, Rgd } from '../rgd/model.js';
import { type PositionTable, pointerOf } from '../runtime/locator.js';

/**
 * Positions of the document, each resource and its id, and every string that holds `${`.
 * `documentJson`, the document as JSON in any layout when the caller has printed it: without a `${`
 * in it no string holds one, and the walk over the document is skipped (RGDs that embed whole
 * CRDs are most of the bytes, and most of them hold no expression).
 */
export function positionTable(rgd: Rgd, documentJson?: string): PositionTable {
  const { pointers, values } = tableEntries(rgd, documentJson);
  const table: Record<string, number[]> = Object.create(null);
  for (let i = 0; i < pointers.length; i++) table[pointers[i] as string] = values[i] as number[];
  return table;
}

/**
 * positionTable(rgd, documentJson) as printJson prints it at indentation `indent` (each entry on a
 * line of its own, its numbers on that line), from the entries in table order: the table of a
 * large RGD has hundreds of entries, and an object of that many keys (in V8's dictionary mode),
 * its Object.keys, a regex test and a join per entry, and a rope of thousands of pieces for
 * writing the module to walk cost more than this does.
 */
export function positionTableText(rgd: Rgd, documentJson: string | undefined, indent: string): string {
  const { pointers, values } = tableEntries(rgd, documentJson);
  if (pointers.length === 0) return '{}';
  // Pointers rarely hold what JSON escapes: one test of them all, not one per pointer.
  const escaped = JSON_ESCAPED.test(pointers.join(''));
  const lines: string[] = [];
  for (let i = 0; i < pointers.length; i++) {
    const p = pointers[i] as string;
    // A native join per list (integers print as JSON prints them): one JSON.stringify of all the
    // lists, then replaceAll and split to space and cut them, cost more (replaceAll builds its
    // result a piece per comma).
    lines.push(`${escaped ? JSON.stringify(p) : `"${p}"`}: [${(values[i] as number[]).join(', ')}]`);
  }
  const lineStart = `\n${indent}  `;
  return `{${lineStart}${lines.join(`,${lineStart}`)}\n${indent}}`;
}

/** What JSON.stringify writes escaped in a string (lone surrogates; pairs too, to be simple). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * The table's entries in the order Object.keys lists the table's keys (none is an array index:
 * every pointer but the root's starts with `/`), each pointer once, with its last value.
 */
interface Entries {
  readonly pointers: string[];
  readonly values: number[][];
}

function tableEntries(rgd: Rgd, documentJson: string | undefined): Entries {
  const pointers: string[] = [];
  const values: number[][] = [];
  const loc = rgd.loc;
  const fast = loc instanceof FastLocator ? loc : undefined;
  const root = loc.at([]);
  pointers.push('');
  values.push([root.line, root.col]);
  // Each resource and its id: from one pass over the list where the reader's positions allow.
  const items = fast?.itemPositions(['spec', 'resources'], 'id');
  const resources = rgd.resources;
  for (let i = 0; i < resources.length; i++) {
    const index = (resources[i] as Rgd['resources'][number]).index;
    // pointerOf of the paths, written out.
    const pointer = `/spec/resources/${index}`;
    const at = 4 * index;
    pointers.push(pointer, `${pointer}/id`);
    if (items !== undefined && at < items.length) {
      values.push(
        [items[at] as number, items[at + 1] as number],
        [items[at + 2] as number, items[at + 3] as number],
      );
    } else {
      const resource = loc.at(['spec', 'resources', index]);
      const id = loc.at(['spec', 'resources', index, 'id']);
      values.push([resource.line, resource.col], [id.line, id.col]);
    }
  }
  const entries = { pointers, values };
  if (documentJson !== undefined && !documentJson.includes('${')) return entries;
  const listed = pointers.length;
  // The reader's positions name the strings holding `${` without a walk over the whole value (and
  // skip the parts that hold none); where they cannot (merge keys, a key such as "0" that objects
  // enumerate first), the walk below does.
  const strings = fast?.stringsHolding('${');
  if (fast === undefined || strings === undefined) walk(rgd, rgd.raw, [], entries, listed);
  else {
    for (let i = 0; i < strings.length; i++) {
      const s = strings[i] as FoundString;
      add(entries, listed, s.pointer, foundEntry(fast, s));
    }
  }
  return entries;
}

/**
 * Adds an entry after the first `listed` (the root's and the resources'), or replaces one of
 * those in place, as an assignment to an object's key would: only a resource's id can be both (a
 * resource is a map, and so is the document).
 */
function add(entries: Entries, listed: number, pointer: string, value: number[]): void {
  const { pointers, values } = entries;
  if (pointer.endsWith('/id')) {
    const i = pointers.indexOf(pointer);
    if (i >= 0 && i < listed) {
      values[i] = value;
      return;
    }
  }
  pointers.push(pointer);
  values.push(value);
}

// One path, pushed and popped, and a pointer only for the strings that hold `${`: the document
// can embed whole CRDs, whose strings almost never do, so per-node copies and pointers were most
// of the cost. Plain loops and no closures: this runs once per process, mostly before the JIT has
// compiled it.
function walk(rgd: Rgd, value: JsonValue, path: (string | number)[], entries: Entries, listed: number): void {
  if (typeof value === 'string') {
    if (value.includes('${')) {
      const offsets = anchorOffsets(value);
      const lineCols: number[] = [];
      for (let k = 0; k < offsets.length; k++) {
        const p = rgd.loc.inString(path, offsets[k] as number);
        lineCols.push(p.line, p.col);
      }
      add(entries, listed, pointerOf(path), stringEntry(rgd.loc.at(path), value, offsets, lineCols));
    }
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(rgd, value[i] as JsonValue, path, entries, listed);
      path.pop();
    }
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      path.push(k);
      walk(rgd, value[k] as JsonValue, path, entries, listed);
      path.pop();
    }
  }
}

/**
 * stringEntry of a string FastLocator found. Most strings are one line whose offsets map linearly
 * to columns: the walk that found them knows their entry already, without a lookup per `${`.
 */
function foundEntry(fast: FastLocator, s: FoundString): number[] {
  const text = s.text;
  if (s.shift < 0) {
    const offsets = anchorOffsets(text);
    return stringEntry(fast.atFound(s), text, offsets, fast.inFoundAll(s, offsets));
  }
  const line = s.line;
  const col = s.col + s.shift;
  const entry = [line, s.col, 1, 0, line, col];
  for (let i = text.indexOf('${', 1); i > 0; i = text.indexOf('${', i + 2)) entry.push(i, line, col + i);
  return entry;
}

/** The offsets of a string stringEntry anchors: its start, each `${` after it, and its last character. */
function anchorOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = text.indexOf('${', 1); i > 0; i = text.indexOf('${', i + 2)) offsets.push(i);
  offsets.push(text.length - 1);
  return offsets;
}

/**
 * `[line, col]` of the string, then whether its offsets map linearly to columns and an anchor
 * (offset, line, col) for its start and each `${` (see PositionTable). `lineCols`: the line and
 * column of each of anchorOffsets(text), in turn.
 */
function stringEntry(
  at: SourcePos,
  text: string,
  offsets: readonly number[],
  lineCols: readonly number[],
): number[] {
  const line = lineCols[0] as number;
  const col = lineCols[1] as number;
  const entry = [at.line, at.col, 1, 0, line, col];
  let linear = true;
  const last = offsets.length - 1;
  for (let k = 1; k < last; k++) {
    const i = offsets[k] as number;
    const l = lineCols[2 * k] as number;
    const c = lineCols[2 * k + 1] as number;
    entry.push(i, l, c);
    if (l !== line || c !== col + i) linear = false;
  }
  // Plain and simply quoted one-line scalars: offset k is column start + k.
  if (!linear || lineCols[2 * last] !== line || lineCols[2 * last + 1] !== col + text.length - 1)
    entry[2] = 0;
  return entry;
}

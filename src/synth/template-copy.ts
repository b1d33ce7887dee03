// kro's Resolve, in one walk: a private copy of a template with each expression field's value in
// place. Copying the whole template and then walking down to every field again cost more than the
// copy itself; the fields' paths are laid out once per template as a tree of the keys they sit under.
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

/** Under each key (list indexes as numbers): the index of the field whose value goes there, or more keys. */
type Slots = Map<string | number, number | Slots>;

const layouts = new WeakMap<readonly (readonly (string | number)[])[], Slots>();

function slotsOf(paths: readonly (readonly (string | number)[])[]): Slots {
  let root = layouts.get(paths);
  if (root === undefined) {
    root = new Map();
    paths.forEach((segments, index) => {
      let node = root as Slots;
      for (let i = 0; i < segments.length; i++) {
        const key = segments[i] as string | number;
        if (i === segments.length - 1) {
          node.set(key, index);
          break;
        }
        let next = node.get(key);
        if (next === undefined || typeof next === 'number') {
          next = new Map();
          node.set(key, next);
        }
        node = next;
      }
    });
    layouts.set(paths, root);
  }
  return root;
}

/**
 * A private copy of `template` with `values[i]` at `paths[i]` (each path leads to a string of the
 * template, as the graph builder found it). `paths` should be the same array on every call for a
 * template: its layout is worked out once.
 */
export function fillTemplate(
  template: JsonObject,
  paths: readonly (readonly (string | number)[])[],
  values: readonly unknown[],
): JsonObject {
  return copyWith(template, slotsOf(paths), values) as JsonObject;
}

function copyWith(value: JsonValue, slots: Slots | undefined, values: readonly unknown[]): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++)
      out[i] = at(value[i] as JsonValue, slots && (slots.get(i) ?? slots.get(String(i))), values);
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    // A shallow copy in one step (scalars are most of a template), then what differs replaced:
    // the fields' values and private copies of the maps and lists below.
    const out: Record<string, unknown> = { ...value };
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const v = value[key] as JsonValue;
      const slot = slots?.get(key);
      if (slot !== undefined) setOwn(out, key, at(v, slot, values));
      else if (typeof v === 'object' && v !== null) setOwn(out, key, copyWith(v, undefined, values));
    }
    return out;
  }
  return value;
}

function at(value: JsonValue, slot: number | Slots | undefined, values: readonly unknown[]): unknown {
  return typeof slot === 'number' ? values[slot] : copyWith(value, slot, values);
}

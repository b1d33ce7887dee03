// kro's Resolve, in one walk: a private copy of a template with each expression field's value in
// place. Copying the whole template and then walking down to every field again cost more than the
// copy itself; and looking each key of the template up in a layout of the fields' paths, object by
// object, cost as much again. So each template is laid out once as a plan: per map or list, only
// the keys that need more than the shallow copy (a field's value, or a map or list to copy in turn).
import { setOwn } from '../json.js';
import type { JsonObject, JsonValue } from '../rgd/model.js';

type Key = string | number;

/**
 * One map or list of the template: after its shallow copy, `keys[i]` takes `values[actions[i]]`
 * (a field) or the copy of the map or list under it made with that plan.
 */
interface Plan {
  readonly keys: readonly Key[];
  readonly actions: readonly (number | Plan)[];
}

/** Under each key (list indexes as numbers or strings): the index of a field, or more keys. */
type Slots = Map<Key, number | Slots>;

const plans = new WeakMap<
  readonly (readonly Key[])[],
  { readonly template: JsonObject; readonly plan: Plan }
>();

function slotsOf(paths: readonly (readonly Key[])[]): Slots {
  const root: Slots = new Map();
  paths.forEach((segments, index) => {
    let node = root;
    for (let i = 0; i < segments.length; i++) {
      const key = segments[i] as Key;
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
  return root;
}

function planOf(value: JsonObject | JsonValue[], slots: Slots | undefined): Plan {
  const keys: Key[] = [];
  const actions: (number | Plan)[] = [];
  const add = (key: Key, v: JsonValue | undefined, slot: number | Slots | undefined) => {
    if (typeof slot === 'number') {
      keys.push(key);
      actions.push(slot);
    } else if (typeof v === 'object' && v !== null) {
      keys.push(key);
      actions.push(planOf(v, slot));
    }
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) add(i, value[i], slots && (slots.get(i) ?? slots.get(String(i))));
  } else {
    for (const key of Object.keys(value)) add(key, value[key], slots?.get(key));
  }
  return { keys, actions };
}

/**
 * A private copy of `template` with `values[i]` at `paths[i]` (each path leads to a string of the
 * template, as the graph builder found it). `paths` should be the same array on every call for a
 * template: its plan is worked out once.
 */
export function fillTemplate(
  template: JsonObject,
  paths: readonly (readonly Key[])[],
  values: readonly unknown[],
): JsonObject {
  let hit = plans.get(paths);
  if (hit?.template !== template) {
    hit = { template, plan: planOf(template, slotsOf(paths)) };
    plans.set(paths, hit);
  }
  return copyWith(template, hit.plan, values) as JsonObject;
}

function copyWith(value: JsonObject | JsonValue[], plan: Plan, values: readonly unknown[]): unknown {
  // A shallow copy in one step (scalars are most of a template), then what differs replaced.
  const out = (Array.isArray(value) ? value.slice() : { ...value }) as Record<Key, unknown>;
  const { keys, actions } = plan;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as Key;
    const action = actions[i] as number | Plan;
    const v =
      typeof action === 'number'
        ? values[action]
        : copyWith((value as Record<Key, JsonValue>)[key] as JsonObject | JsonValue[], action, values);
    if (typeof key === 'number') out[key] = v;
    else setOwn(out, key, v);
  }
  return out;
}

// Repositories often hold an RGD twice: the source, and the copy `kro-gen synth --mode bundle`
// wrote next to it (examples/*/out/bundle). Copies that mean the same RGD are read once; RGDs that
// differ keep every later check (one kind defined twice, one CRD generated twice, ...).
import type { SourcePos } from '../diagnostics.js';
import { isPlainObject } from '../json.js';
import type { JsonValue, Rgd } from '../rgd/model.js';
import { canonicalJson } from '../runtime/json.js';
import {
  DEPENDS_ON,
  KAPP_CHANGE_GROUP,
  KAPP_CHANGE_RULE,
  SYNC_OPTIONS,
  SYNC_WAVE,
} from '../synth/annotate.js';

/** An RGD read once although the inputs held it more than once. */
export interface DuplicateRgd {
  /** The copy dropped. */
  readonly dropped: Rgd;
  /** The copy kept. */
  readonly kept: Rgd;
}

// The ordering annotations kro-gen stamps on the RGDs it bundles: kro ignores them.
function isStamped(key: string): boolean {
  return (
    key === DEPENDS_ON ||
    key === SYNC_WAVE ||
    key === SYNC_OPTIONS ||
    key === KAPP_CHANGE_GROUP ||
    key.startsWith(KAPP_CHANGE_RULE)
  );
}

function annotationsOf(rgd: Rgd): Record<string, JsonValue> {
  const metadata = rgd.raw['metadata'];
  const annotations = isPlainObject(metadata) ? metadata['annotations'] : undefined;
  return isPlainObject(annotations) ? (annotations as Record<string, JsonValue>) : {};
}

/** The RGD's document without kro-gen's ordering annotations, as canonical JSON. */
export function rgdContent(rgd: Rgd): string {
  const raw = rgd.raw;
  const metadata = raw['metadata'];
  if (!isPlainObject(metadata)) return canonicalJson(raw);
  const annotations = Object.fromEntries(Object.entries(annotationsOf(rgd)).filter(([k]) => !isStamped(k)));
  const { annotations: _, ...rest } = metadata as Record<string, JsonValue>;
  const kept = Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest;
  return canonicalJson({ ...raw, metadata: kept });
}

function stampCount(rgd: Rgd): number {
  return Object.keys(annotationsOf(rgd)).filter(isStamped).length;
}

/**
 * `rgds` with each RGD that repeats an earlier one of the same name and content left out. Of the
 * copies, the one with the fewest kro-gen annotations (the source, not the bundled copy) is kept,
 * in the place of the first.
 */
export function dropDuplicateRgds(rgds: readonly Rgd[]): { rgds: Rgd[]; duplicates: DuplicateRgd[] } {
  const slots: Rgd[] = [];
  const byKey = new Map<string, number>();
  const dropped: { dropped: Rgd; slot: number }[] = [];
  // Only RGDs sharing a name can be copies: the others skip the canonical JSON of their content.
  const named = new Map<string, number>();
  for (const rgd of rgds) named.set(rgd.name, (named.get(rgd.name) ?? 0) + 1);
  for (const rgd of rgds) {
    const key =
      named.get(rgd.name) === 1 ? `one\u0000${rgd.name}` : `many\u0000${rgd.name}\u0000${rgdContent(rgd)}`;
    const slot = byKey.get(key);
    if (slot === undefined) {
      byKey.set(key, slots.length);
      slots.push(rgd);
      continue;
    }
    const first = slots[slot]!;
    if (stampCount(rgd) < stampCount(first)) {
      slots[slot] = rgd;
      dropped.push({ dropped: first, slot });
    } else dropped.push({ dropped: rgd, slot });
  }
  return {
    rgds: slots,
    duplicates: dropped.map((d) => ({ dropped: d.dropped, kept: slots[d.slot]! })),
  };
}

const where = (p: SourcePos): string => `${p.file}:${p.line}:${p.col}`;

/** One line for one duplicate: `out/bundle/x.yaml:1:1: note: RGD web-app is the same as rgd.yaml:2:1; read once`. */
export function duplicateNote(d: DuplicateRgd): string {
  const same = `RGD ${d.dropped.name} is the same as ${where(d.kept.loc.at([]))}`;
  return `${where(d.dropped.loc.at([]))}: note: ${same} (kro-gen's ordering annotations aside); read once`;
}

// One RGD's diff: the CRD part (what kro decides about the instance CRD), the graph part, and the
// instance plans handed in; `breaking` is what the exit code 3 means.
import type { CrdSide } from './crd-diff.js';
import { crdNameOf, diffCrd } from './crd-diff.js';
import { diffGraph, type GraphSide } from './graph-diff.js';
import type { DiffReport, InstancePlan, RgdRef } from './report.js';

export type RgdSide = CrdSide & GraphSide;

/** The diff of two versions of one RGD. */
export function diffRgds(
  oldSide: RgdSide,
  newSide: RgdSide,
  opts: { readonly instances?: readonly InstancePlan[]; readonly rgd?: RgdRef } = {},
): DiffReport {
  const crd = diffCrd(oldSide, newSide);
  const resources = diffGraph(oldSide, newSide);
  const instances = [...(opts.instances ?? [])];
  const breaking = crd.accepted === false || instances.some((i) => i.errors.length > 0);
  const unchanged = crd.changes.length === 0 && resources.changes.length === 0;
  return {
    breaking,
    ...(opts.rgd
      ? {
          rgd: {
            ...opts.rgd,
            ...(opts.rgd.status === 'modified' && unchanged ? { status: 'unchanged' as const } : {}),
          },
        }
      : {}),
    crd,
    resources,
    instances,
  };
}

/** An RGD only one side has: added ones install a new CRD, removed ones leave theirs (see docs/diff.md). */
export function loneRgdReport(rgd: RgdRef, side: CrdSide): DiffReport {
  const name = crdNameOf(side);
  return {
    breaking: false,
    rgd,
    crd: { changes: [], ...(name ? { name } : {}) },
    resources: { changes: [] },
    instances: [],
  };
}

// Placeholder for the per-instance plan of `kro-gen diff --instance` (issue 10 item 3), which another
// branch (h/diffb) builds; this file only fixes the agreed signature so the CLI compiles. It plans
// nothing.
import type { Diagnostic } from '../diagnostics.js';
import type { Graph } from '../graph/model.js';
import type { Rgd } from '../rgd/model.js';
import type { SchemaSources } from '../synth/schemas.js';
import type { InstancePlan } from './report.js';

export interface PlanInput {
  readonly oldRgd: Rgd;
  readonly newRgd: Rgd;
  readonly oldGraph: Graph;
  readonly newGraph: Graph;
  /** Instance files as read (path as given on the command line, and its text). */
  readonly instances: readonly { readonly path: string; readonly text: string }[];
  readonly sources?: SchemaSources;
}

export function planInstances(_input: PlanInput): { plans: InstancePlan[]; diagnostics: Diagnostic[] } {
  return { plans: [], diagnostics: [] };
}

// Two sets of RGDs (the old and the new version of some files), matched by metadata.name: each pair
// diffed, RGDs only one side has reported as added or removed. Graphs are built as kro builds them;
// an RGD whose graph has errors is invalid input, since kro would not serve it.
import { type Diagnostic, hasErrors } from '../diagnostics.js';
import { buildGraph, type GraphContext } from '../graph/build.js';
import type { JsonValue, Rgd } from '../rgd/model.js';
import type { YamlDocument } from '../rgd/yaml.js';
import { diffRgds, loneRgdReport, type RgdSide } from './compare.js';
import { type DiffOutput, diffOutput } from './format.js';
import { planInstances } from './instance-plan.js';
import type { DiffReport } from './report.js';

export interface CompareOptions {
  /** `--crd` documents: kinds the RGDs use. */
  readonly crds?: readonly JsonValue[];
  /** Documents of the `--instance` files, parsed once by the caller; planned against each pair. */
  readonly instances?: readonly YamlDocument[];
  /** The git ref the old side was read from, if any (only named in reports). */
  readonly base?: string;
}

function sides(
  rgds: readonly Rgd[],
  crds: readonly JsonValue[],
): { sides: Map<string, RgdSide>; diagnostics: Diagnostic[] } {
  const ctx: GraphContext = { crds, rgds };
  const out = new Map<string, RgdSide>();
  const diagnostics: Diagnostic[] = [];
  for (const rgd of rgds) {
    const built = buildGraph(rgd, ctx);
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    diagnostics.push(...errors);
    if (!hasErrors(errors))
      out.set(rgd.name, { rgd, graph: built.graph, statusSchema: built.graph.instance.statusSchema });
  }
  return { sides: out, diagnostics };
}

/** Every RGD of either side, by name (new order first, then removed ones in old order). */
export function compareRgds(
  oldRgds: readonly Rgd[],
  newRgds: readonly Rgd[],
  opts: CompareOptions = {},
): { output: DiffOutput; diagnostics: Diagnostic[] } {
  const crds = opts.crds ?? [];
  const olds = sides(oldRgds, crds);
  const news = sides(newRgds, crds);
  const diagnostics = [...olds.diagnostics, ...news.diagnostics];
  const reports: DiffReport[] = [];
  if (hasErrors(diagnostics)) return { output: diffOutput(reports), diagnostics };

  for (const [name, n] of news.sides) {
    const o = olds.sides.get(name);
    if (!o) {
      reports.push(loneRgdReport({ name, status: 'added', newFile: n.rgd.file }, n));
      continue;
    }
    const planned =
      opts.instances && opts.instances.length > 0 && o.graph && n.graph
        ? planInstances({
            oldRgd: o.rgd,
            newRgd: n.rgd,
            oldGraph: o.graph,
            newGraph: n.graph,
            instances: opts.instances,
            sources: { crds, rgds: newRgds },
          })
        : { plans: [], diagnostics: [] };
    diagnostics.push(...planned.diagnostics);
    reports.push(
      diffRgds(o, n, {
        instances: planned.plans,
        rgd: { name, status: 'modified', oldFile: o.rgd.file, newFile: n.rgd.file },
      }),
    );
  }
  for (const [name, o] of olds.sides) {
    if (!news.sides.has(name))
      reports.push(loneRgdReport({ name, status: 'removed', oldFile: o.rgd.file }, o));
  }
  return { output: diffOutput(reports), diagnostics };
}

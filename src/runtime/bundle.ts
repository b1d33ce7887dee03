// Bundle mode's RGDs: each RGD once per app, in a chart of its own that every instance depends on,
// so cdk8s writes the RGDs before all instances. An RGD whose resources create or read another RGD's
// kind also waits for that RGD, since kro needs its CRD first.
import { type ApiObjectProps, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { AnnotationStyle } from '../synth/annotate.js';
import { kappGroup } from '../synth/render.js';
import { instanceKindKey, kindsUsed } from '../synth/synthesize.js';
import { isKroApiObject, KroApiObject } from './api-object.js';
import type { RgdDefinition } from './definition.js';

/** Id of the chart, under the app, that holds the RGDs. */
export const RGD_CHART_ID = 'kro-gen-rgds';

function isRgdObject(x: unknown): x is RgdObject {
  return isKroApiObject(x) && 'definition' in x;
}

class RgdObject extends KroApiObject {
  readonly definition: RgdDefinition;

  constructor(chart: Chart, definition: RgdDefinition, styles: readonly AnnotationStyle[]) {
    const doc = definition.source.document;
    super(chart, definition.rgd.name, doc as unknown as ApiObjectProps, {
      clusterScoped: true,
      styles,
      changeGroup: kappGroup(['rgd', definition.rgd.name]),
    });
    this.definition = definition;
  }
}

function rgdChart(scope: IConstruct): Chart {
  const root = scope.node.root;
  const existing = root.node.tryFindChild(RGD_CHART_ID);
  if (existing) {
    if (!(existing instanceof Chart)) throw new Error(`'${RGD_CHART_ID}' under the app is not a cdk8s Chart`);
    return existing;
  }
  if (!(root instanceof App)) {
    throw new Error('bundle mode needs the construct tree to be rooted at a cdk8s App');
  }
  return new Chart(root, RGD_CHART_ID, { disableResourceNameHashes: true });
}

/** The app's object for `definition`'s RGD, created on first use. */
export function rgdObjectFor(
  scope: IConstruct,
  definition: RgdDefinition,
  styles: readonly AnnotationStyle[],
): KroApiObject {
  const chart = rgdChart(scope);
  const name = definition.rgd.name;
  const existing = chart.node.tryFindChild(name);
  if (isRgdObject(existing)) {
    if (existing.definition !== definition && existing.definition.identity !== definition.identity) {
      throw new Error(
        `two different RGDs are named ${name} (from ${existing.definition.source.file} and ${definition.source.file}); a cluster holds one RGD per name`,
      );
    }
    return existing;
  }
  const created = new RgdObject(chart, definition, styles);
  const others = chart.node.children.filter((c): c is RgdObject => isRgdObject(c) && c !== created);
  const uses = kindsUsed(definition.rgd);
  for (const other of others) {
    if (uses.has(instanceKindKey(other.definition.rgd))) created.dependOn(other);
    else if (kindsUsed(other.definition.rgd).has(instanceKindKey(definition.rgd))) other.dependOn(created);
  }
  return created;
}

// Bundle mode's RGDs: each RGD once per app, in a chart of their own that the app lists first, so
// cdk8s writes the RGDs before all instances. An RGD whose resources create or read another RGD's
// kind also waits for that RGD, since kro needs its CRD first.
//
// Instances name their RGD in their annotations but do not depend on it in cdk8s's sense: a
// dependency between two charts makes cdk8s number every chart file (`0001-caches.k8s.yaml`),
// which breaks the paths Argo CD or kustomize point at. Without one, the chart files keep their
// names; the RGD chart's id sorts before ordinary chart names, so `kubectl apply -f dist/` reads
// its file (or folder) first, and the app's chart list puts it first for FILE_PER_APP and
// `synthYaml()`.
import { type ApiObjectProps, App, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import type { AnnotationStyle } from '../synth/annotate.js';
import { kappGroup } from '../synth/kapp-groups.js';
import { instanceKindKey, kindsUsed } from '../synth/synthesize.js';
import { isKroApiObject, KroApiObject } from './api-object.js';
import { chainedDefinitions, type RgdDefinition } from './definition.js';

/** Id of the chart, under the app, that holds the RGDs: its file sorts before other charts'. */
export const RGD_CHART_ID = '00-kro-gen-rgds';

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

/** The chart holding the app's RGDs in bundle mode, if any construct made one. */
export function rgdChartOf(scope: IConstruct): Chart | undefined {
  const existing = scope.node.root.node.tryFindChild(RGD_CHART_ID);
  if (existing && !Chart.isChart(existing)) {
    throw new Error(`'${RGD_CHART_ID}' under the app is not a cdk8s Chart`);
  }
  return existing;
}

// `app.charts` (what FILE_PER_APP, FILE_PER_CHART and `synthYaml()` write, in order) follows chart
// dependencies, and the RGD chart has none: list it first on this app. It depends on nothing, so
// first is always a valid order.
function listFirst(app: App, chart: Chart): void {
  let owner: object | null = Object.getPrototypeOf(app);
  let getter: (() => Chart[]) | undefined;
  while (owner && !getter) {
    getter = Object.getOwnPropertyDescriptor(owner, 'charts')?.get;
    owner = Object.getPrototypeOf(owner);
  }
  const charts = getter;
  if (!charts) return;
  Object.defineProperty(app, 'charts', {
    configurable: true,
    get(this: App): Chart[] {
      return [chart, ...charts.call(this).filter((c) => c !== chart)];
    },
  });
}

function rgdChart(scope: IConstruct): Chart {
  const existing = rgdChartOf(scope);
  if (existing) return existing;
  const root = scope.node.root;
  if (!(root instanceof App)) {
    throw new Error('bundle mode needs the construct tree to be rooted at a cdk8s App');
  }
  const chart = new Chart(root, RGD_CHART_ID, { disableResourceNameHashes: true });
  listFirst(root, chart);
  return chart;
}

/** The app's object for `definition`'s RGD, created on first use. */
export function rgdObjectFor(
  scope: IConstruct,
  definition: RgdDefinition,
  styles: readonly AnnotationStyle[],
  visiting: ReadonlySet<RgdDefinition> = new Set(),
): KroApiObject {
  const chart = rgdChart(scope);
  const name = definition.rgd.name;
  const existing = chart.node.tryFindChild(name);
  if (isRgdObject(existing)) {
    if (existing.definition !== definition && existing.definition.identity !== definition.identity) {
      throw new Error(
        `two different RGDs are named ${name} (from ${existing.definition.file} and ${definition.file}); a cluster holds one RGD per name`,
      );
    }
    return existing;
  }
  // The RGDs whose instances this one creates (chained RGDs) go into the bundle too, before it:
  // kro needs their CRDs first, and nothing else in the app may instantiate them.
  // A cycle of RGDs creating each other is reported when the instances render; stop at it here.
  const inner = new Set([...visiting, definition]);
  for (const chained of chainedDefinitions(definition)) {
    if (!inner.has(chained)) rgdObjectFor(scope, chained, styles, inner);
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

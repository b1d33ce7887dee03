// The base class of every generated construct. It checks and defaults the props when the construct
// is created, then builds the cdk8s objects for the mode in force: the resources kro would create
// (expanded) or the RGD plus the instance object (bundle).
import { type ApiObject, type ApiObjectMetadata, type ApiObjectProps, Chart } from 'cdk8s';
import { Construct, type IDependable } from 'constructs';
import type { JsonObject } from '../rgd/model.js';
import {
  type AnnotationStyle,
  DEFAULT_ANNOTATIONS,
  parseAnnotationStyles,
  SYNC_OPTIONS,
} from '../synth/annotate.js';
import { kappGroup } from '../synth/kapp-groups.js';
import { renderInstance } from '../synth/render.js';
import { isKroApiObject, KroApiObject, ObjectGroup } from './api-object.js';
import { rgdObjectFor } from './bundle.js';
import { chainedGraphs, definedSchemas, type InstanceProps, type RgdDefinition } from './definition.js';
import { clone } from './json.js';
import {
  defaultNamespaceOf,
  expandChainedOf,
  type KroMode,
  MODE_CONTEXT_KEY,
  MODE_ENV,
  modeOf,
} from './mode.js';

/** Construct context key for the ordering annotations, e.g. `depends-on,argocd,kapp` or `none`. */
export const ANNOTATIONS_CONTEXT_KEY = 'kro-gen:annotations';
/** The same, from the environment (`kro-gen synth --app` sets it from `--annotations`). */
export const ANNOTATIONS_ENV = 'KRO_GEN_ANNOTATIONS';

// Like the mode: construct context, else the environment, else depends-on and argocd.
function annotationStyles(scope: Construct): readonly AnnotationStyle[] {
  const fromContext: unknown = scope.node.tryGetContext(ANNOTATIONS_CONTEXT_KEY);
  const fromEnv = process.env[ANNOTATIONS_ENV];
  const [value, from] =
    fromContext !== undefined
      ? [fromContext, `construct context '${ANNOTATIONS_CONTEXT_KEY}'`]
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, `environment variable ${ANNOTATIONS_ENV}`]
        : [undefined, ''];
  if (value === undefined) return DEFAULT_ANNOTATIONS;
  const parsed = typeof value === 'string' ? parseAnnotationStyles(value) : undefined;
  if (!parsed?.ok) {
    throw new Error(
      `${from} is ${JSON.stringify(value)}: expected a comma list of depends-on, argocd, kapp, or none`,
    );
  }
  return parsed.styles;
}

/**
 * An instance of an RGD in a cdk8s app. In bundle mode it synthesizes to its own object, the
 * construct's default child: `ApiObject.of(construct)` returns it, for `addJsonPatch`, labels and
 * annotations. In expanded mode it synthesizes to the objects kro would create, one child per
 * object, each reachable by its resource id: `resource('deployment')` (or `resources(id)` for a
 * forEach collection) returns the cdk8s `ApiObject`, and patches on it show in the output.
 */
export abstract class KroConstruct<Spec, ResourceId extends string = string> extends Construct {
  /** The RGD this construct is an instance of. */
  readonly definition: RgdDefinition;
  readonly mode: KroMode;
  /** The spec with schema defaults applied. */
  readonly spec: Spec;
  /** `metadata.name` of the instance: the one given, or one derived from the construct path. */
  readonly name: string;
  /**
   * `metadata.namespace` of the instance: the one given, else the chart's, else the default
   * namespace (`kro-gen:namespace` context, `KRO_GEN_NAMESPACE`, `default`); undefined for
   * cluster-scoped kinds.
   */
  readonly namespace: string | undefined;

  protected constructor(scope: Construct, id: string, definition: RgdDefinition, props: InstanceProps<Spec>) {
    super(scope, id);
    this.definition = definition;
    const gvk = definition.gvk;
    this.spec = definition.spec(props.spec, `${gvk.kind} at ${this.node.path}`);
    this.mode = modeOf(this);
    const chart = Chart.of(this);
    // Named like an ApiObject at this path would be, honouring the chart's naming.
    this.name = props.metadata?.name ?? chart.generateObjectName(this as unknown as ApiObject);
    // The same namespace `kro-gen synth` gives the instance, in both modes: an empty one is unset.
    this.namespace = definition.namespaced
      ? props.metadata?.namespace || chart.namespace || defaultNamespaceOf(this)
      : undefined;
    const metadata: ApiObjectMetadata = {
      ...(clone(props.metadata ?? {}) as ApiObjectMetadata),
      name: this.name,
      ...(this.namespace !== undefined ? { namespace: this.namespace } : {}),
    };
    if (!definition.namespaced) delete (metadata as Record<string, unknown>)['namespace'];
    const styles = annotationStyles(this);
    if (this.mode === 'bundle') this.#bundle(metadata, styles);
    else this.#expand(chart, metadata, styles);
  }

  /** Synthesize after `dependencies` (ordering and depends-on annotations follow). */
  addDependency(...dependencies: IDependable[]): void {
    this.node.addDependency(...dependencies);
  }

  /** The cdk8s objects this construct synthesizes to. */
  get apiObjects(): KroApiObject[] {
    return this.node.children.filter(isKroApiObject);
  }

  /** Expanded mode's objects per resource id (a chained instance's objects under its id). */
  readonly #byResource = new Map<string, KroApiObject[]>();

  /**
   * Expanded mode: the object made from the RGD's resource `id`, to patch what the props do not
   * reach (`resource('deployment').addJsonPatch(JsonPatch.add('/spec/paused', true))`). Throws when
   * the resource gives no object or several (a forEach collection: use `resources(id)`), and in
   * bundle mode, where kro creates the resources in the cluster (patch `ApiObject.of(this)`).
   */
  resource(id: ResourceId): KroApiObject {
    const objects = this.resources(id);
    const subject = `${this.definition.gvk.kind} ${JSON.stringify(this.name)}`;
    if (objects.length === 1) return objects[0]!;
    if (objects.length === 0) {
      throw new Error(
        `${subject} has no object for resource ${JSON.stringify(id)}: its includeWhen excluded it, its forEach gave no items, or it failed to render`,
      );
    }
    throw new Error(
      `resource ${JSON.stringify(id)} of ${subject} gives ${objects.length} objects: use resources(${JSON.stringify(id)})`,
    );
  }

  /**
   * Expanded mode: every object made from the RGD's resource `id`, in kro's order (a collection's
   * items by index; a chained RGD's instance, that RGD's objects); none when it is excluded.
   */
  resources(id: ResourceId): KroApiObject[] {
    const kind = this.definition.gvk.kind;
    const ids = this.definition.rgd.resources.filter((r) => !r.externalRef).map((r) => r.id);
    if (!ids.includes(id)) {
      throw new Error(
        `${kind} has no resource ${JSON.stringify(id)} that creates objects; it has ${ids.map((i) => JSON.stringify(i)).join(', ') || 'none'}`,
      );
    }
    if (this.mode === 'bundle') {
      throw new Error(
        `${kind} ${JSON.stringify(this.name)} is in bundle mode: kro creates its resources in the cluster, so there is no ${JSON.stringify(id)} object here; patch the instance object, ApiObject.of(construct), instead`,
      );
    }
    return [...(this.#byResource.get(id) ?? [])];
  }

  #bundle(metadata: ApiObjectMetadata, styles: readonly AnnotationStyle[]): void {
    const d = this.definition;
    const rgd = rgdObjectFor(this, d, styles);
    const object = new KroApiObject(
      this,
      'Resource',
      { ...d.gvk, metadata, spec: this.spec } as ApiObjectProps,
      {
        clusterScoped: !d.namespaced,
        styles,
        changeGroup: kappGroup([
          d.gvk.kind.toLowerCase(),
          ...(this.namespace ? [this.namespace] : []),
          this.name,
        ]),
        // The instance's CRD exists only once kro has processed the RGD: Argo CD's dry run would fail.
        ...(styles.includes('argocd')
          ? { annotations: { [SYNC_OPTIONS]: 'SkipDryRunOnMissingResource=true' } }
          : {}),
      },
    );
    // Named, not a cdk8s dependency: the RGD chart comes first anyway (bundle.ts).
    object.nameDependency(rgd);
  }

  #expand(chart: Chart, metadata: ApiObjectMetadata, styles: readonly AnnotationStyle[]): void {
    const d = this.definition;
    const graph = d.graph;
    const labels = { ...chart.labels, ...metadata.labels };
    const instance = {
      ...d.gvk,
      metadata: { ...metadata, ...(Object.keys(labels).length > 0 ? { labels } : {}) },
      spec: this.spec,
    } as unknown as JsonObject;
    const expandChained = expandChainedOf(this);
    const chained = expandChained ? chainedGraphs(d) : undefined;
    const result = renderInstance(graph.graph, d.rgd, instance, {
      annotations: [],
      defaultNamespace: this.namespace ?? defaultNamespaceOf(this),
      schemas: definedSchemas(),
      expandChained,
      ...(chained ? { graphs: chained.graphs } : {}),
    });
    const problems = [...graph.diagnostics, ...(chained?.diagnostics ?? []), ...result.diagnostics].filter(
      (x) => x.severity === 'error',
    );
    if (problems.length > 0) {
      // One line per problem, each a `file:line:col: error: ...` an editor can open. Reported when
      // the app is synthesized, as cdk8s reports every validation error.
      const subject = `${d.gvk.kind} ${JSON.stringify(this.name)}`;
      const hint = `for bundle mode, where kro evaluates it in the cluster, set construct context '${MODE_CONTEXT_KEY}' to 'bundle' on its App or Chart, or ${MODE_ENV}=bundle`;
      for (const p of problems) {
        const where = p.pos ? `${p.pos.file}:${p.pos.line}:${p.pos.col}: ` : '';
        const message = `${where}error: cannot render ${subject} in expanded mode: ${p.message}; ${hint}`;
        this.node.addValidation({ validate: () => [message] });
      }
      return;
    }
    const group = new ObjectGroup();
    const byNode = new Map<string, KroApiObject[]>();
    let previous: KroApiObject | undefined;
    for (const m of result.manifests) {
      // Objects of a chained instance: `env/quota` -> `env.quota`, `apps[1]/web` -> `apps-1.web`.
      const path = m.nodePath.replace(/\[(\d+)\]/g, '-$1').replaceAll('/', '.');
      const id = m.collectionIndex === undefined ? path : `${path}-${m.collectionIndex}`;
      const object = new KroApiObject(this, id, m.object as unknown as ApiObjectProps, {
        clusterScoped: m.clusterScoped,
        styles,
        baseWave: m.wave,
        group,
        changeGroup: m.changeGroup,
      });
      for (const dep of m.dependsOnNodes) for (const o of byNode.get(dep) ?? []) object.dependOn(o);
      // Keep cdk8s's output in the renderer's (kro's) order.
      if (previous && !object.node.dependencies.includes(previous)) object.orderAfter(previous);
      previous = object;
      byNode.set(m.nodePath, [...(byNode.get(m.nodePath) ?? []), object]);
      const resource = m.nodePath.split(/[/[]/)[0]!;
      this.#byResource.set(resource, [...(this.#byResource.get(resource) ?? []), object]);
    }
  }
}

// What expanded rendering takes and gives: options, rendered manifests, results, and the state of
// each node while an instance renders.
import type { Diagnostic } from '../diagnostics.js';
import type { Graph, GraphResource } from '../graph/model.js';
import type { JsonObject, Locator, Rgd } from '../rgd/model.js';
import type { AnnotationStyle, ObjectIdentity } from './annotate.js';
import type { ChainedLookup } from './chained.js';
import type { NormalizedInstance } from './instance.js';
import type { SchemaSources } from './schemas.js';

/** kro's defaults for `--rgd-max-collection-size` and `--rgd-max-collection-dimension-size`. */
export const MAX_COLLECTION_SIZE = 1000;
export const MAX_COLLECTION_DIMENSIONS = 10;

export interface RenderOptions {
  /** Ordering metadata to stamp (default depends-on and argocd); `[]` for none. */
  readonly annotations?: readonly AnnotationStyle[];
  /** Stamp the `kro-gen.dev/*` identification labels (default true). */
  readonly labels?: boolean;
  /** Objects standing in for what `externalRef` resources read from the cluster. */
  readonly externals?: readonly JsonObject[];
  /** Where kind schemas come from (built-in kinds by default; add CRDs and chained RGDs). */
  readonly schemas?: SchemaSources;
  /** kro's `CELOmitFunction` feature gate; must match the graph's. */
  readonly omit?: boolean;
  /** Namespace of an instance that names none (default `default`). */
  readonly defaultNamespace?: string;
  /** Added to every sync wave (to place this instance after others). */
  readonly waveOffset?: number;
  /**
   * What the whole instance comes after (objects of other instances): added to the depends-on
   * references and kapp rules of the objects that depend on nothing else in the instance.
   */
  readonly after?: { readonly dependsOn: readonly string[]; readonly changeGroups: readonly string[] };
  /** Positions in the instance's file, for messages about the instance. */
  readonly instanceLoc?: Locator;
  readonly maxCollectionSize?: number;
  readonly maxCollectionDimensions?: number;
  /**
   * Replace each object whose kind is the instance kind of an RGD in `schemas.rgds` (a chained
   * RGD) by that RGD's own rendered resources, recursively, as kro would once it reconciles the
   * instance (default true). False emits the instance objects, for a cluster whose kro expands them.
   */
  readonly expandChained?: boolean;
  /** Graphs of RGDs in `schemas.rgds`, when already built (the others are built when needed). */
  readonly graphs?: ReadonlyMap<Rgd, Graph>;
  /** How deeply chained instances may nest (default 10; an instance creating one is depth 1). */
  readonly maxChainDepth?: number;
}

export interface RenderedManifest {
  /** The object to apply, stamped. */
  readonly object: JsonObject;
  /** The RGD resource id it comes from (in the chained RGD, for objects of a chained instance). */
  readonly nodeId: string;
  /**
   * The node's path, unique in the result: its id for the instance's own resources; for those of
   * a chained instance, the creating node's path, its index if a collection, `/`, the id
   * (`env/quota`, `apps[1]/deployment`).
   */
  readonly nodePath: string;
  /** Position in its collection (collections only). */
  readonly collectionIndex?: number;
  /** depends-on references of the objects of its direct dependencies, sorted. */
  readonly dependsOn: readonly string[];
  /** Paths of the nodes it directly depends on (externals replaced by what they depend on). */
  readonly dependsOnNodes: readonly string[];
  readonly wave: number;
  /** Its kapp change group. */
  readonly changeGroup: string;
  /** Its kind is known to be cluster-scoped. */
  readonly clusterScoped: boolean;
  /** For objects of a chained instance: that instance (as rendered) and its RGD's name. */
  readonly chainedInstance?: { readonly rgd: string; readonly identity: ObjectIdentity };
}

/** Where an `externalRef` points, once rendered. */
export interface ExternalReference extends ObjectIdentity {
  readonly nodeId: string;
  readonly selector?: JsonObject;
}

export interface RenderResult {
  /** In kro's order; empty when there are errors. */
  readonly manifests: readonly RenderedManifest[];
  /** The instance as kro sees it (defaults applied), when it is valid. */
  readonly instance?: NormalizedInstance;
  /** Paths of the nodes left out by includeWhen, directly or through a dependency. */
  readonly excluded: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** An instance of a chained RGD that a resource creates, as the API server would store it. */
export interface ChainedInstance {
  readonly rgd: Rgd;
  readonly graph: Graph;
  readonly inst: NormalizedInstance;
}

/** Where the renderer hands instances of chained RGDs to be checked and normalized. */
export interface ChainedHook {
  readonly lookup: ChainedLookup;
  /** The instance normalized, or undefined with the reasons pushed onto `diags`. */
  accept(
    r: GraphResource,
    rgds: readonly Rgd[],
    object: JsonObject,
    index: number | undefined,
    diags: Diagnostic[],
  ): ChainedInstance | undefined;
}

export type NodeState =
  | {
      readonly status: 'rendered';
      readonly objects: readonly JsonObject[];
      readonly list: boolean;
      /** For a resource creating instances of a chained RGD that is expanded: those instances. */
      readonly chained?: readonly ChainedInstance[];
    }
  | { readonly status: 'excluded' }
  | { readonly status: 'failed' }
  /** An external reference nobody supplied. */
  | { readonly status: 'missing'; readonly what: string };

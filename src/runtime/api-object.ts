// The cdk8s objects generated constructs create. On top of ApiObject they (1) drop the namespace cdk8s
// copies from the chart onto every object when the kind is cluster-scoped, and (2) stamp ordering
// annotations at synth time, when every dependency is known.
//
// The annotations follow what was declared, not what cdk8s derives: cdk8s turns a dependency
// between objects of two charts into a dependency of every object of one chart on every object of
// the other, which is right for its output order but would make every instance name every RGD. So an
// object's dependencies are its graph edges (the RGD's references, or an instance's RGD) plus the
// dependencies declared on the constructs that contain it (`addDependency` on a generated construct
// or any wrapper of it), each expanded to the ApiObjects under the construct depended on.
import { ApiObject, type ApiObjectProps, Chart } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import { setOwn } from '../json.js';
import type { JsonObject } from '../rgd/model.js';
import {
  type AnnotationStyle,
  dependsOnRef,
  type ObjectIdentity,
  SYNC_WAVE,
  stamp,
} from '../synth/annotate.js';
import { isPlainObject } from './json.js';

/**
 * Objects that synthesize as one unit: the resources of one instance. Their waves are their graph
 * layers shifted past the last wave of everything the unit depends on, as `kro-gen synth` places
 * dependent instances; dependencies declared on the instance are stamped on its first objects.
 */
export class ObjectGroup {
  readonly members: KroApiObject[] = [];
}

export interface KroApiObjectOptions {
  readonly clusterScoped: boolean;
  /** Ordering annotations to stamp. */
  readonly styles: readonly AnnotationStyle[];
  /** The object's wave within its group (its node's layer in the RGD's graph). */
  readonly baseWave?: number;
  readonly group?: ObjectGroup;
  /** kapp change group; without one, no kapp annotations are stamped. */
  readonly changeGroup?: string;
  /** Fixed annotations (e.g. Argo CD sync options), whatever the dependencies. */
  readonly annotations?: Readonly<Record<string, string>>;
}

// cdk8s's `instanceof` answers true for any ApiObject (its Symbol.hasInstance is inherited), so
// kro-gen's objects carry a brand of their own.
const BRAND = Symbol.for('kro-gen.KroApiObject');

export function isKroApiObject(x: unknown): x is KroApiObject {
  return typeof x === 'object' && x !== null && BRAND in x;
}

/** The ApiObjects a dependency on `target` stands for, as cdk8s expands it. */
function apiObjectsUnder(target: IConstruct): ApiObject[] {
  if (ApiObject.isApiObject(target)) return [target];
  const chart = Chart.isChart(target) ? target : undefined;
  return target.node
    .findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && (!chart || Chart.of(c) === chart));
}

export class KroApiObject extends ApiObject {
  readonly options: KroApiObjectOptions;
  /** Declared dependencies of this object itself: graph edges, or an instance on its RGD. */
  readonly #edges = new Set<ApiObject>();

  constructor(scope: Construct, id: string, props: ApiObjectProps, options: KroApiObjectOptions) {
    super(scope, id, props);
    Object.defineProperty(this, BRAND, { value: true });
    this.options = options;
    options.group?.members.push(this);
  }

  /** Depend on `other`: cdk8s writes it first, and the annotations name it. */
  dependOn(other: ApiObject): void {
    this.#edges.add(other);
    this.node.addDependency(other);
  }

  /**
   * Name `other` in the annotations without a cdk8s dependency: for an object in another chart,
   * where a dependency would make cdk8s number every chart file (see bundle.ts).
   */
  nameDependency(other: ApiObject): void {
    this.#edges.add(other);
  }

  /** Make cdk8s write this object after `other` without declaring a dependency. */
  orderAfter(other: ApiObject): void {
    this.node.addDependency(other);
  }

  /** The graph edges of this object. */
  get edges(): readonly ApiObject[] {
    return [...this.#edges];
  }

  /** Objects depended on through the constructs that contain this one (up to its chart). */
  inheritedDependencies(): ApiObject[] {
    const out = new Set<ApiObject>();
    for (let scope = this.node.scope; scope && !Chart.isChart(scope); scope = scope.node.scope) {
      for (const d of scope.node.dependencies) for (const o of apiObjectsUnder(d)) if (o !== this) out.add(o);
    }
    return [...out];
  }

  /** What the annotations name: graph edges, plus inherited dependencies on a group's first objects. */
  declaredDependencies(): ApiObject[] {
    const members = this.options.group?.members;
    const first = !members || ![...this.#edges].some((e) => members.includes(e as KroApiObject));
    return [...new Set([...this.#edges, ...(first ? this.inheritedDependencies() : [])])];
  }

  /** The identity other objects' depends-on references use. */
  identity(): ObjectIdentity {
    return {
      apiVersion: this.apiVersion,
      kind: this.kind,
      name: this.name,
      namespace: this.options.clusterScoped ? '' : (this.metadata.namespace ?? ''),
    };
  }

  override toJson(): unknown {
    const json = super.toJson() as JsonObject;
    const metadata = json['metadata'];
    if (this.options.clusterScoped && isPlainObject(metadata)) delete metadata['namespace'];
    const deps = this.declaredDependencies();
    const changeGroup = this.options.changeGroup;
    const stamped = stamp(json, {
      styles: changeGroup ? this.options.styles : this.options.styles.filter((s) => s !== 'kapp'),
      dependsOn: deps.map((d) => dependsOnRef(identityOf(d))),
      wave: waveOf(this, new Map()),
      changeGroup: changeGroup ?? '',
      dependsOnGroups: deps.flatMap((d) =>
        isKroApiObject(d) && d.options.changeGroup ? [d.options.changeGroup] : [],
      ),
      ...(this.options.annotations ? { annotations: this.options.annotations } : {}),
    });
    return process.env['CDK8S_DISABLE_SORT'] ? stamped : withSortedMetadata(stamped);
  }
}

// cdk8s sorts every object's keys; keep metadata sorted after adding annotations to it.
function withSortedMetadata(json: JsonObject): JsonObject {
  const metadata = json['metadata'];
  if (!isPlainObject(metadata)) return json;
  const sorted = (o: JsonObject): JsonObject =>
    Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]!]),
    );
  const m = sorted(metadata as JsonObject);
  for (const key of ['annotations', 'labels']) {
    const v = m[key];
    if (isPlainObject(v)) setOwn(m, key, sorted(v as JsonObject));
  }
  return { ...json, metadata: m };
}

function identityOf(o: ApiObject): ObjectIdentity {
  return isKroApiObject(o)
    ? o.identity()
    : { apiVersion: o.apiVersion, kind: o.kind, name: o.name, namespace: o.metadata.namespace ?? '' };
}

type Memo = Map<ApiObject | ObjectGroup, number>;

// An object kro-gen does not stamp is in the wave its own annotation says (Argo CD's default is 0).
function plainWave(o: ApiObject): number {
  const metadata = o.metadata.toJson() as { annotations?: Record<string, string> };
  const value = metadata.annotations?.[SYNC_WAVE];
  const n = value === undefined ? 0 : Number.parseInt(value, 10);
  return Number.isFinite(n) ? n : 0;
}

// Dependencies are acyclic (cdk8s refuses cycles), so the recursion ends.
function waveOf(o: ApiObject, memo: Memo): number {
  const known = memo.get(o);
  if (known !== undefined) return known;
  let wave = 0;
  if (!isKroApiObject(o)) wave = plainWave(o);
  else if (o.options.group) wave = (o.options.baseWave ?? 0) + groupOffset(o.options.group, memo);
  else for (const d of o.declaredDependencies()) wave = Math.max(wave, waveOf(d, memo) + 1);
  memo.set(o, wave);
  return wave;
}

function groupOffset(group: ObjectGroup, memo: Memo): number {
  const known = memo.get(group);
  if (known !== undefined) return known;
  const inside = new Set<ApiObject>(group.members);
  let offset = 0;
  for (const m of group.members) {
    for (const d of [...m.edges, ...m.inheritedDependencies()]) {
      if (!inside.has(d)) offset = Math.max(offset, waveOf(d, memo) + 1);
    }
  }
  memo.set(group, offset);
  return offset;
}

// An RGD embedded in a generated module, loaded on first use: the model (with positions for
// messages), the instance schema, and the props -> instance object step every mode shares.
import type { ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import type { Diagnostic } from '../diagnostics.js';
import { buildGraph } from '../graph/build.js';
import type { Graph } from '../graph/model.js';
import { buildRgdModel } from '../rgd/build.js';
import type { JsonObject, JsonValue, Rgd } from '../rgd/model.js';
import { buildInstanceSchema } from '../schema/build.js';
import { lookupBuiltinKind } from '../schema/k8s-builtin.js';
import type { InstanceSchema } from '../schema/model.js';
import { applyDefaults } from '../synth/defaults.js';
import type { SchemaSources } from '../synth/schemas.js';
import { canonicalJson, clone } from './json.js';
import { EmbeddedLocator, type PositionTable } from './locator.js';
import { callerFile, displayPath } from './origin.js';
import { formatProblem, type PropsProblem, validateAgainst } from './validate.js';

/** What a generated module embeds: the RGD document and where its parts were in its file. */
export interface RgdSource {
  /** The RGD's file, relative to the generated module's folder (as `kro-gen generate` records it). */
  readonly file: string;
  readonly positions: PositionTable;
  readonly document: JsonObject;
}

/** The props of every generated construct. */
export interface InstanceProps<Spec> {
  readonly metadata?: ApiObjectMetadata;
  readonly spec?: Spec;
}

/** An instance object as kro receives it. */
export interface InstanceManifest<Spec> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ApiObjectMetadata;
  readonly spec: Spec;
}

/** Props that do not match the schema, in one line; `problems` lists each one. */
export class PropsError extends Error {
  declare readonly problems: readonly PropsProblem[];
  constructor(subject: string, problems: readonly PropsProblem[]) {
    super(`invalid props for ${subject}: ${problems.map(formatProblem).join('; ')}`);
    this.name = 'PropsError';
    // Not enumerable: Node prints an uncaught error's own enumerable properties after its stack.
    Object.defineProperty(this, 'problems', { value: problems, enumerable: false });
  }
}

/** Every RGD the program's generated modules define: chained RGDs type each other's kinds. */
const defined: RgdDefinition[] = [];

export class RgdDefinition {
  readonly #load: () => RgdSource;
  readonly #module: string | undefined;
  #source: RgdSource | undefined;
  #file: string | undefined;
  #rgd: Rgd | undefined;
  #schema: InstanceSchema | undefined;
  #identity: string | undefined;
  #graph: { readonly graph: Graph; readonly diagnostics: readonly Diagnostic[] } | undefined;

  /** `module`: the generated module's file, which `source.file` is relative to. */
  constructor(load: () => RgdSource, module?: string) {
    this.#load = load;
    this.#module = module;
  }

  /** The RGD's file as messages name it: relative to the working directory when it is found. */
  get file(): string {
    this.#file ??= displayPath(this.source.file, this.#module);
    return this.#file;
  }

  /** The resource graph (expanded mode), built once per program. */
  get graph(): { readonly graph: Graph; readonly diagnostics: readonly Diagnostic[] } {
    this.#graph ??= buildGraph(this.rgd, { builtin: lookupBuiltinKind, rgds: defined.map((d) => d.rgd) });
    return this.#graph;
  }

  get source(): RgdSource {
    this.#source ??= this.#load();
    return this.#source;
  }

  /** The RGD model, positioned in the RGD's original file. */
  get rgd(): Rgd {
    this.#rgd ??= buildRgdModel(
      this.source.document,
      new EmbeddedLocator(this.file, this.source.positions),
      0,
    );
    return this.#rgd;
  }

  get schema(): InstanceSchema {
    // The generator refused RGDs whose schema has errors, so there is nothing to report here.
    this.#schema ??= buildInstanceSchema({ spec: this.rgd.schema.spec, types: this.rgd.schema.types }).schema;
    return this.#schema;
  }

  get gvk(): GroupVersionKind {
    const s = this.rgd.schema;
    return { apiVersion: `${s.group}/${s.apiVersion}`, kind: s.kind };
  }

  get namespaced(): boolean {
    return this.rgd.schema.scope !== 'Cluster';
  }

  /** Equal for equal documents, whichever module embeds them. */
  get identity(): string {
    this.#identity ??= canonicalJson(this.source.document);
    return this.#identity;
  }

  /** The spec with defaults applied; throws a PropsError naming every problem. */
  spec<Spec>(spec: Spec | undefined, subject: string): Spec {
    // `undefined` members are optional props left unset, not values.
    const defaulted = applyDefaults(this.schema.spec, clone(spec ?? {}) as JsonValue);
    const problems = validateAgainst(this.schema.spec, defaulted, 'spec');
    if (problems.length > 0) throw new PropsError(subject, problems);
    return defaulted as Spec;
  }
}

let sources: { readonly count: number; readonly schemas: SchemaSources } | undefined;

/** Schema sources naming every RGD the program defines: the chained kinds expanded mode expands. */
export function definedSchemas(): SchemaSources {
  if (sources?.count !== defined.length)
    sources = { count: defined.length, schemas: { rgds: defined.map((d) => d.rgd) } };
  return sources.schemas;
}

/** The defined RGDs whose instance kinds `definition`'s resources create (first definition per kind). */
export function chainedDefinitions(definition: RgdDefinition): RgdDefinition[] {
  const out: RgdDefinition[] = [];
  for (const r of definition.graph.graph.resources) {
    const d = defined.find((x) => x.gvk.apiVersion === r.apiVersion && x.gvk.kind === r.kind);
    if (d && d !== definition && !out.includes(d)) out.push(d);
  }
  return out;
}

/**
 * The graphs of the defined RGDs whose kinds `definition` creates, directly or through them (each
 * built once per program), and their diagnostics.
 */
export function chainedGraphs(definition: RgdDefinition): {
  readonly graphs: Map<Rgd, Graph>;
  readonly diagnostics: readonly Diagnostic[];
} {
  const byKind = new Map<string, RgdDefinition>();
  for (const d of defined) {
    const key = `${d.gvk.apiVersion}\u0000${d.gvk.kind}`;
    if (!byKind.has(key)) byKind.set(key, d);
  }
  const graphs = new Map<Rgd, Graph>();
  const diagnostics: Diagnostic[] = [];
  const queue = [definition];
  for (let d = queue.shift(); d; d = queue.shift()) {
    for (const r of d.graph.graph.resources) {
      const next = byKind.get(`${r.apiVersion}\u0000${r.kind}`);
      if (!next || graphs.has(next.rgd)) continue;
      graphs.set(next.rgd, next.graph.graph);
      diagnostics.push(...next.graph.diagnostics);
      queue.push(next);
    }
  }
  return { graphs, diagnostics };
}

export function defineRgd(load: () => RgdSource): RgdDefinition {
  const definition = new RgdDefinition(load, callerFile(defineRgd));
  defined.push(definition);
  return definition;
}

/** The instance object for `props`, outside any construct tree (no generated name, no chart). */
export function instanceManifest<Spec>(
  definition: RgdDefinition,
  props: InstanceProps<Spec>,
): InstanceManifest<Spec> {
  const gvk = definition.gvk;
  const name = props.metadata?.name;
  const spec = definition.spec(
    props.spec,
    name === undefined ? gvk.kind : `${gvk.kind} ${JSON.stringify(name)}`,
  );
  const metadata = clone(props.metadata ?? {}) as ApiObjectMetadata;
  return { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata, spec };
}

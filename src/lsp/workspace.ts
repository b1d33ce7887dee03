// What the language server knows: the text of every YAML file of the workspace (open documents
// override the disk), the CRD documents of the `kroGen.crdPaths` setting, and per file an analysis
// made by the same stages `kro-gen validate` and `kro-gen synth` run. Pure: the server reads files
// and hands their text over. Analyses are cached per file and recomputed only when that file
// changes or something it depends on does: the RGDs defining a kind it uses or defines (chained
// kinds, its instances' kinds, duplicate kinds), transitively, or the CRDs.
import {
  duplicateKindWarnings,
  type GraphedRgd,
  graphRgds,
  rgdDiagnostics,
  uniqueDiagnostics,
} from '../cli/commands/validate.js';
import type { Diagnostic } from '../diagnostics.js';
import { buildGraph, type GraphContext } from '../graph/build.js';
import { graphKindResolver } from '../graph/kinds.js';
import type { Graph } from '../graph/model.js';
import { loadParsedRgds, RGD_API_VERSION, RGD_KIND } from '../rgd/load.js';
import type { JsonObject, JsonValue, Rgd } from '../rgd/model.js';
import { DEFAULT_YAML_LIMITS, parseYamlFile, type YamlDocument, type YamlParseResult } from '../rgd/yaml.js';
import type { InstanceSchema } from '../schema/model.js';
import type { KindResolver } from '../schema/resolver.js';
import { normalizeInstance } from '../synth/instance.js';
import { instanceModel } from '../synth/schemas.js';
import { LineIndex } from './text.js';
import { parseYamlDocs, type YamlDocs } from './yaml-nodes.js';

/** One RGD of the analysed file, with what the stages made of it. */
export interface AnalyzedRgd {
  readonly rgd: Rgd;
  readonly graph: Graph;
  readonly schema: InstanceSchema;
  /** Whether the loader found errors (its graph is best effort and reports nothing). */
  readonly invalid: boolean;
}

export interface AnalyzedInstance {
  readonly docIndex: number;
  readonly rgd: Rgd;
  readonly schema: InstanceSchema;
  readonly object: JsonObject;
}

export interface FileAnalysis {
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
  readonly docs: YamlDocs;
  /** `rgd`: holds RGDs; `instance`: instances of a workspace RGD; `other`: neither (no diagnostics). */
  readonly kind: 'rgd' | 'instance' | 'other';
  readonly rgds: readonly AnalyzedRgd[];
  readonly instances: readonly AnalyzedInstance[];
  readonly diagnostics: readonly Diagnostic[];
  /** Resolves the kinds the RGDs use, as their graphs did (types and OpenAPI of resources). */
  readonly resolver: KindResolver;
}

interface Loaded {
  readonly text: string;
  /** The instance kinds its RGDs define (`group/version\0kind`), invalid ones too. */
  readonly defines: ReadonlySet<string>;
  /** The kinds it uses: its RGDs' resources and the kinds of its documents (instances). */
  readonly uses: ReadonlySet<string>;
  /** The loader's parse: its documents (instances are read from them) and YAML trees. */
  readonly parsed: YamlParseResult;
  readonly rgds: readonly Rgd[];
  readonly invalid: readonly Rgd[];
  readonly diagnostics: readonly Diagnostic[];
}

interface StoredFile {
  readonly text: string;
  loaded?: Loaded;
}

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;
const definedKind = (r: Rgd): string => kindKey(`${r.schema.group}/${r.schema.apiVersion}`, r.schema.kind);

/** A cached analysis and what it was made from: the text, the CRDs, the stamps of its kinds. */
interface CachedAnalysis {
  readonly text: string;
  readonly crdGeneration: number;
  readonly stamps: ReadonlyMap<string, number>;
  readonly analysis: FileAnalysis;
}

export class Workspace {
  readonly #files = new Map<string, StoredFile>();
  #crds: readonly JsonValue[] = [];
  #crdDiagnostics: readonly Diagnostic[] = [];
  // Bumped when the CRDs change: every analysis depends on them.
  #crdGeneration = 0;
  // Per kind, when the RGDs defining it (or those their types come from) last changed.
  readonly #stamps = new Map<string, number>();
  #clock = 0;
  readonly #analyses = new Map<string, CachedAnalysis>();

  /** Sets a file's text (an open document's, or the disk's); returns whether it changed. */
  setFile(path: string, text: string): boolean {
    const old = this.#files.get(path);
    if (old?.text === text) return false;
    const before = old ? this.#definesOf(path, old) : [];
    const f: StoredFile = { text };
    this.#files.set(path, f);
    this.#touch([...before, ...this.#definesOf(path, f)]);
    return true;
  }

  removeFile(path: string): void {
    const old = this.#files.get(path);
    if (!old) return;
    const before = this.#definesOf(path, old);
    this.#files.delete(path);
    this.#analyses.delete(path);
    this.#touch(before);
  }

  // Only a file naming RGDs can define kinds: others are not parsed for it.
  #definesOf(path: string, f: StoredFile): Iterable<string> {
    return f.text.includes(RGD_KIND) ? this.#load(path, f).defines : [];
  }

  /**
   * Marks the kinds whose defining RGDs changed, and, transitively, the kinds of RGDs using them
   * (a chained RGD's status types come from the RGD it uses): every analysis depending on one
   * of them is stale.
   */
  #touch(kinds: Iterable<string>): void {
    const queue = [...kinds];
    if (queue.length === 0) return;
    const done = new Set<string>();
    const stamp = ++this.#clock;
    while (queue.length > 0) {
      const k = queue.pop() as string;
      if (done.has(k)) continue;
      done.add(k);
      this.#stamps.set(k, stamp);
      for (const [path, f] of this.#files) {
        if (!f.text.includes(RGD_KIND)) continue;
        const loaded = this.#load(path, f);
        if (loaded.uses.has(k)) queue.push(...loaded.defines);
      }
    }
  }

  #load(path: string, f: StoredFile): Loaded {
    if (!f.loaded) {
      const parsed = parseYamlFile({ path, text: f.text }, DEFAULT_YAML_LIMITS);
      const loaded = loadParsedRgds(parsed);
      const defines = new Set([...loaded.rgds, ...loaded.invalid].map(definedKind));
      const uses = new Set<string>();
      for (const r of [...loaded.rgds, ...loaded.invalid])
        for (const res of r.resources) {
          const t = res.template ?? res.externalRef;
          if (t && typeof t.apiVersion === 'string' && typeof t.kind === 'string')
            uses.add(kindKey(t.apiVersion, t.kind));
        }
      for (const doc of parsed.documents) {
        const v = doc.value;
        if (isMap(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string')
          uses.add(kindKey(v.apiVersion, v.kind));
      }
      f.loaded = {
        text: f.text,
        defines,
        uses,
        parsed,
        rgds: loaded.rgds,
        invalid: loaded.invalid,
        diagnostics: loaded.diagnostics,
      };
    }
    return f.loaded;
  }

  /** The kinds an analysis of the file depends on, with their current stamps. */
  #stampsOf(loaded: Loaded): Map<string, number> {
    const out = new Map<string, number>();
    for (const k of [...loaded.uses, ...loaded.defines]) out.set(k, this.#stamps.get(k) ?? 0);
    return out;
  }

  #fresh(hit: CachedAnalysis | undefined, loaded: Loaded): hit is CachedAnalysis {
    if (!hit || hit.text !== loaded.text || hit.crdGeneration !== this.#crdGeneration) return false;
    for (const [k, s] of hit.stamps) if ((this.#stamps.get(k) ?? 0) !== s) return false;
    return true;
  }

  /**
   * Whether the file's last analysis no longer holds (its text, the CRDs or an RGD it depends on
   * changed), or it has none: the server re-publishes only such documents after an edit.
   */
  isStale(path: string): boolean {
    const loaded = this.#loaded(path);
    return loaded !== undefined && !this.#fresh(this.#analyses.get(path), loaded);
  }

  hasFile(path: string): boolean {
    return this.#files.has(path);
  }

  /** The CRD documents kinds resolve from (`kroGen.crdPaths`), and the problems reading them. */
  setCrds(crds: readonly JsonValue[], diagnostics: readonly Diagnostic[] = []): void {
    this.#crds = crds;
    this.#crdDiagnostics = diagnostics;
    this.#crdGeneration++;
  }

  get crdDiagnostics(): readonly Diagnostic[] {
    return this.#crdDiagnostics;
  }

  /** Every valid RGD of the workspace, files in path order. */
  allRgds(): Rgd[] {
    return this.paths().flatMap((p) => this.#loaded(p)?.rgds ?? []);
  }

  /** The files the workspace holds, in path order. */
  paths(): string[] {
    return [...this.#files.keys()].sort(byPath);
  }

  #loaded(path: string): Loaded | undefined {
    const f = this.#files.get(path);
    return f ? this.#load(path, f) : undefined;
  }

  analyze(path: string): FileAnalysis | undefined {
    const loaded = this.#loaded(path);
    if (!loaded) return undefined;
    const hit = this.#analyses.get(path);
    if (this.#fresh(hit, loaded)) return hit.analysis;
    const analysis = this.#analyze(path, loaded);
    this.#analyses.set(path, {
      text: loaded.text,
      crdGeneration: this.#crdGeneration,
      stamps: this.#stampsOf(loaded),
      analysis,
    });
    return analysis;
  }

  #analyze(path: string, loaded: Loaded): FileAnalysis {
    const all = this.allRgds();
    const ctx: GraphContext = { crds: this.#crds, rgds: all };
    const resolver = graphKindResolver(ctx, buildGraph);
    const base = {
      path,
      text: loaded.text,
      lines: new LineIndex(loaded.text),
      // Without trees (a refused file) positions come from a lenient parse of the text.
      docs: loaded.parsed.trees.length > 0 ? loaded.parsed.trees : parseYamlDocs(loaded.text),
      resolver,
    };
    if (loaded.rgds.length + loaded.invalid.length > 0 || rgdLike(loaded)) {
      return { ...base, kind: 'rgd', instances: [], ...this.#rgdFile(path, loaded, all) };
    }
    const instances = this.#instances(loaded.parsed, all);
    if (instances.analyzed.length === 0) {
      return { ...base, kind: 'other', rgds: [], instances: [], diagnostics: [] };
    }
    return {
      ...base,
      kind: 'instance',
      rgds: [],
      instances: instances.analyzed,
      diagnostics: instances.diagnostics,
    };
  }

  /**
   * An analysis of `text` for completion at line `line`, without waiting for the full one (which
   * the debounce holds back): the new text with the last analysis's RGDs, graphs and types (typing
   * a name changes none of what completion offers), and its YAML tree while the text above the
   * cursor's line is unchanged (completion reads the tree only there). Only completion may use it.
   */
  forCompletion(path: string, text: string, line: number): FileAnalysis | undefined {
    const last = this.#analyses.get(path)?.analysis;
    if (!last) {
      this.setFile(path, text);
      return this.analyze(path);
    }
    if (last.text === text) return last;
    const lines = new LineIndex(text);
    const lineStart = lines.offsetAt({ line, character: 0 });
    const same = last.text.length >= lineStart && last.text.slice(0, lineStart) === text.slice(0, lineStart);
    return { ...last, text, lines, docs: same ? last.docs : parseYamlDocs(text) };
  }

  // An RGD file gets what `kro-gen validate` reports for it, with the workspace's other RGDs
  // as chained kinds and the CRDs of the setting.
  #rgdFile(
    path: string,
    loaded: Loaded,
    all: readonly Rgd[],
  ): { rgds: AnalyzedRgd[]; diagnostics: Diagnostic[] } {
    const mine = new Set(loaded.rgds);
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    const everyRgd = [...all, ...this.paths().flatMap((p) => this.#loaded(p)?.invalid ?? [])];
    diagnostics.push(...duplicateKindWarnings(everyRgd).filter((d) => d.pos?.file === path));
    const graphed: GraphedRgd[] = graphRgds(all, this.#crds, undefined, mine);
    const rgds: AnalyzedRgd[] = [];
    for (const g of graphed) {
      diagnostics.push(...rgdDiagnostics(g));
      rgds.push({ rgd: g.rgd, graph: g.result.graph, schema: instanceModel(g.rgd).model, invalid: false });
    }
    // An RGD with errors still gets hover and completion, from a best-effort graph.
    for (const rgd of loaded.invalid) {
      const graph = buildGraph(rgd, { crds: this.#crds, rgds: all }).graph;
      rgds.push({ rgd, graph, schema: instanceModel(rgd).model, invalid: true });
    }
    rgds.sort((a, b) => a.rgd.docIndex - b.rgd.docIndex);
    const here = uniqueDiagnostics(diagnostics).filter((d) => d.pos === undefined || d.pos.file === path);
    return { rgds, diagnostics: here };
  }

  // Instances of the workspace's RGDs get synth's instance validation.
  #instances(
    parsed: YamlParseResult,
    all: readonly Rgd[],
  ): { analyzed: AnalyzedInstance[]; diagnostics: Diagnostic[] } {
    const byKind = new Map(
      all.map((r) => [`${r.schema.group}/${r.schema.apiVersion}\u0000${r.schema.kind}`, r]),
    );
    const analyzed: AnalyzedInstance[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const doc of parsed.documents) {
      const found = instanceOf(doc, byKind);
      if (!found) continue;
      const { model } = instanceModel(found.rgd);
      analyzed.push({ docIndex: doc.index, rgd: found.rgd, schema: model, object: found.object });
      diagnostics.push(
        ...normalizeInstance(found.rgd, model, { object: found.object, loc: doc.loc }).diagnostics,
      );
    }
    if (analyzed.length > 0) diagnostics.push(...parsed.diagnostics);
    return { analyzed, diagnostics: uniqueDiagnostics(diagnostics) };
  }
}

function instanceOf(
  doc: YamlDocument,
  byKind: ReadonlyMap<string, Rgd>,
): { rgd: Rgd; object: JsonObject } | undefined {
  const v = doc.value;
  if (!isMap(v) || typeof v.apiVersion !== 'string' || typeof v.kind !== 'string') return undefined;
  const rgd = byKind.get(`${v.apiVersion}\u0000${v.kind}`);
  return rgd ? { rgd, object: v } : undefined;
}

// A file being written as an RGD that does not load yet (a YAML error) still gets its diagnostics.
function rgdLike(loaded: Loaded): boolean {
  return (
    loaded.diagnostics.length > 0 &&
    loaded.text.includes(RGD_API_VERSION) &&
    loaded.text.includes(`kind: ${RGD_KIND}`)
  );
}

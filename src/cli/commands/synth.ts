// `kro-gen synth`: RGDs + instances -> ordered, annotated manifests (expanded mode, what kro would
// apply) or the controller bundle (RGDs, then instances, for a cluster running kro); or, with
// --app, run a TypeScript cdk8s app the way `cdk8s synth` does.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Diagnostic, error, hasErrors, sortDiagnostics } from '../../diagnostics.js';
import { buildGraph } from '../../graph/build.js';
import type { JsonObject, JsonValue, Rgd } from '../../rgd/model.js';
import { DEFAULT_YAML_LIMITS, parseYamlFile } from '../../rgd/yaml.js';
import { parseAnnotationStyles } from '../../synth/annotate.js';
import { type SynthInstance, type SynthManifest, synthesize } from '../../synth/synthesize.js';
import { toYamlDocument, toYamlDocuments } from '../../synth/yaml.js';
import { defineCommand } from '../command.js';
import { readInputs } from '../inputs.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io, printDiagnostics } from '../io.js';
import { type OutputFile, writeFilesAtomic } from '../output.js';
import { loadInputs } from '../pipeline.js';
import { SUMMARIES } from './summaries.js';
import { graphRgds, readCrdDocuments, uniqueDiagnostics } from './validate.js';

/** The file `--layout stream` writes into the output directory. */
export const STREAM_FILE = 'manifests.yaml';
// What `--layout file-per-resource` writes: stale ones from an earlier run are removed.
const NUMBERED_FILE = /^\d{4,}-[-a-z0-9.]*\.yaml$/;

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function usage(io: Io, message: string): number {
  io.stderr(`kro-gen synth: ${message}\nRun 'kro-gen synth --help' for usage.\n`);
  return EXIT_USAGE;
}

/** `0001-deployment-web-app-1.yaml`: the index keeps the apply order in a directory listing. */
export function resourceFileName(index: number, width: number, object: JsonObject): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const meta = isMap(object.metadata) ? object.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const slug = `${kind}-${name}`
    .toLowerCase()
    .replace(/[^-a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${String(index).padStart(width, '0')}-${slug}.yaml`;
}

/** The files `--out` receives for `manifests` in `layout`. */
export function outputFiles(dir: string, layout: string, manifests: readonly SynthManifest[]): OutputFile[] {
  if (layout === 'stream') {
    return [{ path: join(dir, STREAM_FILE), content: toYamlDocuments(manifests.map((m) => m.object)) }];
  }
  const width = Math.max(4, String(manifests.length).length);
  return manifests.map((m, i) => ({
    path: join(dir, resourceFileName(i + 1, width, m.object)),
    content: toYamlDocument(m.object),
  }));
}

/** Removes files an earlier run wrote into `dir` that this run did not write again. */
async function removeStale(dir: string, kept: readonly OutputFile[], cwd: string): Promise<void> {
  const absolute = resolve(cwd, dir);
  const keep = new Set(kept.map((f) => resolve(cwd, f.path)));
  for (const name of await readdir(absolute)) {
    if (name !== STREAM_FILE && !NUMBERED_FILE.test(name)) continue;
    const path = join(absolute, name);
    if (!keep.has(path)) await unlink(path);
  }
}

async function write(io: Io, dir: string, files: readonly OutputFile[]): Promise<number> {
  try {
    await writeFilesAtomic(files, io.cwd);
    await removeStale(dir, files, io.cwd);
  } catch (e) {
    printDiagnostics(io, [
      error(`cannot write to ${dir}: ${e instanceof Error ? e.message : String(e)}`, undefined, 'io/write'),
    ]);
    return EXIT_INVALID;
  }
  return EXIT_OK;
}

/** Two documents of one RGD name: identical copies are one RGD, different ones a conflict. */
function distinctRgds(rgds: readonly Rgd[], diagnostics: Diagnostic[]): Rgd[] {
  const byName = new Map<string, Rgd>();
  const out: Rgd[] = [];
  for (const rgd of rgds) {
    const first = byName.get(rgd.name);
    if (!first) {
      byName.set(rgd.name, rgd);
      out.push(rgd);
      continue;
    }
    if (JSON.stringify(first.raw) !== JSON.stringify(rgd.raw)) {
      const p = first.loc.at(['metadata', 'name']);
      diagnostics.push(
        error(
          `RGD ${rgd.name} is defined twice, differently (first at ${p.file}:${p.line}:${p.col})`,
          rgd.loc.at(['metadata', 'name']),
          'synth/duplicate-rgd',
        ),
      );
    }
  }
  return out;
}

async function runApp(
  io: Io,
  app: string,
  mode: string,
  annotations: string,
  expandChained: boolean,
  out: string | undefined,
): Promise<number> {
  const tmp = await mkdtemp(join(tmpdir(), 'kro-gen-app-'));
  try {
    // tsx is resolved from kro-gen's own dependencies, so the app needs no loader of its own.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const code = await new Promise<number>((done) => {
      const child = spawn(process.execPath, ['--import', tsx, resolve(io.cwd, app)], {
        cwd: io.cwd,
        env: {
          ...io.env,
          CDK8S_OUTDIR: tmp,
          KRO_GEN_MODE: mode,
          KRO_GEN_ANNOTATIONS: annotations,
          KRO_GEN_EXPAND_CHAINED: String(expandChained),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // The app's own output is diagnostics, never manifests: keep stdout for the YAML.
      child.stdout.on('data', (d: Buffer) => io.stderr(d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => io.stderr(d.toString('utf8')));
      child.on('error', (e) => {
        io.stderr(`kro-gen synth: cannot run ${app}: ${e.message}\n`);
        done(-1);
      });
      child.on('close', (c) => done(c ?? -1));
    });
    if (code !== 0) {
      printDiagnostics(io, [
        error(`${app} failed (exit status ${code}); nothing was written`, undefined, 'synth/app'),
      ]);
      return EXIT_INVALID;
    }
    const names = (await readdir(tmp)).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
    const files: OutputFile[] = [];
    for (const name of names) files.push({ path: name, content: await readFile(join(tmp, name), 'utf8') });
    if (out === undefined) {
      io.stdout(files.map((f) => (f.content.endsWith('\n') ? f.content : `${f.content}\n`)).join('---\n'));
      return EXIT_OK;
    }
    try {
      await writeFilesAtomic(
        files.map((f) => ({ path: join(out, f.path), content: f.content })),
        io.cwd,
      );
    } catch (e) {
      printDiagnostics(io, [
        error(`cannot write to ${out}: ${e instanceof Error ? e.message : String(e)}`, undefined, 'io/write'),
      ]);
      return EXIT_INVALID;
    }
    return EXIT_OK;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Every YAML document of the given files, each with its locator. */
async function readDocuments(args: readonly string[], io: Io) {
  const inputs = await readInputs(args, io);
  const diagnostics: Diagnostic[] = [...inputs.diagnostics];
  const documents = [];
  for (const file of inputs.files) {
    const parsed = parseYamlFile(file, DEFAULT_YAML_LIMITS);
    diagnostics.push(...parsed.diagnostics);
    for (const doc of parsed.documents)
      if (doc.value !== undefined && doc.value !== null) documents.push(doc);
  }
  return { documents, diagnostics };
}

export const synthCommand = defineCommand({
  name: 'synth',
  summary: SUMMARIES.synth,
  args: '<rgd file|dir>... --instance <file|dir>...',
  description: [
    'Render instances of the ResourceGraphDefinitions found in the given files and directories.',
    '',
    '--mode expanded (default): every instance becomes the objects kro would create for it, with',
    "kro's semantics (schema defaults, includeWhen, forEach, namespace inheritance; references",
    'resolve against the rendered objects of their dependencies), in dependency order.',
    'A resource whose kind is the instance kind of another RGD given (a chained RGD) is replaced by',
    "that RGD's own resources, recursively, since no kro would expand it; --no-expand-chained emits",
    'the instance object instead, for clusters where kro runs for those kinds.',
    '--mode bundle: each RGD once, then the instance objects, for a cluster where kro runs.',
    '',
    'Objects are annotated for other deployers (--annotations): depends-on',
    '(config.kubernetes.io/depends-on, for kpt and cli-utils), argocd (argocd.argoproj.io/sync-wave),',
    'kapp (kapp.k14s.io/change-group and change-rule), or none.',
    '',
    'Without --out, one YAML stream goes to stdout. With --out, --layout stream writes',
    `<dir>/${STREAM_FILE}; --layout file-per-resource writes one numbered file per object`,
    '(0001-deployment-web-app-1.yaml) and removes numbered files of earlier runs. On any error',
    'nothing is written and the exit status is 1.',
    '',
    '--app <main.ts> runs a TypeScript cdk8s app instead (with tsx, as `cdk8s synth` would):',
    'CDK8S_OUTDIR points at a temporary directory, KRO_GEN_MODE carries --mode and',
    'KRO_GEN_ANNOTATIONS --annotations; the YAML files the app writes are printed in name order,',
    'or copied into --out.',
  ].join('\n'),
  options: {
    instance: {
      type: 'string',
      short: 'i',
      multiple: true,
      valueName: 'file|dir',
      description: 'instance objects to render (repeatable)',
    },
    mode: {
      type: 'string',
      short: 'm',
      choices: ['expanded', 'bundle'],
      default: 'expanded',
      description: 'render the instances, or bundle RGDs and instances for kro',
    },
    external: {
      type: 'string',
      multiple: true,
      valueName: 'file|dir',
      description: 'objects externalRef resources read (repeatable)',
    },
    crd: {
      type: 'string',
      multiple: true,
      valueName: 'file|dir',
      description: 'CustomResourceDefinitions of the kinds the RGDs use (repeatable)',
    },
    annotations: {
      type: 'string',
      valueName: 'list',
      default: 'depends-on,argocd',
      description: 'ordering annotations: comma list of depends-on, argocd, kapp; or none',
    },
    namespace: {
      type: 'string',
      short: 'n',
      valueName: 'ns',
      default: 'default',
      description: 'namespace of instances that name none',
    },
    out: { type: 'string', short: 'o', valueName: 'dir', description: 'write files into this directory' },
    layout: {
      type: 'string',
      choices: ['stream', 'file-per-resource'],
      default: 'stream',
      description: 'with --out: one file, or one numbered file per object',
    },
    omit: { type: 'boolean', description: "enable kro's CELOmitFunction feature gate (omit())" },
    'no-expand-chained': {
      type: 'boolean',
      description: 'expanded: emit instances of chained RGDs as objects for kro, not their resources',
    },
    app: { type: 'string', valueName: 'main.ts', description: 'run a TypeScript cdk8s app instead' },
  },
  async run({ options, positionals, io }) {
    const styles = parseAnnotationStyles(options.annotations);
    if (!styles.ok) {
      return usage(
        io,
        `invalid --annotations entry '${styles.bad}': expected depends-on, argocd, kapp or none`,
      );
    }
    if (options.app !== undefined) {
      if (positionals.length > 0 || options.instance.length > 0) {
        return usage(io, '--app takes no RGD files or --instance: the app builds its own objects');
      }
      return runApp(
        io,
        options.app,
        options.mode,
        styles.styles.join(',') || 'none',
        !options['no-expand-chained'],
        options.out,
      );
    }
    if (positionals.length === 0) return usage(io, 'missing argument: <rgd file|dir>...');
    if (options.mode === 'expanded' && options.instance.length === 0) {
      return usage(io, 'missing --instance: expanded mode renders instances');
    }

    const diagnostics: Diagnostic[] = [];
    const crdFiles = await readCrdDocuments(options.crd, io);
    const loaded = await loadInputs(positionals, io);
    diagnostics.push(...crdFiles.diagnostics, ...loaded.diagnostics);
    const rgds = distinctRgds(loaded.rgds, diagnostics);
    if (rgds.length === 0 && loaded.invalid.length === 0 && !hasErrors(diagnostics)) {
      diagnostics.push(
        error(`no ResourceGraphDefinition found in ${positionals.join(', ')}`, undefined, 'rgd/none'),
      );
    }
    // validate's graphRgds resolves chained kinds between the RGDs given; with the omit() gate the
    // graphs must be built with it too (the chained kinds then resolve from all RGDs given).
    const graphed = options.omit
      ? rgds.map((rgd) => ({ rgd, result: buildGraph(rgd, { crds: crdFiles.crds, rgds, omit: true }) }))
      : graphRgds(rgds, crdFiles.crds);
    for (const g of graphed) diagnostics.push(...g.result.diagnostics);

    // Instances: each document names its RGD through its apiVersion and kind.
    const byKind = new Map<string, (typeof graphed)[number][]>();
    for (const g of graphed) {
      const key = `${g.rgd.schema.group}/${g.rgd.schema.apiVersion}\u0000${g.rgd.schema.kind}`;
      byKind.set(key, [...(byKind.get(key) ?? []), g]);
    }
    const instanceDocs = await readDocuments(options.instance, io);
    diagnostics.push(...instanceDocs.diagnostics);
    const instances: SynthInstance[] = [];
    for (const doc of instanceDocs.documents) {
      const v = doc.value;
      if (!isMap(v)) {
        diagnostics.push(error('an instance must be an object', doc.loc.at([]), 'synth/instance'));
        continue;
      }
      if (v.apiVersion === 'kro.run/v1alpha1' && v.kind === 'ResourceGraphDefinition') continue;
      const matches = byKind.get(`${String(v.apiVersion)}\u0000${String(v.kind)}`) ?? [];
      if (matches.length !== 1) {
        diagnostics.push(
          error(
            matches.length === 0
              ? `no RGD given defines ${String(v.apiVersion)} ${String(v.kind)}`
              : `${matches.length} RGDs given define ${String(v.apiVersion)} ${String(v.kind)} (${matches.map((m) => m.rgd.name).join(', ')})`,
            doc.loc.at(['kind']),
            'synth/instance-kind',
          ),
        );
        continue;
      }
      const g = matches[0] as (typeof graphed)[number];
      instances.push({ rgd: g.rgd, graph: g.result.graph, object: v, loc: doc.loc });
    }
    const externalDocs = await readDocuments(options.external, io);
    diagnostics.push(...externalDocs.diagnostics);
    const externals = externalDocs.documents.map((d) => d.value).filter(isMap);

    if (!hasErrors(diagnostics)) {
      const result = synthesize(instances, {
        mode: options.mode === 'bundle' ? 'bundle' : 'expanded',
        annotations: styles.styles,
        externals,
        schemas: { crds: crdFiles.crds, rgds },
        graphs: new Map(graphed.map((g) => [g.rgd, g.result.graph])),
        expandChained: !options['no-expand-chained'],
        rgds,
        defaultNamespace: options.namespace,
        omit: options.omit,
      });
      diagnostics.push(...result.diagnostics);
      if (!hasErrors(diagnostics)) {
        printDiagnostics(io, sortDiagnostics(uniqueDiagnostics(diagnostics)));
        if (options.out === undefined) {
          io.stdout(toYamlDocuments(result.manifests.map((m) => m.object)));
          return EXIT_OK;
        }
        return write(io, options.out, outputFiles(options.out, options.layout, result.manifests));
      }
    }
    printDiagnostics(io, uniqueDiagnostics(diagnostics));
    return EXIT_INVALID;
  },
});

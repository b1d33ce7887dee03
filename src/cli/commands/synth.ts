// `kro-gen synth`: RGDs + instances -> ordered, annotated manifests (expanded mode, what kro would
// apply) or the controller bundle (RGDs, then instances, for a cluster running kro); or, with
// --app, run a TypeScript cdk8s app the way `cdk8s synth` does.
import { spawn } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import { DEFAULT_KRO_VERSION, KRO_RBAC_MODES, KRO_VERSIONS } from '../../deploy/kro-install.js';
import {
  type Diagnostic,
  error,
  hasErrors,
  quoted,
  shownName,
  sortDiagnostics,
  warning,
} from '../../diagnostics.js';
import { buildGraph } from '../../graph/build.js';
import { stringifyJson } from '../../json.js';
import type { JsonObject, JsonValue, Rgd } from '../../rgd/model.js';
import { DEFAULT_YAML_LIMITS, parseYamlFile, type SourceFile, type YamlDocument } from '../../rgd/yaml.js';
import { parseAnnotationStyles } from '../../synth/annotate.js';
import { type SynthInstance, type SynthManifest, synthesize } from '../../synth/synthesize.js';
import { toYamlDocument, toYamlDocuments } from '../../synth/yaml.js';
import { defineCommand } from '../command.js';
import { type Capped, readInputs, readRegularFile, STDIN_NAME } from '../inputs.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io, printDiagnostics } from '../io.js';
import { missingOptional, resolveOptional } from '../optional.js';
import { ensureDir, type OutputFile, writeFilesAtomic } from '../output.js';
import { loadInputs, missingRgdErrors } from '../pipeline.js';
import { noteInstances } from '../v8-tiering.js';
import { SUMMARIES } from './summaries.js';
import { graphRgds, readCrdDocuments, uniqueDiagnostics } from './validate.js';
import { bundleWithKro } from './with-kro.js';

/** The file `--layout stream` writes into the output directory. */
export const STREAM_FILE = 'manifests.yaml';
/**
 * The list of files synth wrote into an --out directory: the next run removes those it does not
 * write again, and nothing else (a user's own files in the directory are never touched).
 */
export const WRITTEN_LIST = '.kro-gen-files';
const WRITTEN_LIST_HEADER =
  '# Files kro-gen synth wrote here; the next `kro-gen synth --out` removes those it does not write again.';

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

/** Names an earlier run listed in `dir`'s WRITTEN_LIST: plain file names only, nothing else. */
async function previouslyWritten(dir: string): Promise<string[]> {
  let read: Capped;
  try {
    read = await readRegularFile(join(dir, WRITTEN_LIST), 1 << 20);
  } catch {
    return []; // no list: an earlier version of kro-gen or a directory of the user's; delete nothing
  }
  if (!('text' in read)) return [];
  return read.text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && line === basename(line) && line !== '..');
}

/**
 * Writes `files` into `dir` with the list of their names; then removes what the previous run's
 * list names and this run did not write again (regular files only). A run that renders nothing
 * leaves the directory with an empty list: an explicit empty result.
 */
async function write(io: Io, dir: string, files: readonly OutputFile[]): Promise<number> {
  const absolute = resolve(io.cwd, dir);
  try {
    ensureDir(absolute);
    const before = await previouslyWritten(absolute);
    const names = files.map((f) => basename(f.path));
    const list = {
      path: join(dir, WRITTEN_LIST),
      content: `${[WRITTEN_LIST_HEADER, ...names].join('\n')}\n`,
    };
    await writeFilesAtomic([...files, list], io.cwd);
    const kept = new Set(names);
    for (const name of before) {
      if (kept.has(name)) continue;
      const path = join(absolute, name);
      const info = await lstat(path).catch(() => undefined);
      if (info?.isFile()) await unlink(path);
    }
  } catch (e) {
    return writeFailure(io, dir, e);
  }
  return EXIT_OK;
}

function writeFailure(io: Io, dir: string, e: unknown): number {
  printDiagnostics(io, [
    error(`cannot write to ${dir}: ${e instanceof Error ? e.message : String(e)}`, undefined, 'io/write'),
  ]);
  return EXIT_INVALID;
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
    if (stringifyJson(first.raw) !== stringifyJson(rgd.raw)) {
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

/** What `synth --app` tells the app through its environment; unset entries leave the user's. */
export interface AppSettings {
  readonly mode?: string;
  readonly annotations?: string;
  readonly expandChained?: boolean;
}

/** The app's environment: the user's, plus CDK8S_OUTDIR and only the settings given as flags. */
export function appEnvironment(
  env: NodeJS.ProcessEnv,
  outdir: string,
  settings: AppSettings,
): NodeJS.ProcessEnv {
  return {
    ...env,
    CDK8S_OUTDIR: outdir,
    ...(settings.mode !== undefined ? { KRO_GEN_MODE: settings.mode } : {}),
    ...(settings.annotations !== undefined ? { KRO_GEN_ANNOTATIONS: settings.annotations } : {}),
    ...(settings.expandChained !== undefined
      ? { KRO_GEN_EXPAND_CHAINED: String(settings.expandChained) }
      : {}),
  };
}

function appFailure(io: Io, message: string): number {
  printDiagnostics(io, [error(message, undefined, 'synth/app')]);
  return EXIT_INVALID;
}

const describeError = (e: unknown): string => {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
};

async function runApp(io: Io, app: string, settings: AppSettings, out: string | undefined): Promise<number> {
  // Node would report a missing entry point with a stack trace of its module loader: check first.
  const entry = resolve(io.cwd, app);
  try {
    if (!(await stat(entry)).isFile()) return appFailure(io, `cannot run ${app}: not a file`);
  } catch (e) {
    return appFailure(io, `cannot run ${app}: ${describeError(e)}`);
  }
  // A compiled app runs as it is; TypeScript needs tsx, an optional peer dependency of kro-gen.
  const loader: string[] = [];
  if (!/\.[cm]?js$/.test(entry)) {
    const tsx = resolveOptional('tsx', io.cwd);
    if (tsx === undefined) return appFailure(io, missingOptional('tsx', `--app ${app}`));
    loader.push('--import', tsx);
  }
  let tmp: string | undefined;
  try {
    tmp = await mkdtemp(join(tmpdir(), 'kro-gen-app-'));
    const outdir = tmp;
    const ended = await new Promise<{ code: number | null; signal: string | null } | { failed: string }>(
      (done) => {
        const child = spawn(process.execPath, [...loader, entry], {
          cwd: io.cwd,
          env: appEnvironment(io.env, outdir, settings),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // The app's own output is diagnostics, never manifests: keep stdout for the YAML.
        child.stdout.on('data', (d: Buffer) => io.stderr(d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => io.stderr(d.toString('utf8')));
        child.on('error', (e) => done({ failed: describeError(e) }));
        child.on('close', (code, signal) => done({ code, signal }));
      },
    );
    if ('failed' in ended) return appFailure(io, `cannot run ${app}: ${ended.failed}`);
    if (ended.code !== 0) {
      const how = ended.signal ? `killed by ${ended.signal}` : `exit status ${ended.code}`;
      return appFailure(io, `${app} failed (${how}); nothing was written`);
    }
    // Recursive: FOLDER_PER_CHART_FILE_PER_RESOURCE writes a folder per chart. Sorted by path, the
    // order `kubectl apply -R -f` reads them in.
    const names = (await readdir(tmp, { recursive: true }))
      .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
      .map((n) => n.split(sep).join('/'))
      .sort();
    const files: OutputFile[] = [];
    for (const name of names) files.push({ path: name, content: await readFile(join(tmp, name), 'utf8') });
    if (files.length === 0) {
      printDiagnostics(io, [
        warning(`${app} wrote no YAML files (nothing called app.synth()?)`, undefined, 'synth/app-empty'),
      ]);
    }
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
      return writeFailure(io, out, e);
    }
    return EXIT_OK;
  } catch (e) {
    return appFailure(io, `cannot run ${app}: ${describeError(e)}`);
  } finally {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The YAML documents of one argument (`--instance`, `--external`), each with its locator. */
interface ArgDocuments {
  readonly arg: string;
  /** Unreadable, or a YAML error in one of its files: already reported. */
  readonly failed: boolean;
  readonly documents: YamlDocument[];
}

/** Every YAML document of the given files, per argument. */
export async function readDocuments(args: readonly string[], io: Io) {
  const inputs = await readInputs(args, io);
  const diagnostics: Diagnostic[] = [...inputs.diagnostics];
  const byFile = new Map<string, { documents: YamlDocument[]; bad: boolean }>();
  for (const file of inputs.files) {
    const parsed = parseYamlFile(file, DEFAULT_YAML_LIMITS);
    diagnostics.push(...parsed.diagnostics);
    byFile.set(file.path, {
      documents: parsed.documents.filter((d) => d.value !== undefined && d.value !== null),
      bad: hasErrors(parsed.diagnostics),
    });
  }
  const groups: ArgDocuments[] = inputs.args.map((input) => {
    const files = input.files.map((f) => byFile.get(f.path));
    return {
      arg: input.arg,
      failed: input.failed || files.some((f) => f?.bad),
      documents: files.flatMap((f) => f?.documents ?? []),
    };
  });
  // A file named twice (a directory and a file in it) is read once: its documents count once.
  const documents = [...byFile.values()].flatMap((f) => f.documents);
  return { documents, groups, diagnostics };
}

/** `apiVersion kind` of each document, distinct, in order, for messages. */
function kindsOf(documents: readonly YamlDocument[]): string {
  const kinds = [
    ...new Set(
      documents.map((d) =>
        isMap(d.value) ? `${String(d.value.apiVersion)} ${String(d.value.kind)}` : 'a non-object',
      ),
    ),
  ];
  return kinds.length > 5 ? `${kinds.slice(0, 5).join(', ')}, ...` : kinds.join(', ');
}

/**
 * Instances in a file of RGDs given as an RGD input are not rendered (only --instance files are): a
 * warning at each, unless the file is given with --instance as well.
 */
function instancesAmongRgds(
  rgdFiles: readonly SourceFile[],
  instanceDocs: readonly YamlDocument[],
  knownKinds: ReadonlyMap<string, unknown>,
  cwd: string,
): Diagnostic[] {
  const asInstances = new Set(instanceDocs.map((d) => resolve(cwd, d.loc.at([]).file)));
  const out: Diagnostic[] = [];
  for (const file of rgdFiles) {
    if (file.path === STDIN_NAME || asInstances.has(resolve(cwd, file.path))) continue;
    for (const doc of parseYamlFile(file, DEFAULT_YAML_LIMITS).documents) {
      const v = doc.value;
      if (!isMap(v) || !knownKinds.has(`${String(v.apiVersion)}\u0000${String(v.kind)}`)) continue;
      out.push(
        warning(
          `${String(v.kind)} ${isMap(v.metadata) ? String(v.metadata.name) : ''} is an instance in an RGD input: it is not rendered; pass ${file.path} with --instance too`,
          doc.loc.at(['kind']),
          'synth/instance-in-rgd-input',
        ),
      );
    }
  }
  return out;
}

/** A namespace name: a DNS-1123 label. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const synthCommand = defineCommand({
  name: 'synth',
  summary: SUMMARIES.synth,
  args: '<rgd file|dir>... [--instance <file|dir>]...',
  description: [
    'Render instances of the ResourceGraphDefinitions found in the given files and directories.',
    'Each --instance takes one file or directory; repeat it for more: --instance a.yaml --instance b.yaml',
    '(in `--instance a.yaml b.yaml`, b.yaml is an RGD input, and an error since it holds no RGD).',
    'Every input must be used: an RGD input without an RGD, an --instance path without an instance of',
    'the RGDs given, or an --external path without objects is an error.',
    '',
    '--mode expanded (default): every instance becomes the objects kro would create for it, with',
    "kro's semantics (schema defaults, includeWhen, forEach, namespace inheritance; references",
    'resolve against the rendered objects of their dependencies), in dependency order.',
    'A resource whose kind is the instance kind of another RGD given (a chained RGD) is replaced by',
    "that RGD's own resources, recursively, since no kro would expand it; --no-expand-chained emits",
    'the instance object instead, for clusters where kro runs for those kinds.',
    '--mode bundle: each RGD once, then the instance objects, for a cluster where kro runs.',
    "--with-kro puts kro's own install first (its CRDs, Namespace, ServiceAccount, RBAC and",
    "controller Deployment, rendered from kro's Helm chart at that version): a bundle for a cluster",
    'without kro. --kro-namespace, --kro-image, --kro-rbac or a --kro-values file (chart value names:',
    'namespace, image.repository, image.tag, image.digest, deployment.resources, rbac.mode) change it.',
    '',
    'Objects are annotated for other deployers (--annotations): depends-on',
    '(config.kubernetes.io/depends-on, for kpt and cli-utils), argocd (argocd.argoproj.io/sync-wave),',
    'kapp (kapp.k14s.io/change-group and change-rule), or none.',
    '',
    'Without --out, one YAML stream goes to stdout. With --out, --layout stream writes',
    `<dir>/${STREAM_FILE}; --layout file-per-resource writes one numbered file per object`,
    `(0001-deployment-web-app-1.yaml). Either way ${WRITTEN_LIST} in <dir> lists the files written,`,
    'and files an earlier run listed there that this run does not write are removed (no other file',
    'is ever deleted). On any error nothing is written and the exit status is 1.',
    '',
    '--app <main.ts> runs a TypeScript cdk8s app instead (with tsx, as `cdk8s synth` would):',
    'CDK8S_OUTDIR points at a temporary directory; --mode, --annotations and --no-expand-chained,',
    'when given, set KRO_GEN_MODE, KRO_GEN_ANNOTATIONS and KRO_GEN_EXPAND_CHAINED for the app; when',
    'not given, the app sees those variables as they are in your environment (flag > environment >',
    "the constructs' default). The YAML files the app writes (folders included) are printed in path",
    'order, or copied into --out. If the app fails, its stderr and one line saying so are printed, and',
    'the exit status is 1.',
  ].join('\n'),
  options: {
    instance: {
      type: 'string',
      short: 'i',
      multiple: true,
      valueName: 'file|dir',
      description: 'instance objects to render',
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
      description: 'objects externalRef resources read',
    },
    crd: {
      type: 'string',
      multiple: true,
      valueName: 'file|dir',
      description: 'CustomResourceDefinitions of the kinds the RGDs use',
    },
    annotations: {
      type: 'string',
      valueName: 'list',
      default: 'depends-on,argocd',
      description: 'ordering annotations: comma list of depends-on, argocd, kapp; or none, alone',
    },
    namespace: {
      type: 'string',
      short: 'n',
      valueName: 'ns',
      default: 'default',
      description: 'namespace of instances that name none',
    },
    out: { type: 'string', valueName: 'dir', description: 'write files into this directory' },
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
    'with-kro': {
      type: 'string',
      valueName: 'version',
      bareValue: DEFAULT_KRO_VERSION,
      choices: KRO_VERSIONS,
      description: `bundle: install kro itself first (default version ${DEFAULT_KRO_VERSION})`,
    },
    'kro-namespace': {
      type: 'string',
      valueName: 'ns',
      description: 'with --with-kro: the namespace kro runs in (default kro-system)',
    },
    'kro-image': { type: 'string', valueName: 'ref', description: "with --with-kro: kro's controller image" },
    'kro-rbac': {
      type: 'string',
      choices: KRO_RBAC_MODES,
      description: "with --with-kro: the chart's rbac.mode (default unrestricted)",
    },
    'kro-values': {
      type: 'string',
      valueName: 'file',
      description: "with --with-kro: kro's settings in Helm value names",
    },
  },
  async run({ options, given, positionals, io }) {
    const styles = parseAnnotationStyles(options.annotations);
    if (!styles.ok) {
      return usage(
        io,
        styles.bad === 'none'
          ? `invalid --annotations '${options.annotations}': none stands alone, it cannot be combined with other styles`
          : `invalid --annotations entry '${styles.bad}': expected depends-on, argocd, kapp or none`,
      );
    }
    if (options.app !== undefined) {
      // Everything that describes RGD inputs means nothing to an app: refuse it rather than ignore it.
      const ignored = (
        [
          'instance',
          'external',
          'crd',
          'namespace',
          'layout',
          'omit',
          'with-kro',
          'kro-namespace',
          'kro-image',
          'kro-rbac',
          'kro-values',
        ] as const
      )
        .filter((name) => given.has(name))
        .map((name) => `--${name}`);
      if (positionals.length > 0) ignored.unshift('RGD files');
      if (ignored.length > 0) {
        return usage(io, `--app takes no ${ignored.join(', ')}: the app builds its own objects`);
      }
      return runApp(
        io,
        options.app,
        {
          ...(given.has('mode') ? { mode: options.mode } : {}),
          ...(given.has('annotations') ? { annotations: styles.styles.join(',') || 'none' } : {}),
          ...(given.has('no-expand-chained') ? { expandChained: false } : {}),
        },
        options.out,
      );
    }
    if (positionals.length === 0) return usage(io, 'missing argument: <rgd file|dir>...');
    if (given.has('layout') && options.out === undefined) {
      return usage(io, '--layout needs --out: without it the output is one stream on stdout');
    }
    if (options.namespace.length > 63 || !DNS_LABEL.test(options.namespace)) {
      return usage(
        io,
        `invalid --namespace '${options.namespace}': a namespace is a DNS-1123 label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)`,
      );
    }
    const kroOnly = (['kro-namespace', 'kro-image', 'kro-rbac', 'kro-values'] as const).filter((n) =>
      given.has(n),
    );
    if (kroOnly.length > 0 && options['with-kro'] === undefined) {
      return usage(io, `--${kroOnly[0]} needs --with-kro`);
    }
    if (options['with-kro'] !== undefined && options.mode !== 'bundle') {
      return usage(io, '--with-kro needs --mode bundle: expanded output does not run kro');
    }
    if (options.mode === 'expanded' && options.instance.length === 0) {
      return usage(io, 'missing --instance: expanded mode renders instances');
    }

    const diagnostics: Diagnostic[] = [];
    const crdFiles = await readCrdDocuments(options.crd, io);
    const loaded = await loadInputs(positionals, io);
    diagnostics.push(...crdFiles.diagnostics, ...loaded.diagnostics);
    diagnostics.push(
      ...missingRgdErrors(loaded, { instances: 'pass it with --instance', crds: 'pass it with --crd' }),
    );
    const rgds = distinctRgds(loaded.rgds, diagnostics);
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
    noteInstances(instanceDocs.documents.length);
    diagnostics.push(...instanceDocs.diagnostics);
    const rgdFiles = new Set([...loaded.rgds, ...loaded.invalid].map((r) => r.file));
    diagnostics.push(
      ...instancesAmongRgds(
        loaded.files.filter((f) => rgdFiles.has(f.path)),
        instanceDocs.documents,
        byKind,
        io.cwd,
      ),
    );
    const instances: SynthInstance[] = [];
    const misplaced = new Set<YamlDocument>();
    for (const doc of instanceDocs.documents) {
      const v = doc.value;
      if (!isMap(v)) {
        diagnostics.push(error('an instance must be an object', doc.loc.at([]), 'synth/instance'));
        continue;
      }
      if (v.apiVersion === 'kro.run/v1alpha1' && v.kind === 'ResourceGraphDefinition') continue;
      const typeProblem = instanceTypeProblem(v);
      if (typeProblem) {
        misplaced.add(doc);
        diagnostics.push(
          error(typeProblem.message, doc.loc.at(typeProblem.at, typeProblem.part), 'synth/instance-kind'),
        );
        continue;
      }
      const matches = byKind.get(`${String(v.apiVersion)}\u0000${String(v.kind)}`) ?? [];
      if (matches.length !== 1) {
        misplaced.add(doc);
        diagnostics.push(
          error(
            matches.length === 0
              ? `no RGD given defines ${shownName(String(v.apiVersion))} ${shownName(String(v.kind))}`
              : `${matches.length} RGDs given define ${shownName(String(v.apiVersion))} ${shownName(String(v.kind))} (${matches.map((m) => m.rgd.name).join(', ')})`,
            doc.loc.at(['kind']),
            'synth/instance-kind',
          ),
        );
        continue;
      }
      const g = matches[0] as (typeof graphed)[number];
      instances.push({ rgd: g.rgd, graph: g.result.graph, object: v, loc: doc.loc });
    }
    // A path that gave no instance and no error of its own would otherwise be dropped unnoticed.
    const rendered = new Set(instances.map((i) => i.loc));
    for (const group of instanceDocs.groups) {
      if (group.failed || group.documents.some((d) => rendered.has(d.loc) || misplaced.has(d))) continue;
      diagnostics.push(
        error(
          group.documents.length === 0
            ? `no instance found in --instance ${group.arg}: it holds no YAML documents`
            : `no instance found in --instance ${group.arg}: it holds only ${kindsOf(group.documents)}`,
          undefined,
          'synth/no-instance',
        ),
      );
    }
    const externalDocs = await readDocuments(options.external, io);
    diagnostics.push(...externalDocs.diagnostics);
    for (const doc of externalDocs.documents) {
      if (!isMap(doc.value)) {
        diagnostics.push(error('an external object must be an object', doc.loc.at([]), 'synth/external'));
      }
    }
    for (const group of externalDocs.groups) {
      if (group.failed || group.documents.length > 0) continue;
      diagnostics.push(
        error(
          `no object found in --external ${group.arg}: it holds no YAML documents`,
          undefined,
          'synth/external',
        ),
      );
    }
    const externals = externalDocs.documents.map((d) => d.value).filter(isMap);
    const kroValues =
      options['kro-values'] !== undefined ? await readDocuments([options['kro-values']], io) : undefined;
    diagnostics.push(...(kroValues?.diagnostics ?? []));

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
      let manifests = result.manifests;
      if (!hasErrors(diagnostics) && options['with-kro'] !== undefined) {
        const withKro = bundleWithKro(
          manifests,
          {
            version: options['with-kro'],
            namespace: options['kro-namespace'],
            image: options['kro-image'],
            rbac: options['kro-rbac'],
            ...(kroValues && options['kro-values'] !== undefined
              ? { values: { documents: kroValues.documents, file: options['kro-values'] } }
              : {}),
          },
          styles.styles,
        );
        diagnostics.push(...withKro.diagnostics);
        manifests = withKro.manifests;
      }
      if (!hasErrors(diagnostics)) {
        printDiagnostics(io, sortDiagnostics(uniqueDiagnostics(diagnostics)));
        if (options.out === undefined) {
          io.stdout(toYamlDocuments(manifests.map((m) => m.object)));
          return EXIT_OK;
        }
        return write(io, options.out, outputFiles(options.out, options.layout, manifests));
      }
    }
    printDiagnostics(io, uniqueDiagnostics(diagnostics));
    return EXIT_INVALID;
  },
});

// An instance's apiVersion and kind name its RGD: both must be there, and be strings.
function instanceTypeProblem(
  v: Readonly<Record<string, unknown>>,
): { message: string; at: string[]; part: 'key' | 'value' } | undefined {
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = v[field];
    if (value === undefined || value === null) {
      return { message: `instance has no ${field}`, at: [], part: 'value' };
    }
    if (typeof value !== 'string') {
      return {
        message: `instance ${field} must be a string, not ${Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a map' : `${typeof value} ${quoted(value)}`}`,
        at: [field],
        part: 'value',
      };
    }
  }
  return undefined;
}

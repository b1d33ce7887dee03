// `kro-gen init`: the files of a cdk8s TypeScript app wired to kro-gen, as a plain list. Their text
// comes from templates/init/ (shipped with the package, read by the CLI); filling them in is pure.
// The layout is `cdk8s init typescript-app`'s (CommonJS, ts-node, jest + ts-jest) without its
// `imports: [k8s]`, which would download Kubernetes schemas: the app needs no network once installed.
import { generateConstructs } from '../codegen/generate.js';
import { fill, type Templates } from '../codegen/templates.js';
import { type Diagnostic, error } from '../diagnostics.js';
import { loadRgds } from '../rgd/load.js';
import { lookupBuiltinKind } from '../schema/k8s-builtin.js';
import { addWiring, type PackageVersions, type PackageWiring, parsePackageJson } from './package-json.js';

/** A template under templates/init/ and where it goes in the project. */
interface InitTemplate {
  readonly template: string;
  readonly path: string;
  /** Also written by `--into` (an existing project keeps its own app, tests and config). */
  readonly into: boolean;
}

export const RGDS_DIR = 'rgds';
export const IMPORTS_DIR = 'imports';
export const STARTER_RGD = `${RGDS_DIR}/web-service.yaml`;
export const PACKAGE_JSON = 'package.json';
const PACKAGE_TEMPLATE = 'package.json.tmpl';

const TEMPLATES: readonly InitTemplate[] = [
  { template: STARTER_RGD, path: STARTER_RGD, into: true },
  { template: 'workflow.yml.tmpl', path: '.github/workflows/kro-gen.yml', into: true },
  { template: 'main.ts.tmpl', path: 'main.ts', into: false },
  { template: 'main.test.ts.tmpl', path: 'main.test.ts', into: false },
  { template: 'cdk8s.yaml.tmpl', path: 'cdk8s.yaml', into: false },
  { template: 'tsconfig.json.tmpl', path: 'tsconfig.json', into: false },
  { template: 'jest.config.js.tmpl', path: 'jest.config.js', into: false },
  // npm leaves a file named .gitignore out of the package, so the template has another name.
  { template: 'gitignore.tmpl', path: '.gitignore', into: false },
];

/** Every file under templates/init/ that `kro-gen init` reads. */
export const INIT_TEMPLATE_FILES: readonly string[] = [...TEMPLATES.map((t) => t.template), PACKAGE_TEMPLATE];

export interface InitFile {
  /** Relative to the project directory, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

export interface InitOptions {
  /** The text of each of INIT_TEMPLATE_FILES. */
  readonly templates: Readonly<Record<string, string>>;
  /** The templates of generated modules (templates/*.ts.tmpl), for imports/. */
  readonly codegen: Templates;
  /** kro-gen's version, for the generated modules' headers. */
  readonly version: string;
  /** The ranges the project's package.json asks for. */
  readonly versions: PackageVersions;
  /** The project's name: package.json `name` and the chart's id. */
  readonly name: string;
  /** The existing project's package.json, for `--into`; absent for a new project. */
  readonly existingPackageJson?: string;
}

export interface InitPlan {
  /** Sorted by path. package.json is among them: new, or the existing one with the wiring added. */
  readonly files: readonly InitFile[];
  /** What `--into` changed in package.json, one line each (empty for a new project). */
  readonly packageChanges: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A package.json `name`: lower case, and only the characters npm allows. */
export function packageName(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'cdk8s-app' : name.slice(0, 214);
}

function template(options: InitOptions, name: string): string {
  const text = options.templates[name];
  if (text === undefined) throw new Error(`kro-gen init: template ${name} was not read`);
  return text;
}

/**
 * imports/ as `kro-gen generate rgds --out imports` writes it, so the app compiles at once and the
 * CI drift check passes on the first commit.
 */
function importsFor(rgdText: string, options: InitOptions): { files: InitFile[]; diagnostics: Diagnostic[] } {
  const loaded = loadRgds([{ path: STARTER_RGD, text: rgdText }]);
  const generated = generateConstructs(loaded.rgds, {
    templates: options.codegen,
    version: options.version,
    // Relative to imports/, as `generate` records it.
    sourceName: (rgd) => `../${rgd.file}`,
    graphContext: { builtin: lookupBuiltinKind },
    // The project is CommonJS (cdk8s init's layout): what `generate --module auto` picks there.
    moduleFormat: 'commonjs',
  });
  return {
    files: generated.files.map((f) => ({ path: `${IMPORTS_DIR}/${f.path}`, content: f.content })),
    diagnostics: [...loaded.diagnostics, ...generated.diagnostics],
  };
}

/** The files `kro-gen init` writes: a new project, or (with existingPackageJson) the `--into` wiring. */
export function planInit(options: InitOptions): InitPlan {
  const into = options.existingPackageJson !== undefined;
  const values = { name: options.name };
  const files: InitFile[] = TEMPLATES.filter((t) => !into || t.into).map((t) => ({
    path: t.path,
    content: fill(template(options, t.template), values),
  }));
  const imports = importsFor(template(options, STARTER_RGD), options);
  files.push(...imports.files);
  const diagnostics = [...imports.diagnostics];

  const wanted = parsePackageJson(
    fill(template(options, PACKAGE_TEMPLATE), {
      name: options.name,
      cdkRange: options.versions.cdk8s,
      constructsRange: options.versions.constructs,
      kroGenRange: options.versions.kroGen,
    }),
    PACKAGE_TEMPLATE,
  );
  if (!wanted.ok) throw new Error(`kro-gen init: ${wanted.message}`);
  let packageChanges: readonly string[] = [];
  if (options.existingPackageJson === undefined) {
    files.push({ path: PACKAGE_JSON, content: `${JSON.stringify(wanted.value, null, 2)}\n` });
  } else {
    const wired = addWiring(options.existingPackageJson, wiringOf(wanted.value));
    if (wired.ok) {
      files.push({ path: PACKAGE_JSON, content: wired.text });
      packageChanges = wired.changes;
    } else {
      diagnostics.push(
        error(wired.message, { file: PACKAGE_JSON, line: wired.line, col: wired.col }, 'init/package-json'),
      );
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, packageChanges, diagnostics };
}

/** What `--into` takes from the new project's package.json: the gen script and the runtime dependencies. */
function wiringOf(pkg: { readonly [key: string]: unknown }): PackageWiring {
  const scripts = pkg['scripts'] as Record<string, string>;
  const dependencies = pkg['dependencies'] as Record<string, string>;
  return { genScript: scripts['gen']!, dependencies };
}

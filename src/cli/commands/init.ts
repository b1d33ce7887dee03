// `kro-gen init [DIR]`: a new cdk8s TypeScript app wired to kro-gen, or (--into) the same wiring
// added to an existing cdk8s project. src/init decides the files; this module reads the templates,
// refuses to overwrite anything, and writes all of the files or none.
import { readdir, readFile, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chooseModuleFormat } from '../../codegen/module-format.js';
import { type Diagnostic, error, hasErrors } from '../../diagnostics.js';
import {
  IMPORTS_DIR,
  INIT_TEMPLATE_FILES,
  type InitFile,
  PACKAGE_JSON,
  packageName,
  planInit,
} from '../../init/files.js';
import type { PackageVersions } from '../../init/package-json.js';
import { ownPackageJson, packagePath } from '../../package-root.js';
import { defineCommand } from '../command.js';
import { EXIT_INVALID, EXIT_OK, printDiagnostics } from '../io.js';
import { writeFilesAtomic } from '../output.js';
import { projectModuleSettings } from '../project.js';
import { version } from '../run.js';
import { readIfExists, readTemplates, shellWord } from './generate.js';
import { SUMMARIES } from './summaries.js';

/** templates/init/ of the package. */
const INIT_TEMPLATES_DIR = pathToFileURL(`${packagePath('templates', 'init')}/`);

async function readInitTemplates(): Promise<Record<string, string>> {
  const entries = await Promise.all(
    INIT_TEMPLATE_FILES.map(async (name) => [
      name,
      await readFile(new URL(name, INIT_TEMPLATES_DIR), 'utf8'),
    ]),
  );
  return Object.fromEntries(entries);
}

/**
 * The ranges a kro-gen app asks for: cdk8s and constructs as kro-gen is developed and tested with
 * (its devDependencies, within the range it accepts), and this kro-gen.
 */
async function ownVersions(): Promise<PackageVersions> {
  const pkg = ownPackageJson();
  const range = (name: string) => {
    const r = pkg.devDependencies?.[name] ?? pkg.peerDependencies?.[name] ?? pkg.dependencies?.[name];
    if (r === undefined) throw new Error(`kro-gen's package.json does not name ${name}`);
    return r;
  };
  return { cdk8s: range('cdk8s'), constructs: range('constructs'), kroGen: `^${pkg.version}` };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** What stops a new project from going into `dir`; undefined when it is missing or empty. */
async function notEmpty(dir: string, shown: string): Promise<string | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isDirectory()) return `${shown} is not a directory`;
  // A fresh `git init` is still an empty project.
  const entries = (await readdir(dir)).filter((e) => e !== '.git');
  if (entries.length === 0) return undefined;
  return `${shown} is not empty; to add kro-gen to the cdk8s project there, run: kro-gen init --into ${shown}`;
}

/** The directories writing `files` under `dir` would create, deepest first, to remove if writing fails. */
async function missingDirs(dir: string, files: readonly InitFile[]): Promise<string[]> {
  const dirs = new Set<string>();
  for (const f of files) {
    for (let d = dirname(join(dir, f.path)); ; d = dirname(d)) {
      dirs.add(d);
      if (d === dir || dirname(d) === d) break;
    }
  }
  const missing: string[] = [];
  for (const d of dirs) if (!(await exists(d))) missing.push(d);
  return missing.sort((a, b) => b.length - a.length);
}

export const initCommand = defineCommand({
  name: 'init',
  summary: SUMMARIES.init,
  args: '[DIR]',
  description: [
    'Create a cdk8s TypeScript app wired to kro-gen in DIR (default: the current directory), which',
    'must be empty or missing: the layout of `cdk8s init typescript-app` (CommonJS, ts-node, jest with',
    'ts-jest), plus a starter RGD in rgds/, the constructs generated from it in imports/, a main.ts',
    'that uses them, a jest test with Testing.synth, npm scripts that regenerate imports/ before',
    '`synth` and `test`, and a CI workflow (.github/workflows/kro-gen.yml) that runs',
    '`kro-gen generate --verify` and `cdk8s synth`. Then: npm install, npm test, npm run synth.',
    '',
    'With --into, DIR is an existing cdk8s project: only rgds/, imports/ and the workflow are added,',
    'and in package.json a `gen` script, `synth` and `test` running it first, and the cdk8s,',
    'constructs and kro-gen dependencies it lacks. Its own files stay as they are.',
    '',
    'Nothing is overwritten: if a file init would create exists, it stops and writes nothing.',
    'No network is needed beyond npm install (no `cdk8s import`).',
  ].join('\n'),
  options: {
    into: {
      type: 'boolean',
      description: 'add kro-gen to the existing cdk8s project in DIR instead of creating one',
    },
  },
  maxPositionals: 1,
  async run({ options, positionals, io }) {
    const shown = positionals[0] ?? '.';
    const dir = resolve(io.cwd, shown);
    const fail = (diagnostics: readonly Diagnostic[]) => {
      printDiagnostics(io, diagnostics);
      return EXIT_INVALID;
    };

    let existingPackageJson: string | undefined;
    if (options.into) {
      existingPackageJson = readIfExists(join(dir, PACKAGE_JSON));
      if (existingPackageJson === undefined) {
        return fail([
          error(
            `${join(shown, PACKAGE_JSON)} not found: --into adds kro-gen to an existing cdk8s project; for a new one, run kro-gen init on an empty directory`,
            undefined,
            'init/no-project',
          ),
        ]);
      }
    } else {
      const why = await notEmpty(dir, shown);
      if (why !== undefined) return fail([error(why, undefined, 'init/not-empty')]);
    }

    const [templates, codegen, versions] = await Promise.all([
      readInitTemplates(),
      readTemplates(),
      ownVersions(),
    ]);
    // imports/ as the project's `gen` script (generate --module auto) will write it.
    const moduleFormat =
      existingPackageJson === undefined
        ? 'commonjs'
        : chooseModuleFormat(projectModuleSettings(join(dir, IMPORTS_DIR)).settings).format;
    const plan = planInit({
      templates,
      moduleFormat,
      codegen,
      version: version(),
      versions,
      name: packageName(basename(dir)),
      ...(existingPackageJson !== undefined ? { existingPackageJson } : {}),
    });
    // Positions in package.json, as the user would name the file.
    const diagnostics = plan.diagnostics.map((d) =>
      d.pos?.file === PACKAGE_JSON ? { ...d, pos: { ...d.pos, file: join(shown, PACKAGE_JSON) } } : d,
    );
    if (hasErrors(diagnostics)) return fail(diagnostics);

    const taken: Diagnostic[] = [];
    for (const f of plan.files) {
      if (f.path === PACKAGE_JSON && options.into) continue;
      if (await exists(join(dir, f.path))) {
        taken.push(
          error(
            `${join(shown, f.path)} exists; kro-gen init does not overwrite files`,
            undefined,
            'init/exists',
          ),
        );
      }
    }
    if (taken.length > 0) return fail(taken);

    const created = await missingDirs(dir, plan.files);
    try {
      await writeFilesAtomic(
        plan.files.map((f) => ({ path: join(dir, f.path), content: f.content })),
        io.cwd,
      );
    } catch (e) {
      for (const d of created) await rmdir(d).catch(() => undefined);
      return fail([
        error(
          `cannot write to ${shown}: ${e instanceof Error ? e.message : String(e)}`,
          undefined,
          'io/write',
        ),
      ]);
    }

    const lines = plan.files
      .filter((f) => f.path !== PACKAGE_JSON || !options.into)
      .map((f) => `created ${join(shown, f.path)}`);
    for (const change of plan.packageChanges) lines.push(`${join(shown, PACKAGE_JSON)}: ${change}`);
    const cd = relative(io.cwd, dir) === '' ? '' : `cd ${shellWord(shown)} && `;
    lines.push(
      '',
      options.into
        ? `Next: ${cd}npm install, then import the constructs from ./imports in your charts; npm run gen regenerates them from rgds/.`
        : `Next: ${cd}npm install && npm test && npm run synth`,
    );
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
});

// Which relative import specifiers the generated barrel (index.ts) uses. No single spelling works in
// every project: Node's ESM loader needs the file extension (`./app.js`), while CommonJS tooling that
// runs TypeScript directly (ts-node, ts-jest) cannot map `./app.js` to `app.ts` and needs `./app`.
// The generated modules themselves import only `kro-gen/runtime`, which resolves in both.

export const MODULE_FORMATS = ['commonjs', 'esm'] as const;
export type ModuleFormat = (typeof MODULE_FORMATS)[number];

/** The settings of the project the modules are generated into that decide their format. */
export interface ProjectModuleSettings {
  /** `type` of the nearest package.json (`module`, `commonjs` or absent). */
  readonly packageType?: string | undefined;
  /** `compilerOptions.module` of the nearest tsconfig.json (after `extends`), any case. */
  readonly tsModule?: string | undefined;
  /** `compilerOptions.moduleResolution` of that tsconfig.json, any case. */
  readonly tsModuleResolution?: string | undefined;
}

export interface ModuleFormatChoice {
  readonly format: ModuleFormat;
  /** Why, in a few words, for the CLI's report. */
  readonly reason: string;
}

const ES_MODULE_KINDS = new Set(['es6', 'es2015', 'es2020', 'es2022', 'esnext']);

/** The format `--module auto` picks for a project with these settings. */
export function chooseModuleFormat(project: ProjectModuleSettings): ModuleFormatChoice {
  if (project.packageType === 'module') return { format: 'esm', reason: 'package.json has "type": "module"' };
  const mod = project.tsModule?.toLowerCase();
  const resolution =
    project.tsModuleResolution?.toLowerCase() ?? (mod === 'preserve' ? 'bundler' : undefined);
  // tsc emits ES modules that Node runs as such (no bundler to resolve extensionless paths).
  if (mod !== undefined && ES_MODULE_KINDS.has(mod) && resolution !== 'bundler') {
    return { format: 'esm', reason: `tsconfig.json has "module": "${project.tsModule}"` };
  }
  // node16/nodenext in a package without "type": "module", commonjs, a bundler, or no settings at
  // all: .ts files are CommonJS (or bundled), where extensionless paths resolve.
  return {
    format: 'commonjs',
    reason:
      project.packageType === undefined && mod === undefined
        ? 'no "type": "module" in package.json and no ES module setting in tsconfig.json'
        : `package.json type ${project.packageType ?? '(none)'}, tsconfig.json module ${project.tsModule ?? '(none)'}`,
  };
}

/** The specifier the barrel re-exports the module file `file` (e.g. `app.ts`) with. */
export function relativeSpecifier(file: string, format: ModuleFormat): string {
  const base = file.replace(/\.ts$/, '');
  return format === 'esm' ? `./${base}.js` : `./${base}`;
}

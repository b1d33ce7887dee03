// What `kro-gen init --into` changes in an existing project's package.json: a `gen` script, `synth`
// and `test` regenerating first, and the dependencies the generated modules import. Nothing else in
// the file changes: key order and indentation stay as they were.

/** Ranges for the dependencies every kro-gen app has. */
export interface PackageVersions {
  readonly cdk8s: string;
  readonly constructs: string;
  readonly kroGen: string;
}

export interface PackageWiring {
  /** The command of the `gen` script. */
  readonly genScript: string;
  /** Runtime dependencies, added where the project has none of that name. */
  readonly dependencies: Readonly<Record<string, string>>;
}

type JsonMap = { [key: string]: unknown };

interface Failure {
  readonly ok: false;
  readonly message: string;
  readonly line: number;
  readonly col: number;
}

const GEN = 'npm run gen';
/** Scripts that regenerate imports/ before they run. */
const REGENERATE_BEFORE = ['synth', 'test'] as const;
/** What `synth` runs when the project has no such script. */
const DEFAULT_SYNTH = 'cdk8s synth';
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies'] as const;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function failure(message: string, line = 1, col = 1): Failure {
  return { ok: false, message, line, col };
}

/** Line and column of a character offset. */
function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

/** package.json text as an object, or where it is not one. */
export function parsePackageJson(text: string, file: string): { ok: true; value: JsonMap } | Failure {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(message);
    const pos = at ? positionOf(text, Number(at[1])) : { line: 1, col: 1 };
    return failure(`${file} is not valid JSON: ${message.split('\n')[0]}`, pos.line, pos.col);
  }
  if (!isMap(value)) return failure(`${file} does not hold a JSON object`);
  for (const field of ['scripts', ...DEPENDENCY_FIELDS]) {
    if (value[field] !== undefined && !isMap(value[field]))
      return failure(`${file}: "${field}" is not an object`);
  }
  return { ok: true, value };
}

/** The indentation the file uses, so the rewritten file differs only where something was added. */
function indentOf(text: string): string {
  return /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
}

/**
 * The project's package.json with the wiring added, and one line per change. A `gen` script that
 * runs something else is an error: init would replace what the project relies on.
 */
export function addWiring(
  text: string,
  wiring: PackageWiring,
): { ok: true; text: string; changes: string[] } | Failure {
  const parsed = parsePackageJson(text, 'package.json');
  if (!parsed.ok) return parsed;
  const pkg = parsed.value;
  const changes: string[] = [];
  const scripts: JsonMap = isMap(pkg['scripts']) ? pkg['scripts'] : {};

  const gen = scripts['gen'];
  if (gen === undefined) {
    scripts['gen'] = wiring.genScript;
    changes.push(`scripts.gen: added "${wiring.genScript}"`);
  } else if (gen !== wiring.genScript) {
    const at = positionOf(text, Math.max(0, text.indexOf('"gen"')));
    return failure(
      `package.json already has a "gen" script (${JSON.stringify(gen)}); rename it, or add what kro-gen init --into does by hand (docs/app-guide.md)`,
      at.line,
      at.col,
    );
  }
  for (const name of REGENERATE_BEFORE) {
    const current = scripts[name];
    // Without a test script there is no test runner to regenerate for; without synth, cdk8s' own.
    if (current === undefined && name === 'test') continue;
    const command = typeof current === 'string' ? current : DEFAULT_SYNTH;
    if (command.startsWith(`${GEN} && `)) continue;
    scripts[name] = `${GEN} && ${command}`;
    changes.push(
      current === undefined
        ? `scripts.${name}: added "${scripts[name]}"`
        : `scripts.${name}: "${command}" -> "${scripts[name]}"`,
    );
  }
  pkg['scripts'] = scripts;

  const has = (name: string) => DEPENDENCY_FIELDS.some((f) => isMap(pkg[f]) && pkg[f][name] !== undefined);
  const dependencies: JsonMap = isMap(pkg['dependencies']) ? pkg['dependencies'] : {};
  for (const [name, range] of Object.entries(wiring.dependencies)) {
    if (has(name)) continue;
    dependencies[name] = range;
    changes.push(`dependencies.${name}: added "${range}"`);
  }
  // In name order, as npm writes them.
  if (Object.keys(dependencies).length > 0) {
    pkg['dependencies'] = Object.fromEntries(
      Object.entries(dependencies).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }

  const newline = text.endsWith('\n') ? '\n' : '';
  return { ok: true, text: `${JSON.stringify(pkg, null, indentOf(text))}${newline}`, changes };
}

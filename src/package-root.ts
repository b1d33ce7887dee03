// Where kro-gen's own files are: package.json, data/, templates/ and the code itself (src/ under
// tsx and vitest, dist/ when built). Found once by walking up from this module to kro-gen's
// package.json, so the answer does not depend on how deep the running module sits: src/x.ts,
// dist/x.js, the CommonJS bundle in dist/cjs and the CLI bundle in dist/cli all find the same root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'kro-gen';

/** The parts of kro-gen's package.json that kro-gen reads about itself. */
export interface OwnPackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

interface Located {
  readonly root: string;
  /** The top directory of the package this module sits in: src or dist. */
  readonly code: string;
  readonly manifest: OwnPackageJson;
}

let found: Located | undefined;

function locate(): Located {
  if (found) return found;
  const self = fileURLToPath(import.meta.url);
  for (let dir = dirname(self); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const manifest = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as OwnPackageJson)
      : undefined;
    if (manifest?.name === PACKAGE_NAME) {
      found = { root: dir, code: join(dir, relative(dir, self).split(sep)[0] ?? ''), manifest };
      return found;
    }
    if (dirname(dir) === dir) throw new Error(`kro-gen: no package.json of ${PACKAGE_NAME} above ${self}`);
  }
}

/** A path inside kro-gen's package: `packagePath('data', 'kro', 'v0.9.3.json')`. */
export function packagePath(...segments: string[]): string {
  return join(locate().root, ...segments);
}

/** A path inside the directory of the running code (src under tsx and vitest, dist when built). */
export function codePath(...segments: string[]): string {
  return join(locate().code, ...segments);
}

/** kro-gen's own package.json. */
export function ownPackageJson(): OwnPackageJson {
  return locate().manifest;
}

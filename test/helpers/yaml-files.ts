// The repository's YAML files, for tests that run over all of them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The `.yaml` and `.yml` files under each of `dirs` (relative to the repository's root), sorted per
 * directory; `node_modules` and dot-named entries (build caches such as `.cache`) are skipped.
 */
export function yamlFilesUnder(...dirs: string[]): string[] {
  return dirs.flatMap((d) => yamlFiles(join(REPO_ROOT, d)));
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out.sort();
}

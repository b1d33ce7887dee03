// Optional peer dependencies: packages only one option needs (ts-morph for `generate --typecheck`,
// tsx for `synth --app <main.ts>`), which `npm install kro-gen` therefore does not install. They are
// looked up when the option is used, next to kro-gen first and then in the project of the current
// directory (kro-gen run through npx from elsewhere), and a missing one is a one-line error.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ownPackageJson, packagePath } from '../package-root.js';
import { requireFrom } from './require-from.js';

/** The range kro-gen declares for an optional peer, as package.json says. */
function peerRange(name: string): string {
  return ownPackageJson().peerDependencies?.[name] ?? 'latest';
}

/** The file URL `name` resolves to, or undefined when neither kro-gen nor the project has it. */
export function resolveOptional(name: string, cwd: string): string | undefined {
  for (const from of [packagePath('package.json'), join(cwd, 'package.json')]) {
    try {
      return pathToFileURL(requireFrom(from).resolve(name)).href;
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

/** What to tell the user when `name` is missing: what needs it and the command that adds it. */
export function missingOptional(name: string, usedBy: string): string {
  return `${usedBy} needs ${name}, an optional peer dependency of kro-gen: install it with 'npm install --save-dev ${name}@${peerRange(name)}'`;
}

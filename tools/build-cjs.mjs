// The CommonJS build of the library entry points (`kro-gen`, `kro-gen/runtime`), for projects that
// `require` them: cdk8s init's CommonJS apps under ts-node, and jest, which cannot load ESM from
// node_modules. Run after tsc has written the ESM build: node tools/build-cjs.mjs [distDir].
//
// - One bundle, <dist>/cjs/kro-gen.js, holds both entry points, so a project that requires both
//   shares one copy of the code; <dist>/cjs/index.js and runtime.js pick their half of it.
// - Packages with a CommonJS build of their own (cdk8s, constructs, yaml, re2js) stay external: one
//   copy of cdk8s and constructs in the user's tree, as peer dependencies must. Only ESM-only
//   dependencies (@marcbachmann/cel-js) are bundled in, since jest cannot require them.
// - The declarations are copied next to it, under a package.json saying "commonjs", so TypeScript
//   types `require('kro-gen/runtime')` as a CommonJS module (node16/nodenext resolution insists).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const out = join(dist, 'cjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Everything with a require-able build of its own stays a require() of the user's copy.
const ESM_ONLY = new Set(['@marcbachmann/cel-js']);
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].filter(
  (name) => !ESM_ONLY.has(name),
);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  stdin: {
    contents: "export * as api from './index.js';\nexport * as runtime from './runtime/index.js';\n",
    resolveDir: dist,
    sourcefile: 'kro-gen-cjs-entry.js',
  },
  outfile: join(out, 'kro-gen.js'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  // The dist directory may be a staging copy outside the repository (test/e2e/pack).
  nodePaths: [join(root, 'node_modules')],
  // k8s-builtin.ts finds its data file relative to its own module: the bundle sits as deep in the
  // package (dist/cjs) as the ESM module does (dist/schema), so the same relative path holds.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'inline',
  logLevel: 'warning',
});

writeFileSync(join(out, 'package.json'), '{\n  "type": "commonjs"\n}\n');
writeFileSync(join(out, 'index.js'), "'use strict';\nmodule.exports = require('./kro-gen.js').api;\n");
writeFileSync(join(out, 'runtime.js'), "'use strict';\nmodule.exports = require('./kro-gen.js').runtime;\n");

// The declarations of everything but the CLI (an ESM program with no types to offer).
function copyDeclarations(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(dist, path);
    if (rel === 'cjs' || rel === 'cli') continue;
    if (statSync(path).isDirectory()) copyDeclarations(path);
    else if (name.endsWith('.d.ts')) {
      mkdirSync(dirname(join(out, rel)), { recursive: true });
      cpSync(path, join(out, rel));
    }
  }
}
copyDeclarations(dist);

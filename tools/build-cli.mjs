// The `kro-gen` binary as a bundle: dist/bin/kro-gen.js plus one chunk per lazily loaded command
// (dist/bin/chunks), made from the ESM build tsc wrote. Run after tsc: node tools/build-cli.mjs [distDir].
//
// Why: the CLI is a short-lived process run many times (editors, CI, pre-commit hooks), and
// resolving and compiling some 200 modules one by one was most of its start-up (docs/performance.md).
// One file per command reads and compiles in a fraction of that. The library entry points
// (dist/index.js, dist/runtime) stay unbundled; the commands still find templates/, data/ and
// package.json through src/package-root.ts, which does not care how deep the bundle sits.
//
// - Runtime dependencies (yaml, cel-js, re2js) are bundled in: loading them is part of start-up too.
// - Peer dependencies (cdk8s, constructs, ts-morph, tsx) stay external: they are the user's copies,
//   loaded only by the options that need them. So does the language server's protocol library,
//   loaded only by `kro-gen lsp`, a long-running process.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const out = join(dist, 'bin');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const external = [
  ...Object.keys(pkg.peerDependencies ?? {}),
  'vscode-languageserver',
  'vscode-languageserver-textdocument',
];

rmSync(out, { recursive: true, force: true });

await build({
  entryPoints: { 'kro-gen': join(dist, 'cli', 'main.js') },
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  // Each command's dynamic import() becomes its own chunk, loaded only when that command runs.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // The dist directory may be a staging copy outside the repository (test/e2e/pack).
  nodePaths: [join(root, 'node_modules')],
  // Bundled CommonJS dependencies (yaml) require() Node's built-ins; an ES module has no require.
  banner: {
    js: "import { createRequire as kroGenCreateRequire } from 'node:module';\nconst require = kroGenCreateRequire(import.meta.url);",
  },
  legalComments: 'inline',
  logLevel: 'warning',
});

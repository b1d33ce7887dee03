// The `kro-gen` binary: dist/bin/kro-gen.js, a small launcher, and dist/bin/cli.cjs, the whole CLI as
// one CommonJS bundle, made from the ESM build tsc wrote. Run after tsc: node tools/build-cli.mjs [distDir].
//
// Why: the CLI is a short-lived process run many times (editors, CI, pre-commit hooks), and
// resolving and compiling some 200 modules one by one was most of its start-up (docs/performance.md).
// One bundle reads and compiles in a fraction of that, and the launcher (src/cli/compile-cache.ts)
// keeps V8's code cache of it per user, so later runs skip most of the compiling. CommonJS because
// Node 20 can give a code cache only to a script it compiles with vm.Script, not to an ES module;
// one file because esbuild splits only ES modules into chunks. Commands are still loaded lazily:
// esbuild turns each command's import() into a function that runs the command's modules on first use.
// The library entry points (dist/index.js, dist/runtime, dist/cjs) stay as they are.
//
// - Runtime dependencies (yaml, cel-js, re2js) are bundled in: loading them is part of start-up too.
// - Peer dependencies (cdk8s, constructs, ts-morph, tsx) stay external: they are the user's copies,
//   loaded only by the options that need them. So does the language server's protocol library,
//   loaded only by `kro-gen lsp`, a long-running process.
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(process.argv[2] ?? join(root, 'dist'));
const { wrapForLauncher } = await import(pathToFileURL(join(dist, 'cli', 'compile-cache.js')).href);
const out = join(dist, 'bin');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const external = [
  ...Object.keys(pkg.peerDependencies ?? {}),
  'vscode-languageserver',
  'vscode-languageserver-textdocument',
];

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The dist directory may be a staging copy outside the repository (test/e2e/pack).
  nodePaths: [join(root, 'node_modules')],
  legalComments: 'inline',
  logLevel: 'warning',
  // src/package-root.ts finds kro-gen's files from its own module's URL: the bundle's.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "var importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

rmSync(out, { recursive: true, force: true });

const bundle = join(out, 'cli.cjs');
await build({
  ...common,
  entryPoints: [join(dist, 'cli', 'process-main.js')],
  outfile: bundle,
  external,
});

// ASCII only, so the launcher can read it as latin1, which is cheaper than decoding UTF-8 (esbuild
// escapes strings, not the characters of regular expression literals such as /µs/). \uXXXX means
// the same UTF-16 code unit in a string, a regular expression, a template or a comment.
// The launcher compiles the file's text as it reads it: wrapped as wrapForLauncher says why.
const text = readFileSync(bundle, 'utf8');
writeFileSync(
  bundle,
  wrapForLauncher(
    text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ),
);

// The code cache is keyed by the bundle's content: V8 itself recognizes a source only by its length.
const bundleId = createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 16);
await build({
  ...common,
  stdin: {
    contents: `import { launchCli } from './cli/compile-cache.js';\nlaunchCli(require('node:path').join(__dirname, 'cli.cjs'), ${JSON.stringify(bundleId)});\n`,
    resolveDir: dist,
    sourcefile: 'kro-gen-launcher.js',
  },
  outfile: join(out, 'kro-gen.js'),
  // The launcher answers `--version` and `--help` itself (src/cli/usage.ts), from kro-gen's package.json.
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
chmodSync(join(out, 'kro-gen.js'), 0o755);
// The package is "type": "module"; the launcher, named as package.json `bin` has always named it, is CommonJS.
writeFileSync(join(out, 'package.json'), '{\n  "type": "commonjs"\n}\n');

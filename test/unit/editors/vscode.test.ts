// editors/vscode: which kro-gen the extension starts, and its .vsix as @vscode/vsce builds it
// (packaged, never published). The extension's runtime dependencies install offline from the npm
// cache through the lockfile registry (test/e2e/pack/registry.ts), which serves only packages of
// this repository's package-lock.json: that is why its lockfile must not name anything else.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverCommand } from '../../../editors/vscode/src/server-command.js';
import { type LockRegistry, startLockRegistry } from '../../e2e/pack/registry.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const EXT = join(ROOT, 'editors/vscode');
const BIN = join(ROOT, 'node_modules/.bin');

interface LockEntry {
  version?: string;
  integrity?: string;
  dev?: boolean;
}
const lockOf = (path: string) =>
  (JSON.parse(readFileSync(path, 'utf8')) as { packages: Record<string, LockEntry> }).packages;
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** The entries of a zip file, name -> content (stored or deflated, as vsce writes them). */
function unzip(file: string): Map<string, Buffer> {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

describe('the VS Code extension picks the kro-gen to start', () => {
  const exists = (paths: string[]) => (p: string) => paths.includes(p);
  it('the setting first, then the first workspace folder with node_modules/.bin/kro-gen, then PATH', () => {
    const local = '/w2/node_modules/.bin/kro-gen';
    expect(serverCommand(' /opt/kro-gen ', ['/w1', '/w2'], 'linux', exists([local]))).toEqual({
      command: '/opt/kro-gen',
      args: ['lsp', '--stdio'],
      source: 'setting',
    });
    expect(serverCommand('', ['/w1', '/w2'], 'linux', exists([local]))).toMatchObject({
      command: local,
      source: 'workspace',
    });
    expect(serverCommand('', ['/w1'], 'linux', exists([]))).toMatchObject({
      command: 'kro-gen',
      source: 'PATH',
    });
  });

  it("takes npm's .cmd shim on Windows", () => {
    const shim = join('C:/w', 'node_modules', '.bin', 'kro-gen.cmd');
    expect(serverCommand('', ['C:/w'], 'win32', exists([shim])).command).toBe(shim);
    expect(serverCommand('', [], 'win32', exists([])).command).toBe('kro-gen.cmd');
  });
});

describe('editors/vscode packaged into a .vsix', () => {
  it("locks only packages this repository's lockfile holds, at the same versions", () => {
    const root = lockOf(join(ROOT, 'package-lock.json'));
    const known = new Set(Object.entries(root).map(([p, e]) => `${nameOf(p)}@${e.version} ${e.integrity}`));
    const ext = lockOf(join(EXT, 'package-lock.json'));
    const foreign = Object.entries(ext)
      .filter(([p]) => p !== '')
      .map(([p, e]) => `${nameOf(p)}@${e.version} ${e.integrity}`)
      .filter((k) => !known.has(k));
    // To fix: add the package to the root devDependencies, or regenerate editors/vscode's lockfile
    // with `npm install --package-lock-only --registry <lockfile registry>`.
    expect(foreign).toEqual([]);
  });

  let registry: LockRegistry;
  let work: string;
  let vsix: Map<string, Buffer>;
  beforeAll(async () => {
    registry = await startLockRegistry(join(ROOT, 'package-lock.json'));
    work = mkdtempSync(join(tmpdir(), 'kro-gen-vscode-'));
    const dir = join(work, 'ext');
    cpSync(EXT, dir, {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|out)([/\\]|$)|\.vsix$/.test(src.slice(EXT.length)),
    });
    // Asynchronous: the registry answers from this process, so its event loop must keep running.
    const run = (cmd: string, args: string[]) => promisify(execFile)(cmd, args, { cwd: dir });
    // Runtime dependencies only: the build tools (tsc, vsce, @types) are this repository's own.
    await run('npm', [
      'ci',
      '--omit=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `--registry=${registry.url}`,
      `--cache=${join(work, 'npm-cache')}`,
    ]);
    await run(join(BIN, 'tsc'), ['-p', '.', '--typeRoots', join(ROOT, 'node_modules/@types')]);
    await run(join(BIN, 'vsce'), [
      'package',
      '--skip-license',
      '--allow-missing-repository',
      '--out',
      'ext.vsix',
    ]);
    vsix = unzip(join(dir, 'ext.vsix'));
  }, 120_000);
  afterAll(async () => {
    await registry?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('has the manifest: entry point, activation on YAML, settings, command', () => {
    const manifest = JSON.parse(vsix.get('extension/package.json')!.toString('utf8'));
    expect(manifest.main).toBe('./out/extension.js');
    expect(manifest.activationEvents).toEqual(['onLanguage:yaml']);
    expect(manifest.engines.vscode).toBe('^1.82.0');
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual([
      'kroGen.crdPaths',
      'kroGen.server.path',
      'kroGen.trace.server',
    ]);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual([
      'kroGen.restartServer',
    ]);
    const xml = vsix.get('extension.vsixmanifest')!.toString('utf8');
    expect(xml).toMatch(/<Identity [^>]*Id="kro-gen-vscode"[^>]*Version="0\.1\.0"[^>]*Publisher="kro-gen"/);
  });

  it('has the compiled entry point, which starts `<kro-gen> lsp --stdio` through vscode-languageclient', () => {
    const entry = vsix.get('extension/out/extension.js')!.toString('utf8');
    expect(entry).toContain('require("vscode-languageclient/node")');
    expect(entry).toMatch(/exports\.activate = activate/);
    expect(entry).toMatch(/exports\.deactivate = deactivate/);
    const chooser = vsix.get('extension/out/server-command.js')!.toString('utf8');
    expect(chooser).toContain("exports.LSP_ARGS = ['lsp', '--stdio']");
  });

  it('loads from the unpacked vsix alone: the entry point finds every module it requires there', async () => {
    const unpacked = join(work, 'unpacked');
    for (const [name, data] of vsix) {
      if (name.endsWith('/')) continue;
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), data);
    }
    // VS Code provides the vscode module; a stand-in that answers any use is enough to load.
    const probe = [
      "const Module = require('node:module');",
      'const resolve = Module._resolveFilename;',
      "Module._resolveFilename = function (r, ...a) { return r === 'vscode' ? 'vscode' : resolve.call(this, r, ...a); };",
      'const any = new Proxy(function () {}, { get: (t, p) => (p === "__esModule" ? false : any), construct: () => any, apply: () => any });',
      "require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: any };",
      'const ext = require(process.argv[1]);',
      "const paths = Object.keys(require.cache).filter((p) => p.includes('node_modules'));",
      'console.log(JSON.stringify({ activate: typeof ext.activate, deactivate: typeof ext.deactivate, paths }));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      probe,
      join(unpacked, 'extension/out/extension.js'),
    ]);
    const loaded = JSON.parse(stdout) as { activate: string; deactivate: string; paths: string[] };
    expect(loaded.activate).toBe('function');
    expect(loaded.deactivate).toBe('function');
    // vscode-languageclient and its protocol came from the vsix, not from this repository.
    expect(loaded.paths.some((p) => p.includes('vscode-languageclient'))).toBe(true);
    expect(loaded.paths.every((p) => p.startsWith(unpacked))).toBe(true);
  });

  it('carries vscode-languageclient and everything it requires, and no sources or build tools', () => {
    const names = [...vsix.keys()];
    const ext = lockOf(join(EXT, 'package-lock.json'));
    const runtime = Object.entries(ext).filter(([p, e]) => p !== '' && !e.dev);
    expect(runtime.map(([p]) => nameOf(p))).toContain('vscode-languageclient');
    for (const [path] of runtime) expect(names, path).toContain(`extension/${path}/package.json`);
    expect(names.filter((n) => n.endsWith('.ts') || n.includes('/src/') || n.endsWith('.map'))).toEqual([]);
    expect(names.some((n) => /node_modules\/(typescript|@vscode\/vsce|@types)\//.test(n))).toBe(false);
    const size = [...vsix.values()].reduce((n, b) => n + b.length, 0);
    console.log(`vscode extension: ${names.length} files, ${Math.round(size / 1024)} KiB unpacked`);
  });
});

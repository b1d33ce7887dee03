// examples/argocd/plugin.yaml, run the way Argo CD's repo-server runs a Config Management Plugin:
// `command` + `args` through sh, the working directory is the Application's source path, the
// environment carries ARGOCD_APP_* and the Application's plugin env as ARGOCD_ENV_*. kro-gen is on
// PATH, as in the sidecar image.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';
import { INSTALL_KINDS } from './install-kinds.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const plugin = parse(readFileSync(join(ROOT, 'examples/argocd/plugin.yaml'), 'utf8')) as {
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    generate: { command: string[]; args: string[] };
    discover: { find: { command: string[] } };
  };
};

let dir: string;
let app: string;
let bin: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-argocd-'));
  app = join(dir, 'repo', 'apps', 'web');
  mkdirSync(app, { recursive: true });
  cpSync(join(ROOT, 'examples/web-app/rgd.yaml'), join(app, 'rgd.yaml'));
  cpSync(join(ROOT, 'examples/web-app/instances'), join(app, 'instances'), { recursive: true });
  bin = join(dir, 'bin');
  mkdirSync(bin);
  // The sidecar image's `kro-gen`: this checkout's CLI.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  writeFileSync(
    join(bin, 'kro-gen'),
    `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(ROOT, 'src/cli/main.ts')}" "$@"\n`,
    { mode: 0o755 },
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one of the plugin's commands as the repo-server does. */
async function asRepoServer(command: string[], env: Record<string, string>, cwd = app) {
  const [file, ...args] = command;
  return promisify(execFile)(file as string, args, {
    cwd,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      ARGOCD_APP_NAME: 'web',
      ARGOCD_APP_NAMESPACE: 'web-prod',
      ARGOCD_APP_REVISION: '0123456789abcdef0123456789abcdef01234567',
      ARGOCD_APP_SOURCE_PATH: 'apps/web',
      ARGOCD_APP_SOURCE_REPO_URL: 'https://example.com/repo.git',
      ARGOCD_APP_SOURCE_TARGET_REVISION: 'main',
      KUBE_VERSION: '1.36.3',
      ...env,
    },
  });
}

const generate = () => [...plugin.spec.generate.command, ...plugin.spec.generate.args];

describe('examples/argocd/plugin.yaml', () => {
  it('is a ConfigManagementPlugin named kro-gen, version v1 (kro-gen-v1 in an Application)', () => {
    expect(plugin.kind).toBe('ConfigManagementPlugin');
    expect(`${plugin.metadata.name}-${plugin.spec.version}`).toBe('kro-gen-v1');
    const application = parse(readFileSync(join(ROOT, 'examples/argocd/application.yaml'), 'utf8'));
    expect(application.spec.source.plugin.name).toBe('kro-gen-v1');
  });

  it('discovers a source path that holds an RGD, and only such a path', async () => {
    const found = await asRepoServer(plugin.spec.discover.find.command, {});
    expect(found.stdout.trim()).toBe('./rgd.yaml');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect((await asRepoServer(plugin.spec.discover.find.command, {}, empty)).stdout).toBe('');
  });

  it('generates what kro-gen synth renders, into the destination namespace, with sync waves', async () => {
    const out = await asRepoServer(generate(), { ARGOCD_ENV_KRO_GEN_RGDS: 'rgd.yaml' });
    expect(out.stderr).toBe('');
    const direct = await runCli(app, [
      'synth',
      'rgd.yaml',
      '--instance',
      'instances',
      '--mode',
      'expanded',
      '--annotations',
      'argocd',
      '--namespace',
      'web-prod',
    ]);
    expect(direct.code).toBe(0);
    expect(out.stdout).toBe(direct.out);
    const objects = parseAllDocuments(out.stdout).map((d) => d.toJS());
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Deployment/web-prod/web-app-1',
      'Service/web-prod/web-app-1-service',
      'Deployment/web-prod/web-app-2',
      'Service/web-prod/web-app-2-service',
    ]);
    expect(objects.map((o) => o.metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual([
      '0',
      '1',
      '0',
      '1',
    ]);
  });

  it('ARGOCD_ENV_ settings: a bundle that installs kro first', async () => {
    const out = await asRepoServer(generate(), {
      ARGOCD_ENV_KRO_GEN_RGDS: 'rgd.yaml',
      ARGOCD_ENV_KRO_GEN_MODE: 'bundle',
      ARGOCD_ENV_KRO_GEN_WITH_KRO: 'v0.9.3',
    });
    const objects = parseAllDocuments(out.stdout).map((d) => d.toJS());
    expect(objects.map((o) => o.kind)).toEqual([
      ...INSTALL_KINDS,
      'ResourceGraphDefinition',
      'Application',
      'Application',
    ]);
    expect(objects.at(-1).metadata.namespace).toBe('web-prod');
    expect(objects.at(-1).metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '2',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
    });
  });

  it('a failing render fails the generate command with kro-gen error line', async () => {
    await expect(asRepoServer(generate(), { ARGOCD_ENV_KRO_GEN_INSTANCES: 'missing' })).rejects.toThrow(
      /error: .*missing/,
    );
  });
});

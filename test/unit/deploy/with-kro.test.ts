// `synth --mode bundle --with-kro`: kro's install (pre-rendered from its Helm chart, data/kro) in
// front of the RGDs and instances, the user's settings applied, ordering for every deployer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { kroInstall } from '../../../src/deploy/kro-install.js';
import { runCli } from '../../helpers/cli.js';
import { INSTALL_KINDS } from './install-kinds.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const WEB_APP = join(ROOT, 'examples/web-app/rgd.yaml');
const WEB_APP_INSTANCES = join(ROOT, 'examples/web-app/instances');
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read field by field
type Loose = any;
const docs = (text: string): Loose[] => parseAllDocuments(text).map((d) => d.toJS());
const kindName = (o: Loose) => `${o.kind}/${o.metadata.name}`;
const cli = (cwd: string, ...argv: string[]) => runCli(cwd, argv, { PATH: process.env.PATH ?? '' });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-with-kro-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the rendered chart (data/kro)', () => {
  it('records the values and the render of every RBAC mode', () => {
    const data = JSON.parse(readFileSync(join(ROOT, 'data/kro/v0.9.3.json'), 'utf8'));
    expect(data.generator).toMatch(/^tools\/kro-chart \(helm\.sh\/helm\/v4 v4\./);
    expect(data.chart).toEqual({
      name: 'kro',
      version: 'v0.9.3',
      source: 'github.com/kubernetes-sigs/kro@v0.9.3/helm',
    });
    expect(Object.keys(data.variants).sort()).toEqual(['aggregation', 'unrestricted']);
    expect(data.variants.unrestricted.values).toEqual({
      image: { tag: 'v0.9.3' },
      rbac: { mode: 'unrestricted' },
    });
  });

  it('puts the Namespace first, then Helm install order, with the settings applied everywhere', () => {
    const install = kroInstall({
      namespace: 'platform-kro',
      image: 'mirror.example/kro:v0.9.3',
      resources: { requests: { cpu: '50m' } },
    });
    expect(install.objects.map(kindName)).toEqual([
      'Namespace/platform-kro',
      'CustomResourceDefinition/graphrevisions.internal.kro.run',
      'CustomResourceDefinition/resourcegraphdefinitions.kro.run',
      'ServiceAccount/kro',
      'ClusterRole/kro-cluster-role',
      'ClusterRoleBinding/kro-cluster-role-binding',
      'Deployment/kro',
    ]);
    const [, , , sa, , binding, deployment] = install.objects as Loose[];
    expect(sa.metadata.namespace).toBe('platform-kro');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kro', namespace: 'platform-kro' }]);
    expect(deployment.metadata.namespace).toBe('platform-kro');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('mirror.example/kro:v0.9.3');
    expect(container.resources).toEqual({ requests: { cpu: '50m' } });
    expect(install.serviceAccount).toEqual({ name: 'kro', namespace: 'platform-kro' });
    // The shared data is not changed by one call's settings.
    const plain = kroInstall();
    expect((plain.objects[6] as Loose).spec.template.spec.containers[0].image).toBe(
      'registry.k8s.io/kro/kro:v0.9.3',
    );
    expect((plain.objects[6] as Loose).metadata.namespace).toBe('kro-system');
  });

  it('aggregation mode: the minimal role plus the aggregated one', () => {
    const install = kroInstall({ rbac: 'aggregation' });
    expect(install.objects.filter((o) => o.kind === 'ClusterRole').map(kindName)).toEqual([
      'ClusterRole/kro:controller',
      'ClusterRole/kro:controller:static',
    ]);
  });
});

describe('kro-gen synth --mode bundle --with-kro', () => {
  it('orders install, RGDs and instances for kubectl, Argo CD, kpt and kapp', async () => {
    const r = await cli(
      dir,
      'synth',
      '--mode',
      'bundle',
      '--with-kro',
      WEB_APP,
      '--instance',
      WEB_APP_INSTANCES,
      '--annotations',
      'depends-on,argocd,kapp',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objects = docs(r.out);
    expect(objects.map((o) => o.kind)).toEqual([
      ...INSTALL_KINDS,
      'ResourceGraphDefinition',
      'Application',
      'Application',
    ]);
    const wave = (o: Loose) => o.metadata.annotations['argocd.argoproj.io/sync-wave'];
    expect(objects.map(wave)).toEqual(['0', '0', '0', '0', '0', '0', '0', '1', '2', '2']);
    const [ns, , , sa, , binding, deployment, rgd, app] = objects;
    expect(ns.metadata.annotations['config.kubernetes.io/depends-on']).toBeUndefined();
    expect(sa.metadata.annotations['config.kubernetes.io/depends-on']).toBe('/Namespace/kro-system');
    expect(binding.metadata.annotations['config.kubernetes.io/depends-on']).toBe(
      '/namespaces/kro-system/ServiceAccount/kro,rbac.authorization.k8s.io/ClusterRole/kro-cluster-role',
    );
    expect(deployment.metadata.annotations['config.kubernetes.io/depends-on']).toBe(
      '/Namespace/kro-system,/namespaces/kro-system/ServiceAccount/kro,rbac.authorization.k8s.io/ClusterRoleBinding/kro-cluster-role-binding',
    );
    expect(rgd.metadata.annotations).toMatchObject({
      'config.kubernetes.io/depends-on':
        'apiextensions.k8s.io/CustomResourceDefinition/resourcegraphdefinitions.kro.run,apps/namespaces/kro-system/Deployment/kro',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      'kapp.k14s.io/change-rule': 'upsert after upserting kro-gen.dev/kro',
    });
    expect(app.metadata.annotations).toMatchObject({
      'config.kubernetes.io/depends-on': 'kro.run/ResourceGraphDefinition/web-app',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      'kapp.k14s.io/change-rule': 'upsert after upserting kro-gen.dev/rgd.web-app',
    });
    for (const o of objects.slice(0, 7)) {
      expect(o.metadata.annotations['kapp.k14s.io/change-group']).toBe('kro-gen.dev/kro');
    }
  });

  it('takes a values file in Helm value names; flags win over it', async () => {
    writeFileSync(
      join(dir, 'kro.yaml'),
      'namespace: from-file\nimage:\n  repository: mirror.example/kro\ndeployment:\n  resources:\n    limits: {memory: 256Mi}\nrbac:\n  mode: aggregation\n',
    );
    const r = await cli(
      dir,
      'synth',
      '--mode',
      'bundle',
      '--with-kro=v0.9.3',
      WEB_APP,
      '--kro-values',
      'kro.yaml',
      '--kro-namespace',
      'from-flag',
      '--annotations',
      'none',
    );
    expect(r.err).toBe('');
    const objects = docs(r.out);
    expect(objects[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'from-flag' } });
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.metadata.namespace).toBe('from-flag');
    expect(deployment.spec.template.spec.containers[0].image).toBe('mirror.example/kro:v0.9.3');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '256Mi' } });
    expect(objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual([
      'kro:controller',
      'kro:controller:static',
      'kro:controller:kro-gen-rgds',
    ]);
  });

  it('refuses values it cannot apply to the rendered chart, at their position', async () => {
    writeFileSync(join(dir, 'kro.yaml'), 'config:\n  logLevel: debug\n');
    const r = await cli(dir, 'synth', '--mode', 'bundle', '--with-kro', WEB_APP, '--kro-values', 'kro.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /^kro\.yaml:1:1: error: unsupported kro value config: the chart is pre-rendered; kro-gen applies only namespace, image\.repository/m,
    );
  });

  it('usage errors: kro flags without --with-kro, --with-kro without bundle mode, unknown version', async () => {
    const noKro = await cli(dir, 'synth', '--mode', 'bundle', WEB_APP, '--kro-namespace', 'x');
    expect(noKro.code).toBe(2);
    expect(noKro.err).toContain('--kro-namespace needs --with-kro');
    const expanded = await cli(dir, 'synth', '--with-kro', WEB_APP, '--instance', WEB_APP_INSTANCES);
    expect(expanded.code).toBe(2);
    expect(expanded.err).toContain('--with-kro needs --mode bundle');
    const version = await cli(dir, 'synth', '--mode', 'bundle', '--with-kro=v0.1.0', WEB_APP);
    expect(version.code).toBe(2);
    expect(version.err).toContain("invalid value 'v0.1.0' for --with-kro: expected v0.9.3");
    const help = await cli(dir, 'synth', '--help');
    expect(help.out).toContain('--with-kro[=<version>]');
  });
});

describe('--kro-rbac aggregation', () => {
  it("adds a ClusterRole granting kro exactly the kinds of the bundle's RGDs, aggregated by label", async () => {
    const r = await cli(
      dir,
      'synth',
      '--mode',
      'bundle',
      '--with-kro',
      '--kro-rbac',
      'aggregation',
      WEB_APP,
      join(ROOT, 'examples/team-app/rgd.yaml'),
      '--annotations',
      'none',
    );
    expect(r.err).toBe('');
    const objects = docs(r.out);
    expect(objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name)).toEqual([
      'kro:controller',
      'kro:controller:static',
      'kro:controller:kro-gen-rgds',
    ]);
    const role = objects.find((o) => o.metadata.name === 'kro:controller:kro-gen-rgds');
    expect(role.metadata.labels['rbac.kro.run/aggregate-to-controller']).toBe('true');
    const manage = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    expect(role.rules).toContainEqual({ apiGroups: ['apps'], resources: ['deployments'], verbs: manage });
    const status = role.rules.find((x: Loose) => x.resources.includes('applications/status'));
    expect(status).toMatchObject({ apiGroups: ['kro.run'], verbs: ['get', 'patch', 'update'] });
    // An externalRef kind is only read.
    const team = parse(readFileSync(join(ROOT, 'examples/team-app/rgd.yaml'), 'utf8')) as Loose;
    const external = team.spec.resources.find((x: Loose) => x.externalRef).externalRef;
    const readRule = role.rules.find((x: Loose) => x.verbs.join() === 'get,list,watch');
    expect(readRule, `a read-only rule for ${external.kind}`).toBeDefined();
  });
});

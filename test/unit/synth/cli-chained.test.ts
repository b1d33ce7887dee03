// `kro-gen synth` with chained RGDs: kro's saas-multi-tenant example (a Tenant creating a
// TenantEnvironment and a TenantApplication) expanded down to plain Kubernetes objects, the
// --no-expand-chained opt-out, bundle mode, a cycle, and the switch passed to --app.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SAAS = join(ROOT, 'test/conformance/kro/examples/kubernetes/saas-multi-tenant');
const RGDS = ['tenant-rgd.yaml', 'tenant-environment-rgd.yaml', 'tenant-application-rgd.yaml'].map((f) =>
  join(SAAS, f),
);
const INSTANCE = join(SAAS, 'tenant-instance.yaml');

type Obj = {
  kind: string;
  apiVersion: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read field by field below
  spec?: any;
};

const cli = (cwd: string, ...argv: string[]) => runCli(cwd, argv, { PATH: process.env.PATH ?? '' });
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj);
const where = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-synth-chained-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kro-gen synth: saas-multi-tenant, expanded', () => {
  it('expands the Tenant down to the Namespace, quota, policy, Deployment and Service', async () => {
    const r = await cli(dir, 'synth', ...RGDS, '--instance', INSTANCE);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objects = docs(r.out);
    expect(objects.map(where)).toEqual([
      'Namespace//tenant001',
      'ResourceQuota/tenant001/tenant001-quota',
      'NetworkPolicy/tenant001/tenant001-isolation',
      'Deployment/tenant001/tenant001-deployment',
      'Service/tenant001/tenant001-service',
    ]);
    // No instance object is left for a kro that is not there.
    expect(objects.filter((o) => o.apiVersion.startsWith('kro.run/'))).toEqual([]);

    const [ns, quota, , deployment, service] = objects as [Obj, Obj, Obj, Obj, Obj];
    // The Tenant's defaults travel through the TenantApplication's spec.
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginx');
    expect(service.spec.selector).toEqual({ app: 'tenant001', 'saas/tenant-id': 'tenant001' });
    expect(quota.spec.hard['requests.cpu']).toBe('1');

    // Each object names the chained instance it belongs to, and the Tenant it was expanded from.
    expect(ns.metadata.labels).toEqual({
      name: 'tenant001',
      'kro-gen.dev/instance-group': 'kro.run',
      'kro-gen.dev/instance-kind': 'TenantEnvironment',
      'kro-gen.dev/instance-name': 'tenant001',
      'kro-gen.dev/instance-namespace': 'default',
      'kro-gen.dev/node-id': 'tenantNamespace',
      'kro-gen.dev/root-instance-group': 'kro.run',
      'kro-gen.dev/root-instance-kind': 'Tenant',
      'kro-gen.dev/root-instance-name': 'tenant001',
      'kro-gen.dev/root-instance-namespace': 'default',
    });
    expect(deployment.metadata.labels?.['kro-gen.dev/instance-kind']).toBe('TenantApplication');
    expect(deployment.metadata.labels?.['kro-gen.dev/node-id']).toBe('deployment');
    // Nothing in these RGDs reads another resource: everything is in wave 0, depending on nothing.
    for (const o of objects) {
      expect(o.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '0' });
    }
  });

  it('--no-expand-chained emits the TenantEnvironment and TenantApplication objects for kro', async () => {
    const r = await cli(dir, 'synth', ...RGDS, '--instance', INSTANCE, '--no-expand-chained');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objects = docs(r.out);
    expect(objects.map(where)).toEqual([
      'TenantEnvironment/default/tenant001',
      'TenantApplication/default/tenant001',
    ]);
    expect(objects[1]?.spec).toEqual({ tenantId: 'tenant001', image: 'nginx', replicas: 2 });
  });

  it('bundle mode is unchanged: the RGDs, inner ones first, then the Tenant for kro to expand', async () => {
    const r = await cli(dir, 'synth', ...RGDS, '--instance', INSTANCE, '--mode', 'bundle');
    expect(r.code).toBe(0);
    expect(docs(r.out).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ResourceGraphDefinition/tenantenvironment.kro.run',
      'ResourceGraphDefinition/tenantapplication.kro.run',
      'ResourceGraphDefinition/tenant.kro.run',
      'Tenant/tenant001',
    ]);
  });
});

describe('kro-gen synth: chained errors and --app', () => {
  const rgd = (kind: string, inner: string) =>
    [
      'apiVersion: kro.run/v1alpha1',
      'kind: ResourceGraphDefinition',
      'metadata:',
      `  name: ${kind.toLowerCase()}`,
      'spec:',
      '  schema:',
      '    apiVersion: v1alpha1',
      `    kind: ${kind}`,
      '    spec:',
      '      x: string | default="x"',
      '  resources:',
      '    - id: inner',
      '      template:',
      '        apiVersion: kro.run/v1alpha1',
      `        kind: ${inner}`,
      '        metadata:',
      `          name: \${schema.metadata.name}`,
      '',
    ].join('\n');

  it('RGDs creating each other are an error at the template closing the cycle; nothing is printed', async () => {
    writeFileSync(join(dir, 'ping.yaml'), rgd('Ping', 'Pong'));
    writeFileSync(join(dir, 'pong.yaml'), rgd('Pong', 'Ping'));
    writeFileSync(
      join(dir, 'instance.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: Ping\nmetadata:\n  name: p\n',
    );
    const r = await cli(dir, 'synth', 'ping.yaml', 'pong.yaml', '--instance', 'instance.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      `pong.yaml:12:11: error: chained RGDs create each other's instances in a cycle: Ping (ping) -> Pong (pong) -> Ping (ping)`,
    );
    const kept = await cli(
      dir,
      'synth',
      'ping.yaml',
      'pong.yaml',
      '--instance',
      'instance.yaml',
      '--no-expand-chained',
    );
    expect(kept.code).toBe(0);
    expect(docs(kept.out).map(where)).toEqual(['Pong/default/p']);
  });

  it('--app passes the switch to the app as KRO_GEN_EXPAND_CHAINED', async () => {
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        "writeFileSync(process.env.CDK8S_OUTDIR + '/a.k8s.yaml', 'expand: \"' + process.env.KRO_GEN_EXPAND_CHAINED + '\"\\n');",
        '',
      ].join('\n'),
    );
    // Without the flag the app's constructs decide (their default expands); the flag says false.
    expect((await cli(dir, 'synth', '--app', 'main.ts')).out).toBe('expand: "undefined"\n');
    expect((await cli(dir, 'synth', '--app', 'main.ts', '--no-expand-chained')).out).toBe(
      'expand: "false"\n',
    );
  });
});

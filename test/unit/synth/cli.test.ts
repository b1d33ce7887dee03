// `kro-gen synth` through the CLI: stdout and --out layouts, byte-identical reruns, nothing
// written on error, positioned errors, options, and --app.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const WEB_APP = join(ROOT, 'examples/web-app/rgd.yaml');
const WEB_APP_INSTANCES = join(ROOT, 'examples/web-app/instances');

const cli = (cwd: string, ...argv: string[]) => runCli(cwd, argv, { PATH: process.env.PATH ?? '' });

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
const kindName = (o: Record<string, unknown>) => `${o.kind}/${(o.metadata as { name: string }).name}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-synth-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('kro-gen synth (expanded)', () => {
  it('prints one YAML stream: web-app-1 Deployment, its Service, then web-app-2', async () => {
    const r = await cli(dir, 'synth', WEB_APP, '--instance', WEB_APP_INSTANCES);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const objects = docs(r.out);
    expect(objects.map(kindName)).toEqual([
      'Deployment/web-app-1',
      'Service/web-app-1-service',
      'Deployment/web-app-2',
      'Service/web-app-2-service',
    ]);
    expect(r.out.split('\n---\n')).toHaveLength(4);
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read field by field below
    type Loose = any;
    const [d1, s1, d2, s2] = objects as [Loose, Loose, Loose, Loose];
    expect(d1.spec.replicas).toBe(3);
    expect(d1.spec.template.spec.containers[0].image).toBe('httpd:2.4');
    expect(d1.spec.selector.matchLabels).toEqual({ app: 'web-app-1' });
    expect(s1.spec.type).toBe('NodePort');
    expect(s1.spec.selector).toEqual(d1.spec.selector.matchLabels);
    expect(s1.metadata.annotations['config.kubernetes.io/depends-on']).toBe(
      'apps/namespaces/default/Deployment/web-app-1',
    );
    expect(Number(s1.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(
      Number(d1.metadata.annotations['argocd.argoproj.io/sync-wave']),
    );
    expect(d2.spec.replicas).toBe(1);
    expect(s2.spec.type).toBe('ClusterIP');
  });

  it('gives byte-identical output across runs', async () => {
    const a = await cli(
      dir,
      'synth',
      WEB_APP,
      '--instance',
      WEB_APP_INSTANCES,
      '--annotations',
      'depends-on,argocd,kapp',
    );
    const b = await cli(
      dir,
      'synth',
      WEB_APP,
      '--instance',
      WEB_APP_INSTANCES,
      '--annotations',
      'depends-on,argocd,kapp',
    );
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });

  it('--out with --layout stream writes one file; file-per-resource numbered files, removing only what it wrote before', async () => {
    const out = join(dir, 'out');
    expect((await cli(dir, 'synth', WEB_APP, '--instance', WEB_APP_INSTANCES, '--out', 'out')).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.kro-gen-files', 'manifests.yaml']);
    const stream = readFileSync(join(out, 'manifests.yaml'), 'utf8');
    expect(stream).toBe((await cli(dir, 'synth', WEB_APP, '--instance', WEB_APP_INSTANCES)).out);

    // Named like kro-gen's output, but not written by it: kept.
    writeFileSync(join(out, '0009-my-notes.yaml'), 'mine\n');
    writeFileSync(join(out, 'README.md'), 'mine\n');
    const r = await cli(
      dir,
      'synth',
      WEB_APP,
      '--instance',
      WEB_APP_INSTANCES,
      '--out',
      'out',
      '--layout',
      'file-per-resource',
    );
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      '.kro-gen-files',
      '0001-deployment-web-app-1.yaml',
      '0002-service-web-app-1-service.yaml',
      '0003-deployment-web-app-2.yaml',
      '0004-service-web-app-2-service.yaml',
      '0009-my-notes.yaml',
      'README.md',
    ]);
    expect(readFileSync(join(out, '.kro-gen-files'), 'utf8').split('\n').slice(1)).toEqual([
      '0001-deployment-web-app-1.yaml',
      '0002-service-web-app-1-service.yaml',
      '0003-deployment-web-app-2.yaml',
      '0004-service-web-app-2-service.yaml',
      '',
    ]);
    expect(
      docs(readFileSync(join(out, '0002-service-web-app-1-service.yaml'), 'utf8')).map(kindName),
    ).toEqual(['Service/web-app-1-service']);
  });

  it('a failing instance writes nothing and exits 1 with a positioned error', async () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'manifests.yaml'), 'previous\n');
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: Application\nmetadata:\n  name: bad\nspec:\n  name: bad\n  replicas: many\n',
    );
    const r = await cli(
      dir,
      'synth',
      WEB_APP,
      '--instance',
      WEB_APP_INSTANCES,
      '--instance',
      'bad.yaml',
      '--out',
      'out',
    );
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('bad.yaml:7:13: error: spec.replicas: expected integer, got string');
    expect(readdirSync(out)).toEqual(['manifests.yaml']);
    expect(readFileSync(join(out, 'manifests.yaml'), 'utf8')).toBe('previous\n');
  });

  it('an expression that needs the cluster fails at its RGD position and suggests bundle mode', async () => {
    writeFileSync(
      join(dir, 'rgd.yaml'),
      readFileSync(WEB_APP, 'utf8').replace('port: 80\n', `port: \${deployment.status.availableReplicas}\n`),
    );
    const r = await cli(dir, 'synth', 'rgd.yaml', '--instance', WEB_APP_INSTANCES);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^rgd\.yaml:\d+:\d+: error: cannot evaluate \$\{deployment\.status\.availableReplicas\} .*Application default\/web-app-1 \(.*web-app-1\.yaml:2:1\).*--mode bundle/m,
    );
  });

  it('an instance of a kind no RGD defines is an error at its kind', async () => {
    writeFileSync(join(dir, 'other.yaml'), 'apiVersion: example.com/v1\nkind: Other\nmetadata:\n  name: x\n');
    const r = await cli(dir, 'synth', WEB_APP, '--instance', 'other.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain('other.yaml:2:7: error: no RGD given defines example.com/v1 Other');
  });

  it('--external supplies objects externalRef resources read; --annotations none stamps nothing', async () => {
    writeFileSync(
      join(dir, 'rgd.yaml'),
      [
        'apiVersion: kro.run/v1alpha1',
        'kind: ResourceGraphDefinition',
        'metadata: {name: reader}',
        'spec:',
        '  schema: {apiVersion: v1alpha1, kind: Reader, spec: {}}',
        '  resources:',
        '    - id: settings',
        '      externalRef: {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}}',
        '    - id: copy',
        '      template:',
        '        apiVersion: v1',
        '        kind: ConfigMap',
        '        metadata: {name: copy}',
        `        data: \${settings.data}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'reader.yaml'),
      'apiVersion: kro.run/v1alpha1\nkind: Reader\nmetadata: {name: r}\n',
    );
    writeFileSync(
      join(dir, 'settings.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n',
    );
    const missing = await cli(dir, 'synth', 'rgd.yaml', '--instance', 'reader.yaml');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/--external FILE/);
    const r = await cli(
      dir,
      'synth',
      'rgd.yaml',
      '-i',
      'reader.yaml',
      '--external',
      'settings.yaml',
      '--annotations',
      'none',
    );
    expect(r.code).toBe(0);
    expect(docs(r.out)).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'copy',
          namespace: 'default',
          labels: {
            'kro-gen.dev/instance-group': 'kro.run',
            'kro-gen.dev/instance-kind': 'Reader',
            'kro-gen.dev/instance-name': 'r',
            'kro-gen.dev/instance-namespace': 'default',
            'kro-gen.dev/node-id': 'copy',
          },
        },
        data: { a: 'b' },
      },
    ]);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(dir, 'synth', WEB_APP)).code).toBe(2);
    expect((await cli(dir, 'synth', WEB_APP, '-i', WEB_APP_INSTANCES, '--annotations', 'argo')).err).toMatch(
      /invalid --annotations entry 'argo'/,
    );
    expect((await cli(dir, 'synth', '-i', WEB_APP_INSTANCES)).code).toBe(2);
  });

  it('usage errors: --layout without --out, none combined with styles, a namespace that is no DNS label', async () => {
    const base = ['synth', WEB_APP, '-i', WEB_APP_INSTANCES];
    const layout = await cli(dir, ...base, '--layout', 'file-per-resource');
    expect(layout.code).toBe(2);
    expect(layout.err).toMatch(/^kro-gen synth: --layout needs --out/);
    const none = await cli(dir, ...base, '--annotations', 'none,kapp');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^kro-gen synth: invalid --annotations 'none,kapp': none stands alone/);
    for (const ns of ['Bad_NS', 'UPPER', '-lead', 'trail-', 'a.b', 'x'.repeat(64), '']) {
      const r = await cli(dir, ...base, `--namespace=${ns}`);
      expect(r.code, ns).toBe(2);
      expect(r.err).toContain(`invalid --namespace '${ns}': a namespace is a DNS-1123 label`);
    }
    const ok = await cli(dir, ...base, '-n', `prod-1${'x'.repeat(57)}`);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`namespace: prod-1${'x'.repeat(57)}`);
  });

  it('an unwritable --out is one line and exit 1, not a hang', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    const r = await cli(dir, 'synth', WEB_APP, '-i', WEB_APP_INSTANCES, '--out', 'file/sub');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: cannot write to file\/sub: .*file is not a directory\n$/);
  });

  it('--help describes the command', async () => {
    const r = await cli(dir, 'synth', '--help');
    expect(r.code).toBe(0);
    for (const option of [
      '--instance',
      '--mode',
      '--external',
      '--crd',
      '--annotations',
      '--out',
      '--layout',
      '--app',
    ]) {
      expect(r.out).toContain(option);
    }
    // One path per --instance, repeated: `--instance a.yaml b.yaml` does not give both.
    expect(r.out).toMatch(/-i, --instance <file\|dir>\s+.*repeat/);
    expect(r.out).toContain('--instance a.yaml --instance b.yaml');
  });
});

describe('kro-gen synth --mode bundle', () => {
  it('prints the RGD once, then both instances', async () => {
    const r = await cli(dir, 'synth', WEB_APP, '--instance', WEB_APP_INSTANCES, '--mode', 'bundle');
    expect(r.code).toBe(0);
    expect(docs(r.out).map(kindName)).toEqual([
      'ResourceGraphDefinition/web-app',
      'Application/web-app-1',
      'Application/web-app-2',
    ]);
  });
});

describe('kro-gen synth --app', () => {
  it('runs a TypeScript app with tsx and prints the YAML it writes, in file name order', async () => {
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        "const dir: string = process.env.CDK8S_OUTDIR ?? 'dist';",
        "console.log('synthesizing');",
        "writeFileSync(dir + '/b.k8s.yaml', 'kind: B\\nmode: ' + process.env.KRO_GEN_MODE + '\\n');",
        "writeFileSync(dir + '/a.k8s.yaml', 'kind: A\\nannotations: ' + process.env.KRO_GEN_ANNOTATIONS + '\\n');",
        '',
      ].join('\n'),
    );
    const r = await cli(dir, 'synth', '--app', 'main.ts', '--mode', 'bundle', '--annotations', 'kapp,argocd');
    expect(r.code).toBe(0);
    expect(r.out).toBe('kind: A\nannotations: kapp,argocd\n---\nkind: B\nmode: bundle\n');
    expect(r.err).toContain('synthesizing');

    const written = await cli(dir, 'synth', '--app', 'main.ts', '--out', 'manifests');
    expect(written.code).toBe(0);
    expect(readdirSync(join(dir, 'manifests')).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
  });

  it('reads the folders an app writes (FOLDER_PER_CHART_FILE_PER_RESOURCE), in path order', async () => {
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { mkdirSync, writeFileSync } from 'node:fs';",
        'const dir: string = process.env.CDK8S_OUTDIR as string;',
        "mkdirSync(dir + '/web');",
        "mkdirSync(dir + '/00-kro-gen-rgds');",
        "writeFileSync(dir + '/web/Application.web.k8s.yaml', 'kind: Application\\n');",
        "writeFileSync(dir + '/00-kro-gen-rgds/ResourceGraphDefinition.web-app.k8s.yaml', 'kind: ResourceGraphDefinition\\n');",
        '',
      ].join('\n'),
    );
    const r = await cli(dir, 'synth', '--app', 'main.ts');
    expect(r.err).toBe('');
    expect(r.out).toBe('kind: ResourceGraphDefinition\n---\nkind: Application\n');
    expect((await cli(dir, 'synth', '--app', 'main.ts', '--out', 'm')).code).toBe(0);
    expect(readdirSync(join(dir, 'm'), { recursive: true }).sort()).toEqual([
      '00-kro-gen-rgds',
      '00-kro-gen-rgds/ResourceGraphDefinition.web-app.k8s.yaml',
      'web',
      'web/Application.web.k8s.yaml',
    ]);
  });

  it('passes --mode and --annotations only when given: else the environment decides (flag > env > default)', async () => {
    writeFileSync(
      join(dir, 'main.ts'),
      [
        "import { writeFileSync } from 'node:fs';",
        "const env = (name: string) => process.env[name] ?? '(unset)';",
        "const text = 'mode: ' + env('KRO_GEN_MODE') + '\\nannotations: ' + env('KRO_GEN_ANNOTATIONS');",
        "writeFileSync(process.env.CDK8S_OUTDIR + '/a.yaml', text + '\\nexpand: ' + env('KRO_GEN_EXPAND_CHAINED') + '\\n');",
        '',
      ].join('\n'),
    );
    const path = { PATH: process.env.PATH ?? '' };
    const fromEnv = {
      ...path,
      KRO_GEN_MODE: 'bundle',
      KRO_GEN_ANNOTATIONS: 'kapp',
      KRO_GEN_EXPAND_CHAINED: 'false',
    };
    const unset = await runCli(dir, ['synth', '--app', 'main.ts'], path);
    expect(unset.out).toBe('mode: (unset)\nannotations: (unset)\nexpand: (unset)\n');
    const env = await runCli(dir, ['synth', '--app', 'main.ts'], fromEnv);
    expect(env.out).toBe('mode: bundle\nannotations: kapp\nexpand: false\n');
    const flags = await runCli(
      dir,
      ['synth', '--app', 'main.ts', '--mode', 'expanded', '--annotations', 'none', '--no-expand-chained'],
      fromEnv,
    );
    expect(flags.out).toBe('mode: expanded\nannotations: none\nexpand: false\n');
  });

  it('a missing app is one line, exit 1, no stack trace', async () => {
    const r = await cli(dir, 'synth', '--app', 'nope.ts');
    expect(r).toEqual({ code: 1, out: '', err: 'error: cannot run nope.ts: no such file or directory\n' });
    const d = await cli(dir, 'synth', '--app', '.');
    expect(d).toEqual({ code: 1, out: '', err: 'error: cannot run .: not a file\n' });
  });

  it('a failing app: its stderr, then one line of ours', async () => {
    writeFileSync(join(dir, 'main.ts'), "console.error('the app says why');\nprocess.exit(3);\n");
    const r = await cli(dir, 'synth', '--app', 'main.ts');
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'the app says why\nerror: main.ts failed (exit status 3); nothing was written\n',
    });
  });

  it('refuses options an app cannot use, rather than ignoring them', async () => {
    writeFileSync(join(dir, 'main.ts'), '\n');
    for (const extra of [
      ['--external', 'x.yaml'],
      ['--crd', 'x.yaml'],
      ['--namespace', 'prod'],
      ['--layout', 'stream', '--out', 'o'],
      ['--omit'],
    ]) {
      const r = await cli(dir, 'synth', '--app', 'main.ts', ...extra);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.err).toContain(`--app takes no ${extra[0]}`);
    }
  });

  it('a failing app writes nothing and exits 1', async () => {
    writeFileSync(join(dir, 'main.ts'), "throw new Error('broken app');\n");
    const r = await cli(dir, 'synth', '--app', 'main.ts', '--out', 'manifests');
    expect(r.code).toBe(1);
    expect(r.err).toContain('broken app');
    expect(existsSync(join(dir, 'manifests'))).toBe(false);
  });
});

// Generated constructs behave as cdk8s users expect: escape hatches (ApiObject.of in bundle mode,
// resource(id) in expanded mode) whose patches reach the output, every YamlOutputType with the
// user's file names and the RGDs first, Testing.synth in both modes, and messages that point at
// the RGD relative to the working directory.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ApiObject, type App, Chart, JsonPatch, Testing, YamlOutputType } from 'cdk8s';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Application, WordPress } from '../../../generated/index.js';
import { MODE_CONTEXT_KEY, MODE_ENV, RGD_CHART_ID, rgdChartOf } from '../../../src/runtime/index.js';
import { callerFile, displayPath } from '../../../src/runtime/origin.js';

type Obj = {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};
const REPO = new URL('../../../', import.meta.url).pathname;
const ids = (objects: readonly Obj[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

afterEach(() => {
  delete process.env[MODE_ENV];
});

function appIn(mode: 'expanded' | 'bundle', yamlOutputType?: YamlOutputType): App {
  const app = Testing.app(yamlOutputType === undefined ? undefined : { yamlOutputType });
  app.node.setContext(MODE_CONTEXT_KEY, mode);
  return app;
}

/** Two charts as a user writes them: `caches` with an Application, `blog` with a WordPress. */
function twoCharts(app: App): void {
  const caches = new Chart(app, 'caches');
  new Application(caches, 'web', { metadata: { name: 'web' }, spec: { name: 'web' } });
  const blog = new Chart(app, 'blog');
  new WordPress(blog, 'site', {
    metadata: { name: 'site' },
    spec: { siteName: 'site', databaseSecret: 'site-db' },
  });
}

/** Every file under `dir`, in the order `kubectl apply -R -f dir` reads them (sorted paths). */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

/** The objects of the files under `dir`, in `kubectl apply -R -f` order. */
function applied(dir: string): string[] {
  return files(dir).flatMap((f) =>
    ids(parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Obj)),
  );
}

const RGDS = ['ResourceGraphDefinition/web-app', 'ResourceGraphDefinition/wordpress'];
const WEB = ['Deployment/web', 'Service/web-service'];
const SITE = [
  'Service/site-mysql',
  'StatefulSet/site-mysql',
  'ConfigMap/site-config',
  'PersistentVolumeClaim/site-content',
  'Deployment/site',
  'Service/site',
];

describe('bundle mode: the instance is a cdk8s ApiObject', () => {
  it('is ApiObject.of(construct); its toJson() is the instance; patches reach every output', () => {
    const app = appIn('bundle');
    const chart = new Chart(app, 'caches');
    const web = new Application(chart, 'web', { metadata: { name: 'web' }, spec: { name: 'web' } });
    const object = ApiObject.of(web);
    expect(object.kind).toBe('Application');
    expect(object.name).toBe('web');
    object.addJsonPatch(
      JsonPatch.replace('/spec/replicas', 4),
      JsonPatch.add('/metadata/labels', { tier: 'cache' }),
    );
    const json = object.toJson() as Obj;
    expect(json.spec).toEqual({ name: 'web', image: 'httpd:latest', replicas: 4, svcType: 'ClusterIP' });
    expect(json.metadata.labels).toEqual({ tier: 'cache' });
    // The ordering annotations are still stamped on the patched object.
    expect(json.metadata.annotations?.['config.kubernetes.io/depends-on']).toBe(
      'kro.run/ResourceGraphDefinition/web-app',
    );
    expect(Testing.synth(chart)).toEqual([json]);
    app.synth();
    const written = parseAllDocuments(readFileSync(join(app.outdir, 'caches.k8s.yaml'), 'utf8'));
    expect(written.map((d) => d.toJS())).toEqual([json]);
  });
});

describe('expanded mode: each child is an ApiObject by its resource id', () => {
  it('returns the object of a resource; its patches show in the synthesized output', () => {
    const chart = Testing.chart();
    const web = new Application(chart, 'web', { metadata: { name: 'web' }, spec: { name: 'web' } });
    const deployment = web.resource('deployment');
    expect(deployment).toBeInstanceOf(ApiObject);
    expect(`${deployment.kind}/${deployment.name}`).toBe('Deployment/web');
    expect(deployment.node.id).toBe('deployment');
    deployment.addJsonPatch(JsonPatch.add('/spec/paused', true));
    web.resource('service').metadata.addAnnotation('team', 'caches');
    const [dep, svc] = Testing.synth(chart) as Obj[];
    expect(dep?.spec?.['paused']).toBe(true);
    expect(svc?.metadata.annotations?.['team']).toBe('caches');
    // @ts-expect-error: resource ids are typed by the generated class.
    expect(() => web.resource('nope')).toThrowError(
      'Application has no resource "nope" that creates objects; it has "deployment", "service"',
    );
  });

  it('gives no object for a resource includeWhen leaves out, and says so when resource(id) is asked', () => {
    // WordPress's ingress is included only when spec.ingress.enabled (default false).
    const site = new WordPress(Testing.chart(), 'site', {
      metadata: { name: 'site' },
      spec: { siteName: 'site', databaseSecret: 'site-db' },
    });
    expect(site.resources('ingress')).toEqual([]);
    expect(() => site.resource('ingress')).toThrowError(
      'WordPress "site" has no object for resource "ingress": its includeWhen excluded it',
    );
  });

  it('has no children in bundle mode, and says what to patch instead', () => {
    const web = new Application(new Chart(appIn('bundle'), 'c'), 'web', { metadata: { name: 'web' } });
    expect(() => web.resource('deployment')).toThrowError(
      'Application "web" is in bundle mode: kro creates its resources in the cluster, so there is no "deployment" object here; patch the instance object, ApiObject.of(construct), instead',
    );
  });
});

describe('YamlOutputType, in both modes', () => {
  const cases: [YamlOutputType, 'expanded' | 'bundle', string[]][] = [
    [YamlOutputType.FILE_PER_CHART, 'expanded', ['blog.k8s.yaml', 'caches.k8s.yaml']],
    [
      YamlOutputType.FILE_PER_CHART,
      'bundle',
      [`${RGD_CHART_ID}.k8s.yaml`, 'blog.k8s.yaml', 'caches.k8s.yaml'],
    ],
    [YamlOutputType.FILE_PER_APP, 'expanded', ['app.k8s.yaml']],
    [YamlOutputType.FILE_PER_APP, 'bundle', ['app.k8s.yaml']],
    [
      YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
      'bundle',
      [
        `${RGD_CHART_ID}/ResourceGraphDefinition.web-app.k8s.yaml`,
        `${RGD_CHART_ID}/ResourceGraphDefinition.wordpress.k8s.yaml`,
        'blog/WordPress.site.k8s.yaml',
        'caches/Application.web.k8s.yaml',
      ],
    ],
  ];
  for (const [type, mode, expected] of cases) {
    it(`${YamlOutputType[type]}, ${mode}: the user's file names, the RGDs first`, () => {
      const app = appIn(mode, type);
      twoCharts(app);
      app.synth();
      expect(files(app.outdir)).toEqual(expected);
      // In the order kubectl applies a directory, and in FILE_PER_APP's one file.
      const order = applied(app.outdir);
      if (mode === 'bundle') {
        expect(order).toEqual(
          type === YamlOutputType.FILE_PER_APP
            ? [...RGDS, 'Application/web', 'WordPress/site']
            : [...RGDS, 'WordPress/site', 'Application/web'],
        );
      } else {
        expect(order).toEqual(type === YamlOutputType.FILE_PER_APP ? [...WEB, ...SITE] : [...SITE, ...WEB]);
      }
    });
  }

  it('FOLDER_PER_CHART_FILE_PER_RESOURCE, expanded: one folder per chart, as cdk8s names them', () => {
    const app = appIn('expanded', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE);
    twoCharts(app);
    app.synth();
    expect(files(app.outdir)).toEqual([
      'blog/ConfigMap.site-config.k8s.yaml',
      'blog/Deployment.site.k8s.yaml',
      'blog/PersistentVolumeClaim.site-content.k8s.yaml',
      'blog/Service.site-mysql.k8s.yaml',
      'blog/Service.site.k8s.yaml',
      'blog/StatefulSet.site-mysql.k8s.yaml',
      'caches/Deployment.web.k8s.yaml',
      'caches/Service.web-service.k8s.yaml',
    ]);
  });

  it('FILE_PER_RESOURCE: cdk8s names every file Kind.name, in both modes (see docs/codegen.md on ordering)', () => {
    for (const mode of ['expanded', 'bundle'] as const) {
      const app = appIn(mode, YamlOutputType.FILE_PER_RESOURCE);
      twoCharts(app);
      app.synth();
      const names = files(app.outdir);
      if (mode === 'expanded') {
        expect(names).toHaveLength(WEB.length + SITE.length);
        expect(names).toContain('Deployment.web.k8s.yaml');
      } else {
        expect(names).toEqual([
          'Application.web.k8s.yaml',
          'ResourceGraphDefinition.web-app.k8s.yaml',
          'ResourceGraphDefinition.wordpress.k8s.yaml',
          'WordPress.site.k8s.yaml',
        ]);
      }
    }
  });

  it("keeps cdk8s's numbering when the user's own charts depend on each other, the RGDs still first", () => {
    const app = appIn('bundle');
    twoCharts(app);
    const caches = app.node.findChild('caches') as Chart;
    (app.node.findChild('blog') as Chart).addDependency(caches);
    app.synth();
    expect(files(app.outdir)).toEqual([
      `0000-${RGD_CHART_ID}.k8s.yaml`,
      '0001-caches.k8s.yaml',
      '0002-blog.k8s.yaml',
    ]);
  });
});

describe('Testing.synth', () => {
  it("expanded: the chart's rendered objects, in kro's order", () => {
    const chart = Testing.chart();
    new WordPress(chart, 'site', {
      metadata: { name: 'site' },
      spec: { siteName: 'site', databaseSecret: 'site-db' },
    });
    expect(ids(Testing.synth(chart) as Obj[])).toEqual(SITE);
  });

  it("bundle: the chart's instance objects; the RGDs are in their own chart", () => {
    process.env[MODE_ENV] = 'bundle';
    const chart = Testing.chart();
    new WordPress(chart, 'site', {
      metadata: { name: 'site' },
      spec: { siteName: 'site', databaseSecret: 'site-db' },
    });
    new Application(chart, 'web', { metadata: { name: 'web' } });
    expect(ids(Testing.synth(chart) as Obj[])).toEqual(['WordPress/site', 'Application/web']);
    const rgds = rgdChartOf(chart);
    expect(rgds?.node.id).toBe(RGD_CHART_ID);
    expect(ids(Testing.synth(rgds!) as Obj[])).toEqual([
      'ResourceGraphDefinition/wordpress',
      'ResourceGraphDefinition/web-app',
    ]);
    // Nothing made one in expanded mode.
    expect(rgdChartOf(Testing.chart())).toBeUndefined();
  });
});

describe('RGD positions in messages', () => {
  it("are relative to the working directory, not the generated module's folder", () => {
    // generated/application.ts records `../examples/web-app/rgd.yaml`.
    expect(readFileSync(join(REPO, 'generated/application.ts'), 'utf8')).toContain(
      '"file": "../examples/web-app/rgd.yaml"',
    );
    expect(Application.RGD.file).toBe(relative(process.cwd(), join(REPO, 'examples/web-app/rgd.yaml')));
    expect(Application.RGD.rgd.loc.at(['spec']).file).toBe(Application.RGD.file);
  });

  it('resolve from the module folder, then relative to the cwd; unknown files stay as recorded', () => {
    const module = join(REPO, 'generated/application.ts');
    expect(displayPath('../examples/web-app/rgd.yaml', module, REPO)).toBe('examples/web-app/rgd.yaml');
    expect(displayPath('../examples/web-app/rgd.yaml', module, join(REPO, 'examples'))).toBe(
      'web-app/rgd.yaml',
    );
    expect(displayPath('../examples/web-app/rgd.yaml', module, join(REPO, 'src/cli'))).toBe(
      '../../examples/web-app/rgd.yaml',
    );
    expect(displayPath('../nowhere/rgd.yaml', module, REPO)).toBe('../nowhere/rgd.yaml');
    expect(displayPath('../examples/web-app/rgd.yaml', undefined, REPO)).toBe('../examples/web-app/rgd.yaml');
    expect(displayPath('<stdin>', module, REPO)).toBe('<stdin>');
  });

  it("find the calling module's file from the stack", () => {
    const where = () => callerFile(where);
    expect(where()).toBe(new URL(import.meta.url).pathname);
  });
});

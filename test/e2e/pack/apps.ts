// The cdk8s app the packaging tests build in each kind of project: one chart with a construct from
// each example RGD, imported from the generated barrel, and what it must synthesize in each mode.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, run } from './helpers.js';

export const EXAMPLE_RGDS = [
  join(REPO, 'examples/web-app/rgd.yaml'),
  join(REPO, 'examples/wordpress/rgd.yaml'),
];

/** The chart module, importing the barrel as `barrel` (`./imports` or `./imports/index.js`). */
export function chartSource(barrel: string): string {
  return `import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { Application, WordPress } from '${barrel}';

export class SitesChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new Application(this, 'web', { metadata: { name: 'web' }, spec: { name: 'web', replicas: 2 } });
    new WordPress(this, 'blog', {
      metadata: { name: 'blog' },
      // The database passwords come from a Secret the user creates (examples/wordpress).
      spec: { siteName: 'blog', tier: 'medium', databaseSecret: 'blog-db' },
    });
  }
}
`;
}

/** An app entry point synthesizing the chart into cdk8s's output directory. */
export function mainSource(chartModule: string): string {
  return `import { App } from 'cdk8s';
import { SitesChart } from '${chartModule}';

const app = new App();
new SitesChart(app, 'sites', { namespace: 'sites' });
app.synth();
`;
}

/** A jest test of the chart through Testing.synth; KRO_GEN_MODE picks the mode, as for cdk8s synth. */
export function jestSource(chartModule: string): string {
  return `import { Testing } from 'cdk8s';
import { SitesChart } from '${chartModule}';

describe('SitesChart', () => {
  test('synthesizes what kro would create, or the instances in bundle mode', () => {
    const chart = new SitesChart(Testing.app(), 'test', { namespace: 'sites' });
    const kinds = Testing.synth(chart).map((o) => o.kind);
    const bundle = process.env.KRO_GEN_MODE === 'bundle';
    const expected = bundle ? ['Application', 'WordPress'] : ['Deployment', 'Service', 'StatefulSet'];
    for (const kind of expected) expect(kinds).toContain(kind);
    expect(kinds.indexOf('Deployment') >= 0).toBe(!bundle);
  });
});
`;
}

/** Every `kind:` in the YAML files cdk8s wrote into `dir`. */
export function synthesizedKinds(dir: string): string[] {
  const kinds = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
    for (const m of readFileSync(join(dir, name), 'utf8').matchAll(/^kind: (\S+)$/gm)) kinds.add(m[1]!);
  }
  return [...kinds].sort();
}

export const EXPANDED_KINDS = ['ConfigMap', 'Deployment', 'PersistentVolumeClaim', 'Service', 'StatefulSet'];
export const BUNDLE_KINDS = ['Application', 'ResourceGraphDefinition', 'WordPress'];

/** `kro-gen generate` of the examples into `<app>/imports`, with the installed kro-gen. */
export async function generateExamples(app: string): Promise<void> {
  await run('npx', ['--no-install', 'kro-gen', 'generate', ...EXAMPLE_RGDS, '--out', 'imports'], app);
}

/** Where `npm ls` finds cdk8s and constructs in the project `app`: one line per copy. */
export async function cdk8sCopies(app: string): Promise<string[]> {
  const paths = (await run('npm', ['ls', '--all', '--parseable', 'cdk8s', 'constructs'], app)).split('\n');
  return paths.filter((p) => /node_modules\/(cdk8s|constructs)$/.test(p)).sort();
}

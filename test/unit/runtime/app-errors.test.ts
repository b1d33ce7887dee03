// What a user sees when an app built on generated constructs fails: one readable line per problem,
// RGD positions relative to the directory the app runs in (not to the generated module's folder),
// and no dump of the error's internal data after the stack.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const PATH = { PATH: process.env.PATH ?? '' };

// A project inside the repository (git-ignored .cache/), so `kro-gen/runtime` resolves to this
// checkout: rgds/lb.yaml, its module generated into imports/, and apps in the project root.
let project: string;
beforeAll(async () => {
  mkdirSync(join(REPO, '.cache'), { recursive: true });
  project = mkdtempSync(join(REPO, '.cache', 'app-errors-'));
  mkdirSync(join(project, 'rgds'));
  writeFileSync(
    join(project, 'rgds/lb.yaml'),
    `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: lb
spec:
  schema:
    apiVersion: v1alpha1
    kind: Lb
    spec:
      name: string | default=lb
      port: integer | default=80 minimum=1
  resources:
    - id: svc
      template:
        apiVersion: v1
        kind: Service
        metadata:
          name: \${schema.spec.name}
        spec:
          type: LoadBalancer
          ports:
            - port: \${schema.spec.port}
    - id: address
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-address
        data:
          ip: \${svc.status.loadBalancer.ingress[0].ip}
`,
  );
  const generated = await runCli(project, ['generate', 'rgds', '--out', 'imports']);
  expect(generated.code, generated.err).toBe(0);
  const app = (body: string) =>
    [
      "import { App, Chart } from 'cdk8s';",
      "import { Lb } from './imports/index.js';",
      'const app = new App();',
      "const chart = new Chart(app, 'c');",
      body,
      'app.synth();',
      '',
    ].join('\n');
  writeFileSync(join(project, 'render.ts'), app("new Lb(chart, 'lb', { metadata: { name: 'front' } });"));
  writeFileSync(
    join(project, 'props.ts'),
    app("new Lb(chart, 'lb', { spec: { name: 'front', port: 0, colour: 'red' } as never });"),
  );
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('errors while an app is built', () => {
  it('an expression expanded mode cannot render: one line, at the RGD relative to the cwd', async () => {
    const r = await runCli(project, ['synth', '--app', 'render.ts'], PATH);
    expect(r.code).toBe(1);
    const line = r.err.split('\n').find((l) => l.includes('[c/lb]'));
    expect(line).toMatch(
      /^ {2}\[c\/lb\] rgds\/lb\.yaml:30:15: error: cannot render Lb "front" in expanded mode: cannot evaluate \$\{svc\.status\.loadBalancer\.ingress\[0\]\.ip\}.*; for bundle mode, .* KRO_GEN_MODE=bundle$/,
    );
    expect(r.err).not.toContain('../rgds/lb.yaml');
    // From a folder below, the same file is named from there.
    const below = await runCli(join(project, 'rgds'), ['synth', '--app', '../render.ts'], PATH);
    expect(below.err).toContain('[c/lb] lb.yaml:30:15: error: cannot render Lb "front"');
  });

  it('invalid props: the PropsError in one line, without its problems dumped after the stack', async () => {
    const r = await runCli(project, ['synth', '--app', 'props.ts'], PATH);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'PropsError: invalid props for Lb at c/lb: spec.port: must be at least 1, got 0 (minimum); spec.colour: is not in the schema (known fields: name, port) (unknown field)\n',
    );
    expect(r.err).not.toMatch(/problems: \[/);
    expect(r.err.trimEnd().split('\n').at(-1)).toBe(
      'error: props.ts failed (exit status 1); nothing was written',
    );
  });
});

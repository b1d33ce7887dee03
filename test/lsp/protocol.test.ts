// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// The language server over stdio, as an editor drives it: the real `kro-gen lsp --stdio` process,
// a workspace folder of test files (test/lsp/fixtures), and every feature through the protocol.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { LspClient, REPO, uriOf } from './client.js';

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  message: string;
  code?: string;
}
interface Published {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}
interface Item {
  label: string;
  detail?: string;
  documentation?: string;
  textEdit?: { newText: string };
}

const FIXTURES = join(REPO, 'test/lsp/fixtures');
const root = mkdtempSync(join(tmpdir(), 'kro-gen-lsp-'));
cpSync(FIXTURES, root, { recursive: true });
const WEB_APP = readFileSync(join(FIXTURES, 'web-app.yaml'), 'utf8');
const webPath = join(root, 'web-app.yaml');
const web = uriOf(webPath);

/** Line and character of the `n`th occurrence of `needle` in `text`, plus `offset` characters. */
function pos(text: string, needle: string, offset = 0, n = 0) {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`no ${needle}`);
  const before = text.slice(0, at + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

function slice(text: string, r: Diag['range']): string {
  const lines = text.split('\n');
  if (r.start.line !== r.end.line) throw new Error('multi-line range');
  return (lines[r.start.line] as string).slice(r.start.character, r.end.character);
}

let client: LspClient;
let version = 1;

async function open(uri: string, text: string): Promise<Published> {
  const published = client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri);
  client.notify('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: ++version, text },
  });
  return published;
}

/** Replaces the whole text (as a range edit) and waits for the diagnostics of that version. */
async function change(uri: string, text: string, old: string): Promise<Published> {
  const v = ++version;
  const published = client.waitFor<Published>(
    'textDocument/publishDiagnostics',
    (p) => p.uri === uri && p.version === v,
  );
  client.replaceText(uri, v, old, text);
  return published;
}

/** Completion at the end of `needle` in `text`, typed over `old` (no waiting for diagnostics). */
async function completeTyped(old: string, text: string, needle: string): Promise<Item[]> {
  client.replaceText(web, ++version, old, text);
  return client.request<Item[]>('textDocument/completion', {
    textDocument: { uri: web },
    position: pos(text, needle, needle.length),
  });
}

type Action = { title: string; edit: { changes: Record<string, { newText: string }[]> } };

/** The code actions offered for one diagnostic of the web-app document. */
const fixesFor = (d: Diag) =>
  client.request<Action[]>('textDocument/codeAction', {
    textDocument: { uri: web },
    range: d.range,
    context: { diagnostics: [d] },
  });

const labels = (items: Item[] | { items: Item[] }) =>
  (Array.isArray(items) ? items : items.items).map((i) => i.label);

beforeAll(async () => {
  client = new LspClient(root);
  await client.start(root, { kroGen: { crdPaths: ['widget-crd.yaml'] } });
});

afterAll(() => {
  client.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('kro-gen lsp --stdio', () => {
  let current = WEB_APP;

  it('publishes nothing for a valid RGD, and exactly what kro-gen validate reports for a misspelled field', async () => {
    expect((await open(web, current)).diagnostics).toEqual([]);
    const bad = current.replace('image: ${schema.spec.image}', 'image: ${schema.spec.imgae}');
    const published = await change(web, bad, current);
    current = bad;
    expect(published.diagnostics).toHaveLength(1);
    const d = published.diagnostics[0] as Diag;
    expect(d.severity).toBe(1);
    expect(d.code).toBe('graph/cel');
    expect(d.range.start.line).toBe(pos(bad, 'schema.spec.imgae').line);
    expect(slice(bad, d.range)).toBe('imgae');
    // The message validate prints for the same file, at the range's start.
    const copy = join(root, 'validate-copy', 'web-app.yaml');
    mkdirSync(join(root, 'validate-copy'), { recursive: true });
    writeFileSync(copy, bad);
    const out = await runCli(root, ['validate', '--format', 'json', copy]);
    const expected = JSON.parse(out.out).diagnostics as { line: number; column: number; message: string }[];
    expect(expected.map((e) => [e.line - 1, e.column - 1, e.message])).toEqual(
      published.diagnostics.map((x) => [x.range.start.line, x.range.start.character, x.message]),
    );
    rmSync(join(root, 'validate-copy'), { recursive: true });
  });

  it('offers the nearest field as a quick fix, and fixing the name clears the diagnostic', async () => {
    const published = client.notifications
      .filter((n) => n.method === 'textDocument/publishDiagnostics')
      .at(-1)?.params as Published;
    const d = published.diagnostics[0] as Diag;
    const actions = await fixesFor(d);
    const fix = actions.find((a) => a.title === 'Change to "image"');
    expect(fix?.edit.changes[web]?.[0]?.newText).toBe('image');
    const fixed = current.replace('schema.spec.imgae', 'schema.spec.image');
    expect((await change(web, fixed, current)).diagnostics).toEqual([]);
    current = fixed;
  });

  it('marks a whole non-string template part and offers to wrap it in string(...)', async () => {
    const bad = current.replace('name: ${schema.spec.name}-service', 'name: ${schema.spec.replicas}-service');
    const published = await change(web, bad, current);
    const d = published.diagnostics[0] as Diag;
    expect(slice(bad, d.range)).toBe('${schema.spec.replicas}');
    const actions = await fixesFor(d);
    const wrap = actions.find((a) => a.title === 'Wrap in string(...)');
    expect(wrap?.edit.changes[web]?.[0]?.newText).toBe('string(schema.spec.replicas)');
    expect((await change(web, current, bad)).diagnostics).toEqual([]);
  });

  it('reports warnings as warnings', async () => {
    const bad = current
      .replace('kind: Service', 'kind: Servicee')
      .replace(
        'apiVersion: v1\n        kind: Servicee',
        'apiVersion: example.org/v1\n        kind: Servicee',
      );
    const published = await change(web, bad, current);
    expect(published.diagnostics.map((d) => [d.severity, d.code])).toEqual([[2, 'graph/unknown-kind']]);
    expect(slice(bad, (published.diagnostics[0] as Diag).range)).toBe('Servicee');
    await change(web, current, bad);
  });

  it('hovers a spec field in an expression with its SimpleSchema type, markers and description', async () => {
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: web },
      position: pos(current, 'schema.spec.replicas}', 14),
    });
    expect(h.contents.value).toContain('**schema.spec.replicas**: `int`');
    expect(h.contents.value).toContain('`integer`');
    expect(h.contents.value).toContain('Number of pods');
  });

  it('hovers resource fields, resource ids, SimpleSchema fields and functions', async () => {
    const hoverAt = async (p: { line: number; character: number }) =>
      (
        await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
          textDocument: { uri: web },
          position: p,
        })
      )?.contents.value;
    const field = await hoverAt(pos(current, 'deployment.status.availableReplicas', 20));
    expect(field).toContain('**deployment.status.availableReplicas**: `int`');
    // A built-in kind's field: its description's first sentence (data/k8s-openapi/descriptions.json).
    expect(field).toContain('Total number of available non-terminating pods');
    // Through a $ref into another definition (PodTemplateSpec, then ObjectMeta).
    expect(await hoverAt(pos(current, 'deployment.spec.selector.matchLabels', 27))).toContain(
      'matchLabels is a map of {key,value} pairs.',
    );
    const id = await hoverAt(pos(current, '- id: deployment', 8));
    expect(id).toContain('Deployment (apps/v1)');
    expect(id).toContain('used by: service, the instance status');
    expect(await hoverAt(pos(current, 'svcType: string', 2))).toContain(
      'enum "ClusterIP", "NodePort", "LoadBalancer"',
    );
    const withFn = current.replace(
      'name: ${schema.spec.name}-service',
      'name: ${random.seededString(5, schema.spec.name)}',
    );
    await change(web, withFn, current);
    const fn = await hoverAt(pos(withFn, 'seededString', 3));
    expect(fn).toContain('random.seededString(int, string): string');
    expect(fn).toContain('deterministic');
    await change(web, current, withFn);
  });

  it('completes spec fields, resource fields at any depth, variables and namespaces inside ${', async () => {
    const complete = async (replacement: string, needle: string) => {
      const text = current.replace('image: ${schema.spec.image}', replacement);
      const items = await completeTyped(current, text, needle);
      client.replaceText(web, ++version, text, current);
      return items;
    };
    expect(labels(await complete('image: ${schema.spec.', '${schema.spec.'))).toEqual([
      'name',
      'image',
      'replicas',
      'svcType',
    ]);
    const specItems = await complete('image: ${deployment.spec.', '${deployment.spec.');
    expect(labels(specItems)).toEqual(
      expect.arrayContaining(['replicas', 'selector', 'template', 'strategy', 'minReadySeconds']),
    );
    expect(specItems.find((i) => i.label === 'replicas')?.documentation).toBe('Number of desired pods.');
    expect(labels(await complete('image: ${deployment.spec.template.spec.', '.template.spec.'))).toEqual(
      expect.arrayContaining(['containers', 'volumes', 'nodeSelector']),
    );
    const roots = labels(await complete('image: ${', '${'));
    expect(roots).toEqual(
      expect.arrayContaining(['schema', 'deployment', 'service', 'random', 'json', 'has', 'size']),
    );
    expect(labels(await complete('image: ${random.', '${random.'))).toEqual(['seededString', 'seededInt']);
    expect(labels(await complete('image: ${schema.metadata.', '${schema.metadata.'))).toEqual(
      expect.arrayContaining(['name', 'namespace', 'labels']),
    );
  });

  it('completes and hovers inside block scalars (| and >-), an expression over several lines too', async () => {
    const block = `${current}    - id: config
      readyWhen:
        - >-
          \${config.data.size() >
            config.data.size()}
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-config
        data:
          app.properties: |
            name=\${schema.spec.name}
            replicas=\${string(deployment.spec.replicas)}
          folded: >-
            image \${schema.spec.image}
            and \${deployment.spec.template.spec.serviceAccountName}
`;
    expect((await change(web, block, current)).diagnostics).toEqual([]);
    const hoverAt = async (needle: string, offset: number) =>
      (await client.request<{ contents: { value: string }; range: Diag['range'] } | null>(
        'textDocument/hover',
        { textDocument: { uri: web }, position: pos(block, needle, offset) },
      )) ?? undefined;
    const literal = await hoverAt('deployment.spec.replicas)', 18);
    expect(literal?.contents.value).toContain('**deployment.spec.replicas**: `int`');
    expect(literal?.contents.value).toContain('Number of desired pods.');
    expect(slice(block, literal?.range as Diag['range'])).toBe('replicas');
    const folded = await hoverAt('serviceAccountName}', 3);
    expect(folded?.contents.value).toContain(
      '**deployment.spec.template.spec.serviceAccountName**: `string`',
    );
    expect(slice(block, folded?.range as Diag['range'])).toBe('serviceAccountName');
    const spec = await hoverAt('schema.spec.image}', 13);
    expect(spec?.contents.value).toContain('Container image to run');
    // The second line of a folded expression.
    const second = await hoverAt('config.data.size()}', 8);
    expect(second?.contents.value).toContain('**config.data**: `map(string, string)`');
    expect(slice(block, second?.range as Diag['range'])).toBe('data');

    const completeIn = async (from: string, to: string, needle: string) => {
      const text = block.replace(from, to);
      const items = await completeTyped(block, text, needle);
      await change(web, block, text);
      return labels(items);
    };
    expect(
      await completeIn(
        'replicas=${string(deployment.spec.replicas)}',
        'replicas=${deployment.spec.',
        'replicas=${deployment.spec.',
      ),
    ).toEqual(expect.arrayContaining(['replicas', 'selector', 'template']));
    expect(
      await completeIn(
        'and ${deployment.spec.template.spec.serviceAccountName}',
        'and ${schema.spec.',
        'and ${schema.spec.',
      ),
    ).toEqual(['name', 'image', 'replicas', 'svcType']);
    // `${` opened on the line above, in the same folded block.
    expect(
      await completeIn(
        '            config.data.size()}',
        '            deployment.spec.template.',
        '            deployment.spec.template.',
      ),
    ).toEqual(expect.arrayContaining(['metadata', 'spec']));
    expect((await change(web, current, block)).diagnostics).toEqual([]);
  });

  it('completes SimpleSchema types and, after |, markers', async () => {
    const text = current.replace('replicas: integer | default=1 minimum=0', 'replicas: int');
    await change(web, text, current);
    const types = await client.request<Item[]>('textDocument/completion', {
      textDocument: { uri: web },
      position: pos(text, 'replicas: int', 13),
    });
    expect(labels(types)).toEqual(
      expect.arrayContaining(['string', 'integer', 'boolean', 'float', '[]T', 'map[string]T']),
    );
    const markers = await client.request<Item[]>('textDocument/completion', {
      textDocument: { uri: web },
      position: pos(current, 'image: string | ', 16),
    });
    await change(web, current, text);
    expect(labels(markers)).toEqual(
      expect.arrayContaining(['required', 'default', 'description', 'enum', 'minimum']),
    );
  });

  it('goes to the definition of a resource id and of a spec field', async () => {
    const def = await client.request<{ uri: string; range: Diag['range'] }>('textDocument/definition', {
      textDocument: { uri: web },
      position: pos(current, 'deployment.spec.selector', 3),
    });
    expect(def.uri).toBe(web);
    expect(def.range.start).toEqual(pos(current, '- id: deployment', 6));
    expect(slice(current, def.range)).toBe('deployment');
    const field = await client.request<{ range: Diag['range'] }>('textDocument/definition', {
      textDocument: { uri: web },
      position: pos(current, 'schema.spec.svcType', 14),
    });
    expect(field.range.start).toEqual(pos(current, 'svcType: string'));
  });

  it('finds the references of a resource and of a spec field', async () => {
    const refs = await client.request<{ range: Diag['range'] }[]>('textDocument/references', {
      textDocument: { uri: web },
      position: pos(current, '- id: deployment', 8),
      context: { includeDeclaration: true },
    });
    // The id, two status fields, two readyWhen reads and the Service's selector.
    expect(refs).toHaveLength(6);
    for (const r of refs) expect(slice(current, r.range)).toBe('deployment');
    const name = await client.request<{ range: Diag['range'] }[]>('textDocument/references', {
      textDocument: { uri: web },
      position: pos(current, 'name: string'),
      context: { includeDeclaration: false },
    });
    expect(name).toHaveLength(5);
    for (const r of name) expect(slice(current, r.range)).toBe('name');
  });

  it('renames a resource id everywhere it is used', async () => {
    const prepared = await client.request<Diag['range']>('textDocument/prepareRename', {
      textDocument: { uri: web },
      position: pos(current, 'deployment.status.conditions', 2),
    });
    expect(slice(current, prepared)).toBe('deployment');
    const edit = await client.request<{
      changes: Record<string, { range: Diag['range']; newText: string }[]>;
    }>('textDocument/rename', {
      textDocument: { uri: web },
      position: pos(current, 'deployment.status.conditions', 2),
      newName: 'web',
    });
    const edits = edit.changes[web] ?? [];
    expect(edits).toHaveLength(6);
    const lines = current.split('\n');
    for (const e of [...edits].sort(
      (a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character,
    )) {
      const l = lines[e.range.start.line] as string;
      lines[e.range.start.line] =
        l.slice(0, e.range.start.character) + e.newText + l.slice(e.range.end.character);
    }
    const renamed = lines.join('\n');
    expect(renamed).not.toMatch(/\bdeployment\b/);
    expect(renamed).toContain('- id: web\n');
    // The renamed RGD is still valid.
    expect((await change(web, renamed, current)).diagnostics).toEqual([]);
    await change(web, current, renamed);
  });

  it('lists schema fields and resources as document symbols', async () => {
    type Sym = { name: string; detail?: string; children?: Sym[] };
    const symbols = await client.request<Sym[]>('textDocument/documentSymbol', {
      textDocument: { uri: web },
    });
    expect(symbols.map((s) => s.name)).toEqual(['web-app']);
    const children = symbols[0]?.children ?? [];
    expect(children.map((c) => c.name)).toEqual(['schema.spec', 'schema.status', 'deployment', 'service']);
    expect(children[0]?.children?.map((c) => c.name)).toEqual(['name', 'image', 'replicas', 'svcType']);
    expect(children[2]?.detail).toBe('Deployment (apps/v1)');
  });

  it('offers .?field.orValue(...) on a field read', async () => {
    const at = pos(current, 'deployment.status.availableReplicas}', 20);
    const actions = await client.request<Action[]>('textDocument/codeAction', {
      textDocument: { uri: web },
      range: { start: at, end: at },
      context: { diagnostics: [] },
    });
    expect(actions.map((a) => a.title)).toContain('Guard with .?availableReplicas.orValue(0)');
  });

  it("gives instance files synth's instance validation and completes their spec fields and enum values", async () => {
    const text = readFileSync(join(root, 'app-instance.yaml'), 'utf8');
    const uri = uriOf(join(root, 'app-instance.yaml'));
    const published = await open(uri, text);
    expect(published.diagnostics).toHaveLength(1);
    expect(published.diagnostics[0]?.message).toMatch(/^spec\.svcType: /);
    expect(slice(text, (published.diagnostics[0] as Diag).range)).toBe('Internal');
    const values = await client.request<Item[]>('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, 'svcType: ', 9),
    });
    expect(labels(values)).toEqual(['ClusterIP', 'NodePort', 'LoadBalancer']);
    const withBlank = `${text}  \n`;
    await change(uri, withBlank, text);
    const keys = await client.request<Item[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: withBlank.split('\n').length - 2, character: 2 },
    });
    expect(keys.map((k) => [k.label, k.detail])).toEqual([
      ['image', 'string = "httpd:latest"'],
      ['replicas', 'integer = 1'],
    ]);
  });

  it('gives a YAML file that is neither an RGD nor an instance no diagnostics', async () => {
    const text = readFileSync(join(root, 'plain.yaml'), 'utf8');
    expect((await open(uriOf(join(root, 'plain.yaml')), text)).diagnostics).toEqual([]);
  });

  it('resolves kinds from kroGen.crdPaths and chained RGDs in the workspace folder', async () => {
    const widget = readFileSync(join(root, 'uses-widget.yaml'), 'utf8');
    const wUri = uriOf(join(root, 'uses-widget.yaml'));
    expect((await open(wUri, widget)).diagnostics).toEqual([]);
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: wUri },
      position: pos(widget, 'widget.spec.size', 13),
    });
    expect(h.contents.value).toContain('How many sprockets the widget has.');
    const platform = readFileSync(join(root, 'platform.yaml'), 'utf8');
    const pUri = uriOf(join(root, 'platform.yaml'));
    expect((await open(pUri, platform)).diagnostics).toEqual([]);
    const broken = platform.replace('app.spec.replicas', 'app.spec.replica');
    const d = await change(pUri, broken, platform);
    expect(d.diagnostics.map((x) => x.message)).toEqual([
      expect.stringContaining("undefined field 'replica'"),
    ]);
  });

  it('without the setting, the CRD kind is unknown (a warning)', async () => {
    client.notify('workspace/didChangeConfiguration', { settings: { kroGen: { crdPaths: [] } } });
    const uri = uriOf(join(root, 'uses-widget.yaml'));
    const published = await client.waitFor<Published>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && p.diagnostics.length > 0,
    );
    expect(published.diagnostics.map((d) => [d.severity, d.code])).toEqual([[2, 'graph/unknown-kind']]);
  });

  it('shuts down and exits with status 0', async () => {
    expect(await client.stop()).toBe(0);
  });
});

// The language server as a workspace: which open documents an edit re-validates (the edited one
// and those depending on it, transitively, not the others), and where the problems of reading the
// `kroGen.crdPaths` CRDs show up. The real `kro-gen lsp --stdio` over stdio, in a temporary copy
// of test/lsp/fixtures.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient, REPO, uriOf } from './client.js';

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  message: string;
}
interface Published {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

const root = mkdtempSync(join(tmpdir(), 'kro-gen-lsp-ws-'));
cpSync(join(REPO, 'test/lsp/fixtures'), root, { recursive: true });
// An instance of platform.yaml's kind: it depends on web-app.yaml only through platform.yaml.
writeFileSync(
  join(root, 'platform-instance.yaml'),
  'apiVersion: kro.run/v1alpha1\nkind: Platform\nmetadata:\n  name: shop\nspec:\n  image: nginx\n',
);
// A CRD file with a YAML error on line 6.
const BROKEN_CRD = [
  'apiVersion: apiextensions.k8s.io/v1',
  'kind: CustomResourceDefinition',
  'metadata:',
  '  name: gadgets.example.com',
  'spec:',
  '  group: a: b',
  '  names: {}',
  '',
].join('\n');
writeFileSync(join(root, 'broken-crd.yaml'), BROKEN_CRD);

const file = (name: string) => ({
  name,
  uri: uriOf(join(root, name)),
  text: readFileSync(join(root, name), 'utf8'),
});
const web = file('web-app.yaml');
const OPEN = [
  web,
  ...['app-instance.yaml', 'platform.yaml', 'platform-instance.yaml', 'uses-widget.yaml', 'plain.yaml'].map(
    file,
  ),
];
const nameOf = (uri: string) => OPEN.find((f) => f.uri === uri)?.name ?? uri;

let client: LspClient;
let version = 1;

function replaceAll(uri: string, old: string, text: string): number {
  const v = ++version;
  client.replaceText(uri, v, old, text);
  return v;
}

const publishedSince = (mark: number): Published[] =>
  client.notifications
    .slice(mark)
    .filter((n) => n.method === 'textDocument/publishDiagnostics')
    .map((n) => n.params as Published);

/** Waits until every document in `names` got diagnostics after `mark`, then a while longer for any other. */
async function settle(mark: number, names: readonly string[]): Promise<string[]> {
  for (const name of names) {
    const uri = OPEN.find((f) => f.name === name)?.uri;
    if (!publishedSince(mark).some((p) => p.uri === uri))
      await client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === uri);
  }
  // Dependents are scheduled within a few tens of ms of the edit's own analysis; a document that
  // does not depend on the edit is never scheduled, so this wait only gives a wrong one time to show.
  await new Promise((r) => setTimeout(r, 1500));
  return [...new Set(publishedSince(mark).map((p) => nameOf(p.uri)))].sort();
}

beforeAll(async () => {
  client = new LspClient(root);
  await client.start(root, { kroGen: { crdPaths: ['widget-crd.yaml'] } });
  for (const f of OPEN) {
    const published = client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === f.uri);
    client.notify('textDocument/didOpen', {
      textDocument: { uri: f.uri, languageId: 'yaml', version: ++version, text: f.text },
    });
    await published;
  }
  // Opening documents one after another re-validates nothing: let any straggler pass.
  await new Promise((r) => setTimeout(r, 500));
});

afterAll(() => {
  client.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('kro-gen lsp: what an edit re-validates', () => {
  it('an edit to an RGD re-validates it, its instances and the RGDs chaining its kind (and their instances), no other file', async () => {
    const mark = client.notifications.length;
    const edited = web.text.replace('description="Number of pods"', 'description="How many pods"');
    const v = replaceAll(web.uri, web.text, edited);
    web.text = edited;
    await client.waitFor<Published>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === web.uri && p.version === v,
    );
    expect(
      await settle(mark, ['web-app.yaml', 'app-instance.yaml', 'platform.yaml', 'platform-instance.yaml']),
    ).toEqual(['app-instance.yaml', 'platform-instance.yaml', 'platform.yaml', 'web-app.yaml']);
  });

  it('an edit to an RGD nothing uses re-validates only that file', async () => {
    const widget = OPEN.find((f) => f.name === 'uses-widget.yaml') as (typeof OPEN)[number];
    const mark = client.notifications.length;
    const edited = widget.text.replace('size: integer | default=3', 'size: integer | default=4');
    replaceAll(widget.uri, widget.text, edited);
    widget.text = edited;
    expect(await settle(mark, ['uses-widget.yaml'])).toEqual(['uses-widget.yaml']);
  });

  it('an edit that breaks a chained kind shows up in the RGD that uses it', async () => {
    const platform = OPEN.find((f) => f.name === 'platform.yaml') as (typeof OPEN)[number];
    const waiting = client.waitFor<Published>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === platform.uri && p.diagnostics.length > 0,
    );
    const edited = web.text.replace('replicas: integer | default=1', 'count: integer | default=1');
    replaceAll(web.uri, web.text, edited);
    expect((await waiting).diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("undefined field 'replicas'"),
    ]);
    const cleared = client.waitFor<Published>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === platform.uri && p.diagnostics.length === 0,
    );
    replaceAll(web.uri, edited, web.text);
    await cleared;
  });
});

describe('kro-gen lsp: problems reading kroGen.crdPaths', () => {
  const broken = uriOf(join(root, 'broken-crd.yaml'));

  it('puts a CRD file problem on that file, and says what the editor may not show in a warning', async () => {
    const onFile = client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === broken);
    const notice = client.waitFor<{ type: number; message: string }>('window/showMessage');
    client.notify('workspace/didChangeConfiguration', {
      settings: { kroGen: { crdPaths: ['widget-crd.yaml', 'broken-crd.yaml', 'no-such-dir'] } },
    });
    const published = await onFile;
    expect(published.diagnostics.length).toBeGreaterThan(0);
    expect(published.diagnostics[0]?.severity).toBe(1);
    expect(published.diagnostics[0]?.range.start.line).toBe(5);
    const shown = await notice;
    expect(shown.type).toBe(2);
    expect(shown.message).toMatch(/^kro-gen: problem reading kroGen\.crdPaths: /);
    expect(shown.message).toContain('cannot read ' + join(root, 'no-such-dir'));
    expect(shown.message).toContain('(and 1 more)');
  });

  it('keeps them with the file while it is open, and clears them when the setting no longer names it', async () => {
    const opened = client.waitFor<Published>('textDocument/publishDiagnostics', (p) => p.uri === broken);
    client.notify('textDocument/didOpen', {
      textDocument: { uri: broken, languageId: 'yaml', version: ++version, text: BROKEN_CRD },
    });
    const published = await opened;
    expect(published.diagnostics.map((d) => [d.severity, d.range.start.line])).toContainEqual([1, 5]);
    const cleared = client.waitFor<Published>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === broken && p.diagnostics.length === 0,
    );
    client.notify('workspace/didChangeConfiguration', {
      settings: { kroGen: { crdPaths: ['widget-crd.yaml'] } },
    });
    await cleared;
  });
});

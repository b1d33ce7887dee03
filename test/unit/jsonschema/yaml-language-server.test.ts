// The schemas in the editor they are written for: the real yaml-language-server (the server of VS
// Code's YAML extension, Neovim's yamlls, Helix and Zed), started over stdio, opens files that name
// a kro-gen schema in a `# yaml-language-server: $schema=` modeline and reports their mistakes at
// their lines; a correct file gets no diagnostics. SchemaStore is off, so nothing is downloaded.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgdJsonSchema } from '../../../src/jsonschema/index.js';
import { runCli } from '../../helpers/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
  severity?: number;
}

/** A bare LSP client: Content-Length framing, requests with ids, answers to the server's requests. */
class Client {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly settings: unknown,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.toString('ascii', 0, headerEnd))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.toString('utf8', headerEnd + 4, headerEnd + 4 + length);
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(JSON.parse(body));
    }
  }

  private handle(msg: { id?: number; method?: string; params?: unknown; result?: unknown }): void {
    if (msg.method === undefined && msg.id !== undefined) {
      this.pending.get(msg.id)?.(msg.result);
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') {
      const p = msg.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    if (msg.id !== undefined) {
      // workspace/configuration asks for sections; everything else (registrations, progress) gets null.
      const items = (msg.params as { items?: { section?: string }[] } | undefined)?.items;
      const result =
        msg.method === 'workspace/configuration'
          ? (items ?? []).map((i) =>
              i.section === 'yaml' ? (this.settings as { yaml: unknown }).yaml : null,
            )
          : null;
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    }
  }

  private send(msg: object): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** The diagnostics of `uri` once `done` accepts them. */
  async diagnosticsOf(uri: string, done: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    for (;;) {
      const d = this.diagnostics.get(uri);
      if (d && done(d)) return d;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

describe('kro-gen schemas in yaml-language-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-yamlls-'));
  let child: ChildProcessWithoutNullStreams;
  let client: Client;

  beforeAll(async () => {
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('yaml-language-server/package.json');
    child = spawn(process.execPath, [join(dirname(pkg), 'bin', 'yaml-language-server'), '--stdio'], {
      cwd: dir,
    });
    const settings = {
      yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false }, schemas: {} },
    };
    client = new Client(child, settings);
    await client.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    client.notify('initialized', {});
    client.notify('workspace/didChangeConfiguration', { settings });
    writeFileSync(join(dir, 'rgd.schema.json'), JSON.stringify(rgdJsonSchema()));
    const { code } = await runCli(ROOT, ['schema', 'instance', 'examples/web-app/rgd.yaml', '--out', dir]);
    expect(code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (!client) return;
    await client.request('shutdown', null);
    client.notify('exit', null);
  });

  function open(name: string, text: string): string {
    const uri = pathToFileURL(join(dir, name)).href;
    writeFileSync(join(dir, name), text);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  const lines = (d: Diagnostic[]) => d.map((x) => `${x.range.start.line + 1}: ${x.message}`);

  it('reports the mistakes of an RGD at their lines', async () => {
    const good = readFileSync(join(ROOT, 'examples/web-app/rgd.yaml'), 'utf8');
    const bad = good
      .replace('replicas: integer | default=1', 'replicas: integer | defualt=1')
      .replace('- id: service', '- id: my-service')
      .replace('      readyWhen:', '      readywhen:');
    const text = `# yaml-language-server: $schema=./rgd.schema.json\n${bad}`;
    const uri = open('bad-rgd.yaml', text);
    const d = await client.diagnosticsOf(uri, (x) => x.length >= 3);
    const at = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const shown = lines(d);
    expect(shown).toContainEqual(
      expect.stringMatching(new RegExp(`^${at('defualt')}: Not a SimpleSchema field`)),
    );
    expect(shown).toContainEqual(
      expect.stringMatching(new RegExp(`^${at('my-service')}: Must be lowerCamelCase`)),
    );
    expect(shown).toContainEqual(
      expect.stringMatching(new RegExp(`^${at('readywhen')}: Property readywhen is not allowed`)),
    );
  });

  it('reports nothing for a correct RGD', async () => {
    const good = readFileSync(join(ROOT, 'examples/web-app/rgd.yaml'), 'utf8');
    const uri = open('good-rgd.yaml', `# yaml-language-server: $schema=./rgd.schema.json\n${good}`);
    expect(await client.diagnosticsOf(uri, () => true)).toEqual([]);
  });

  it('reports an instance field of the wrong type and an unknown field', async () => {
    const text = [
      '# yaml-language-server: $schema=./applications.kro.run.schema.json',
      'apiVersion: kro.run/v1alpha1',
      'kind: Application',
      'metadata:',
      '  name: demo',
      'spec:',
      '  name: demo',
      '  replicas: three',
      '  colour: red',
      '',
    ].join('\n');
    const uri = open('instance.yaml', text);
    const d = await client.diagnosticsOf(uri, (x) => x.length >= 2);
    expect(lines(d)).toContainEqual(expect.stringMatching(/^8: Incorrect type. Expected "integer"/));
    expect(lines(d)).toContainEqual(expect.stringMatching(/^9: Property colour is not allowed/));
  });
});

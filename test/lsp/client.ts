// A minimal Language Server Protocol client for tests: spawns the real `kro-gen lsp --stdio`
// (from source, through tsx) and speaks JSON-RPC with Content-Length framing over its stdio.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The command that starts the server from source. */
// tsx by its file: `--import tsx` would resolve from the working directory, a temporary folder here.
export const SERVER_COMMAND = [
  process.execPath,
  '--import',
  pathToFileURL(`${REPO}node_modules/tsx/dist/loader.mjs`).href,
  `${REPO}src/cli/main.ts`,
  'lsp',
  '--stdio',
];

export const uriOf = (path: string): string => pathToFileURL(path).href;

interface Message {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { message: string };
}

export class LspClient {
  readonly #child: ChildProcessWithoutNullStreams;
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners: ((m: Message) => void)[] = [];
  /** Every notification received, in order. */
  readonly notifications: Message[] = [];
  /** Answers to server requests (workspace/configuration), by method. */
  readonly answers = new Map<string, (params: unknown) => unknown>();
  readonly exited: Promise<number | null>;
  stderr = '';

  constructor(cwd: string) {
    this.#child = spawn(SERVER_COMMAND[0] as string, SERVER_COMMAND.slice(1), { cwd, stdio: 'pipe' });
    this.#child.stdout.on('data', (d: Buffer) => this.#read(d));
    this.#child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.exited = new Promise((done) => this.#child.on('exit', (code) => done(code)));
  }

  #read(data: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, data]);
    for (;;) {
      const head = this.#buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, head).toString())?.[1]);
      if (this.#buffer.length < head + 4 + length) return;
      const body = this.#buffer.subarray(head + 4, head + 4 + length).toString('utf8');
      this.#buffer = this.#buffer.subarray(head + 4 + length);
      this.#dispatch(JSON.parse(body) as Message);
    }
  }

  #dispatch(m: Message): void {
    if (m.method !== undefined && m.id !== undefined) {
      const answer = this.answers.get(m.method);
      this.#send({ jsonrpc: '2.0', id: m.id, result: answer ? answer(m.params) : null });
      return;
    }
    if (m.method !== undefined) {
      this.notifications.push(m);
      for (const l of [...this.#listeners]) l(m);
      return;
    }
    const p = this.#pending.get(m.id as number);
    if (!p) return;
    this.#pending.delete(m.id as number);
    if (m.error) p.reject(new Error(m.error.message));
    else p.resolve(m.result);
  }

  #send(m: object): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.#child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.#child.stdin.write(body);
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.#send({ jsonrpc: '2.0', method, params });
  }

  /** A didChange that replaces the whole text `old` with `text` (one range edit), as `version`. */
  replaceText(uri: string, version: number, old: string, text: string): void {
    const lines = old.split('\n');
    this.notify('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [
        {
          range: {
            start: { line: 0, character: 0 },
            end: { line: lines.length - 1, character: (lines.at(-1) as string).length },
          },
          text,
        },
      ],
    });
  }

  /** The next notification of `method` whose params satisfy `test` (waiting up to `ms`). */
  waitFor<T = unknown>(method: string, test: (params: T) => boolean = () => true, ms = 20_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.splice(this.#listeners.indexOf(listener), 1);
        reject(new Error(`no ${method} within ${ms} ms; stderr: ${this.stderr}`));
      }, ms);
      const listener = (m: Message) => {
        if (m.method !== method || !test(m.params as T)) return;
        clearTimeout(timer);
        this.#listeners.splice(this.#listeners.indexOf(listener), 1);
        resolve(m.params as T);
      };
      this.#listeners.push(listener);
    });
  }

  /** initialize + initialized, with `root` as the one workspace folder. */
  async start(root: string, initializationOptions: unknown = {}, configuration = false): Promise<unknown> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'test' }],
      capabilities: { workspace: { configuration } },
      initializationOptions,
    });
    this.notify('initialized', {});
    return result;
  }

  async stop(): Promise<number | null> {
    await this.request('shutdown', null);
    this.notify('exit', null);
    return this.exited;
  }

  kill(): void {
    this.#child.kill();
  }
}

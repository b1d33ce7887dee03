// The language server's connection: the protocol library over the command's streams, the
// workspace's files read from disk (open documents override them), the kroGen settings, and
// debounced diagnostics. Everything it answers comes from src/lsp, which is pure.
import { isAbsolute, resolve, sep } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  type InitializeParams,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../../lsp/actions.js';
import { complete } from '../../lsp/completion.js';
import { crdProblems } from '../../lsp/crd-problems.js';
import { toLspDiagnostics } from '../../lsp/diagnostics.js';
import { hover } from '../../lsp/hover.js';
import { definition, references, rename, renameSpan } from '../../lsp/navigation.js';
import { documentSymbols, type OutlineSymbol } from '../../lsp/symbols.js';
import type { FileAnalysis } from '../../lsp/workspace.js';
import { Workspace } from '../../lsp/workspace.js';
import { readInputs } from '../inputs.js';
import { EXIT_OK, type Io } from '../io.js';
import { readCrdDocuments } from './validate.js';

/** How long diagnostics wait for typing to pause; short enough to stay within 100 ms of an edit. */
export const DIAGNOSTICS_DEBOUNCE_MS = 30;
/** An edit finding no analysis waiting waits only this long: a completion request sent with it goes first. */
const IDLE_DELAY_MS = 5;

interface Settings {
  readonly crdPaths: readonly string[];
}

function settingsFrom(v: unknown): Settings | undefined {
  const kroGen = (v as { kroGen?: unknown } | undefined)?.kroGen ?? v;
  const paths = (kroGen as { crdPaths?: unknown } | undefined)?.crdPaths;
  if (!Array.isArray(paths)) return undefined;
  return { crdPaths: paths.filter((p): p is string => typeof p === 'string') };
}

const toPath = (uri: string): string => (uri.startsWith('file:') ? fileURLToPath(uri) : uri);
const toUri = (path: string): string => (isAbsolute(path) ? pathToFileURL(path).href : path);

export function serveLsp(io: Io): Promise<number> {
  const input = io.stdin ? Readable.from(io.stdin()) : Readable.from([]);
  const output = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      io.stdout(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      done();
    },
  });
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace();
  const timers = new Map<string, NodeJS.Timeout>();
  let folders: string[] = [io.cwd];
  let settings: Settings = { crdPaths: [] };
  let pullConfiguration = false;
  let ready: Promise<void> = Promise.resolve();

  const log = (message: string) => connection.console.log(`kro-gen: ${message}`);

  async function scanFolders(): Promise<void> {
    const found = await readInputs(folders, io);
    for (const f of found.files) if (!documents.get(toUri(f.path))) ws.setFile(f.path, f.text);
  }

  const crdPaths = (): string[] => {
    const base = folders[0] ?? io.cwd;
    return settings.crdPaths.map((p) => (isAbsolute(p) ? p : resolve(base, p)));
  };
  /** Whether a file is (in) one of the setting's CRD paths, so a change to it re-reads the CRDs. */
  const isCrdFile = (file: string): boolean => crdPaths().some((p) => file === p || file.startsWith(p + sep));

  async function loadCrds(): Promise<void> {
    const paths = crdPaths();
    const read = await readCrdDocuments(paths, io);
    ws.setCrds(read.crds, read.diagnostics);
    for (const d of read.diagnostics) log(d.message);
    await reportCrdProblems();
  }

  // The files that last got CRD problems as diagnostics, and the last notice shown.
  let crdProblemUris = new Set<string>();
  let lastNotice: string | undefined;

  // A file outside the workspace folders, analysed alone (for the ranges of its diagnostics).
  async function outsideAnalysis(file: string): Promise<FileAnalysis | undefined> {
    const text = (await readInputs([file], io)).files[0]?.text;
    if (text === undefined) return undefined;
    const alone = new Workspace();
    alone.setFile(file, text);
    return alone.analyze(file);
  }

  async function reportCrdProblems(): Promise<void> {
    const problems = crdProblems(ws.crdDiagnostics, (file) => documents.get(toUri(file)) !== undefined);
    const uris = new Set([...problems.byFile.keys()].map(toUri));
    for (const uri of crdProblemUris)
      if (!uris.has(uri) && !documents.get(uri)) void connection.sendDiagnostics({ uri, diagnostics: [] });
    crdProblemUris = uris;
    // Open files get them with their own diagnostics (publish); closed ones here.
    for (const [file, diags] of problems.byFile) {
      const uri = toUri(file);
      if (documents.get(uri)) continue;
      const a = ws.hasFile(file) ? ws.analyze(file) : await outsideAnalysis(file);
      if (a)
        void connection.sendDiagnostics({
          uri,
          diagnostics: toLspDiagnostics({ ...a, diagnostics: [] }, diags),
        });
    }
    if (problems.notice !== lastNotice && problems.notice !== undefined)
      void connection.sendNotification('window/showMessage', { type: 2, message: problems.notice });
    lastNotice = problems.notice;
  }

  function analysis(uri: string): FileAnalysis | undefined {
    const doc = documents.get(uri);
    const path = toPath(uri);
    if (doc) ws.setFile(path, doc.getText());
    return ws.analyze(path);
  }

  function publish(uri: string): void {
    const doc = documents.get(uri);
    if (!doc) return;
    const a = analysis(uri);
    const path = toPath(uri);
    const crd = crdProblems(ws.crdDiagnostics, () => true).byFile.get(path) ?? [];
    void connection.sendDiagnostics({
      uri,
      version: doc.version,
      diagnostics: a ? toLspDiagnostics(a, crd) : [],
    });
  }

  // Diagnostics of one document: almost at once for an edit that finds none waiting, else (edits arriving
  // together, or while an analysis runs) once they pause for DIAGNOSTICS_DEBOUNCE_MS, so a burst is
  // analysed once. The open documents that depend on it (instances of its kinds, RGDs chaining them)
  // follow, later; the others keep their diagnostics.
  function schedule(uri: string, delay = DIAGNOSTICS_DEBOUNCE_MS): void {
    const pending = timers.get(uri);
    clearTimeout(pending);
    const idle = pending === undefined;
    timers.set(
      uri,
      setTimeout(
        () => {
          timers.delete(uri);
          void ready.then(() => {
            publish(uri);
            scheduleStale(4 * delay);
          });
        },
        idle ? IDLE_DELAY_MS : delay,
      ),
    );
  }

  /** Schedules the open documents whose analysis no longer holds, and only those. */
  function scheduleStale(delay = DIAGNOSTICS_DEBOUNCE_MS): void {
    for (const doc of documents.all()) {
      if (timers.has(doc.uri)) continue;
      const path = toPath(doc.uri);
      ws.setFile(path, doc.getText());
      if (ws.isStale(path)) schedule(doc.uri, delay);
    }
  }

  async function refresh(): Promise<void> {
    if (pullConfiguration) {
      const got = settingsFrom(await connection.workspace.getConfiguration('kroGen').catch(() => undefined));
      if (got) settings = got;
    }
    await loadCrds();
    scheduleStale();
  }

  connection.onInitialize((params: InitializeParams) => {
    const roots =
      params.workspaceFolders?.map((f) => toPath(f.uri)) ?? (params.rootUri ? [toPath(params.rootUri)] : []);
    if (roots.length > 0) folders = roots;
    settings = settingsFrom(params.initializationOptions) ?? settings;
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: true },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.', '{', '|', ' '] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: 'kro-gen' },
    };
  });

  connection.onInitialized(() => {
    ready = (async () => {
      await scanFolders();
      if (pullConfiguration) {
        const got = settingsFrom(
          await connection.workspace.getConfiguration('kroGen').catch(() => undefined),
        );
        if (got) settings = got;
      }
      await loadCrds();
    })().catch((e: unknown) =>
      log(`cannot read the workspace: ${e instanceof Error ? e.message : String(e)}`),
    );
  });

  connection.onDidChangeConfiguration((change) => {
    const got = settingsFrom(change.settings);
    if (got) settings = got;
    void refresh();
  });

  connection.onDidChangeWatchedFiles(async (change) => {
    if (change.changes.some((c) => isCrdFile(toPath(c.uri)))) await ready.then(loadCrds);
    for (const c of change.changes) {
      const path = toPath(c.uri);
      if (documents.get(c.uri)) continue;
      if (c.type === 3) ws.removeFile(path);
      else {
        const read = await readInputs([path], io);
        for (const f of read.files) ws.setFile(path, f.text);
      }
    }
    scheduleStale();
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  // The CRDs are read from disk: saving one of them re-reads them.
  documents.onDidSave((e) => {
    if (!isCrdFile(toPath(e.document.uri))) return;
    void ready.then(loadCrds).then(() => scheduleStale());
  });
  documents.onDidChangeContent((e) => schedule(e.document.uri));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    // Problems reading it as a CRD stay listed (now as a closed file's); anything else goes.
    if (crdProblemUris.has(e.document.uri)) void reportCrdProblems();
    else void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    // Back to what the disk holds.
    void readInputs([toPath(e.document.uri)], io).then((read) => {
      const f = read.files[0];
      if (f) ws.setFile(toPath(e.document.uri), f.text);
      else ws.removeFile(toPath(e.document.uri));
      scheduleStale();
    });
  });

  connection.onHover(async ({ textDocument, position }) => {
    await ready;
    const a = analysis(textDocument.uri);
    const h = a ? hover(a, a.lines.offsetAt(position)) : undefined;
    return h
      ? { contents: { kind: 'markdown', value: h.markdown }, ...(h.range ? { range: h.range } : {}) }
      : null;
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    await ready;
    const doc = documents.get(textDocument.uri);
    if (!doc) return [];
    const a = ws.forCompletion(toPath(textDocument.uri), doc.getText(), position.line);
    if (!a) return [];
    return complete(a, a.lines.offsetAt(position)).map((c) => ({
      label: c.label,
      kind: c.kind as 1,
      ...(c.detail ? { detail: c.detail } : {}),
      ...(c.documentation ? { documentation: c.documentation } : {}),
      ...(c.range
        ? { textEdit: { range: c.range, newText: c.insertText ?? c.label } }
        : c.insertText
          ? { insertText: c.insertText }
          : {}),
      ...(c.snippet ? { insertTextFormat: 2 as const } : {}),
    }));
  });

  connection.onDefinition(async ({ textDocument, position }) => {
    await ready;
    const a = analysis(textDocument.uri);
    const span = a ? definition(a, a.lines.offsetAt(position)) : undefined;
    return a && span ? { uri: textDocument.uri, range: a.lines.range(span[0], span[1]) } : null;
  });

  connection.onReferences(async ({ textDocument, position, context }) => {
    await ready;
    const a = analysis(textDocument.uri);
    if (!a) return [];
    return references(a, a.lines.offsetAt(position), context.includeDeclaration).map((s) => ({
      uri: textDocument.uri,
      range: a.lines.range(s[0], s[1]),
    }));
  });

  connection.onPrepareRename(async ({ textDocument, position }) => {
    await ready;
    const a = analysis(textDocument.uri);
    const span = a ? renameSpan(a, a.lines.offsetAt(position)) : undefined;
    return a && span ? a.lines.range(span[0], span[1]) : null;
  });

  connection.onRenameRequest(async ({ textDocument, position, newName }) => {
    await ready;
    const a = analysis(textDocument.uri);
    if (!a) return null;
    const r = rename(a, a.lines.offsetAt(position), newName);
    if ('error' in r) throw new Error(r.error);
    return {
      changes: {
        [textDocument.uri]: r.edits.map((e) => ({
          range: a.lines.range(e.span[0], e.span[1]),
          newText: e.text,
        })),
      },
    };
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    await ready;
    const a = analysis(textDocument.uri);
    if (!a) return [];
    const convert = (s: OutlineSymbol): object => ({
      name: s.name,
      ...(s.detail ? { detail: s.detail } : {}),
      kind: s.kind,
      range: a.lines.range(s.span[0], s.span[1]),
      selectionRange: a.lines.range(s.nameSpan[0], s.nameSpan[1]),
      ...(s.children ? { children: s.children.map(convert) } : {}),
    });
    return documentSymbols(a).map(convert) as never;
  });

  connection.onCodeAction(async ({ textDocument, range, context }) => {
    await ready;
    const a = analysis(textDocument.uri);
    if (!a) return [];
    const span = [a.lines.offsetAt(range.start), a.lines.offsetAt(range.end)] as const;
    const text = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);
    const diags = context.diagnostics.map((d) => ({
      message: text(d.message),
      span: [a.lines.offsetAt(d.range.start), a.lines.offsetAt(d.range.end)] as const,
    }));
    return codeActions(a, span, diags).map((f) => ({
      title: f.title,
      kind: f.kind,
      ...(f.diagnostic
        ? { diagnostics: context.diagnostics.filter((d) => text(d.message) === f.diagnostic) }
        : {}),
      edit: {
        changes: {
          [textDocument.uri]: [
            { range: a.lines.range(f.edit.span[0], f.edit.span[1]), newText: f.edit.text },
          ],
        },
      },
    }));
  });

  documents.listen(connection);
  return new Promise((done) => {
    connection.onExit(() => done(EXIT_OK));
    // The editor went away without `exit`: stop too.
    input.on('end', () => done(EXIT_OK));
    connection.listen();
  });
}

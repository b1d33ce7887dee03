// Parsing YAML the way `kubectl apply` reads it, keeping every node's position.
//
// kubectl converts YAML to JSON with sigs.k8s.io/yaml (go-yaml v2): `yes`, `on` and even `y`/`n` are
// booleans (also as keys, which become "true"/"false"), `0755` is octal, `1:20` and timestamps stay
// strings. Unquoted scalars are resolved by kubectl-scalars.ts, which follows go-yaml v2 exactly
// (checked against it by test/unit/rgd/yaml-kubectl.test.ts); keys become JSON keys as
// sigs.k8s.io/yaml makes them, and keys it refuses (null, maps, lists) are errors here too.
// Hostile input is bounded: a size cap, a nesting cap, and a budget for the nodes aliases add
// (measured before anything is expanded), each reported as a positioned diagnostic instead of an
// exception. Everything after tokenizing is linear in the size of the file (see yaml-tree.ts).
import { Composer, type CST, type Document, LineCounter, Parser } from 'yaml';
import { type Diagnostic, error, type SourcePos } from '../diagnostics.js';
import { FastLocator, LazyLines } from './fast-locator.js';
import { type FastRead, readFastYaml } from './fast-yaml.js';
import { YamlLocator } from './locator.js';
import type { JsonValue, Locator } from './model.js';
import { PARSE_OPTIONS } from './yaml-options.js';
import { type TreeProblem, type TreeStats, YamlTree } from './yaml-tree.js';

export type { TreeStats as YamlStats } from './yaml-tree.js';

export interface SourceFile {
  /** Path as it should appear in messages (as the user wrote it). */
  readonly path: string;
  readonly text: string;
}

export interface YamlLimits {
  /** Largest accepted file, in UTF-8 bytes. */
  readonly maxFileBytes: number;
  /**
   * Nodes that aliases may add to a document (an alias adds the nodes of what it names, minus
   * itself), whatever its size: many uses of small anchors fit, a "billion laughs" does not.
   */
  readonly maxAliasNodes: number;
  /** A document larger than that may instead grow by this many times its own node count. */
  readonly maxAliasRatio: number;
  /** Deepest accepted nesting of maps and lists. */
  readonly maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxAliasNodes: 100_000,
  maxAliasRatio: 1,
  maxDepth: 256,
};

export interface YamlDocument {
  readonly file: string;
  /** Index of the document in its file (counting every `---` document, empty ones included). */
  readonly index: number;
  /** The document as JSON; `undefined` when it could not be converted (see the diagnostics). */
  readonly value: JsonValue | undefined;
  readonly loc: Locator;
}

export interface YamlParseResult {
  readonly documents: YamlDocument[];
  readonly diagnostics: Diagnostic[];
  /**
   * The yaml library's syntax trees, one per document (empty when the file was refused before
   * parsing), for tools that walk positions themselves (the language server).
   */
  readonly trees: readonly Document.Parsed[];
}

/** YAML errors reported per file before the rest are summarised in one line. */
export const MAX_YAML_ERRORS_PER_FILE = 10;

/**
 * Parse every document of one file. Never throws for bad input. `stats`, when given, counts the
 * work done after the library composed the tree (for tests that check it stays linear).
 */
export function parseYamlFile(
  file: SourceFile,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  stats?: TreeStats,
): YamlParseResult {
  return parseChecked(file, limits, stats, stats === undefined);
}

/** parseYamlFile without fast-yaml.ts (for the tests that compare the two readers). */
export function parseYamlFileWithLibrary(
  file: SourceFile,
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
): YamlParseResult {
  return parseChecked(file, limits, undefined, false);
}

function parseChecked(
  file: SourceFile,
  limits: YamlLimits,
  stats: TreeStats | undefined,
  fast: boolean,
): YamlParseResult {
  const diagnostics: Diagnostic[] = [];
  const start: SourcePos = { file: file.path, line: 1, col: 1 };
  // UTF-8 takes at most 3 bytes per UTF-16 unit (4 per surrogate pair): a text short enough is
  // under the limit without a scan to count its bytes (750 KB of RGDs cost a cold run 0.3 ms).
  const bytes = file.text.length * 3 <= limits.maxFileBytes ? 0 : Buffer.byteLength(file.text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    diagnostics.push(
      error(
        `file is too large (${bytes} bytes; the limit is ${limits.maxFileBytes} bytes)`,
        start,
        'yaml/too-large',
      ),
    );
    return { documents: [], diagnostics, trees: [] };
  }
  // Most files are printable ASCII: one scan says so, and spares the scans for the characters YAML
  // refuses here and those the fast reader leaves to the full loader (a scan of the text costs
  // about as much as the fast reader's work on a tenth of it).
  PRINTABLE_ASCII_RUN.lastIndex = 0;
  PRINTABLE_ASCII_RUN.test(file.text);
  const printable = PRINTABLE_ASCII_RUN.lastIndex === file.text.length;
  const control = printable ? undefined : firstNotAllowed(file.text);
  if (control) {
    diagnostics.push(
      error(controlMessage(control.char), positionIn(file, control.index), 'yaml/control-character'),
    );
    return { documents: [], diagnostics, trees: [] };
  }
  const read = fast ? readFastYaml(file.text, limits, printable) : undefined;
  if (read) return fastResult(file, read, limits);
  return parseWithLibrary(file, limits, stats);
}

/**
 * A file fast-yaml.ts read: no problems to report, positions from its own tree. The yaml library's
 * trees are built only if asked for (the language server walks them).
 */
function fastResult(file: SourceFile, fast: FastRead, limits: YamlLimits): YamlParseResult {
  const lines = new LazyLines(file.text);
  const diagnostics: Diagnostic[] = [];
  const errors = new CappedErrors(diagnostics);
  const documents = fast.documents.map((d, index) => {
    for (const e of d.duplicates) {
      const lp = lines.linePos(e.offset);
      errors.add(e.message, { file: file.path, line: lp.line, col: lp.col }, 'yaml/duplicate-key');
    }
    return {
      file: file.path,
      index,
      value: d.duplicates.length > 0 ? undefined : d.value,
      loc: new FastLocator(file.path, file.text, fast.positions, d.root, lines),
    };
  });
  errors.finish();
  let trees: readonly Document.Parsed[] | undefined;
  return {
    documents,
    diagnostics,
    get trees() {
      trees ??= parseWithLibrary(file, limits).trees;
      return trees;
    },
  };
}

/** The full loader: the yaml library's parser and composer, then yaml-tree.ts. */
function parseWithLibrary(file: SourceFile, limits: YamlLimits, stats?: TreeStats): YamlParseResult {
  const diagnostics: Diagnostic[] = [];
  const start: SourcePos = { file: file.path, line: 1, col: 1 };
  const lineCounter = new LineCounter();
  const posAt = (offset: number): SourcePos => {
    const lp = lineCounter.linePos(offset);
    return { file: file.path, line: lp.line, col: lp.col };
  };
  let docs: Document.Parsed[];
  try {
    // Tokenize first (iteratively) and check the nesting before composing, which recurses: a few
    // thousand nested `[` would otherwise exhaust the stack, and V8 does not always survive that.
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(file.text));
    const deep = tooDeepOffset(tokens, limits.maxDepth);
    if (deep !== undefined) {
      diagnostics.push(
        error(`YAML is nested more than ${limits.maxDepth} levels deep`, posAt(deep), 'yaml/too-deep'),
      );
      return { documents: [], diagnostics, trees: [] };
    }
    docs = Array.from(new Composer({ ...PARSE_OPTIONS }).compose(tokens)) as Document.Parsed[];
  } catch (e) {
    diagnostics.push(error(`cannot parse YAML: ${describe(e)}`, start, 'yaml/syntax'));
    return { documents: [], diagnostics, trees: [] };
  }
  const documents: YamlDocument[] = [];
  const capped = new CappedErrors(diagnostics);
  docs.forEach((doc, index) => {
    const loc = new YamlLocator(file.path, file.text, doc, lineCounter);
    const tree = new YamlTree(doc, limits, stats);
    const found = tree.inspect();
    const errors = mergeByOffset(
      doc.errors.map((e) => ({
        offset: e.pos[0],
        code: e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax',
        message: e.message,
      })),
      found.duplicates,
    );
    if (errors.length > 0) {
      for (const e of errors) capped.add(e.message, posAt(e.offset), e.code);
      documents.push({ file: file.path, index, value: undefined, loc });
      return;
    }
    for (const w of doc.warnings) {
      diagnostics.push({
        severity: 'warning',
        message: w.message,
        pos: posAt(w.pos[0]),
        code: 'yaml/warning',
      });
    }
    if (found.aliasProblems.length > 0) {
      for (const p of found.aliasProblems) diagnostics.push(error(p.message, posAt(p.offset), p.code));
      documents.push({ file: file.path, index, value: undefined, loc });
      return;
    }
    let converted: { value: JsonValue; problems: TreeProblem[] };
    try {
      converted = tree.toJson();
    } catch (e) {
      const at = posAt(doc.contents?.range?.[0] ?? 0);
      diagnostics.push(error(`cannot read YAML: ${describe(e)}`, at, 'yaml/syntax'));
      documents.push({ file: file.path, index, value: undefined, loc });
      return;
    }
    for (const p of converted.problems) diagnostics.push(error(p.message, posAt(p.offset), p.code));
    documents.push({
      file: file.path,
      index,
      value: converted.problems.length > 0 ? undefined : converted.value,
      loc,
    });
  });
  capped.finish();
  return { documents, diagnostics, trees: docs };
}

/**
 * A file's YAML errors as reported: one mistake (or a Helm template) can cascade into hundreds of
 * errors, and the first few matter, so past MAX_YAML_ERRORS_PER_FILE one line counts the rest.
 */
class CappedErrors {
  readonly #out: Diagnostic[];
  #count = 0;
  #hidden: { count: number; pos: SourcePos } | undefined;

  constructor(out: Diagnostic[]) {
    this.#out = out;
  }

  add(message: string, pos: SourcePos, code: string): void {
    if (++this.#count > MAX_YAML_ERRORS_PER_FILE) {
      this.#hidden = { count: (this.#hidden?.count ?? 0) + 1, pos: this.#hidden?.pos ?? pos };
      return;
    }
    this.#out.push(error(message, pos, code));
  }

  /** The line counting the errors not shown, if any. */
  finish(): void {
    if (this.#hidden) {
      this.#out.push(
        error(
          `${this.#hidden.count} more YAML errors in this file not shown`,
          this.#hidden.pos,
          'yaml/syntax',
        ),
      );
    }
  }
}

/**
 * Code units of the characters go-yaml v2 refuses anywhere in a stream ("control characters are
 * not allowed"), and U+0085, a YAML 1.1 line break go-yaml folds even inside quotes (where other
 * readers keep it), and every surrogate (refused when not in a pair): go-yaml takes tab, line
 * feed, carriage return, U+0020-U+007E, U+00A0-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF.
 * One class of code units, with the pairs checked where it finds a surrogate: the same search by
 * code points (the `u` flag, and surrogates in lookarounds) made V8's regex engine spend about
 * 60 instructions per character of a non-ASCII file, against 17 here.
 */
const REFUSED_OR_SURROGATE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** The first character go-yaml refuses in `text` (see REFUSED_OR_SURROGATE), or undefined. */
export function firstNotAllowed(text: string): { readonly index: number; readonly char: string } | undefined {
  REFUSED_OR_SURROGATE.lastIndex = 0;
  for (let m = REFUSED_OR_SURROGATE.exec(text); m !== null; m = REFUSED_OR_SURROGATE.exec(text)) {
    const c = text.charCodeAt(m.index);
    const d = text.charCodeAt(m.index + 1);
    // A high surrogate and a low one: a pair, taken (its low one is not looked at alone).
    if (c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      REFUSED_OR_SURROGATE.lastIndex = m.index + 2;
      continue;
    }
    return { index: m.index, char: m[0] };
  }
  return undefined;
}
/**
 * Line breaks and printable ASCII (none of which go-yaml refuses), from lastIndex on: the text
 * is all such characters when the run reaches its end. A run read by one greedy loop costs V8's
 * regex engine about a sixth less per character than a search for the first character outside
 * it (`/[^\n\x20-\x7E]/`), which tries a match at each offset: 1.4M instructions over kro's 41
 * example schemas (750 KB).
 */
const PRINTABLE_ASCII_RUN = /[\n\x20-\x7E]*/y;

function controlMessage(c: string): string {
  if (c === '\u0085') {
    return 'character U+0085 (NEL) is a line break to kubectl but not to other YAML readers: write it as \\N in a double-quoted string';
  }
  const code = `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `control character ${code} is not allowed in YAML (kubectl refuses the file): write it as an escape in a double-quoted string`;
}

/** Line and column of `offset`, counted without the parser (which has not run yet). */
function positionIn(file: SourceFile, offset: number): SourcePos {
  const before = file.text.slice(0, offset);
  const line = before.split('\n').length;
  return { file: file.path, line, col: offset - before.lastIndexOf('\n') };
}

/** Two lists each in document order, as one (the library's errors first on ties). */
function mergeByOffset(a: readonly TreeProblem[], b: readonly TreeProblem[]): TreeProblem[] {
  const out: TreeProblem[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x.offset <= y.offset)) {
      out.push(x as TreeProblem);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

function describe(e: unknown): string {
  if (e instanceof RangeError) return 'the document is nested too deeply';
  return e instanceof Error ? e.message.split('\n')[0]! : String(e);
}

/** Offset of the first syntax token nested deeper than `max` collections, walking without recursion. */
function tooDeepOffset(tokens: readonly CST.Token[], max: number): number | undefined {
  const stack: { token: unknown; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (typeof token !== 'object' || token === null) continue;
    const t = token as { offset?: number; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
    if (Array.isArray(t.items)) {
      if (depth >= max) return t.offset ?? 0;
      for (const item of t.items)
        stack.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
    } else if (t.value && typeof t.value === 'object') {
      stack.push({ token: t.value, depth });
    }
  }
  return undefined;
}

// Parsing YAML the way `kubectl apply` reads it, keeping every node's position.
//
// kubectl converts YAML to JSON with sigs.k8s.io/yaml (go-yaml v2), i.e. YAML 1.1 scalars: `yes`, `on`
// and even `y`/`n` are booleans (also as keys, which become "true"/"false"), `0755` is octal. Two 1.1 features go-yaml v2 does not resolve for untyped values are
// left out: sexagesimal numbers (`1:20`) and timestamps, which stay strings.
// Hostile input is bounded: a size cap, the yaml library's alias-expansion cap, and a nesting cap,
// each reported as a positioned diagnostic instead of an exception.
import { Composer, type CST, type Document, LineCounter, Parser, type Tags } from 'yaml';
import { type Diagnostic, error, type SourcePos } from '../diagnostics.js';
import { YamlLocator } from './locator.js';
import type { JsonValue, Locator } from './model.js';

export interface SourceFile {
  /** Path as it should appear in messages (as the user wrote it). */
  readonly path: string;
  readonly text: string;
}

export interface YamlLimits {
  /** Largest accepted file, in UTF-8 bytes. */
  readonly maxFileBytes: number;
  /** Alias expansions allowed per document (the yaml library counts nodes reached through aliases). */
  readonly maxAliasCount: number;
  /** Deepest accepted nesting of maps and lists. */
  readonly maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = {
  maxFileBytes: 16 * 1024 * 1024,
  maxAliasCount: 100,
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
}

/** YAML 1.1 tags minus the two go-yaml v2 leaves as strings (see the file comment). */
function kubectlTags(tags: Tags): Tags {
  return tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : t.format;
    return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
  });
}

/** YAML errors reported per file before the rest are summarised in one line. */
export const MAX_YAML_ERRORS_PER_FILE = 10;

const PARSE_OPTIONS = {
  version: '1.1',
  customTags: kubectlTags,
  prettyErrors: false,
  uniqueKeys: true,
} as const;

/** Parse every document of one file. Never throws for bad input. */
export function parseYamlFile(file: SourceFile, limits: YamlLimits = DEFAULT_YAML_LIMITS): YamlParseResult {
  const diagnostics: Diagnostic[] = [];
  const start: SourcePos = { file: file.path, line: 1, col: 1 };
  const bytes = Buffer.byteLength(file.text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    diagnostics.push(
      error(
        `file is too large (${bytes} bytes; the limit is ${limits.maxFileBytes} bytes)`,
        start,
        'yaml/too-large',
      ),
    );
    return { documents: [], diagnostics };
  }
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
      return { documents: [], diagnostics };
    }
    docs = Array.from(new Composer({ ...PARSE_OPTIONS }).compose(tokens)) as Document.Parsed[];
  } catch (e) {
    diagnostics.push(error(`cannot parse YAML: ${describe(e)}`, start, 'yaml/syntax'));
    return { documents: [], diagnostics };
  }
  const documents: YamlDocument[] = [];
  let syntaxErrors = 0;
  let hidden: { count: number; pos: SourcePos } | undefined;
  docs.forEach((doc, index) => {
    const loc = new YamlLocator(file.path, file.text, doc, lineCounter);
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        // One mistake (or a Helm template) can cascade into hundreds of errors; the first few matter.
        if (++syntaxErrors > MAX_YAML_ERRORS_PER_FILE) {
          hidden = { count: (hidden?.count ?? 0) + 1, pos: hidden?.pos ?? posAt(e.pos[0]) };
          continue;
        }
        const code = e.code === 'DUPLICATE_KEY' ? 'yaml/duplicate-key' : 'yaml/syntax';
        const message = e.code === 'DUPLICATE_KEY' ? duplicateKeyMessage(file.text, e.pos[0]) : e.message;
        diagnostics.push(error(message, posAt(e.pos[0]), code));
      }
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
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      const aliasBomb = e instanceof ReferenceError && /alias/i.test(e.message);
      diagnostics.push(
        aliasBomb
          ? error(
              `too many alias expansions (more than ${limits.maxAliasCount}); refusing a possible YAML alias bomb`,
              posAt(doc.contents?.range?.[0] ?? 0),
              'yaml/alias-limit',
            )
          : error(`cannot read YAML: ${describe(e)}`, posAt(doc.contents?.range?.[0] ?? 0), 'yaml/syntax'),
      );
      documents.push({ file: file.path, index, value: undefined, loc });
      return;
    }
    const converted = toJson(js, [], loc);
    diagnostics.push(...converted.diagnostics);
    documents.push({
      file: file.path,
      index,
      value: converted.diagnostics.length > 0 ? undefined : converted.value,
      loc,
    });
  });
  if (hidden) {
    diagnostics.push(
      error(`${hidden.count} more YAML errors in this file not shown`, hidden.pos, 'yaml/syntax'),
    );
  }
  return { documents, diagnostics };
}

function duplicateKeyMessage(text: string, offset: number): string {
  const m = /^[^\s:,{}[\]]+/.exec(text.slice(offset, offset + 200));
  const key = m ? m[0].replace(/^["']|["']$/g, '') : undefined;
  return key ? `duplicate key "${key}" (map keys must be unique)` : 'duplicate key (map keys must be unique)';
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

/**
 * Turn the yaml library's JS value into JSON, rejecting values JSON cannot carry (kubectl fails on
 * them too). `.nan`/`.inf`, `!!binary`, `!!set` and `!!omap` are the only ways to get there.
 */
function toJson(
  value: unknown,
  path: (string | number)[],
  loc: Locator,
): { value: JsonValue; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const convert = (v: unknown, p: (string | number)[]): JsonValue => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) return v;
      diagnostics.push(error(`${v} cannot be represented in JSON`, loc.at(p), 'yaml/unsupported-value'));
      return null;
    }
    if (Array.isArray(v)) return v.map((item, i) => convert(item, [...p, i]));
    if (v instanceof Uint8Array || v instanceof Map || v instanceof Set || v instanceof Date) {
      diagnostics.push(
        error(
          'unsupported YAML value: binary, set and ordered-map tags have no JSON form',
          loc.at(p),
          'yaml/unsupported-value',
        ),
      );
      return null;
    }
    if (typeof v === 'object') {
      const out: { [key: string]: JsonValue } = {};
      for (const [k, item] of Object.entries(v)) out[k] = convert(item, [...p, k]);
      return out;
    }
    diagnostics.push(
      error(`unsupported YAML value of type ${typeof v}`, loc.at(p), 'yaml/unsupported-value'),
    );
    return null;
  };
  return { value: convert(value, path), diagnostics };
}

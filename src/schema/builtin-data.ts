// Reading data/k8s-openapi/builtin.json lazily. Parsing the whole file (280 KB, some 700 OpenAPI
// definitions) was a fixed cost of every process that resolves a built-in kind, while an RGD
// reaches a few dozen definitions. tools/k8s-openapi writes one definition per line
// (`"io.k8s.api.core.v1.Pod": {...},`), so each is found by its line and parsed on first use; the
// small parts (version, modules, kinds) are parsed at once. A file laid out any other way is
// parsed whole: the answers are the same (test/unit/schema/builtin-data.test.ts).
import type { OpenApiSchema } from '../cel/types.js';

export interface KindEntry {
  readonly definition: string;
  readonly namespaced: boolean;
  readonly resource: string;
  readonly servedByDefault: boolean;
}

export interface BuiltinData {
  readonly kubernetesVersion: string;
  readonly modules: Readonly<Record<string, string>>;
  readonly kinds: Readonly<Record<string, KindEntry>>;
  /** The definition named `name` (its `$ref`s unresolved), the same object on every call. */
  definition(name: string): OpenApiSchema | undefined;
  /**
   * The names of the definitions `name` names in `#/definitions/<name>` references: every one its
   * `$ref`s follow, perhaps more. Found without parsing it where the file's layout allows.
   */
  references(name: string): readonly string[];
}

const REF_PREFIX = '#/definitions/';

const DEFINITIONS_START = '\n"definitions": {\n';

/** The data of `text`, the contents of builtin.json; `what` names it in errors. */
export function readBuiltinData(text: string, what: string): BuiltinData {
  return readByLines(text) ?? readWhole(text, what);
}

function readByLines(text: string): BuiltinData | undefined {
  const start = text.indexOf(DEFINITIONS_START);
  const end = text.trimEnd().lastIndexOf('\n}\n}');
  if (start < 0 || end < start || end + 4 !== text.trimEnd().length) return undefined;
  // Each line is `"<name>": {...},` (the last without the comma). Found with indexOf, not a regular
  // expression or a split: the lines are most of the file, and this runs in every process.
  const raw = new Map<string, string>();
  // Without a backslash anywhere (the generated file has none), no name or line holds an escape:
  // one native search of the text instead of one per line.
  const escapes = text.includes('\\');
  for (let at = start + DEFINITIONS_START.length; at < end; ) {
    let eol = text.indexOf('\n', at);
    if (eol < 0 || eol > end) eol = end;
    const colon = text.indexOf('": ', at);
    const valueEnd = text.charCodeAt(eol - 1) === COMMA ? eol - 1 : eol;
    if (
      text.charCodeAt(at) !== QUOTE ||
      colon < 0 ||
      colon + 3 >= valueEnd ||
      text.charCodeAt(colon + 3) !== OPEN_BRACE ||
      text.charCodeAt(valueEnd - 1) !== CLOSE_BRACE
    )
      return undefined;
    const name = text.slice(at + 1, colon);
    // A name with escapes (none in the data) is left to the whole-file reader.
    if (name.includes('"') || (escapes && name.includes('\\'))) return undefined;
    raw.set(name, text.slice(colon + 3, valueEnd));
    at = eol + 1;
  }
  let head: unknown;
  try {
    head = JSON.parse(`${text.slice(0, start)}\n"definitions": {}\n}`);
  } catch {
    return undefined;
  }
  if (!isRecord(head) || !isRecord(head.kinds)) return undefined;
  const parsed = new Map<string, OpenApiSchema>();
  const definition = (name: string): OpenApiSchema | undefined => {
    let schema = parsed.get(name);
    if (schema === undefined) {
      const line = raw.get(name);
      if (line === undefined) return undefined;
      schema = JSON.parse(line) as OpenApiSchema;
      parsed.set(name, schema);
    }
    return schema;
  };
  return {
    ...(head as unknown as Omit<BuiltinData, 'definition' | 'references'>),
    definition,
    references(name) {
      const line = raw.get(name);
      if (line === undefined) return [];
      // JSON may spell a reference with escapes (`#\/definitions\/`); a line holding any is parsed.
      if (escapes && line.includes('\\')) return referencesIn(definition(name));
      const out: string[] = [];
      for (let at = line.indexOf(REF_PREFIX); at >= 0; at = line.indexOf(REF_PREFIX, at)) {
        at += REF_PREFIX.length;
        out.push(line.slice(at, line.indexOf('"', at)));
      }
      return out;
    },
  };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function readWhole(text: string, what: string): BuiltinData {
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw) || !isRecord(raw.kinds) || !isRecord(raw.definitions)) {
    throw new Error(`${what} is not kro-gen's built-in kinds data`);
  }
  const definitions = raw.definitions as Record<string, OpenApiSchema>;
  return {
    ...(raw as unknown as Omit<BuiltinData, 'definition' | 'references'>),
    definition: (name) => (Object.hasOwn(definitions, name) ? definitions[name] : undefined),
    references: (name) => (Object.hasOwn(definitions, name) ? referencesIn(definitions[name]) : []),
  };
}

// The definition names of every `#/definitions/` string inside `value`.
function referencesIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.startsWith(REF_PREFIX)) out.push(value.slice(REF_PREFIX.length));
  } else if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, out);
  } else if (isRecord(value)) {
    for (const v of Object.values(value)) referencesIn(v, out);
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

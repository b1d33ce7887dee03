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
}

const DEFINITIONS_START = '\n"definitions": {\n';
const DEFINITION_LINE = /^("(?:[^"\\]|\\.)*"): (\{.*\}),?$/;

/** The data of `text`, the contents of builtin.json; `what` names it in errors. */
export function readBuiltinData(text: string, what: string): BuiltinData {
  return readByLines(text) ?? readWhole(text, what);
}

function readByLines(text: string): BuiltinData | undefined {
  const start = text.indexOf(DEFINITIONS_START);
  const end = text.trimEnd().lastIndexOf('\n}\n}');
  if (start < 0 || end < start || end + 4 !== text.trimEnd().length) return undefined;
  const raw = new Map<string, string>();
  for (const line of text.slice(start + DEFINITIONS_START.length, end).split('\n')) {
    const m = DEFINITION_LINE.exec(line);
    if (!m) return undefined;
    raw.set(JSON.parse(m[1] as string) as string, m[2] as string);
  }
  let head: unknown;
  try {
    head = JSON.parse(`${text.slice(0, start)}\n"definitions": {}\n}`);
  } catch {
    return undefined;
  }
  if (!isRecord(head) || !isRecord(head.kinds)) return undefined;
  const parsed = new Map<string, OpenApiSchema>();
  return {
    ...(head as unknown as Omit<BuiltinData, 'definition'>),
    definition(name) {
      let schema = parsed.get(name);
      if (schema === undefined) {
        const line = raw.get(name);
        if (line === undefined) return undefined;
        schema = JSON.parse(line) as OpenApiSchema;
        parsed.set(name, schema);
      }
      return schema;
    },
  };
}

function readWhole(text: string, what: string): BuiltinData {
  const raw: unknown = JSON.parse(text);
  if (!isRecord(raw) || !isRecord(raw.kinds) || !isRecord(raw.definitions)) {
    throw new Error(`${what} is not kro-gen's built-in kinds data`);
  }
  const definitions = raw.definitions as Record<string, OpenApiSchema>;
  return {
    ...(raw as unknown as Omit<BuiltinData, 'definition'>),
    definition: (name) => (Object.hasOwn(definitions, name) ? definitions[name] : undefined),
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

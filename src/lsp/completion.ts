// Completion: inside `${...}` the variables, fields at any depth (from the SimpleSchema, the
// kinds' OpenAPI and CRDs, through the same CEL types the checker uses), forEach iterators,
// functions and macros; in SimpleSchema values the types and, after `|`, the markers; in
// instance files the spec's fields (with their defaults) and enum values.
import { isMap as isYamlMap } from 'yaml';
import { typingAt } from '../cel/cursor.js';
import { NAMESPACE_IDENTIFIERS } from '../cel/environment.js';
import { fieldNames, selectType } from '../cel/fields.js';
import { MACROS } from '../cel/function-docs.js';
import { extractExpressions } from '../cel/scanner.js';
import type { CelType } from '../cel/types.js';
import type { DocPath } from '../rgd/model.js';
import { MARKER_TYPES } from '../schema/markers.js';
import type { SchemaNode } from '../schema/model.js';
import { functionCatalog, showType, simpleTypeName } from './describe.js';
import { siteContext } from './expressions.js';
import { resourceFieldDoc } from './field-docs.js';
import { specNodeOf, variablesAt } from './target.js';
import type { Range } from './text.js';
import type { AnalyzedInstance, AnalyzedRgd, FileAnalysis } from './workspace.js';
import { hitAt, nodeAt } from './yaml-nodes.js';

// The protocol's CompletionItemKind numbers (kept here so this module stays free of the server).
const KIND = {
  Method: 2,
  Function: 3,
  Field: 5,
  Variable: 6,
  Module: 9,
  Value: 12,
  Keyword: 14,
  Snippet: 15,
  EnumMember: 20,
  TypeParameter: 25,
} as const;

export interface Completion {
  readonly label: string;
  readonly kind: number;
  readonly detail?: string;
  readonly documentation?: string;
  readonly insertText?: string;
  /** Whether insertText is a snippet (`${1:x}` placeholders). */
  readonly snippet?: boolean;
  readonly range?: Range;
}

/**
 * Completions at `offset`. Only the lines above the cursor's are read from the YAML tree (an
 * editor asks mid-edit, and the tree may be from before the edit: see Workspace.forCompletion);
 * the cursor's own line is read as text.
 */
export function complete(a: FileAnalysis, offset: number): Completion[] {
  const line = a.lines.lineBefore(offset);
  const here = linePath(a, offset, line);
  if (a.kind === 'instance') return instanceCompletions(a, offset, line, here);
  if (a.kind !== 'rgd') return [];
  const rgd = a.rgds.find((r) => r.rgd.docIndex === here.docIndex) ?? a.rgds[0];
  if (!rgd) return [];
  const open = openExpression(line);
  if (open !== undefined) return expressionCompletions(a, rgd, open, here.path, offset);
  const block = blockBefore(a, offset);
  const openInBlock = block && openExpression(block.body);
  if (block && openInBlock !== undefined) {
    // The block's own path (a readyWhen entry, a template field) says where the expression sits.
    const path = hitAt(a.docs, block.header)?.path ?? here.path;
    return expressionCompletions(a, rgd, openInBlock, path, offset);
  }
  const path = here.path;
  if (
    path[0] === 'spec' &&
    path[1] === 'schema' &&
    (path[2] === 'spec' || path[2] === 'types') &&
    path.length > 3
  ) {
    return schemaValueCompletions(rgd, line.slice(line.indexOf(':') + 1));
  }
  return [];
}

/** The path of the value being typed on the cursor's line: its map's path, then the line's key if it has one. */
function linePath(a: FileAnalysis, offset: number, line: string): { docIndex: number; path: DocPath } {
  const parent = pathByIndent(a, offset);
  const key = /^\s*(?:-\s+)?([^\s:#'"][^:#]*):(?:\s|$)/.exec(line)?.[1]?.trim();
  return { docIndex: parent.docIndex, path: key !== undefined ? [...parent.path, key] : parent.path };
}

/** The text of a `${` still open before the cursor on its line, or undefined. */
function openExpression(line: string): string | undefined {
  const at = line.lastIndexOf('${');
  if (at < 0) return undefined;
  // The scanner's rule for where an expression ends (braces outside string literals): none found means open.
  const tail = line.slice(at);
  const scan = extractExpressions(tail);
  return scan.ok && scan.value.length === 0 ? tail.slice(2) : undefined;
}

// `key: |`, `key: >-`, `- |2`: a line whose value is a block scalar's header.
const BLOCK_HEADER = /(?:^\s*-|:)\s+([|>][1-9+-]{0,2})\s*(?:#.*)?$/;
const indentOf = (l: string): number => l.length - l.trimStart().length;

/**
 * The body of the block scalar the cursor is in, from its first line up to the cursor, read as
 * text (the tree may predate the edit): an expression can run over several of its lines.
 */
function blockBefore(a: FileAnalysis, offset: number): { body: string; header: number } | undefined {
  const pos = a.lines.positionAt(offset);
  const lines = a.text.split('\n', pos.line + 1);
  const cursorLine = a.lines.lineBefore(offset);
  // Every line between a block's header and the cursor is indented deeper than the header; the
  // first line above them all that is a header opens the block (body lines may look like keys).
  let inner = cursorLine.trim() === '' ? pos.character : indentOf(cursorLine);
  for (let l = pos.line - 1; l >= 0 && inner > 0; l--) {
    const text = lines[l] as string;
    if (text.trim() === '') continue;
    const indent = indentOf(text);
    if (indent >= inner) continue;
    inner = indent;
    const m = BLOCK_HEADER.exec(text);
    if (m) {
      return {
        body: [...lines.slice(l + 1, pos.line), cursorLine].join('\n'),
        // The offset of the header's `|` or `>`, inside the scalar's node.
        header: a.lines.offsetAt({ line: l, character: m.index + m[0].indexOf(m[1] as string) }),
      };
    }
  }
  return undefined;
}

function expressionCompletions(
  a: FileAnalysis,
  rgd: AnalyzedRgd,
  text: string,
  path: DocPath,
  offset: number,
): Completion[] {
  const typing = typingAt(text, text.length);
  if (!typing) return [];
  const context = siteContext(rgd.rgd, path);
  const vars = variablesAt(a, rgd, context);
  const ids = new Set(rgd.graph.resources.map((r) => r.id));
  const range = a.lines.range(offset - typing.partial.length, offset);
  const out: Completion[] = [];
  const base = typing.base;
  if (!base) {
    for (const [name, t] of vars) {
      const res = rgd.graph.resources.find((r) => r.id === name);
      out.push({
        label: name,
        kind: KIND.Variable,
        detail: res ? `${res.kind} (${res.apiVersion})` : showType(t),
        ...(name === 'schema' ? { documentation: 'the instance: apiVersion, kind, metadata, spec' } : {}),
      });
    }
    for (const ns of NAMESPACE_IDENTIFIERS) {
      if (ids.has(ns) || ns === 'runtime' || ns === 'math' || ns === 'google') continue;
      if (!functionCatalog().some((f) => f.namespace === ns)) continue;
      out.push({ label: ns, kind: KIND.Module, detail: `${ns} functions` });
    }
    for (const f of functionCatalog()) {
      if (f.namespace || f.receiver || MACROS.some((m) => m.name === f.name)) continue;
      out.push(fnItem(f.name, f.signatures, f.doc));
    }
    out.push(...macroItems(false));
    return out.map((c) => ({ ...c, range }));
  }
  if (
    base.path.length === 0 &&
    NAMESPACE_IDENTIFIERS.has(base.root) &&
    !ids.has(base.root) &&
    !vars.has(base.root)
  ) {
    for (const f of functionCatalog())
      if (f.namespace === base.root) out.push(fnItem(f.name, f.signatures, f.doc));
    return out.map((c) => ({ ...c, range }));
  }
  const rootType = vars.get(base.root);
  if (!rootType) return [];
  const t = selectType(rootType, base.path);
  if (!t) return [];
  const res = rgd.graph.resources.find((r) => r.id === base.root);
  const specNode = base.root === 'schema' ? specNodeOf(rgd.schema.spec, base.path) : undefined;
  for (const name of fieldNames(t)) {
    const ft = selectType(t, [name]) as CelType;
    let doc: string | undefined;
    if (specNode?.kind === 'struct') doc = specNode.fields.find((f) => f.name === name)?.node.description;
    else if (res) doc = resourceFieldDoc(a, res, [...base.path, name]);
    out.push({ label: name, kind: KIND.Field, detail: showType(ft), ...(doc ? { documentation: doc } : {}) });
  }
  const receiver = t.kind === 'optional' ? 'optional' : t.kind === 'primitive' ? t.name : t.kind;
  for (const f of functionCatalog()) {
    if (!f.receiver || !receiverMatches(f.receiver, receiver)) continue;
    out.push({ ...fnItem(f.name, f.signatures, f.doc), kind: KIND.Method });
  }
  if (t.kind === 'list' || t.kind === 'map' || t.kind === 'dyn') {
    out.push(...macroItems(true));
  }
  return out.map((c) => ({ ...c, range }));
}

/** The macros called on a value (`list.all(...)`) or not (`has(...)`). */
function macroItems(receiver: boolean): Completion[] {
  return MACROS.filter((m) => m.receiver === receiver).map((m) => ({
    label: m.name,
    kind: KIND.Keyword,
    detail: 'macro',
    insertText: macroSnippet(m),
    snippet: true,
  }));
}

/** `all(${1:x}, ${2:predicate})`: the macro with its arguments as snippet placeholders. */
function macroSnippet(m: (typeof MACROS)[number]): string {
  return `${m.name}(${m.args.map((a, i) => `\${${i + 1}:${a}}`).join(', ')})`;
}

function receiverMatches(libraryType: string, kind: string): boolean {
  if (kind === 'dyn') return false;
  const head = libraryType.replace(/<.*$/, '');
  return head === kind || (kind === 'list' && head === 'list') || (kind === 'map' && head === 'map');
}

function fnItem(name: string, signatures: readonly string[], doc: string | undefined): Completion {
  const takesArgs = signatures.some((s) => !/\(\)/.test(s));
  return {
    label: name,
    kind: KIND.Function,
    detail: signatures[0] ?? name,
    ...(doc || signatures.length > 1
      ? { documentation: [doc, ...signatures.slice(1)].filter(Boolean).join('\n') }
      : {}),
    insertText: takesArgs ? `${name}($1)` : `${name}()`,
    snippet: true,
  };
}

const ATOMIC_TYPES = ['string', 'integer', 'boolean', 'float', 'object'];

function schemaValueCompletions(rgd: AnalyzedRgd, value: string): Completion[] {
  if (value.includes('|')) {
    return MARKER_TYPES.map((m) => ({
      label: m,
      kind: KIND.Keyword,
      detail: 'SimpleSchema marker',
      insertText:
        m === 'description' || m === 'pattern' || m === 'validation' || m === 'enum'
          ? `${m}="$1"`
          : `${m}=$1`,
      snippet: true,
    }));
  }
  const out: Completion[] = ATOMIC_TYPES.map((t) => ({
    label: t,
    kind: KIND.TypeParameter,
    detail: 'SimpleSchema type',
  }));
  out.push(
    { label: '[]T', kind: KIND.Snippet, detail: 'list of T', insertText: '[]$1', snippet: true },
    {
      label: 'map[string]T',
      kind: KIND.Snippet,
      detail: 'map of string to T',
      insertText: 'map[string]$1',
      snippet: true,
    },
  );
  for (const t of rgd.schema.types)
    out.push({ label: t.name, kind: KIND.TypeParameter, detail: `custom type: ${simpleTypeName(t.node)}` });
  return out;
}

function instanceCompletions(
  a: FileAnalysis,
  offset: number,
  line: string,
  here: { docIndex: number; path: DocPath },
): Completion[] {
  const instance = a.instances.find((i) => i.docIndex === here.docIndex) ?? a.instances[0];
  if (!instance) return [];
  const toSelect = (p: DocPath) => p.map((s) => (typeof s === 'number' ? '[]' : s));
  if (line.indexOf(':') < 0) {
    const parent = pathByIndent(a, offset).path;
    if (parent[0] !== 'spec') return [];
    const node = specNodeOf(instance.schema.spec, toSelect(parent));
    if (node?.kind !== 'struct') return [];
    const present = presentKeys(a, instance, parent);
    return node.fields
      .filter((f) => !present.has(f.name))
      .map((f) => ({
        label: f.name,
        kind: KIND.Field,
        detail: `${simpleTypeName(f.node)}${f.node.required ? ' (required)' : ''}${f.node.default !== undefined ? ` = ${JSON.stringify(f.node.default)}` : ''}`,
        ...(f.node.description ? { documentation: f.node.description } : {}),
        insertText: `${f.name}: ${f.node.default !== undefined && typeof f.node.default !== 'object' ? String(f.node.default) : ''}`,
      }));
  }
  const node = here.path[0] === 'spec' ? specNodeOf(instance.schema.spec, toSelect(here.path)) : undefined;
  return node ? valueItems(node) : [];
}

function valueItems(n: SchemaNode): Completion[] {
  const out: Completion[] = [];
  if ('enum' in n && n.enum)
    for (const e of n.enum) out.push({ label: String(e), kind: KIND.EnumMember, detail: 'enum value' });
  if (n.kind === 'boolean')
    out.push({ label: 'true', kind: KIND.Value }, { label: 'false', kind: KIND.Value });
  if (
    n.default !== undefined &&
    typeof n.default !== 'object' &&
    !out.some((o) => o.label === String(n.default))
  )
    out.push({ label: String(n.default), kind: KIND.Value, detail: 'default' });
  return out;
}

function presentKeys(a: FileAnalysis, instance: AnalyzedInstance, path: DocPath): Set<string> {
  const doc = a.docs[instance.docIndex];
  const node = doc ? nodeAt(doc, path).node : undefined;
  const out = new Set<string>();
  if (isYamlMap(node))
    for (const p of node.items) out.add(String((p.key as { value?: unknown } | null)?.value));
  return out;
}

/**
 * The path of the map a cursor on a blank or half-typed line is in, read from indentation: the
 * nearest line above with less indentation names it (YAML being typed rarely parses there).
 */
export function pathByIndent(a: FileAnalysis, offset: number): { docIndex: number; path: DocPath } {
  const pos = a.lines.positionAt(offset);
  const lines = a.text.split('\n');
  const current = lines[pos.line] ?? '';
  // The column keys of the cursor's map start at.
  const own = /^(\s*)(-\s+)?/.exec(current) as RegExpExecArray;
  let indent = current.trim() === '' ? pos.character : (own[0] as string).length;
  if (own[2] !== undefined && pos.character <= (own[1] as string).length) indent = (own[1] as string).length;
  const at = (l: number, col: number) => {
    const hit = hitAt(a.docs, a.lines.offsetAt({ line: l, character: col }));
    return { docIndex: hit?.docIndex ?? 0, hit };
  };
  for (let l = pos.line - 1; l >= 0; l--) {
    const text = lines[l] as string;
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const m = /^(\s*)(-\s+)?(?:([^\s:#'"][^:#]*):(\s*$|\s))?/.exec(text) as RegExpExecArray;
    const keyCol = (m[1] as string).length + (m[2]?.length ?? 0);
    const dashCol = (m[1] as string).length;
    // A sibling key inside a list entry (`- name: x` above `  image: y`): the entry is the map.
    if (m[2] !== undefined && m[3] !== undefined && keyCol === indent) {
      const { docIndex, hit } = at(l, keyCol);
      return { docIndex, path: hit ? hit.path.slice(0, -1) : [] };
    }
    if ((m[2] !== undefined ? dashCol : keyCol) >= indent) continue;
    if (m[3] === undefined) return { docIndex: at(l, keyCol).docIndex, path: [] };
    const { docIndex, hit } = at(l, keyCol);
    if (!hit) return { docIndex, path: [] };
    // `key:` opening a block holds the cursor; `key: value` on a deeper line does not (broken YAML).
    const opens = text.slice(keyCol + (m[3] as string).length + 1).trim() === '';
    return { docIndex, path: opens ? hit.path : hit.path.slice(0, -1) };
  }
  return { docIndex: 0, path: [] };
}

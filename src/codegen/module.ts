// One generated module: the typed props, spec, custom-type and status declarations of one RGD, its
// construct class, and the RGD itself as data (so the module needs nothing else at run time).
import type { JsonObject, JsonValue, Rgd } from '../rgd/model.js';
import type { PositionTable } from '../runtime/locator.js';
import type { InstanceSchema } from '../schema/model.js';
import { hashDocument } from './hash.js';
import { jsdoc, lineCommentText } from './jsdoc.js';
import { type NameRegistry, quote, withArticle } from './names.js';
import { positionTableText } from './positions.js';
import { fill, type Templates } from './templates.js';
import { SpecTypes, statusDeclarations, type TypeNames } from './types.js';

export interface ModulePlan {
  readonly rgd: Rgd;
  readonly schema: InstanceSchema;
  /** OpenAPI schema of the instance status, as kro infers it. */
  readonly statusSchema: JsonObject;
  readonly className: string;
  /** Output file name, e.g. `word-press.ts`. */
  readonly fileName: string;
  /** The RGD's file as shown in the header (relative to the working directory). */
  readonly source: string;
}

export interface ModuleContext {
  readonly registry: NameRegistry;
  readonly templates: Templates;
  readonly version: string;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function hasRequiredField(schema: InstanceSchema): boolean {
  return schema.spec.fields.some((f) => f.node.required && f.node.default === undefined);
}

/** What the class comment says: the kind and which resources one instance stands for. */
function classDoc(plan: ModulePlan): string {
  const s = plan.rgd.schema;
  const lines = [
    `${capitalize(withArticle(s.kind))} (${s.group}/${s.apiVersion}), defined by ResourceGraphDefinition ${plan.rgd.name}.`,
  ];
  if (plan.rgd.resources.length > 0) {
    lines.push('', 'Each instance stands for these resources:');
    for (const r of plan.rgd.resources) {
      const what = r.externalRef
        ? `${r.externalRef.apiVersion} ${r.externalRef.kind}`
        : `${String(r.template?.['apiVersion'] ?? '?')} ${String(r.template?.['kind'] ?? '?')}`;
      const how = r.externalRef
        ? ' (external reference, read only)'
        : r.forEach.length > 0
          ? ' (one per item)'
          : '';
      const when = r.includeWhen.length > 0 ? ' (only when included)' : '';
      lines.push(`- \`${r.id}\`: ${what}${how}${when}`);
    }
  }
  return jsdoc('', lines.join('\n'));
}

export function emitModule(plan: ModulePlan, ctx: ModuleContext): string {
  const { registry, templates } = ctx;
  const { rgd, schema, className } = plan;
  const names: TypeNames = {
    className,
    spec: registry.claim(`${className}Spec`),
    status: registry.claim(`${className}Status`),
  };
  const propsName = registry.claim(`${className}Props`);
  const resourceIdName = registry.claim(`${className}ResourceId`);
  // The resources expanded mode makes objects of: external references are only read.
  const created = rgd.resources.filter((r) => !r.externalRef).map((r) => quote(r.id));
  const declarations = [
    ...new SpecTypes(registry, names).build(schema, rgd.name),
    ...statusDeclarations(registry, names, plan.statusSchema),
  ];
  const specRequired = hasRequiredField(schema);
  const kind = rgd.schema.kind;
  const apiVersion = `${rgd.schema.group}/${rgd.schema.apiVersion}`;
  // The hash's walk over the document tells printJson whether it can hold a list of numbers; the
  // printed text tells the position table whether any string holds `${`.
  const hashed = hashDocument(rgd.raw, ctx.version);
  const documentJson = printJson(rgd.raw, '    ', hashed.numberLists);
  const sourceJson = sourceText(plan.source, positionTableText(rgd, documentJson, '    '), documentJson);
  const propsDefault = specRequired ? '' : ' = {}';
  return fill(templates.module, {
    version: lineCommentText(ctx.version),
    source: lineCommentText(plan.source),
    rgdName: lineCommentText(rgd.name),
    hash: hashed.hash,
    props: fill(templates.props, {
      className,
      aClassName: withArticle(className),
      kind,
      propsName,
      specName: names.spec,
      specOptional: specRequired ? '' : '?',
    }),
    declarations: declarations.map((d) => d.text).join('\n'),
    class: fill(templates.class, {
      classDoc: classDoc(plan),
      className,
      kind,
      specName: names.spec,
      propsName,
      propsDefault,
      resourceIdName,
      resourceIds: created.length > 0 ? created.join(' | ') : 'never',
      apiVersionLiteral: quote(apiVersion),
      kindLiteral: quote(kind),
    }),
    data: fill(templates.source, { source: lineCommentText(plan.source), sourceJson }),
  });
}

/**
 * The module's RgdSource as printJson would print it at indentation `  ` (where the template's
 * `return` puts it), assembled from parts: `documentJson` is the document printed at `    `, and
 * the position table is hundreds of short number lists that the generic printer would first
 * spread over lines and then join again.
 */
export function printSource(file: string, positions: PositionTable, documentJson: string): string {
  const pointers = Object.keys(positions);
  let table = '{}';
  if (pointers.length > 0) {
    table = '{';
    for (let i = 0; i < pointers.length; i++) {
      const p = pointers[i] as string;
      // Pointers rarely hold what JSON escapes: a regex test costs less than a JSON.stringify call.
      const key = JSON_ESCAPED.test(p) ? JSON.stringify(p) : `"${p}"`;
      table += `${i === 0 ? '' : ','}\n      ${key}: [${(positions[p] as readonly number[]).join(', ')}]`;
    }
    table += '\n    }';
  }
  return sourceText(file, table, documentJson);
}

/** printSource's text, with the position table printed already (positionTableText). */
function sourceText(file: string, table: string, documentJson: string): string {
  return `{\n    "file": ${JSON.stringify(file)},\n    "positions": ${table},\n    "document": ${documentJson}\n  }`;
}

/** What JSON.stringify writes escaped in a string (lone surrogates; pairs too, to be simple). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON as a TypeScript literal, indented by two spaces per level; lists of numbers stay on one line.
 * An int64 beyond 2^53 (a bigint) becomes `kro.int64("...")`: a `123n` literal would need the
 * user's tsconfig to target ES2020. `indent` (spaces) starts every line after the first.
 * `numberLists`: false when no list in `value` starts with a number (hashDocument tells).
 */
export function printJson(value: JsonValue, indent: string, numberLists = true): string {
  return printedByStringify(value, indent, numberLists) ?? printJsonWalk(value, indent);
}

// A JSON.stringify list whose items are all numbers (JSON numbers only: the loader refuses NaN and
// the infinities), and an object key `__proto__` at the start of its line.
const NUMBER = /-?\d[\d.eE+-]*/g;
const NUMBER_LIST = /\[\n(?: *-?\d[\d.eE+-]*,\n)* *-?\d[\d.eE+-]*\n *\]/g;
const PROTO_KEY = /\n( *)"__proto__": /g;

/**
 * printJson's text through JSON.stringify, adjusted where the two differ: the RGDs embedded in the
 * modules can hold whole CRDs, and the native printer is several times faster on them than a walk.
 * Undefined for a bigint, which JSON.stringify refuses.
 */
function printedByStringify(value: JsonValue, indent: string, numberLists: boolean): string | undefined {
  // For an indent of an even number of spaces, JSON.stringify indents by it itself (see
  // stringifyIndented); any other indent is added after the adjustments, which expect spaces.
  const levels = /^(?: {2})*$/.test(indent) ? indent.length / 2 : undefined;
  let text: string;
  try {
    text = levels === undefined ? JSON.stringify(value, null, 2) : stringifyIndented(value, levels);
  } catch {
    return undefined;
  }
  // A regex pass over the whole text (a megabyte for RGDs holding CRDs), skipped when the caller's
  // walk saw no list starting with a number.
  if (numberLists) text = text.replace(NUMBER_LIST, (list) => `[${list.match(NUMBER)?.join(', ')}]`);
  // `"__proto__": v` in an object literal would set the prototype; a computed key defines data.
  if (text.includes('"__proto__": ')) text = text.replace(PROTO_KEY, '\n$1["__proto__"]: ');
  return levels === undefined ? text.replace(/\n/g, `\n${indent}`) : text;
}

/**
 * JSON.stringify(value, null, 2) with `levels` times two spaces after every newline, printed by
 * JSON.stringify itself inside that many one-item lists: a second pass over a text of a megabyte
 * or more (the embedded RGDs can hold whole CRDs) was a good part of generating.
 */
function stringifyIndented(value: JsonValue, levels: number): string {
  let wrapped: unknown = value;
  let prefix = '';
  let suffix = '';
  for (let i = 1; i <= levels; i++) {
    wrapped = [wrapped];
    prefix += `[\n${' '.repeat(2 * i)}`;
    suffix = `\n${' '.repeat(2 * (i - 1))}]${suffix}`;
  }
  const text = JSON.stringify(wrapped, null, 2);
  return text.slice(prefix.length, text.length - suffix.length);
}

/** printJson by walking the value (for what JSON.stringify cannot print). */
function printJsonWalk(value: JsonValue, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
    const inner = `${indent}  `;
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      out += `${i === 0 ? '\n' : ',\n'}${inner}${printJsonWalk(value[i] as JsonValue, inner)}`;
    }
    return `${out}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const inner = `${indent}  `;
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const key = k === '__proto__' ? `[${JSON.stringify(k)}]` : JSON.stringify(k);
      out += `${i === 0 ? '\n' : ',\n'}${inner}${key}: ${printJsonWalk(value[k] as JsonValue, inner)}`;
    }
    return `${out}\n${indent}}`;
  }
  return typeof value === 'bigint' ? `kro.int64(${JSON.stringify(String(value))})` : JSON.stringify(value);
}

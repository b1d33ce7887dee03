// Hover: what the name under the cursor is. Inside `${...}`: a variable or field path with its CEL
// type and description (the SimpleSchema's for `schema.spec.x`, the kind's OpenAPI for resource
// fields), a resource, or a function; outside: a resource's `id` or a SimpleSchema field.
import { NAMESPACE_IDENTIFIERS } from '../cel/environment.js';
import { selectType } from '../cel/fields.js';
import type { GraphResource } from '../graph/model.js';
import type { JsonValue } from '../rgd/model.js';
import { describeSchemaNode, functionsNamed, showType } from './describe.js';
import { siteRange } from './expressions.js';
import { resourceFieldDoc } from './field-docs.js';
import { schemaNodeAt, specNodeOf, targetAt, variablesAt } from './target.js';
import type { Range } from './text.js';
import type { AnalyzedRgd, FileAnalysis } from './workspace.js';
import { nodeRange } from './yaml-nodes.js';

export interface HoverResult {
  readonly markdown: string;
  readonly range?: Range;
}

export function hover(a: FileAnalysis, offset: number): HoverResult | undefined {
  const t = targetAt(a, offset);
  if (!t) return undefined;
  switch (t.kind) {
    case 'resource-id': {
      const r = nodeRange(t.scalar);
      return {
        markdown: describeResource(t.rgd, t.resource),
        ...(r ? { range: a.lines.range(r[0], r[1]) } : {}),
      };
    }
    case 'schema': {
      const node = schemaNodeAt(t.rgd, ['spec', 'schema', ...t.path]);
      if (!node) return undefined;
      const name = String(t.path[t.path.length - 1]);
      const written = rawAt(t.rgd.rgd.raw, ['spec', 'schema', ...t.path]);
      return {
        markdown: markdown(describeSchemaNode(name, node, typeof written === 'string' ? written : undefined)),
      };
    }
    case 'instance': {
      if (t.path[0] !== 'spec') return undefined;
      const node = specNodeOf(
        t.instance.schema.spec,
        t.path.map((s) => (typeof s === 'number' ? '[]' : s)),
      );
      return node ? { markdown: markdown(describeSchemaNode(t.path.join('.'), node)) } : undefined;
    }
    case 'expression': {
      const c = t.chain;
      if (!c) return undefined;
      const span = c.spans[c.at] as readonly [number, number];
      const r = siteRange(a.text, t.site, span[0], span[1]);
      const range = r ? { range: a.lines.range(r[0], r[1]) } : {};
      const ids = new Set(t.rgd.graph.resources.map((x) => x.id));
      if (c.called) {
        const ns =
          c.path.length === 1 && NAMESPACE_IDENTIFIERS.has(c.root) && !ids.has(c.root) ? c.root : undefined;
        const name = c.path.length === 0 ? c.root : (c.path[c.path.length - 1] as string);
        const fns = functionsNamed(name, ns);
        if (fns.length === 0) return undefined;
        const lines = [`**${ns ? `${ns}.` : ''}${name}**`, '```', ...fns.flatMap((f) => f.signatures), '```'];
        const doc = fns.find((f) => f.doc)?.doc;
        if (doc) lines.push(doc);
        return { markdown: lines.join('\n'), ...range };
      }
      const vars = variablesAt(a, t.rgd, t.site.context);
      const rootType = vars.get(c.root);
      if (!rootType) return undefined;
      if (c.path.length === 0) {
        const res = t.rgd.graph.resources.find((x) => x.id === c.root);
        if (res) return { markdown: describeResource(t.rgd, res), ...range };
      }
      const type = selectType(rootType, c.path);
      const text = [c.root, ...c.path].join('.').replace(/\.\[\]/g, '[]');
      const lines = [`**${text}**: \`${type ? showType(type) : 'undefined field'}\``];
      if (c.root === 'schema' && c.path[0] === 'spec') {
        const node = specNodeOf(t.rgd.schema.spec, c.path);
        if (node) lines.push('', ...describeSchemaNode(String(c.path[c.path.length - 1] ?? 'spec'), node));
      } else {
        const res = t.rgd.graph.resources.find((x) => x.id === c.root);
        if (res) {
          const desc = resourceFieldDoc(a, res, c.path);
          lines.push(`field of ${res.kind} (${res.apiVersion})`);
          if (desc) lines.push('', desc);
        }
      }
      return { markdown: markdown(lines), ...range };
    }
  }
}

/** Lines as Markdown: each its own line (a hard break), an empty one a paragraph break. */
function markdown(lines: readonly string[]): string {
  return lines.join('  \n').replace(/ {2}\n {2}\n/g, '\n\n');
}

function describeResource(rgd: AnalyzedRgd, r: GraphResource): string {
  const users = rgd.graph.resources.filter((x) => x.dependencies.includes(r.id)).map((x) => x.id);
  if (rgd.graph.instance.dependencies.includes(r.id)) users.push('the instance status');
  const lines = [
    `**${r.id}**: ${r.kind || '?'} (${r.apiVersion || '?'})${r.type !== 'resource' ? `, ${r.type}` : ''}`,
  ];
  lines.push(`depends on: ${r.dependencies.length > 0 ? r.dependencies.join(', ') : 'nothing'}`);
  lines.push(`used by: ${users.length > 0 ? users.join(', ') : 'nothing'}`);
  if (!r.kindSource) lines.push('kind unknown: its expressions are not type-checked');
  return lines.join('\n\n');
}

function rawAt(v: JsonValue, path: readonly (string | number)[]): JsonValue | undefined {
  let cur: JsonValue | undefined = v;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[seg as number] : (cur as Record<string, JsonValue>)[String(seg)];
  }
  return cur;
}

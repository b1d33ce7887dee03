// Test helpers: an Rgd model and a Locator built straight from YAML text with the `yaml` package, so
// schema tests do not depend on the RGD loader.
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, Scalar } from 'yaml';
import type { SourcePos } from '../../../src/diagnostics.js';
import type { DocPath, JsonObject, Locator, Rgd, RgdSchema } from '../../../src/rgd/model.js';

export function yamlLocator(text: string, file = 'rgd.yaml'): Locator {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const posAt = (offset: number): SourcePos => {
    const p = lines.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  // The node at `path` and, when the last step was a map key, its key node; stops at the last node found.
  const walk = (path: DocPath): { node: Node; key?: Node } => {
    let node = doc.contents as Node;
    let key: Node | undefined;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
        if (!pair?.value) return { node };
        key = pair.key as Node;
        node = pair.value as Node;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        key = undefined;
        node = node.items[seg] as Node;
      } else {
        return { node };
      }
    }
    return key ? { node, key } : { node };
  };
  return {
    file,
    at(path, part = 'value') {
      const w = walk(path);
      const target = part === 'key' && w.key ? w.key : w.node;
      return posAt(target.range?.[0] ?? 0);
    },
    inString(path, offset) {
      const { node } = walk(path);
      const start = node.range?.[0] ?? 0;
      if (isScalar(node) && (node.type === Scalar.PLAIN || node.type === undefined))
        return posAt(start + offset);
      if (isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE)) {
        return posAt(start + 1 + offset);
      }
      return posAt(start);
    },
  };
}

/** An Rgd model from the YAML of one RGD document (defaults as kro applies them). */
export function rgdFromYaml(text: string, file = 'rgd.yaml'): Rgd {
  const raw = parseDocument(text).toJS() as JsonObject;
  const spec = (raw['spec'] ?? {}) as JsonObject;
  const s = (spec['schema'] ?? {}) as JsonObject;
  const meta = (s['metadata'] ?? {}) as {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  const schema: RgdSchema = {
    apiVersion: String(s['apiVersion'] ?? ''),
    kind: String(s['kind'] ?? ''),
    group: String(s['group'] ?? 'kro.run'),
    scope: s['scope'] === 'Cluster' ? 'Cluster' : 'Namespaced',
    spec: (s['spec'] ?? null) as JsonObject | null,
    types: (s['types'] ?? null) as JsonObject | null,
    status: (s['status'] ?? null) as JsonObject | null,
    additionalPrinterColumns: (s['additionalPrinterColumns'] ?? null) as JsonObject[] | null,
    shortNames: (s['shortNames'] ?? []) as string[],
    categories: (s['categories'] ?? []) as string[],
    metadata: { labels: meta.labels ?? {}, annotations: meta.annotations ?? {} },
  };
  return {
    name: String((raw['metadata'] as JsonObject | undefined)?.['name'] ?? ''),
    file,
    docIndex: 0,
    schema,
    resources: [],
    raw,
    loc: yamlLocator(text, file),
  };
}

// What a resource's field is, for hover and completion: the description its kind's schema gives
// (CRDs carry theirs) or, for a built-in kind, a one-sentence summary from
// data/k8s-openapi/descriptions.json, which tools/k8s-openapi writes beside builtin.json from the
// same definitions. builtin.json drops descriptions so validation and synthesis parse less; only
// the editor reads them, loaded on the first question.
import { readFileSync } from 'node:fs';
import type { OpenApiSchema } from '../cel/types.js';
import type { GraphResource } from '../graph/model.js';
import { packagePath } from '../package-root.js';
import { builtinDefinition, lookupBuiltinKind } from '../schema/k8s-builtin.js';
import { openApiAt, openApiDescription } from '../schema/openapi-path.js';
import type { FileAnalysis } from './workspace.js';

/** The description of field `path` (select path from the resource's id) of resource `res`. */
export function resourceFieldDoc(
  a: FileAnalysis,
  res: GraphResource,
  path: readonly string[],
): string | undefined {
  const resolved = res.apiVersion && res.kind ? a.resolver.resolve(res.apiVersion, res.kind) : undefined;
  if (!resolved) return undefined;
  // A collection's id is a list of its objects.
  const inObject = res.type === 'collection' || res.type === 'externalCollection' ? path.slice(1) : path;
  const own = resolved.schema ? openApiDescription(openApiAt(resolved.schema, inObject)) : undefined;
  if (own !== undefined || resolved.source !== 'builtin') return own;
  return builtinFieldSummary(res.apiVersion, res.kind, inObject);
}

const DATA_FILE = 'data/k8s-openapi/descriptions.json';
const REF_PREFIX = '#/definitions/';
const INDEX = '[]';

type Summaries = Readonly<Record<string, Readonly<Record<string, string>>>>;

let summaries: Summaries | undefined;

function loadSummaries(): Summaries {
  if (!summaries) {
    const raw = JSON.parse(readFileSync(packagePath(DATA_FILE), 'utf8')) as { definitions?: Summaries };
    summaries = raw.definitions ?? {};
  }
  return summaries;
}

function summary(definition: string, path: readonly string[]): string | undefined {
  const byPath = loadSummaries()[definition];
  const key = path.join('.');
  return byPath && Object.hasOwn(byPath, key) ? byPath[key] : undefined;
}

// kube-openapi writes a field that names another definition as `$ref`, or wrapped in a one-element
// allOf when the field has its own keys (a default).
function refName(s: OpenApiSchema): string | undefined {
  const ref = typeof s.$ref === 'string' ? s.$ref : s.allOf?.find((p) => typeof p.$ref === 'string')?.$ref;
  return typeof ref === 'string' && ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

/**
 * The summary of the field at `path` (select path, `[]` for an index) of a built-in kind, or of
 * the kind itself for an empty path; undefined when the kind is not built in or the path leaves
 * its schema. A field's own description wins; one without gets its type's (`metadata`: ObjectMeta).
 */
export function builtinFieldSummary(
  apiVersion: string,
  kind: string,
  path: readonly string[],
): string | undefined {
  const entry = lookupBuiltinKind(apiVersion, kind);
  if (!entry) return undefined;
  let definition = entry.definition;
  let node = builtinDefinition(definition);
  // Path inside `definition` (inline objects stay in it; a `$ref` starts the next definition).
  let inside: string[] = [];
  let own: string | undefined = summary(definition, []);
  for (const seg of path) {
    if (!node) return undefined;
    let next: OpenApiSchema | undefined;
    let step = seg;
    if (seg !== INDEX && node.properties && Object.hasOwn(node.properties, seg)) next = node.properties[seg];
    else {
      step = INDEX;
      if (seg === INDEX && node.items && !Array.isArray(node.items)) next = node.items as OpenApiSchema;
      else if (typeof node.additionalProperties === 'object') next = node.additionalProperties;
    }
    if (!next) return undefined;
    inside = [...inside, step];
    own = summary(definition, inside);
    const ref = refName(next);
    if (ref !== undefined) {
      definition = ref;
      node = builtinDefinition(ref);
      inside = [];
      own ??= summary(definition, []);
    } else node = next;
  }
  return own;
}

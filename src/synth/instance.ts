// An instance as kro receives it from the API server: checked against its RGD's kind, scope and
// schema, with the schema's defaults applied and the namespace filled in. Problems point into the
// instance file when the caller gives its locator.
import { type Diagnostic, error, type SourcePos, warning } from '../diagnostics.js';
import { setOwn } from '../json.js';
import type { DocPath, JsonObject, JsonValue, Locator, Rgd } from '../rgd/model.js';
import type { InstanceSchema } from '../schema/model.js';
import { shownPath, validateValue } from '../schema/validate.js';
import { applyDefaults } from './defaults.js';
import { checkRules, type RuleProblem } from './rules.js';

/** An instance object and, optionally, where it was read from. */
export interface InstanceInput {
  readonly object: JsonValue;
  /** Positions for messages about the instance (from the YAML loader). */
  readonly loc?: Locator;
}

export interface NormalizedInstance {
  /** `{apiVersion, kind, metadata, spec}` with defaults, as kro's `schema` variable sees it. */
  readonly object: JsonObject;
  readonly name: string;
  /** Empty for cluster-scoped instances. */
  readonly namespace: string;
  /** `Kind namespace/name` (or `Kind name`), for messages. */
  readonly display: string;
  /** `file:line:col` of the instance, when known. */
  readonly where?: string;
}

export interface NormalizeOptions {
  /** The namespace of an instance that names none (kubectl's default context namespace). */
  readonly defaultNamespace?: string;
  /** kro's omit() gate: selects the CEL environment validation rules run in (one per process). */
  readonly omit?: boolean;
}

export const DEFAULT_NAMESPACE = 'default';

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The field a problem is about, for its message (`spec.db.port`, `spec["a\\nb"]`). */
function fieldPath(p: RuleProblem & { readonly path?: string }): string {
  const shown = shownPath(p);
  return shown === '' ? 'spec' : `spec${shown.startsWith('[') ? '' : '.'}${shown}`;
}

export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** The instance as kro sees it, or diagnostics saying why the API server would refuse it. */
export function normalizeInstance(
  rgd: Rgd,
  schema: InstanceSchema,
  input: InstanceInput,
  opts: NormalizeOptions = {},
): { readonly instance?: NormalizedInstance; readonly diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const at = (path: DocPath, part: 'key' | 'value' = 'value'): SourcePos | undefined =>
    input.loc?.at(path, part);
  const obj = input.object;
  const s = rgd.schema;
  const apiVersion = `${s.group}/${s.apiVersion}`;
  if (!isMap(obj)) {
    diagnostics.push(error('an instance must be an object', at([]), 'synth/instance'));
    return { diagnostics };
  }
  if (obj.apiVersion !== apiVersion || obj.kind !== s.kind) {
    diagnostics.push(
      error(
        `instance is ${String(obj.apiVersion)} ${String(obj.kind)}, but RGD ${rgd.name} defines ${apiVersion} ${s.kind}`,
        at(['kind']),
        'synth/instance-kind',
      ),
    );
    return { diagnostics };
  }
  const metadata = isMap(obj.metadata) ? obj.metadata : undefined;
  const name = metadata?.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    const readAs = input.loc?.readAs?.(['metadata', 'name']);
    diagnostics.push(
      error(
        `metadata.name must be a string, but ${readAs ?? `it is ${JSON.stringify(name)}`}; quote it`,
        at(['metadata', 'name']),
        'synth/instance-name',
      ),
    );
    return { diagnostics };
  }
  if (typeof name !== 'string' || name === '') {
    const generated = metadata !== undefined && typeof metadata.generateName === 'string';
    diagnostics.push(
      error(
        generated
          ? 'metadata.generateName cannot be rendered offline: the API server picks the name; give metadata.name'
          : 'instance has no metadata.name',
        at(['metadata']),
        'synth/instance-name',
      ),
    );
    return { diagnostics };
  }
  const namespaced = s.scope !== 'Cluster';
  let namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : '';
  // Spread and setOwn define keys; assignment would run the `__proto__` setter for such a key.
  let newMetadata: JsonObject = { ...metadata };
  if (namespaced) {
    if (namespace === '') {
      namespace = opts.defaultNamespace ?? DEFAULT_NAMESPACE;
      // Right after the name, where kubectl shows it.
      const ordered: JsonObject = {};
      for (const [k, v] of Object.entries(newMetadata)) {
        if (k === 'namespace') continue;
        setOwn(ordered, k, v);
        if (k === 'name') ordered.namespace = namespace;
      }
      newMetadata = ordered;
    }
  } else if (metadata !== undefined && Object.hasOwn(metadata, 'namespace')) {
    diagnostics.push(
      warning(
        `${s.kind} is cluster-scoped: metadata.namespace ${JSON.stringify(metadata.namespace)} is ignored`,
        at(['metadata', 'namespace']),
        'synth/instance-namespace',
      ),
    );
    delete newMetadata.namespace;
    namespace = '';
  }

  let spec: JsonValue | undefined = Object.hasOwn(obj, 'spec') ? (obj.spec as JsonValue) : undefined;
  if (spec === undefined || spec === null) {
    spec = schema.spec.default !== undefined ? applyDefaults(schema.spec, schema.spec.default) : undefined;
  } else {
    spec = applyDefaults(schema.spec, spec);
  }
  // Schema first; the CRD's CEL rules only make sense on values of the right shape.
  const problems: RuleProblem[] = validateValue(schema.spec, spec ?? {});
  if (problems.length === 0 && spec !== undefined)
    problems.push(...checkRules(schema.spec, spec, { omit: opts.omit ?? false }));
  for (const p of problems) {
    const segments = ['spec', ...p.segments];
    // An unknown field is its key; any other problem is the value.
    const part = 'rule' in p && p.rule === 'unknown field' ? 'key' : 'value';
    diagnostics.push(error(`${fieldPath(p)}: ${p.message}`, at(segments, part), 'synth/instance-invalid'));
  }

  const object: JsonObject = { apiVersion, kind: s.kind, metadata: newMetadata };
  if (spec !== undefined) object.spec = spec;
  const display = `${s.kind} ${namespace === '' ? name : `${namespace}/${name}`}`;
  const pos = at([]);
  return {
    instance: { object, name, namespace, display, ...(pos ? { where: formatPos(pos) } : {}) },
    diagnostics,
  };
}

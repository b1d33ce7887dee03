// Fields the API server fills in when it stores an object (Kubernetes' SetDefaults_* functions,
// IP allocation, metadata it sets). kro reads the stored object, so a field the template leaves
// out has a value there that the rendered object lacks. Reading such a field unguarded already
// fails offline (no such key); a guarded read (`has(x.f)`, `x.?f.orValue(d)`) would quietly give
// the fallback instead of kro's value, so it is an error while the rendered object lacks the field.
// The table lists the defaults of the built-in kinds most RGDs use; other kinds are not judged.
import type { ASTNode } from '@marcbachmann/cel-js';
import type { JsonValue } from '../rgd/model.js';

/** Pod spec fields the API server defaults (pkg/apis/core/v1/defaults.go), under `base`. */
function podSpec(base: string): string[] {
  const containers = (list: string) => [
    `${list}[].terminationMessagePath`,
    `${list}[].terminationMessagePolicy`,
    `${list}[].imagePullPolicy`,
    `${list}[].ports[].protocol`,
  ];
  return [
    'restartPolicy',
    'dnsPolicy',
    'terminationGracePeriodSeconds',
    'securityContext',
    'schedulerName',
    'enableServiceLinks',
    ...containers('containers'),
    ...containers('initContainers'),
  ].map((p) => `${base}.${p}`);
}

const METADATA = [
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.creationTimestamp',
  'metadata.generation',
  'metadata.managedFields',
];

const DEFAULTED: Readonly<Record<string, readonly string[]>> = {
  'v1/Pod': podSpec('spec'),
  'v1/Service': [
    'spec.type',
    'spec.clusterIP',
    'spec.clusterIPs',
    'spec.sessionAffinity',
    'spec.ipFamilies',
    'spec.ipFamilyPolicy',
    'spec.internalTrafficPolicy',
    'spec.ports[].protocol',
    'spec.ports[].targetPort',
  ],
  'v1/Secret': ['type'],
  'v1/PersistentVolumeClaim': ['spec.volumeMode'],
  'apps/v1/Deployment': [
    'spec.replicas',
    'spec.strategy',
    'spec.revisionHistoryLimit',
    'spec.progressDeadlineSeconds',
    ...podSpec('spec.template.spec'),
  ],
  'apps/v1/StatefulSet': [
    'spec.replicas',
    'spec.updateStrategy',
    'spec.podManagementPolicy',
    'spec.revisionHistoryLimit',
    'spec.persistentVolumeClaimRetentionPolicy',
    ...podSpec('spec.template.spec'),
  ],
  'apps/v1/DaemonSet': ['spec.updateStrategy', 'spec.revisionHistoryLimit', ...podSpec('spec.template.spec')],
  'batch/v1/Job': [
    'spec.parallelism',
    'spec.completions',
    'spec.backoffLimit',
    'spec.completionMode',
    'spec.suspend',
    'spec.podReplacementPolicy',
    ...podSpec('spec.template.spec'),
  ],
  'batch/v1/CronJob': [
    'spec.concurrencyPolicy',
    'spec.suspend',
    'spec.successfulJobsHistoryLimit',
    'spec.failedJobsHistoryLimit',
    ...podSpec('spec.jobTemplate.spec.template.spec'),
  ],
};

/** A guarded read of a field the API server may have filled in. */
export interface DefaultedRead {
  /** The resource id the read starts at. */
  readonly root: string;
  /** The defaulted field: keys, and list indexes as written (`'[]'` where not a literal). */
  readonly segments: readonly (string | number)[];
  /** The field as the table names it, e.g. `spec.ports[].protocol`. */
  readonly field: string;
  /** The expression text of the read. */
  readonly text: string;
}

type Segment = string | number | '[]';

/** The select chain of `node` from an identifier: its name and segments, or undefined. */
function chain(node: ASTNode): { root: string; segments: Segment[] } | undefined {
  const segments: Segment[] = [];
  let cur = node;
  for (;;) {
    if (cur.op === 'id') return { root: cur.args as string, segments: segments.reverse() };
    if (cur.op === '.' || cur.op === '.?') {
      const [base, field] = cur.args as [ASTNode, string];
      segments.push(field);
      cur = base;
    } else if (cur.op === '[]' || cur.op === '[?]') {
      const [base, index] = cur.args as [ASTNode, ASTNode];
      const v = index.op === 'value' ? index.args : undefined;
      segments.push(typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? v : '[]');
      cur = base;
    } else return undefined;
  }
}

function shape(segments: readonly Segment[]): string {
  return segments
    .map((s) => (typeof s === 'number' || s === '[]' ? '[]' : `.${s}`))
    .join('')
    .slice(1);
}

function isNode(v: unknown): v is ASTNode {
  return typeof v === 'object' && v !== null && 'op' in v && 'args' in v;
}

/**
 * The guarded reads in `ast` (of `source`) of fields the table lists for `kindOf(root)`
 * (`apiVersion/kind`, or any other string for objects only metadata is known of): `has(...)`
 * arguments and optional selects/indexes, matched by their path or any prefix of it.
 */
export function defaultedReads(
  ast: ASTNode,
  source: string,
  kindOf: (id: string) => string | undefined,
): DefaultedRead[] {
  const out: DefaultedRead[] = [];
  const consider = (node: ASTNode): void => {
    const c = chain(node);
    const kind = c && kindOf(c.root);
    if (!c || kind === undefined) return;
    // Every object (and the instance, `schema`) has the metadata the API server sets.
    const fields = [...(DEFAULTED[kind] ?? []), ...METADATA];
    for (let n = 1; n <= c.segments.length; n++) {
      const field = shape(c.segments.slice(0, n));
      if (!fields.includes(field)) continue;
      const segments = c.segments.slice(0, n) as (string | number)[];
      out.push({ root: c.root, segments, field, text: source.slice(node.start, node.end) });
      return;
    }
  };
  const pending: ASTNode[] = [ast];
  while (pending.length > 0) {
    const node = pending.pop() as ASTNode;
    if (node.op === 'value' || node.op === 'id') continue;
    if (node.op === '.?' || node.op === '[?]') consider(node);
    if (node.op === 'call' && (node.args as [string, ASTNode[]])[0] === 'has') {
      const arg = (node.args as [string, ASTNode[]])[1][0];
      if (arg) consider(arg);
    }
    const collect = (v: unknown): void => {
      if (isNode(v)) pending.push(v);
      else if (Array.isArray(v)) for (const x of v) collect(x);
    };
    collect(node.args);
  }
  return out;
}

/** Whether `obj` (the rendered object) sets the field; `'[]'` means every item must set it. */
export function setsField(obj: JsonValue | undefined, segments: readonly (string | number)[]): boolean {
  let level: (JsonValue | undefined)[] = [obj];
  for (const s of segments) {
    const next: (JsonValue | undefined)[] = [];
    for (const v of level) {
      if (s === '[]') {
        if (!Array.isArray(v)) return false;
        next.push(...v);
      } else if (typeof s === 'number') {
        if (!Array.isArray(v)) return false;
        next.push(v[s]);
      } else {
        if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, s)) return false;
        next.push((v as Record<string, JsonValue>)[s]);
      }
    }
    level = next;
  }
  return level.every((v) => v !== undefined && v !== null);
}

/** Why the read cannot be rendered offline. */
export function defaultedMessage(read: DefaultedRead): string {
  const where = read.root === 'schema' ? 'the instance' : `the template of "${read.root}"`;
  return `it reads ${read.text}, and ${where} leaves out ${read.field}, which the API server fills in when it stores the object (kro reads that value, not the fallback): set the field in the template, or use --mode bundle to let kro evaluate it`;
}

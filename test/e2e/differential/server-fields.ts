/**
 * The fields the API server added to one of kro-gen's objects on a dry-run create, judged against
 * kro-gen's table of server-set fields (src/synth/server-defaults.ts, data/k8s-openapi/defaults.json):
 * each added field must be listed, and where the table models its value, the value must be the
 * server's. The real server is the judge: a miss means the table (or its generator) is wrong.
 */
import type { JsonObject } from '../../../src/rgd/model.js';
import { serverSetField, withServerDefaults } from '../../../src/synth/server-defaults.js';
import type { KubeObject } from '../cluster/kube.js';
import { type Difference, deepEqual, formatPath, isRecord, type Segment, valueAt } from './diff.js';

export interface ServerFields {
  /** Fields the server added (an added object counts once, not per field inside it). */
  added: number;
  /** Of those, the ones the table lists (with the server's value, where it models one). */
  predicted: number;
  misses: Difference[];
}

function addedPaths(ours: unknown, stored: unknown, at: Segment[], out: Segment[][]): void {
  if (Array.isArray(stored) && Array.isArray(ours)) {
    for (let i = 0; i < Math.min(stored.length, ours.length); i++)
      addedPaths(ours[i], stored[i], [...at, i], out);
    return;
  }
  if (!isRecord(stored) || !isRecord(ours)) return;
  for (const [k, v] of Object.entries(stored)) {
    if (at.length === 0 && (k === 'status' || k === 'apiVersion' || k === 'kind')) continue;
    // The generated name (the probe's, not the server's idea of the object).
    if (at.length === 1 && at[0] === 'metadata' && k === 'name') continue;
    if (!Object.hasOwn(ours, k)) out.push([...at, k]);
    else addedPaths(ours[k], v, [...at, k], out);
  }
}

export function serverFields(ours: KubeObject, stored: KubeObject): ServerFields {
  const kind = `${ours.apiVersion}/${ours.kind}`;
  const paths: Segment[][] = [];
  addedPaths(ours, stored, [], paths);
  const predictedObject = withServerDefaults(ours as unknown as JsonObject, kind) as unknown;
  const misses: Difference[] = [];
  for (const segments of paths) {
    const theirs = valueAt(stored, segments);
    const entry = serverSetField(kind, segments);
    const path = formatPath(segments);
    if (entry === undefined) {
      misses.push({ path, segments, ours: '<not in the table>', theirs: theirs });
    } else if (entry.modelled && !deepEqual(valueAt(predictedObject, segments), theirs)) {
      misses.push({ path, segments, ours: valueAt(predictedObject, segments), theirs: theirs });
    }
  }
  return { added: paths.length, predicted: paths.length - misses.length, misses };
}

// kapp change-group names for rendered objects: one per node of an instance, under kro-gen's prefix.
import { createHash } from 'node:crypto';

const KAPP_PREFIX = 'kro-gen.dev/';
// kapp wants a qualified name: one `/`, and at most 63 characters after it.
// (The length apart: a bounded repetition costs more to match than a comparison.)
const QUALIFIED_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A kapp change group name under kro-gen's prefix; long or odd names are shortened with a hash. */
export function kappGroup(parts: readonly string[]): string {
  const readable = parts.join('.');
  if (readable.length <= 63 && QUALIFIED_NAME.test(readable)) return KAPP_PREFIX + readable;
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 10);
  const head = readable
    .replace(/[^-A-Za-z0-9_.]/g, '-')
    .slice(0, 52)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return `${KAPP_PREFIX}${head === '' ? '' : `${head}-`}${hash}`;
}

/** The kapp change group of one node of one instance. */
export function nodeChangeGroup(
  instance: { kind: string; namespace: string; name: string },
  nodeId: string,
): string {
  const kind = instance.kind.toLowerCase();
  return kappGroup(
    instance.namespace ? [kind, instance.namespace, instance.name, nodeId] : [kind, instance.name, nodeId],
  );
}

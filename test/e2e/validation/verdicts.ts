/**
 * Verdicts of the validation differential: what kro did with an applied RGD
 * (Active, or refused with its condition message), what `kro-gen validate` said,
 * and how they compare. Pure functions over plain data, so they have unit tests
 * of their own (verdicts.test.ts) that need no cluster.
 */
import { type Condition, conditionsOf } from '../cluster/kube.js';

export interface Verdict {
  /** true: kro accepted the RGD (Active and Ready) or kro-gen exited 0. */
  accepted: boolean;
  /** The refusal's message (kro's condition message, the API server's error, kro-gen's first error). */
  message: string;
}

/** Conditions whose False status means kro refused the graph, most telling first. */
const REFUSING = ['GraphAccepted', 'GraphRevisionsResolved', 'KindReady', 'ControllerReady'];

/**
 * kro's settled verdict on an RGD, or undefined while it is still reconciling:
 * accepted once Active with Ready True; refused once one of Ready's dependents is False.
 */
export function kroVerdict(rgd: unknown): Verdict | undefined {
  const conditions = conditionsOf(rgd);
  const status = (rgd as { status?: { state?: unknown } }).status;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (status?.state === 'Active' && ready?.status === 'True') return { accepted: true, message: '' };
  const refusal = REFUSING.map((type) => conditions.find((c: Condition) => c.type === type)).find(
    (c) => c?.status === 'False',
  );
  if (refusal) return { accepted: false, message: refusal.message ?? '' };
  return undefined;
}

/** kro-gen's verdict from `validate`'s exit code and text output: exit 0 accepts; the first error's message. */
export function kroGenVerdict(code: number, stderr: string, stdout = ''): Verdict {
  if (code === 0) return { accepted: true, message: '' };
  const line = `${stdout}\n${stderr}`.split('\n').find((l) => /: error: /.test(l)) ?? '';
  const message = line.replace(/^.*?: error: /, '').replace(/ \[[a-z-]+\/[a-z-]+\]$/, '');
  return { accepted: false, message };
}

/**
 * Whether the messages agree: kro-gen's message, without the context it puts in
 * front (`resource "x": `, `failed to compile template expression "..." at path
 * "...": `, `spec.field: `), contained in kro's, which puts its own context in
 * front (`failed to validate resource "x": ... ERROR: <input>:1:15: `). Two
 * acceptances agree.
 */
export function messagesEqual(kro: Verdict, kroGen: Verdict): boolean {
  if (kro.accepted || kroGen.accepted) return kro.accepted === kroGen.accepted;
  const core = coreMessage(kroGen.message);
  return core !== '' && normalise(canonicalCycles(kro.message)).includes(canonicalCycles(core));
}

const CYCLE = /graph contains a cycle: ((?:[^\s]+ -> )+[^\s]+)/g;

/**
 * Every `graph contains a cycle: a -> b -> a` in `message` written from its smallest id. kro's
 * DAG search starts at a vertex picked by Go's map order, so kro words one cycle in any of its
 * rotations from run to run (dag.go, hasCycle); they are one message. The direction
 * (`->` = depends on) and the ids still have to agree.
 */
export function canonicalCycles(message: string): string {
  return message.replace(CYCLE, (whole, path: string) => {
    const ids = path.split(' -> ');
    if (ids.length < 2 || ids[0] !== ids[ids.length - 1]) return whole;
    const ring = ids.slice(0, -1);
    const start = ring.indexOf([...ring].sort()[0] as string);
    const rotated = [...ring.slice(start), ...ring.slice(0, start)];
    return `graph contains a cycle: ${[...rotated, rotated[0]].join(' -> ')}`;
  });
}

/** kro-gen's message without its leading context. */
export function coreMessage(message: string): string {
  return normalise(message)
    .replace(/^resource "[^"]*": /, '')
    .replace(
      /^failed to (compile|type-check) [a-zA-Z ]*expression ".*?"( at path "[^"]*")?( in resource "[^"]*")?: /,
      '',
    )
    .replace(/^spec(\.[A-Za-z0-9_]+)+: /, '');
}

const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();

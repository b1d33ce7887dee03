/**
 * ApplySet pruning (KEP-3659) of kro-gen's expanded output with the real kubectl, next to what the
 * real kro prunes for the same change of an instance or RGD.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import type { KubeClient, KubeObject } from '../cluster/kube.js';
import { kroGenObjects } from '../differential/kro-gen.js';
import { instanceSelector, standInForInstance } from '../differential/stand-in.js';

const execFileAsync = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One state of a scenario: the RGD file and the instance (no namespace: it gets the test's). */
export interface PruneStep {
  rgd: string;
  instance: KubeObject;
}

export interface PruneScenario {
  name: string;
  /** What changes between the steps. */
  change: string;
  steps: [PruneStep, PruneStep];
}

const tmp = mkdtempSync(join(tmpdir(), 'kro-gen-applyset-'));

/** Writes `text` to a fresh temporary file and returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

/** `kind/name` of every object, sorted: the identity compared across kubectl and kro. */
const keys = (objects: readonly KubeObject[]): string[] =>
  objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).sort();

/** kro-gen's expanded output for one step, in namespace `ns`. */
export async function expanded(step: PruneStep, ns: string): Promise<KubeObject[]> {
  const file = tempFile(
    `instance-${ns}-${String(step.instance.metadata.name)}.yaml`,
    stringify(step.instance),
  );
  return kroGenObjects(['synth', step.rgd, '--instance', file, '--namespace', ns]);
}

/** Runs the real kubectl; a failure throws with its output. */
export async function kubectl(
  binary: string,
  kubeconfig: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(binary, ['--kubeconfig', kubeconfig, ...args], {
      // ApplySet-based pruning is still behind kubectl's alpha gate in v1.36.
      env: { ...process.env, KUBECTL_APPLYSET: 'true' },
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')} failed:\n${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`);
  }
}

/** The objects of `kinds` in `ns` whose labels match `selector`, as `kind/name`. */
async function listed(kube: KubeClient, kinds: readonly KubeObject[], ns: string, selector: string) {
  const out: KubeObject[] = [];
  const seen = new Set<string>();
  for (const k of kinds) {
    const key = `${k.apiVersion}/${k.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...(await kube.list(k.apiVersion, k.kind, { namespace: ns, labelSelector: selector })));
  }
  return keys(out.filter((o) => !o.metadata.deletionTimestamp));
}

/** What kubectl prunes: apply step 1, then step 2, with `--prune --applyset`. */
export async function kubectlPrunes(
  kube: KubeClient,
  binary: string,
  kubeconfig: string,
  scenario: PruneScenario,
  ns: string,
): Promise<{ before: string[]; after: string[]; pruned: string[]; output: string }> {
  const outputs: KubeObject[][] = [];
  let output = '';
  for (const [i, step] of scenario.steps.entries()) {
    const objects = await expanded(step, ns);
    outputs.push(objects);
    const file = tempFile(
      `${scenario.name}-kubectl-${i + 1}.yaml`,
      objects.map((o) => stringify(o)).join('---\n'),
    );
    const r = await kubectl(binary, kubeconfig, [
      'apply',
      '--server-side',
      '--prune',
      `--applyset=${scenario.name}`,
      '-n',
      ns,
      '-f',
      file,
    ]);
    output += r.stdout;
  }
  const parent = await kube.get({ apiVersion: 'v1', kind: 'Secret', name: scenario.name, namespace: ns });
  const id = parent?.metadata.labels?.['applyset.kubernetes.io/id'];
  if (!id) throw new Error(`kubectl made no ApplySet parent Secret ${ns}/${scenario.name}`);
  const all = [...(outputs[0] ?? []), ...(outputs[1] ?? [])];
  const after = await listed(kube, all, ns, `applyset.kubernetes.io/part-of=${id}`);
  const before = keys(outputs[0] ?? []);
  return { before, after, pruned: before.filter((k) => !after.includes(k)), output };
}

function readyFor(live: KubeObject | undefined): boolean {
  const status = (
    live as {
      status?: {
        state?: string;
        conditions?: { type: string; status: string; observedGeneration?: number }[];
      };
    }
  )?.status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return (
    status?.state === 'ACTIVE' &&
    ready?.status === 'True' &&
    ready.observedGeneration === live?.metadata.generation
  );
}

/**
 * What kro prunes: apply the RGD and the instance of step 1, wait until kro has reconciled it,
 * then step 2 (a changed instance, or a changed RGD), and list what kro keeps for the instance.
 */
export async function kroPrunes(
  kube: KubeClient,
  scenario: PruneScenario,
  ns: string,
): Promise<{ before: string[]; after: string[]; pruned: string[] }> {
  const sets: string[][] = [];
  const outputs = [await expanded(scenario.steps[0], ns), await expanded(scenario.steps[1], ns)];
  for (const [i, step] of scenario.steps.entries()) {
    const expected = outputs[i] ?? [];
    for (const rgd of await kube.applyManifests({ path: step.rgd })) {
      await kube.waitForRgdActive(rgd.metadata.name ?? '');
    }
    const instance = { ...step.instance, metadata: { ...step.instance.metadata, namespace: ns } };
    await kube.apply(instance);
    const selector = instanceSelector(instance);
    const want = keys(expected);
    const deadline = Date.now() + 120_000;
    let got: string[] = [];
    for (;;) {
      const live = await kube.get({
        apiVersion: instance.apiVersion,
        kind: instance.kind,
        name: instance.metadata.name ?? '',
        namespace: ns,
      });
      if (live) await standInForInstance(kube, live);
      got = await listed(kube, outputs.flat(), ns, selector);
      if (readyFor(live) && JSON.stringify(got) === JSON.stringify(want)) break;
      if (Date.now() > deadline) break;
      await sleep(500);
    }
    sets.push(got);
  }
  const [before = [], after = []] = sets;
  return { before, after, pruned: before.filter((k) => !after.includes(k)) };
}

/** The web-app RGD renamed for this test, optionally without its Service. */
export function webAppVariant(withService: boolean, rgdText: string): string {
  const rgd = parse(rgdText) as {
    metadata: { name: string };
    spec: { schema: { kind: string }; resources: { id: string }[] };
  };
  rgd.metadata.name = 'deploy-prune-app';
  rgd.spec.schema.kind = 'PruneApp';
  if (!withService) rgd.spec.resources = rgd.spec.resources.filter((r) => r.id !== 'service');
  return tempFile(`web-app-${withService ? 'v1' : 'v2'}.yaml`, stringify(rgd));
}

/**
 * RGD-update differential (issue 10, "Verified against the real kro"; docs/e2e.md): for each case
 * of cases.ts the old RGD and its instances are applied and become ACTIVE, then the new RGD is
 * applied, and what kro does is recorded: whether the update is accepted or refused (by kro's CRD
 * compatibility check, or by the API server), and once kro has reconciled, which children were
 * created, changed (the fields) or pruned. That is compared with kro-gen's prediction:
 *
 *   e2e diff: N cases, decision equal X/N, children equal Y/N
 *
 * Children: kro-gen's per-instance plan (planInstances). Decision: `kro-gen diff --format json`
 * (refused when `crd.changes` has a breaking change that is not allowed) once the CLI has the
 * command; without it, the decision written in the case (reviewed against kro's code) stands in,
 * and the summary line says so. The decisions written in the cases are always checked against kro.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { planInstances } from '../../../src/diff/instance-plan.js';
import type { DiffReport, InstancePlan } from '../../../src/diff/report.js';
import { buildGraph } from '../../../src/graph/build.js';
import { loadRgds } from '../../../src/rgd/load.js';
import { parseYamlFile } from '../../../src/rgd/yaml.js';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import { conditionsOf, KubeApiError, type KubeClient, type KubeObject } from '../cluster/kube.js';
import { kroGen, kroGenCommands } from '../differential/kro-gen.js';
import { instanceSelector, standInForInstance } from '../differential/stand-in.js';
import { reportSummaryLine } from '../differential/summary.js';
import {
  CASES,
  caseInstances,
  caseNamespace,
  caseRgd,
  caseRgdName,
  type Decision,
  type DiffCase,
} from './cases.js';
import { compareObservations, expectedObservation, observe } from './observe.js';

const RGD_API = { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition' };
const TIMEOUT = 180_000;
/** After the children first match, how long they must stay so (kro requeues every 3 s). */
const SETTLE_MS = 7_000;

interface KroDecision {
  decision: Decision;
  by: 'kro' | 'apiserver';
  message: string;
}

interface CaseResult {
  name: string;
  kro: KroDecision;
  predicted: Decision;
  /** Problems with the decisions written down in the case (against kro) or kro-gen's instance errors. */
  problems: string[];
  childDifferences: string[];
}

let cluster: Cluster | undefined;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-e2e-diff-'));
  cluster = await startCluster();
});

afterAll(async () => {
  if (cluster) {
    const kube = cluster.client;
    // Best effort, not awaited to the end: a throw-away cluster is stopped anyway.
    await Promise.all(
      CASES.flatMap((c) => caseInstances(c)).map((i) => kube.delete(ref(i as KubeObject)).catch(() => {})),
    );
    await Promise.all(CASES.map((c) => kube.delete({ ...RGD_API, name: caseRgdName(c) }).catch(() => {})));
    await stopCluster();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ref = (o: KubeObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name ?? '',
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function loaded(file: string, text: string) {
  const l = loadRgds([{ path: file, text }]);
  const rgd = l.rgds[0];
  if (!rgd) throw new Error(`${file}: ${l.diagnostics.map((d) => d.message).join('; ')}`);
  const g = buildGraph(rgd, {});
  const errors = g.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  return { rgd, graph: g.graph };
}

/** apiVersion/kind of every template in either RGD: where kro's children of the case live. */
function childKinds(c: DiffCase): { apiVersion: string; kind: string }[] {
  const seen = new Map<string, { apiVersion: string; kind: string }>();
  for (const parts of [c.old, c.new])
    for (const r of parts.resources) {
      const t = r.template as { apiVersion: string; kind: string };
      seen.set(`${t.apiVersion}/${t.kind}`, { apiVersion: t.apiVersion, kind: t.kind });
    }
  return [...seen.values()];
}

async function children(kube: KubeClient, c: DiffCase, instance: KubeObject): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const k of childKinds(c))
    out.push(
      ...(await kube.list(k.apiVersion, k.kind, {
        namespace: caseNamespace(c),
        labelSelector: instanceSelector(instance),
      })),
    );
  return out;
}

function ready(obj: KubeObject): boolean {
  const status = (obj as { status?: { state?: string } }).status;
  return (
    status?.state === 'ACTIVE' &&
    conditionsOf(obj).some(
      (x) =>
        x.type === 'Ready' &&
        x.status === 'True' &&
        (x as { observedGeneration?: number }).observedGeneration === obj.metadata.generation,
    )
  );
}

async function waitInstanceActive(kube: KubeClient, instance: KubeObject): Promise<void> {
  await kube.waitFor(
    `${instance.kind} ${instance.metadata.name} ACTIVE`,
    async () => {
      await standInForInstance(kube, instance);
      const got = await kube.get(ref(instance));
      return got !== undefined && ready(got);
    },
    { timeoutMs: TIMEOUT },
  );
}

/** kro's verdict on the RGD's current generation: Ready, or KindReady / GraphAccepted false. */
async function kroDecision(kube: KubeClient, name: string): Promise<KroDecision> {
  return kube.waitFor(
    `kro's verdict on RGD ${name}`,
    async () => {
      const rgd = await kube.get({ ...RGD_API, name });
      if (!rgd) return undefined;
      const gen = rgd.metadata.generation;
      const current = conditionsOf(rgd).filter(
        (x) => (x as { observedGeneration?: number }).observedGeneration === gen,
      );
      const refusal = current.find(
        (x) => (x.type === 'KindReady' || x.type === 'GraphAccepted') && x.status === 'False',
      );
      if (refusal) return { decision: 'refused', by: 'kro', message: refusal.message ?? '' } as KroDecision;
      const state = (rgd as { status?: { state?: string } }).status?.state;
      if (state === 'Active' && current.some((x) => x.type === 'Ready' && x.status === 'True'))
        return { decision: 'accepted', by: 'kro', message: '' } as KroDecision;
      return undefined;
    },
    { timeoutMs: TIMEOUT },
  );
}

/** kro-gen's decision: from `kro-gen diff --format json` when the CLI has it. */
async function predictedDecision(
  c: DiffCase,
  files: { old: string; new: string; instances: string },
  hasDiff: boolean,
): Promise<Decision> {
  if (!hasDiff) return c.expected.decision;
  const r = await kroGen(['diff', files.old, files.new, '--instance', files.instances, '--format', 'json']);
  if (r.code !== 0 && r.code !== 3) throw new Error(`kro-gen diff exited ${r.code}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as DiffReport & { crd: { accepted?: boolean } };
  // `crd.accepted` where the CLI gives it (it also covers the API server's refusals); else any
  // breaking change kro's annotation does not allow.
  const refused =
    report.crd.accepted === undefined
      ? report.crd.changes.some((ch) => ch.breaking && !ch.allowed)
      : !report.crd.accepted;
  return refused ? 'refused' : 'accepted';
}

/** Words of `expected.instanceErrors` that some instance's plan lacks; any error when none is expected. */
function planErrorProblems(c: DiffCase, plans: readonly InstancePlan[]): string[] {
  const problems: string[] = [];
  for (const p of plans) {
    const messages = p.errors.map((e) => e.message);
    const words = c.expected.instanceErrors ?? [];
    if (words.length === 0 && messages.length > 0)
      problems.push(`instance ${p.instance.name}: kro-gen reports errors: ${messages.join(' | ')}`);
    for (const w of words)
      if (!messages.some((m) => m.includes(w)))
        problems.push(
          `instance ${p.instance.name}: no kro-gen error mentions ${JSON.stringify(w)}: ${messages.join(' | ')}`,
        );
  }
  return problems;
}

async function runCase(kube: KubeClient, c: DiffCase, hasDiff: boolean): Promise<CaseResult> {
  const problems: string[] = [];
  const oldRgd = caseRgd(c, 'old');
  const newRgd = caseRgd(c, 'new');
  const instances = caseInstances(c) as unknown as KubeObject[];
  const files = {
    old: join(dir, `${c.name}.old.yaml`),
    new: join(dir, `${c.name}.new.yaml`),
    instances: join(dir, `${c.name}.instances.yaml`),
  };
  const instanceText = instances.map((i) => stringify(i)).join('---\n');
  writeFileSync(files.old, stringify(oldRgd));
  writeFileSync(files.new, stringify(newRgd));
  writeFileSync(files.instances, instanceText);

  // kro-gen's plan, before anything reaches the cluster.
  const o = loaded(files.old, stringify(oldRgd));
  const n = loaded(files.new, stringify(newRgd));
  const planned = planInstances({
    oldRgd: o.rgd,
    newRgd: n.rgd,
    oldGraph: o.graph,
    newGraph: n.graph,
    instances: parseYamlFile({ path: files.instances, text: instanceText }).documents,
  });
  if (planned.diagnostics.length > 0)
    problems.push(`kro-gen: ${planned.diagnostics.map((d) => d.message).join('; ')}`);
  problems.push(...planErrorProblems(c, planned.plans));
  const predicted = await predictedDecision(c, files, hasDiff);

  // The old RGD and its instances, ACTIVE.
  await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: caseNamespace(c) } });
  await kube.apply(oldRgd as unknown as KubeObject);
  await kube.waitForRgdActive(caseRgdName(c), { timeoutMs: TIMEOUT });
  for (const i of instances) await kube.apply(i);
  for (const i of instances) await waitInstanceActive(kube, i);
  const before = await Promise.all(instances.map((i) => children(kube, c, i)));

  // The new RGD: refused by the API server, or kro's verdict.
  let kro: KroDecision;
  try {
    await kube.apply(newRgd as unknown as KubeObject);
    kro = await kroDecision(kube, caseRgdName(c));
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err;
    kro = { decision: 'refused', by: 'apiserver', message: err.message };
  }
  if (kro.decision !== c.expected.decision || kro.by !== (c.expected.by ?? 'kro'))
    problems.push(
      `kro ${kro.decision} (by ${kro.by}), the case expects ${c.expected.decision} ${kro.message}`,
    );
  if (c.expected.message && !kro.message.includes(c.expected.message))
    problems.push(`kro's message lacks ${JSON.stringify(c.expected.message)}: ${kro.message}`);

  // Children, once kro has reconciled: equal to the plan, and still equal a few requeues later.
  const childDifferences: string[] = [];
  for (const [index, instance] of instances.entries()) {
    const plan = planned.plans.find((p) => p.instance.name === instance.metadata.name);
    if (!plan) {
      childDifferences.push(`${instance.metadata.name}: kro-gen has no plan`);
      continue;
    }
    const expected = expectedObservation(plan, predicted === 'refused');
    const deadline = Date.now() + 60_000;
    let last: string[] = [];
    let matchedAt: number | undefined;
    for (;;) {
      await standInForInstance(kube, instance);
      last = compareObservations(expected, observe(before[index] ?? [], await children(kube, c, instance)));
      if (last.length > 0) matchedAt = undefined;
      else matchedAt ??= Date.now();
      if (matchedAt !== undefined && Date.now() - matchedAt >= SETTLE_MS) break;
      if (Date.now() > deadline) break;
      await sleep(1_000);
    }
    childDifferences.push(...last.map((l) => `${instance.metadata.name}: ${l}`));
    if (c.expected.instanceReports) {
      const words = c.expected.instanceReports;
      const reported = await kube
        .waitFor(
          `${instance.metadata.name} reporting ${words}`,
          async () => {
            const got = await kube.get(ref(instance));
            const hit =
              got && conditionsOf(got).find((x) => x.status === 'False' && x.message?.includes(words));
            return hit ? `${hit.type}: ${hit.message}` : undefined;
          },
          { timeoutMs: 60_000 },
        )
        .catch(() => undefined);
      if (!reported)
        problems.push(`instance ${instance.metadata.name}: no condition reports ${JSON.stringify(words)}`);
      else console.log(`diff ${c.name}: ${instance.metadata.name} reports ${reported.slice(0, 300)}`);
    }
  }
  return { name: c.name, kro, predicted, problems, childDifferences };
}

describe('RGD updates: kro-gen diff against the real kro', () => {
  it(`predicts kro's decision and what happens to the children (${CASES.length} cases)`, async () => {
    if (!cluster) throw new Error('no cluster');
    const kube = cluster.client;
    const hasDiff = (await kroGenCommands()).has('diff');
    const results = await Promise.all(CASES.map((c) => runCase(kube, c, hasDiff)));
    for (const r of results) {
      console.log(
        `diff ${r.name}: kro ${r.kro.decision}${r.kro.by === 'apiserver' ? ' by the API server' : ''}${r.kro.message ? ` (${r.kro.message.slice(0, 200)})` : ''}; kro-gen ${r.predicted}; children ${r.childDifferences.length === 0 ? 'equal' : 'differ'}`,
      );
      for (const d of [...r.problems, ...r.childDifferences]) console.log(`  ${r.name}: ${d}`);
    }
    const decisions = results.filter((r) => r.kro.decision === r.predicted).length;
    const childrenEqual = results.filter((r) => r.childDifferences.length === 0).length;
    const n = results.length;
    reportSummaryLine(
      `e2e diff: ${n} cases, decision equal ${decisions}/${n}, children equal ${childrenEqual}/${n}${hasDiff ? '' : ' (decisions predicted from the cases: kro-gen has no diff command yet)'}`,
    );
    expect(results.flatMap((r) => r.problems.map((p) => `${r.name}: ${p}`))).toEqual([]);
    expect(results.flatMap((r) => r.childDifferences.map((d) => `${r.name}: ${d}`))).toEqual([]);
    expect(decisions).toBe(n);
  }, 900_000);
});

/**
 * One fixture against the real kro, in the order a user would go:
 *
 * 1. `kro-gen crd`: every CRD passes a server-side apply dry run.
 * 2. `kro-gen synth --mode bundle`: its RGDs pass a dry run and are applied for
 *    real; kro must make each Active; the CRD kro generated is compared with
 *    `kro-gen crd`'s (both directions).
 * 3. Per instance step: `kro-gen synth --mode expanded` (every object passes a
 *    dry run, before kro has created anything in the namespace), then the
 *    bundle's instances pass a dry run (now that kro's CRD exists) and are
 *    applied; the test stands in for the missing workload controllers until
 *    every object kro-gen rendered exists with the same fields and every
 *    instance is ACTIVE. Objects kro created that kro-gen did not render are
 *    differences too.
 */
import { stringifyJson } from '../../../src/json.js';
import { lookupBuiltinKind } from '../../../src/schema/k8s-builtin.js';
import type { Cluster } from '../cluster/cluster.js';
import { type KubeClient, type KubeObject, loadManifests } from '../cluster/kube.js';
import { compare, type Difference, isRecord } from './diff.js';
import type { Fixture, InstanceStep } from './fixtures.js';
import { comparedKey, type KnownDifferences, type Subject } from './known-differences.js';
import { kroGen, kroGenObjects } from './kro-gen.js';
import { FixtureResult } from './results.js';
import { asStored, ignoreForChild, ignoreForCrd, unorderedInCrd, withoutCrdServerDefaults } from './rules.js';
import { serverFields } from './server-fields.js';
import { instanceSelector, releaseFinalizersOf, standInForInstance } from './stand-in.js';
import { instanceFile, synth, synthArgs } from './synth.js';

export interface RunContext {
  cluster: Cluster;
  known: KnownDifferences;
  /** `comparedKey`s of every comparison that ran (for the stale allow-list check). */
  compared: Set<string>;
  /** Whether `kro-gen synth` exists yet. */
  synth: boolean;
  /** How long to wait for kro per step. */
  timeoutMs: number;
}

const DRY_RUN_MANAGER = 'kro-gen-e2e-dry-run';
/** On an instance of a `.refused.yaml` step: words both kro-gen's error and kro's condition must hold. */
const REFUSED_BECAUSE = 'e2e.kro-gen.dev/refused-because';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const describeObject = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? ''}`;

const identity = (o: KubeObject): string => `${o.apiVersion} ${describeObject(o)}`;

const refOf = (o: KubeObject) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name ?? '',
  namespace: o.metadata.namespace,
});

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const kindKey = (o: { apiVersion: string; kind: string }): string => `${o.apiVersion}/${o.kind}`;

/** `apiVersion/kind` of the instances of the RGDs that another RGD of the fixture creates (chained RGDs). */
function chainedKinds(rgds: readonly KubeObject[]): Set<string> {
  const instanceKinds = new Set(
    rgds.flatMap((rgd) => {
      const schema = isRecord(rgd.spec) && isRecord(rgd.spec.schema) ? rgd.spec.schema : {};
      const group = typeof schema.group === 'string' ? schema.group : 'kro.run';
      return typeof schema.kind === 'string' && typeof schema.apiVersion === 'string'
        ? [`${group}/${schema.apiVersion}/${schema.kind}`]
        : [];
    }),
  );
  return new Set(templateKinds(rgds).filter((k) => instanceKinds.has(k)));
}

/** One object kro-gen rendered, with what the dry run said the server would store. */
interface Rendered {
  readonly ours: KubeObject;
  stored: KubeObject | undefined;
  /** Its namespace is created by the same output and did not exist yet: dry-run once it does. */
  waitsForNamespace: boolean;
}

/** `apiVersion/kind` of every template of the RGDs (what kro may create), literal ones only. */
function templateKinds(rgds: readonly KubeObject[]): string[] {
  const out = new Set<string>();
  for (const rgd of rgds) {
    const resources = isRecord(rgd.spec) && Array.isArray(rgd.spec.resources) ? rgd.spec.resources : [];
    for (const r of resources) {
      if (!isRecord(r) || !isRecord(r.template)) continue;
      const { apiVersion, kind } = r.template;
      if (
        typeof apiVersion === 'string' &&
        typeof kind === 'string' &&
        !`${apiVersion}${kind}`.includes('${')
      )
        out.add(`${apiVersion}/${kind}`);
    }
  }
  return [...out];
}

/**
 * Why an instance is not (yet) done, or undefined: kro reports it ACTIVE and
 * Ready for its current generation (right after an update the old ACTIVE stays
 * until kro has looked at the new spec).
 */
function notReady(instance: KubeObject): string | undefined {
  const status = isRecord(instance.status) ? instance.status : {};
  if (status.state !== 'ACTIVE') return `in state ${String(status.state ?? '(none)')}`;
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const ready = conditions.find((c) => isRecord(c) && c.type === 'Ready');
  if (!isRecord(ready) || ready.status !== 'True') return 'not Ready';
  if (ready.observedGeneration !== instance.metadata.generation)
    return `Ready for generation ${String(ready.observedGeneration)}, not ${String(instance.metadata.generation)}`;
  return undefined;
}

class FixtureRun {
  readonly result: FixtureResult;
  private readonly kube: KubeClient;
  /** kro's `status.topologicalOrder` of each RGD, by the instance kind it serves. */
  private readonly orders = new Map<string, { rgd: string; order: string[] }>();

  constructor(
    private readonly ctx: RunContext,
    private readonly fixture: Fixture,
  ) {
    this.result = new FixtureResult(fixture.name);
    this.kube = ctx.cluster.client;
  }

  private record(subject: Subject, object: string, differences: readonly Difference[]): void {
    for (const difference of differences) {
      const known = this.ctx.known.explain({
        fixture: this.fixture.name,
        subject,
        object,
        path: difference.path,
      });
      this.result.findings.push({ subject, object, difference, known });
    }
  }

  /** Unexplained differences, without marking allow-list entries used (for polling). */
  private unexplained(subject: Subject, object: string, differences: readonly Difference[]): number {
    return differences.filter(
      (d) => !this.ctx.known.explain({ fixture: this.fixture.name, subject, object, path: d.path }, false),
    ).length;
  }

  /**
   * Whether kro-gen's table of server-set fields predicts what the API server adds to `obj`, on a
   * dry-run create under a generated name: an apply merges with what kro may have created by now,
   * only a create shows what the server adds to our object alone.
   */
  private async checkServerFields(obj: KubeObject): Promise<void> {
    const { name: _name, ...metadata } = obj.metadata;
    const anonymous = { ...obj, metadata: { ...metadata, generateName: 'kro-gen-e2e-' } };
    let created: KubeObject;
    try {
      const { apiVersion, kind } = obj;
      const path = await this.kube.pathFor({ apiVersion, kind, namespace: metadata.namespace });
      created = await this.kube.request<KubeObject>('POST', path, {
        body: anonymous,
        query: { dryRun: 'All', fieldManager: DRY_RUN_MANAGER },
      });
    } catch (err) {
      this.result.notes.push(`server-set fields of ${describeObject(obj)} not checked: ${message(err)}`);
      return;
    }
    const fields = serverFields(anonymous, created);
    this.result.serverFieldsAdded += fields.added;
    this.result.serverFieldsPredicted += fields.predicted;
    if (fields.misses.length > 0) this.record('server-set', describeObject(obj), fields.misses);
  }

  /** Server-side apply dry run; returns what the server would store, or undefined if rejected. */
  private async dryRun(obj: KubeObject): Promise<KubeObject | undefined> {
    this.result.dryRunSent++;
    this.ctx.compared.add(comparedKey(this.fixture.name, 'dry-run'));
    try {
      const stored = await this.kube.dryRunApply(obj, { fieldManager: DRY_RUN_MANAGER });
      this.result.dryRunAccepted++;
      // CRDs are left out: their name must be <plural>.<group>, so none can be generated.
      if (lookupBuiltinKind(obj.apiVersion, obj.kind) && obj.kind !== 'CustomResourceDefinition')
        await this.checkServerFields(obj);
      return stored;
    } catch (err) {
      this.record('dry-run', describeObject(obj), [
        { path: '$', segments: [], ours: 'accepted', theirs: `rejected: ${message(err)}` },
      ]);
      return undefined;
    }
  }

  async run(): Promise<FixtureResult> {
    const { fixture, kube } = this;
    for (const name of fixture.namespaces) {
      await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    for (const file of fixture.supportFiles) {
      for (const obj of loadManifests(file)) await kube.apply(obj);
    }

    // 1. The CRDs, as `kro-gen crd` prints them.
    const ourCrds = await kroGenObjects(['crd', '-o', 'yaml', ...fixture.rgdFiles]);
    for (const crd of ourCrds) await this.dryRun(crd);

    // 2. The RGDs: from the bundle when kro-gen can synthesize one, else as written.
    const files = fixture.steps.map((step, i) => instanceFile(fixture, i, step));
    const bundles: KubeObject[][] = [];
    for (const file of files) bundles.push(this.ctx.synth ? await synth('bundle', fixture, file) : []);
    const rgds = this.ctx.synth
      ? (bundles[0] ?? []).filter((o) => o.kind === 'ResourceGraphDefinition')
      : fixture.rgds;
    if (this.ctx.synth && bundles.length === 0) {
      // No instances: the RGDs alone, as a bundle would carry them.
      rgds.push(...fixture.rgds);
    }
    for (const rgd of rgds) {
      if (this.ctx.synth) await this.dryRun(rgd);
      await kube.apply(rgd);
    }
    for (const rgd of rgds) {
      const name = rgd.metadata.name ?? '';
      try {
        const active = await kube.waitForRgdActive(name, { timeoutMs: this.ctx.timeoutMs });
        const order = isRecord(active.status) ? active.status.topologicalOrder : undefined;
        const schema = isRecord(active.spec) && isRecord(active.spec.schema) ? active.spec.schema : {};
        if (Array.isArray(order) && typeof schema.kind === 'string') {
          this.orders.set(schema.kind, { rgd: name, order: order.filter((x) => typeof x === 'string') });
        }
      } catch (err) {
        this.result.failures.push(`kro did not make RGD ${name} Active: ${message(err)}`);
        return this.result;
      }
      const live = await kube.waitForGeneratedCrd(name, { timeoutMs: this.ctx.timeoutMs });
      const ours = ourCrds.find((c) => c.metadata.name === live.metadata.name);
      this.ctx.compared.add(comparedKey(fixture.name, 'crd'));
      this.result.crdCompared++;
      const object = `CustomResourceDefinition ${live.metadata.name}`;
      if (!ours) {
        this.record('crd', object, [
          { path: '$', segments: [], ours: undefined, theirs: live.metadata.name },
        ]);
        continue;
      }
      const differences = compare(ours, withoutCrdServerDefaults(ours, live), {
        mode: 'exact',
        ignore: ignoreForCrd,
        unordered: unorderedInCrd,
        onReordered: (path, a, b) =>
          this.result.notes.push(
            `${object} ${path}: same set, other order (kro-gen ${stringifyJson(a)}, kro ${stringifyJson(b)})`,
          ),
      });
      this.record('crd', object, differences);
      if (differences.length === 0) this.result.crdEqual++;
    }

    // 3. The instances, one state after the other.
    for (const [i, step] of fixture.steps.entries()) {
      const file = files[i] ?? '';
      const bundle = bundles[i] ?? [];
      if (i > 0) {
        for (const rgd of bundle.filter((o) => o.kind === 'ResourceGraphDefinition')) {
          await this.dryRun(rgd);
          await kube.apply(rgd);
        }
      }
      if (step.refused) {
        await this.expectRefused(step, file, bundle);
        continue;
      }
      let expanded: Rendered[] = [];
      let ordered: KubeObject[] = [];
      if (this.ctx.synth) {
        const objects = await synth('expanded', fixture, file);
        expanded = await this.dryRunInApplyOrder(objects);
        ordered = objects;
        // Chained RGDs: the expanded output replaced the inner instances by their objects; the
        // inner instance objects themselves come from --no-expand-chained (their CRDs exist now).
        const inner = chainedKinds(fixture.rgds);
        if (inner.size > 0) {
          ordered = await synth('expanded', fixture, file, ['--no-expand-chained']);
          for (const ours of ordered.filter((o) => inner.has(kindKey(o))))
            expanded.push({ ours, stored: await this.dryRun(ours), waitsForNamespace: false });
        }
      }
      const instances = this.ctx.synth
        ? bundle.filter((o) => o.kind !== 'ResourceGraphDefinition')
        : step.instances;
      for (const instance of instances) {
        if (this.ctx.synth) await this.dryRun(instance);
        await kube.apply(instance);
      }
      // Instance kinds are never children (a bundle may be read back by a later RGD).
      const instanceKinds = new Set(step.instances.map((o) => `${o.apiVersion}/${o.kind}`));
      expanded = expanded.filter((e) => !instanceKinds.has(`${e.ours.apiVersion}/${e.ours.kind}`));
      this.compareOrder(
        step.instances,
        ordered.filter((o) => !instanceKinds.has(kindKey(o))),
      );
      await this.compareChildren(step.instances, expanded, step.file);
    }
    return this.result;
  }

  /**
   * A step both must refuse: kro-gen's expanded synth fails naming each instance, and kro,
   * given the same instances, puts each in state ERROR (it creates what it can before that,
   * so its children are not compared).
   */
  private async expectRefused(step: InstanceStep, file: string, bundle: KubeObject[]): Promise<void> {
    const because = (instance: KubeObject): string =>
      instance.metadata.annotations?.[REFUSED_BECAUSE] ?? `(no ${REFUSED_BECAUSE} annotation)`;
    if (this.ctx.synth) {
      const ours = await kroGen(synthArgs('expanded', this.fixture, file));
      for (const instance of step.instances) {
        const line = ours.stderr.split('\n').find((l) => l.includes(` for ${describeObject(instance)} (`));
        if (ours.code !== 1 || !line?.includes(because(instance)))
          this.result.failures.push(
            `${step.file}: kro-gen synth --mode expanded did not refuse ${describeObject(instance)} with "${because(instance)}" (exit ${ours.code}): ${line ?? ''}`,
          );
      }
    }
    const instances = this.ctx.synth
      ? bundle.filter((o) => o.kind !== 'ResourceGraphDefinition')
      : step.instances;
    for (const instance of instances) {
      if (this.ctx.synth) await this.dryRun(instance);
      await this.kube.apply(instance);
    }
    const deadline = Date.now() + this.ctx.timeoutMs;
    let pending = [...step.instances];
    while (pending.length > 0) {
      const states = await Promise.all(pending.map((i) => this.kube.get(refOf(i)).catch(() => undefined)));
      pending = pending.filter((instance, n) => {
        const status = isRecord(states[n]?.status) ? states[n]?.status : {};
        if (status?.state !== 'ERROR') return true;
        const conditions = Array.isArray(status.conditions) ? status.conditions : [];
        const failed = conditions.find((c) => isRecord(c) && c.status === 'False' && c.message);
        const why = isRecord(failed) ? String(failed.message) : '';
        this.result.notes.push(`${step.file}: both refuse ${describeObject(instance)}; kro: ${why}`);
        if (!why.includes(because(instance)))
          this.result.failures.push(
            `${step.file}: kro refused ${describeObject(instance)} for another reason than "${because(instance)}": ${why}`,
          );
        return false;
      });
      if (pending.length === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    for (const instance of pending)
      this.result.failures.push(
        `${step.file}: kro did not put ${describeObject(instance)} in state ERROR within ${this.ctx.timeoutMs} ms`,
      );
  }

  /**
   * Dry-runs kro-gen's objects as they would be applied, in order: an object in a namespace that
   * an earlier object of the same output creates cannot pass before that namespace exists, so it
   * is dry-run once kro has created the namespace (compareChildren); every other object now,
   * before kro has created anything for the step, so the dry run shows our object alone.
   */
  private async dryRunInApplyOrder(objects: readonly KubeObject[]): Promise<Rendered[]> {
    const created = new Set(
      objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace').map((o) => o.metadata.name),
    );
    const out: Rendered[] = [];
    for (const ours of objects) {
      const ns = ours.metadata.namespace;
      const waits =
        ns !== undefined &&
        created.has(ns) &&
        !(await this.kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined));
      out.push({ ours, stored: waits ? undefined : await this.dryRun(ours), waitsForNamespace: waits });
    }
    return out;
  }

  /** Dry-runs the objects whose namespace kro has created by now; with `all`, the rest too. */
  private async dryRunWaiting(expanded: Rendered[], all: boolean): Promise<void> {
    for (const entry of expanded) {
      if (!entry.waitsForNamespace) continue;
      const ns = entry.ours.metadata.namespace ?? '';
      const exists = await this.kube
        .get({ apiVersion: 'v1', kind: 'Namespace', name: ns })
        .catch(() => undefined);
      if (!exists && !all) continue;
      entry.waitsForNamespace = false;
      entry.stored = await this.dryRun(entry.ours);
    }
  }

  /**
   * What kro created for the instances: every object with an instance's labels, in the kinds the
   * RGDs' templates name, and, through chained RGDs, what it created for the instances it
   * created (kro's grandchildren), recursively.
   */
  private async kroObjects(
    instances: readonly KubeObject[],
  ): Promise<{ objects: KubeObject[]; inner: KubeObject[] }> {
    const kinds = templateKinds(this.fixture.rgds);
    const chained = chainedKinds(this.fixture.rgds);
    const objects: KubeObject[] = [];
    const inner: KubeObject[] = [];
    const seen = new Set<string>();
    const queue = [...instances];
    for (let owner = queue.shift(); owner; owner = queue.shift()) {
      for (const key of kinds) {
        const slash = key.lastIndexOf('/');
        const items = await this.kube
          .list(key.slice(0, slash), key.slice(slash + 1), { labelSelector: instanceSelector(owner) })
          .catch(() => []);
        for (const live of items) {
          if (seen.has(identity(live))) continue;
          seen.add(identity(live));
          objects.push(live);
          if (chained.has(key)) {
            inner.push(live);
            queue.push(live);
          }
        }
      }
    }
    return { objects, inner };
  }

  /**
   * kro-gen's expanded output lists each instance's objects in dependency order;
   * kro reports its order as the RGD's `status.topologicalOrder`. The node ids
   * of kro-gen's objects (its `kro-gen.dev/node-id` label; a collection's items
   * count once) must come in kro's order, leaving out the nodes kro-gen did not
   * render (an `includeWhen` that is false).
   */
  private compareOrder(instances: KubeObject[], objects: KubeObject[]): void {
    for (const instance of instances) {
      const kro = this.orders.get(instance.kind);
      if (!kro) continue;
      this.ctx.compared.add(comparedKey(this.fixture.name, 'order'));
      const labels = (o: KubeObject): Record<string, string> => o.metadata.labels ?? {};
      const ours: string[] = [];
      for (const o of objects) {
        const l = labels(o);
        if (l['kro-gen.dev/instance-name'] !== instance.metadata.name) continue;
        if ((l['kro-gen.dev/instance-namespace'] ?? '') !== (instance.metadata.namespace ?? '')) continue;
        const id = l['kro-gen.dev/node-id'];
        if (id !== undefined && ours[ours.length - 1] !== id) ours.push(id);
      }
      const unlabelled = objects.find((o) => labels(o)['kro-gen.dev/node-id'] === undefined);
      if (unlabelled) {
        this.result.failures.push(`kro-gen's ${describeObject(unlabelled)} has no kro-gen.dev/node-id label`);
        continue;
      }
      const rendered = new Set(ours);
      const theirs = kro.order.filter((id) => rendered.has(id));
      const object = `ResourceGraphDefinition ${kro.rgd} (${describeObject(instance)})`;
      this.result.notes.push(`${object}: kro-gen's order ${ours.join(', ')}; kro's ${theirs.join(', ')}`);
      this.record(
        'order',
        object,
        compare(ours, theirs, { mode: 'exact' }).length === 0
          ? []
          : [{ path: '$.status.topologicalOrder', segments: ['status', 'topologicalOrder'], ours, theirs }],
      );
    }
  }

  private async compareChildren(
    instances: KubeObject[],
    expanded: Rendered[],
    stepFile: string,
  ): Promise<void> {
    const { kube } = this;
    const deadline = Date.now() + this.ctx.timeoutMs;
    const stoodIn = new Set<string>();
    const started = Date.now();
    const stats = { leaves: 0 };
    const normalized: string[] = [];
    const diffOf = (
      ours: KubeObject,
      stored: KubeObject | undefined,
      live: KubeObject,
      final = false,
    ): Difference[] =>
      compare(asStored(ours), live, {
        mode: 'subset',
        ignore: ignoreForChild,
        ...(stored ? { normalized: stored } : {}),
        ...(final
          ? {
              stats,
              onNormalized: (path: string, a: unknown, b: unknown) =>
                normalized.push(
                  `${describeObject(ours)} ${path}: ${stringifyJson(a)} stored as ${stringifyJson(b)}`,
                ),
            }
          : {}),
      });

    // Poll: kro creates objects in dependency order, on an update rewrites them and deletes
    // (prunes) what the graph no longer has.
    const rendered = new Set(expanded.map((e) => identity(e.ours)));
    let pending: string[] = [];
    let settled = 0;
    for (;;) {
      const kro = await this.kroObjects(instances);
      for (const instance of [...instances, ...kro.inner]) {
        for (const what of await standInForInstance(kube, instance)) {
          stoodIn.add(what);
        }
      }
      await this.dryRunWaiting(expanded, false);
      pending = [];
      for (const { ours, stored } of expanded) {
        const live = await kube.get(refOf(ours)).catch(() => undefined);
        if (!live) pending.push(`${describeObject(ours)} does not exist`);
        else if (this.unexplained('child', describeObject(ours), diffOf(ours, stored, live)) > 0)
          pending.push(`${describeObject(ours)} differs`);
      }
      for (const live of kro.objects) {
        if (!rendered.has(identity(live))) pending.push(`${describeObject(live)} differs (only kro has it)`);
      }
      for (const instance of instances) {
        const live = await kube.get(refOf(instance)).catch(() => undefined);
        const why = live ? notReady(live) : 'missing';
        if (why) pending.push(`${describeObject(instance)} is ${why}`);
      }
      if (pending.length === 0 || Date.now() > deadline) break;
      // Every object exists and kro calls every instance Ready for its current
      // generation: what still differs is kro's final answer, give or take a beat.
      settled = pending.every((p) => p.includes(' differs')) ? settled + 1 : 0;
      if (settled >= 6) break;
      await sleep(500);
    }
    await this.dryRunWaiting(expanded, true);
    if (stoodIn.size > 0)
      this.result.notes.push(`${stepFile}: status written for ${[...stoodIn].join(', ')}`);
    for (const p of pending.filter((p) => !p.includes(' differs') && !p.endsWith(' does not exist'))) {
      this.result.failures.push(`${stepFile}: ${p} after ${this.ctx.timeoutMs} ms`);
    }

    // The final comparison, recorded.
    this.ctx.compared.add(comparedKey(this.fixture.name, 'child'));
    const seen = new Set<string>();
    for (const { ours, stored } of expanded) {
      this.result.childrenCompared++;
      seen.add(identity(ours));
      const object = describeObject(ours);
      const live = await kube.get(refOf(ours)).catch(() => undefined);
      if (!live) {
        this.record('child', object, [{ path: '$', segments: [], ours: 'rendered', theirs: undefined }]);
        continue;
      }
      const differences = diffOf(ours, stored, live, true);
      this.record('child', object, differences);
      if (differences.length === 0) this.result.childrenEqual++;
    }

    this.result.notes.push(
      `${stepFile}: ${expanded.length} rendered objects, ${stats.leaves} fields compared, settled in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    // Objects kro created for these instances (and, through chained RGDs, for the instances they
    // created) that kro-gen did not render, e.g. not pruned after an update.
    for (const live of (await this.kroObjects(instances)).objects) {
      if (seen.has(identity(live))) continue;
      seen.add(identity(live));
      this.result.childrenCompared++;
      this.record('child', describeObject(live), [
        { path: '$', segments: [], ours: undefined, theirs: 'created' },
      ]);
    }
  }
}

export function runFixture(ctx: RunContext, fixture: Fixture): Promise<FixtureResult> {
  return new FixtureRun(ctx, fixture).run();
}

/**
 * Removes what the fixtures created, for clusters that outlive the run
 * (namespaces stay). kro deletes an instance's objects before it lets the
 * instance go; the finalizers kube-controller-manager would clear (a PVC's
 * protection, the garbage collector's) are cleared here in its place. All
 * instances are deleted at once: kro takes a few seconds for each.
 */
export async function cleanUpFixtures(kube: KubeClient, fixtures: readonly Fixture[]): Promise<string[]> {
  const problems: string[] = [];
  const pending = fixtures.flatMap((fixture) =>
    fixture.steps
      .flatMap((s) => s.instances)
      .map((instance) => ({ instance, kinds: templateKinds(fixture.rgds) })),
  );
  for (const { instance } of pending) await kube.delete(refOf(instance)).catch(() => {});
  const deadline = Date.now() + 120_000;
  let left = pending;
  while (left.length > 0 && Date.now() < deadline) {
    const still: typeof left = [];
    for (const entry of left) {
      if (!(await kube.get(refOf(entry.instance)).catch(() => undefined))) continue;
      still.push(entry);
      await releaseFinalizersOf(kube, instanceSelector(entry.instance), entry.kinds);
    }
    left = still;
    if (left.length > 0) await sleep(500);
  }
  for (const { instance } of left) problems.push(`${describeObject(instance)} was not deleted within 120 s`);
  for (const rgd of fixtures.flatMap((f) => f.rgds)) {
    await kube
      .delete({
        apiVersion: 'kro.run/v1alpha1',
        kind: 'ResourceGraphDefinition',
        name: rgd.metadata.name ?? '',
      })
      .catch(() => {});
  }
  return problems;
}

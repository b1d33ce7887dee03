/**
 * Deploying kro-gen output with the tools platform teams use (docs/deploy.md), against a fresh
 * local API server of its own:
 *
 * - a `synth --mode bundle --with-kro` bundle is server-side applied, in order, to an API server
 *   on which kro is not installed; every object must be accepted. Then the kro controller binary
 *   runs with the flags of the bundle's Deployment, authenticated as the bundle's ServiceAccount
 *   (a TokenRequest token), and must bring every instance of the bundle to ACTIVE: the RBAC the
 *   bundle grants is enough for kro to do its work.
 * - kro-gen's expanded output applied twice with the real kubectl's `apply --prune --applyset`
 *   (KEP-3659), around a change of the instance or the RGD: kubectl prunes exactly what kro
 *   prunes for the same change (on the shared cluster, where kro runs).
 * - `kustomize build --enable-alpha-plugins --enable-exec` on examples/kustomize/overlay, whose base
 *   runs `kro-gen krm` as an exec KRM function, gives kro-gen's objects with the overlay's patches.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ensureBinaries } from '../cluster/build.js';
import { type ClusterState, launchLocalCluster, startCluster, stopLocalCluster } from '../cluster/cluster.js';
import { KubeClient, type KubeObject } from '../cluster/kube.js';
import { kroGenObjects, repoPath } from '../differential/kro-gen.js';
import { standInForInstance } from '../differential/stand-in.js';
import { reportSummaryLine } from '../differential/summary.js';
import {
  kroPrunes,
  kubectl,
  kubectlPrunes,
  type PruneScenario,
  tempFile,
  webAppVariant,
} from './applyset.js';
import {
  applyWhenServed,
  describeObject,
  runKroAs,
  saKubeconfigPath,
  serviceAccountKubeconfig,
  standInForRoleAggregation,
} from './kro-bundle.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Examples whose instances need nothing from outside the bundle (no externalRef objects). */
const BUNDLE_ARGS = [
  'synth',
  '--mode',
  'bundle',
  '--with-kro',
  // kro's own static install's mode: a minimal role, plus the role kro-gen derives from the RGDs.
  '--kro-rbac',
  'aggregation',
  'examples/web-app/rgd.yaml',
  'examples/worker-pool/rgd.yaml',
  '--instance',
  'examples/web-app/instances',
  '--instance',
  'examples/worker-pool/instances/pool.1.yaml',
];

let state: ClusterState;
let admin: KubeClient;
const results = {
  bundleObjects: 0,
  bundleAccepted: 0,
  pruneScenarios: 0,
  pruneEqual: 0,
  kustomize: 'not run',
};

beforeAll(async () => {
  state = await launchLocalCluster({ name: `deploy-${process.pid}`, kro: false });
  admin = KubeClient.fromKubeconfigFile(state.kubeconfig, { fieldManager: 'kro-gen-e2e-deploy' });
});

afterAll(async () => {
  if (state) await stopLocalCluster(state);
  reportSummaryLine(
    `deploy: bundle installs ${results.bundleAccepted}/${results.bundleObjects}, applyset prune equal ${results.pruneEqual}/${results.pruneScenarios}, kustomize ${results.kustomize}`,
  );
});

describe('synth --mode bundle --with-kro', () => {
  it('installs on an API server without kro, and kro running as its ServiceAccount reconciles it', async () => {
    onTestFailed(() => {
      console.log(`logs in ${state.logDir}`);
    });
    const bundle = await kroGenObjects(BUNDLE_ARGS);
    const kinds = bundle.map((o) => o.kind);
    // kro's install, then RGDs, then instances.
    expect(kinds.slice(0, 9)).toEqual([
      'Namespace',
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
    ]);
    const rgdKind = 'ResourceGraphDefinition';
    const firstInstance = kinds.findIndex((k, i) => i > 9 && k !== rgdKind);
    expect(kinds.slice(9, firstInstance).every((k) => k === rgdKind)).toBe(true);
    const instances = bundle.slice(firstInstance);
    expect(instances.length).toBe(3);

    // No kro yet: its RGD CRD is not there before the bundle brings it.
    expect(
      await admin.get({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: 'resourcegraphdefinitions.kro.run',
      }),
    ).toBeUndefined();

    // Everything up to the instances, in bundle order. A custom resource waits for its CRD to be
    // served, as kubectl users re-run apply and Argo CD retries.
    results.bundleObjects = bundle.length;
    const refused: string[] = [];
    for (const obj of bundle.slice(0, firstInstance)) {
      const problem = await applyWhenServed(admin, obj, 60_000);
      if (problem) refused.push(`${describeObject(obj)}: ${problem}`);
      else results.bundleAccepted++;
    }
    expect(refused).toEqual([]);
    // The roles are aggregated as kube-controller-manager would: kro's role is then exactly the
    // chart's static rules plus kro-gen's role for the RGDs.
    const bundleRoles = bundle.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name ?? '');
    expect(await standInForRoleAggregation(admin, bundleRoles)).toEqual([
      expect.stringMatching(/^kro:controller \(\d+ rules\)$/),
    ]);

    // kro, as the Deployment runs it, with the ServiceAccount's identity instead of admin's.
    const deployment = bundle[8] as KubeObject;
    const sa = bundle[3] as KubeObject;
    const kubeconfig = await serviceAccountKubeconfig(
      admin,
      { name: sa.metadata.name ?? '', namespace: sa.metadata.namespace ?? '' },
      saKubeconfigPath(state),
    );
    const asSa = KubeClient.fromKubeconfigFile(kubeconfig.path);
    const review = await asSa.request<{ status: { userInfo: { username: string } } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } },
    );
    expect(review.status.userInfo.username).toBe(kubeconfig.username);
    const args = await runKroAs(state, deployment, kubeconfig.path);
    expect(args).toContain('--leader-elect');

    // Instances: accepted once kro has created their CRDs.
    for (const obj of instances) {
      const problem = await applyWhenServed(admin, obj, 120_000);
      if (problem) refused.push(`${describeObject(obj)}: ${problem}`);
      else results.bundleAccepted++;
    }
    expect(refused).toEqual([]);

    // Every instance ACTIVE (the test writes Deployment status, as kube-controller-manager would).
    const deadline = Date.now() + 120_000;
    let pending: string[] = [];
    for (;;) {
      pending = [];
      for (const inst of instances) {
        const live = await admin.get({
          apiVersion: inst.apiVersion,
          kind: inst.kind,
          name: inst.metadata.name ?? '',
          namespace: inst.metadata.namespace ?? '',
        });
        const status = (live as { status?: { state?: string } } | undefined)?.status?.state;
        if (status !== 'ACTIVE') {
          pending.push(`${describeObject(inst)}: ${status ?? 'no state'}`);
          if (live) await standInForInstance(admin, live);
        }
      }
      if (pending.length === 0 || Date.now() > deadline) break;
      await sleep(1000);
    }
    expect(pending).toEqual([]);
  });
});

const instanceOf = (path: string) => {
  const doc = parse(readFileSync(repoPath(path), 'utf8')) as KubeObject;
  return { ...doc, metadata: { name: doc.metadata.name ?? '' } };
};

const SCENARIOS = (): PruneScenario[] => {
  const webApp = readFileSync(repoPath('examples/web-app/rgd.yaml'), 'utf8');
  const app = { ...instanceOf('examples/web-app/instances/web-app-1.yaml'), kind: 'PruneApp' };
  return [
    {
      name: 'worker-pool',
      change: 'includeWhen turned false, forEach list shrunk',
      steps: [
        {
          rgd: repoPath('examples/worker-pool/rgd.yaml'),
          instance: instanceOf('examples/worker-pool/instances/pool.1.yaml'),
        },
        {
          rgd: repoPath('examples/worker-pool/rgd.yaml'),
          instance: instanceOf('examples/worker-pool/instances/pool.2.yaml'),
        },
      ],
    },
    {
      name: 'web-app',
      change: 'a resource removed from the RGD',
      steps: [
        { rgd: webAppVariant(true, webApp), instance: app },
        { rgd: webAppVariant(false, webApp), instance: app },
      ],
    },
  ];
};

describe('kubectl apply --prune --applyset on expanded output', () => {
  it('prunes exactly what kro prunes for the same change', async () => {
    const shared = await startCluster();
    const kube = shared.client;
    const bin = (await ensureBinaries()).kubectl;
    const version = await kubectl(bin, shared.kubeconfigPath, ['version', '--client']);
    expect(version.stdout).toContain(`Client Version: ${(await ensureBinaries()).versions.kubernetes}`);
    const differences: string[] = [];
    for (const scenario of SCENARIOS()) {
      results.pruneScenarios++;
      const nsKubectl = `kro-e2e-applyset-kubectl-${scenario.name}`;
      const nsKro = `kro-e2e-applyset-kro-${scenario.name}`;
      for (const name of [nsKubectl, nsKro])
        await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      const byKubectl = await kubectlPrunes(kube, bin, shared.kubeconfigPath, scenario, nsKubectl);
      const byKro = await kroPrunes(kube, scenario, nsKro);
      console.log(
        `applyset ${scenario.name} (${scenario.change}): kubectl pruned [${byKubectl.pruned.join(', ')}], kro pruned [${byKro.pruned.join(', ')}]`,
      );
      const equal =
        byKubectl.pruned.length > 0 &&
        JSON.stringify(byKubectl.pruned) === JSON.stringify(byKro.pruned) &&
        JSON.stringify(byKubectl.after) === JSON.stringify(byKro.after);
      if (equal) results.pruneEqual++;
      else
        differences.push(
          `${scenario.name}: kubectl ${JSON.stringify(byKubectl)}, kro ${JSON.stringify(byKro)}`,
        );
    }
    expect(differences).toEqual([]);
  });

  it('kubectl labels the members itself: input that already carries part-of is refused', async () => {
    const shared = await startCluster();
    const bin = (await ensureBinaries()).kubectl;
    const file = tempFile(
      'labelled.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: labelled\n  labels:\n    applyset.kubernetes.io/part-of: applyset-x-v1\n',
    );
    await expect(
      kubectl(bin, shared.kubeconfigPath, [
        'apply',
        '--server-side',
        '--prune',
        '--applyset=labelled',
        '-n',
        'default',
        '-f',
        file,
      ]),
    ).rejects.toThrow(/ApplySet label "applyset.kubernetes.io\/part-of" already set in input data/);
  });
});

describe('kustomize with kro-gen as a KRM exec function', () => {
  it("gives kro-gen's objects with the overlay's patches", async () => {
    const cli = repoPath('dist/cli/main.js');
    expect(existsSync(cli), 'dist/ is built by npm ci (npm run build)').toBe(true);
    const bin = (await ensureBinaries()).kustomize;
    const { stdout } = await promisify(execFile)(
      bin,
      ['build', '--enable-alpha-plugins', '--enable-exec', repoPath('examples/kustomize/overlay')],
      { env: { ...process.env, KRO_GEN: `${process.execPath} ${cli}` } },
    );
    const built = parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject);
    const base = repoPath('examples/kustomize/base');
    const synth = await kroGenObjects([
      'synth',
      `${base}/rgd.yaml`,
      '--instance',
      `${base}/greeter.yaml`,
      '--namespace',
      'web',
    ]);
    // What the overlay does to kro-gen's objects: a label on every object, 3 replicas for the Deployment.
    const expected = synth.map((o) => {
      const labeled = { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, env: 'prod' } } };
      return o.kind === 'Deployment' ? { ...labeled, spec: { ...(o.spec as object), replicas: 3 } } : labeled;
    });
    expect(built).toEqual(expected);
    expect(built.map((o) => o.kind)).toEqual(['ConfigMap', 'Deployment']);
    results.kustomize = 'ok';
  });
});

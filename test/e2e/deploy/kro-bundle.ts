/**
 * Helpers of the deploy e2e test: install a `synth --with-kro` bundle on an API server without
 * kro, and run kro the way the bundle's Deployment would, authenticated as its ServiceAccount.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type ClusterState, startKroController } from '../cluster/cluster.js';
import { KubeApiError, type KubeClient, type KubeObject } from '../cluster/kube.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const describeObject = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name ?? ''}`;

/**
 * Server-side applies `obj`; while its kind is not served yet (an instance before kro made its
 * CRD, a custom resource before its CRD is established) it retries until `timeoutMs`.
 * Returns the error message of a refusal, or undefined once accepted.
 */
export async function applyWhenServed(
  kube: KubeClient,
  obj: KubeObject,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await kube.apply(obj);
      return undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const notServed =
        !(err instanceof KubeApiError) || err.status === 404 || /no resource|not served/i.test(message);
      if (!notServed || Date.now() > deadline) return message;
      await sleep(500);
    }
  }
}

/** The container of the bundle's kro Deployment. */
function kroContainer(deployment: KubeObject): { args: string[]; env: { name: string; value?: string }[] } {
  const spec = deployment.spec as { template: { spec: { containers: unknown[] } } };
  return spec.template.spec.containers[0] as { args: string[]; env: { name: string; value?: string }[] };
}

/**
 * The controller's flags as the Deployment gives them (`$(VAR)` expanded from its env, as the
 * kubelet does), with the listen addresses moved to the local cluster's loopback ports. Outside a
 * pod controller-runtime cannot read the leader election namespace from the mounted
 * ServiceAccount, so it is passed: the namespace the bundle runs kro in.
 */
export function controllerArgs(deployment: KubeObject, state: ClusterState): string[] {
  const container = kroContainer(deployment);
  const env = new Map(container.env.map((e) => [e.name, e.value ?? '']));
  const args = container.args.map((a) =>
    a.replace(/\$\(([A-Z0-9_]+)\)/g, (m, name: string) => env.get(name) ?? m),
  );
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--metrics-bind-address') {
      out.push(arg, `127.0.0.1:${state.ports.kroMetrics}`);
      i++;
    } else if (arg === '--health-probe-bind-address') {
      out.push(arg, `127.0.0.1:${state.ports.kroProbes}`);
      i++;
    } else if (arg === '--graceful-shutdown-timeout') {
      out.push(arg, '5s'); // the test stops it; 60 s would only slow the teardown
      i++;
    } else {
      out.push(arg);
    }
  }
  if (out.includes('--leader-elect')) {
    out.push('--leader-election-namespace', deployment.metadata.namespace ?? '');
  }
  return out;
}

/** A kubeconfig that authenticates with a token the TokenRequest API issued for a ServiceAccount. */
export async function serviceAccountKubeconfig(
  admin: KubeClient,
  sa: { name: string; namespace: string },
  path: string,
): Promise<{ path: string; username: string }> {
  const review = await admin.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${sa.namespace}/serviceaccounts/${sa.name}/token`,
    {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 3600 },
      },
    },
  );
  const cluster = admin.kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('admin kubeconfig has no cluster');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'local', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } },
      ],
      users: [{ name: sa.name, user: { token: review.status.token } }],
      contexts: [{ name: 'sa', context: { cluster: 'local', user: sa.name, namespace: sa.namespace } }],
      'current-context': 'sa',
    }),
    { mode: 0o600 },
  );
  return { path, username: `system:serviceaccount:${sa.namespace}:${sa.name}` };
}

/** Starts kro with the bundle's Deployment flags and the ServiceAccount's kubeconfig. */
export async function runKroAs(
  state: ClusterState,
  deployment: KubeObject,
  kubeconfig: string,
): Promise<string[]> {
  const args = controllerArgs(deployment, state);
  await startKroController(state, { kubeconfig, args });
  return args;
}

export const saKubeconfigPath = (state: ClusterState): string => join(state.runDir, 'kro-sa.kubeconfig');

interface ClusterRoleView extends KubeObject {
  rules?: unknown[];
  aggregationRule?: { clusterRoleSelectors?: { matchLabels?: Record<string, string> }[] };
}

/**
 * What kube-controller-manager's clusterrole-aggregation controller does, which this cluster lacks:
 * a ClusterRole with an aggregationRule gets the rules of every ClusterRole its selectors match.
 * Only the roles named are filled (the bundle's; the API server's own admin, edit and view are left
 * alone). Returns the roles it filled.
 */
export async function standInForRoleAggregation(
  admin: KubeClient,
  names: readonly string[],
): Promise<string[]> {
  const roles = await admin.list<ClusterRoleView>('rbac.authorization.k8s.io/v1', 'ClusterRole');
  const filled: string[] = [];
  for (const role of roles) {
    const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (selectors.length === 0 || !names.includes(role.metadata.name ?? '')) continue;
    const matches = (labels: Record<string, string> = {}) =>
      selectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v));
    const rules = roles
      .filter((r) => r.metadata.name !== role.metadata.name && matches(r.metadata.labels))
      .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)))
      .flatMap((r) => r.rules ?? []);
    await admin.request('PATCH', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role.metadata.name}`, {
      body: { rules },
      contentType: 'application/merge-patch+json',
    });
    filled.push(`${role.metadata.name} (${rules.length} rules)`);
  }
  return filled;
}

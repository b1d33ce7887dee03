/**
 * Vitest global setup for the e2e project: starts one cluster (or finds one,
 * see startCluster) for the whole run and points KUBECONFIG at it, so that the
 * test workers' own startCluster() calls reuse it instead of each starting
 * their own. The cluster is stopped in the teardown, or when the run exits.
 */
import { startCluster, stopCluster } from './cluster.js';

export async function setup(): Promise<() => Promise<void>> {
  const cluster = await startCluster();
  process.env.KUBECONFIG = cluster.kubeconfigPath;
  return async () => {
    await stopCluster();
  };
}

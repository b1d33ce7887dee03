/**
 * `npm run cluster:down`: stops the cluster started by `cluster:up`, and any
 * cluster whose test process died without stopping it, then removes their
 * state (etcd data, keys, kubeconfig). Logs under .cache/logs are kept.
 * With `--all`, also stops clusters of test runs that are still in progress.
 */
import { isRunning, listLocalClusters, stopLocalCluster, UP_NAME } from './cluster.js';

const all = process.argv.includes('--all');
let stopped = 0;
for (const state of listLocalClusters()) {
  const ownerAlive = state.ownerPid !== null && isOwnerAlive(state.ownerPid);
  if (state.name !== UP_NAME && ownerAlive && !all) {
    process.stdout.write(
      `leaving ${state.name} (owned by running process ${state.ownerPid}); use --all to stop it\n`,
    );
    continue;
  }
  process.stdout.write(`stopping ${state.name} (${isRunning(state) ? 'running' : 'not running'})\n`);
  await stopLocalCluster(state);
  stopped++;
}
process.stdout.write(stopped === 0 ? 'no local cluster to stop\n' : `stopped ${stopped} cluster(s)\n`);

function isOwnerAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

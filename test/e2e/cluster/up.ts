/**
 * `npm run cluster:up`: starts a long-lived local cluster (etcd, kube-apiserver,
 * kro) that outlives this command, for interactive use and for repeated e2e
 * runs (startCluster() reuses it). Stop it with `npm run cluster:down`.
 */
import { join } from 'node:path';
import { isRunning, launchLocalCluster, listLocalClusters, UP_NAME } from './cluster.js';

const running = listLocalClusters().find((s) => s.name === UP_NAME && isRunning(s));
const state = running ?? (await launchLocalCluster({ name: UP_NAME, persistent: true }));
process.stdout.write(
  [
    running ? 'cluster already running' : `cluster started in ${state.startupSeconds.toFixed(1)}s`,
    `  server:     ${state.server}`,
    `  kubernetes: ${state.versions.kubernetes}, etcd ${state.versions.etcd}, kro ${state.versions.kro}`,
    `  pids:       ${Object.entries(state.pids)
      .map(([c, p]) => `${c}=${p}`)
      .join(' ')}`,
    `  logs:       ${state.logDir}`,
    `  state:      ${join(state.runDir, 'state.json')}`,
    '',
    `export KUBECONFIG=${state.kubeconfig}`,
    '',
  ].join('\n'),
);

/**
 * A real, throw-away Kubernetes control plane for the e2e tests, on 127.0.0.1:
 * etcd (embedded, see cmd/e2e-etcd), kube-apiserver and the kro controller,
 * all built from pinned Go modules by build.ts. There is no
 * kube-controller-manager, scheduler or kubelet: Deployments never get Pods,
 * which is fine because the tests compare the objects kro creates.
 *
 * startCluster() reuses, in this order: a cluster this process already
 * started; the cluster `KUBECONFIG` points at, if kro's RGD CRD is installed
 * there; one left running by `npm run cluster:up`. Otherwise it starts a new
 * one, which is stopped by stopCluster() or, at the latest, when this process
 * exits (normally, on an uncaught exception, or on SIGINT/SIGTERM/SIGHUP).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { type Binaries, CACHE_DIR, ensureBinaries } from './build.js';
import { KubeApiError, KubeClient, loadManifests } from './kube.js';

export const RUN_ROOT = join(CACHE_DIR, 'run');
export const LOG_ROOT = join(CACHE_DIR, 'logs');
/** The name `npm run cluster:up` uses for its long-lived cluster. */
export const UP_NAME = 'up';
const RGD_CRD = 'resourcegraphdefinitions.kro.run';
const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

type Component = 'etcd' | 'kube-apiserver' | 'kro';
const STOP_ORDER: Component[] = ['kro', 'kube-apiserver', 'etcd'];

/** What a running local cluster records in `<runDir>/state.json`. */
export interface ClusterState {
  name: string;
  runDir: string;
  logDir: string;
  kubeconfig: string;
  server: string;
  /** The process that stops the cluster when it exits; null for `cluster:up`. */
  ownerPid: number | null;
  pids: Partial<Record<Component, number>>;
  binaries: Partial<Record<Component, string>>;
  ports: { apiserver: number; etcdClient: number; etcdPeer: number; kroMetrics: number; kroProbes: number };
  versions: Binaries['versions'];
  startedAt: string;
  startupSeconds: number;
  /** Started without kro (`kro: false`): kro is only expected once `startKroController` ran. */
  withoutKro?: boolean;
}

export interface Cluster {
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  client: KubeClient;
  server: string;
  /** True if this process started it (and stopCluster() will stop it). */
  managed: boolean;
  /** Set for local clusters (started here or by `cluster:up`). */
  state?: ClusterState;
  /** The last lines of each component's log, for failure reports (local clusters only). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Run-directory name under .cache/run (default `test-<pid>`). */
  name?: string;
  /** Leave the processes running when this process exits (`cluster:up`). */
  persistent?: boolean;
  /** Look for KUBECONFIG / a `cluster:up` cluster first (default true). */
  reuse?: boolean;
  /** Extra kro controller flags. */
  kroArgs?: string[];
  /** false: an API server alone, without kro's CRDs or controller (see `startKroController`). */
  kro?: boolean;
  /** Extra kube-apiserver flags. */
  apiserverArgs?: string[];
  log?: (line: string) => void;
  timeoutMs?: number;
}

const defaultLog = (line: string): void => {
  process.stderr.write(`[cluster] ${line}\n`);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // An exited child of ours stays a zombie until Node reaps it, which cannot
  // happen while a synchronous exit handler is waiting for it: count it as gone.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** True if `pid` is alive and still runs `binary` (guards against PID reuse). */
function runs(pid: number, binary: string | undefined): boolean {
  if (!isAlive(pid)) return false;
  if (!binary) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary;
  } catch {
    return false;
  }
}

/** Distinct free TCP ports on 127.0.0.1 (held open together so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function tail(path: string, lines: number): string {
  if (!existsSync(path)) return '(no log)';
  const all = readFileSync(path, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

function logTailOf(state: ClusterState, lines = 40): string {
  return (['etcd', 'kube-apiserver', 'kro'] as Component[])
    .map(
      (c) =>
        `----- ${c} (${join(state.logDir, `${c}.log`)}) -----\n${tail(join(state.logDir, `${c}.log`), lines)}`,
    )
    .join('\n');
}

function readState(runDir: string): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, 'state.json'), 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

function writeState(state: ClusterState): void {
  writeFileSync(join(state.runDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Emergency stop for exit handlers: SIGTERM to every component's process
 * group at once, then SIGKILL to whatever is left after `graceMs`.
 */
function killComponentsSync(state: ClusterState, graceMs: number): void {
  const pids = STOP_ORDER.map((c) => ({ pid: state.pids[c], binary: state.binaries[c] }))
    .filter(
      (p): p is { pid: number; binary: string | undefined } => p.pid !== undefined && runs(p.pid, p.binary),
    )
    .map((p) => p.pid);
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const pid of pids) {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    }
  };
  signalAll('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) sleepSync(50);
  if (pids.some(isAlive)) signalAll('SIGKILL');
}

async function killComponents(state: ClusterState, graceMs: number): Promise<void> {
  for (const component of STOP_ORDER) {
    const pid = state.pids[component];
    if (pid === undefined || !runs(pid, state.binaries[component])) continue;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      continue;
    }
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      while (isAlive(pid)) await sleep(50);
    }
  }
}

/** Stops a local cluster from its state and removes its run directory (logs are kept). */
export async function stopLocalCluster(state: ClusterState, graceMs = 10_000): Promise<void> {
  await killComponents(state, graceMs);
  rmSync(state.runDir, { recursive: true, force: true });
}

/** States of every local cluster on record, running or not. */
export function listLocalClusters(): ClusterState[] {
  if (!existsSync(RUN_ROOT)) return [];
  return readdirSync(RUN_ROOT)
    .map((name) => readState(join(RUN_ROOT, name)))
    .filter((s): s is ClusterState => s !== undefined);
}

/** Is every component of a recorded cluster still running? */
export function isRunning(state: ClusterState): boolean {
  const expected: Component[] =
    state.withoutKro && state.pids.kro === undefined
      ? ['etcd', 'kube-apiserver']
      : ['etcd', 'kube-apiserver', 'kro'];
  return expected.every((c) => {
    const pid = state.pids[c];
    return pid !== undefined && runs(pid, state.binaries[c]);
  });
}

/** Stops clusters whose owning test process died without cleaning up, and drops their state. */
export async function reapOrphans(log: (line: string) => void = defaultLog): Promise<void> {
  if (!existsSync(RUN_ROOT)) return;
  for (const name of readdirSync(RUN_ROOT)) {
    const runDir = join(RUN_ROOT, name);
    const state = readState(runDir);
    if (!state) {
      // A start that died before writing its state; leave very recent ones alone.
      if (Date.now() - statSync(runDir).mtimeMs > 10 * 60_000)
        rmSync(runDir, { recursive: true, force: true });
      continue;
    }
    const ownerGone = state.ownerPid !== null && !isAlive(state.ownerPid);
    if (ownerGone || !isRunning(state)) {
      log(`cleaning up stale cluster ${state.name}`);
      await stopLocalCluster(state, 5_000);
    }
  }
}

function pruneLogs(keep: number): void {
  if (!existsSync(LOG_ROOT)) return;
  const dirs = readdirSync(LOG_ROOT)
    .map((name) => ({ path: join(LOG_ROOT, name), mtime: statSync(join(LOG_ROOT, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const dir of dirs.slice(keep)) rmSync(dir.path, { recursive: true, force: true });
}

function waitHttpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpGet(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(2_000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Polls until `check` is true, failing early if one of `watched` exits. */
async function until(
  what: string,
  check: () => Promise<boolean>,
  watched: Map<Component, ChildProcess>,
  state: ClusterState,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const [component, child] of watched) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${component} exited (${child.exitCode ?? child.signalCode}) while waiting for ${what}\n${logTailOf(state)}`,
        );
      }
    }
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logTailOf(state)}`);
    await sleep(250);
  }
}

function kubeconfigYaml(server: string, caPem: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kro-e2e',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: 'kro-e2e-admin', user: { token } }],
    contexts: [
      { name: 'kro-e2e', context: { cluster: 'kro-e2e', user: 'kro-e2e-admin', namespace: 'default' } },
    ],
    'current-context': 'kro-e2e',
  });
}

/** Does the cluster behind this kubeconfig answer and have kro's RGD CRD? */
async function hasKro(client: KubeClient): Promise<boolean> {
  try {
    const crd = await Promise.race([
      client.get({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: RGD_CRD }),
      sleep(10_000).then(() => undefined),
    ]);
    return crd !== undefined;
  } catch {
    return false;
  }
}

function clusterFrom(
  kubeconfigPath: string,
  managed: boolean,
  state: ClusterState | undefined,
  stop: () => Promise<void>,
): Cluster {
  const client = KubeClient.fromKubeconfigFile(kubeconfigPath);
  const cluster: Cluster = {
    kubeconfigPath,
    kubeConfig: client.kubeConfig,
    client,
    server: client.server,
    managed,
    logTail: (lines) => (state ? logTailOf(state, lines) : '(cluster not started by kro-gen; no logs)'),
    stop,
  };
  if (state) cluster.state = state;
  return cluster;
}

/** Launches etcd, kube-apiserver and kro; returns once kro answers its readiness probe. */
export async function launchLocalCluster(options: StartOptions = {}): Promise<ClusterState> {
  const log = options.log ?? defaultLog;
  const timeoutMs = options.timeoutMs ?? 180_000;
  const started = Date.now();
  const bins = await ensureBinaries({ log });
  await reapOrphans(log);
  pruneLogs(10);

  const name = options.name ?? `test-${process.pid}`;
  const runDir = join(RUN_ROOT, name);
  const existing = readState(runDir);
  if (existing) await stopLocalCluster(existing, 5_000);
  rmSync(runDir, { recursive: true, force: true });
  const logDir = join(LOG_ROOT, name);
  rmSync(logDir, { recursive: true, force: true });
  for (const dir of [runDir, logDir, join(runDir, 'pki'), join(runDir, 'etcd')])
    mkdirSync(dir, { recursive: true });

  const [apiserver, etcdClient, etcdPeer, kroMetrics, kroProbes] = await freePorts(5);
  if (!apiserver || !etcdClient || !etcdPeer || !kroMetrics || !kroProbes)
    throw new Error('could not reserve ports');
  const server = `https://127.0.0.1:${apiserver}`;
  const kubeconfig = join(runDir, 'kubeconfig');
  const state: ClusterState = {
    name,
    runDir,
    logDir,
    kubeconfig,
    server,
    ownerPid: options.persistent ? null : process.pid,
    pids: {},
    binaries: {},
    ports: { apiserver, etcdClient, etcdPeer, kroMetrics, kroProbes },
    versions: bins.versions,
    startedAt: new Date().toISOString(),
    startupSeconds: 0,
    ...(options.kro === false ? { withoutKro: true } : {}),
  };
  writeState(state);

  const children = new Map<Component, ChildProcess>();
  const launch = (
    component: Component,
    binary: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ): void => {
    const out = openSync(join(logDir, `${component}.log`), 'a');
    // detached: each component leads its own process group, so that it can be
    // signalled as a group, and so that a terminal's Ctrl-C reaches only us and
    // we stop the components in order.
    const child = spawn(binary, args, { detached: true, stdio: ['ignore', out, out], env });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    children.set(component, child);
    state.pids[component] = child.pid;
    state.binaries[component] = binary;
    writeState(state);
    if (options.persistent) child.unref();
    else registerExitHandlers();
    if (!options.persistent) owned.add(state);
  };

  try {
    // etcd
    launch('etcd', bins.etcd, [
      `--data-dir=${join(runDir, 'etcd')}`,
      `--client-url=http://127.0.0.1:${etcdClient}`,
      `--peer-url=http://127.0.0.1:${etcdPeer}`,
    ]);
    await until(
      'etcd /health',
      () => waitHttpOk(`http://127.0.0.1:${etcdClient}/health`),
      children,
      state,
      timeoutMs,
    );
    log(`etcd ready on 127.0.0.1:${etcdClient} (${((Date.now() - started) / 1000).toFixed(1)}s)`);

    // kube-apiserver. It generates its own self-signed CA and serving cert
    // (for 127.0.0.1 and localhost) into --cert-dir at start.
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(runDir, 'tokens.csv');
    writeFileSync(tokenFile, `${token},kro-e2e-admin,kro-e2e-admin,"system:masters"\n`, { mode: 0o600 });
    const saKey = join(runDir, 'service-account.key');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const certDir = join(runDir, 'pki');
    launch('kube-apiserver', bins.kubeApiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiserver}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokenFile}`,
      // Real authorization: RBAC, with the admin token in system:masters.
      '--authorization-mode=RBAC',
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${saKey}`,
      `--service-account-signing-key-file=${saKey}`,
      // Addresses are only allocated to Services, never routed.
      '--service-cluster-ip-range=10.0.0.0/24',
      // No kube-controller-manager: nothing creates a namespace's "default"
      // ServiceAccount, which the ServiceAccount admission plugin demands of Pods.
      '--disable-admission-plugins=ServiceAccount',
      // The "kubernetes" Service's endpoints would point at a loopback address,
      // which endpoint validation rejects; nothing here needs them.
      '--endpoint-reconciler-type=none',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=1',
      ...(options.apiserverArgs ?? []),
    ]);
    const caFile = join(certDir, 'apiserver.crt');
    const readyz = async (): Promise<boolean> => {
      if (!existsSync(caFile)) return false;
      if (!existsSync(kubeconfig))
        writeFileSync(kubeconfig, kubeconfigYaml(server, readFileSync(caFile, 'utf8'), token));
      try {
        const client = KubeClient.fromKubeconfigFile(kubeconfig);
        return (await client.request<string>('GET', '/readyz', { timeoutMs: 5_000 })) === 'ok';
      } catch {
        return false;
      }
    };
    await until('kube-apiserver /readyz', readyz, children, state, timeoutMs);
    log(`kube-apiserver ready at ${server} (${((Date.now() - started) / 1000).toFixed(1)}s)`);

    if (options.kro === false) {
      state.startupSeconds = (Date.now() - started) / 1000;
      writeState(state);
      log(`API server without kro up in ${state.startupSeconds.toFixed(1)}s (logs: ${logDir})`);
      return state;
    }
    // kro's CRDs, then the controller.
    const client = KubeClient.fromKubeconfigFile(kubeconfig, { fieldManager: 'kro-gen-e2e-setup' });
    for (const file of bins.kroCrds) {
      for (const crd of loadManifests(file)) {
        await client.apply(crd);
        await client.waitForCrdEstablished(crd.metadata.name ?? '', { timeoutMs: 60_000 });
      }
    }
    launch(
      'kro',
      bins.kroController,
      [
        `--metrics-bind-address=127.0.0.1:${kroMetrics}`,
        `--health-probe-bind-address=127.0.0.1:${kroProbes}`,
        '--leader-elect=false',
        '--graceful-shutdown-timeout=5s',
        ...(options.kroArgs ?? []),
      ],
      { ...process.env, KUBECONFIG: kubeconfig },
    );
    await until(
      'kro /readyz',
      () => waitHttpOk(`http://127.0.0.1:${kroProbes}/readyz`),
      children,
      state,
      timeoutMs,
    );
    state.startupSeconds = (Date.now() - started) / 1000;
    writeState(state);
    log(
      `kro ${bins.versions.kro} ready; cluster up in ${state.startupSeconds.toFixed(1)}s (logs: ${logDir})`,
    );
    return state;
  } catch (err) {
    await killComponents(state, 5_000);
    owned.delete(state);
    rmSync(runDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Starts the kro controller on a cluster launched with `kro: false`, with the caller's kubeconfig
 * (another identity than admin) and flags; the health probes must listen on
 * `127.0.0.1:<state.ports.kroProbes>`. Stopped with the cluster. Returns once kro is ready.
 */
export async function startKroController(
  state: ClusterState,
  options: { kubeconfig: string; args: string[]; timeoutMs?: number },
): Promise<void> {
  const binary = (await ensureBinaries({ log: defaultLog })).kroController;
  const out = openSync(join(state.logDir, 'kro.log'), 'a');
  const child = spawn(binary, options.args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, KUBECONFIG: options.kubeconfig },
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${binary}`);
  state.pids.kro = child.pid;
  state.binaries.kro = binary;
  writeState(state);
  await until(
    'kro /readyz',
    () => waitHttpOk(`http://127.0.0.1:${state.ports.kroProbes}/readyz`),
    new Map([['kro', child]]),
    state,
    options.timeoutMs ?? 120_000,
  );
}

// ---------------------------------------------------------------------------
// Process-exit safety net for clusters this process owns.

const owned = new Set<ClusterState>();
let handlersRegistered = false;

function registerExitHandlers(): void {
  if (handlersRegistered) return;
  handlersRegistered = true;
  const killOwned = (): void => {
    for (const state of owned) {
      killComponentsSync(state, 3_000);
      rmSync(state.runDir, { recursive: true, force: true });
    }
    owned.clear();
  };
  // Prepended: a listener that calls process.exit() from inside 'exit' (vitest
  // does) ends the process on the spot, and later listeners never run.
  process.prependListener('exit', killOwned);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.prependOnceListener(signal, () => {
      killOwned();
      // Nobody else handles it: die of the signal as we would have without us.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

// ---------------------------------------------------------------------------
// The API the e2e tests use.

let current: Promise<Cluster> | undefined;

/** Starts (or finds) a cluster with kro running; see the module comment for the reuse order. */
export function startCluster(options: StartOptions = {}): Promise<Cluster> {
  current ??= (async () => {
    const log = options.log ?? defaultLog;
    if (options.reuse ?? true) {
      const fromEnv = process.env.KUBECONFIG;
      if (fromEnv) {
        const paths = fromEnv.split(':').filter((p) => p !== '');
        const kc = new KubeConfig();
        try {
          kc.loadFromFile(paths[0] ?? fromEnv);
          if (paths[0] && (await hasKro(new KubeClient(kc)))) {
            log(`using the cluster in KUBECONFIG (${kc.getCurrentCluster()?.server ?? '?'})`);
            const local = listLocalClusters().find((s) => s.kubeconfig === paths[0]);
            return clusterFrom(paths[0], false, local, async () => {});
          }
          log(
            'KUBECONFIG is set but kro is not installed there (or it is unreachable); starting a local cluster',
          );
        } catch (err) {
          if (!(err instanceof KubeApiError)) {
            log(
              `KUBECONFIG could not be used (${err instanceof Error ? err.message : String(err)}); starting a local cluster`,
            );
          }
        }
      }
      const up = readState(join(RUN_ROOT, UP_NAME));
      if (up && isRunning(up)) {
        log(`using the cluster started by \`npm run cluster:up\` (${up.server})`);
        return clusterFrom(up.kubeconfig, false, up, async () => {});
      }
    }
    const state = await launchLocalCluster(options);
    return clusterFrom(state.kubeconfig, true, state, async () => {
      await stopLocalCluster(state);
      owned.delete(state);
    });
  })();
  const attempt = current;
  attempt.catch(() => {
    if (current === attempt) current = undefined;
  });
  return attempt;
}

/** Stops the cluster startCluster() started in this process (a reused one is left alone). */
export async function stopCluster(): Promise<void> {
  const pending = current;
  current = undefined;
  if (!pending) return;
  const cluster = await pending.catch(() => undefined);
  if (cluster?.managed) await cluster.stop();
}

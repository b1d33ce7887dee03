// `kro-gen synth` of 1,000 instances of a generated 10-resource RGD (10,000 manifests), two ways,
// each in fresh node processes running the built dist/ (rebuilt first when older than src/):
//
//   in-process     synthesize() + the YAML writer over the 1,000 instance objects, as a cdk8s app
//                  (the runtime renders each construct in its own process) or a library caller
//                  pays for it: the first pass in a fresh process (cold JIT, the headline, since an
//                  app synthesizes once) and the median of the following warm passes. Module
//                  loading and YAML parsing of the instance files are outside the timing.
//   whole process  `kro-gen synth rgd.yaml --instance <dir> --out <dir>` (the bin users run): start-up,
//                  module loading, reading and parsing the 1,000 files, graph building,
//                  rendering, YAML and the atomic write.
//   externalRef    instances reading each other through an externalRef (each is an external for
//                  the others): CPU per instance at 500 and 4,000 instances must stay flat.
//
// Rates are taken on CPU time of all the process's threads (the machine is shared: wall time mostly
// measures the neighbours), wall time is printed beside. CPU time is the stricter of the two: V8
// compiles hot code on background threads, so on a quiet machine with two or more cores the first
// pass's wall time is well below its CPU time.
// 250 instances too, in the same run: the per-manifest rate must not drop with more instances.
// Peak RSS of the whole process. Target: >= 20,000 manifests/s.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuMicroseconds, median, useNodeDefaults } from './measure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INSTANCES = 1000;
const SMALL = 250;
const RUNS = 5;
/** Passes per in-process run: the first (cold) and warm ones. */
const PASSES = 6;
const TARGET = 20_000;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): string {
  // The binary users run (package.json `bin`: the bundle tools/build-cli.mjs makes); the in-process
  // run imports tsc's modules from the same build.
  const bin = join(root, 'dist', 'bin', 'kro-gen.js');
  const newestSrc = newestMtime(join(root, 'src'));
  if (
    !existsSync(bin) ||
    statSync(bin).mtimeMs < newestSrc ||
    statSync(join(root, 'dist', 'index.js')).mtimeMs < newestSrc
  ) {
    spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
    if (!existsSync(bin)) throw new Error('dist/bin/kro-gen.js was not built');
  }
  return bin;
}

/** Ten resources: a chain of ConfigMaps and a Secret feeding a Deployment, Service, and more. */
export function benchRgd(): string {
  return `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: bench-app
spec:
  schema:
    apiVersion: v1alpha1
    kind: BenchApp
    spec:
      name: string | required=true
      image: string | default="nginx:1.27"
      replicas: integer | default=2
      port: integer | default=8080
      tier: string | default="web"
      env:
        LOG_LEVEL: string | default="info"
        REGION: string | default="eu-west-1"
  resources:
    - id: config
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-config
        data:
          LOG_LEVEL: \${schema.spec.env.LOG_LEVEL}
          REGION: \${schema.spec.env.REGION}
    - id: secret
      template:
        apiVersion: v1
        kind: Secret
        metadata:
          name: \${schema.spec.name}-secret
        stringData:
          token: \${random.seededString(32, schema.metadata.name)}
    - id: account
      template:
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: \${schema.spec.name}
    - id: role
      template:
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: \${schema.spec.name}-reader
        rules:
          - apiGroups: [""]
            resources: ["configmaps"]
            resourceNames: ["\${config.metadata.name}"]
            verbs: ["get"]
    - id: binding
      template:
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: \${schema.spec.name}-reader
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: \${role.metadata.name}
        subjects:
          - kind: ServiceAccount
            name: \${account.metadata.name}
    - id: deployment
      template:
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \${schema.spec.name}
          labels:
            tier: \${schema.spec.tier}
        spec:
          replicas: \${schema.spec.replicas}
          selector:
            matchLabels:
              app: \${schema.spec.name}
          template:
            metadata:
              labels:
                app: \${schema.spec.name}
                tier: \${schema.spec.tier}
            spec:
              serviceAccountName: \${account.metadata.name}
              containers:
                - name: app
                  image: \${schema.spec.image}
                  ports:
                    - containerPort: \${schema.spec.port}
                  envFrom:
                    - configMapRef:
                        name: \${config.metadata.name}
                    - secretRef:
                        name: \${secret.metadata.name}
    - id: service
      template:
        apiVersion: v1
        kind: Service
        metadata:
          name: \${schema.spec.name}
        spec:
          selector: \${deployment.spec.selector.matchLabels}
          ports:
            - port: 80
              targetPort: \${schema.spec.port}
    - id: pdb
      template:
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: \${schema.spec.name}
        spec:
          minAvailable: 1
          selector:
            matchLabels: \${deployment.spec.selector.matchLabels}
    - id: hpa
      template:
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: \${schema.spec.name}
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: \${deployment.metadata.name}
          minReplicas: \${deployment.spec.replicas}
          maxReplicas: \${deployment.spec.replicas * 4}
    - id: ingress
      template:
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: \${schema.spec.name}
        spec:
          rules:
            - host: \${schema.spec.name}.example.com
              http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: \${service.metadata.name}
                        port:
                          number: 80
`;
}

export function benchInstance(i: number): string {
  return `apiVersion: kro.run/v1alpha1
kind: BenchApp
metadata:
  name: app-${i}
  namespace: team-${i % 10}
spec:
  name: app-${i}
  replicas: ${1 + (i % 5)}
`;
}

export interface SynthRun {
  readonly manifests: number;
  /** CPU and wall seconds of what is timed. */
  readonly cpu: number;
  readonly wall: number;
  readonly rssMiB: number;
}

function writeInstances(dir: string, instances: number): string {
  const inst = join(dir, `instances-${instances}`);
  if (!existsSync(inst)) {
    mkdirSync(inst);
    for (let i = 0; i < instances; i++) {
      writeFileSync(join(inst, `app-${String(i).padStart(4, '0')}.yaml`), benchInstance(i));
    }
  }
  return inst;
}

/**
 * One whole `kro-gen synth` process (`main`: a tree's dist/bin/kro-gen.js) over `instances` instance
 * files in `dir` (set up by `setUp`); `env` for the process (its code cache), else this one's.
 */
export function processOnce(
  main: string,
  dir: string,
  instances: number,
  env: NodeJS.ProcessEnv = process.env,
): SynthRun {
  const inst = writeInstances(dir, instances);
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['-r', join(dir, 'probe.cjs'), main, 'synth', 'rgd.yaml', '--instance', inst, '--out', out],
    { cwd: dir, encoding: 'utf8', env },
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`synth exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  const text = readFileSync(join(out, 'manifests.yaml'), 'utf8');
  return {
    manifests: text.split('\n---\n').length,
    wall,
    cpu: cpuMicroseconds(result.stderr) / 1e6,
    rssMiB: Number(/RSS_KB (\d+)/.exec(result.stderr)?.[1] ?? '0') / 1024,
  };
}

// The in-process run: a fresh process loads dist/, parses the instance files (untimed), then
// synthesizes and writes YAML PASSES times, printing each pass's CPU and wall time.
const IN_PROCESS = `
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
const [dist, dir, count] = process.argv.slice(2);
const load = async (m) => import(new URL(m, dist).href);
const { loadRgds } = await load('rgd/load.js');
const { parseYamlFile, DEFAULT_YAML_LIMITS } = await load('rgd/yaml.js');
const { buildGraph } = await load('graph/build.js');
const { synthesize } = await load('synth/synthesize.js');
const { toYamlDocuments } = await load('synth/yaml.js');
const [rgd] = loadRgds([{ path: 'rgd.yaml', text: readFileSync(join(dir, 'rgd.yaml'), 'utf8') }]).rgds;
const graph = buildGraph(rgd, {}).graph;
const files = readdirSync(join(dir, 'instances-' + count)).sort();
const instances = files.map((f) => {
  const text = readFileSync(join(dir, 'instances-' + count, f), 'utf8');
  const [doc] = parseYamlFile({ path: f, text }, DEFAULT_YAML_LIMITS).documents;
  return { rgd, graph, object: doc.value, loc: doc.loc };
});
for (let pass = 0; pass < ${PASSES}; pass++) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const r = synthesize(instances, { schemas: { rgds: [rgd] }, graphs: new Map([[rgd, graph]]), rgds: [rgd] });
  if (r.manifests.length === 0) throw new Error(JSON.stringify(r.diagnostics[0]));
  const yaml = toYamlDocuments(r.manifests.map((m) => m.object));
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  process.stdout.write('PASS ' + r.manifests.length + ' ' + (used.user + used.system) / 1e6 + ' ' + wall + ' ' + yaml.length + '\\n');
}
`;

/**
 * Instances that read each other through an externalRef (each the one before it, by name): every
 * instance is an external for the others, so matching references against them must stay linear.
 */
export function peerRgd(): string {
  return `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: bench-peer
spec:
  schema:
    apiVersion: v1alpha1
    kind: BenchPeer
    spec:
      after: string | required=true
  resources:
    - id: previous
      externalRef:
        apiVersion: kro.run/v1alpha1
        kind: BenchPeer
        metadata:
          name: \${schema.spec.after}
    - id: config
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.metadata.name}
        data:
          after: \${previous.metadata.name}
`;
}

const PEERS = [500, 4000];

// One fresh process: synthesize PEER instances of peerRgd() (the first reads itself), one pass.
const PEER_PROCESS = `
const [dist, dir, count] = process.argv.slice(2);
const load = async (m) => import(new URL(m, dist).href);
const { readFileSync } = await import('node:fs');
const { loadRgds } = await load('rgd/load.js');
const { buildGraph } = await load('graph/build.js');
const { synthesize } = await load('synth/synthesize.js');
const [rgd] = loadRgds([{ path: 'peer.yaml', text: readFileSync(dir + '/peer.yaml', 'utf8') }]).rgds;
const graph = buildGraph(rgd, {}).graph;
const n = Number(count);
const instances = [];
for (let i = 0; i < n; i++)
  instances.push({ rgd, graph, object: { apiVersion: 'kro.run/v1alpha1', kind: 'BenchPeer',
    metadata: { name: 'peer-' + i, namespace: 'team' }, spec: { after: 'peer-' + Math.max(0, i - 1) } } });
const cpu = process.cpuUsage();
const r = synthesize(instances, { graphs: new Map([[rgd, graph]]) });
const used = process.cpuUsage(cpu);
if (r.manifests.length !== n) throw new Error(JSON.stringify(r.diagnostics[0]));
process.stdout.write('PEER ' + (used.user + used.system) / 1e6 + '\\n');
`;

function peerOnce(dir: string, instances: number): number {
  const dist = pathToFileURL(join(root, 'dist', '/')).href;
  const result = spawnSync(process.execPath, [join(dir, 'peer.mjs'), dist, dir, String(instances)], {
    cwd: dir,
    encoding: 'utf8',
  });
  const cpu = Number(/PEER ([0-9.e-]+)/.exec(result.stdout)?.[1]);
  if (result.status !== 0 || !Number.isFinite(cpu))
    throw new Error(`peer synth exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return cpu;
}

/**
 * One fresh process: the cold first pass and the median of the warm ones, of the tree at `tree`
 * (its built dist/) over the files in `dir` (set up by `setUp`).
 */
export function inProcessOnce(
  dir: string,
  instances: number,
  tree: string = root,
): { cold: SynthRun; warm: SynthRun } {
  writeInstances(dir, instances);
  const dist = pathToFileURL(join(tree, 'dist', '/')).href;
  const result = spawnSync(
    process.execPath,
    ['-r', join(dir, 'probe.cjs'), join(dir, 'in-process.mjs'), dist, dir, String(instances)],
    { cwd: dir, encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`in-process synth exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  const passes = [...result.stdout.matchAll(/PASS (\d+) ([0-9.e-]+) ([0-9.e-]+)/g)].map((m) => ({
    manifests: Number(m[1]),
    cpu: Number(m[2]),
    wall: Number(m[3]),
  }));
  const rssMiB = Number(/RSS_KB (\d+)/.exec(result.stderr)?.[1] ?? '0') / 1024;
  const [first, ...rest] = passes;
  if (!first || rest.length === 0) throw new Error('in-process synth printed no passes');
  return {
    cold: { ...first, rssMiB },
    warm: {
      manifests: first.manifests,
      cpu: median(rest.map((p) => p.cpu)),
      wall: median(rest.map((p) => p.wall)),
      rssMiB,
    },
  };
}

/** Medians (by CPU time) over RUNS runs. */
function medianOf(runs: readonly SynthRun[]): SynthRun {
  return [...runs].sort((a, b) => a.cpu - b.cpu)[Math.floor(runs.length / 2)] as SynthRun;
}

const rate = (r: SynthRun) => Math.round(r.manifests / r.cpu);
const secs = (r: SynthRun) => `${r.cpu.toFixed(2)} s CPU, ${r.wall.toFixed(2)} s wall`;

/** A fresh directory with the RGDs and the scripts the runs use (instance files come on demand). */
export function setUp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bench-synth-'));
  writeFileSync(join(dir, 'rgd.yaml'), benchRgd());
  writeFileSync(join(dir, 'in-process.mjs'), IN_PROCESS);
  writeFileSync(join(dir, 'peer.yaml'), peerRgd());
  writeFileSync(join(dir, 'peer.mjs'), PEER_PROCESS);
  // CPU time (all threads) and peak RSS of the process itself, reported as it exits.
  writeFileSync(
    join(dir, 'probe.cjs'),
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('CPU_US ' + (u.userCPUTime + u.systemCPUTime) + '\\nRSS_KB ' + u.maxRSS + '\\n'); });\n",
  );
  return dir;
}

export async function run(): Promise<string[]> {
  const main = ensureBuilt();
  const note = useNodeDefaults();
  const dir = setUp();
  try {
    // Alternating sizes and ways, so that each figure meets the same neighbours.
    const runs = {
      in: new Map<number, { cold: SynthRun; warm: SynthRun }[]>(),
      proc: new Map<number, SynthRun[]>(),
    };
    for (let i = 0; i < RUNS; i++) {
      for (const n of [INSTANCES, SMALL]) {
        runs.in.set(n, [...(runs.in.get(n) ?? []), inProcessOnce(dir, n)]);
        runs.proc.set(n, [...(runs.proc.get(n) ?? []), processOnce(main, dir, n)]);
      }
    }
    // CPU per instance of the first pass, fresh processes, the two sizes alternating.
    const peers = new Map<number, number[]>();
    for (let i = 0; i < 3; i++)
      for (const n of PEERS) peers.set(n, [...(peers.get(n) ?? []), peerOnce(dir, n) / n]);
    const perPeer = (n: number) => median(peers.get(n) ?? []);
    const [fewPeers, manyPeers] = PEERS as [number, number];
    const peerRatio = perPeer(manyPeers) / perPeer(fewPeers);
    const cold = (n: number) => medianOf((runs.in.get(n) ?? []).map((r) => r.cold));
    const warm = (n: number) => medianOf((runs.in.get(n) ?? []).map((r) => r.warm));
    const proc = (n: number) => medianOf(runs.proc.get(n) ?? []);
    const big = cold(INSTANCES);
    const met = rate(big) >= TARGET ? 'met' : 'NOT MET';
    const procMet = rate(proc(INSTANCES)) >= TARGET ? 'met' : 'not met';
    return [
      `bench synth: ${big.manifests} manifests (${INSTANCES} instances x 10 resources) in process, first pass: ${secs(big)}, ${rate(big)} manifests/s (target ${TARGET}, ${met}); warm passes ${rate(warm(INSTANCES))} manifests/s; ${SMALL} instances: first pass ${rate(cold(SMALL))} manifests/s, warm ${rate(warm(SMALL))} manifests/s (synthesize + YAML over parsed instances, CPU time, medians of ${RUNS} processes)`,
      `bench synth (externalRef between instances): ${manyPeers} instances each reading the one before: ${(perPeer(manyPeers) * 1e6).toFixed(0)} µs per instance; ${fewPeers}: ${(perPeer(fewPeers) * 1e6).toFixed(0)} µs (${peerRatio.toFixed(2)}x per instance at ${manyPeers / fewPeers}x the instances: ${peerRatio < 1.3 ? 'linear' : 'NOT LINEAR'}; first pass, CPU time, medians of 3 processes)`,
      `bench synth (whole process): kro-gen synth of ${INSTANCES} instance files: ${secs(proc(INSTANCES))}, ${rate(proc(INSTANCES))} manifests/s (${procMet}), peak RSS ${Math.round(proc(INSTANCES).rssMiB)} MiB; ${SMALL} files: ${secs(proc(SMALL))}, ${rate(proc(SMALL))} manifests/s, peak RSS ${Math.round(proc(SMALL).rssMiB)} MiB (start-up, loading, YAML parsing, graph, rendering, writing; CPU time, medians of ${RUNS}${note})`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

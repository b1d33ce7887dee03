// `kro-gen synth` end to end: 1,000 instances of a generated 10-resource RGD through the built
// CLI (`node dist/cli/main.js`, a whole process: start-up, loading, graph building, rendering,
// YAML and the atomic write all count). Builds dist/ first when it is missing or older than src/.
// Medians of three runs; 250 instances too, to show the time is linear in the instances (the
// per-manifest rate should not drop with more instances). Target: >= 20,000 manifests/s.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const INSTANCES = 1000;
const SMALL = 250;
const RUNS = 3;
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
  const main = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(main) || statSync(main).mtimeMs < newestMtime(join(root, 'src'))) {
    // tsc still emits when another part of the tree has type errors; only a missing file is fatal.
    spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: root,
        stdio: 'ignore',
      },
    );
    if (!existsSync(main)) throw new Error('dist/cli/main.js was not built');
  }
  return main;
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

interface SynthRun {
  readonly manifests: number;
  readonly seconds: number;
  readonly rssMiB: number;
}

/** One synth of `instances` instances in `dir` (which holds rgd.yaml and the rss probe). */
function synthOnce(main: string, dir: string, instances: number): SynthRun {
  const inst = join(dir, `instances-${instances}`);
  if (!existsSync(inst)) {
    mkdirSync(inst);
    for (let i = 0; i < instances; i++) {
      writeFileSync(join(inst, `app-${String(i).padStart(4, '0')}.yaml`), benchInstance(i));
    }
  }
  const out = join(dir, 'out');
  rmSync(out, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['-r', join(dir, 'rss.cjs'), main, 'synth', 'rgd.yaml', '--instance', inst, '--out', out],
    { cwd: dir, encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`synth exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  const text = execFileSync('cat', [join(out, 'manifests.yaml')], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const manifests = text.split('\n---\n').length;
  const rssMiB = Number(/RSS_KB (\d+)/.exec(result.stderr)?.[1] ?? '0') / 1024;
  return { manifests, seconds, rssMiB };
}

function medianRun(main: string, dir: string, instances: number): SynthRun {
  const runs = Array.from({ length: RUNS }, () => synthOnce(main, dir, instances));
  return runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)] as SynthRun;
}

export async function run(): Promise<string[]> {
  const main = ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'kro-gen-bench-synth-'));
  try {
    writeFileSync(join(dir, 'rgd.yaml'), benchRgd());
    // Peak RSS of the CLI process itself, reported as it exits.
    writeFileSync(
      join(dir, 'rss.cjs'),
      "process.on('exit', () => process.stderr.write('RSS_KB ' + process.resourceUsage().maxRSS + '\\n'));\n",
    );
    const big = medianRun(main, dir, INSTANCES);
    const small = medianRun(main, dir, SMALL);
    const rate = (r: SynthRun) => Math.round(r.manifests / r.seconds);
    const met = rate(big) >= TARGET ? 'met' : 'NOT MET';
    return [
      `bench synth: ${big.manifests} manifests (${INSTANCES} instances x 10 resources) in ${big.seconds.toFixed(2)} s, ${rate(big)} manifests/s (target ${TARGET}, ${met}), peak RSS ${Math.round(big.rssMiB)} MiB; ${SMALL} instances: ${small.manifests} manifests in ${small.seconds.toFixed(2)} s, ${rate(small)} manifests/s, peak RSS ${Math.round(small.rssMiB)} MiB (whole process, medians of ${RUNS})`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds the binaries of the local e2e cluster from Go modules, into
 * test/e2e/cluster/.cache/bin, and copies kro's CRDs next to them.
 *
 * Each target is rebuilt only when its stamp changes. The stamp is a hash of
 * the module's go.mod and go.sum, its own Go sources, the Go toolchain version
 * and the exact build command, so bumping a pinned version (or Go) rebuilds and
 * anything else is a no-op that costs a few file reads.
 *
 * Run directly (`tsx test/e2e/cluster/build.ts`) to build ahead of time.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** test/e2e/cluster */
export const CLUSTER_DIR = dirname(fileURLToPath(import.meta.url));
/** Git-ignored cache for binaries, CRDs and cluster state. */
export const CACHE_DIR = join(CLUSTER_DIR, '.cache');
export const BIN_DIR = join(CACHE_DIR, 'bin');
export const KRO_CRDS_DIR = join(CACHE_DIR, 'kro-crds');

const KRO_MODULE_DIR = join(CLUSTER_DIR, 'kro');
const KUBECTL_MODULE_DIR = join(CLUSTER_DIR, 'kubectl');
const KUSTOMIZE_MODULE_DIR = join(CLUSTER_DIR, 'kustomize');
const KUSTOMIZE_MODULE = 'sigs.k8s.io/kustomize/kustomize/v5';
const KRO_MODULE = 'github.com/kubernetes-sigs/kro';

export interface Binaries {
  etcd: string;
  kubeApiserver: string;
  kroController: string;
  /** kubectl of the API server's release (the deploy test: ApplySet pruning). */
  kubectl: string;
  /** kustomize (the deploy test: kro-gen as a KRM exec function). */
  kustomize: string;
  /** The CRD manifests shipped in kro's Go module (helm/crds). */
  kroCrds: string[];
  /** Versions read from the pinned go.mod files. */
  versions: { kubernetes: string; etcd: string; kro: string; kustomize: string };
}

export interface Target {
  name: string;
  moduleDir: string;
  pkg: string;
  ldflags: string;
  /** Directory (relative to the module) of the target's own Go sources, if any. */
  sourceDir?: string;
  /** Extra work that belongs to the same stamp (e.g. copying CRDs). */
  after?: () => Promise<void>;
}

export interface BuildReport {
  target: string;
  rebuilt: boolean;
  seconds: number;
}

/** The version a go.mod requires for `module`, or throws. */
export function requiredVersion(goModPath: string, module: string): string {
  const text = readFileSync(goModPath, 'utf8');
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(text);
  if (!match?.[1]) throw new Error(`${goModPath} does not require ${module}`);
  return match[1];
}

/** Go source files under a directory, skipping hidden dirs and nested modules. */
function goSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
        if (existsSync(join(path, 'go.mod'))) continue;
        walk(path);
      } else if (entry.name.endsWith('.go')) {
        out.push(path);
      }
    }
  };
  walk(root);
  return out.sort();
}

function stampOf(target: Target, goVersion: string): string {
  const hash = createHash('sha256');
  hash.update(`go=${goVersion}\npkg=${target.pkg}\nldflags=${target.ldflags}\n`);
  const own = target.sourceDir ? goSources(join(target.moduleDir, target.sourceDir)) : [];
  for (const file of ['go.mod', 'go.sum', ...own.map((f) => relative(target.moduleDir, f))]) {
    const path = join(target.moduleDir, file);
    hash.update(`${file}\n`);
    hash.update(existsSync(path) ? readFileSync(path) : '<missing>');
  }
  return hash.digest('hex');
}

function runGo(args: string[], cwd: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // -buildvcs=false: the module is inside the kro-gen checkout; VCS stamping would
    // make the binary depend on unrelated working-tree state.
    const env = { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() };
    const child = spawn('go', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        if (output.trim()) log(output.trim());
        resolve();
      } else {
        reject(new Error(`go ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${output}`));
      }
    });
  });
}

export async function goEnv(name: string, cwd: string): Promise<string> {
  const { stdout } = await execFileAsync('go', ['env', name], { cwd });
  return stdout.trim();
}

function targets(): { list: Target[]; versions: Binaries['versions'] } {
  const clusterGoMod = join(CLUSTER_DIR, 'go.mod');
  const kubernetes = requiredVersion(clusterGoMod, 'k8s.io/kubernetes');
  const etcd = requiredVersion(clusterGoMod, 'go.etcd.io/etcd/server/v3');
  const kro = requiredVersion(join(KRO_MODULE_DIR, 'go.mod'), KRO_MODULE);
  const kustomize = requiredVersion(join(KUSTOMIZE_MODULE_DIR, 'go.mod'), KUSTOMIZE_MODULE);
  const kubectlKubernetes = requiredVersion(join(KUBECTL_MODULE_DIR, 'go.mod'), 'k8s.io/kubernetes');
  if (kubectlKubernetes !== kubernetes) {
    throw new Error(
      `kubectl/go.mod pins k8s.io/kubernetes ${kubectlKubernetes}, the API server ${kubernetes}`,
    );
  }
  const minor = /^v1\.(\d+)\./.exec(kubernetes)?.[1] ?? '';
  // Stamp the same version metadata that release builds carry, so that /version
  // and kro's `kro.run/kro-version` label look like the real releases.
  const k8sVersion = 'k8s.io/component-base/version';
  const kroVersion = 'sigs.k8s.io/release-utils/version';
  const k8sStamp = (pkg: string) => [
    `-X ${pkg}.gitVersion=${kubernetes}`,
    `-X ${pkg}.gitMajor=1`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ];
  const list: Target[] = [
    {
      name: 'e2e-etcd',
      moduleDir: CLUSTER_DIR,
      pkg: './cmd/e2e-etcd',
      sourceDir: 'cmd/e2e-etcd',
      ldflags: '-s -w',
    },
    {
      name: 'kube-apiserver',
      moduleDir: CLUSTER_DIR,
      pkg: 'k8s.io/kubernetes/cmd/kube-apiserver',
      ldflags: ['-s -w', ...k8sStamp(k8sVersion)].join(' '),
    },
    {
      name: 'kro-controller',
      moduleDir: KRO_MODULE_DIR,
      pkg: `${KRO_MODULE}/cmd/controller`,
      ldflags: ['-s -w', `-X ${kroVersion}.gitVersion=${kro}`, `-X ${kroVersion}.gitTreeState=clean`].join(
        ' ',
      ),
      after: async () => {
        const moduleRoot = (
          await execFileAsync('go', ['list', '-m', '-f', '{{.Dir}}', KRO_MODULE], { cwd: KRO_MODULE_DIR })
        ).stdout.trim();
        const src = join(moduleRoot, 'helm', 'crds');
        mkdirSync(KRO_CRDS_DIR, { recursive: true });
        for (const file of readdirSync(src)) {
          // Module-cache files are read-only: write a fresh, writable copy.
          if (file.endsWith('.yaml')) writeFileSync(join(KRO_CRDS_DIR, file), readFileSync(join(src, file)));
        }
      },
    },
    {
      name: 'kubectl',
      moduleDir: KUBECTL_MODULE_DIR,
      pkg: 'k8s.io/kubernetes/cmd/kubectl',
      // `kubectl version --client` reads client-go's copy of the version.
      ldflags: ['-s -w', ...k8sStamp(k8sVersion), ...k8sStamp('k8s.io/client-go/pkg/version')].join(' '),
    },
    {
      name: 'kustomize',
      moduleDir: KUSTOMIZE_MODULE_DIR,
      pkg: KUSTOMIZE_MODULE,
      ldflags: `-s -w -X sigs.k8s.io/kustomize/api/provenance.version=${kustomize}`,
    },
  ];
  return { list, versions: { kubernetes, etcd, kro, kustomize } };
}

function listCrds(): string[] {
  if (!existsSync(KRO_CRDS_DIR)) return [];
  return readdirSync(KRO_CRDS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(KRO_CRDS_DIR, f));
}

/**
 * Builds one target into `binDir` unless its stamp says the binary there is current (the stamp
 * file sits next to the binary). Also used for the CEL oracle (test/fuzz/cel/oracle.ts).
 */
export async function ensureGoBinary(
  target: Target,
  binDir: string,
  goVersion: string,
  options: { force?: boolean | undefined; log: (line: string) => void },
): Promise<BuildReport> {
  const started = Date.now();
  const binary = join(binDir, target.name);
  const stampFile = `${binary}.stamp`;
  const stamp = stampOf(target, goVersion);
  const upToDate =
    !options.force &&
    existsSync(binary) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8').trim() === stamp;
  if (!upToDate) {
    options.log(`building ${target.pkg} (${goVersion}); a first build takes a while`);
    await runGo(
      ['build', '-trimpath', '-ldflags', target.ldflags, '-o', binary, target.pkg],
      target.moduleDir,
      options.log,
    );
    await target.after?.();
    writeFileSync(stampFile, `${stamp}\n`);
  }
  const seconds = (Date.now() - started) / 1000;
  options.log(`${target.name}: ${upToDate ? 'up to date' : 'built'} in ${seconds.toFixed(1)}s`);
  return { target: target.name, rebuilt: !upToDate, seconds };
}

/**
 * Builds whatever is out of date (one `go build` at a time: the machine is
 * small) and returns the binary paths.
 */
export async function ensureBinaries(
  options: { log?: (line: string) => void; force?: boolean } = {},
): Promise<Binaries & { report: BuildReport[] }> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[cluster:build] ${line}\n`));
  mkdirSync(BIN_DIR, { recursive: true });
  const goVersion = await goEnv('GOVERSION', CLUSTER_DIR);
  const { list, versions } = targets();
  const report: BuildReport[] = [];
  for (const target of list) {
    const extraCheck = target.name !== 'kro-controller' || listCrds().length > 0;
    report.push(
      await ensureGoBinary(target, BIN_DIR, goVersion, { force: !extraCheck || options.force, log }),
    );
  }
  const kroCrds = listCrds();
  if (kroCrds.length === 0) throw new Error(`no kro CRDs were copied into ${KRO_CRDS_DIR}`);
  return {
    etcd: join(BIN_DIR, 'e2e-etcd'),
    kubeApiserver: join(BIN_DIR, 'kube-apiserver'),
    kroController: join(BIN_DIR, 'kro-controller'),
    kubectl: join(BIN_DIR, 'kubectl'),
    kustomize: join(BIN_DIR, 'kustomize'),
    kroCrds,
    versions,
    report,
  };
}

/** Bytes used by a directory tree (for build reports). */
export function diskUsage(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskUsage(join(path, entry));
  return total;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const force = process.argv.includes('--force');
  ensureBinaries({ force })
    .then(({ report, versions }) => {
      const mib = (diskUsage(BIN_DIR) / 2 ** 20).toFixed(0);
      process.stdout.write(
        `kubernetes ${versions.kubernetes}, etcd ${versions.etcd}, kro ${versions.kro}; ${BIN_DIR} holds ${mib} MiB\n` +
          report
            .map((r) => `  ${r.target}: ${r.rebuilt ? 'rebuilt' : 'up to date'} (${r.seconds.toFixed(1)}s)`)
            .join('\n') +
          '\n',
      );
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}

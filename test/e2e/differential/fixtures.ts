/**
 * The fixtures the differential e2e test runs: every RGD under `examples/`
 * (with its instances from `examples/<name>/instances/*.yaml`, updates as
 * `<name>.<step>.yaml`, and the objects that must exist first from
 * `examples/<name>/cluster/*.yaml`) and every
 * chainsaw test of kro's own e2e suite (test/conformance/kro/e2e/index.json)
 * that needs only core kinds and applies at least one instance.
 *
 * Each fixture gets its own namespace, so fixtures whose instances share a name
 * (check-instance-creation and check-instance-update both create `test-instance`)
 * do not meet. An instance that names a namespace keeps it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type KubeObject, loadManifests } from '../cluster/kube.js';
import { isRecord } from './diff.js';
import { repoPath } from './kro-gen.js';

export const EXAMPLES_DIR = repoPath('examples');
export const CHAINSAW_DIR = repoPath('test/conformance/kro/e2e');
/** Cases found to differ from kro once (issue 18), laid out like examples but not for users to read. */
export const PARITY_DIR = repoPath('test/e2e/differential/parity');

/** One state of the instances: applied together, then compared. */
export interface InstanceStep {
  /** Where the instances come from (relative to the repository). */
  file: string;
  /** The instances, with their namespace filled in. */
  instances: KubeObject[];
  /**
   * Instances both must refuse (`<name>.refused.yaml`): kro-gen's expanded synth fails for each,
   * and kro puts each in state ERROR.
   */
  refused?: boolean;
}

export interface Fixture {
  /** `examples/<name>`, `parity/<name>` or `chainsaw/<test>`. */
  name: string;
  source: 'example' | 'parity' | 'chainsaw';
  /** RGD files (absolute). */
  rgdFiles: string[];
  /** The RGDs in them. */
  rgds: KubeObject[];
  /**
   * Other objects the fixture applies before its instances (chainsaw's
   * ClusterRoles, the ConfigMap an externalRef reads); also given to
   * `kro-gen synth` as the cluster's objects.
   */
  supportFiles: string[];
  /** Instance states in order; a later step with the same name updates the instance. */
  steps: InstanceStep[];
  /** Namespaces the instances live in (created before anything is applied). */
  namespaces: string[];
}

interface ChainsawIndex {
  tests: {
    test: string;
    dir: string;
    rgdFiles: string[];
    instanceFiles: { file: string }[];
    otherAppliedFiles: { file: string }[];
    needsBeyondCoreKinds: boolean;
  }[];
}

const relative = (path: string): string => path.slice(repoPath('').length).replace(/^\/+/, '');

/** A DNS-1123 label from `kro-e2e-` and the given words. */
export function namespaceFor(...words: string[]): string {
  const raw = ['kro-e2e', ...words]
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return raw.slice(0, 63).replace(/-+$/, '');
}

const isClusterScoped = (rgd: KubeObject): boolean => {
  const spec = isRecord(rgd.spec) ? rgd.spec : {};
  const schema = isRecord(spec.schema) ? spec.schema : {};
  return schema.scope === 'Cluster';
};

function withNamespace(instances: KubeObject[], rgds: KubeObject[], namespace: string): KubeObject[] {
  return instances.map((instance) => {
    const rgd = rgds.find((r) => {
      const schema = isRecord(r.spec) && isRecord(r.spec.schema) ? r.spec.schema : {};
      return schema.kind === instance.kind;
    });
    if ((rgd && isClusterScoped(rgd)) || instance.metadata.namespace) return instance;
    return { ...instance, metadata: { ...instance.metadata, namespace } };
  });
}

const namespacesOf = (steps: InstanceStep[]): string[] => [
  ...new Set(
    steps.flatMap((s) => s.instances.map((i) => i.metadata.namespace ?? '').filter((n) => n !== '')),
  ),
];

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => join(dir, f));
}

function tryLoadManifests(file: string): KubeObject[] {
  try {
    return loadManifests(file);
  } catch {
    return [];
  }
}

/**
 * An example's instance files as scenarios: `<name>.yaml` is a scenario of one step,
 * `<name>.<n>.yaml` is step n of scenario `<name>` (an update of the same instances), in order
 * of n. Scenarios are listed by name, each with its steps in order.
 */
export function instanceScenarios(files: readonly string[]): { scenario: string; files: string[] }[] {
  const parsed = files.map((file) => {
    const base = basename(file).replace(/\.ya?ml$/, '');
    const m = /^(.+)\.(\d+)$/.exec(base);
    return { file, scenario: m?.[1] ?? base, step: m ? Number(m[2]) : 0 };
  });
  const names = [...new Set(parsed.map((p) => p.scenario))].sort();
  return names.map((scenario) => ({
    scenario,
    files: parsed
      .filter((p) => p.scenario === scenario)
      .sort((a, b) => a.step - b.step)
      .map((p) => p.file),
  }));
}

export const exampleFixtures = (): Fixture[] => dirFixtures(EXAMPLES_DIR, 'example', 'examples');

/** The parity cases: each folder under test/e2e/differential/parity/ is read as an example is. */
export const parityFixtures = (): Fixture[] => dirFixtures(PARITY_DIR, 'parity', 'parity');

function dirFixtures(root: string, source: 'example' | 'parity', prefix: string): Fixture[] {
  const out: Fixture[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory()) continue;
    // Other YAML may sit next to the RGDs (examples/ci has a GitHub workflow): only RGD files count.
    const rgdFiles = yamlFiles(dir).filter((f) =>
      tryLoadManifests(f).some((o) => o.kind === 'ResourceGraphDefinition'),
    );
    if (rgdFiles.length === 0) continue;
    const rgds = rgdFiles.flatMap((f) =>
      loadManifests(f).filter((o) => o.kind === 'ResourceGraphDefinition'),
    );
    // Each scenario is in its own namespace: two scenarios may well describe sites with the same
    // object names. The steps of one scenario share it, so a later step updates the instances.
    // Parity cases get a word of their own, so a case never meets an example of the same name.
    const words = source === 'parity' ? ['parity', name] : [name];
    const steps = instanceScenarios(yamlFiles(join(dir, 'instances'))).flatMap(({ scenario, files }) =>
      files.map((file) => ({
        file: relative(file),
        instances: withNamespace(loadManifests(file), rgds, namespaceFor(...words, scenario)),
        ...(scenario.endsWith('.refused') ? { refused: true } : {}),
      })),
    );
    // Objects that must exist before the RGD (what an externalRef reads): they name their namespace.
    const supportFiles = yamlFiles(join(dir, 'cluster'));
    const supportNamespaces = supportFiles
      .flatMap((f) => loadManifests(f))
      .map((o) => o.metadata.namespace ?? '')
      .filter((n) => n !== '');
    out.push({
      name: `${prefix}/${name}`,
      source,
      rgdFiles,
      rgds,
      supportFiles,
      steps,
      namespaces: [...new Set([...namespacesOf(steps), ...supportNamespaces])],
    });
  }
  return out;
}

export function chainsawFixtures(): Fixture[] {
  const index = JSON.parse(readFileSync(join(CHAINSAW_DIR, 'index.json'), 'utf8')) as ChainsawIndex;
  const out: Fixture[] = [];
  for (const test of index.tests) {
    if (test.needsBeyondCoreKinds || test.instanceFiles.length === 0) continue;
    const dir = join(CHAINSAW_DIR, test.dir);
    const rgdFiles = test.rgdFiles.map((f) => join(dir, f));
    const rgds = rgdFiles.flatMap((f) =>
      loadManifests(f).filter((o) => o.kind === 'ResourceGraphDefinition'),
    );
    const namespace = namespaceFor(test.test);
    // One namespace for the whole test: later instance files update earlier ones, as in chainsaw.
    const steps = test.instanceFiles.map(({ file }) => ({
      file: relative(join(dir, file)),
      instances: withNamespace(loadManifests(join(dir, file)), rgds, namespace),
    }));
    out.push({
      name: `chainsaw/${test.test}`,
      source: 'chainsaw',
      rgdFiles,
      rgds,
      supportFiles: test.otherAppliedFiles.map(({ file }) => join(dir, file)),
      steps,
      namespaces: namespacesOf(steps),
    });
  }
  return out;
}

export function allFixtures(): Fixture[] {
  return [...exampleFixtures(), ...parityFixtures(), ...chainsawFixtures()];
}

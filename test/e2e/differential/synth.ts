/**
 * `kro-gen synth` for one fixture state: the RGD files, the instances of the
 * step (written to a file, since the fixture fills in their namespace) and
 * the objects the fixture puts in the cluster beforehand (what an externalRef
 * reads).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from '../cluster/kube.js';
import type { Fixture, InstanceStep } from './fixtures.js';
import { kroGenCommands, kroGenObjects } from './kro-gen.js';

export type SynthMode = 'expanded' | 'bundle';

const WORK_DIR = join(tmpdir(), `kro-gen-e2e-${process.pid}`);

/** Removes the instance files this process wrote. */
export function removeInstanceFiles(): void {
  rmSync(WORK_DIR, { recursive: true, force: true });
}

export async function synthAvailable(): Promise<boolean> {
  return (await kroGenCommands()).has('synth');
}

/** Writes the step's instances to a YAML file and returns its path. */
export function instanceFile(fixture: Fixture, stepIndex: number, step: InstanceStep): string {
  const dir = join(WORK_DIR, fixture.name.replace(/[^A-Za-z0-9-]+/g, '_'));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `step-${stepIndex}.yaml`);
  writeFileSync(file, step.instances.map((o) => stringify(o)).join('---\n'));
  return file;
}

/** The argument list, so that the log can show the exact command. */
export function synthArgs(
  mode: SynthMode,
  fixture: Fixture,
  instances: string,
  extra: readonly string[] = [],
): string[] {
  const args = ['synth', '--mode', mode, ...extra, ...fixture.rgdFiles, '--instance', instances];
  for (const file of fixture.supportFiles) args.push('--external', file);
  return args;
}

export function synth(
  mode: SynthMode,
  fixture: Fixture,
  instances: string,
  extra: readonly string[] = [],
): Promise<KubeObject[]> {
  return kroGenObjects(synthArgs(mode, fixture, instances, extra));
}

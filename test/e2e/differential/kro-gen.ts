/**
 * Runs the kro-gen CLI in this process: the same dispatch `node dist/cli/main.js`
 * goes through (src/cli/run.ts), without a build step or a child process per call.
 * Output is parsed back into objects so the tests see exactly what a user would pipe
 * into `kubectl apply`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/cli/run.js';
import { type KubeObject, parseManifests } from '../cluster/kube.js';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface KroGenResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function kroGen(args: readonly string[]): Promise<KroGenResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stderrIsTTY: false,
  });
  return { code, stdout, stderr };
}

/** Runs kro-gen and parses its YAML output; a non-zero exit is an error carrying stderr. */
export async function kroGenObjects(args: readonly string[]): Promise<KubeObject[]> {
  const result = await kroGen(args);
  if (result.code !== 0) {
    throw new Error(`kro-gen ${args.join(' ')} exited with ${result.code}:\n${result.stderr}`);
  }
  return parseManifests(result.stdout);
}

/** The names of kro-gen's commands, from `kro-gen --help`. */
export async function kroGenCommands(): Promise<Set<string>> {
  const help = await kroGen(['--help']);
  const names = new Set<string>();
  let inCommands = false;
  for (const line of help.stdout.split('\n')) {
    if (line.startsWith('Commands:')) inCommands = true;
    else if (inCommands && /^\S/.test(line)) inCommands = false;
    else if (inCommands) {
      const name = /^\s+([a-z][a-z-]*)\s/.exec(line)?.[1];
      if (name) names.add(name);
    }
  }
  return names;
}

export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);

#!/usr/bin/env node
// Regenerates the checked-in synth output of the examples (examples/*/out), or with --check
// synthesizes into a temporary directory and fails when anything differs from what is checked in:
// the drift check for CI. Uses the built CLI (dist/cli/main.js; `npm run build` first) unless
// KRO_GEN names another command, e.g. KRO_GEN="npx kro-gen".
//
//   node examples/ci/synth-examples.mjs           # rewrite examples/*/out
//   node examples/ci/synth-examples.mjs --check   # exit 1 and list the differences on drift
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Every checked-in output: the CLI arguments (relative to the repository root) and where it goes.
 * `app: false` marks output the example's main.ts does not reproduce (test/unit/synth/apps.test.ts).
 */
export const JOBS = [
  {
    out: 'examples/web-app/out/expanded',
    args: [
      'synth',
      'examples/web-app/rgd.yaml',
      '--instance',
      'examples/web-app/instances',
      '--mode',
      'expanded',
    ],
  },
  {
    out: 'examples/web-app/out/bundle',
    args: [
      'synth',
      'examples/web-app/rgd.yaml',
      '--instance',
      'examples/web-app/instances',
      '--mode',
      'bundle',
    ],
  },
  {
    out: 'examples/wordpress/out/expanded',
    args: [
      'synth',
      'examples/wordpress/rgd.yaml',
      '--instance',
      'examples/wordpress/instances',
      '--mode',
      'expanded',
      '--annotations',
      'depends-on,argocd,kapp',
    ],
  },
  {
    out: 'examples/wordpress/out/bundle',
    args: [
      'synth',
      'examples/wordpress/rgd.yaml',
      '--instance',
      'examples/wordpress/instances',
      '--mode',
      'bundle',
      '--annotations',
      'depends-on,argocd,kapp',
    ],
  },
  {
    out: 'examples/team-namespaces/out/expanded',
    args: [
      'synth',
      'examples/team-namespaces/rgd.yaml',
      '--instance',
      'examples/team-namespaces/instances',
      '--mode',
      'expanded',
    ],
  },
  {
    out: 'examples/team-namespaces/out/bundle',
    args: [
      'synth',
      'examples/team-namespaces/rgd.yaml',
      '--instance',
      'examples/team-namespaces/instances',
      '--mode',
      'bundle',
    ],
  },
  {
    out: 'examples/site/out/expanded',
    args: ['synth', 'examples/site/rgd.yaml', '--instance', 'examples/site/instances', '--mode', 'expanded'],
  },
  {
    out: 'examples/site/out/bundle',
    args: ['synth', 'examples/site/rgd.yaml', '--instance', 'examples/site/instances', '--mode', 'bundle'],
  },
  // A cdk8s app cannot hand kro-gen the object an externalRef reads (--external): main.ts is bundle-only.
  {
    out: 'examples/team-app/out/expanded',
    args: [
      'synth',
      'examples/team-app/rgd.yaml',
      '--instance',
      'examples/team-app/instances',
      '--external',
      'examples/team-app/cluster',
      '--mode',
      'expanded',
    ],
    app: false,
  },
  {
    out: 'examples/team-app/out/bundle',
    args: [
      'synth',
      'examples/team-app/rgd.yaml',
      '--instance',
      'examples/team-app/instances',
      '--mode',
      'bundle',
    ],
  },
  // Two states of one instance: main.ts is the last one (pool.2.yaml).
  {
    out: 'examples/worker-pool/out/step-1/expanded',
    args: [
      'synth',
      'examples/worker-pool/rgd.yaml',
      '--instance',
      'examples/worker-pool/instances/pool.1.yaml',
      '--mode',
      'expanded',
    ],
    app: false,
  },
  {
    out: 'examples/worker-pool/out/step-1/bundle',
    args: [
      'synth',
      'examples/worker-pool/rgd.yaml',
      '--instance',
      'examples/worker-pool/instances/pool.1.yaml',
      '--mode',
      'bundle',
    ],
    app: false,
  },
  {
    out: 'examples/worker-pool/out/expanded',
    args: [
      'synth',
      'examples/worker-pool/rgd.yaml',
      '--instance',
      'examples/worker-pool/instances/pool.2.yaml',
      '--mode',
      'expanded',
    ],
  },
  {
    out: 'examples/worker-pool/out/bundle',
    args: [
      'synth',
      'examples/worker-pool/rgd.yaml',
      '--instance',
      'examples/worker-pool/instances/pool.2.yaml',
      '--mode',
      'bundle',
    ],
  },
];

/** The arguments of a job writing into `dir`, one numbered file per object. */
export function jobArgs(job, dir) {
  return [...job.args, '--out', dir, '--layout', 'file-per-resource'];
}

function files(dir) {
  try {
    return readdirSync(dir)
      .filter((n) => statSync(join(dir, n)).isFile())
      .sort();
  } catch {
    return [];
  }
}

/** Differences between two directories of output files, as lines. */
export function compareDirs(expected, actual) {
  const problems = [];
  const want = files(expected);
  const got = files(actual);
  for (const name of want) if (!got.includes(name)) problems.push(`missing: ${name}`);
  for (const name of got) if (!want.includes(name)) problems.push(`unexpected: ${name}`);
  for (const name of want) {
    if (!got.includes(name)) continue;
    if (readFileSync(join(expected, name), 'utf8') !== readFileSync(join(actual, name), 'utf8')) {
      problems.push(`differs: ${name}`);
    }
  }
  return problems;
}

function kroGen(args) {
  const custom = process.env.KRO_GEN;
  const [command, ...prefix] = custom
    ? custom.split(' ')
    : [process.execPath, join(ROOT, 'dist', 'cli', 'main.js')];
  execFileSync(command, [...prefix, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

function main() {
  const check = process.argv.includes('--check');
  let drift = 0;
  for (const job of JOBS) {
    if (!check) {
      kroGen(jobArgs(job, job.out));
      console.log(`wrote ${job.out}`);
      continue;
    }
    const tmp = mkdtempSync(join(tmpdir(), 'kro-gen-examples-'));
    try {
      kroGen(jobArgs(job, tmp));
      const problems = compareDirs(join(ROOT, job.out), tmp);
      for (const p of problems) console.error(`${job.out}: ${p}`);
      drift += problems.length;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (drift > 0) {
    console.error(
      `synth output drifted from ${relative(process.cwd(), ROOT) || '.'}/examples/*/out: run \`node examples/ci/synth-examples.mjs\` and commit the result`,
    );
    process.exitCode = 1;
  } else if (check) {
    console.log(`synth output of ${JOBS.length} example jobs is up to date`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

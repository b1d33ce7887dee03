// The examples' checked-in synth output (examples/*/out) is what kro-gen produces today: each job
// of examples/ci/synth-examples.mjs runs again through the CLI and the directories must be equal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareDirs, JOBS, jobArgs } from '../../../examples/ci/synth-examples.mjs';
import type { Io } from '../../../src/cli/io.js';
import { run } from '../../../src/cli/run.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

describe('examples/*/out is up to date', () => {
  for (const job of JOBS) {
    it(job.out, async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'kro-gen-examples-'));
      try {
        let err = '';
        const io: Io = {
          stdout: () => {},
          stderr: (s) => {
            err += s;
          },
          cwd: ROOT,
          env: {},
        };
        expect(await run(jobArgs(job, tmp), io)).toBe(0);
        expect(err).toBe('');
        // Regenerate with `node examples/ci/synth-examples.mjs` (after `npm run build`) when this fails.
        expect(compareDirs(join(ROOT, job.out), tmp)).toEqual([]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }

  it('covers both modes of every example (and of each update step)', () => {
    expect(JOBS.map((j) => j.out)).toEqual([
      'examples/web-app/out/expanded',
      'examples/web-app/out/bundle',
      'examples/wordpress/out/expanded',
      'examples/wordpress/out/bundle',
      'examples/team-namespaces/out/expanded',
      'examples/team-namespaces/out/bundle',
      'examples/site/out/expanded',
      'examples/site/out/bundle',
      'examples/team-app/out/expanded',
      'examples/team-app/out/bundle',
      'examples/worker-pool/out/step-1/expanded',
      'examples/worker-pool/out/step-1/bundle',
      'examples/worker-pool/out/expanded',
      'examples/worker-pool/out/bundle',
    ]);
  });
});

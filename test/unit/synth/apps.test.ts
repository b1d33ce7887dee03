// The examples' TypeScript apps (examples/*/main.ts, built on the generated constructs) run through
// `kro-gen synth --app` give the same objects as `kro-gen synth` on the instance files: the
// checked-in output. cdk8s sorts keys and writes YAML its own way, so objects are compared parsed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { JOBS } from '../../../examples/ci/synth-examples.mjs';
import { runCli } from '../../helpers/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const parse = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

describe('examples/*/main.ts agree with the checked-in synth output', () => {
  it('skips only the outputs an app cannot reproduce (an externalRef, an earlier update step)', () => {
    expect(JOBS.filter((j) => j.app === false).map((j) => j.out)).toEqual([
      'examples/team-app/out/expanded',
      'examples/worker-pool/out/step-1/expanded',
      'examples/worker-pool/out/step-1/bundle',
    ]);
  });

  for (const job of JOBS.filter((j) => j.app !== false)) {
    const [, example] = job.out.split('/');
    const mode = job.args[job.args.indexOf('--mode') + 1] ?? 'expanded';
    const at = job.args.indexOf('--annotations');
    const annotations = at >= 0 ? ['--annotations', job.args[at + 1] ?? ''] : [];
    it(`${example} (${mode})`, async () => {
      const { code, out, err } = await runCli(
        ROOT,
        ['synth', '--app', `examples/${example}/main.ts`, '--mode', mode, ...annotations],
        { PATH: process.env.PATH ?? '' },
      );
      expect(err).toBe('');
      expect(code).toBe(0);
      const dir = join(ROOT, job.out);
      const expected = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .flatMap((f) => parse(readFileSync(join(dir, f), 'utf8')));
      expect(parse(out)).toEqual(expected);
    });
  }
});

// `kro-gen crd` and `kro-gen generate` refuse what kro refuses: an RGD whose resource graph has
// errors gives no CRD and no module, with the errors exactly as `kro-gen validate` prints them.
// Graph warnings (kinds without a schema) stay quiet unless --warnings asks for them.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const BROKEN = ['cycle.yaml', 'misspelled.yaml', 'string-in-int.yaml'];

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'kro-gen-refuse-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(FIXTURES, argv);

describe.each(['crd', 'generate'])('kro-gen %s on an RGD kro refuses', (command) => {
  for (const file of BROKEN) {
    it(`${file}: exit 1, validate's errors, nothing written`, async () => {
      const v = await cli('validate', file);
      expect(v.code).toBe(1);
      const dir = join(out, 'result');
      const r = await cli(command, file, '--out', dir);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(v.out);
      expect(existsSync(dir)).toBe(false);
    });
  }

  it('a forEach over a value that is not a list is refused too', async () => {
    const text = [
      'apiVersion: kro.run/v1alpha1',
      'kind: ResourceGraphDefinition',
      'metadata: {name: each}',
      'spec:',
      '  schema: {apiVersion: v1alpha1, kind: Each, spec: {name: string}}',
      '  resources:',
      '    - id: cms',
      '      forEach:',
      `        - word: \${schema.spec.name}`,
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      `        metadata: {name: "\${word}"}`,
      '',
    ].join('\n');
    writeFileSync(join(out, 'each.yaml'), text);
    const v = await runCli(out, ['validate', 'each.yaml']);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^each\.yaml:9:\d+: error: .*forEach/);
    const r = await runCli(out, [command, 'each.yaml', '--out', 'x']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(v.out);
    expect(existsSync(join(out, 'x'))).toBe(false);
  });

  it('an unknown kind is a warning: quiet by default, printed with --warnings', async () => {
    const quiet = await cli(command, 'unknown-kind.yaml', '--out', join(out, 'a'));
    expect(quiet.code).toBe(0);
    expect(quiet.err).toBe('');
    const loud = await cli(command, 'unknown-kind.yaml', '--out', join(out, 'b'), '--warnings');
    expect(loud.code).toBe(0);
    expect(loud.err).toContain(
      'unknown-kind.yaml:18:15: warning: no schema for Bucket (s3.services.k8s.aws/v1alpha1)',
    );
  });
});

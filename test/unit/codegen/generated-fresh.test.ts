// generated/ must be exactly what `kro-gen generate examples/*/rgd.yaml --out generated` writes:
// regenerate into a temporary directory through the CLI and compare file by file.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function exampleRgds(): string[] {
  return readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && readdirSync(join(ROOT, 'examples', d.name)).includes('rgd.yaml'))
    .map((d) => `examples/${d.name}/rgd.yaml`)
    .sort();
}

const cli = (args: string[]) => runCli(ROOT, args);

describe('generated/', () => {
  it('is what generating the examples gives now (else run npm run generate)', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kro-gen-generated-'));
    const inputs = exampleRgds();
    expect(inputs).toContain('examples/web-app/rgd.yaml');
    expect(inputs).toContain('examples/wordpress/rgd.yaml');
    const r = await cli(['generate', ...inputs, '--out', tmp]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const fresh = readdirSync(tmp).sort();
    const committed = readdirSync(join(ROOT, 'generated')).sort();
    expect(committed).toEqual(fresh);
    for (const name of fresh) {
      expect(readFileSync(join(ROOT, 'generated', name), 'utf8'), `generated/${name}`).toBe(
        readFileSync(join(tmp, name), 'utf8'),
      );
    }
  });

  it('--verify passes on generated/ and fails, naming the file, when one is stale', async () => {
    const inputs = exampleRgds();
    const ok = await cli(['generate', ...inputs, '--out', 'generated', '--verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe(`generated is up to date (${inputs.length + 1} files)\n`);
    // Generating one example only: the other module is left over, and the index differs.
    const partial = await cli(['generate', 'examples/web-app/rgd.yaml', '--out', 'generated', '--verify']);
    expect(partial.code).toBe(1);
    expect(partial.err).toContain('kro-gen generate: generated/index.ts is out of date');
    expect(partial.err).toContain(
      'kro-gen generate: generated/word-press.ts is not generated from these RGDs any more',
    );
  });
});

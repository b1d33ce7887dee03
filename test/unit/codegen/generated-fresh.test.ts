// generated/ must be exactly what `kro-gen generate examples/*/rgd.yaml --out generated` writes:
// regenerate into a temporary directory through the CLI and compare file by file.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

// One module per RGD (examples/site/rgd.yaml holds two) and the index.
const generatedFiles = (): number => readdirSync(join(ROOT, 'generated')).length;

describe('generated/', () => {
  it('is what generating the examples gives now (else run npm run generate)', async () => {
    // The same layout elsewhere: tmp/examples/*/rgd.yaml generated into tmp/generated. Headers name
    // the RGD relative to the output, so they must come out as in the repository.
    const tmp = mkdtempSync(join(tmpdir(), 'kro-gen-generated-'));
    try {
      const inputs = exampleRgds();
      expect(inputs).toContain('examples/web-app/rgd.yaml');
      expect(inputs).toContain('examples/wordpress/rgd.yaml');
      for (const input of inputs) cpSync(join(ROOT, input), join(tmp, input));
      // `--module auto` reads the project's package.json: this repository's is an ES module package.
      writeFileSync(join(tmp, 'package.json'), '{ "type": "module" }\n');
      const r = await runCli(tmp, ['generate', ...inputs, '--out', 'generated']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const fresh = readdirSync(join(tmp, 'generated')).sort();
      const committed = readdirSync(join(ROOT, 'generated')).sort();
      expect(committed).toEqual(fresh);
      for (const name of fresh) {
        expect(readFileSync(join(ROOT, 'generated', name), 'utf8'), `generated/${name}`).toBe(
          readFileSync(join(tmp, 'generated', name), 'utf8'),
        );
      }
      expect(readFileSync(join(ROOT, 'generated', 'application.ts'), 'utf8')).toContain(
        'from ../examples/web-app/rgd.yaml (ResourceGraphDefinition web-app)',
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('does not depend on the working directory: --verify passes from another one', async () => {
    const names = exampleRgds().map((p) => p.replace(/^examples\//, ''));
    const r = await runCli(join(ROOT, 'examples'), [
      'generate',
      ...names,
      '--out',
      '../generated',
      '--verify',
    ]);
    expect(r.err).toBe('');
    expect(r.out).toBe(`../generated is up to date (${generatedFiles()} files)\n`);
    expect(r.code).toBe(0);
  });

  it('--verify passes on generated/ and fails, naming the file, when one is stale', async () => {
    const inputs = exampleRgds();
    const ok = await cli(['generate', ...inputs, '--out', 'generated', '--verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toBe(`generated is up to date (${generatedFiles()} files)\n`);
    // Generating one example only: the other module is left over, and the index differs.
    const partial = await cli(['generate', 'examples/web-app/rgd.yaml', '--out', 'generated', '--verify']);
    expect(partial.code).toBe(1);
    expect(partial.err).toContain('kro-gen generate: generated/index.ts is out of date');
    expect(partial.err).toContain(
      'kro-gen generate: generated/word-press.ts is not generated from these RGDs any more',
    );
    // Generating writes the index but leaves word-press.ts: the hint says both steps.
    expect(partial.err).toContain(
      'Regenerate with: kro-gen generate examples/web-app/rgd.yaml --out generated\n',
    );
    expect(partial.err).toMatch(
      /rm generated\/bucket\.ts .*generated\/word-press\.ts generated\/worker-pool\.ts\n$/,
    );
  });

  it('hints only at the step that is needed, with every input option, quoted for a shell', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'kro-gen-hint-'));
    try {
      cpSync(join(ROOT, 'examples/web-app/rgd.yaml'), join(tmp, 'my app.yaml'));
      cpSync(join(ROOT, 'test/unit/cli/fixtures/bucket-crd.yaml'), join(tmp, 'crd.yaml'));
      const args = ['generate', 'my app.yaml', '--crd', 'crd.yaml', '--out', 'out'];
      const missing = await runCli(tmp, [...args, '--verify']);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain(
        "Regenerate with: kro-gen generate 'my app.yaml' --out out --crd crd.yaml\n",
      );
      expect(missing.err).not.toContain('rm ');
      expect((await runCli(tmp, args)).code).toBe(0);
      expect((await runCli(tmp, [...args, '--verify'])).code).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

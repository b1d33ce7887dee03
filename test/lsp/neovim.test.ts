// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// A real editor as the client: headless Neovim (Debian's `neovim` package) runs
// test/lsp/nvim/check.lua against `kro-gen lsp --stdio`: it opens an RGD with a misspelled field,
// waits for the diagnostic, fixes it and waits for it to clear, then checks hover (a spec field, a
// Deployment field's Kubernetes description) and completion.
// CI installs Neovim (.ci/run) and there the test fails without it; locally it is left out with a
// notice, as the browser check does without Chromium.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, SERVER_COMMAND } from './client.js';

const NVIM = '/usr/bin/nvim';
const available = existsSync(NVIM);
const inCi = Boolean(process.env['CI']);
const run = promisify(execFile);

const work = mkdtempSync(join(tmpdir(), 'kro-gen-nvim-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

if (!available && !inCi) {
  console.warn(`neovim: ${NVIM} not found, so the Neovim check is left out (CI installs Neovim)`);
}

describe.skipIf(!available && !inCi)('kro-gen lsp in headless Neovim', () => {
  it('has Neovim (CI must install it: .ci/run does)', () => {
    expect(available, `${NVIM} is missing`).toBe(true);
  });

  it('shows the diagnostic of a misspelled field and clears it, hovers and completes', async () => {
    const rgd = join(work, 'rgd.yaml');
    const text = readFileSync(join(REPO, 'test/lsp/fixtures/web-app.yaml'), 'utf8');
    writeFileSync(rgd, text.replace('image: ${schema.spec.image}', 'image: ${schema.spec.imgae}'));
    const { stderr } = await run(
      NVIM,
      ['--headless', '--clean', '-c', `luafile ${join(REPO, 'test/lsp/nvim/check.lua')}`],
      {
        cwd: work,
        env: { ...process.env, KRO_GEN_LSP_CMD: JSON.stringify(SERVER_COMMAND), KRO_GEN_RGD: rgd },
        timeout: 120_000,
      },
    );
    const lines = stderr.split('\n');
    expect(lines).toContain('diagnostic cleared');
    expect(lines.find((l) => l.startsWith('diagnostic: '))).toMatch(
      /^diagnostic: 38:39 .*undefined field 'imgae'$/,
    );
    expect(lines).toContain('completion: name image replicas svcType');
    expect(lines.find((l) => l.startsWith('hover: '))).toContain('`integer`');
    expect(lines.find((l) => l.startsWith('field hover: '))).toContain('Total number of available');
    expect(lines.at(-2)).toBe('ok');
  });
});

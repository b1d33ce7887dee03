// The input count the launcher's code cache reads (src/cli/input-size.ts): the launcher and the CLI
// bundle each have their own copy of the module, so the count must be shared through the global.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const READ = Symbol.for('kro-gen.input-chars');
const root = mkdtempSync(join(tmpdir(), 'kro-gen-input-size-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  delete (globalThis as Record<symbol, unknown>)[READ];
});

/** A fresh copy of a module, as each script (launcher, bundle) has its own. */
async function copyOf<T>(path: string): Promise<T> {
  vi.resetModules();
  return (await import(path)) as T;
}

type InputSize = typeof import('../../../src/cli/input-size.js');

describe('the input count', () => {
  it('is one count for every copy of the module in the process', async () => {
    const bundle = await copyOf<InputSize>('../../../src/cli/input-size.js');
    const launcher = await copyOf<InputSize>('../../../src/cli/input-size.js');
    expect(bundle).not.toBe(launcher);
    expect(launcher.inputRead()).toBe(0);
    bundle.addInputRead(300);
    bundle.addInputRead(45);
    expect(launcher.inputRead()).toBe(345);
  });

  it('counts what readInputs read, in characters', async () => {
    writeFileSync(join(root, 'a.yaml'), 'kind: A\n');
    writeFileSync(join(root, 'b.yaml'), 'é: 1\n');
    const { readInputs } = await import('../../../src/cli/inputs.js');
    const { inputRead } = await copyOf<InputSize>('../../../src/cli/input-size.js');
    await readInputs(['a.yaml', 'b.yaml'], { stdout() {}, stderr() {}, cwd: root, env: {} });
    expect(inputRead()).toBe('kind: A\n'.length + 'é: 1\n'.length);
  });
});

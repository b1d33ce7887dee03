// V8's optimizing compiler in short runs (src/cli/v8-tiering.ts): which runs raise the interrupt
// budget, that a user's own setting wins, and that the code cache stays usable when a command changes
// the budget in the middle of a run (V8 rejects a cache made under other flags).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { wrapForLauncher } from '../../../src/cli/compile-cache.js';

// v8-tiering.ts looks node:v8 up when it sets a flag.
const setFlags = vi
  .spyOn(process.getBuiltinModule('node:v8'), 'setFlagsFromString')
  .mockImplementation(() => {});

const NODE20_V8 = '11.3.244.8-node.38';
const DEFAULT = 66 * 1024;
const KB = 1024;

/** A fresh copy of the module, with the process's input count at zero. */
async function fresh(allowed: boolean) {
  vi.resetModules();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('kro-gen.v8-default-budget')];
  // The input count lives on the global object (input-size.ts), shared by every copy.
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('kro-gen.input-chars')];
  const m = await import('../../../src/cli/v8-tiering.js');
  if (allowed) m.allowShortRuns(DEFAULT);
  return m;
}

beforeEach(() => setFlags.mockClear());

describe('shortRunBudget', () => {
  it("allows batch commands on a V8 whose default budget it knows, with V8's default", async () => {
    const { shortRunBudget } = await fresh(false);
    for (const command of ['validate', 'generate', 'synth', 'crd', 'graph', undefined]) {
      expect(shortRunBudget(command, {}, [], NODE20_V8)).toBe(DEFAULT);
    }
    expect(shortRunBudget('validate', { NODE_OPTIONS: '--max-old-space-size=100' }, [], NODE20_V8)).toBe(
      DEFAULT,
    );
  });

  it("leaves V8's defaults to the language server, to other V8 versions and to a user's own budget", async () => {
    const { shortRunBudget } = await fresh(false);
    expect(shortRunBudget('lsp', {}, [], NODE20_V8)).toBeUndefined();
    expect(shortRunBudget('validate', {}, [], '12.4.254.21-node.33')).toBeUndefined();
    expect(shortRunBudget('validate', {}, ['--interrupt-budget=1000'], NODE20_V8)).toBeUndefined();
    expect(
      shortRunBudget('validate', { NODE_OPTIONS: '--interrupt_budget=1000' }, [], NODE20_V8),
    ).toBeUndefined();
  });
});

describe('the budget by the size of the run', () => {
  it('raises it for a medium input only, and sets the default back for a large one', async () => {
    const m = await fresh(true);
    m.noteInputRead(m.SHORT_RUN_MIN_CHARS - 1);
    expect(setFlags).not.toHaveBeenCalled();
    m.noteInputRead(1);
    expect(setFlags).toHaveBeenLastCalledWith(`--interrupt-budget=${16 * DEFAULT}`);
    m.noteInputRead(m.LONG_RUN_INPUT_CHARS);
    expect(setFlags).toHaveBeenLastCalledWith(`--interrupt-budget=${DEFAULT}`);
    setFlags.mockClear();
    m.noteInputRead(100 * KB); // a long run stays long
    expect(setFlags).not.toHaveBeenCalled();
  });

  it('sets the default back for many instances', async () => {
    const m = await fresh(true);
    m.noteInputRead(100 * KB);
    m.noteInstances(m.LONG_RUN_INSTANCES - 1);
    expect(setFlags).toHaveBeenLastCalledWith(`--interrupt-budget=${16 * DEFAULT}`);
    m.noteInstances(m.LONG_RUN_INSTANCES);
    expect(setFlags).toHaveBeenLastCalledWith(`--interrupt-budget=${DEFAULT}`);
  });

  it('changes nothing unless the launcher allowed it', async () => {
    const m = await fresh(false);
    m.noteInputRead(100 * KB);
    m.noteInstances(m.LONG_RUN_INSTANCES);
    m.withCompileFlags(() => undefined);
    expect(setFlags).not.toHaveBeenCalled();
  });
});

describe("the code cache of a run that changed V8's budget", () => {
  const root = mkdtempSync(join(tmpdir(), 'kro-gen-v8-tiering-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const src = resolve('src/cli');
  const bundle = join(root, 'bundle.cjs');
  writeFileSync(
    bundle,
    wrapForLauncher(
      'function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\nmodule.exports = work(100000);\n',
    ),
  );
  // What the launcher and a command do: compile under V8's defaults, raise the budget once the input
  // is read, write the cache at the end.
  const script = join(root, 'run.mts');
  writeFileSync(
    script,
    `import { loadCompiled } from ${JSON.stringify(join(src, 'compile-cache.ts'))};
import { allowShortRuns, noteInputRead } from ${JSON.stringify(join(src, 'v8-tiering.ts'))};
allowShortRuns(${DEFAULT});
const compiled = loadCompiled(${JSON.stringify(bundle)}, ${JSON.stringify(join(root, 'cache.bin'))});
noteInputRead(${100 * KB});
compiled.save();
process.stdout.write(compiled.state + ' ' + String(compiled.exports));
`,
  );
  const run = () => spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' }).stdout;

  it('is used by the next run', () => {
    expect(run()).toBe('absent 299995');
    // Written under the raised budget, V8 would reject it (and it would be written again each run).
    expect(run()).toBe('used 299995');
  }, 60_000);
});

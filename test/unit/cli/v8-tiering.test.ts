// The launcher's V8 flags for short commands (src/cli/v8-tiering.ts): which commands get them, that a
// user's own setting wins, and that the code cache stays usable when a command gives V8 its default
// back in the middle of a run (V8 rejects a cache made under other flags).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheFile } from '../../../src/cli/compile-cache.js';
import { shortRunFlags } from '../../../src/cli/v8-tiering.js';

const NODE20_V8 = '11.3.244.8-node.38';

describe('shortRunFlags', () => {
  it('raises the optimizing budget for batch commands on a V8 whose default it knows', () => {
    for (const command of ['validate', 'generate', 'synth', 'crd', 'graph', undefined]) {
      expect(shortRunFlags(command, {}, [], NODE20_V8)).toBe('--interrupt-budget=1081344');
    }
  });

  it("leaves V8's defaults to the language server, to other V8 versions and to a user's own budget", () => {
    expect(shortRunFlags('lsp', {}, [], NODE20_V8)).toBeUndefined();
    expect(shortRunFlags('validate', {}, [], '12.4.254.21-node.33')).toBeUndefined();
    expect(shortRunFlags('validate', {}, ['--interrupt-budget=1000'], NODE20_V8)).toBeUndefined();
    expect(
      shortRunFlags('validate', { NODE_OPTIONS: '--interrupt_budget=1000' }, [], NODE20_V8),
    ).toBeUndefined();
    expect(shortRunFlags('validate', { NODE_OPTIONS: '--max-old-space-size=100' }, [], NODE20_V8)).toBe(
      '--interrupt-budget=1081344',
    );
  });

  it('keys the code cache by the flags', () => {
    expect(compileCacheFile('/c', 'a', 'validate', {}, '--interrupt-budget=1081344')).not.toBe(
      compileCacheFile('/c', 'a', 'validate', {}),
    );
  });
});

describe("the code cache under the launcher's flags", () => {
  const root = mkdtempSync(join(tmpdir(), 'kro-gen-v8-tiering-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const src = resolve('src/cli');
  const bundle = join(root, 'bundle.cjs');
  writeFileSync(
    bundle,
    'function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\nmodule.exports = work(100000);\n',
  );
  // What the launcher and a long synth do: flags before the bundle compiles, V8's default budget back
  // during the run (longRun), the cache written at the end.
  const script = join(root, 'run.mts');
  writeFileSync(
    script,
    `import { loadCompiled } from ${JSON.stringify(join(src, 'compile-cache.ts'))};
import { longRun, setLaunchFlags } from ${JSON.stringify(join(src, 'v8-tiering.ts'))};
setLaunchFlags('--interrupt-budget=${16 * 66 * 1024}');
const compiled = loadCompiled(${JSON.stringify(bundle)}, ${JSON.stringify(join(root, 'cache.bin'))});
longRun();
compiled.save();
process.stdout.write(compiled.state + ' ' + String(compiled.exports));
`,
  );
  const run = () => spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' }).stdout;

  it('is used by the next run after a command gave V8 its default budget back', () => {
    expect(run()).toBe('absent 299995');
    // V8 rejects a cache made under other flags: written under the default budget, it would be.
    expect(run()).toBe('used 299995');
  }, 60_000);
});

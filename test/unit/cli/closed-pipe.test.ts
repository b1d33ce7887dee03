import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `kro-gen synth ... | head`: the reader closes the pipe after the first bytes. The process must end quietly
// (no EPIPE stack trace on stderr, status 0), however much it still had to write.
const root = mkdtempSync(join(tmpdir(), 'kro-gen-pipe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a closed standard output', () => {
  it('ends synth quietly when the reader stops early', async () => {
    const instance = readFileSync('examples/worker-pool/instances/pool.1.yaml', 'utf8');
    // Enough instances that the output is far larger than a pipe's buffer (64 KiB).
    for (let i = 0; i < 200; i++) {
      writeFileSync(join(root, `p${i}.yaml`), instance.replace(/^ {2}name: .*$/m, `  name: p${i}`));
    }
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'synth', 'examples/worker-pool/rgd.yaml', '--instance', root],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let seen = 0;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      seen += d.length;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(seen).toBeGreaterThan(0);
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 120_000);
});

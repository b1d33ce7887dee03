import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI ends the process as soon as a command is done (process-main.ts), but never before its
// output has left: a reader that takes a pipe's output late still gets all of it.
const root = mkdtempSync(join(tmpdir(), 'kro-gen-exit-'));
const instances = join(root, 'instances');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = ['--import', 'tsx', 'src/cli/main.ts'];

function runTo(
  stdout: 'pipe' | number,
  args: readonly string[],
  pauseMs = 0,
): Promise<{ code: number | null; out: Buffer }> {
  const child = spawn(process.execPath, [...cli, ...args], { stdio: ['ignore', stdout, 'inherit'] });
  const chunks: Buffer[] = [];
  if (child.stdout) {
    child.stdout.pause();
    setTimeout(() => {
      child.stdout?.on('data', (d: Buffer) => chunks.push(d));
      child.stdout?.resume();
    }, pauseMs);
  }
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks) })));
}

describe('the end of a kro-gen process', () => {
  it('waits for a slow reader to take all of standard output', async () => {
    const instance = readFileSync('examples/worker-pool/instances/pool.1.yaml', 'utf8');
    // Far more output than a pipe holds (64 KiB), so most of it waits in the stream at the end.
    mkdirSync(instances);
    for (let i = 0; i < 200; i++) {
      writeFileSync(join(instances, `p${i}.yaml`), instance.replace(/^ {2}name: .*$/m, `  name: p${i}`));
    }
    const args = ['synth', 'examples/worker-pool/rgd.yaml', '--instance', instances];
    const file = join(root, 'expected.yaml');
    const fd = openSync(file, 'w');
    const toFile = await runTo(fd, args);
    closeSync(fd);
    expect(toFile.code).toBe(0);
    const expected = readFileSync(file);
    expect(expected.length).toBeGreaterThan(256 * 1024);

    const piped = await runTo('pipe', args, 1500);
    expect(piped.code).toBe(0);
    expect(piped.out.length).toBe(expected.length);
    expect(piped.out.equals(expected)).toBe(true);
  }, 120_000);
});

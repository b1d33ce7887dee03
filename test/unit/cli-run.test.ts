import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (s: string) => out.push(s),
    stderr: (s: string) => err.push(s),
    cwd: process.cwd(),
    env: {},
  };
  return { io, out, err };
}

describe('kro-gen dispatch', () => {
  it('prints usage on --help and exits 0', async () => {
    const { io, out } = capture();
    expect(await run(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('Usage: kro-gen <command>');
  });
  it('rejects an unknown command with exit 2', async () => {
    const { io, err } = capture();
    expect(await run(['nope'], io)).toBe(2);
    expect(err.join('')).toContain("unknown command 'nope'");
  });
});

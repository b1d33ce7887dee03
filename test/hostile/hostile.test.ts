// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${dir} is the case format's placeholder
// Runs every case of test/hostile/cases (format: test/hostile/README.md) through the CLI in-process.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';

interface Case {
  readonly why: string;
  readonly run: string[];
  readonly exit: number;
  readonly first?: string;
  readonly firstContains?: string;
  readonly files?: Record<string, string>;
  readonly stdin?: string | { repeat: string; bytes: number };
  readonly fifo?: string[];
  readonly stdout?: string;
  readonly stdoutContains?: string[];
  readonly stdoutMatches?: string[];
  readonly stdoutBytesAtMost?: number;
  readonly tree?: string[];
}

const ROOT = fileURLToPath(new URL('./cases/', import.meta.url));
// `undefined` as a printed value; CEL's own "undefined field 'x'" is a proper message.
const FORBIDDEN = [/Maximum call stack/, /internal error/, /\bundefined\b(?! field)/, /\[object Object\]/];
const POSITIONED = /^[^\s:][^:]*:\d+:\d+: (error|warning|info): /;

/** Every case: `<name>.case.yaml` files and `<name>/case.yaml` folders, by path. */
function findCases(dir: string): { name: string; file: string; folder?: string }[] {
  const out: { name: string; file: string; folder?: string }[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      const caseFile = join(path, 'case.yaml');
      try {
        statSync(caseFile);
        out.push({ name: relative(ROOT, path), file: caseFile, folder: path });
      } catch {
        out.push(...findCases(path));
      }
    } else if (entry.endsWith('.case.yaml')) {
      out.push({ name: relative(ROOT, path).replace(/\.case\.yaml$/, ''), file: path });
    }
  }
  return out;
}

function tree(dir: string, base = dir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const rel = relative(base, path);
      const info = statSync(path, { throwIfNoEntry: false });
      if (info?.isDirectory()) return [`${rel}/`, ...tree(path, base)];
      return [rel];
    });
}

function stdinOf(c: Case, dir: string): (() => AsyncIterable<Uint8Array | string>) | undefined {
  const spec = c.stdin;
  if (spec === undefined) return undefined;
  if (typeof spec === 'string') {
    const text = readFileSync(join(dir, spec));
    return async function* () {
      yield text;
    };
  }
  return async function* () {
    const chunk = Buffer.from(spec.repeat.repeat(Math.max(1, Math.ceil(65536 / spec.repeat.length))));
    for (let sent = 0; sent < spec.bytes; sent += chunk.length) {
      yield chunk.subarray(0, Math.min(chunk.length, spec.bytes - sent));
    }
  };
}

const cases = findCases(ROOT);

describe('hostile inputs', () => {
  it('the corpus holds at least 300 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  for (const { name, file, folder } of cases) {
    it(name, async () => {
      const c = parse(readFileSync(file, 'utf8')) as Case;
      expect(c.why, 'every case says why').toBeTruthy();
      const dir = mkdtempSync(join(tmpdir(), 'kro-gen-hostile-'));
      try {
        if (folder) {
          cpSync(folder, dir, { recursive: true });
          rmSync(join(dir, 'case.yaml'));
        }
        for (const [path, text] of Object.entries(c.files ?? {})) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), text);
        }
        for (const fifo of c.fifo ?? []) execFileSync('mkfifo', [join(dir, fifo)]);
        const r = await runCli(dir, c.run, {}, stdinOf(c, dir));
        const sub = (s: string) => s.split('${dir}').join(dir);
        const output = `${r.err}${r.out}`;
        for (const bad of FORBIDDEN) expect(output, `output matches ${bad}`).not.toMatch(bad);
        const lines = r.err.split('\n');
        lines.forEach((line, i) => {
          if (POSITIONED.test(line) && i + 1 < lines.length && lines[i + 1] !== '') {
            expect(POSITIONED.test(lines[i + 1] as string) || !/^\s/.test(lines[i + 1] as string)).toBe(true);
          }
        });
        // validate reports on stdout (its summary goes to stderr); every other command on stderr.
        const first = (c.run[0] === 'validate' ? r.out : r.err).split('\n')[0];
        expect({ exit: r.code, ...(c.first !== undefined ? { first } : {}) }).toEqual({
          exit: c.exit,
          ...(c.first !== undefined ? { first: sub(c.first) } : {}),
        });
        if (c.firstContains !== undefined) expect(first).toContain(sub(c.firstContains));
        if (c.stdout !== undefined) expect(r.out).toBe(sub(c.stdout));
        for (const s of c.stdoutContains ?? []) expect(r.out).toContain(sub(s));
        for (const s of c.stdoutMatches ?? []) expect(r.out).toMatch(new RegExp(s, 'm'));
        if (c.stdoutBytesAtMost !== undefined)
          expect(Buffer.byteLength(r.out), 'stdout bytes').toBeLessThanOrEqual(c.stdoutBytesAtMost);
        if (c.tree !== undefined) expect(tree(dir)).toEqual(c.tree.map(sub));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

// The CEL oracle: kro v0.9.3's own CEL environment in a small Go program (oracle/main.go),
// built on demand into the git-ignored test/fuzz/cel/.cache (stamped by go.mod, go.sum, its
// sources and the Go version, like the e2e binaries) and driven as one long-running process
// over a pipe: a batch of case lines, an empty line, and as many result lines back.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureGoBinary, goEnv } from '../../e2e/cluster/build.js';
import type { Typed } from './values.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ORACLE_MODULE = join(HERE, 'oracle');
export const ORACLE_CACHE = join(HERE, '.cache');
const BINARY = join(ORACLE_CACHE, 'cel-oracle');
const FUNCTIONS = join(ORACLE_CACHE, 'functions.json');

/** One case: an expression, dyn variables, optionally a SimpleSchema and the instance for `schema`. */
export interface Case {
  readonly id: string;
  readonly expr: string;
  readonly vars?: Readonly<Record<string, Typed>>;
  readonly schema?: Readonly<Record<string, unknown>>;
  readonly instance?: Readonly<Record<string, unknown>>;
}

/** A value with its CEL type, or an error class (`compile`, `no_such_overload`, ...) and message. */
export interface Result {
  readonly id?: string;
  readonly value?: Typed;
  readonly error?: string;
  readonly message?: string;
}

/** One overload of kro's environment, as `cel-oracle --functions` lists it. */
export interface Overload {
  readonly name: string;
  readonly id: string;
  readonly member: boolean;
  readonly args: readonly string[];
  readonly result: string;
  readonly typeParams?: readonly string[];
}

export interface OracleBuild {
  readonly binary: string;
  readonly rebuilt: boolean;
  readonly seconds: number;
}

/** Builds the oracle unless the cached binary is current. */
export async function ensureOracle(log: (line: string) => void = () => {}): Promise<OracleBuild> {
  const goVersion = await goEnv('GOVERSION', ORACLE_MODULE);
  const report = await ensureGoBinary(
    { name: 'cel-oracle', moduleDir: ORACLE_MODULE, pkg: '.', sourceDir: '.', ldflags: '-s -w' },
    ORACLE_CACHE,
    goVersion,
    { log },
  );
  if (report.rebuilt || !existsSync(FUNCTIONS)) {
    const { stdout } = await promisify(execFile)(BINARY, ['--functions'], { maxBuffer: 1 << 24 });
    writeFileSync(
      FUNCTIONS,
      JSON.stringify(
        stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ),
    );
  }
  return { binary: BINARY, rebuilt: report.rebuilt, seconds: report.seconds };
}

/** kro's function overloads (after ensureOracle). */
export function kroOverloads(): Overload[] {
  return JSON.parse(readFileSync(FUNCTIONS, 'utf8')) as Overload[];
}

const TIMEOUT_MS = 30_000;

/** A running oracle process. */
export class Oracle {
  readonly #child;
  readonly #lines: AsyncIterator<string>;
  #stderr = '';

  constructor(binary: string = BINARY) {
    this.#child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (d: Buffer) => {
      this.#stderr += d.toString();
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** Evaluates a batch of cases; results come back in order. */
  async evaluate(cases: readonly Case[]): Promise<Result[]> {
    if (cases.length === 0) return [];
    this.#child.stdin.write(`${cases.map((c) => JSON.stringify(c)).join('\n')}\n\n`);
    const out: Result[] = [];
    for (const c of cases) {
      const next = await this.#nextLine(c.id);
      if (next.done) throw new Error(`cel-oracle stopped: ${this.#stderr.trim()}`);
      const r = JSON.parse(next.value) as Result;
      if (r.id !== c.id) throw new Error(`cel-oracle answered ${r.id} for ${c.id}`);
      out.push(r);
    }
    return out;
  }

  // The next result line; a case that hangs or exhausts memory stops the oracle with an error.
  async #nextLine(id: string): Promise<IteratorResult<string>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.#child.kill();
        reject(new Error(`cel-oracle took over ${TIMEOUT_MS / 1000}s on case ${id}`));
      }, TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.#lines.next(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const done = new Promise<void>((resolve) => this.#child.once('close', () => resolve()));
    this.#child.stdin.end();
    await done;
  }
}

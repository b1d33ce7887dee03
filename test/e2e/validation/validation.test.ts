/**
 * Validation differential (issue 18, "Keep it equal"): every RGD of the corpus
 * (corpus.ts) is applied to the local kro and given to `kro-gen validate`; kro's
 * verdict (Active, or refused with its condition message) is compared with
 * kro-gen's (exit 0, or exit 1 with its first error). See docs/e2e.md.
 *
 *   validate: N RGDs, verdict equal X/N, message equal Y/N
 *
 * A verdict difference fails unless known-verdicts.json lists it with its reason;
 * message differences are listed and counted only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import { KubeApiError, type KubeObject } from '../cluster/kube.js';
import { kroGen } from '../differential/kro-gen.js';
import { reportSummaryLine } from '../differential/summary.js';
import { CORPUS, corpusName, corpusRgd } from './corpus.js';
import { kroGenVerdict, kroVerdict, messagesEqual, type Verdict } from './verdicts.js';

interface KnownVerdict {
  name: string;
  reason: string;
}

const KNOWN: KnownVerdict[] = JSON.parse(
  readFileSync(new URL('./known-verdicts.json', import.meta.url), 'utf8'),
) as KnownVerdict[];

interface Outcome {
  name: string;
  kro: Verdict;
  kroGen: Verdict;
}

const RGD_API = { apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition' };
const rgds = CORPUS.map((c, i) => corpusRgd(i, c) as unknown as KubeObject);
const names = CORPUS.map((c, i) => corpusName(i, c));
const outcomes: Outcome[] = [];
let cluster: Cluster;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-validation-'));
  cluster = await startCluster();
});

afterAll(async () => {
  if (cluster) {
    // The RGDs, then the CRDs kro generated for the accepted ones (kro leaves them).
    await Promise.all(names.map((name) => cluster.client.delete({ ...RGD_API, name }).catch(() => {})));
    await Promise.all(
      rgds.map((rgd) => {
        const kind = String((rgd.spec as { schema: { kind: unknown } }).schema.kind).toLowerCase();
        return cluster.client
          .delete({
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            name: `${kind}s.kro.run`,
          })
          .catch(() => {});
      }),
    );
    await stopCluster();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Applies every RGD, then polls them all until each has a verdict (or the time is up). */
async function kroVerdicts(timeoutMs: number): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  await Promise.all(
    rgds.map(async (rgd, i) => {
      try {
        await cluster.client.apply(rgd);
      } catch (err) {
        // The API server's own validation of the RGD (kro's CRD schema and CEL rules).
        if (!(err instanceof KubeApiError)) throw err;
        verdicts.set(names[i] ?? '', { accepted: false, message: err.message });
      }
    }),
  );
  const deadline = Date.now() + timeoutMs;
  while (verdicts.size < rgds.length && Date.now() < deadline) {
    const listed = await cluster.client.list(RGD_API.apiVersion, RGD_API.kind);
    for (const rgd of listed) {
      const name = rgd.metadata.name;
      if (!name?.startsWith('val-') || verdicts.has(name)) continue;
      const verdict = kroVerdict(rgd);
      if (verdict) verdicts.set(name, verdict);
    }
    if (verdicts.size < rgds.length) await new Promise((r) => setTimeout(r, 1000));
  }
  return verdicts;
}

describe('kro-gen validate against the real kro controller', () => {
  it('has a corpus of at least 80 RGDs with distinct names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(80);
    expect(new Set(rgds.map((r) => r.metadata.name)).size).toBe(rgds.length);
  });

  it('gives every RGD the verdict kro gives it', { timeout: 300_000 }, async () => {
    const kro = await kroVerdicts(120_000);
    for (const [i, c] of CORPUS.entries()) {
      const name = corpusName(i, c);
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, stringify(rgds[i]));
      const result = await kroGen(['validate', file]);
      const kroGenV = kroGenVerdict(result.code, result.stderr, result.stdout);
      if (result.code > 1) kroGenV.message = `exit ${result.code}: ${result.stderr}`;
      outcomes.push({
        name,
        kro: kro.get(name) ?? { accepted: false, message: 'no verdict from kro in time' },
        kroGen: kroGenV,
      });
    }

    const verdictDiffs = outcomes.filter((o) => o.kro.accepted !== o.kroGen.accepted);
    const messageDiffs = outcomes.filter((o) => !messagesEqual(o.kro, o.kroGen));
    const describeVerdict = (v: Verdict): string => (v.accepted ? 'accepted' : `refused: ${v.message}`);
    for (const o of verdictDiffs) {
      console.log(
        `verdict ${o.name}\n  kro:     ${describeVerdict(o.kro)}\n  kro-gen: ${describeVerdict(o.kroGen)}`,
      );
    }
    for (const o of messageDiffs.filter((m) => !verdictDiffs.includes(m))) {
      console.log(`message ${o.name}\n  kro:     ${o.kro.message}\n  kro-gen: ${o.kroGen.message}`);
    }
    const n = outcomes.length;
    reportSummaryLine(
      `validate: ${n} RGDs, verdict equal ${n - verdictDiffs.length}/${n}, ` +
        `message equal ${n - messageDiffs.length}/${n}`,
    );

    const known = new Set(KNOWN.map((k) => k.name));
    expect(
      verdictDiffs.filter((o) => !known.has(o.name)).map((o) => o.name),
      'verdict differences known-verdicts.json does not explain',
    ).toEqual([]);
    expect(
      KNOWN.filter((k) => !verdictDiffs.some((o) => o.name === k.name)).map((k) => k.name),
      'known-verdicts.json entries that no longer differ: remove them',
    ).toEqual([]);
  });
});

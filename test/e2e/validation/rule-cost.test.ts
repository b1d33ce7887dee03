/**
 * Rule cost differential (issue 12, item 7): the CRD kro-gen builds from each row of
 * rule-cost-table.ts is created (dry run) on the real kube-apiserver, whose cost errors must equal
 * kro-gen's (`kro-gen validate`) and the table's expected values.
 *
 *   rule cost: N rules, verdict equal X/N, factors equal Y/N
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildCrd } from '../../../src/schema/crd.js';
import { kroGenCostVerdict } from '../../helpers/rule-cost.js';
import { rgdFromYaml } from '../../unit/schema/fixtures.js';
import { type Cluster, startCluster, stopCluster } from '../cluster/cluster.js';
import { KubeApiError, type KubeObject } from '../cluster/kube.js';
import { reportSummaryLine } from '../differential/summary.js';
import { costVerdict, RULE_COST_CASES, ruleCostRgd } from './rule-cost-table.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  if (cluster) await stopCluster();
});

/** The API server's cost verdict on the CRD of a row (created as a dry run). */
async function serverVerdict(rgd: Record<string, unknown>): Promise<string[]> {
  const { crd, diagnostics } = buildCrd(rgdFromYaml(stringify(rgd)));
  if (diagnostics.length > 0) return [`other: kro-gen could not build the CRD: ${diagnostics[0]?.message}`];
  try {
    await cluster.client.create(crd as unknown as KubeObject, { dryRun: true });
    return [];
  } catch (err) {
    if (!(err instanceof KubeApiError)) throw err;
    const causes = (err.body as { details?: { causes?: { message?: string }[] } } | undefined)?.details
      ?.causes;
    return costVerdict((causes ?? [{ message: err.message }]).map((c) => c.message ?? ''));
  }
}

describe('rule cost estimate against the real API server', () => {
  it('gives every row the verdict and factors the API server gives', { timeout: 300_000 }, async () => {
    const rows: { name: string; server: string[]; kroGen: string[]; expected: string[] }[] = [];
    for (const c of RULE_COST_CASES) {
      const server = await serverVerdict(ruleCostRgd(c));
      const kroGen = await kroGenCostVerdict(c);
      rows.push({ name: c.name, server, kroGen, expected: [...c.expected].sort() });
    }
    const n = rows.length;
    const refused = (v: string[]): boolean => v.length > 0;
    const verdictEqual = rows.filter((r) => refused(r.server) === refused(r.kroGen)).length;
    const factorsEqual = rows.filter((r) => JSON.stringify(r.server) === JSON.stringify(r.kroGen)).length;
    for (const r of rows) {
      if (JSON.stringify(r.server) !== JSON.stringify(r.kroGen)) {
        console.log(`${r.name}: API server ${JSON.stringify(r.server)}, kro-gen ${JSON.stringify(r.kroGen)}`);
      }
    }
    reportSummaryLine(
      `rule cost: ${n} rules, verdict equal ${verdictEqual}/${n}, factors equal ${factorsEqual}/${n}`,
    );
    expect(rows.map((r) => [r.name, r.server])).toEqual(rows.map((r) => [r.name, r.expected]));
    expect(rows.map((r) => [r.name, r.kroGen])).toEqual(rows.map((r) => [r.name, r.server]));
  });
});

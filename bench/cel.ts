// Parse + evaluate throughput of representative kro expressions: kro-gen's environment against
// @bufbuild/cel (with its strings extension) in the same process. Each operation starts from
// the expression text, as rendering an RGD does; both environments are created once.
// Expressions @bufbuild/cel cannot parse (`.?` optionals) are left out of the comparison.
import { celEnv, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { createKroEnvironment } from '../src/cel/environment.js';

export const EXPRESSIONS = [
  'schema.spec.name + "-svc"',
  'schema.metadata.name + "-" + string(schema.spec.replicas)',
  'has(schema.spec.ingress) ? schema.spec.ingress.host : "none"',
  'schema.spec.items.map(i, i.name)',
  'schema.spec.items.filter(i, i.port > 100).map(i, i.name)',
  'size(schema.spec.items) > 0 && schema.spec.items.all(i, i.port > 0)',
  'schema.spec.csv.split(",")',
  'schema.spec.Name.lowerAscii()',
  'int(schema.spec.replicas) * 2',
  '"%s-%d".format([schema.spec.name, schema.spec.replicas])',
  'schema.spec.labels["app"] == "web" ? schema.spec.replicas : 1',
];

export const VARS = {
  schema: {
    metadata: { name: 'my-app', namespace: 'default' },
    spec: {
      name: 'web',
      Name: 'WeB',
      replicas: 3n,
      csv: 'a,b,c',
      items: [
        { name: 'a', port: 80n },
        { name: 'b', port: 443n },
      ],
      labels: { app: 'web', tier: 'fe' },
    },
  },
};

const WARMUP_MS = 100;
const MEASURE_MS = 250;

function opsPerSecond(fn: () => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * CPU time (µs) per operation of `evaluate` over EXPRESSIONS, `count` operations each after a
 * warm-up of 3,000 each (fewer leave the optimising compiler's work in the figure): CPU time,
 * as the machine is shared (wall time counts the neighbours' work too).
 */
export function cpuPerOperation(evaluate: (expr: string) => unknown, count: number): number {
  for (const e of EXPRESSIONS) for (let i = 0; i < 3000; i++) evaluate(e);
  const start = process.cpuUsage();
  for (const e of EXPRESSIONS) for (let i = 0; i < count; i++) evaluate(e);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (count * EXPRESSIONS.length);
}

function geomean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

function format(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

export async function run(): Promise<string[]> {
  const ours = createKroEnvironment().declare('schema', 'dyn');
  const theirs = celEnv({ funcs: strings });
  const oursOps: number[] = [];
  const theirsOps: number[] = [];
  for (const expr of EXPRESSIONS) {
    const a = () => ours.evaluate(expr, VARS);
    const b = () => plan(theirs, parse(expr))(VARS as never);
    opsPerSecond(a, WARMUP_MS);
    opsPerSecond(b, WARMUP_MS);
    oursOps.push(opsPerSecond(a, MEASURE_MS));
    theirsOps.push(opsPerSecond(b, MEASURE_MS));
  }
  const o = geomean(oursOps);
  const t = geomean(theirsOps);
  const cpu = cpuPerOperation((e) => ours.evaluate(e, VARS), 5000);
  return [
    `bench cel: ${format(o)} ops/s vs ${format(t)} ops/s, ${(o / t).toFixed(1)}x faster than @bufbuild/cel (parse+evaluate, geometric mean of ${EXPRESSIONS.length} kro expressions); ours ${cpu.toFixed(2)} µs CPU per operation`,
  ];
}

// `kro-gen krm`: kro-gen as a KRM function (the kpt / kustomize function specification): a
// ResourceList on stdin, the rendered ResourceList on stdout. RGDs and their instances among the
// items are replaced by what `kro-gen synth` renders for them; CRDs are read as `--crd` and kept;
// every other item passes through untouched. Problems become `results` (and exit status 1), as
// function runners expect, with the item they concern.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { JsonObject, JsonValue } from '../../rgd/model.js';
import { defineCommand } from '../command.js';
import { readCapped } from '../inputs.js';
import { EXIT_INVALID, EXIT_OK, type Io } from '../io.js';
import { SUMMARIES } from './summaries.js';
import { synthCommand } from './synth.js';

const MAX_INPUT = 64 << 20;
const RESOURCE_LIST = 'config.kubernetes.io/v1';
// What function runners add to items to track them; meaningless to kro-gen and never rendered.
const RUNNER_ANNOTATIONS =
  /^(?:internal\.config\.kubernetes\.io\/|config\.kubernetes\.io\/(?:index|path|id)$)/;
const PATH_ANNOTATIONS = ['internal.config.kubernetes.io/path', 'config.kubernetes.io/path'];

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Result {
  message: string;
  severity: 'error' | 'warning' | 'info';
  resourceRef?: JsonObject;
  file?: JsonObject;
}

/** The settings the functionConfig gives: `spec` of a custom kind, or `data` of a ConfigMap. */
function settingsOf(config: JsonValue | undefined): { args: string[]; problems: string[] } {
  const problems: string[] = [];
  if (!isMap(config)) return { args: [], problems };
  const source = config.kind === 'ConfigMap' ? config.data : config.spec;
  if (source === undefined) return { args: [], problems };
  if (!isMap(source))
    return { args: [], problems: ['functionConfig: spec (or a ConfigMap data) must be a map'] };
  const args: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    if (!['mode', 'annotations', 'namespace', 'expandChained'].includes(key)) {
      problems.push(
        `functionConfig: unknown setting ${key} (known: mode, annotations, namespace, expandChained)`,
      );
    } else if (key === 'expandChained') {
      if (value === false || value === 'false') args.push('--no-expand-chained');
    } else if (typeof value !== 'string') {
      problems.push(`functionConfig: ${key} must be a string`);
    } else {
      args.push(`--${key}`, value);
    }
  }
  return { args, problems };
}

function withoutRunnerAnnotations(item: JsonObject): JsonObject {
  const meta = isMap(item.metadata) ? item.metadata : undefined;
  if (!meta || !isMap(meta.annotations)) return item;
  const kept = Object.fromEntries(
    Object.entries(meta.annotations).filter(([k]) => !RUNNER_ANNOTATIONS.test(k)),
  );
  const { annotations: _dropped, ...rest } = meta;
  return { ...item, metadata: Object.keys(kept).length > 0 ? { ...rest, annotations: kept } : rest };
}

function refOf(item: JsonObject): JsonObject {
  const meta = isMap(item.metadata) ? item.metadata : {};
  return {
    apiVersion: item.apiVersion ?? '',
    kind: item.kind ?? '',
    name: meta.name ?? '',
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
  };
}

function pathOf(item: JsonObject): string | undefined {
  const meta = isMap(item.metadata) ? item.metadata : {};
  const annotations = isMap(meta.annotations) ? meta.annotations : {};
  for (const key of PATH_ANNOTATIONS) {
    const v = annotations[key];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** The key an instance's RGD is found by: `<group>/<version>\0<kind>`. */
function instanceKindOf(rgd: JsonObject): string | undefined {
  const spec = isMap(rgd.spec) ? rgd.spec : {};
  const schema = isMap(spec.schema) ? spec.schema : {};
  if (typeof schema.kind !== 'string' || typeof schema.apiVersion !== 'string') return undefined;
  const group = typeof schema.group === 'string' && schema.group !== '' ? schema.group : 'kro.run';
  return `${group}/${schema.apiVersion}\u0000${schema.kind}`;
}

function output(io: Io, list: JsonObject, failed: boolean): number {
  io.stdout(stringify(list, { lineWidth: 0 }));
  return failed ? EXIT_INVALID : EXIT_OK;
}

export const krmCommand = defineCommand({
  name: 'krm',
  summary: SUMMARIES.krm,
  args: '',
  maxPositionals: 0,
  description: [
    'Run as a KRM function (kpt, kustomize exec functions): read a ResourceList from stdin, write the',
    'rendered ResourceList to stdout. RGDs and their instances among the items are replaced by what',
    '`kro-gen synth` renders for them; CRDs are read as `--crd` and kept; other items pass through.',
    "The functionConfig's `spec` (or a ConfigMap's `data`) sets mode (expanded | bundle),",
    'annotations, namespace and expandChained ("false" = --no-expand-chained). Problems are',
    'returned as `results` with the item they concern, and the exit status is 1.',
  ].join('\n'),
  options: {},
  async run({ io }) {
    const fail = (results: Result[], items: JsonValue[] = []) =>
      output(
        io,
        { apiVersion: RESOURCE_LIST, kind: 'ResourceList', items, results: results as unknown as JsonValue },
        true,
      );
    if (!io.stdin) return fail([{ message: 'no ResourceList on stdin', severity: 'error' }]);
    const read = await readCapped(io.stdin(), MAX_INPUT);
    if (!('text' in read))
      return fail([{ message: `input larger than ${MAX_INPUT} bytes`, severity: 'error' }]);
    let list: JsonValue;
    try {
      list = parse(read.text, { version: '1.1' }) as JsonValue;
    } catch (e) {
      return fail([
        { message: `stdin is not YAML: ${(e as Error).message.split('\n')[0]}`, severity: 'error' },
      ]);
    }
    if (!isMap(list) || list.kind !== 'ResourceList' || !Array.isArray(list.items ?? [])) {
      return fail([
        { message: 'stdin must be a ResourceList (kind: ResourceList, items: [...])', severity: 'error' },
      ]);
    }
    const items = ((list.items ?? []) as JsonValue[]).filter(isMap);
    const settings = settingsOf(list.functionConfig);
    if (settings.problems.length > 0) {
      return fail(
        settings.problems.map((message) => ({ message, severity: 'error' })),
        items,
      );
    }
    const rgdKinds = new Set(
      items
        .filter((i) => i.kind === 'ResourceGraphDefinition')
        .map(instanceKindOf)
        .filter((k) => k !== undefined),
    );
    const role = (i: JsonObject): 'rgd' | 'crd' | 'instance' | 'other' => {
      if (i.apiVersion === 'kro.run/v1alpha1' && i.kind === 'ResourceGraphDefinition') return 'rgd';
      if (i.apiVersion === 'apiextensions.k8s.io/v1' && i.kind === 'CustomResourceDefinition') return 'crd';
      return rgdKinds.has(`${String(i.apiVersion)}\u0000${String(i.kind)}`) ? 'instance' : 'other';
    };
    const roles = items.map(role);
    const passThrough = items.filter((_, n) => roles[n] === 'other' || roles[n] === 'crd');
    if (!roles.includes('rgd')) return output(io, { ...list, items: passThrough }, false);

    const dir = await mkdtemp(join(tmpdir(), 'kro-gen-krm-'));
    try {
      const args: string[] = [];
      const byFile = new Map<string, JsonObject>();
      for (const [n, item] of items.entries()) {
        const r = roles[n];
        if (r === 'other') continue;
        const file = `item-${n}.yaml`;
        byFile.set(file, item);
        await writeFile(join(dir, file), stringify(withoutRunnerAnnotations(item)));
        if (r === 'rgd') args.push(file);
        else args.push(r === 'crd' ? '--crd' : '--instance', file);
      }
      if (!roles.includes('instance') && !settings.args.includes('bundle')) {
        // Expanded output of RGDs without instances is nothing: the RGDs are consumed.
        return output(io, { ...list, items: passThrough }, false);
      }
      let out = '';
      let err = '';
      const code = await synthCommand.run(['synth', ...args, ...settings.args].slice(1), {
        ...io,
        cwd: dir,
        stdout: (s) => {
          out += s;
        },
        stderr: (s) => {
          err += s;
        },
      });
      const results: Result[] = [];
      for (const line of err.split('\n')) {
        const m = /^(?:(item-\d+\.yaml):\d+:\d+: )?(error|warning): (.*)$/.exec(line);
        if (!m) continue;
        const item = m[1] ? byFile.get(m[1]) : undefined;
        const path = item ? pathOf(item) : undefined;
        results.push({
          message: m[3] ?? line,
          severity: m[2] === 'warning' ? 'warning' : 'error',
          ...(item ? { resourceRef: refOf(item) } : {}),
          ...(path ? { file: { path } } : {}),
        });
      }
      if (code !== EXIT_OK) {
        if (results.length === 0)
          results.push({ message: err.trim() || `synth failed (${code})`, severity: 'error' });
        return fail(results, items);
      }
      const rendered = parseAllDocuments(out, { version: '1.1' }).map((d) => d.toJS() as JsonValue);
      return output(
        io,
        {
          ...list,
          items: [...passThrough, ...rendered],
          ...(results.length > 0 ? { results: results as unknown as JsonValue } : {}),
        },
        false,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

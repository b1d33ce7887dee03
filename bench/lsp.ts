// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject measured
// `kro-gen lsp` as an editor sees it: the real server over stdio (test/lsp/client.ts), a 300-line
// RGD open, and the time from sending an edit to receiving its diagnostics (the debounce
// included), and from asking for completion right after typing `${...spec.` to the answer.
// Targets: diagnostics within 100 ms of an edit, completion within 50 ms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toLspDiagnostics } from '../src/lsp/diagnostics.js';
import { Workspace } from '../src/lsp/workspace.js';
import { LspClient, uriOf } from '../test/lsp/client.js';

const EDITS = 40;
const WARMUP = 10;

/** A 300-line RGD: a schema of 30 fields, then Deployment + Service + ConfigMap triples reading it and each other. */
export function rgd300(): string {
  const lines = [
    'apiVersion: kro.run/v1alpha1',
    'kind: ResourceGraphDefinition',
    'metadata:',
    '  name: bench-app',
    'spec:',
    '  schema:',
    '    apiVersion: v1alpha1',
    '    kind: BenchApp',
    '    spec:',
    '      name: string | description="Base name of everything"',
    '      image: string | default="nginx:1.27"',
    '      replicas: integer | default=2 minimum=0',
    '      port: integer | default=8080',
    '      tier: string | default="web" enum="web,worker,batch"',
    '      labels: map[string]string | default={}',
    '      env: map[string]string | default={}',
    '      debug: boolean | default=false',
  ];
  for (let i = 0; i < 22; i++) lines.push(`      flag${i}: string | default="f${i}"`);
  lines.push('    status:', '      ready: ${app0.status.availableReplicas}', '  resources:');
  for (let i = 0; i < 6; i++) {
    lines.push(
      `    - id: app${i}`,
      '      readyWhen:',
      `        - \${app${i}.status.availableReplicas == app${i}.spec.replicas}`,
      '      template:',
      '        apiVersion: apps/v1',
      '        kind: Deployment',
      '        metadata:',
      `          name: \${schema.spec.name}-app${i}`,
      '          labels: ${schema.spec.labels}',
      '        spec:',
      '          replicas: ${schema.spec.replicas}',
      '          selector:',
      '            matchLabels:',
      `              app: \${schema.spec.name}-app${i}`,
      '          template:',
      '            metadata:',
      '              labels:',
      `                app: \${schema.spec.name}-app${i}`,
      '            spec:',
      '              containers:',
      '                - name: main',
      '                  image: ${schema.spec.image}',
      '                  ports:',
      '                    - containerPort: ${schema.spec.port}',
      `    - id: svc${i}`,
      '      template:',
      '        apiVersion: v1',
      '        kind: Service',
      '        metadata:',
      `          name: \${schema.spec.name}-svc${i}`,
      '        spec:',
      `          selector: \${app${i}.spec.selector.matchLabels}`,
      '          ports:',
      '            - port: ${schema.spec.port}',
      `    - id: cfg${i}`,
      '      template:',
      '        apiVersion: v1',
      '        kind: ConfigMap',
      '        metadata:',
      `          name: \${schema.spec.name}-cfg${i}`,
      '        data:',
      `          service: \${svc${i}.metadata.name}`,
      `          tier: \${schema.spec.tier}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** CPU time of one analysis (diagnostics of an edited file) in this process, p50 of EDITS after WARMUP. */
function analysisCpu(text: string): number {
  const ws = new Workspace();
  const times: number[] = [];
  for (let i = 0; i < WARMUP + EDITS; i++) {
    const start = process.cpuUsage();
    ws.setFile('/bench/app.yaml', text.replace('default=2', `default=${i % 10}`));
    const a = ws.analyze('/bench/app.yaml');
    if (!a || toLspDiagnostics(a).length > 0) throw new Error('the bench RGD has diagnostics');
    const used = process.cpuUsage(start);
    if (i >= WARMUP) times.push((used.user + used.system) / 1000);
  }
  return percentile(times, 50);
}

const percentile = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

export async function run(): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'kro-gen-bench-lsp-'));
  const path = join(root, 'app.yaml');
  const text = rgd300();
  const lineCount = text.split('\n').length - 1;
  writeFileSync(path, text);
  const uri = uriOf(path);
  const client = new LspClient(root);
  try {
    await client.start(root);
    let version = 1;
    const opened = client.waitFor<{ uri: string; diagnostics: unknown[] }>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri,
    );
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    if ((await opened).diagnostics.length !== 0) throw new Error('the bench RGD has diagnostics');
    const lines = text.split('\n');
    const replicasLine = lines.findIndex((l) => l.startsWith('      replicas: integer'));
    const imageLine = lines.findIndex((l) => l.includes('image: ${schema.spec.image}'));

    // Typing: the default of replicas goes 2, 3, 4, ... (one character each), each edit's diagnostics
    // awaited; the first WARMUP edits let the JIT settle and are not counted.
    const diagnostics: number[] = [];
    const col = (lines[replicasLine] as string).indexOf('default=') + 'default='.length;
    for (let i = 0; i < WARMUP + EDITS; i++) {
      const v = ++version;
      const got = client.waitFor<{ version?: number; diagnostics: unknown[] }>(
        'textDocument/publishDiagnostics',
        (p) => p.version === v,
      );
      const start = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [
          {
            range: {
              start: { line: replicasLine, character: col },
              end: { line: replicasLine, character: col + 1 },
            },
            text: String(i % 10),
          },
        ],
      });
      if ((await got).diagnostics.length !== 0) throw new Error('an edit made the bench RGD invalid');
      if (i >= WARMUP) diagnostics.push(performance.now() - start);
    }

    // Completion right after typing `.`: the edit and the request sent together, as editors do.
    const completion: number[] = [];
    const original = lines[imageLine] as string;
    const at = original.indexOf('${schema.spec.image}') + '${schema.spec.'.length;
    for (let i = 0; i < WARMUP + EDITS; i++) {
      const typed = original.slice(0, at);
      const start = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [
          {
            range: {
              start: { line: imageLine, character: 0 },
              end: { line: imageLine, character: original.length },
            },
            text: typed,
          },
        ],
      });
      const items = await client.request<{ label: string }[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: imageLine, character: at },
      });
      if (i >= WARMUP) completion.push(performance.now() - start);
      if (!items.some((x) => x.label === 'replicas'))
        throw new Error(`completion did not list the spec fields: ${JSON.stringify(items).slice(0, 300)}`);
      // Back to the valid text; its diagnostics are awaited so the next request does not wait for them.
      const back = ++version;
      const settled = client.waitFor<{ version?: number }>(
        'textDocument/publishDiagnostics',
        (p) => p.version === back,
      );
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: back },
        contentChanges: [
          {
            range: {
              start: { line: imageLine, character: 0 },
              end: { line: imageLine, character: typed.length },
            },
            text: original,
          },
        ],
      });
      await settled;
    }
    await client.stop();
    const cpu = analysisCpu(text);
    const f = (n: number) => n.toFixed(0);
    return [
      `bench lsp: diagnostics p50 ${f(percentile(diagnostics, 50))} ms p95 ${f(percentile(diagnostics, 95))} ms, completion p50 ${f(percentile(completion, 50))} ms p95 ${f(percentile(completion, 95))} ms (a ${lineCount}-line RGD over stdio, ${EDITS} edits each; targets 100 ms and 50 ms; one analysis takes ${f(cpu)} ms of CPU, p50 in process)`,
    ];
  } finally {
    client.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

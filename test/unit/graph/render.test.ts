// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// Pictures of resource graphs: what the view derives from a graph, DOT and Mermaid text, and the
// properties of the SVG layout (no overlaps, everything inside, deterministic, few crossings).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/graph/build.js';
import type { Graph } from '../../../src/graph/model.js';
import { renderDot } from '../../../src/graph/render/dot.js';
import { renderHtml } from '../../../src/graph/render/html.js';
import { type Box, type Layout, layoutGraph, textWidth } from '../../../src/graph/render/layout.js';
import { renderMermaid } from '../../../src/graph/render/mermaid.js';
import { renderSvg } from '../../../src/graph/render/svg.js';
import { abbreviatePath, edgeLabelLines, graphView, shorten } from '../../../src/graph/render/view.js';
import { loadRgds } from '../../../src/rgd/load.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const KRO = 'test/conformance/kro/examples/';

function graphOf(text: string, file = 'rgd.yaml'): Graph {
  const loaded = loadRgds([{ path: file, text }]);
  expect(loaded.diagnostics).toEqual([]);
  const built = buildGraph(loaded.rgds[0]!);
  expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return built.graph;
}

const example = (path: string): Graph => graphOf(readFileSync(root + path, 'utf8'), path);

const wordpress = example('examples/wordpress/rgd.yaml');
const webapp = example(`${KRO}kubernetes/webapp/rg.yaml`);
const networkStack = example(`${KRO}aws/aws-accounts-factory/01-network-stack.yaml`);

/** `n` ConfigMaps, each reading the previous one and one a third of the way back. */
function chainRgd(n: number): string {
  const resources = Array.from({ length: n }, (_, i) => {
    const reads =
      i === 0 ? [] : [...new Set([`cm${i - 1}`, `cm${Math.floor(i / 3)}`])].filter((r) => r !== `cm${i}`);
    const data = reads.map((r, k) => `          k${k}: \${${r}.metadata.name}`).join('\n');
    return `    - id: cm${i}
      template:
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: \${schema.spec.name}-${i}
${data ? `        data:\n${data}\n` : ''}`;
  });
  return `apiVersion: kro.run/v1alpha1
kind: ResourceGraphDefinition
metadata:
  name: chain
spec:
  schema:
    apiVersion: v1alpha1
    kind: Chain
    spec:
      name: string
  resources:
${resources.join('')}`;
}

describe('graph view', () => {
  it('labels each edge with the fields of the dependent that read the dependency', () => {
    const edges = graphView(wordpress).edges;
    expect(edges.find((e) => e.from === 'mysqlService' && e.to === 'mysql')?.fields).toEqual([
      'spec.serviceName',
      'spec.selector.matchLabels',
      'spec.template.metadata.labels',
    ]);
    expect(edges.find((e) => e.from === 'wordpress' && e.to === 'service')?.fields).toEqual([
      'spec.selector',
    ]);
    // One edge per dependency, none for readyWhen self-reads.
    expect(edges).toHaveLength(wordpress.resources.reduce((n, r) => n + r.dependencies.length, 0));
  });

  it('marks conditional and collection nodes, and says what a forEach reads', () => {
    const v = graphView(webapp);
    expect(v.nodes.find((n) => n.id === 'ingress')?.includeWhen).toEqual(['schema.spec.ingress.enabled']);
    const ns = graphView(networkStack);
    expect(ns.nodes.filter((n) => n.type === 'collection').map((n) => [n.id, n.forEach])).toEqual([
      ['publicSubnets', ['idx']],
      ['privateSubnets', ['idx']],
    ]);
    expect(ns.layers).toEqual(networkStack.layers);
  });

  it('abbreviates long paths from the end, and long lists with a count', () => {
    expect(abbreviatePath('spec.selector')).toBe('spec.selector');
    expect(abbreviatePath('spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.name')).toBe(
      '…env[2].valueFrom.secretKeyRef.name',
    );
    // A dot inside a quoted key is not a field boundary.
    expect(abbreviatePath('metadata.annotations["a.very.long.annotation.key/name"]', 50)).toBe(
      '…annotations["a.very.long.annotation.key/name"]',
    );
    expect(shorten('abcdefghij', 5)).toBe('ab…ij');
    expect(edgeLabelLines(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(edgeLabelLines(['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'b', '+3 more']);
  });
});

describe('DOT', () => {
  const dot = renderDot(wordpress);

  it('puts each apply layer on one rank, in order', () => {
    const ranks = [...dot.matchAll(/\{ rank=same; \/\/ layer (\d+)\n((?: {4}"[^"]+";\n)+) {2}\}/g)].map((m) =>
      [...m[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]),
    );
    expect(ranks).toEqual(wordpress.layers);
  });

  it('draws every dependency as an edge with its fields', () => {
    expect(dot).toContain(
      '"mysqlService" -> "mysql" [label="spec.serviceName\\nspec.selector.matchLabels\\nspec.template.metadata.labels"',
    );
    expect(dot.match(/ -> /g)).toHaveLength(graphView(wordpress).edges.length);
  });

  it('escapes quotes in labels and styles special nodes', () => {
    expect(dot).toContain('annotations[\\"wordp');
    expect(dot).toMatch(
      /"ingress" \[label="ingress\\nIngress\\nnetworking\.k8s\.io\/v1\\nif schema\.spec\.ingress\.enabled", style="rounded,filled", fillcolor="#fff4d6"/,
    );
    expect(renderDot(networkStack)).toMatch(/"publicSubnets" \[[^\]]*peripheries=2/);
  });
});

describe('Mermaid', () => {
  const mmd = renderMermaid(webapp);

  it('groups nodes in a subgraph per layer and links them with labels', () => {
    expect(mmd.startsWith('%% kro resource graph of webapp.kro.run')).toBe(true);
    expect(mmd).toContain(
      'flowchart LR\n  subgraph layer1 ["layer 1"]\n    direction TB\n    n_deployment["<b>deployment</b><br/>Deployment"]\n  end',
    );
    expect(mmd).toMatch(/n_deployment -->\|"[^"]+"\| n_service/);
    expect(mmd).toContain('class n_service,n_ingress conditional');
  });

  it('escapes what Mermaid would read as markup', () => {
    expect(renderMermaid(wordpress)).toContain('annotations[#quot;wordp');
    expect(renderMermaid(networkStack)).toMatch(/n_publicSubnets\[\[".*"\]\]/);
  });
});

/** Every pair of boxes apart, every box inside the picture. */
function expectTidy(layout: Layout): void {
  const boxes: (Box & { what: string })[] = [
    ...layout.nodes.map((n) => ({ ...n, what: `node ${n.node.id}` })),
    ...layout.edges.flatMap((e) =>
      e.label ? [{ ...e.label, what: `label ${e.edge.from}->${e.edge.to}` }] : [],
    ),
  ];
  for (const b of boxes) {
    expect(b.x - b.width / 2, b.what).toBeGreaterThanOrEqual(0);
    expect(b.y - b.height / 2, b.what).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width / 2, b.what).toBeLessThanOrEqual(layout.width);
    expect(b.y + b.height / 2, b.what).toBeLessThanOrEqual(layout.height);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart =
        Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
      expect(apart, `${a.what} overlaps ${b.what}`).toBe(true);
    }
  }
  // Text fits its box: the widest line plus padding.
  for (const n of layout.nodes) {
    for (const l of n.lines) expect(textWidth(l.text, l.size), n.node.id).toBeLessThan(n.width - 20);
  }
}

describe('SVG layout', () => {
  for (const [name, graph] of [
    ['wordpress', wordpress],
    ['webapp', webapp],
    ['network stack', networkStack],
  ] as const) {
    for (const direction of ['lr', 'tb'] as const) {
      it(`${name} (${direction}): no overlaps, all inside`, () => {
        expectTidy(layoutGraph(graphView(graph), direction));
      });
    }
  }

  it('reduces crossings: wordpress draws without any', () => {
    expect(layoutGraph(graphView(wordpress), 'lr').crossings).toBe(0);
    expect(layoutGraph(graphView(networkStack), 'lr').crossings).toBeLessThanOrEqual(2);
  });

  it('starts each edge at its dependency and ends it at its dependent', () => {
    const layout = layoutGraph(graphView(wordpress), 'lr');
    const byId = new Map(layout.nodes.map((n) => [n.node.id, n]));
    for (const e of layout.edges) {
      const nums = e.path.match(/-?\d+(\.\d+)?/g)!.map(Number);
      const [x0, y0] = nums;
      const [x1, y1] = nums.slice(-2);
      const from = byId.get(e.edge.from)!;
      const to = byId.get(e.edge.to)!;
      expect(x0).toBeCloseTo(from.x + from.width / 2, 0);
      expect(Math.abs(y0! - from.y)).toBeLessThanOrEqual(from.height / 2);
      expect(x1).toBeCloseTo(to.x - to.width / 2, 0);
      expect(Math.abs(y1! - to.y)).toBeLessThanOrEqual(to.height / 2);
    }
  });

  it('is deterministic', () => {
    expect(renderSvg(wordpress)).toBe(renderSvg(example('examples/wordpress/rgd.yaml')));
  });

  it('keeps sizes reasonable from 1 to 40 nodes', () => {
    const sizes: Record<number, { width: number; height: number }> = {};
    for (const n of [1, 2, 10, 40]) {
      const g = graphOf(chainRgd(n));
      const layout = layoutGraph(graphView(g));
      expectTidy(layout);
      sizes[n] = { width: layout.width, height: layout.height };
      expect(layout.width).toBeLessThan(250 + n * 260);
      expect(layout.height).toBeLessThan(150 + n * 120);
    }
    expect(sizes[1]!.width).toBeLessThan(400);
    expect(sizes[1]!.height).toBeLessThan(200);
    // 40 nodes still fit a few screens, not a strip kilometres long.
    expect(sizes[40]!.width * sizes[40]!.height).toBeLessThan(12 * 1600 * 1000);
  });

  it('picks the direction that needs less shrinking', () => {
    const deep = graphView(graphOf(chainRgd(10)));
    const lr = layoutGraph(deep, 'lr');
    const tb = layoutGraph(deep, 'tb');
    const scale = (l: Layout) => Math.min(1, 1600 / l.width, 1000 / l.height);
    expect(layoutGraph(deep).direction).toBe(scale(tb) > scale(lr) ? 'tb' : 'lr');
  });
});

describe('SVG and HTML output', () => {
  const svg = renderSvg(webapp);
  const html = renderHtml(wordpress);

  it('has a group per node with its id, and per edge', () => {
    for (const r of webapp.resources) expect(svg).toContain(`data-node-id="${r.id}"`);
    expect(svg.match(/<g class="edge" /g)).toHaveLength(graphView(webapp).edges.length);
    expect(svg).toMatch(/<g class="node resource conditional" data-node-id="ingress"/);
  });

  it('is self-contained: no scripts, links or external resources', () => {
    for (const text of [svg, html]) {
      expect(text).not.toMatch(/<script|<link|<img|@import|url\(\s*['"]?(https?:|\/\/)|(src|href)=/i);
      // The only URL is the SVG namespace.
      expect(text.match(/https?:\/\/[^"\s]+/g) ?? []).toEqual(['http://www.w3.org/2000/svg']);
    }
  });

  it('escapes text', () => {
    const g = graphOf(
      readFileSync(root + 'examples/web-app/rgd.yaml', 'utf8').replace(
        '    - id: service\n',
        '    - id: service\n      includeWhen:\n        - ${schema.spec.replicas < 3 && schema.spec.name != "<b>"}\n',
      ),
    );
    const out = renderSvg(g);
    expect(out).toContain(
      'includeWhen: schema.spec.replicas &lt; 3 &amp;&amp; schema.spec.name != &quot;&lt;b&gt;&quot;',
    );
    expect(out).toContain('name != &quot;&lt;b&gt;&quot;</text>');
    expect(out).not.toContain('"<b>"');
  });

  it('HTML lists the topological order and the layers, with a legend', () => {
    const order = [...html.matchAll(/<ol class="topological-order">(.*?)<\/ol>/g)][0]![1]!;
    expect([...order.matchAll(/<li><code>([^<]+)<\/code>/g)].map((m) => m[1])).toEqual(
      wordpress.topologicalOrder,
    );
    expect(html).toContain('<h2>Legend</h2>');
    expect(html).toContain('<span class="layer">layer 5</span> <code>ingress</code>');
    expect(html.match(/data-node-id=/g)).toHaveLength(7);
  });
});

// The HTML of `kro-gen graph` in a real browser: headless Chromium loads the page with a small
// script added that measures every node and label as laid out, and writes the measurements into
// the DOM, which --dump-dom prints. Every node must be drawn inside the picture, its text inside
// its box, and no two boxes may overlap. Needs /usr/bin/chromium: CI installs it (.ci/run), and
// without it the test fails in CI; locally it is left out with a notice.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

const CHROMIUM = '/usr/bin/chromium';
const REPO = new URL('../../', import.meta.url).pathname;
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);

const EXAMPLES = [
  { name: 'wordpress', path: 'examples/wordpress/rgd.yaml', nodes: 7 },
  { name: 'webapp (includeWhen)', path: 'test/conformance/kro/examples/kubernetes/webapp/rg.yaml', nodes: 3 },
  {
    name: 'network stack (forEach)',
    path: 'test/conformance/kro/examples/aws/aws-accounts-factory/01-network-stack.yaml',
    nodes: 9,
  },
];

/** Runs in the page: boxes in SVG units, relative to the picture's top-left corner. */
const MEASURE = `<script>
(() => {
  const svg = document.querySelector('.graph svg');
  const origin = svg.getBoundingClientRect();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
  };
  const groups = (selector) => [...svg.querySelectorAll(selector)].map((g) => ({
    id: g.getAttribute('data-node-id') ?? g.getAttribute('data-from') + '->' + g.getAttribute('data-to'),
    box: box(g),
    rects: [...g.querySelectorAll('rect')].map(box),
    texts: [...g.querySelectorAll('text')].map((t) => ({ text: t.textContent, box: box(t), length: t.getComputedTextLength() })),
  }));
  const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
  const out = document.createElement('pre');
  out.id = 'kro-gen-measure';
  out.textContent = JSON.stringify({
    width, height,
    rendered: { width: origin.width, height: origin.height },
    nodes: groups('g[data-node-id]'),
    labels: groups('g.edge-label'),
    font: getComputedStyle(svg.querySelector('text')).fontFamily,
  });
  document.body.appendChild(out);
})();
</script>`;

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Measured {
  width: number;
  height: number;
  rendered: { width: number; height: number };
  nodes: { id: string; box: Rect; rects: Rect[]; texts: { text: string; box: Rect; length: number }[] }[];
  labels: { id: string; box: Rect; rects: Rect[]; texts: { text: string; box: Rect; length: number }[] }[];
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

const work = mkdtempSync(join(tmpdir(), 'kro-gen-browser-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function chromium(args: string[]): string {
  return execFileSync(CHROMIUM, [...FLAGS, `--user-data-dir=${join(work, 'profile')}`, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

async function graphHtml(path: string, out: string): Promise<void> {
  let err = '';
  const io: Io = {
    stdout: () => {},
    stderr: (s) => {
      err += s;
    },
    cwd: REPO,
    env: {},
  };
  const code = await run(['graph', path, '--format', 'html', '--out', out], io);
  expect(err).toBe('');
  expect(code).toBe(0);
}

const inside = (inner: Rect, outer: Rect, slack = 1): boolean =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;

const overlap = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width - 0.5 &&
  b.x < a.x + a.width - 0.5 &&
  a.y < b.y + b.height - 0.5 &&
  b.y < a.y + a.height - 0.5;

if (!available && !inCi) {
  console.warn(
    `graph-render: ${CHROMIUM} not found, so the browser check is left out (CI installs Chromium)`,
  );
}

describe.skipIf(!available && !inCi)('graph HTML in headless Chromium', () => {
  it('has Chromium (CI must install it: .ci/run does)', () => {
    expect(available, `${CHROMIUM} is missing`).toBe(true);
  });

  for (const ex of EXAMPLES) {
    it(`draws every node of ${ex.name} inside the picture, text inside boxes, nothing overlapping`, async () => {
      const html = join(work, `${ex.nodes}-${ex.name.replace(/\W+/g, '-')}.html`);
      await graphHtml(ex.path, html);
      const page = readFileSync(html, 'utf8');
      const probe = `${html}.probe.html`;
      writeFileSync(probe, page.replace('</body>', `${MEASURE}</body>`));
      const dom = chromium(['--virtual-time-budget=5000', '--dump-dom', `file://${probe}`]);
      const json = /<pre id="kro-gen-measure">([^<]*)<\/pre>/.exec(dom)?.[1];
      expect(json, 'the measuring script did not run').toBeDefined();
      const m = JSON.parse(
        json!
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&'),
      ) as Measured;

      // The picture is shown at its own size, so client pixels are SVG units.
      expect(m.rendered).toEqual({ width: m.width, height: m.height });
      const ids = [...page.matchAll(/data-node-id="([^"]+)"/g)].map((x) => x[1]);
      expect(ids).toHaveLength(ex.nodes);
      expect(m.nodes.map((n) => n.id).sort()).toEqual([...ids].sort());
      const picture = { x: 0, y: 0, width: m.width, height: m.height };
      for (const n of [...m.nodes, ...m.labels]) {
        expect(n.box.width, n.id).toBeGreaterThan(10);
        expect(inside(n.box, picture), `${n.id} outside the picture`).toBe(true);
        const frame = n.rects[n.rects.length - 1]!; // the front box of a collection
        for (const t of n.texts) {
          expect(t.length, `${n.id}: "${t.text}" not rendered`).toBeGreaterThan(0);
          expect(inside(t.box, frame), `${n.id}: "${t.text}" sticks out of its box`).toBe(true);
        }
      }
      const boxes = [...m.nodes, ...m.labels];
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          expect(overlap(boxes[i]!.box, boxes[j]!.box), `${boxes[i]!.id} overlaps ${boxes[j]!.id}`).toBe(
            false,
          );
        }
      }
    });
  }

  it('takes a screenshot of the wordpress graph', async () => {
    const html = join(work, 'wordpress.html');
    await graphHtml('examples/wordpress/rgd.yaml', html);
    const png = join(process.env['KRO_GEN_SCREENSHOT_DIR'] ?? work, 'wordpress-graph.png');
    chromium(['--window-size=1200,1400', `--screenshot=${png}`, `file://${html}`]);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });
});

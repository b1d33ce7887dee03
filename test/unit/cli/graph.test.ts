// `kro-gen graph` through the CLI: formats, --out, choosing an RGD, and refusing broken ones.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatOfPath } from '../../../src/cli/commands/graph.js';
import { runCli } from '../../helpers/cli.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const WORDPRESS = join(REPO, 'examples/wordpress/rgd.yaml');
const WEB_APP = join(REPO, 'examples/web-app/rgd.yaml');
const FIXTURES = join(REPO, 'test/unit/cli/fixtures');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-graph-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(root, argv);

describe('kro-gen graph', () => {
  it('prints DOT by default', async () => {
    const r = await cli('graph', WEB_APP);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('digraph "web-app" {');
    expect(r.out).toContain('"deployment" -> "service" [label="spec.selector"');
  });

  it('prints Mermaid, SVG and HTML', async () => {
    expect((await cli('graph', '-f', 'mermaid', WEB_APP)).out).toMatch(/^%%.*\nflowchart LR\n/);
    const svg = await cli('graph', '--format', 'svg', WORDPRESS);
    expect(svg.out.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.out.match(/data-node-id=/g)).toHaveLength(7);
    const html = await cli('graph', '--format', 'html', WORDPRESS);
    expect(html.out.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.out).toContain('<svg xmlns');
  });

  it('honours --direction', async () => {
    expect((await cli('graph', '--direction', 'tb', WEB_APP)).out).toContain('rankdir=TB');
    const lr = await cli('graph', '-f', 'svg', '--direction', 'lr', WORDPRESS);
    const tb = await cli('graph', '-f', 'svg', '--direction', 'tb', WORDPRESS);
    const size = (svg: string) => /width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).map(Number);
    const [lw, lh] = size(lr.out);
    const [tw, th] = size(tb.out);
    expect(lw! / lh!).toBeGreaterThan(tw! / th!);
  });

  it('writes --out, in the format its extension names', async () => {
    const r = await cli('graph', WORDPRESS, '--out', 'site/graph.svg');
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(readFileSync(join(root, 'site/graph.svg'), 'utf8')).toMatch(/^<svg /);
    await cli('graph', WORDPRESS, '--out', 'g.mmd');
    expect(readFileSync(join(root, 'g.mmd'), 'utf8')).toContain('flowchart');
    await cli('graph', WORDPRESS, '--out', 'g');
    expect(readFileSync(join(root, 'g'), 'utf8')).toContain('digraph');
    // --format names the format: any file name will do.
    await cli('graph', WORDPRESS, '-f', 'dot', '--out', 'g.txt');
    expect(readFileSync(join(root, 'g.txt'), 'utf8')).toContain('digraph');
    expect(formatOfPath('a/b.HTM')).toBe('html');
    expect(formatOfPath('b.gv')).toBe('dot');
    expect(formatOfPath('b')).toBeUndefined();
  });

  it('refuses an --out extension that names no format it writes (usage error, nothing written)', async () => {
    for (const name of ['g.png', 'g.pdf', 'graph.jpeg']) {
      const r = await cli('graph', WORDPRESS, '--out', name);
      expect(r.code, name).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        `kro-gen graph: cannot tell the format of '${name}' from its extension: use one of .dot .gv .mmd .mermaid .svg .html .htm, or --format\nRun 'kro-gen graph --help' for usage.\n`,
      );
      expect(existsSync(join(root, name))).toBe(false);
    }
  });

  it('refuses an RGD with errors and writes nothing', async () => {
    const r = await cli('graph', join(FIXTURES, 'cycle.yaml'), '--out', 'cycle.svg');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cycle\.yaml:28:20: error: failed to build dependency graph/);
    expect(existsSync(join(root, 'cycle.svg'))).toBe(false);
    const bad = await cli('graph', join(FIXTURES, 'reserved.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
  });

  it('draws a graph whose kinds it does not know, silently', async () => {
    const r = await cli('graph', join(FIXTURES, 'unknown-kind.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toContain('"bucket" [label="bucket\\nBucket\\ns3.services.k8s.aws/v1alpha1"');
  });

  it('asks which RGD to draw when a file holds several', async () => {
    const two = `${readFileSync(WEB_APP, 'utf8')}\n---\n${readFileSync(WORDPRESS, 'utf8')}`;
    writeFileSync(join(root, 'two.yaml'), two);
    const r = await cli('graph', 'two.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error: two.yaml holds 2 ResourceGraphDefinitions (web-app, wordpress): choose one with --name',
    );
    const picked = await cli('graph', 'two.yaml', '--name', 'wordpress');
    expect(picked.code).toBe(0);
    expect(picked.out).toContain('digraph "wordpress"');
    const missing = await cli('graph', 'two.yaml', '--name', 'nope');
    expect(missing.err).toContain(
      'no ResourceGraphDefinition named nope in two.yaml (found: web-app, wordpress)',
    );
  });

  it('rejects an unknown format and a second file as usage errors', async () => {
    expect((await cli('graph', '-f', 'png', WEB_APP)).code).toBe(2);
    expect((await cli('graph', WEB_APP, WORDPRESS)).code).toBe(2);
  });
});

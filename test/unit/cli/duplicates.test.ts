// Inputs real repositories have: a directory holding an RGD and the bundle copy kro-gen synth wrote
// of it next to it. Identical copies are read once, with a note; different RGDs with one kind are
// still an error. And `crd DIR` agrees with `crd DIR --out X`; `-o` is never a path.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../helpers/cli.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const BUNDLED = 'out/bundle/0001-resourcegraphdefinition-web-app.yaml';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kro-gen-dup-'));
  // The web-app example as checked in: the source, its instances and its bundle output.
  cpSync(join(REPO, 'examples/web-app/rgd.yaml'), join(root, 'app/rgd.yaml'));
  cpSync(join(REPO, 'examples/web-app/instances'), join(root, 'app/instances'), { recursive: true });
  cpSync(join(REPO, 'examples/web-app', BUNDLED), join(root, 'app', BUNDLED));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(root, argv);
const NOTE = `app/${BUNDLED}:1:1: note: RGD web-app is the same as app/rgd.yaml:2:1 (kro-gen's ordering annotations aside); read once\n`;

describe('a directory holding an RGD twice', () => {
  it('the bundle copy really differs from the source in its text and annotations', () => {
    const source = readFileSync(join(root, 'app/rgd.yaml'), 'utf8');
    const copy = readFileSync(join(root, 'app', BUNDLED), 'utf8');
    expect(copy).not.toBe(source);
    expect(parse(copy).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '0' });
  });

  it('is read once by every command, with one note', async () => {
    const validate = await cli('validate', 'app');
    expect(validate).toEqual({ code: 0, out: '', err: `${NOTE}1 RGD: 0 errors, 0 warnings\n` });
    const crd = await cli('crd', 'app');
    expect(crd.code).toBe(0);
    expect(crd.err).toBe(NOTE);
    expect(crd.out).toBe((await cli('crd', 'app/rgd.yaml')).out);
    const graph = await cli('graph', 'app');
    expect(graph.code).toBe(0);
    expect(graph.out).toContain('digraph "web-app"');
    const generate = await cli('generate', 'app', '--out', 'gen');
    expect(generate.err).toBe(NOTE);
    expect(generate.code).toBe(0);
    // The module records the source, not the bundled copy.
    expect(readFileSync(join(root, 'gen/application.ts'), 'utf8')).toContain('from ../app/rgd.yaml');
    const synth = await cli('synth', 'app', '--instance', 'app/instances');
    expect(synth.code).toBe(0);
    expect(synth.err).toBe(NOTE);
    expect(synth.out).toBe((await cli('synth', 'app/rgd.yaml', '--instance', 'app/instances')).out);
  });

  it('keeps the source whichever copy comes first', async () => {
    // `a-copy.yaml` sorts before `rgd.yaml`: the copy without kro-gen's annotations is kept anyway.
    cpSync(join(root, 'app', BUNDLED), join(root, 'app/a-copy.yaml'));
    rmSync(join(root, 'app/out'), { recursive: true });
    const r = await cli('generate', 'app', '--out', 'gen');
    expect(r.code).toBe(0);
    expect(r.err).toContain('app/a-copy.yaml:1:1: note: RGD web-app is the same as app/rgd.yaml:2:1');
    expect(readFileSync(join(root, 'gen/application.ts'), 'utf8')).toContain('from ../app/rgd.yaml');
  });

  it('is still an error when the two differ in more than annotations', async () => {
    const copy = join(root, 'app', BUNDLED);
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('default="httpd:latest"', 'default="nginx"'));
    const generate = await cli('generate', 'app', '--out', 'gen');
    expect(generate.code).toBe(1);
    expect(generate.err).toContain('is defined by two RGDs');
    expect(generate.err).not.toContain('note:');
    const synth = await cli('synth', 'app', '--instance', 'app/instances');
    expect(synth.code).toBe(1);
    expect(synth.err).toContain('RGD web-app is defined twice, differently');
  });
});

describe('kro-gen crd DIR and crd DIR --out', () => {
  it('write the same CRDs', async () => {
    const printed = await cli('crd', 'app');
    const written = await cli('crd', 'app', '--out', 'crds');
    expect(written).toEqual({ code: 0, out: '', err: NOTE });
    expect(readdirSync(join(root, 'crds'))).toEqual(['applications.kro.run.yaml']);
    expect(readFileSync(join(root, 'crds/applications.kro.run.yaml'), 'utf8')).toBe(printed.out);
  });

  it('both refuse two different RGDs that generate one CRD', async () => {
    mkdirSync(join(root, 'other'));
    const text = readFileSync(join(root, 'app/rgd.yaml'), 'utf8').replace(
      'name: web-app',
      'name: web-app-v2',
    );
    writeFileSync(join(root, 'other/rgd.yaml'), text);
    const message =
      /error: CRD applications\.kro\.run is generated by two RGDs \(app\/rgd\.yaml:2:1 and other\/rgd\.yaml:2:1\)/;
    const printed = await cli('crd', 'app', 'other');
    expect(printed.code).toBe(1);
    expect(printed.out).toBe('');
    expect(printed.err).toMatch(message);
    const written = await cli('crd', 'app', 'other', '--out', 'crds');
    expect(written.code).toBe(1);
    expect(written.err).toMatch(message);
    expect(existsSync(join(root, 'crds'))).toBe(false);
  });
});

describe('-o', () => {
  it('is the output format of crd, as in kubectl', async () => {
    const r = await cli('crd', 'app/rgd.yaml', '-o', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).kind).toBe('CustomResourceDefinition');
  });

  it('is no path: commands that write files say to use --out', async () => {
    for (const argv of [
      ['graph', 'app/rgd.yaml', '-o', 'g.svg'],
      ['generate', 'app/rgd.yaml', '-o', 'gen'],
      ['synth', 'app/rgd.yaml', '--instance', 'app/instances', '-o', 'out'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toBe(
        `kro-gen ${argv[0]}: unknown option '-o' (it names an output format, as in kubectl); write the path with --out\nRun 'kro-gen ${argv[0]} --help' for usage.\n`,
      );
    }
    expect(readdirSync(root)).toEqual(['app']);
  });
});

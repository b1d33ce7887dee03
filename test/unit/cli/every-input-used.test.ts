// No input is dropped without a word: every file or directory given as an RGD input must hold an
// RGD, every --instance path an instance of an RGD given, every --external path an object. The
// audit case: `synth rgd.yaml --instance a.yaml b.yaml` took b.yaml for an RGD input and ignored it.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-inputs-used-'));
  cpSync(join(ROOT, 'examples/web-app/rgd.yaml'), join(dir, 'rgd.yaml'));
  cpSync(join(ROOT, 'examples/web-app/instances/web-app-1.yaml'), join(dir, 'a.yaml'));
  cpSync(join(ROOT, 'examples/web-app/instances/web-app-2.yaml'), join(dir, 'b.yaml'));
  writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n');
  mkdirSync(join(dir, 'empty'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...argv: string[]) => runCli(dir, argv);
const errors = (err: string) => err.split('\n').filter((l) => l.includes('error:'));

describe('synth', () => {
  it('refuses an instance file given where RGDs go, saying to pass it with --instance', async () => {
    const r = await cli('synth', 'rgd.yaml', '--instance', 'a.yaml', 'b.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(errors(r.err)).toEqual([
      'error: b.yaml holds instances of kro.run/v1alpha1 Application, not ResourceGraphDefinitions; pass it with --instance',
    ]);
    const both = await cli('synth', 'rgd.yaml', '--instance', 'a.yaml', '--instance', 'b.yaml');
    expect(both.code).toBe(0);
    expect(both.out.match(/^kind: Deployment$/gm)).toHaveLength(2);
  });

  it('refuses an RGD input without RGDs, in either mode', async () => {
    for (const mode of ['expanded', 'bundle']) {
      const r = await cli('synth', 'rgd.yaml', 'cm.yaml', '--instance', 'a.yaml', '--mode', mode);
      expect(r.code).toBe(1);
      expect(errors(r.err)).toEqual(['error: no ResourceGraphDefinition found in cm.yaml']);
    }
    const empty = await cli('synth', 'rgd.yaml', 'empty', '--mode', 'bundle');
    expect(errors(empty.err)).toEqual(['error: no ResourceGraphDefinition found in empty']);
  });

  it('refuses an --instance path without an instance, naming what it holds', async () => {
    const onlyRgd = await cli('synth', 'rgd.yaml', '--instance', 'rgd.yaml');
    expect(onlyRgd.code).toBe(1);
    expect(errors(onlyRgd.err)).toEqual([
      'error: no instance found in --instance rgd.yaml: it holds only kro.run/v1alpha1 ResourceGraphDefinition',
    ]);
    const empty = await cli('synth', 'rgd.yaml', '--instance', 'a.yaml', '--instance', 'empty');
    expect(empty.code).toBe(1);
    expect(errors(empty.err)).toEqual([
      'error: no instance found in --instance empty: it holds no YAML documents',
    ]);
    // Objects of other kinds are each an error at their kind already.
    const other = await cli('synth', 'rgd.yaml', '--instance', 'cm.yaml');
    expect(errors(other.err)).toEqual(['cm.yaml:2:7: error: no RGD given defines v1 ConfigMap']);
  });

  it('refuses an --external path without objects, and documents that are not objects', async () => {
    const empty = await cli('synth', 'rgd.yaml', '-i', 'a.yaml', '--external', 'empty');
    expect(empty.code).toBe(1);
    expect(errors(empty.err)).toEqual([
      'error: no object found in --external empty: it holds no YAML documents',
    ]);
    writeFileSync(join(dir, 'list.yaml'), '- a\n- b\n');
    const list = await cli('synth', 'rgd.yaml', '-i', 'a.yaml', '--external', 'list.yaml');
    expect(list.code).toBe(1);
    expect(errors(list.err)).toEqual(['list.yaml:1:1: error: an external object must be an object']);
  });

  it('warns about instances inside a file of RGDs, unless it is also given with --instance', async () => {
    writeFileSync(join(dir, 'all.yaml'), `${readText('rgd.yaml')}---\n${readText('b.yaml')}`);
    const r = await cli('synth', 'all.yaml', '--instance', 'a.yaml');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(
      /^all\.yaml:\d+:7: warning: Application web-app-2 is an instance in an RGD input: it is not rendered; pass all\.yaml with --instance too\n$/,
    );
    const also = await cli('synth', 'all.yaml', '--instance', 'a.yaml', '--instance', 'all.yaml');
    expect(also.code).toBe(0);
    expect(also.err).toBe('');
    expect(also.out.match(/^kind: Deployment$/gm)).toHaveLength(2);
  });

  it('accepts directories holding other files besides RGDs, and a file named twice', async () => {
    mkdirSync(join(dir, 'stack/instances'), { recursive: true });
    cpSync(join(dir, 'rgd.yaml'), join(dir, 'stack/rgd.yaml'));
    cpSync(join(dir, 'cm.yaml'), join(dir, 'stack/cm.yaml'));
    cpSync(join(dir, 'a.yaml'), join(dir, 'stack/instances/a.yaml'));
    const r = await cli('synth', 'stack', 'stack/rgd.yaml', '--instance', 'stack/instances', '-i', 'b.yaml');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const command of ['crd', 'validate']) {
      expect((await cli(command, 'stack', 'stack/rgd.yaml')).code).toBe(0);
    }
  });
});

describe.each(['crd', 'validate', 'generate'])('%s', (command) => {
  const extra = command === 'generate' ? ['--out', 'out'] : [];
  it('refuses an input without RGDs, naming instances it holds', async () => {
    const r = await cli(command, 'rgd.yaml', 'cm.yaml', 'b.yaml', ...extra);
    expect(r.code).toBe(1);
    const text = command === 'validate' ? r.out : r.err;
    expect(errors(text)).toEqual([
      'error: no ResourceGraphDefinition found in b.yaml (it holds instances of kro.run/v1alpha1 Application)',
      'error: no ResourceGraphDefinition found in cm.yaml',
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

function readText(name: string): string {
  return readFileSync(join(dir, name), 'utf8');
}

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: kro ${...} expressions are the subject under test
// `kro-gen diff` through the CLI: the acceptance cases, each output format, --base against a git
// repository, --instance wiring, and the exit codes (0 accepted, 3 breaking, 1 invalid, 2 usage).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { dropSvcType, edit, SVC_TYPE_REMOVED, WEB_APP } from '../diff/fixtures.js';

const planned = vi.hoisted(() => ({ plans: [] as unknown[], calls: [] as unknown[] }));
vi.mock('../../../src/diff/instance-plan.js', () => ({
  planInstances: (input: unknown) => {
    planned.calls.push(input);
    return { plans: planned.plans, diagnostics: [] };
  },
}));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kro-gen-diff-'));
  planned.plans = [];
  planned.calls = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
};
const cli = (...argv: string[]) => runCli(dir, argv);
const NO_SVC_TYPE = dropSvcType(WEB_APP);

describe('kro-gen diff <old> <new>', () => {
  it('the same file twice: exit 0, no changes', async () => {
    write('a.yaml', WEB_APP);
    const r = await cli('diff', 'a.yaml', 'a.yaml');
    expect(r).toEqual({
      code: 0,
      out: 'RGD web-app (a.yaml → a.yaml)\n  no changes\nno changes (1 RGD compared)\n',
      err: '',
    });
  });

  it('a removed spec field: exit 3, named, at its place in the new file', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', NO_SVC_TYPE);
    const r = await cli('diff', 'old.yaml', 'new.yaml');
    expect(r.code).toBe(3);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'RGD web-app (old.yaml → new.yaml)',
        '  CRD applications.kro.run: REFUSED: cannot update CRD applications.kro.run: breaking changes detected: Property svcType was removed',
        '    new.yaml:9:5: breaking: spec.svcType: Property svcType was removed',
        '  resources:',
        '    new.yaml:48:17: template service: template changed at spec.type',
        'BREAKING: web-app (1 RGD compared, 1 changed)',
        '',
      ].join('\n'),
    );
  });

  it('a compatible change: exit 0 and says kro accepts it', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', edit(WEB_APP, 'enum="ClusterIP,NodePort"', 'enum="ClusterIP,NodePort,LoadBalancer"'));
    const r = await cli('diff', 'old.yaml', 'new.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toContain('new.yaml:12:7: ok: spec.svcType: Enum value "LoadBalancer" was added');
    expect(r.out).toContain('no breaking changes: kro would accept the update (1 RGD compared, 1 changed)');
  });

  it('--format json: the documented shape, one RGD at the top level and in rgds', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', NO_SVC_TYPE);
    const r = await cli('diff', 'old.yaml', 'new.yaml', '--format', 'json');
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['breaking', 'rgd', 'crd', 'resources', 'instances', 'rgds']);
    expect(doc.breaking).toBe(true);
    expect(doc.rgd).toEqual({
      name: 'web-app',
      status: 'modified',
      oldFile: 'old.yaml',
      newFile: 'new.yaml',
    });
    expect(doc.crd.changes).toEqual([SVC_TYPE_REMOVED]);
    expect(doc.rgds).toHaveLength(1);
    expect(doc.rgds[0].crd).toEqual(doc.crd);
    expect(doc.instances).toEqual([]);
  });

  it('--format markdown: a summary line, then tables', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', NO_SVC_TYPE);
    const r = await cli('diff', 'old.yaml', 'new.yaml', '--format', 'markdown');
    expect(r.code).toBe(3);
    expect(r.out.split('\n').slice(0, 9)).toEqual([
      '**kro-gen diff**: ❌ BREAKING: web-app (1 RGD compared, 1 changed)',
      '',
      '### RGD web-app (old.yaml → new.yaml)',
      '',
      'CRD applications.kro.run: REFUSED: cannot update CRD applications.kro.run: breaking changes detected: Property svcType was removed',
      '',
      '| | field | change | where |',
      '|---|---|---|---|',
      '| ❌ breaking | `spec.svcType` | Property svcType was removed | new.yaml:9:5 |',
    ]);
  });

  it('--format github: annotations at the new file, escaped', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', NO_SVC_TYPE);
    const r = await cli('diff', 'old.yaml', 'new.yaml', '--format', 'github');
    expect(r.code).toBe(3);
    expect(r.out.split('\n')).toEqual([
      '::error file=new.yaml,line=9,col=5,title=kro-gen diff%3A web-app%3A CRD breaking change::spec.svcType: Property svcType was removed',
      '::error title=kro-gen diff%3A web-app::cannot update CRD applications.kro.run: breaking changes detected: Property svcType was removed',
      '::notice file=new.yaml,line=48,col=17,title=kro-gen diff%3A web-app%3A resource template::service: template changed at spec.type',
      'BREAKING: web-app (1 RGD compared, 1 changed)',
      '',
    ]);
  });

  it('RGDs matched by name: added and removed ones are reported', async () => {
    write('old/a.yaml', WEB_APP);
    write(
      'old/b.yaml',
      edit(edit(WEB_APP, 'name: web-app', 'name: gone'), 'kind: Application', 'kind: Gone'),
    );
    write('new/a.yaml', WEB_APP);
    write(
      'new/c.yaml',
      edit(edit(WEB_APP, 'name: web-app', 'name: fresh'), 'kind: Application', 'kind: Fresh'),
    );
    const r = await cli('diff', 'old', 'new', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['breaking', 'rgds']);
    expect(doc.rgds.map((x: { rgd: unknown; crd: { name?: string } }) => [x.rgd, x.crd.name])).toEqual([
      [
        { name: 'web-app', status: 'unchanged', oldFile: 'old/a.yaml', newFile: 'new/a.yaml' },
        'applications.kro.run',
      ],
      [{ name: 'fresh', status: 'added', newFile: 'new/c.yaml' }, 'freshes.kro.run'],
      [{ name: 'gone', status: 'removed', oldFile: 'old/b.yaml' }, 'gones.kro.run'],
    ]);
  });
});

describe('kro-gen diff --instance', () => {
  it('hands the instance files to planInstances with both RGDs and graphs; instance errors make exit 3', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', WEB_APP);
    write(
      'inst/demo.yaml',
      'apiVersion: kro.run/v1alpha1\nkind: Application\nmetadata:\n  name: demo\nspec:\n  name: demo\n',
    );
    planned.plans = [
      {
        instance: { apiVersion: 'kro.run/v1alpha1', kind: 'Application', namespace: 'default', name: 'demo' },
        errors: [{ message: 'spec.selector is immutable', pos: { file: 'inst/demo.yaml', line: 5, col: 3 } }],
        objects: [
          {
            action: 'update',
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'default',
            name: 'demo',
            changes: [{ path: 'spec.selector.matchLabels.app', from: 'demo', to: 'other' }],
            immutable: ['spec.selector'],
          },
        ],
      },
    ];
    const r = await cli('diff', 'old.yaml', 'new.yaml', '--instance', 'inst');
    expect(r.code).toBe(3);
    expect(planned.calls).toHaveLength(1);
    const call = planned.calls[0] as {
      oldRgd: { name: string };
      newGraph: { name: string };
      instances: unknown;
    };
    expect(call.oldRgd.name).toBe('web-app');
    expect(call.newGraph.name).toBe('web-app');
    const docs = call.instances as { file: string; value: unknown }[];
    expect(docs.map((d) => [d.file, d.value])).toEqual([
      [
        'inst/demo.yaml',
        {
          apiVersion: 'kro.run/v1alpha1',
          kind: 'Application',
          metadata: { name: 'demo' },
          spec: { name: 'demo' },
        },
      ],
    ]);
    expect(r.out).toContain(
      [
        '  instance Application default/demo',
        '    inst/demo.yaml:5:3: error: spec.selector is immutable',
        '    update    Deployment default/demo  IMMUTABLE: spec.selector',
        '        spec.selector.matchLabels.app: "demo" → "other"',
      ].join('\n'),
    );
  });

  it('every --instance input is used: other kinds are warnings, an input without an instance an error', async () => {
    write('old.yaml', WEB_APP);
    write('new.yaml', WEB_APP);
    const demo =
      'apiVersion: kro.run/v1alpha1\nkind: Application\nmetadata:\n  name: demo\nspec:\n  name: demo\n';
    write('inst/demo.yaml', `${demo}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n`);
    write('other.yaml', 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t\n');
    const ok = await cli('diff', 'old.yaml', 'new.yaml', '--instance', 'inst');
    expect(ok.code).toBe(0);
    expect(ok.err).toBe(
      'inst/demo.yaml:8:1: warning: v1 ConfigMap cm is not an instance of an RGD compared (old and new): not planned\n',
    );
    const bad = await cli('diff', 'old.yaml', 'new.yaml', '--instance', 'inst', '--instance', 'other.yaml');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err).toContain('error: no instance of the RGDs compared found in --instance other.yaml\n');
  });

  it('a YAML error in an instance file is reported once, however many RGDs are compared', async () => {
    const second = WEB_APP.replace('name: web-app', 'name: web-app-2').replace(
      'kind: Application',
      'kind: Application2',
    );
    write('old.yaml', `${WEB_APP}---\n${second}`);
    write('new.yaml', `${WEB_APP}---\n${second}`);
    write(
      'inst/bad.yaml',
      'apiVersion: kro.run/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  name: b\n',
    );
    const r = await cli('diff', 'old.yaml', 'new.yaml', '--instance', 'inst');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^inst\/bad\.yaml:\d+:\d+: error: /);
    expect(planned.calls).toEqual([]);
  });

  it('is not called without --instance', async () => {
    write('a.yaml', WEB_APP);
    await cli('diff', 'a.yaml', 'a.yaml');
    expect(planned.calls).toEqual([]);
  });
});

describe('kro-gen diff --base', () => {
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
      stdio: 'pipe',
    });

  it('compares files with their versions at the ref, by name; added and removed RGDs reported', async () => {
    git('init', '-q');
    write('rgds/web.yaml', WEB_APP);
    write(
      'rgds/old.yaml',
      edit(edit(WEB_APP, 'name: web-app', 'name: old'), 'kind: Application', 'kind: Old'),
    );
    git('add', '.');
    git('commit', '-qm', 'base');
    write('rgds/web.yaml', NO_SVC_TYPE);
    rmSync(join(dir, 'rgds/old.yaml'));
    const r = await cli('diff', '--base', 'HEAD', 'rgds');
    expect(r.code).toBe(3);
    expect(r.out).toContain('RGD web-app (HEAD:rgds/web.yaml → rgds/web.yaml)');
    expect(r.out).toContain('    rgds/web.yaml:9:5: breaking: spec.svcType: Property svcType was removed');
    expect(r.out).toContain('RGD old removed (was HEAD:rgds/old.yaml)');
  });

  it('an unknown ref is invalid input (exit 1)', async () => {
    git('init', '-q');
    write('a.yaml', WEB_APP);
    const r = await cli('diff', '--base', 'no-such-ref', 'a.yaml');
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: --base no-such-ref: not a commit in this git repository\n');
  });
});

describe('kro-gen diff: bad input and usage', () => {
  it('usage errors exit 2', async () => {
    write('a.yaml', WEB_APP);
    expect((await cli('diff', 'a.yaml')).code).toBe(2);
    expect((await cli('diff', 'a.yaml', 'a.yaml', 'a.yaml')).code).toBe(2);
    expect((await cli('diff', 'a.yaml', 'a.yaml', '--format', 'yaml')).code).toBe(2);
    const stdin = await cli('diff', '--base', 'HEAD', '-');
    expect(stdin.code).toBe(2);
    expect(stdin.err).toContain("'-' (stdin) has no old version");
  });

  it('an RGD kro would refuse, a missing file or a file without an RGD is exit 1, with nothing on stdout', async () => {
    write('a.yaml', WEB_APP);
    write('bad.yaml', edit(WEB_APP, '${schema.spec.replicas}', '${schema.spec.replica}'));
    write('empty.yaml', 'kind: ConfigMap\n');
    for (const argv of [
      ['a.yaml', 'bad.yaml'],
      ['a.yaml', 'missing.yaml'],
      ['empty.yaml', 'a.yaml'],
    ]) {
      const r = await cli('diff', ...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/error: /);
    }
  });

  it('--help lists the options', async () => {
    const r = await cli('diff', '--help');
    expect(r.code).toBe(0);
    for (const option of ['--base', '--instance', '--crd', '--format']) expect(r.out).toContain(option);
  });
});

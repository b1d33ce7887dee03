// `kro-gen diff`: what changing an RGD will do once applied: whether kro accepts the new instance
// CRD, how the resource graph changes, and (with --instance) what happens to each instance's objects.
import { execFile } from 'node:child_process';
import { type Diagnostic, error, hasErrors, warning } from '../../diagnostics.js';
import { compareRgds } from '../../diff/compare-sets.js';
import { type DiffOutput, toGithub, toJson, toMarkdown, toText } from '../../diff/format.js';
import { loadRgds } from '../../rgd/load.js';
import type { JsonObject, JsonValue, Rgd } from '../../rgd/model.js';
import { DEFAULT_YAML_LIMITS, parseYamlFile, type SourceFile, type YamlDocument } from '../../rgd/yaml.js';
import { defineCommand } from '../command.js';
import { type Inputs, readInputs, YAML_EXTENSIONS } from '../inputs.js';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type Io, printDiagnostics } from '../io.js';
import { loadInputs, missingRgdErrors } from '../pipeline.js';
import { SUMMARIES } from './summaries.js';
import { CRD_OPTION, readCrdDocuments, uniqueDiagnostics } from './validate.js';

/** kro would refuse the update, or a given instance would break. */
export const EXIT_BREAKING = 3;

const MAX_GIT_OUTPUT = 256 * 1024 * 1024;

function git(
  io: Io,
  args: readonly string[],
): Promise<{ ok: true; out: string } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      [...args],
      { cwd: io.cwd, maxBuffer: MAX_GIT_OUTPUT, encoding: 'utf8' },
      (e, stdout, stderr) => {
        if (e) {
          const why = (stderr || (e instanceof Error ? e.message : String(e))).trim().split('\n')[0] ?? '';
          resolve({ ok: false, message: why });
        } else resolve({ ok: true, out: stdout });
      },
    );
  });
}

/** The YAML files under `paths` as they were at `ref` (`git ls-tree`, then `git show`), named `<ref>:<path>`. */
async function filesAtRef(
  io: Io,
  ref: string,
  paths: readonly string[],
): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const verified = await git(io, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!verified.ok) {
    return {
      files: [],
      diagnostics: [
        error(
          /not a git repository/.test(verified.message)
            ? `--base ${ref}: the working directory is not in a git repository`
            : `--base ${ref}: not a commit in this git repository`,
          undefined,
          'diff/bad-base',
        ),
      ],
    };
  }
  const names = new Set<string>();
  for (const p of paths) {
    if (p === '-') continue;
    const listed = await git(io, ['ls-tree', '-r', '--name-only', ref, '--', p]);
    if (!listed.ok) {
      diagnostics.push(error(`cannot list ${p} at ${ref}: ${listed.message}`, undefined, 'diff/git'));
      continue;
    }
    for (const name of listed.out.split('\n')) {
      if (name !== '' && YAML_EXTENSIONS.some((ext) => name.endsWith(ext))) names.add(name);
    }
  }
  const files: SourceFile[] = [];
  for (const name of [...names].sort()) {
    const shown = await git(io, ['show', `${ref}:./${name}`]);
    if (!shown.ok)
      diagnostics.push(error(`cannot read ${name} at ${ref}: ${shown.message}`, undefined, 'diff/git'));
    else files.push({ path: `${ref}:${name}`, text: shown.out.replace(/^\uFEFF/, '') });
  }
  return { files, diagnostics };
}

interface Side {
  readonly rgds: readonly Rgd[];
  readonly diagnostics: readonly Diagnostic[];
}

async function sideFromPaths(io: Io, paths: readonly string[], requireRgds: boolean): Promise<Side> {
  const loaded = await loadInputs(paths, io);
  const hints = { instances: 'pass it with --instance', crds: 'pass it with --crd' };
  return {
    rgds: loaded.rgds,
    diagnostics: [...loaded.diagnostics, ...(requireRgds ? missingRgdErrors(loaded, hints) : [])],
  };
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every --instance input is used: planInstances plans the documents of each compared RGD's (old)
 * kind; an argument with none of them is an error, any other document a warning.
 */
function instanceUse(
  instances: Inputs,
  documents: readonly YamlDocument[],
  output: DiffOutput,
  oldRgds: readonly Rgd[],
): Diagnostic[] {
  const compared = new Set(
    output.rgds
      .filter((r) => r.rgd?.status === 'modified' || r.rgd?.status === 'unchanged')
      .map((r) => r.rgd?.name),
  );
  const kinds = new Set(
    oldRgds
      .filter((r) => compared.has(r.name))
      .map((r) => `${r.schema.group}/${r.schema.apiVersion} ${r.schema.kind}`),
  );
  const out: Diagnostic[] = [];
  const planned = new Set<string>();
  const seen = new Set<string>();
  for (const doc of documents) {
    const v = doc.value;
    if (!isObject(v)) continue;
    const kind = `${String(v['apiVersion'])} ${String(v['kind'])}`;
    if (kinds.has(kind)) {
      planned.add(doc.file);
      continue;
    }
    const key = `${doc.file}#${doc.index}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = isObject(v['metadata']) ? String(v['metadata']['name']) : '';
    out.push(
      warning(
        `${kind} ${name} is not an instance of an RGD compared (old and new): not planned`,
        doc.loc.at([]),
        'diff/not-planned',
      ),
    );
  }
  for (const input of instances.args) {
    if (input.failed || input.files.some((f) => planned.has(f.path))) continue;
    out.push(
      error(
        `no instance of the RGDs compared found in --instance ${input.arg}`,
        undefined,
        'diff/no-instance',
      ),
    );
  }
  return out;
}

function render(out: DiffOutput, format: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(out), null, 2)}\n`;
    case 'markdown':
      return toMarkdown(out);
    case 'github':
      return toGithub(out);
    default:
      return toText(out);
  }
}

export const diffCommand = defineCommand({
  name: 'diff',
  summary: SUMMARIES.diff,
  args: '<old> <new> | --base <git-ref> <file|dir>...',
  description: [
    'Show what applying a changed ResourceGraphDefinition will do, before it reaches the cluster',
    '(docs/diff.md). RGDs are matched by metadata.name; for each:',
    "- the instance CRD: every schema change kro v0.9.3's compatibility check finds, with kro's",
    '  texts, and whether kro accepts the update (a breaking change is refused unless the RGD has',
    '  the annotation kro.run/allow-breaking-changes: "true"; a changed schema kind, group,',
    '  apiVersion or scope is refused by the API server);',
    '- the resource graph: resources added, removed, renamed (same template, new id), changed',
    '  dependencies, apply order, includeWhen, readyWhen, forEach and templates;',
    '- with --instance: what happens to each instance (objects created, updated, pruned).',
    '<old> and <new> are files or directories. With --base, the given files and directories are',
    'compared with their versions at the git commit <git-ref> (read with git show); RGDs only one',
    'side has are reported as added or removed.',
    'Exit status: 0 when kro would accept every update and no instance breaks; 3 when kro would',
    'refuse one or an instance would break; 1 for invalid input; 2 for a usage error.',
  ].join('\n'),
  options: {
    base: {
      type: 'string',
      valueName: 'git-ref',
      description: 'compare the given files with their versions at this git commit',
    },
    instance: {
      type: 'string',
      multiple: true,
      valueName: 'file|dir',
      description: 'instances to plan: their objects under the old and the new RGD',
    },
    crd: CRD_OPTION,
    format: {
      type: 'string',
      short: 'f',
      choices: ['text', 'json', 'markdown', 'github'],
      default: 'text',
      description: 'text, json (docs/diff.md), markdown (a PR comment) or github (workflow annotations)',
    },
  },
  minPositionals: 1,
  async run({ options, positionals, io }) {
    const base = options.base;
    if (base === undefined && positionals.length !== 2) {
      io.stderr(
        `kro-gen diff: expected <old> <new>, or --base <git-ref> with files${positionals.length > 2 ? ` (got ${positionals.length} paths)` : ''}\nRun 'kro-gen diff --help' for usage.\n`,
      );
      return EXIT_USAGE;
    }
    if (base !== undefined && positionals.includes('-')) {
      io.stderr(
        "kro-gen diff: --base compares files with git; '-' (stdin) has no old version\nRun 'kro-gen diff --help' for usage.\n",
      );
      return EXIT_USAGE;
    }
    const crdFiles = await readCrdDocuments(options.crd, io);
    const newPaths = base === undefined ? [positionals[1] as string] : positionals;
    const newSide = await sideFromPaths(io, newPaths, base === undefined);
    let oldSide: Side;
    if (base === undefined) {
      oldSide = await sideFromPaths(io, [positionals[0] as string], true);
    } else {
      const at = await filesAtRef(io, base, positionals);
      const loaded = loadRgds(at.files);
      oldSide = { rgds: loaded.rgds, diagnostics: [...at.diagnostics, ...loaded.diagnostics] };
    }
    const instances = options.instance.length > 0 ? await readInputs(options.instance, io) : undefined;
    // Parsed once here: every compared pair plans from the same documents, and a YAML problem in
    // an instance file is reported once, not once per pair.
    const parsedInstances = (instances?.files ?? []).map((f) => parseYamlFile(f, DEFAULT_YAML_LIMITS));
    const instanceDocuments = parsedInstances.flatMap((p) => p.documents);
    const diagnostics = [
      ...crdFiles.diagnostics,
      ...oldSide.diagnostics,
      ...newSide.diagnostics,
      ...(instances?.diagnostics ?? []),
      ...parsedInstances.flatMap((p) => p.diagnostics),
    ];
    if (hasErrors(diagnostics)) {
      printDiagnostics(io, diagnostics);
      return EXIT_INVALID;
    }
    const compared = compareRgds(oldSide.rgds, newSide.rgds, {
      crds: crdFiles.crds,
      instances: instanceDocuments,
      ...(base !== undefined ? { base } : {}),
    });
    const used = instances ? instanceUse(instances, instanceDocuments, compared.output, oldSide.rgds) : [];
    printDiagnostics(io, uniqueDiagnostics([...diagnostics, ...compared.diagnostics, ...used]));
    if (hasErrors(compared.diagnostics) || hasErrors(used)) return EXIT_INVALID;
    io.stdout(render(compared.output, options.format));
    return compared.output.breaking ? EXIT_BREAKING : EXIT_OK;
  },
});

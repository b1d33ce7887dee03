// The outputs of `kro-gen diff`: text for people, JSON for programs (docs/diff.md), a Markdown PR
// comment, and GitHub workflow annotations at the new file's lines.
import type { SourcePos } from '../diagnostics.js';
import { oneLine } from '../diagnostics.js';
import type { CrdChange, DiffReport, InstancePlan, ObjectPlan, ResourceChange } from './report.js';

/** What the command compared: one report per RGD. */
export interface DiffOutput {
  readonly breaking: boolean;
  readonly rgds: readonly DiffReport[];
}

export function diffOutput(rgds: readonly DiffReport[]): DiffOutput {
  return { breaking: rgds.some((r) => r.breaking), rgds };
}

/**
 * The JSON document: `breaking` and `rgds` always; with exactly one RGD compared, its report's
 * `rgd`, `crd`, `resources` and `instances` also at the top level (the shape issue 10 fixed).
 */
export function toJson(out: DiffOutput): unknown {
  const only = out.rgds.length === 1 ? out.rgds[0] : undefined;
  return {
    breaking: out.breaking,
    ...(only
      ? {
          ...(only.rgd ? { rgd: only.rgd } : {}),
          crd: only.crd,
          resources: only.resources,
          instances: only.instances,
        }
      : {}),
    rgds: out.rgds,
  };
}

function where(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : '';
}

function hasChanges(r: DiffReport): boolean {
  return (
    r.crd.changes.length > 0 ||
    r.resources.changes.length > 0 ||
    r.instances.some((i) => i.errors.length > 0 || i.objects.some((o) => o.action !== 'unchanged'))
  );
}

function rgdTitle(r: DiffReport): string {
  const name = r.rgd?.name ?? '(rgd)';
  switch (r.rgd?.status) {
    case 'added':
      return `RGD ${name} added (${r.rgd.newFile ?? ''}): kro creates its CRD${r.crd.name ? ` ${r.crd.name}` : ''}`;
    case 'removed':
      return `RGD ${name} removed (was ${r.rgd.oldFile ?? ''}): deleting it stops kro reconciling its instances; kro keeps its CRD and instances unless started with --allow-crd-deletion`;
    default: {
      const files = r.rgd?.oldFile && r.rgd.newFile ? ` (${r.rgd.oldFile} → ${r.rgd.newFile})` : '';
      return `RGD ${name}${files}`;
    }
  }
}

function crdVerdict(r: DiffReport): string {
  const name = r.crd.name ? `CRD ${r.crd.name}` : 'CRD';
  if (r.crd.changes.length === 0) return `${name}: unchanged`;
  if (r.crd.accepted === false) {
    return `${name}: REFUSED: ${r.crd.refusal ?? 'breaking changes'}${r.crd.note ? `. ${r.crd.note}` : ''}`;
  }
  const allowed = r.crd.changes.some((c) => c.allowed);
  return allowed
    ? `${name}: breaking changes, allowed by kro.run/allow-breaking-changes: "true"; kro updates the CRD`
    : `${name}: compatible; kro updates the CRD`;
}

function crdMark(c: CrdChange): string {
  return c.breaking ? (c.allowed ? 'allowed' : 'breaking') : 'ok';
}

function objectName(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : oneLine(JSON.stringify(v));
}

function objectLines(o: ObjectPlan): string[] {
  const immutable = o.immutable.length > 0 ? `  IMMUTABLE: ${o.immutable.join(', ')}` : '';
  const lines = [`${o.action.padEnd(9)} ${objectName(o)}${immutable}`];
  for (const c of o.changes) lines.push(`    ${c.path}: ${show(c.from)} → ${show(c.to)}`);
  return lines;
}

function instanceLines(p: InstancePlan): string[] {
  const lines = [`instance ${objectName(p.instance)}`];
  for (const e of p.errors) lines.push(`  ${where(e.pos)}${e.pos ? ': ' : ''}error: ${oneLine(e.message)}`);
  for (const o of p.objects) lines.push(...objectLines(o).map((l) => `  ${l}`));
  return lines;
}

/** Plain text: per RGD the CRD verdict, its changes, graph changes and instance plans. */
export function toText(out: DiffOutput): string {
  const lines: string[] = [];
  for (const r of out.rgds) {
    lines.push(rgdTitle(r));
    if (r.rgd?.status === 'added' || r.rgd?.status === 'removed') continue;
    if (!hasChanges(r)) {
      lines.push('  no changes');
      continue;
    }
    lines.push(`  ${crdVerdict(r)}`);
    for (const c of r.crd.changes) {
      lines.push(`    ${where(c.pos)}: ${crdMark(c)}: ${c.field ? `${c.field}: ` : ''}${oneLine(c.message)}`);
    }
    if (r.resources.changes.length > 0) {
      lines.push('  resources:');
      for (const c of r.resources.changes) {
        lines.push(`    ${where(c.pos)}: ${c.change} ${c.id}: ${oneLine(c.message)}`);
      }
    }
    for (const p of r.instances) lines.push(...instanceLines(p).map((l) => `  ${l}`));
  }
  lines.push(summary(out));
  return `${lines.join('\n')}\n`;
}

/** One line: what kro would do overall. */
export function summary(out: DiffOutput): string {
  const n = out.rgds.length;
  const changed = out.rgds.filter(
    (r) => r.rgd?.status === 'added' || r.rgd?.status === 'removed' || hasChanges(r),
  );
  const breaking = out.rgds.filter((r) => r.breaking);
  const rgds = `${n} RGD${n === 1 ? '' : 's'}`;
  if (changed.length === 0) return `no changes (${rgds} compared)`;
  if (breaking.length === 0)
    return `no breaking changes: kro would accept the update (${rgds} compared, ${changed.length} changed)`;
  return `BREAKING: ${breaking.map((r) => r.rgd?.name ?? '(rgd)').join(', ')} (${rgds} compared, ${changed.length} changed)`;
}

/** A Markdown table cell: pipes escaped, one line. */
function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function code(text: string): string {
  return text === '' ? '' : `\`${text.replace(/`/g, 'ˋ')}\``;
}

/** A PR comment: a summary line, then per changed RGD its tables. */
export function toMarkdown(out: DiffOutput): string {
  const lines: string[] = [`**kro-gen diff**: ${out.breaking ? '❌ ' : ''}${cell(summary(out))}`, ''];
  for (const r of out.rgds) {
    if (!(r.rgd?.status === 'added' || r.rgd?.status === 'removed' || hasChanges(r))) continue;
    lines.push(`### ${cell(rgdTitle(r))}`, '');
    if (r.rgd?.status === 'added' || r.rgd?.status === 'removed') continue;
    lines.push(cell(crdVerdict(r)), '');
    if (r.crd.changes.length > 0) {
      lines.push('| | field | change | where |', '|---|---|---|---|');
      for (const c of r.crd.changes) {
        const mark = c.breaking ? (c.allowed ? '⚠️ allowed' : '❌ breaking') : '✅';
        lines.push(`| ${mark} | ${code(c.field ?? c.path)} | ${cell(c.message)} | ${cell(where(c.pos))} |`);
      }
      lines.push('');
    }
    if (r.resources.changes.length > 0) {
      lines.push('| resource | change | details | where |', '|---|---|---|---|');
      for (const c of r.resources.changes) {
        lines.push(`| ${code(c.id)} | ${c.change} | ${cell(c.message)} | ${cell(where(c.pos))} |`);
      }
      lines.push('');
    }
    for (const p of r.instances) {
      lines.push(`**instance ${cell(objectName(p.instance))}**`, '');
      for (const e of p.errors) lines.push(`- ❌ ${cell(e.message)} (${cell(where(e.pos))})`);
      const objects = p.objects.filter((o) => o.action !== 'unchanged');
      if (objects.length > 0) {
        lines.push('| action | object | changes | immutable |', '|---|---|---|---|');
        for (const o of objects) {
          const changes = o.changes.map(
            (c) => `${code(c.path)}: ${cell(show(c.from))} → ${cell(show(c.to))}`,
          );
          lines.push(
            `| ${o.action} | ${cell(objectName(o))} | ${changes.join('<br>')} | ${o.immutable.map(code).join(', ')} |`,
          );
        }
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

// Workflow command escaping: data escapes %, CR and LF; properties also : and ,.
function ghData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function ghProperty(text: string): string {
  return ghData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(
  level: 'error' | 'warning' | 'notice',
  pos: SourcePos | undefined,
  title: string,
  message: string,
): string {
  const props = [
    ...(pos ? [`file=${ghProperty(pos.file)}`, `line=${pos.line}`, `col=${pos.col}`] : []),
    `title=${ghProperty(title)}`,
  ];
  return `::${level} ${props.join(',')}::${ghData(message)}`;
}

function crdLevel(c: CrdChange): 'error' | 'warning' | 'notice' {
  return c.breaking ? (c.allowed ? 'warning' : 'error') : 'notice';
}

function resourceLevel(c: ResourceChange): 'warning' | 'notice' {
  return c.change === 'removed' ? 'warning' : 'notice';
}

/** GitHub Actions workflow commands: an annotation per change at the new file's line, then the summary. */
export function toGithub(out: DiffOutput): string {
  const lines: string[] = [];
  for (const r of out.rgds) {
    const rgd = r.rgd?.name ?? '(rgd)';
    if (r.rgd?.status === 'added' || r.rgd?.status === 'removed') {
      lines.push(annotation('notice', undefined, `kro-gen diff: ${rgd}`, rgdTitle(r)));
      continue;
    }
    for (const c of r.crd.changes) {
      const what = c.breaking
        ? c.allowed
          ? 'breaking change (allowed)'
          : 'breaking change'
        : 'compatible change';
      lines.push(
        annotation(
          crdLevel(c),
          c.pos,
          `kro-gen diff: ${rgd}: CRD ${what}`,
          `${c.field ? `${c.field}: ` : ''}${c.message}`,
        ),
      );
    }
    if (r.crd.refusal) lines.push(annotation('error', undefined, `kro-gen diff: ${rgd}`, r.crd.refusal));
    for (const c of r.resources.changes) {
      lines.push(
        annotation(
          resourceLevel(c),
          c.pos,
          `kro-gen diff: ${rgd}: resource ${c.change}`,
          `${c.id}: ${c.message}`,
        ),
      );
    }
    for (const p of r.instances) {
      for (const e of p.errors) {
        lines.push(
          annotation('error', e.pos, `kro-gen diff: ${rgd}: instance ${objectName(p.instance)}`, e.message),
        );
      }
    }
  }
  lines.push(summary(out));
  return `${lines.join('\n')}\n`;
}

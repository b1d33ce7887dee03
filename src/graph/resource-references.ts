// What each resource's expressions read, hence its dependencies (the DAG's edges), and kro's
// rules on who may read what: no self references, `runtime` only in status conditions, forEach
// iterators only in the template (and each of them in the resource's identity), readyWhen only
// the resource itself. Unknown identifiers are reported here, with a suggestion.
import { error } from '../diagnostics.js';
import type { BuildState, Site } from './build-state.js';
import { isRequiredIdentityField } from './conditions.js';
import { EACH, RUNTIME, SCHEMA } from './identifiers.js';
import type { VariableKind } from './model.js';
import type { NodeDraft } from './resource-nodes.js';

/**
 * Finds what the expressions of `n` read: fills in its dependencies, variable kinds and references.
 * (Indexed loops: cold code (docs/architecture.md).)
 */
export function inspectNode(s: BuildState, n: NodeDraft): void {
  const id = n.r.id;
  const who = `resource "${id}"`;
  // A resource has a few forEach iterators at most (mostly none): includes() on the array beats a Set.
  const iterators = n.iterators;
  const addDep = (d: string) => {
    if (!n.dependencies.includes(d)) n.dependencies.push(d);
  };
  const usedInIdentity = new Set<string>();

  const variables = n.variables;
  for (let i = 0; i < variables.length; i++) {
    const v = variables[i] as NodeDraft['variables'][number];
    let kind: VariableKind = 'static';
    for (let j = 0; j < v.sites.length; j++) {
      const site = v.sites[j] as Site;
      const ins = s.inspect(site, 'template', who, n.broken);
      if (!ins) continue;
      const refs = ins.refs;
      for (let k = 0; k < refs.length; k++) {
        const ref = refs[k] as (typeof refs)[number];
        if (!v.references.includes(ref.root)) v.references.push(ref.root);
        if (ref.root === SCHEMA) continue;
        if (ref.root === RUNTIME) {
          refuseRuntime(s, n, who, site, ref.start);
        } else if (iterators.includes(ref.root)) {
          kind = 'iteration';
          if (
            v.field.path === 'metadata.name' ||
            (v.field.path === 'metadata.namespace' && n.resolved?.namespaced !== false)
          ) {
            usedInIdentity.add(ref.root);
          }
        } else if (ref.root === id) {
          s.report(
            error(`${who}: self references are not allowed`, s.pos(site, ref.start), 'graph/self-reference'),
          );
          n.broken.add(site);
        } else if (s.ids.has(ref.root)) {
          addDep(ref.root);
          if (kind === 'static') kind = 'dynamic';
        } else {
          s.unknown(site, ref.root, ref.start, who, [...s.ids, SCHEMA, ...n.iterators], n.broken);
        }
      }
      // kro: omit() on identity fields would silently break ownership.
      if (ins.usesOmit && (s.ctx.omit ?? false) && isIdentity(s, v.field.path, n)) {
        s.report(
          error(
            `resource "${id}": omit() cannot be used at path "${v.field.path}" — the field is required and must resolve to a concrete value`,
            s.pos(site),
            'graph/omit',
          ),
        );
        n.broken.add(site);
      }
    }
    v.kind = kind;
  }

  if (n.iterators.length > 0) {
    const missing = n.iterators.filter((it) => !usedInIdentity.has(it));
    if (missing.length > 0) {
      s.report(
        error(
          `node "${id}": all forEach dimensions must be used to produce a unique resource identity, missing: [${missing.join(' ')}]`,
          s.rgd.loc.at([...n.base, 'forEach'], 'key'),
          'graph/foreach-identity',
        ),
      );
    }
  }

  for (let i = 0; i < n.forEach.length; i++) {
    const dim = n.forEach[i] as NodeDraft['forEach'][number];
    const dimWho = `node "${id}": forEach iterator "${dim.name}"`;
    const ins = s.inspect(dim.site, 'forEach', dimWho, n.broken);
    if (!ins) continue;
    const refs = ins.refs;
    for (let k = 0; k < refs.length; k++) {
      const ref = refs[k] as (typeof refs)[number];
      if (!dim.refs.includes(ref.root)) dim.refs.push(ref.root);
      if (ref.root === SCHEMA) continue;
      if (ref.root === RUNTIME) {
        refuseRuntime(s, n, dimWho, dim.site, ref.start);
      } else if (iterators.includes(ref.root)) {
        s.report(
          error(
            `${dimWho} cannot reference other iterators [${ref.root}] - forEach iterators are independent (cartesian product)`,
            s.pos(dim.site, ref.start),
            'graph/foreach-iterator',
          ),
        );
        n.broken.add(dim.site);
      } else if (ref.root === id) {
        s.report(
          error(
            `${who}: self references are not allowed`,
            s.pos(dim.site, ref.start),
            'graph/self-reference',
          ),
        );
        n.broken.add(dim.site);
      } else if (s.ids.has(ref.root)) addDep(ref.root);
      else s.unknown(dim.site, ref.root, ref.start, dimWho, [...s.ids, SCHEMA], n.broken);
    }
  }

  for (let i = 0; i < n.includeWhen.length; i++) {
    const c = n.includeWhen[i] as NodeDraft['includeWhen'][number];
    const ins = s.inspect(c.site, 'includeWhen', `${who} includeWhen`, n.broken);
    if (!ins) continue;
    const refs = ins.refs;
    for (let k = 0; k < refs.length; k++) {
      const ref = refs[k] as (typeof refs)[number];
      if (!c.refs.includes(ref.root)) c.refs.push(ref.root);
      if (ref.root === SCHEMA) continue;
      if (ref.root === RUNTIME) {
        refuseRuntime(s, n, `${who} includeWhen`, c.site, ref.start);
      } else if (ref.root === id) {
        s.report(
          error(`${who}: self references are not allowed`, s.pos(c.site, ref.start), 'graph/self-reference'),
        );
        n.broken.add(c.site);
      } else if (s.ids.has(ref.root)) addDep(ref.root);
      else s.unknown(c.site, ref.root, ref.start, `${who} includeWhen`, [...s.ids, SCHEMA], n.broken);
    }
  }

  // readyWhen sees only the resource itself (`each` for collections); it adds no edges.
  const self = n.type === 'collection' ? EACH : id;
  for (let i = 0; i < n.readyWhen.length; i++) {
    const c = n.readyWhen[i] as NodeDraft['readyWhen'][number];
    const ins = s.inspect(c.site, 'readyWhen', `${who} readyWhen`, n.broken);
    if (!ins) continue;
    const refs = ins.refs;
    for (let k = 0; k < refs.length; k++) {
      const ref = refs[k] as (typeof refs)[number];
      if (!c.refs.includes(ref.root)) c.refs.push(ref.root);
      if (ref.root !== self) s.unknown(c.site, ref.root, ref.start, `${who} readyWhen`, [self], n.broken);
    }
  }
}

// `runtime` names the instance's live state, which only status.conditions may read; the site is marked
// broken so later checks do not report it again.
function refuseRuntime(s: BuildState, n: NodeDraft, who: string, site: Site, offset: number): void {
  s.report(
    error(
      `${who}: runtime is only available in status.conditions expressions`,
      s.pos(site, offset),
      'graph/runtime',
    ),
  );
  n.broken.add(site);
}

function isIdentity(s: BuildState, path: string, n: NodeDraft): boolean {
  return isRequiredIdentityField(path, n.resolved?.namespaced === true, s.namespaced);
}

/** The first expression of `n` that reads `dep` (where a dependency cycle is reported). */
export function siteReferencing(s: BuildState, n: NodeDraft, dep: string): Site | undefined {
  for (const v of n.variables) {
    const i = v.references.indexOf(dep);
    if (i >= 0) {
      for (const site of v.sites)
        if (s.inspector.inspect(site.text).refs.some((r) => r.root === dep)) return site;
    }
  }
  for (const d of n.forEach) if (d.refs.includes(dep)) return d.site;
  for (const c of n.includeWhen) if (c.refs.includes(dep)) return c.site;
  return undefined;
}

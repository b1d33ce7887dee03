// The settings of the project a directory belongs to that decide the generated modules' format
// (codegen/module-format.ts): `type` of the nearest package.json, and `module`/`moduleResolution`
// of the nearest tsconfig.json, following its `extends` as tsc does.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { ProjectModuleSettings } from '../codegen/module-format.js';
import { requireFrom } from './require-from.js';

/** The nearest `name` in `dir` or one of its parents, with its text. */
function nearest(dir: string, name: string): { path: string; text: string } | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const path = join(d, name);
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch {
      // Not here (or not readable): look further up.
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Calls `each` for every character of `text` outside JSON strings; strings are copied through. */
function outsideStrings(text: string, each: (i: number) => { skip: number; put: string }): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
      continue;
    }
    const { skip, put } = each(i);
    out += put;
    i += skip;
  }
  return out;
}

/** tsconfig.json is JSON with comments and trailing commas, as tsc reads it. */
export function parseJsonc(text: string): unknown {
  const noComments = outsideStrings(text, (i) => {
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      return { skip: (end < 0 ? text.length : end) - i - 1, put: '' };
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      return { skip: (end < 0 ? text.length : end + 2) - i - 1, put: ' ' };
    }
    return { skip: 0, put: text[i] ?? '' };
  });
  const nonSpace = /\S/g;
  const json = outsideStrings(noComments, (i) => {
    const c = noComments[i] ?? '';
    if (c !== ',') return { skip: 0, put: c };
    nonSpace.lastIndex = i + 1;
    const next = nonSpace.exec(noComments)?.[0];
    return { skip: 0, put: next === '}' || next === ']' ? ' ' : c };
  });
  return JSON.parse(json);
}

interface TsModuleOptions {
  module?: string;
  moduleResolution?: string;
}

function extendsPath(spec: string, from: string): string {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const path = resolve(dirname(from), spec);
    return path.endsWith('.json') ? path : `${path}.json`;
  }
  const req = requireFrom(from);
  for (const candidate of [spec, `${spec}.json`, `${spec}/tsconfig.json`]) {
    try {
      return req.resolve(candidate);
    } catch {
      // Try the next spelling tsc accepts.
    }
  }
  throw new Error(`cannot find '${spec}' it extends`);
}

/** `module` and `moduleResolution` of the tsconfig at `path` with what it extends merged in. */
function tsModuleOptions(path: string, text: string, seen: Set<string>): TsModuleOptions {
  if (seen.has(path) || seen.size > 16) return {};
  seen.add(path);
  const config = parseJsonc(text) as { extends?: unknown; compilerOptions?: Record<string, unknown> };
  const bases =
    typeof config.extends === 'string'
      ? [config.extends]
      : Array.isArray(config.extends)
        ? config.extends
        : [];
  const merged: TsModuleOptions = {};
  for (const base of bases) {
    if (typeof base !== 'string') continue;
    const basePath = extendsPath(base, path);
    Object.assign(merged, tsModuleOptions(basePath, readFileSync(basePath, 'utf8'), seen));
  }
  const own = config.compilerOptions ?? {};
  if (typeof own.module === 'string') merged.module = own.module;
  if (typeof own.moduleResolution === 'string') merged.moduleResolution = own.moduleResolution;
  return merged;
}

export interface ProjectLookup {
  readonly settings: ProjectModuleSettings;
  /** Files that could not be read or parsed, each with why: the choice ignores them. */
  readonly problems: readonly string[];
}

/** The module settings of the project `dir` (which need not exist yet) belongs to. */
export function projectModuleSettings(dir: string): ProjectLookup {
  const problems: string[] = [];
  let packageType: string | undefined;
  const pkg = nearest(dir, 'package.json');
  if (pkg) {
    try {
      const type = (JSON.parse(pkg.text) as { type?: unknown }).type;
      if (typeof type === 'string') packageType = type;
    } catch (e) {
      problems.push(`${pkg.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let ts: TsModuleOptions = {};
  const tsconfig = nearest(dir, 'tsconfig.json');
  if (tsconfig) {
    try {
      ts = tsModuleOptions(tsconfig.path, tsconfig.text, new Set());
    } catch (e) {
      problems.push(`${tsconfig.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    settings: { packageType, tsModule: ts.module, tsModuleResolution: ts.moduleResolution },
    problems,
  };
}

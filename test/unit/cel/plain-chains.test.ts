// Plain select chains are answered from their text (select-chain.ts): the references of one are
// what findReferences finds in the parse of the same text by kro's inspection environment, which
// is the reference here, and any text the parser might read otherwise is left to it.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment, NAMESPACE_IDENTIFIERS } from '../../../src/cel/environment.js';
import { MAX_EXPRESSION_NESTING } from '../../../src/cel/nesting.js';
import { findReferences, plainChainReferences } from '../../../src/cel/references.js';
import { plainSelectChain } from '../../../src/cel/select-chain.js';

// The environment kro-gen's inspector parses with, and namespaces as it passes them.
const env = createKroEnvironment({ typing: true });
const NAMESPACES = new Set([...NAMESPACE_IDENTIFIERS].filter((n) => n !== 'runtime'));

const CHAINS = [
  'schema',
  'schema.spec',
  'schema.spec.name',
  'deployment.status.availableReplicas',
  'a.b.c.d.e.f.g.h',
  '_x._y',
  'x1.y2_z',
  'json.spec',
  'optional.x',
  'random',
  'google.protobuf.Timestamp',
  'cel.bind',
  'has.x',
  'map.size',
  'int.x',
  'each.status.x',
  'runtime.x',
  'schema.spec.as',
  'schema.spec.if',
  'schema.metadata.namespace',
];

// Texts left to the parser: not chains, reserved or literal words anywhere, or long ones.
const NOT_TAKEN = [
  'schema.spec.name + "x"',
  'schema.spec.name ',
  ' schema.spec.name',
  'schema.spec[0]',
  'schema.spec.?x',
  'schema..spec',
  'schema.',
  '.schema',
  'f(x)',
  '1',
  'true',
  'null',
  'in',
  'x.true',
  'x.false',
  'x.null',
  'x.in',
  'x.__proto__',
  'x.prototype',
  '__proto__.x',
  'prototype',
  'for',
  'for.x',
  'namespace.x',
  'while',
  'x-y',
  'é.x',
  `a${'.b'.repeat(MAX_EXPRESSION_NESTING)}`,
];

function parsed(source: string, namespaces: ReadonlySet<string> = NAMESPACES) {
  return findReferences(env.parse(source).ast, namespaces).map((r) => ({
    root: r.root,
    path: r.path,
    start: r.start,
    end: r.end,
  }));
}

describe('plainChainReferences', () => {
  it.each(CHAINS)('%s: as findReferences finds them in the parse', (source) => {
    expect(plainChainReferences(source, NAMESPACES)).toEqual(parsed(source));
  });

  it.each(NOT_TAKEN)('%s: left to the parser', (source) => {
    expect(plainChainReferences(source, NAMESPACES)).toBeUndefined();
    expect(plainSelectChain(source)).toBeUndefined();
  });

  it.each(['json.x', 'optional', 'random.seededString'])(
    '%s: a namespace read as a variable when not one',
    (source) => {
      expect(plainChainReferences(source, new Set())).toEqual(parsed(source, new Set()));
      expect(plainChainReferences(source, NAMESPACES)).toEqual([]);
    },
  );
});

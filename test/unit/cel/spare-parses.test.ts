// A tree one environment parsed and left as a spare is taken, once, by the next parse of the same
// text in an environment that parses alike, and by no other: an environment with functions of its
// own (macros are functions) parses afresh, and so does one of another base.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment } from '../../../src/cel/environment.js';
import { kroRuntimeLibrary } from '../../../src/cel/lib/kro-runtime.js';
import { TypeEnv } from '../../../src/cel/typecheck.js';
import { INT, STRING } from '../../../src/cel/types.js';

// Each case its own text: spares are per process.
let n = 0;
const fresh = (body: string): string => `${body} + ${n++}`;

function spare(text: string, omit = false) {
  const env = createKroEnvironment({ omit, typing: true });
  const ast = env.parse(text).ast;
  env.leaveSpare(text, ast);
  return ast;
}

describe('spare parses', () => {
  it('are taken once by an environment of the same base', () => {
    const text = fresh('x');
    const ast = spare(text);
    const other = createKroEnvironment({ typing: true }).declare('x', 'int');
    expect(other.parse(text).ast).toBe(ast);
    expect(other.parse(text).ast).not.toBe(ast);
  });

  it('are type-checked by the environment that took them', () => {
    const text = fresh('x.size()');
    const ast = spare(text);
    const env = TypeEnv.create(new Map([['x', STRING]]));
    const checked = env.check(text);
    expect(checked).toMatchObject({ ok: true, type: INT });
    expect(checked.ok && checked.ast).toBe(ast);
  });

  it('are not taken by an environment with functions of its own, nor of another base', () => {
    const text = fresh('x');
    const ast = spare(text);
    const withFunction = createKroEnvironment({ typing: true });
    withFunction.registerFunction('kroGenTestOnly(int): int', (v: bigint) => v);
    expect(withFunction.parse(text).ast).not.toBe(ast);
    expect(createKroEnvironment({ omit: true, typing: true }).parse(text).ast).not.toBe(ast);
    expect(createKroEnvironment({ typing: true }).parse(text).ast).toBe(ast);
  });

  it('are not taken by an environment with a library that adds a macro', () => {
    const text = `runtime.newCondition({type: "Ready", status: "True"}) == ${n++}`;
    const ast = spare(text);
    const plain = TypeEnv.create(new Map());
    const conditions = plain.withLibrary(kroRuntimeLibrary);
    expect(conditions.kro.parse(text).ast).not.toBe(ast);
  });

  it('are not left by an environment whose variable took a library name', () => {
    const text = fresh('json.spec');
    const env = createKroEnvironment({ typing: true }).declare('json', 'dyn');
    env.leaveSpare(text, env.parse(text).ast);
    const ast = createKroEnvironment({ typing: true }).parse(text).ast;
    expect(createKroEnvironment({ typing: true }).parse(text).ast).not.toBe(ast);
  });
});

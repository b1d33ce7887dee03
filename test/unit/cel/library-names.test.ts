// The function names the graph's inspector tells unknown functions by are read once per base
// (libraryFunctionNames) instead of from each environment's definitions: they must be exactly the
// names an environment lists.
import { describe, expect, it } from 'vitest';
import { createKroEnvironment, libraryFunctionNames } from '../../../src/cel/environment.js';

describe('libraryFunctionNames', () => {
  it.each([false, true])('lists the names a typing environment declares (omit %s)', (omit) => {
    const listed = new Set(
      createKroEnvironment({ omit, typing: true })
        .raw.getDefinitions()
        .functions.map((f) => f.name),
    );
    expect(new Set(libraryFunctionNames({ omit }))).toEqual(listed);
    expect(listed.has('seededString')).toBe(true);
    expect(listed.has('omit')).toBe(omit);
  });
});

// Optional peer dependencies (ts-morph, tsx): found when installed, and a missing one is a message
// that names the option needing it and the install command with kro-gen's declared range.
import { describe, expect, it } from 'vitest';
import { missingOptional, resolveOptional } from '../../../src/cli/optional.js';

describe('optional peer dependencies', () => {
  it('resolves one that is installed (this repository has ts-morph) and not one that is not', () => {
    expect(resolveOptional('ts-morph', process.cwd())).toMatch(/^file:.*\/node_modules\/ts-morph\//);
    expect(resolveOptional('kro-gen-no-such-package', process.cwd())).toBeUndefined();
  });

  it('tells what to install, with the range package.json declares', () => {
    expect(missingOptional('ts-morph', '--typecheck')).toBe(
      "--typecheck needs ts-morph, an optional peer dependency of kro-gen: install it with 'npm install --save-dev ts-morph@^28.0.0'",
    );
  });
});

// What a graph is built against (the kinds it may use, feature gates) and what a build returns.
// Its own module so the kind resolver (kinds.ts) and the build's steps can name these types
// without importing the builder that uses them.

import type { Diagnostic } from '../diagnostics.js';
import type { JsonValue, Rgd } from '../rgd/model.js';
import type { BuiltinLookup, KnownKind } from '../schema/resolver.js';
import type { Graph } from './model.js';

export interface GraphContext {
  /** Schemas handed in directly (tests' fake resolvers, schema bundles). */
  readonly kinds?: readonly KnownKind[];
  /** Parsed CustomResourceDefinition documents (`--crd` files). */
  readonly crds?: readonly JsonValue[];
  /** Other RGDs, whose instance kinds this RGD may create (chained RGDs). */
  readonly rgds?: readonly Rgd[];
  /** Built-in Kubernetes kinds: the bundled 1.36 schemas by default, `false` for none. */
  readonly builtin?: BuiltinLookup | false;
  /** What an unknown kind is: a warning and dyn typing (default), or an error as in kro. */
  readonly unknownKinds?: 'warn' | 'error';
  /** kro's `CELOmitFunction` feature gate (off by default, as in kro). */
  readonly omit?: boolean;
}

export interface BuildResult {
  readonly graph: Graph;
  readonly diagnostics: Diagnostic[];
}

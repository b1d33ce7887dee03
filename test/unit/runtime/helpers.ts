// A construct class built the way generated modules build theirs, for RGDs written inline in tests.
import type { Construct } from 'constructs';
import { positionTable } from '../../../src/codegen/positions.js';
import { formatDiagnostic } from '../../../src/diagnostics.js';
import { loadRgds } from '../../../src/rgd/load.js';
import {
  defineRgd,
  type InstanceProps,
  KroConstruct,
  type RgdDefinition,
} from '../../../src/runtime/index.js';

export function definitionOf(file: string, text: string): RgdDefinition {
  const loaded = loadRgds([{ path: file, text }]);
  const rgd = loaded.rgds[0];
  if (!rgd) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return defineRgd(() => ({ file, positions: positionTable(rgd), document: rgd.raw }));
}

/** A construct class for `definition`, like the generated ones (spec typed loosely). */
export function constructFor(definition: RgdDefinition) {
  return class Generated extends KroConstruct<Record<string, unknown>> {
    constructor(scope: Construct, id: string, props: InstanceProps<Record<string, unknown>> = {}) {
      super(scope, id, definition, props);
    }
  };
}

// kro's validator tables (pkg/graph/validation_test.go, vendored as JSON) run twice: against the
// kro-named rule functions, which must give kro's answer and message, and through the full loader,
// whose diagnostics must report the same problem (and nothing of that kind when kro accepts).
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { rgdFromObject } from '../../src/rgd/load.js';
import { isKROReservedWord, isValidResourceID } from '../../src/rgd/names.js';
import {
  validateCombinableResourceFields,
  validateForEachDimensions,
  validateKubernetesObjectStructure,
  validateKubernetesVersion,
  validateNoKROOwnedAnnotations,
  validateNoKROOwnedLabels,
  validateResourceGraphDefinition,
  validateResourceIDs,
  validateTemplateConstraints,
} from '../../src/rgd/rules.js';
import { loadKroJson } from '../helpers/conformance.js';

interface Case {
  id: string;
  kind: string;
  name: string;
  input?: unknown;
  rgd?: Record<string, unknown>;
  expect?: unknown;
  expectError?: boolean;
  errorEquals?: string;
  errorContains?: string;
}

type Obj = Record<string, unknown>;

const ALL = loadKroJson<Case[]>('graph-validation.json');

const KINDS = [
  'validateResourceIDs',
  'isKROReservedWord',
  'isValidResourceID',
  'validateKubernetesObjectStructure',
  'validateKubernetesVersion',
  'validateForEachDimensions',
  'validateResourceGraphDefinition',
  'validateNoKROOwnedLabels',
  'validateNoKROOwnedAnnotations',
  'validateCombinableResourceFields',
  'validateTemplateConstraints',
];
const CASES = ALL.filter((c) => KINDS.includes(c.kind));

const resourcesOf = (rgd: Obj | undefined) =>
  (((rgd?.['spec'] as Obj | undefined)?.['resources'] as Obj[] | undefined) ?? []) as Obj[];

/** What the kro-named rule function returns for a case: the error text, or undefined. */
function ruleResult(c: Case): string | boolean | undefined {
  const input = c.input as Obj;
  switch (c.kind) {
    case 'validateResourceIDs':
      return validateResourceIDs(c.input as string[]);
    case 'isKROReservedWord':
      return isKROReservedWord(c.input as string);
    case 'isValidResourceID':
      return isValidResourceID(c.input as string);
    case 'validateKubernetesObjectStructure':
      return validateKubernetesObjectStructure(c.input as never);
    case 'validateKubernetesVersion':
      return validateKubernetesVersion(c.input as string);
    case 'validateForEachDimensions': {
      const resources = resourcesOf(c.rgd);
      const ids = new Set(resources.map((r) => r['id'] as string));
      const max = input['maxCollectionDimensionSize'] as number;
      const errors = resources
        .map((r) => validateForEachDimensions(r['id'] as string, (r['forEach'] as Obj[]) ?? [], ids, max))
        .filter((e) => e !== undefined);
      return errors.length > 0 ? errors.join('\n') : undefined;
    }
    case 'validateResourceGraphDefinition':
      return validateResourceGraphDefinition(c.rgd, input['maxCollectionDimensionSize'] as number);
    case 'validateNoKROOwnedLabels':
      return validateNoKROOwnedLabels(input['resourceId'] as string, input['object'] as never);
    case 'validateNoKROOwnedAnnotations':
      return validateNoKROOwnedAnnotations(input['resourceId'] as string, input['object'] as never);
    case 'validateCombinableResourceFields': {
      const r = input['resource'] as Obj;
      const forEach = (r['forEach'] as unknown[] | undefined) ?? [];
      return validateCombinableResourceFields(
        r['id'] as string,
        'template' in r,
        'externalRef' in r,
        forEach.length,
      );
    }
    case 'validateTemplateConstraints':
      return validateTemplateConstraints(
        input['resourceId'] as string,
        input['isExternalCollection'] as boolean,
        input['object'] as never,
        input['namespaced'] as boolean,
        input['instanceNamespaced'] as boolean,
      );
  }
  throw new Error(`no runner for ${c.kind}`);
}

describe('kro validation_test.go through the kro-named rules', () => {
  it('covers every case of the listed kinds', () => {
    expect(CASES.length).toBe(75);
    console.log(`rgd-validation: ${CASES.length} kro cases`);
  });

  for (const c of CASES) {
    it(`${c.id}`, () => {
      const result = ruleResult(c);
      if (typeof result === 'boolean') {
        expect(result).toBe(c.expect);
        return;
      }
      expect(result !== undefined).toBe(c.expectError === true);
      if (c.errorEquals !== undefined) expect(result).toBe(c.errorEquals);
      if (c.errorContains !== undefined) expect(result).toContain(c.errorContains);
    });
  }
});

// ---- the same cases through the loader -------------------------------------------------------------

const TEMPLATE = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };

function wrap(resources: Obj[], schemaKind = 'Thing'): Obj {
  return {
    apiVersion: 'kro.run/v1alpha1',
    kind: 'ResourceGraphDefinition',
    metadata: { name: 'case' },
    spec: { schema: { apiVersion: 'v1alpha1', kind: schemaKind }, resources },
  };
}

/** The RGD that puts a case's input where kro meets it, and the diagnostic codes that case is about. */
function asRgd(c: Case): { rgd: Obj; codes: string[]; maxDims?: number } | undefined {
  const input = c.input as Obj;
  switch (c.kind) {
    case 'validateResourceIDs':
      return {
        rgd: wrap((c.input as string[]).map((id) => ({ id, template: TEMPLATE }))),
        codes: ['rgd/resource-id', 'rgd/duplicate-id'],
      };
    case 'validateKubernetesObjectStructure':
      return { rgd: wrap([{ id: 'res', template: c.input as Obj }]), codes: ['rgd/template-structure'] };
    case 'validateForEachDimensions':
    case 'validateResourceGraphDefinition': {
      const spec = (c.rgd?.['spec'] ?? {}) as Obj;
      const schemaKind = ((spec['schema'] as Obj | undefined)?.['kind'] as string | undefined) ?? 'Thing';
      const resources = resourcesOf(c.rgd).map((r) => ({ ...r, template: TEMPLATE }));
      return {
        rgd: wrap(resources, schemaKind),
        codes: [
          'rgd/foreach-iterator',
          'rgd/foreach-dimensions',
          'rgd/resource-id',
          'rgd/duplicate-id',
          'rgd/kind-name',
        ],
        maxDims: input['maxCollectionDimensionSize'] as number,
      };
    }
    case 'validateNoKROOwnedLabels':
    case 'validateNoKROOwnedAnnotations': {
      const object = input['object'] as Obj;
      const template = { ...TEMPLATE, ...object, metadata: { name: 'x', ...(object['metadata'] as Obj) } };
      return {
        rgd: wrap([{ id: input['resourceId'] as string, template }]),
        codes: ['rgd/kro-owned-label', 'rgd/kro-owned-annotation'],
      };
    }
    case 'validateCombinableResourceFields':
      return { rgd: wrap([input['resource'] as Obj]), codes: ['rgd/resource-fields'] };
    default:
      return undefined;
  }
}

describe('kro validation_test.go through loadRgds', () => {
  for (const c of CASES) {
    const setup = asRgd(c);
    if (!setup) continue;
    it(`${c.id}`, () => {
      const { diagnostics } = rgdFromObject(setup.rgd, `${c.id}.json`, {
        validation: setup.maxDims === undefined ? {} : { maxForEachDimensions: setup.maxDims },
      });
      const relevant = diagnostics.filter(
        (d: Diagnostic) => d.code !== undefined && setup.codes.includes(d.code),
      );
      expect(relevant.length > 0, relevant.map((d) => d.message).join('\n')).toBe(c.expectError === true);
      for (const d of relevant) expect(d.pos?.file).toBe(`${c.id}.json`);
      const expected = c.errorEquals ?? c.errorContains;
      if (expected !== undefined) expect(relevant.some((d) => d.message.includes(expected))).toBe(true);
    });
  }
});

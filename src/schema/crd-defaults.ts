// The fixed parts kro puts into every instance CRD: the status fields its controller writes, and the
// printer columns used when the RGD declares none.
import type { JsonObject } from '../rgd/model.js';

/** `status.state`, written by kro's instance controller (ACTIVE, IN_PROGRESS, ...). */
export function defaultStateSchema(): JsonObject {
  return { type: 'string' };
}

/** `status.conditions`, the shape of kro's instance conditions (`lastTransitionTime` is a plain string). */
export function defaultConditionsSchema(): JsonObject {
  return {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        lastTransitionTime: { type: 'string' },
        message: { type: 'string' },
        observedGeneration: { type: 'integer' },
        reason: { type: 'string' },
        status: { type: 'string' },
        type: { type: 'string' },
      },
    },
  };
}

/** Columns for `kubectl get` when the RGD sets no `additionalPrinterColumns`. */
export function defaultPrinterColumns(): JsonObject[] {
  return [
    {
      name: 'State',
      type: 'string',
      description: 'The state of a ResourceGraphDefinition instance',
      jsonPath: '.status.state',
    },
    {
      name: 'Ready',
      type: 'string',
      description: 'Whether a ResourceGraphDefinition instance is ready',
      jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    },
    {
      name: 'Age',
      type: 'date',
      description: 'Age of the resource',
      jsonPath: '.metadata.creationTimestamp',
    },
  ];
}

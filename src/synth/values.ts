// The synthesizer's use of the JSON <-> CEL conversions in src/cel/values.ts, which follow kro's
// runtime: objects go into CEL through their kind's OpenAPI schema (UnstructuredToVal; schemaless
// where no schema speaks), results come out as kro writes them (GoNativeType + EnsureJSONSafe).
// Here a value that does not fit its schema is converted schemaless without a word (the instance
// was validated before), int64 results beyond 2^53 stay exact as bigint, bytes become base64 (as Go's
// JSON encoding writes kro's []byte), and kro's omit sentinel passes through to the resolver.

import { isOmit } from '../cel/omit.js';
import type { OpenApiSchema } from '../cel/types.js';
import { celToJson as convertCelToJson, jsonToCelValue } from '../cel/values.js';

export { inferCel as nativeToCel, JsonConversionError as ConversionError } from '../cel/values.js';

/** A JSON value as CEL sees it through `schema` (kro's UnstructuredToVal). */
export function jsonToCel(value: unknown, schema: OpenApiSchema | undefined): unknown {
  return jsonToCelValue(value, schema);
}

const SYNTH_JSON = { passThrough: isOmit, bigints: true, bytesAsBase64: true } as const;

/** A CEL result as kro writes it into an object; throws a ConversionError with kro's wording. */
export function celToJson(value: unknown): unknown {
  return convertCelToJson(value, SYNTH_JSON);
}

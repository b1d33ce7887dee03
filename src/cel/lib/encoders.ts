// cel-go's encoders extension (ext.Encoders): base64.encode(bytes) and base64.decode(string).
// Decoding follows Go: the standard alphabet with padding, falling back to the unpadded form;
// line breaks are ignored and anything else outside the alphabet is an error.
import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { chargeString } from '../budget.js';
import type { CelLibrary } from '../library.js';
import { registerNamespacedFunction } from '../registration.js';

const PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UNPADDED = /^[A-Za-z0-9+/]*$/;

export function base64Encode(bytes: Uint8Array): string {
  chargeString(Math.ceil(bytes.length / 3) * 4);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

export function base64Decode(text: string): Uint8Array {
  const s = text.replace(/[\r\n]/g, '');
  const valid = PADDED.test(s) || (UNPADDED.test(s) && s.length % 4 !== 1);
  if (!valid) throw new EvaluationError(`illegal base64 data in ${JSON.stringify(text)}`);
  chargeString(s.length);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

function registerEncoders(env: Environment): void {
  registerNamespacedFunction(env, 'base64', 'encode(bytes): string', base64Encode);
  registerNamespacedFunction(env, 'base64', 'decode(string): bytes', base64Decode);
}

export const encodersLibrary: CelLibrary = {
  name: 'cel-go ext.Encoders',
  register: registerEncoders,
};

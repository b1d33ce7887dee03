// How generated constructs synthesize. `expanded` (the default) renders each instance into the
// resources kro would create from it; `bundle` writes the RGD once per app and the instance object,
// for a cluster where kro runs. Chosen per App or Chart through construct context (the nearest scope
// that sets it wins), else by the KRO_GEN_MODE environment variable (for CI), else `expanded`.
import type { IConstruct } from 'constructs';
import { DEFAULT_NAMESPACE } from '../synth/instance.js';

export type KroMode = 'expanded' | 'bundle';

export const MODES: readonly KroMode[] = ['expanded', 'bundle'];
/** Construct context key, e.g. `app.node.setContext(MODE_CONTEXT_KEY, 'bundle')`. */
export const MODE_CONTEXT_KEY = 'kro-gen:mode';
export const MODE_ENV = 'KRO_GEN_MODE';

function parseMode(value: unknown, from: string): KroMode {
  if (typeof value === 'string' && (MODES as readonly string[]).includes(value)) return value as KroMode;
  throw new Error(`${from} is ${JSON.stringify(value)}: expected one of ${MODES.join(', ')}`);
}

/** The mode for constructs created under `scope`. */
export function modeOf(
  scope: IConstruct,
  env: Readonly<Record<string, string | undefined>> = process.env,
): KroMode {
  const fromContext: unknown = scope.node.tryGetContext(MODE_CONTEXT_KEY);
  if (fromContext !== undefined) return parseMode(fromContext, `construct context '${MODE_CONTEXT_KEY}'`);
  const fromEnv = env[MODE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parseMode(fromEnv, `environment variable ${MODE_ENV}`);
  return 'expanded';
}

/** Choose the mode for everything created under `scope` from now on (before children are added). */
export function setMode(scope: IConstruct, mode: KroMode): void {
  scope.node.setContext(MODE_CONTEXT_KEY, parseMode(mode, 'mode'));
}

/** Construct context key: `false` leaves instances of chained RGDs to kro in expanded mode. */
export const EXPAND_CHAINED_CONTEXT_KEY = 'kro-gen:expand-chained';
/** The same, from the environment (`kro-gen synth --app --no-expand-chained` sets it to `false`). */
export const EXPAND_CHAINED_ENV = 'KRO_GEN_EXPAND_CHAINED';

function parseSwitch(value: unknown, from: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${from} is ${JSON.stringify(value)}: expected true or false`);
}

/**
 * Whether expanded mode replaces an instance of another generated RGD that a resource creates
 * (a chained RGD) by that RGD's resources (default true), or emits the instance object for kro.
 * Construct context first, then the environment.
 */
export function expandChainedOf(
  scope: IConstruct,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  const fromContext: unknown = scope.node.tryGetContext(EXPAND_CHAINED_CONTEXT_KEY);
  if (fromContext !== undefined)
    return parseSwitch(fromContext, `construct context '${EXPAND_CHAINED_CONTEXT_KEY}'`);
  const fromEnv = env[EXPAND_CHAINED_ENV];
  if (fromEnv !== undefined && fromEnv !== '')
    return parseSwitch(fromEnv, `environment variable ${EXPAND_CHAINED_ENV}`);
  return true;
}

/** Construct context key: the namespace of instances that set none and whose chart sets none. */
export const NAMESPACE_CONTEXT_KEY = 'kro-gen:namespace';
/** The same, from the environment (for `kro-gen synth --app`, whose `-n` it would carry). */
export const NAMESPACE_ENV = 'KRO_GEN_NAMESPACE';

/** A namespace name: a DNS-1123 label, as `kro-gen synth -n` requires. */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function parseNamespace(value: unknown, from: string): string {
  if (typeof value === 'string' && NAMESPACE_NAME.test(value)) return value;
  throw new Error(`${from} is ${JSON.stringify(value)}: expected a namespace name (a DNS-1123 label)`);
}

/**
 * The namespace an instance under `scope` gets when neither its metadata nor its chart names one:
 * construct context, then the environment, then `default`, the same default as `kro-gen synth`'s
 * `--namespace`, so both write the same object.
 */
export function defaultNamespaceOf(
  scope: IConstruct,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const fromContext: unknown = scope.node.tryGetContext(NAMESPACE_CONTEXT_KEY);
  if (fromContext !== undefined)
    return parseNamespace(fromContext, `construct context '${NAMESPACE_CONTEXT_KEY}'`);
  const fromEnv = env[NAMESPACE_ENV];
  if (fromEnv !== undefined && fromEnv !== '')
    return parseNamespace(fromEnv, `environment variable ${NAMESPACE_ENV}`);
  return DEFAULT_NAMESPACE;
}

// `synth --kro-values FILE`: the settings of kro's install, written with the chart's own value names
// (so the lines of an existing Helm values file carry over) plus the release namespace. The chart
// is rendered ahead of time, so only the values kro-gen can apply to the rendered objects are
// accepted; anything else is an error rather than silently ignored.
import { type Diagnostic, error } from '../diagnostics.js';
import type { JsonObject, JsonValue, Locator } from '../rgd/model.js';
import { KRO_RBAC_MODES, type KroInstallSettings, type KroRbacMode } from './kro-install.js';

/** The value paths a values file may set. */
export const KRO_VALUE_PATHS: readonly string[] = [
  'namespace',
  'image.repository',
  'image.tag',
  'image.digest',
  'deployment.resources',
  'rbac.mode',
];

function isMap(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The chart's default image repository (data/kro values are the chart's). */
export const KRO_IMAGE_REPOSITORY = 'registry.k8s.io/kro/kro';

/** A values document -> install settings (the image as one reference), or diagnostics. */
export function kroSettingsFromValues(
  value: JsonValue,
  loc: Locator,
  version: string,
): { settings: KroInstallSettings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, path: string[], part: 'key' | 'value' = 'value') => {
    diagnostics.push(error(message, loc.at(path, part), 'synth/kro-values'));
  };
  if (!isMap(value)) {
    fail('kro values must be a map', []);
    return { settings: {}, diagnostics };
  }
  const known = `the chart is pre-rendered; kro-gen applies only ${KRO_VALUE_PATHS.join(', ')}`;
  const strings: Record<string, string> = {};
  let resources: JsonObject | undefined;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'namespace') {
      if (typeof v !== 'string') fail('namespace must be a string', [key]);
      else strings.namespace = v;
      continue;
    }
    if (!['image', 'deployment', 'rbac'].includes(key)) {
      fail(`unsupported kro value ${key}: ${known}`, [key], 'key');
      continue;
    }
    if (!isMap(v)) {
      fail(`${key} must be a map`, [key]);
      continue;
    }
    for (const [sub, w] of Object.entries(v)) {
      const path = `${key}.${sub}`;
      if (!KRO_VALUE_PATHS.includes(path)) {
        fail(`unsupported kro value ${path}: ${known}`, [key, sub], 'key');
      } else if (path === 'deployment.resources') {
        if (!isMap(w)) fail(`${path} must be a map (limits, requests)`, [key, sub]);
        else resources = w;
      } else if (typeof w !== 'string') {
        fail(`${path} must be a string`, [key, sub]);
      } else {
        strings[path] = w;
      }
    }
  }
  const mode = strings['rbac.mode'];
  if (mode !== undefined && !(KRO_RBAC_MODES as readonly string[]).includes(mode)) {
    fail(`rbac.mode must be ${KRO_RBAC_MODES.join(' or ')}, not ${mode}`, ['rbac', 'mode']);
  }
  const repo = strings['image.repository'];
  const tag = strings['image.tag'];
  const digest = strings['image.digest'];
  const image =
    repo !== undefined || tag !== undefined || digest !== undefined
      ? `${repo ?? KRO_IMAGE_REPOSITORY}${digest !== undefined ? `@${digest}` : `:${tag ?? version}`}`
      : undefined;
  return {
    settings: {
      ...(strings.namespace !== undefined ? { namespace: strings.namespace } : {}),
      ...(image !== undefined ? { image } : {}),
      ...(resources !== undefined ? { resources } : {}),
      ...(mode !== undefined ? { rbac: mode as KroRbacMode } : {}),
    },
    diagnostics,
  };
}

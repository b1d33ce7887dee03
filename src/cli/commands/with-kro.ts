// `synth --mode bundle --with-kro`: the flags and values file that set up kro's own install, and
// the bundle that puts it first (src/deploy).

import { withKroInstall } from '../../deploy/bundle.js';
import {
  KRO_RBAC_MODES,
  type KroInstallSettings,
  type KroRbacMode,
  kroInstall,
} from '../../deploy/kro-install.js';
import { kroSettingsFromValues } from '../../deploy/kro-values.js';
import { type Diagnostic, error, hasErrors } from '../../diagnostics.js';
import type { YamlDocument } from '../../rgd/yaml.js';
import type { AnnotationStyle } from '../../synth/annotate.js';
import type { SynthManifest } from '../../synth/synthesize.js';

/** The kro-related synth flags, as parsed. */
export interface KroFlags {
  readonly version: string;
  readonly namespace?: string | undefined;
  readonly image?: string | undefined;
  readonly rbac?: string | undefined;
  /** The documents of --kro-values, when given. */
  readonly values?: { readonly documents: readonly YamlDocument[]; readonly file: string } | undefined;
}

/** A namespace name: a DNS-1123 label. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The bundle with kro's install in front, or the diagnostics that prevent it. */
export function bundleWithKro(
  bundle: readonly SynthManifest[],
  flags: KroFlags,
  styles: readonly AnnotationStyle[],
): { manifests: SynthManifest[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let fromFile: KroInstallSettings = {};
  if (flags.values) {
    const docs = flags.values.documents;
    if (docs.length !== 1) {
      diagnostics.push(
        error(
          `--kro-values ${flags.values.file} must hold one YAML document, not ${docs.length}`,
          undefined,
          'synth/kro-values',
        ),
      );
    } else {
      const doc = docs[0] as YamlDocument;
      const read = kroSettingsFromValues(doc.value ?? null, doc.loc, flags.version);
      diagnostics.push(...read.diagnostics);
      fromFile = read.settings;
    }
  }
  // Flags win over the values file, as `helm --set` wins over `-f`.
  const settings: KroInstallSettings = {
    ...fromFile,
    version: flags.version,
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.image !== undefined ? { image: flags.image } : {}),
    ...(flags.rbac !== undefined ? { rbac: flags.rbac as KroRbacMode } : {}),
  };
  const ns = settings.namespace;
  if (ns !== undefined && (ns.length > 63 || !DNS_LABEL.test(ns))) {
    diagnostics.push(
      error(`invalid kro namespace '${ns}': a namespace is a DNS-1123 label`, undefined, 'synth/kro-values'),
    );
  }
  if (settings.rbac !== undefined && !KRO_RBAC_MODES.includes(settings.rbac)) {
    diagnostics.push(error(`invalid kro RBAC mode '${settings.rbac}'`, undefined, 'synth/kro-values'));
  }
  if (hasErrors(diagnostics)) return { manifests: [], diagnostics };
  return { manifests: withKroInstall(bundle, kroInstall(settings), styles), diagnostics };
}
